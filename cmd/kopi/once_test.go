package main

import (
	"strings"
	"testing"
	"time"

	ksync "kopi/sync"
)

func TestOnceProcessesASubmittedResponse(t *testing.T) {
	o := submittedOffice(t)

	r := kopi(t, "once", "--config", o.config)
	if r.err != nil {
		t.Fatalf("once: %v\n%s", r.err, r.stderr)
	}
	if !strings.Contains(r.stdout, "Siklus selesai: 1 tanggapan dibaca, 1 kasus baru") {
		t.Errorf("once summary:\n%s", r.stdout)
	}
	for _, secret := range []string{"Sri Wahyuni", "sri.wahyuni@", "0812", "audit ketaatan"} {
		if strings.Contains(r.stdout+r.stderr, secret) {
			t.Errorf("once printed personal data %q:\n%s\n%s", secret, r.stdout, r.stderr)
		}
	}
	if !strings.Contains(r.stderr, "KOPI-2026-0001") {
		t.Errorf("log does not name the ticket:\n%s", r.stderr)
	}

	rows, err := o.srv.SpreadsheetValues(o.value(t, keySpreadsheetID), "Konsultasi")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 2 || rows[1][0] != "KOPI-2026-0001" {
		t.Fatalf("tracker rows after once: %q", rows)
	}
	sent := o.srv.Sent("me")
	if len(sent) == 0 || sent[0].To[0] != "sri.wahyuni@desa-sukamaju.example.id" {
		t.Errorf("no receipt sent: %+v", sent)
	}

	// The next cycle finds nothing new.
	r = kopi(t, "once", "--config", o.config)
	if r.err != nil {
		t.Fatalf("second once: %v", r.err)
	}
	if !strings.Contains(r.stdout, "0 kasus baru") || len(o.srv.Sent("me")) != len(sent) {
		t.Errorf("second once did something:\n%s", r.stdout)
	}
}

// TestOnceRunsOnTheOfficeClock: `kopi once` decides by the clock it is
// given, not the machine's. The same tracker a cycle leaves alone at the
// submission's hour gets its overdue notices from a cycle run a week
// later in office hours (the suite once failed only when CI ran during
// WIB office hours, with the real clock past every deadline).
func TestOnceRunsOnTheOfficeClock(t *testing.T) {
	o := submittedOffice(t)
	if r := kopi(t, "once", "--config", o.config); r.err != nil {
		t.Fatalf("once: %v\n%s", r.err, r.stderr)
	}
	receipts := len(o.srv.Sent("me"))
	if r := kopi(t, "once", "--config", o.config); r.err != nil || len(o.srv.Sent("me")) != receipts {
		t.Fatalf("a second cycle at the submission's hour sent %d emails (err %v)", len(o.srv.Sent("me"))-receipts, r.err)
	}
	later := march3().AddDate(0, 0, 8).Add(-7 * time.Hour) // Wednesday 11 March, 09:00 WIB
	r := kopiWith(t, environment{now: func() time.Time { return later }}, "once", "--config", o.config)
	if r.err != nil {
		t.Fatalf("once a week later: %v\n%s", r.err, r.stderr)
	}
	if !strings.Contains(r.stdout, "terkirim") || len(o.srv.Sent("me")) == receipts {
		t.Errorf("a cycle a week past the deadline sent no overdue notice:\n%s", r.stdout)
	}
}

// TestSummarizeSaysWhatTheCycleDid: the one-line summary of `kopi once`
// names the archive move (KOPI's and the other SOPs' cases together)
// beside the edits, deleted rows and problems, and only when it happened.
func TestSummarizeSaysWhatTheCycleDid(t *testing.T) {
	quiet := summarize(&ksync.Report{Responses: 2})
	if strings.Contains(quiet, "arsip") || strings.Contains(quiet, "suntingan") {
		t.Errorf("quiet cycle: %q", quiet)
	}
	busy := summarize(&ksync.Report{Responses: 2, EditsNoted: 1, Deleted: 1, Archived: 3, SOPArchived: 2, Problems: []string{"x"}})
	for _, want := range []string{"; 1 suntingan dicatat", "; 1 baris terhapus staf", "; 5 kasus lama dipindah ke arsip", "; 1 catatan untuk admin"} {
		if !strings.Contains(busy, want) {
			t.Errorf("summary %q lacks %q", busy, want)
		}
	}
}
