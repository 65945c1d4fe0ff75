package sync_test

import (
	"fmt"
	"testing"
	"time"

	"kopi/rules"
)

// archivedOffice is an office whose n historical cases of 2025 were
// archived by the first evening run (Monday 2 March 2026, 19:00), with
// the morning's first cycle (the digest) done: what a cycle reads from
// then on is what is live. The run's own cost is reported by
// BenchmarkArchiveRun. With -survey-share, a survey form is configured
// and the history's surveys are seeded (and archived with their cases).
func archivedOffice(b *testing.B, n int) *env {
	e := setupWith(&testing.T{}, func(c *rules.Config) { c.Archive.AfterDays = new(30) })
	if *surveyShare > 0 {
		withSurvey(e)
	}
	e.seedHistory(b, n)
	e.clock.Set(time.Date(2026, 3, 2, 19, 0, 0, 0, wib))
	rep, err := e.engine().RunCycle(e.ctx)
	if err != nil {
		b.Fatal(err)
	}
	if rep.Archived != n {
		b.Fatalf("archived %d of %d cases", rep.Archived, n)
	}
	e.clock.Set(time.Date(2026, 3, 3, 8, 0, 0, 0, wib))
	if _, err := e.engine().RunCycle(e.ctx); err != nil {
		b.Fatal(err)
	}
	return e
}

// BenchmarkIdleCycleArchived is BenchmarkIdleCycleHistory after the
// yearly archive took the history out of the live tab and the state tab:
// an idle cycle of a running daemon at 50 ms per call.
func BenchmarkIdleCycleArchived(b *testing.B) {
	for _, n := range historySizes(b, "IdleCycleArchived") {
		b.Run(fmt.Sprintf("cases=%d", n), func(b *testing.B) {
			e := archivedOffice(b, n)
			eng := e.engine()
			if _, err := eng.RunCycle(e.ctx); err != nil {
				b.Fatal(err)
			}
			e.srv.SetLatency(apiLatency)
			e.srv.ResetCalls()
			peak := watchHeap()
			cpu := cpuTime()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				e.clock.Advance(time.Minute)
				if _, err := eng.RunCycle(e.ctx); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			reportRun(b, e, peak.Stop(), b.N)
			b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
		})
	}
}

// BenchmarkIdleOnceArchived is BenchmarkIdleOnceHistory after the
// archive: a fresh daemon connects and runs one idle cycle.
func BenchmarkIdleOnceArchived(b *testing.B) {
	for _, n := range historySizes(b, "IdleOnceArchived") {
		b.Run(fmt.Sprintf("cases=%d", n), func(b *testing.B) {
			e := archivedOffice(b, n)
			e.srv.SetLatency(apiLatency)
			e.srv.ResetCalls()
			peak := watchHeap()
			cpu := cpuTime()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				e.clock.Advance(time.Minute)
				if _, err := e.engine().RunCycle(e.ctx); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			reportRun(b, e, peak.Stop(), b.N)
			b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
		})
	}
}

// BenchmarkArchiveRun measures the first evening run over n historical
// cases, once: the cycle, the archive's read and ⌈n/rules.ArchiveBatch⌉
// moves, at 50 ms per call.
func BenchmarkArchiveRun(b *testing.B) {
	for _, n := range historySizes(b, "ArchiveRun") {
		b.Run(fmt.Sprintf("cases=%d", n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				e := setupWith(&testing.T{}, func(c *rules.Config) { c.Archive.AfterDays = new(30) })
				e.seedHistory(b, n)
				e.clock.Set(time.Date(2026, 3, 2, 19, 0, 0, 0, wib))
				eng := e.engine()
				e.srv.SetLatency(apiLatency)
				e.srv.ResetCalls()
				peak := watchHeap()
				cpu := cpuTime()
				b.StartTimer()
				rep, err := eng.RunCycle(e.ctx)
				b.StopTimer()
				if err != nil {
					b.Fatal(err)
				}
				if rep.Archived != n {
					b.Fatalf("archived %d of %d", rep.Archived, n)
				}
				b.ReportMetric((cpuTime() - cpu).Seconds(), "cpu-s/op")
				reportRun(b, e, peak.Stop(), 1)
			}
		})
	}
}
