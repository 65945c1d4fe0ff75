package sync_test

import (
	"fmt"
	"testing"
	"time"
)

// callsOf sums the fake's call counts by API.
func callsOf(calls map[string]int) (sheets, forms, gmail int) {
	for m, n := range calls {
		switch {
		case len(m) > 6 && m[:6] == "sheets":
			sheets += n
		case len(m) > 5 && m[:5] == "forms":
			forms += n
		case len(m) > 5 && m[:5] == "gmail":
			gmail += n
		}
	}
	return
}

// BenchmarkIdleCycle measures a cycle with nothing to do: the SPEC's
// budget is at most two API calls.
func BenchmarkIdleCycle(b *testing.B) { benchIdleCycle(b, nil) }

// benchIdleCycle runs idle cycles on an office that took one response,
// after prepare (nil: none) adjusted its setup, and reports the API
// calls per cycle.
func benchIdleCycle(b *testing.B, prepare func(*env)) {
	e := setup(&testing.T{})
	if prepare != nil {
		prepare(e)
	}
	e.submit(complete("awal", e.cfg.TopicNames()[0]))
	eng := e.engine()
	if _, err := eng.RunCycle(e.ctx); err != nil {
		b.Fatal(err)
	}
	e.srv.ResetCalls()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		e.clock.Advance(time.Minute)
		if _, err := eng.RunCycle(e.ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	s, f, g := callsOf(e.srv.Calls())
	b.ReportMetric(float64(s+f+g)/float64(b.N), "calls/cycle")
}

// BenchmarkBusyCycle measures a cycle that takes in N new responses:
// Sheets and Forms calls must not grow with N (apart from response
// pages); Gmail makes two calls per email (create the draft, send it).
func BenchmarkBusyCycle(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		b.Run(fmt.Sprintf("responses=%d", n), func(b *testing.B) {
			var sheets, forms, gmail, emails int
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				e := setup(&testing.T{})
				e.cfg.Mail.DailyLimit = 2000 * n
				topics := e.cfg.TopicNames()
				for j := 0; j < n; j++ {
					e.submit(complete(fmt.Sprintf("p%d", j), topics[j%len(topics)]))
				}
				eng := e.engine()
				e.srv.ResetCalls()
				b.StartTimer()
				rep, err := eng.RunCycle(e.ctx)
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				s, f, g := callsOf(e.srv.Calls())
				sheets, forms, gmail, emails = sheets+s, forms+f, gmail+g, emails+rep.Sent
			}
			b.ReportMetric(float64(sheets)/float64(b.N), "sheets-calls/cycle")
			b.ReportMetric(float64(forms)/float64(b.N), "forms-calls/cycle")
			b.ReportMetric(float64(gmail)/float64(emails), "gmail-calls/email")
			b.ReportMetric(float64(emails)/float64(b.N), "emails/cycle")
		})
	}
}
