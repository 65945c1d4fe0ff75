package sync_test

import (
	"testing"
	"time"
)

// TestReportBusy: a cycle is busy when it took a response in or sent an
// email (the digest, a receipt), and not when it found nothing to do —
// also when the listing hands the last response out again (the fake's
// filter variants) — so the form cache's daily re-read, which waits for
// a busy cycle (google.FormCacheMaxAge), never lands in an idle one.
func TestReportBusy(t *testing.T) {
	t.Parallel()
	underEach(t, formsFilterVariants, func(t *testing.T) { reportBusy(t) })
}

func reportBusy(t *testing.T) {
	e := setup(t)
	steps := []struct {
		name   string
		submit bool
		busy   bool
	}{
		{"opening: the digest", false, true},
		{"nothing new", false, false},
		{"a response", true, true},
		{"nothing new after it", false, false},
		{"still nothing", false, false},
	}
	for _, s := range steps {
		if s.submit {
			e.submit(complete("ani", e.cfg.TopicNames()[0]))
		}
		rep := e.cycle()
		if rep.Busy() != s.busy {
			t.Errorf("%s: Busy() = %v, want %v: %+v", s.name, rep.Busy(), s.busy, rep)
		}
		e.clock.Advance(time.Minute)
	}
}
