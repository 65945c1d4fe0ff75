package sync_test

import (
	"testing"
	"time"

	"kopi/rules"
)

// surveyScenario: one case, then three surveys — one before the answer,
// a second one for the same ticket and one naming no case.
type surveyScenario struct {
	e    *env
	want map[string]rules.SurveyFlag
}

func newSurveyScenario(t *testing.T) *surveyScenario {
	e := setup(t)
	withSurvey(e)
	e.submit(complete("ani", e.cfg.TopicNames()[0]))
	e.cycle()
	e.clock.Advance(time.Minute)
	s := &surveyScenario{e: e, want: map[string]rules.SurveyFlag{}}
	s.want[rate(e, "KOPI-2026-0001", 4, "Terima kasih")] = rules.SurveyBeforeAnswer
	e.clock.Advance(time.Minute)
	s.want[rate(e, "KOPI-2026-0001", 3, "")] = rules.SurveyDuplicate
	e.clock.Advance(time.Minute)
	s.want[rate(e, "KOPI-2026-0042", 2, "")] = rules.SurveyUnknownTicket
	e.clock.Advance(time.Minute)
	return s
}

// fork is the scenario on a copy of its office, for test t; the
// expected flags are shared and only read.
func (s *surveyScenario) fork(t *testing.T) *surveyScenario {
	return &surveyScenario{e: s.e.fork(t), want: s.want}
}

// check: every survey response has exactly one row, with its flag.
func (s *surveyScenario) check(t *testing.T, label string) {
	t.Helper()
	rows := surveyRows(s.e) // fails on a response with two rows
	if len(rows) != len(s.want) {
		t.Fatalf("%s: %d survey rows, want %d", label, len(rows), len(s.want))
	}
	for id, flag := range s.want {
		if rows[id] == nil {
			t.Fatalf("%s: survey %s lost", label, id)
		}
		if got := rows[id]["Catatan"]; got != string(flag) {
			t.Errorf("%s: survey %s flag %q, want %q", label, id, got, flag)
		}
	}
}

// TestSurveyCrashAtEveryCall kills the daemon after each HTTP call of
// the cycle that takes the surveys in, and separately lets each call be
// applied but lose its response; clean cycles then finish: no survey is
// lost and none is written twice.
func TestSurveyCrashAtEveryCall(t *testing.T) {
	t.Parallel()
	// The office before the survey cycle, built once; every run starts
	// from a copy of it, as if set up afresh.
	office := newSurveyScenario(t)
	probe := office.fork(t)
	probe.e.transport.arm(0, 0)
	probe.e.cycle()
	calls := probe.e.transport.count()
	probe.check(t, "no crash")
	runs := eachCrashPoint(t, calls, func(t *testing.T, label string, crash func(*env)) {
		s := office.fork(t)
		e := s.e
		crash(e)
		e.clock.Advance(time.Minute)
		e.cycle()
		e.clock.Advance(time.Minute)
		e.cycle()
		s.check(t, label)
	})
	t.Logf("survey crash points run: %d (calls per cycle: %d)", runs, calls)
}
