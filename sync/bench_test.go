package sync_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"kopi/rules"
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
			var sheets, forms, gmail, emails, beforeEmail int
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				e := setup(&testing.T{})
				e.cfg.Mail.DailyLimit = 2000 * n
				e.commitBytes = *commitFlag
				topics := e.cfg.TopicNames()
				for j := 0; j < n; j++ {
					e.submit(complete(fmt.Sprintf("p%d", j), topics[j%len(topics)]))
				}
				eng := e.engine()
				e.srv.ResetCalls()
				before := countBeforeEmail(e)
				b.StartTimer()
				rep, err := eng.RunCycle(e.ctx)
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				s, f, g := callsOf(e.srv.Calls())
				sheets, forms, gmail, emails = sheets+s, forms+f, gmail+g, emails+rep.Sent
				beforeEmail += before()
			}
			b.ReportMetric(float64(beforeEmail)/float64(b.N), "calls-before-email/cycle")
			b.ReportMetric(float64(sheets)/float64(b.N), "sheets-calls/cycle")
			b.ReportMetric(float64(forms)/float64(b.N), "forms-calls/cycle")
			b.ReportMetric(float64(gmail)/float64(emails), "gmail-calls/email")
			b.ReportMetric(float64(emails)/float64(b.N), "emails/cycle")
		})
	}
}

// countBeforeEmail counts the daemon's calls from now until its first
// Gmail call; the returned function stops counting and says how many.
func countBeforeEmail(e *env) func() int {
	e.transport.arm(0, 0)
	n := -1
	e.transport.before = func(req *http.Request) bool {
		if n < 0 && strings.Contains(req.URL.Path, "/gmail/") {
			n = e.transport.count() - 1
		}
		return true
	}
	return func() int {
		e.transport.before = nil
		if n < 0 {
			return e.transport.count()
		}
		return n
	}
}

// TestBusyCycleCallsBeforeEmails: a cycle taking in N responses makes at
// most ⌈N/5000⌉ + 3 calls before its first email (response pages, the
// read, the commit that reads the layout back) — while its changes fit
// one commit (a larger backlog adds one call per further commit:
// TestBacklogInBoundedCommits).
func TestBusyCycleCallsBeforeEmails(t *testing.T) {
	t.Parallel()
	for _, n := range []int{1, 10, 100} {
		e := setup(t)
		topics := e.cfg.TopicNames()
		for j := 0; j < n; j++ {
			e.submit(complete(fmt.Sprintf("p%d", j), topics[j%len(topics)]))
		}
		eng := e.engine()
		// Only the calls before the first Gmail call are measured: the
		// daemon dies right after it, instead of sending the other n-1
		// receipts (sending is other tests' business).
		e.transport.arm(0, 0)
		first := -1
		e.transport.before = func(req *http.Request) bool {
			if !strings.Contains(req.URL.Path, "/gmail/") {
				return true
			}
			e.transport.mu.Lock()
			first = e.transport.calls - 1
			e.transport.dieAfter = e.transport.calls
			e.transport.mu.Unlock()
			return false
		}
		_, err := eng.RunCycle(e.ctx)
		if first < 0 {
			t.Fatalf("%d responses: the cycle made no Gmail call (error %v)", n, err)
		}
		if limit := (n+4999)/5000 + 3; first > limit {
			t.Errorf("%d responses: %d calls before the first email, want at most %d", n, first, limit)
		}
	}
}

// TestRewriteCycleCallsBeforeEmails: a busy cycle that also rewrites an
// existing row (an answer to stamp) pays, before its first email, the
// row write and the row-write journal's open and close (google/journal.go)
// on top of TestBusyCycleCallsBeforeEmails' budget: at most
// ⌈N/5000⌉ + 6 calls (7 measured for 1 and 100 responses; 5 before the
// journal).
func TestRewriteCycleCallsBeforeEmails(t *testing.T) {
	t.Parallel()
	for _, n := range []int{1, 100} {
		e := setup(t)
		topics := e.cfg.TopicNames()
		e.submit(complete("ani", topics[0]))
		e.cycle()
		answerRow(e, "KOPI-2026-0001", "Jawaban untuk Ani.", rules.StatusDijawab)
		for j := 0; j < n; j++ {
			e.submit(complete(fmt.Sprintf("p%d", j), topics[j%len(topics)]))
		}
		e.clock.Advance(time.Minute)
		stop := countBeforeEmail(e)
		rep := e.cycle()
		got := stop()
		if rep.Updated == 0 {
			t.Fatalf("%d responses: the cycle rewrote no row: %+v", n, rep)
		}
		t.Logf("%d responses and a row to rewrite: %d calls before the first email", n, got)
		if limit := (n+4999)/5000 + 6; got > limit {
			t.Errorf("%d responses and a row to rewrite: %d calls before the first email, want at most %d", n, got, limit)
		}
	}
}
