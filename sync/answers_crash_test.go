package sync_test

import (
	"testing"
	"time"

	"kopi/rules"
)

// answerScenario: two cases assigned and answered; the admin approves
// both; the approval cycle is the one that crashes.
func answerScenario(t *testing.T) *env {
	e := setup(t)
	e.submit(complete("ani", e.cfg.TopicNames()[0]))
	e.clock.Advance(time.Minute)
	e.submit(complete("budi", e.cfg.TopicNames()[1]))
	e.cycle()
	e.clock.Advance(time.Hour)
	answerRow(e, "KOPI-2026-0001", answerText, rules.StatusDisetujui)
	answerRow(e, "KOPI-2026-0002", "Jawaban kedua.", rules.StatusDisetujui)
	e.clock.Advance(time.Minute)
	return e
}

func checkAnswers(t *testing.T, e *env, label string) {
	t.Helper()
	noSortByKopi(t, e)
	receipts := map[string]string{}
	for _, m := range sentTo(e, "Tanda terima") {
		receipts["Re: "+m.Subject] = m.ThreadID
	}
	count := map[string]int{}
	for _, m := range sentTo(e, "Re: ") {
		count[m.Subject]++
		if receipts[m.Subject] != m.ThreadID {
			t.Errorf("%s: %q not in its receipt's thread", label, m.Subject)
		}
	}
	if len(count) != 2 {
		t.Errorf("%s: answers for %d cases, want 2", label, len(count))
	}
	for s, n := range count {
		if n != 1 {
			t.Errorf("%s: %q sent %d times", label, s, n)
		}
	}
	rows := e.rows()
	for _, tk := range []string{"KOPI-2026-0001", "KOPI-2026-0002"} {
		if got := cell(rows, rowOf(rows, tk), "Status"); got != string(rules.StatusTerkirim) {
			t.Errorf("%s: %s status %q", label, tk, got)
		}
		// Answered and approved in one cycle, then sent: each
		// transition's Riwayat row once.
		if got := e.kopiPath(tk); got != "-→1 1→2 2→3 3→4 4→6 6→5" {
			t.Errorf("%s: %s Riwayat = %s", label, tk, got)
		}
	}
}

// TestAnswerCrashAtEveryCall kills the daemon after each HTTP call of the
// cycle that sends approved answers, and separately loses each call's
// response after the fake applied it; clean cycles follow. Each case gets
// exactly one answer email, in its receipt's thread, and its row ends
// Terkirim. Staff do not sort here and kopi never does (noSortByKopi,
// in checkAnswers), so one of the fake's sort variants covers both.
func TestAnswerCrashAtEveryCall(t *testing.T) {
	t.Parallel()
	testAnswerCrashAtEveryCall(t)
}

func testAnswerCrashAtEveryCall(t *testing.T) {
	// The office before the approval cycle, built once; every run
	// starts from a copy of it, as if set up afresh.
	office := answerScenario(t)
	e := office.fork(t)
	e.transport.arm(0, 0)
	e.cycle()
	calls := e.transport.count()
	e.cycle()
	checkAnswers(t, e, "no crash")
	runs := eachCrashPoint(t, calls, func(t *testing.T, label string, crash func(*env)) {
		e := office.fork(t)
		crash(e)
		e.settle(3, nil)
		checkAnswers(t, e, label)
	})
	t.Logf("answer crash points run: %d (calls in the answer cycle: %d)", runs, calls)
}
