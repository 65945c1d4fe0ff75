package sync_test

import (
	"sort"
	"strings"
	"testing"
	"time"
)

// TestIdleAndTransitionCallsWithSOPs: with KOPI and Bimtek both active
// against one spreadsheet, a cycle with nothing to do still costs two
// API calls (one spreadsheets.get reading every tab, Riwayat by its
// header only, and one forms.responses.list); a transition costs one
// atomic commit, one row write and the email's Gmail calls.
func TestIdleAndTransitionCallsWithSOPs(t *testing.T) {
	t.Parallel()
	s := setupSOPs(t, bimtekPeople, "bimtek")
	s.submit(complete("awal", s.cfg.TopicNames()[0]))
	s.start("Bimtek", "Bimtek Reviu RKA")
	s.decide("Bimtek", "BIMTEK-0001", "Selesai", "")
	eng := s.engine()
	s.clock.Advance(time.Minute)
	if _, err := eng.RunCycle(s.ctx); err != nil {
		t.Fatal(err)
	}
	s.srv.ResetCalls()
	const cycles = 5
	for i := 0; i < cycles; i++ {
		s.clock.Advance(time.Minute)
		if _, err := eng.RunCycle(s.ctx); err != nil {
			t.Fatal(err)
		}
	}
	sh, f, g := callsOf(s.srv.Calls())
	if total := sh + f + g; total != 2*cycles {
		t.Fatalf("idle cycles with KOPI and Bimtek: %d calls in %d cycles (%v), want 2 per cycle", total, cycles, s.srv.Calls())
	}
	// One transition: the secretary's step done.
	rows := s.tab("Bimtek")
	s.setCells("Bimtek", caseRow(rows, "BIMTEK-0001"), map[string]string{"Keputusan": "Selesai"})
	s.clock.Advance(time.Minute)
	s.srv.ResetCalls()
	rep, err := eng.RunCycle(s.ctx)
	if err != nil || rep.SOPTransitions != 1 {
		t.Fatalf("transition: %+v, %v", rep, err)
	}
	calls := s.srv.Calls()
	var names []string
	total := 0
	for m, n := range calls {
		names = append(names, m)
		total += n
	}
	sort.Strings(names)
	var b strings.Builder
	for _, m := range names {
		b.WriteString(m + "=" + itoa(calls[m]) + " ")
	}
	t.Logf("calls of a cycle with one transition: %d (%s)", total, b.String())
	if calls["sheets.spreadsheets.batchUpdate"] != 3 || calls["sheets.spreadsheets.values.batchUpdateByDataFilter"] != 1 ||
		calls["gmail.users.drafts.create"] != 1 || calls["gmail.users.drafts.send"] != 1 {
		t.Errorf("a transition's calls: %v; want the commit and two outbox saves, one row write, one draft created and sent", calls)
	}
}
