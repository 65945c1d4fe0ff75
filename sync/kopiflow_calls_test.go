package sync_test

import (
	"sort"
	"strings"
	"testing"
	"time"

	"kopi/rules"
)

// TestKOPICallsPerTransition measures the API calls of each cycle that
// moves one KOPI case on (intake, answer, approval and send, the send's
// record, archive) and of an idle cycle after them, which stays at two.
// Each transition's history rows ride in the cycle's one commit.
func TestKOPICallsPerTransition(t *testing.T) {
	t.Parallel()
	e := setup(t)
	const tk = "KOPI-2026-0001"
	eng := e.engine()
	if _, err := eng.RunCycle(e.ctx); err != nil { // the start's form read
		t.Fatal(err)
	}
	phase := func(name string, act func()) int {
		t.Helper()
		act()
		e.clock.Advance(time.Minute)
		e.srv.ResetCalls()
		if _, err := eng.RunCycle(e.ctx); err != nil {
			t.Fatal(err)
		}
		calls := e.srv.Calls()
		var names []string
		total := 0
		for m, n := range calls {
			names = append(names, m+"="+itoa(n))
			total += n
		}
		sort.Strings(names)
		t.Logf("%-34s %2d calls: %s", name, total, strings.Join(names, " "))
		return total
	}
	phase("intake (start, form, assigned)", func() { e.submit(complete("ani", e.cfg.TopicNames()[0])) })
	phase("answered (Dijawab)", func() { answerRow(e, tk, answerText, rules.StatusDijawab) })
	phase("approved (Disetujui), answer sent", func() { answerRow(e, tk, "", rules.StatusDisetujui) })
	phase("send recorded (Terkirim)", func() {})
	phase("archived (Selesai)", func() { answerRow(e, tk, "", rules.StatusSelesai) })
	if n := phase("idle", func() {}); n > 2 {
		t.Errorf("idle cycle after the case: %d calls, want at most 2", n)
	}
}
