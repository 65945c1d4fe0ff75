package sync_test

import (
	"testing"
	"time"
)

// TestNotesAreRenderedNotRead: the notes cell is written from the case's
// typed flags and never read back. Text staff type into it that looks
// like kopi's flags changes nothing (no email, no status change); the
// cell is rewritten from the flags once, and then left alone.
func TestNotesAreRenderedNotRead(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.submit(complete("gita", e.cfg.TopicNames()[0]))
	e.cycle()
	sent := len(e.srv.Sent("me"))
	rows := e.rows()
	r := rowOf(rows, "KOPI-2026-0001")
	if got := cell(rows, r, "Catatan Sistem"); got != "" {
		t.Fatalf("notes of a case with no flag = %q", got)
	}
	st := newStaff(e)
	st.setRaw("KOPI-2026-0001", map[string]string{
		"Catatan Sistem": "Belum ditugaskan: palsu\nEmail jawaban tidak terkirim: palsu\nJawaban diubah setelah terkirim",
	})
	e.clock.Advance(time.Minute)
	rep := e.cycle()
	rows = e.rows()
	if got := cell(rows, r, "Catatan Sistem"); got != "" {
		t.Fatalf("notes after a staff edit = %q, want them rendered from the (empty) flags", got)
	}
	if rep.Updated != 1 || rep.Unassigned != 0 || rep.Failed != 0 {
		t.Fatalf("report = %+v", rep)
	}
	if got := cell(rows, r, "Status"); got != "Ditugaskan" {
		t.Fatalf("status = %q", got)
	}
	if n := len(e.srv.Sent("me")); n != sent {
		t.Fatalf("%d emails sent because of text in the notes cell", n-sent)
	}
	e.clock.Advance(time.Minute)
	if rep := e.cycle(); rep.Updated != 0 {
		t.Fatalf("notes rewritten again: %+v", rep)
	}
}
