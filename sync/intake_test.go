package sync_test

import (
	"strings"
	"testing"
	"time"

	"kopi/rules"
)

func TestIntakeEndToEnd(t *testing.T) {
	t.Parallel()
	underEach(t, oneSortVariant, testIntakeEndToEnd)
}

func testIntakeEndToEnd(t *testing.T) {
	e := setupUnsorted(t)
	topics := e.cfg.TopicNames()
	for i := 0; i < 8; i++ {
		e.submit(complete("warga"+string(rune('a'+i)), topics[i%len(topics)]))
		e.clock.Advance(3 * time.Minute)
	}
	rep := e.cycle()
	if rep.NewCases != 8 || rep.Sent == 0 {
		t.Fatalf("report = %+v", rep)
	}
	rows := dataRows(e.rows())
	if len(rows) != 8 {
		t.Fatalf("rows = %d, want 8", len(rows))
	}
	all := e.rows()
	ti, si := column(all, "No. Tiket"), column(all, "Status")
	for i, r := range rows {
		want := "KOPI-2026-000" + string(rune('1'+i))
		if r[ti] != want {
			t.Errorf("row %d ticket = %q, want %q", i, r[ti], want)
		}
		if r[si] != string(rules.StatusDitugaskan) {
			t.Errorf("row %d status = %q", i, r[si])
		}
	}
	sent := e.srv.Sent("me")
	receipts, assignments := 0, 0
	for _, m := range sent {
		switch {
		case strings.Contains(m.Subject, "Tanda terima"):
			receipts++
		case strings.Contains(m.Subject, "Penugasan"):
			assignments++
		}
	}
	if receipts != 8 || assignments != 8 {
		t.Fatalf("receipts = %d, assignments = %d (sent %d)", receipts, assignments, len(sent))
	}
	// A second cycle finds nothing new: idle, at most two calls.
	e.srv.ResetCalls()
	rep = e.cycle()
	if rep.NewCases != 0 || rep.Sent != 0 {
		t.Fatalf("second cycle = %+v", rep)
	}
	calls := e.srv.Calls()
	total := 0
	for m, n := range calls {
		if m != "forms.forms.get" { // the restart's question lookup
			total += n
		}
	}
	if total > 2 {
		t.Fatalf("idle cycle made %d calls: %v", total, calls)
	}
	if len(e.srv.Sent("me")) != len(sent) {
		t.Fatal("idle cycle sent email")
	}
}
