package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"kopi/rules"
	ksync "kopi/sync"
)

var wib = func() *time.Location {
	l, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		panic(err)
	}
	return l
}()

// testClock is a simulated clock: Sleep moves time forward at once, so a
// week passes in milliseconds. When time reaches end, stop is called (the
// test's "signal") and Sleep reports cancellation. A frozen clock's Sleep
// instead blocks until its context is done: time moves only by Set.
type testClock struct {
	mu     sync.Mutex
	t      time.Time
	end    time.Time
	stop   func()
	frozen bool
	// reached, when set and stop is nil, is closed once time reaches
	// end; the clock then stands still (Sleep blocks) until cancelled.
	reached chan struct{}
	once    sync.Once
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func (c *testClock) Sleep(ctx context.Context, d time.Duration) error {
	if c.frozen {
		<-ctx.Done()
		return ctx.Err()
	}
	c.mu.Lock()
	if !c.end.IsZero() && !c.t.Before(c.end) {
		d = 0 // standing still at the end
	}
	c.t = c.t.Add(d)
	ended := !c.end.IsZero() && !c.t.Before(c.end)
	c.mu.Unlock()
	switch {
	case ended && c.stop != nil:
		c.stop()
		return context.Canceled
	case ended && c.reached != nil:
		c.once.Do(func() { close(c.reached) })
		<-ctx.Done()
	}
	return ctx.Err()
}

// officeCalendar is the default office of 2026: Ramadan hours until 20
// March, the national holiday table.
func officeCalendar(t *testing.T) (*rules.Config, *rules.Calendar) {
	t.Helper()
	cfg := rules.DefaultConfig()
	cfg.Intake.FormID = "1FAIpQLSdemoFormId0123456789"
	cfg.Tracker.SpreadsheetID = "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms"
	cfg.Mail.Sender = rules.Address{Address: "kopi@example.go.id"}
	cfg.Mail.Admins = []string{"admin@example.go.id"}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	cal, err := cfg.Calendar()
	if err != nil {
		t.Fatal(err)
	}
	return cfg, cal
}

// record is what a scheduler run did, by simulated time.
type record struct {
	mu                      sync.Mutex
	cycles, digests, report []time.Time
}

func (r *record) add(list *[]time.Time, t time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	*list = append(*list, t)
}

// simScheduler is a scheduler of the default office on a simulated clock
// from start to end, with jobs that only record when they ran.
func simScheduler(t *testing.T, clk *testClock, cycle func(ctx context.Context) (*ksync.Report, error)) (*scheduler, *record, *bytes.Buffer) {
	t.Helper()
	cfg, cal := officeCalendar(t)
	rec := &record{}
	reports, err := reportSchedule(cfg.Schedule.ReportAt, cfg.Location())
	if err != nil {
		t.Fatal(err)
	}
	logs := &bytes.Buffer{}
	jb := jobs{
		cycle: func(ctx context.Context) (*ksync.Report, error) {
			rec.add(&rec.cycles, clk.Now())
			if cycle != nil {
				return cycle(ctx)
			}
			return &ksync.Report{}, nil
		},
		digest: func(_ context.Context, now time.Time) { rec.add(&rec.digests, now) },
		report: func(_ context.Context, now time.Time) error { rec.add(&rec.report, now); return nil },
	}
	s := &scheduler{
		clock:   clk,
		cycles:  cycleSchedule{cal: cal, office: cfg.Schedule.CycleOffice, outside: cfg.Schedule.CycleOutside},
		digests: openingSchedule{cal: cal}, reports: reports, jobs: jb,
		health:  &health{now: clk.Now, failAfter: 3, staleAfter: 45 * time.Minute, started: clk.Now()},
		metrics: newMetrics(), log: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		grace: time.Second, backoffBase: time.Minute, backoffMax: 15 * time.Minute,
	}
	return s, rec, logs
}

// runSim runs the scheduler until the clock reaches end.
func runSim(t *testing.T, s *scheduler, clk *testClock) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clk.stop = cancel
	if err := s.run(ctx); err != nil {
		t.Fatalf("scheduler: %v", err)
	}
}

// perHour counts the times on a date by hour of the day.
func perHour(ts []time.Time, y int, m time.Month, d int) [24]int {
	var out [24]int
	for _, t := range ts {
		t = t.In(wib)
		if t.Year() == y && t.Month() == m && t.Day() == d {
			out[t.Hour()]++
		}
	}
	return out
}

func TestSchedulerSimulatedWeeks(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, wib) // Monday, Ramadan
	end := time.Date(2026, 3, 26, 0, 0, 0, 0, wib)
	clk := &testClock{t: start.Add(-time.Second), end: end}
	s, rec, _ := simScheduler(t, clk, nil)
	began := time.Now()
	runSim(t, s, clk)
	t.Logf("%d cycles, %d digests, %d reports simulated in %v", len(rec.cycles), len(rec.digests), len(rec.report), time.Since(began))

	// Monday 2 March 2026, Ramadan hours 08:00–15:00, break 12:00–12:30:
	// every minute while open, every 15 minutes otherwise (the break's
	// 12:00 and 12:15 included, 12:30 reopens).
	var monday [24]int
	for h := range monday {
		switch {
		case h >= 8 && h < 15 && h != 12:
			monday[h] = 60
		case h == 12:
			monday[h] = 2 + 30
		default:
			monday[h] = 4
		}
	}
	if got := perHour(rec.cycles, 2026, 3, 2); got != monday {
		t.Errorf("Monday 2 March cycles per hour:\n got %v\nwant %v", got, monday)
	}
	// Friday 6 March: 08:00–15:30, break 11:30–12:30.
	friday := [24]int{4, 4, 4, 4, 4, 4, 4, 4, 60, 60, 60, 30 + 2, 2 + 30, 60, 60, 30 + 2, 4, 4, 4, 4, 4, 4, 4, 4}
	if got := perHour(rec.cycles, 2026, 3, 6); got != friday {
		t.Errorf("Friday 6 March cycles per hour:\n got %v\nwant %v", got, friday)
	}
	// Saturday 7 March and the Nyepi holiday Thursday 19 March: closed.
	closed := [24]int{}
	for h := range closed {
		closed[h] = 4
	}
	for _, d := range []int{7, 19, 23} {
		if got := perHour(rec.cycles, 2026, 3, d); got != closed {
			t.Errorf("%d March (closed) cycles per hour: %v", d, got)
		}
	}
	// Wednesday 25 March: normal hours again, 07:30–16:00, break 12–13.
	wed := [24]int{4, 4, 4, 4, 4, 4, 4, 2 + 30, 60, 60, 60, 60, 4, 60, 60, 60, 4, 4, 4, 4, 4, 4, 4, 4}
	if got := perHour(rec.cycles, 2026, 3, 25); got != wed {
		t.Errorf("Wednesday 25 March cycles per hour:\n got %v\nwant %v", got, wed)
	}

	// The digest: once per working day at opening, and a cycle at that
	// very moment; none on weekends nor on the 18–24 March holidays.
	var want []string
	for d := 2; d <= 25; d++ {
		day := time.Date(2026, 3, d, 12, 0, 0, 0, wib)
		if day.Weekday() == time.Saturday || day.Weekday() == time.Sunday || (d >= 18 && d <= 24) {
			continue
		}
		at := "08:00"
		if d > 20 {
			at = "07:30"
		}
		want = append(want, fmt.Sprintf("%02d %s", d, at))
	}
	var got []string
	cycleAt := map[time.Time]int{}
	for _, c := range rec.cycles {
		cycleAt[c]++
	}
	for _, d := range rec.digests {
		got = append(got, d.In(wib).Format("02 15:04"))
		if cycleAt[d] != 1 {
			t.Errorf("digest at %v: %d cycles at that moment, want 1", d, cycleAt[d])
		}
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("digests:\n got %v\nwant %v", got, want)
	}

	// The report: every night at 02:00, 24 nights.
	if len(rec.report) != 24 {
		t.Errorf("%d report runs, want 24", len(rec.report))
	}
	for _, r := range rec.report {
		if r.In(wib).Format("15:04") != "02:00" {
			t.Errorf("report ran at %v", r.In(wib))
		}
	}
	// No two cycles at the same moment.
	for at, n := range cycleAt {
		if n > 1 {
			t.Errorf("%d cycles at %v", n, at)
		}
	}
}

func TestSchedulerBacksOffAfterFailuresAndRecovers(t *testing.T) {
	start := time.Date(2026, 3, 3, 9, 0, 0, 0, wib) // Tuesday, open
	clk := &testClock{t: start.Add(-time.Second), end: start.Add(time.Hour)}
	calls := 0
	s, rec, logs := simScheduler(t, clk, func(context.Context) (*ksync.Report, error) {
		calls++
		if clk.Now().Before(start.Add(40 * time.Minute)) {
			return nil, errors.New("read tracker: googleapi: Error 503: backend error")
		}
		return &ksync.Report{}, nil
	})
	runSim(t, s, clk)
	var ran []string
	for _, c := range rec.cycles {
		if c.Before(start.Add(46 * time.Minute)) {
			ran = append(ran, c.In(wib).Format("15:04"))
		}
	}
	// 1, 2, 4, 8 then 15 minutes between failures; the first cycle
	// after 09:40 succeeds, then every minute again.
	want := "09:00,09:01,09:03,09:07,09:15,09:30,09:45"
	if strings.Join(ran, ",") != want {
		t.Errorf("cycles ran at %v, want %s", ran, want)
	}
	if n := strings.Count(logs.String(), "level=ERROR"); n != 1 {
		t.Errorf("the same failure was logged %d times at ERROR, want once:\n%s", n, logs)
	}
	if !strings.Contains(logs.String(), "siklus pulih") {
		t.Error("recovery not logged")
	}
	if v := s.health.view(); !v.Healthy || v.ConsecutiveFailures != 0 {
		t.Errorf("health after recovery: %+v", v)
	}
	var b strings.Builder
	s.metrics.write(&b, s.health.view())
	for _, want := range []string{`kopi_cycles_total{result="gagal"} 6`, `kopi_cycles_total{result="dilewati"} 39`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("metrics lack %s:\n%s", want, b.String())
		}
	}
}

func TestHealthTurnsUnhealthy(t *testing.T) {
	now := time.Date(2026, 3, 3, 9, 0, 0, 0, wib)
	clk := &testClock{t: now}
	h := &health{now: clk.Now, failAfter: 3, staleAfter: 45 * time.Minute, started: now}
	if v := h.view(); !v.Healthy || v.Status != "memulai" {
		t.Errorf("at start: %+v", v)
	}
	h.succeeded(now, time.Second, &ksync.Report{})
	for i := 1; i <= 3; i++ {
		h.failed(now, errors.New("boom"))
		if v := h.view(); v.Healthy != (i < 3) {
			t.Errorf("after %d failures healthy=%v", i, v.Healthy)
		}
	}
	h.succeeded(now, time.Second, &ksync.Report{})
	clk.Set(now.Add(46 * time.Minute))
	if v := h.view(); v.Healthy {
		t.Errorf("no success for 46 minutes but healthy: %+v", v)
	}
}
