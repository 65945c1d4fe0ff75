package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"kopi/google"
	"kopi/google/fake"
	"kopi/rules"
	ksync "kopi/sync"
)

// simOffice is an office whose fake Workspace runs on the test clock:
// initialised (spreadsheet and form created), health listener on a free
// loopback port.
func simOffice(t *testing.T, clk *testClock) *office {
	t.Helper()
	srv, err := fake.New(fake.Options{Account: "kopi@inspektorat.example.go.id", Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	tmpl, err := os.ReadFile(filepath.Join("testdata", "kopi-init.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	text := bytes.ReplaceAll(tmpl, []byte("ENDPOINT"), []byte(srv.URL()))
	text = append(text, "\nhttp:\n  listen: \"127.0.0.1:0\"\n"...)
	path := filepath.Join(t.TempDir(), "kopi.yaml")
	if err := os.WriteFile(path, text, 0o640); err != nil {
		t.Fatal(err)
	}
	o := &office{srv: srv, config: path}
	if r := kopi(t, "init", "--config", o.config, "--create-intake-form"); r.err != nil {
		t.Fatalf("init: %v\n%s", r.err, r.stderr)
	}
	return o
}

// The seeded requester of the daemon tests: none of it may appear on the
// health endpoints or in the logs.
var seeded = map[string]string{
	rules.DefaultQuestionTitles.Nama:       "Sri Wahyuni Rahmawati",
	rules.DefaultQuestionTitles.Instansi:   "Pemerintah Desa Sukamaju",
	rules.DefaultQuestionTitles.Email:      "sri.wahyuni@desa-sukamaju.example.id",
	rules.DefaultQuestionTitles.WhatsApp:   "0812-3456-7890",
	rules.DefaultQuestionTitles.Topik:      rules.TopicAudit,
	rules.DefaultQuestionTitles.Pertanyaan: "Dokumen apa yang diminta saat audit ketaatan dana desa?",
}

func scanPII(t *testing.T, where, body string) {
	t.Helper()
	for _, v := range []string{"Sri Wahyuni", "sri.wahyuni", "Sukamaju", "0812", "3456-7890", "audit ketaatan"} {
		if strings.Contains(body, v) {
			t.Errorf("%s shows personal data %q", where, v)
		}
	}
}

// syncBuffer is a log sink safe for the daemon's goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// daemonRun is a `kopi run` started in the background.
type daemonRun struct {
	addr   chan string
	done   chan error
	cancel context.CancelFunc
	logs   *syncBuffer
}

func startDaemon(t *testing.T, o *office, clk Clock, host string, wrap func(jobs) jobs) *daemonRun {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	d := &daemonRun{addr: make(chan string, 1), done: make(chan error, 1), cancel: cancel, logs: &syncBuffer{}}
	env := &environment{stdout: io.Discard, stderr: d.logs}
	go func() {
		d.done <- daemon(ctx, env, runOptions{
			configPath: o.config, clock: clk, host: host, runAtStart: true, wrap: wrap,
			grace: 2 * time.Second, started: func(a string) { d.addr <- a },
		})
	}()
	t.Cleanup(func() { cancel(); <-d.done })
	return d
}

// started waits for the daemon to hold the spreadsheet, or its error.
func (d *daemonRun) started(t *testing.T) (string, error) {
	t.Helper()
	select {
	case a := <-d.addr:
		return a, nil
	case err := <-d.done:
		d.done <- err
		return "", err
	case <-time.After(20 * time.Second):
		t.Fatal("daemon did not start")
		return "", nil
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// Half an office hour of `kopi run` on the simulated clock: one response in,
// then idle. Measures the API calls of each cycle (the SPEC's budget: an
// idle cycle costs at most two) and of the heartbeat, and checks what the
// health endpoints serve.
func TestRunOfficeHourHealthMetricsAndIdleCalls(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, wib) // Monday, Ramadan hours
	clk := &testClock{t: start, end: start.Add(30 * time.Minute), reached: make(chan struct{})}
	o := simOffice(t, clk)
	o.submit(t, seeded)
	o.srv.ResetCalls()

	var mu sync.Mutex
	var perCycle []int
	inCycles := 0
	wrap := func(j jobs) jobs {
		inner := j.cycle
		j.cycle = func(ctx context.Context) (*ksync.Report, error) {
			before := o.srv.TotalCalls()
			rep, err := inner(ctx)
			n := o.srv.TotalCalls() - before
			mu.Lock()
			perCycle = append(perCycle, n)
			inCycles += n
			mu.Unlock()
			return rep, err
		}
		return j
	}
	d := startDaemon(t, o, clk, "server-kantor", wrap)
	addr, err := d.started(t)
	if err != nil {
		t.Fatalf("kopi run: %v\n%s", err, d.logs)
	}
	<-clk.reached

	mu.Lock()
	total := o.srv.TotalCalls()
	idle := perCycle[1:]
	maxIdle := 0
	for _, n := range idle {
		maxIdle = max(maxIdle, n)
	}
	outside := total - inCycles
	t.Logf("%d cycles in the half hour; first (busy) cycle %d calls; idle cycles at most %d calls; %d calls outside cycles (start-up: forms.get + claim 4; heartbeats); %d calls in all: %v",
		len(perCycle), perCycle[0], maxIdle, outside, total, o.srv.Calls())
	mu.Unlock()
	if len(perCycle) != 30 { // 09:00 (start) … 09:29; the clock stops at 09:30
		t.Errorf("%d cycles in the half hour, want 30", len(perCycle))
	}
	if maxIdle > 2 {
		t.Errorf("an idle cycle made %d API calls with the heartbeat enabled, budget 2", maxIdle)
	}
	// Start-up: forms.get, lock read + claim + read back + anchoring the
	// claim; then one beat per 5 minutes: 5 before the clock stops at 09:30.
	if want := 1 + 4 + 5; outside != want {
		t.Errorf("%d calls outside cycles, want %d (start-up 5 + 5 beats, 09:05 … 09:25)", outside, want)
	}

	base := "http://" + addr
	code, body := get(t, base+"/healthz")
	if code != 200 {
		t.Errorf("/healthz = %d: %s", code, body)
	}
	var hv map[string]any
	if err := json.Unmarshal([]byte(body), &hv); err != nil {
		t.Fatalf("/healthz is not JSON: %v\n%s", err, body)
	}
	if hv["status"] != "sehat" || hv["gagal_beruntun"] != float64(0) || !strings.HasPrefix(hv["siklus_berhasil_terakhir"].(string), "2026-03-02 09:29:00") {
		t.Errorf("/healthz: %s", body)
	}
	scanPII(t, "/healthz", body)

	code, body = get(t, base+"/metrics")
	if code != 200 {
		t.Errorf("/metrics = %d", code)
	}
	mfs := parseMetrics(t, body)
	wantSample(t, mfs, 30, "kopi_cycles_total", "result", "berhasil")
	wantSample(t, mfs, 30, "kopi_cycle_duration_seconds")
	wantSample(t, mfs, 30, "kopi_api_calls_total", "method", "forms.forms.responses.list", "code", "200")
	wantSample(t, mfs, 1, "kopi_responses_ingested_total")
	wantSample(t, mfs, 0, "kopi_overdue_cases")
	wantSample(t, mfs, 5, "kopi_heartbeats_total", "result", "berhasil")
	wantSample(t, mfs, 1, "kopi_healthy")
	if _, ok := sample(mfs, "kopi_emails_total", "result", "terkirim"); !ok {
		t.Error("no kopi_emails_total{result=terkirim}")
	}
	if mfs["kopi_cycle_duration_seconds"].GetType() != dto.MetricType_HISTOGRAM {
		t.Errorf("kopi_cycle_duration_seconds is a %v", mfs["kopi_cycle_duration_seconds"].GetType())
	}
	scanPII(t, "/metrics", body)

	code, body = get(t, base+"/")
	if code != 200 || !strings.Contains(body, "Status kopi") || !strings.Contains(body, "Sehat") || !strings.Contains(body, "server-kantor") {
		t.Errorf("status page = %d:\n%s", code, body)
	}
	scanPII(t, "status page", body)
	scanPII(t, "the logs", d.logs.String())
	if !strings.Contains(d.logs.String(), "KOPI-2026-0001") {
		t.Errorf("the log does not name the new case's ticket:\n%s", d.logs)
	}

	d.cancel()
	if err := <-d.done; err != nil {
		t.Errorf("kopi run stopped with %v", err)
	}
	d.done <- nil
}

// Two daemons on one spreadsheet: the second refuses while the first
// beats, naming its host and last beat; once the first goes silent for
// three beat intervals, a new daemon takes over.
func TestRunSecondInstanceRefusesThenTakesOverAfterStaleHeartbeat(t *testing.T) {
	start := time.Date(2026, 3, 3, 10, 0, 0, 0, wib)
	clk := &testClock{t: start, frozen: true}
	o := simOffice(t, clk)

	// The first daemon runs on a clock of its own that stands still
	// from 10:00: it hangs and never beats again, whatever time the
	// others see.
	hung := &testClock{t: start, frozen: true}
	a := startDaemon(t, o, hung, "server-kantor", nil)
	if _, err := a.started(t); err != nil {
		t.Fatalf("first daemon: %v", err)
	}
	b := startDaemon(t, o, clk, "laptop-operator", nil)
	_, err := b.started(t)
	var held *ksync.HeldError
	if !errors.As(err, &held) {
		t.Fatalf("second daemon: got %v, want a refusal", err)
	}
	for _, want := range []string{"kopi tidak dijalankan", `"server-kantor"`, "detak terakhir 2026-03-03 10:00:00 WIB"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("refusal %q lacks %q", err, want)
		}
	}

	// 15 minutes after its last beat a new daemon takes over.
	clk.Set(start.Add(14 * time.Minute))
	if _, err := startDaemon(t, o, clk, "laptop-operator", nil).started(t); !errors.As(err, &held) {
		t.Fatalf("takeover before the heartbeat is stale: %v", err)
	}
	clk.Set(start.Add(15 * time.Minute))
	c := startDaemon(t, o, clk, "server-baru", nil)
	if _, err := c.started(t); err != nil {
		t.Fatalf("takeover after a stale heartbeat: %v", err)
	}
}

// kopi once refuses while a daemon beats on the same spreadsheet.
func TestOnceRefusesWhileADaemonIsAlive(t *testing.T) {
	o := newOffice(t)
	if r := kopi(t, "init", "--config", o.config, "--create-intake-form"); r.err != nil {
		t.Fatal(r.err)
	}
	oc, err := loadConfig(o.config)
	if err != nil {
		t.Fatal(err)
	}
	ws, err := google.Connect(context.Background(), oc.cfg, google.Options{Endpoint: o.srv.URL()}, nil, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	lock := ksync.NewLock(ksync.LockOptions{Store: google.NewHeartbeats(ws.Sheets), Host: "server-kantor"})
	if err := lock.Acquire(context.Background()); err != nil {
		t.Fatal(err)
	}
	r := kopi(t, "once", "--config", o.config)
	if r.err == nil || !strings.Contains(r.err.Error(), `"server-kantor"`) {
		t.Fatalf("once while a daemon is alive: %v", r.err)
	}
	if err := lock.Release(context.Background()); err != nil {
		t.Fatal(err)
	}
	if r := kopi(t, "once", "--config", o.config); r.err != nil {
		t.Fatalf("once after the daemon stopped: %v", r.err)
	}
}

// every is a fixed-interval schedule below cron's one-second floor, for
// tests on the real clock.
type every time.Duration

func (e every) Next(t time.Time) time.Time { return t.Add(time.Duration(e)) }

// realScheduler is a scheduler with the office's real engine on the real
// clock, a cycle every 10ms; it reports the most cycles seen running at
// once and how many ran.
func realScheduler(t *testing.T, o *office, grace time.Duration) (*scheduler, *int32, *int32) {
	t.Helper()
	oc, err := loadConfig(o.config)
	if err != nil {
		t.Fatal(err)
	}
	met := newMetrics()
	eng, _, err := newEngine(context.Background(), wiring{
		cfg: oc.cfg, cal: oc.cal, google: google.Options{Endpoint: o.srv.URL()},
		retrier: &google.Retrier{OnAttempt: met.onAttempt}, now: time.Now,
		logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	var running, maxRunning, ran int32
	jb := daemonJobs(eng, nil, met, slog.New(slog.DiscardHandler), oc.cfg)
	inner := jb.cycle
	jb.cycle = func(ctx context.Context) (*ksync.Report, error) {
		n := atomic.AddInt32(&running, 1)
		for {
			m := atomic.LoadInt32(&maxRunning)
			if n <= m || atomic.CompareAndSwapInt32(&maxRunning, m, n) {
				break
			}
		}
		defer atomic.AddInt32(&running, -1)
		atomic.AddInt32(&ran, 1)
		return inner(ctx)
	}
	clk := google.SystemClock{}
	s := &scheduler{
		clock: clk, cycles: every(10 * time.Millisecond), jobs: jb,
		health:  &health{now: clk.Now, failAfter: 3, staleAfter: time.Hour, started: clk.Now()},
		metrics: met, log: slog.New(slog.DiscardHandler), grace: grace, runAtStart: true,
		backoffBase: 10 * time.Millisecond, backoffMax: 50 * time.Millisecond,
	}
	return s, &maxRunning, &ran
}

// A slow Workspace (every call takes 60ms, so a cycle takes well over
// its 10ms interval): cycles never overlap, the overrun ticks are
// skipped rather than queued.
func TestRunCyclesNeverOverlapUnderASlowWorkspace(t *testing.T) {
	o := newOffice(t)
	if r := kopi(t, "init", "--config", o.config, "--create-intake-form"); r.err != nil {
		t.Fatal(r.err)
	}
	s, maxRunning, ran := realScheduler(t, o, time.Second)
	if err := o.srv.AddFault(fake.Fault{Method: "*", DelayMs: 60, Times: -1}); err != nil {
		t.Fatal(err)
	}
	// Run until three cycles have completed, however slow the machine.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		deadline := time.Now().Add(time.Minute)
		for atomic.LoadInt32(ran) < 4 && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
	}()
	began := time.Now()
	if err := s.run(ctx); err != nil {
		t.Fatal(err)
	}
	took := time.Since(began)
	if m := atomic.LoadInt32(maxRunning); m != 1 {
		t.Errorf("%d cycles ran at once", m)
	}
	// Each cycle makes at least 2 calls of 60ms: at most one per 120ms,
	// although the schedule asks for one every 10ms.
	n := atomic.LoadInt32(ran)
	if limit := int32(took/(120*time.Millisecond)) + 1; n < 3 || n > limit {
		t.Errorf("%d cycles in %v, want between 3 and %d", n, took, limit)
	}
	t.Logf("%d cycles in %v with 60ms per call; at most 1 at a time", n, took)
}

// Stopping: a cycle that can finish within the grace period finishes; one
// that cannot is cancelled at the bound, and run returns promptly.
func TestRunGracefulShutdownWithinBound(t *testing.T) {
	tests := []struct {
		name     string
		delayMs  int
		grace    time.Duration
		wantOK   bool
		maxTotal time.Duration
	}{
		{"cycle finishes within the grace period", 100, 20 * time.Second, true, 15 * time.Second},
		{"cycle cancelled at the bound", 5000, 300 * time.Millisecond, false, 1500 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := newOffice(t)
			if r := kopi(t, "init", "--config", o.config, "--create-intake-form"); r.err != nil {
				t.Fatal(r.err)
			}
			s, _, _ := realScheduler(t, o, tt.grace)
			if err := o.srv.AddFault(fake.Fault{Method: "*", DelayMs: tt.delayMs, Times: -1}); err != nil {
				t.Fatal(err)
			}
			o.srv.ResetCalls()
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- s.run(ctx) }()
			// Stop while the first cycle is in its first call.
			for o.srv.TotalCalls() == 0 {
				time.Sleep(time.Millisecond)
			}
			stopped := time.Now()
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Fatal(err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("scheduler did not stop")
			}
			if took := time.Since(stopped); took > tt.maxTotal {
				t.Errorf("stopping took %v, bound %v", took, tt.maxTotal)
			}
			var b strings.Builder
			s.metrics.write(&b, s.health.view())
			ok := strings.Contains(b.String(), `kopi_cycles_total{result="berhasil"} 1`)
			failed := strings.Contains(b.String(), `kopi_cycles_total{result="gagal"} 1`)
			if ok != tt.wantOK || failed == tt.wantOK {
				t.Errorf("cycle outcome: finished=%v cancelled=%v, want finished=%v", ok, failed, tt.wantOK)
			}
		})
	}
}
