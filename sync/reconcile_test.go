package sync_test

import (
	"strings"
	"testing"
	"time"

	"kopi/rules"
)

// TestReconciliationFindsMissedEdits: a requester completes an
// incomplete request long after the cursor moved on. Whether the
// filtered listing shows the edit is Google's undocumented choice; with
// either, the edit is processed at the latest by the next
// reconciliation, which lists all responses: the row becomes complete
// and the receipt goes out once.
func TestReconciliationFindsMissedEdits(t *testing.T) {
	t.Parallel()
	underEach(t, formsFilterVariants, func(t *testing.T) {
		e := setup(t)
		s := complete("budi", e.cfg.TopicNames()[0])
		s[rules.FieldWhatsApp] = "12345"
		id := e.submit(s)
		e.cycle()
		e.clock.Advance(2 * time.Hour)
		e.submit(complete("ani", e.cfg.TopicNames()[1]))
		e.cycle() // a later response moves the cursor past Budi's overlap
		e.clock.Advance(time.Hour)
		if _, err := e.srv.EditResponse(e.formID, id, e.answers(complete("budi", e.cfg.TopicNames()[0]))); err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(time.Minute)
		e.cycle()
		byCreate := strings.HasSuffix(t.Name(), "filter-create-time")
		if got := sentWith(e, "Tanda terima") - 1; (got == 1) == byCreate {
			t.Fatalf("receipts before reconciliation = %d (filter by create time: %v)", got, byCreate)
		}
		e.clock.Advance(time.Minute)
		eng := e.engine()
		eng.Reconcile()
		e.srv.ResetCalls()
		if _, err := eng.RunCycle(e.ctx); err != nil {
			t.Fatal(err)
		}
		if n := e.srv.Calls()["forms.forms.responses.list"]; n != 1 {
			t.Errorf("reconciliation listed responses in %d calls, want 1", n)
		}
		e.clock.Advance(time.Minute)
		e.cycle()
		if got := sentWith(e, "Tanda terima"); got != 2 {
			t.Fatalf("receipts after reconciliation = %d, want 2 (Ani's and Budi's)", got)
		}
		rows := e.rows()
		if c := cell(rows, rowOf(rows, "KOPI-2026-0001"), "Status"); c != string(rules.StatusDitugaskan) {
			t.Errorf("status = %q", c)
		}
	})
}
