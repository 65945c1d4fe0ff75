package sync_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"kopi/rules"
)

// TestCaseRowDeletedBetweenReadAndWrite: staff delete a case's row after
// kopi read the tab and before it rewrites that row (the requester
// completed an incomplete form). The write finds no row; whichever way
// Google answers a data filter that matches nothing, the row stays
// deleted, no value lands on another row, no staff cell changes, later
// cycles run clean and the other case's emails go out once.
func TestCaseRowDeletedBetweenReadAndWrite(t *testing.T) {
	t.Parallel()
	underEach(t, filterMissVariants, func(t *testing.T) {
		underEach(t, sortVariants, testCaseRowDeletedBetweenReadAndWrite)
	})
}

func testCaseRowDeletedBetweenReadAndWrite(t *testing.T) {
	e := setup(t)
	topics := e.cfg.TopicNames()
	e.submit(complete("ani", topics[0]))
	e.clock.Advance(time.Minute)
	bad := complete("budi", topics[1])
	bad[rules.FieldWhatsApp] = "12345"
	inc := e.submit(bad)
	e.clock.Advance(time.Minute)
	e.cycle()

	st := newStaff(e)
	rows := e.rows()
	st.set(a1(column(rows, "Jawaban"), rowOf(rows, "KOPI-2026-0001")), "Jawaban dari konsuler untuk Ani.")
	manual := len(dataRows(rows)) + 2
	st.set(a1(1, manual), "Rekap manual")
	before := e.rows()
	sent := len(e.srv.Sent("me"))

	// Budi completes his form: the next cycle rewrites his row.
	if _, err := e.srv.EditResponse(e.formID, inc, e.answers(complete("budi", topics[1]))); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Minute)
	deleted := false
	e.transport.mu.Lock()
	e.transport.before = func(req *http.Request) bool {
		if deleted || req.Method == http.MethodGet || strings.Contains(req.URL.Path, "/v1/forms") {
			return true
		}
		deleted = true
		cur := e.rows()
		st.batch(deleteRow(st.sheetID(), rowOf(cur, "KOPI-2026-0002")))
		return true
	}
	e.transport.mu.Unlock()
	// Either way is Google's; the next cycles must set it right.
	if _, err := e.engine().RunCycle(e.ctx); err != nil {
		t.Logf("the cycle of the deletion: %v", err)
	}
	if !deleted {
		t.Fatal("the cycle made no write: the scenario did not happen")
	}
	e.transport.mu.Lock()
	e.transport.before = nil
	e.transport.mu.Unlock()
	for range 3 {
		e.clock.Advance(time.Minute)
		e.cycle()
	}

	rows = e.rows()
	if r := rowOf(rows, "KOPI-2026-0002"); r >= 0 {
		t.Fatalf("the deleted row came back at row %d: %q", r+1, rows[r])
	}
	r := rowOf(rows, "KOPI-2026-0001")
	b := rowOf(before, "KOPI-2026-0001")
	if r < 0 {
		t.Fatal("KOPI-2026-0001 has no row")
	}
	for _, h := range before[0] {
		if got, want := cell(rows, r, h), cell(before, b, h); got != want && h != "Catatan Sistem" {
			t.Errorf("KOPI-2026-0001 %s = %q, was %q", h, got, want)
		}
	}
	notes := 0
	for i := 1; i < len(rows); i++ {
		if cell(rows, i, "No. Tiket") != "" {
			continue
		}
		joined := strings.Join(rows[i], "")
		switch {
		case joined == "":
		case joined == "Rekap manual" && rows[i][1] == "Rekap manual":
			notes++
		default:
			t.Errorf("row %d has kopi's data but no ticket: %q", i+1, rows[i])
		}
	}
	if notes != 1 {
		t.Errorf("staff's note shows in %d rows, want 1", notes)
	}
	// No email went out twice.
	counts := map[string]int{}
	for _, m := range e.srv.Sent("me")[sent:] {
		counts[m.Subject+" → "+strings.Join(m.To, ",")]++
	}
	for k, n := range counts {
		if n > 1 {
			t.Errorf("%d × %s", n, k)
		}
	}
}
