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
func BenchmarkBusyCycle(b *testing.B) { benchBusyCycle(b, []int{10, 100, 1000}, false) }

// BenchmarkRewriteCycle measures a busy cycle that also rewrites
// existing rows: N new responses and N answers staff wrote in the rows
// (each stamped, and its status recorded, by kopi). The rows are written
// by position inside the commit (google/row_write.go): the calls before
// the first email are those of BenchmarkBusyCycle.
func BenchmarkRewriteCycle(b *testing.B) { benchBusyCycle(b, []int{1, 10, 100}, true) }

// benchBusyCycle runs a cycle taking in n new responses for each n of
// sizes, after n answered cases when rewrite is set, and reports its
// calls.
func benchBusyCycle(b *testing.B, sizes []int, rewrite bool) {
	for _, n := range sizes {
		b.Run(fmt.Sprintf("responses=%d", n), func(b *testing.B) {
			var sheets, forms, gmail, emails, beforeEmail, updated int
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				e := setup(&testing.T{})
				e.cfg.Mail.DailyLimit = 2000 * n
				e.commitBytes = *commitFlag
				topics := e.cfg.TopicNames()
				if rewrite {
					for j := 0; j < n; j++ {
						e.submit(complete(fmt.Sprintf("a%d", j), topics[j%len(topics)]))
					}
					e.cycle()
					for j := 0; j < n; j++ {
						answerRow(e, fmt.Sprintf("KOPI-2026-%04d", j+1), fmt.Sprintf("Jawaban %d.", j), rules.StatusDijawab)
					}
					e.clock.Advance(time.Minute)
				}
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
				sheets, forms, gmail, emails, updated = sheets+s, forms+f, gmail+g, emails+rep.Sent, updated+rep.Updated
				beforeEmail += before()
			}
			b.ReportMetric(float64(beforeEmail)/float64(b.N), "calls-before-email/cycle")
			b.ReportMetric(float64(sheets)/float64(b.N), "sheets-calls/cycle")
			b.ReportMetric(float64(forms)/float64(b.N), "forms-calls/cycle")
			b.ReportMetric(float64(gmail)/float64(emails), "gmail-calls/email")
			b.ReportMetric(float64(emails)/float64(b.N), "emails/cycle")
			if rewrite {
				b.ReportMetric(float64(updated)/float64(b.N), "rows-rewritten/cycle")
			}
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
// existing row (an answer to stamp) keeps TestBusyCycleCallsBeforeEmails'
// budget, ⌈N/5000⌉ + 3 calls before its first email: the row is written
// by position inside the commit, after the row-write journal's copy in
// the same batch, and checked by the commit's read-back
// (google/row_write.go); the journal closes with the deliveries' first
// record, after the first email. Its calls after the first email are
// counted too: the journal's close adds no call of its own.
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
		eng := e.engine()
		e.srv.ResetCalls()
		stop := countBeforeEmail(e)
		rep, err := eng.RunCycle(e.ctx)
		got := stop()
		if err != nil {
			t.Fatal(err)
		}
		if rep.Updated == 0 {
			t.Fatalf("%d responses: the cycle rewrote no row: %+v", n, rep)
		}
		t.Logf("%d responses and a row to rewrite: %d calls before the first email", n, got)
		if limit := (n+4999)/5000 + 3; got > limit {
			t.Errorf("%d responses and a row to rewrite: %d calls before the first email, want at most %d", n, got, limit)
		}
		// Sheets: the read, the commit, the two records of the deliveries'
		// progress (the first, after the drafts, closing the journal) — as a busy cycle
		// that writes no existing row.
		calls := e.srv.Calls()
		if s, _, _ := callsOf(calls); s != 4 {
			t.Errorf("%d responses and a row to rewrite: %d Sheets calls, want 4: %v", n, s, calls)
		}
		if open := stateRecords(e, "jurnal"); len(open) != 1 || open[0]["nilai"] != "tutup" {
			t.Errorf("%d responses: journal records after the cycle: %v, want one closed", n, open)
		}
	}
}
