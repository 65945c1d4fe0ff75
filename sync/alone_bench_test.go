package sync_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"kopi/google"
	"kopi/google/fake"
	"kopi/rules"
	"kopi/sync"
)

// The benchmarks in this file measure kopi alone: the fake Workspace
// stays in the benchmark's process, seeded and archived there, and
// serves over loopback HTTP a child process — the test binary run again
// with kopiChildEnv set — in which kopi connects and runs its cycles as
// `kopi once` and a running daemon do. The child's peak RSS
// (VmHWM) and CPU (rusage) come from the kernel, its heap and per-phase
// figures from the child itself; none of the fake's work is in them.

// kopiChildEnv names the environment variable that makes the test
// binary a kopi child (TestMain); its value is the child's JSON brief.
const kopiChildEnv = "KOPI_BENCH_CHILD"

// TestMain runs the package's tests, or, in a child started by the
// kopi-alone benchmarks, only kopi's side of their cycles.
//
// The tests (not the benchmarks, whose heap and CPU figures are kopi's
// at Go's defaults, nor a child) collect garbage at GOGC=200 unless
// GOGC is set: the fake and the official clients encode and decode
// every request whole, and under -race the collector is a tenth of the
// package's CPU (the whole package on 2 cores: 265 → 244 CPU-s, 136 →
// 126 s, peak RSS 2.4 → 3.7 GB).
func TestMain(m *testing.M) {
	if brief := os.Getenv(kopiChildEnv); brief != "" {
		os.Exit(kopiChild(brief))
	}
	flag.Parse()
	if os.Getenv("GOGC") == "" && flag.Lookup("test.bench").Value.String() == "" {
		debug.SetGCPercent(200)
	}
	os.Exit(m.Run())
}

// childBrief is what the child is told: where the fake listens, the
// office's identifiers, the time, and what to run.
type childBrief struct {
	URL, FormID, SheetID string
	Now                  time.Time
	ArchiveDays          int // 0: the default
	DailyLimit           int // 0: the default
	CommitBytes          int
	// Mode "once" runs `kopi once`'s path (preloaded read, cached form)
	// and then Cycles idle cycles of a running daemon on one engine,
	// a minute apart; mode "backlog" connects as a daemon and runs one
	// cycle, which must take in Backlog responses.
	Mode    string
	Cycles  int
	Backlog int
	// HeapProfile, when set, is where the child writes a heap profile
	// taken when its heap was near its peak (-kopiheap).
	HeapProfile string
}

// childPhase is what the child measured over one part of its run.
type childPhase struct {
	Calls      int     `json:"calls"`
	MiBDown    float64 `json:"mib_down"` // response bodies as kopi decodes them
	MiBWire    float64 `json:"mib_wire"` // bytes read off the connections (gzip, headers)
	CPUSec     float64 `json:"cpu_s"`
	WallSec    float64 `json:"wall_s"`
	MaxRSSMiB  float64 `json:"max_rss_mib"` // the process's peak so far
	PeakHeapMB float64 `json:"peak_heap_mib"`
	NewCases   int     `json:"new_cases"`
}

// childResult is the child's report: its baseline (a started process
// that did nothing yet) and its phases.
type childResult struct {
	Start  childPhase `json:"start"`
	Once   childPhase `json:"once"`
	Cycles childPhase `json:"cycles"` // per cycle
}

const childResultPrefix = "KOPICHILD "

// countingTransport counts the calls and the response bytes kopi reads
// (inflated when Google sent them gzip-compressed), and through its
// base's dialer the bytes that came over the connections.
type countingTransport struct {
	base  http.RoundTripper
	calls int
	bytes int64
	wire  atomic.Int64
}

// newCountingTransport returns a countingTransport over a clone of the
// default transport whose connections count what they read.
func newCountingTransport() *countingTransport {
	ct := &countingTransport{}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	dial := tr.DialContext
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &countingConn{Conn: c, n: &ct.wire}, nil
	}
	ct.base = tr
	return ct
}

type countingConn struct {
	net.Conn
	n *atomic.Int64
}

func (c *countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.n.Add(int64(n))
	return n, err
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := c.base.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	c.calls++
	resp.Body = &countingBody{ReadCloser: resp.Body, n: &c.bytes}
	return resp, nil
}

type countingBody struct {
	io.ReadCloser
	n *int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	*b.n += int64(n)
	return n, err
}

// maxRSSMiB is the process's peak resident set so far (VmHWM), in MiB.
// Not getrusage's ru_maxrss: Linux carries that over an exec from the
// address space the exec replaced, and os/exec starts a child on its
// parent's (vfork), so a child's ru_maxrss starts at the benchmark's own
// peak.
func maxRSSMiB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kib, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			if err != nil {
				return 0
			}
			return kib / 1024
		}
	}
	return 0
}

// kopiChild runs kopi's side as brief says and prints its figures on
// one line of stdout; the exit code tells success.
func kopiChild(raw string) int {
	var br childBrief
	if err := json.Unmarshal([]byte(raw), &br); err != nil {
		fmt.Fprintln(os.Stderr, "child brief:", err)
		return 2
	}
	var res childResult
	res.Start = childPhase{MaxRSSMiB: maxRSSMiB(), CPUSec: cpuTime().Seconds()}
	if err := runChild(br, &res); err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 1
	}
	out, _ := json.Marshal(res)
	fmt.Println(childResultPrefix + string(out))
	return 0
}

func childConfig(br childBrief) (*rules.Config, *rules.Calendar, error) {
	cfg := rules.DefaultConfig()
	cfg.Mail.Sender = rules.Address{Name: "Admin KOPI Inspektorat Kabupaten Contoh", Address: "kopi@example.go.id"}
	cfg.Mail.Admins = []string{"admin.kopi@example.go.id"}
	cfg.Google.Endpoint = br.URL
	cfg.Intake.FormID, cfg.Tracker.SpreadsheetID = br.FormID, br.SheetID
	if br.ArchiveDays > 0 {
		cfg.Archive.AfterDays = new(br.ArchiveDays)
	}
	if br.DailyLimit > 0 {
		cfg.Mail.DailyLimit = br.DailyLimit
	}
	if err := cfg.Validate(); err != nil {
		return nil, nil, err
	}
	cal, err := cfg.Calendar()
	return cfg, cal, err
}

func runChild(br childBrief, res *childResult) error {
	ctx := context.Background()
	cfg, cal, err := childConfig(br)
	if err != nil {
		return err
	}
	clock := fake.NewClock(br.Now)
	ct := newCountingTransport()
	opts := google.Options{Endpoint: br.URL, HTTPClient: &http.Client{Transport: ct}, DeferForm: br.Mode == "once"}
	r := &google.Retrier{Clock: clock}
	peak := watchHeap()
	if br.HeapProfile != "" {
		stop := profileAtPeak(br.HeapProfile)
		defer stop()
	}
	cpu, start := cpuTime(), time.Now()
	phase := func(ph *childPhase, calls int, bytes, wire int64) {
		ph.Calls = ct.calls - calls
		ph.MiBDown = float64(ct.bytes-bytes) / (1 << 20)
		ph.MiBWire = float64(ct.wire.Load()-wire) / (1 << 20)
		ph.CPUSec = (cpuTime() - cpu).Seconds()
		ph.WallSec = time.Since(start).Seconds()
		ph.MaxRSSMiB = maxRSSMiB()
	}
	ws, err := google.Connect(ctx, cfg, opts, r, clock.Now)
	if err != nil {
		return err
	}
	var pre *google.Preloaded
	if br.Mode == "once" {
		// `kopi once`: one read serves the lock check, the cached form
		// and the cycle (cmd/kopi/once.go).
		if pre, err = ws.Tracker.Preload(ctx); err != nil {
			return err
		}
		lock := sync.NewLock(sync.LockOptions{Store: google.NewPreloadedBeats(ws.Sheets, pre), Host: "bench", Now: clock.Now, Location: cfg.Location()})
		if err := lock.Check(ctx); err != nil {
			return err
		}
		if pre.Form.Fresh(cfg.Intake.FormID, clock.Now()) {
			err = ws.UseForm(cfg, pre.Form.Info)
		} else {
			err = ws.RefreshForm(ctx, cfg, pre, clock.Now())
		}
		if err != nil {
			return err
		}
	}
	tmpl, err := sync.LoadTemplates("")
	if err != nil {
		return err
	}
	eng, err := sync.New(sync.Options{
		Config: cfg, Calendar: cal, Forms: ws.Forms, Tracker: sync.TrackerOf(ws.Tracker), Mailer: ws.Gmail,
		Templates: tmpl, Questions: ws.Questions, FormURL: ws.FormURL, SheetURL: ws.SheetURL, SOPs: ws.SOPs,
		Now: clock.Now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Report: ws.Sheets, History: ws.Tracker, CommitBytes: br.CommitBytes,
	})
	if err != nil {
		return err
	}
	rep, err := eng.RunCycle(ctx)
	if err != nil {
		return err
	}
	if br.HeapProfile != "" {
		// the heap as of the cycle's last collection
		var end bytes.Buffer
		_ = pprof.Lookup("heap").WriteTo(&end, 0)
		_ = os.WriteFile(br.HeapProfile+".end", end.Bytes(), 0o644)
	}
	res.Once.NewCases = rep.NewCases
	phase(&res.Once, 0, 0, 0)
	res.Once.PeakHeapMB = float64(peak.Stop()) / (1 << 20)
	if br.Mode == "backlog" && rep.NewCases != br.Backlog {
		return fmt.Errorf("backlog: %d new cases, want %d", rep.NewCases, br.Backlog)
	}
	if br.Cycles == 0 {
		return nil
	}
	calls, bytes, wire := ct.calls, ct.bytes, ct.wire.Load()
	peak = watchHeap()
	cpu, start = cpuTime(), time.Now()
	for range br.Cycles {
		clock.Advance(time.Minute)
		if _, err := eng.RunCycle(ctx); err != nil {
			return err
		}
	}
	phase(&res.Cycles, calls, bytes, wire)
	res.Cycles.PeakHeapMB = float64(peak.Stop()) / (1 << 20)
	n := float64(br.Cycles)
	res.Cycles.Calls /= br.Cycles
	res.Cycles.MiBDown /= n
	res.Cycles.MiBWire /= n
	res.Cycles.CPUSec /= n
	res.Cycles.WallSec /= n
	return nil
}

// profileAtPeak keeps the heap profile of the highest heap in use seen
// (sampled every 10 ms, a new high counted from 5% above the last; a
// profile shows the heap as of the latest collection) and writes it to
// path when stopped.
func profileAtPeak(path string) (stop func()) {
	return profileAtHighest(path, "/memory/classes/heap/objects:bytes", 10*time.Millisecond, 20)
}

// kopiHeap names the heap profile a kopi-alone child writes.
var kopiHeap = flag.String("kopiheap", "", "file for a heap profile of the kopi-alone benchmarks' child near its peak heap")

// serveLoopback serves the env's fake over a loopback socket for a
// child process and returns its base URL.
func serveLoopback(tb testing.TB, e *env) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	hs := &http.Server{Handler: e.srv, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	tb.Cleanup(func() { _ = hs.Close() })
	return "http://" + ln.Addr().String()
}

// childRun is a finished child: its own report, its peak RSS, and the
// kernel's accounting of its CPU (start-up included).
type childRun struct {
	childResult
	MaxRSSMiB float64
	CPUSec    float64
}

// runKopiChild runs kopi's side of br in a child process against the
// env's fake and waits for it.
func runKopiChild(tb testing.TB, e *env, br childBrief) childRun {
	tb.Helper()
	br.URL, br.FormID, br.SheetID, br.Now = serveLoopback(tb, e), e.formID, e.sheetID, e.clock.Now()
	br.HeapProfile = *kopiHeap
	raw, err := json.Marshal(br)
	if err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), kopiChildEnv+"="+string(raw), "GOMAXPROCS="+strconv.Itoa(runtime.GOMAXPROCS(0)))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	var run childRun
	found := false
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	for sc.Scan() {
		if line, ok := strings.CutPrefix(sc.Text(), childResultPrefix); ok {
			if err := json.Unmarshal([]byte(line), &run.childResult); err != nil {
				tb.Fatal(err)
			}
			found = true
		}
	}
	if err := cmd.Wait(); err != nil {
		tb.Fatalf("kopi child: %v\n%s", err, stderr.String())
	}
	if !found {
		tb.Fatalf("kopi child reported nothing\n%s", stderr.String())
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	run.MaxRSSMiB = max(run.Once.MaxRSSMiB, run.Cycles.MaxRSSMiB)
	run.CPUSec = float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
	return run
}

// recordForm caches the intake form in the state tab, as the first
// `kopi once` of the day does, so a child's once reads no form.
func (e *env) recordForm(tb testing.TB) {
	tb.Helper()
	ws, err := google.Connect(e.ctx, e.cfg, google.Options{Endpoint: e.srv.URL(), HTTPClient: e.srv.HTTPClient(), DeferForm: true}, &google.Retrier{Clock: e.clock}, e.clock.Now)
	if err != nil {
		tb.Fatal(err)
	}
	pre, err := ws.Tracker.Preload(e.ctx)
	if err != nil {
		tb.Fatal(err)
	}
	if err := ws.RefreshForm(e.ctx, e.cfg, pre, e.clock.Now()); err != nil {
		tb.Fatal(err)
	}
}

// idleCycles is how many idle daemon cycles the kopi-alone idle
// benchmark runs after the once.
const idleCycles = 10

// BenchmarkKopiAloneIdle measures kopi alone, in a child process, over
// an office whose n historical cases were archived (archivedOffice):
// `kopi once` with nothing to do (the preloaded read and the cached
// form: the real command's path), then idleCycles idle cycles of a
// running daemon on the same engine, at 50 ms per call. Metrics: the
// child's peak RSS (VmHWM, whole process), its RSS before
// kopi did anything, the once's and a daemon cycle's calls, MiB
// downloaded, CPU and peak heap.
func BenchmarkKopiAloneIdle(b *testing.B) {
	for _, n := range historySizes(b, "KopiAloneIdle") {
		b.Run(fmt.Sprintf("cases=%d", n), func(b *testing.B) {
			benchKopiAloneIdle(b, archivedOffice(b, n), 30)
		})
	}
}

// BenchmarkKopiAloneIdleLive is BenchmarkKopiAloneIdle over n cases
// the archive has not moved (all live): what kopi alone pays for the
// cases an office keeps live — with archive.after_days at 90 and about
// 30 requests a working day, some 1,900 (-sizes 2000).
func BenchmarkKopiAloneIdleLive(b *testing.B) {
	for _, n := range historySizes(b, "KopiAloneIdleLive") {
		b.Run(fmt.Sprintf("cases=%d", n), func(b *testing.B) {
			e := setup(&testing.T{})
			e.seedHistory(b, n)
			e.cycle()
			benchKopiAloneIdle(b, e, 0)
		})
	}
}

func benchKopiAloneIdle(b *testing.B, e *env, archiveDays int) {
	e.recordForm(b)
	e.srv.SetLatency(apiLatency)
	var run childRun
	for i := 0; i < b.N; i++ {
		e.clock.Advance(time.Minute)
		run = runKopiChild(b, e, childBrief{Mode: "once", Cycles: idleCycles, ArchiveDays: archiveDays})
	}
	b.ReportMetric(run.Start.MaxRSSMiB, "start-rss-MiB")
	b.ReportMetric(run.Once.MaxRSSMiB, "once-rss-MiB")
	b.ReportMetric(run.MaxRSSMiB, "rss-MiB")
	b.ReportMetric(float64(run.Once.Calls), "once-calls")
	b.ReportMetric(run.Once.MiBDown, "once-MiB-down")
	b.ReportMetric(run.Once.MiBWire, "once-MiB-wire")
	b.ReportMetric(run.Once.CPUSec, "once-cpu-s")
	b.ReportMetric(run.Once.PeakHeapMB, "once-peak-heap-MiB")
	b.ReportMetric(float64(run.Cycles.Calls), "cycle-calls")
	b.ReportMetric(run.Cycles.MiBDown, "cycle-MiB-down")
	b.ReportMetric(run.Cycles.MiBWire, "cycle-MiB-wire")
	b.ReportMetric(run.Cycles.CPUSec, "cycle-cpu-s")
	b.ReportMetric(run.Cycles.PeakHeapMB, "cycle-peak-heap-MiB")
	b.ReportMetric(run.CPUSec, "child-cpu-s")
}

// BenchmarkKopiAloneBacklog measures kopi alone, in a child process,
// taking in -backlog responses in one cycle (emails aside: the daily
// limit allows one) into an office whose largest -sizes historical
// cases were archived, at 50 ms per call: the child's peak RSS and heap,
// CPU and the cycle's wall time, and the calls and largest request the
// fake saw.
func BenchmarkKopiAloneBacklog(b *testing.B) {
	sizes := historySizes(b, "KopiAloneBacklog")
	n, hist := *backlogSize, sizes[len(sizes)-1]
	b.Run(fmt.Sprintf("responses=%d/cases=%d", n, hist), func(b *testing.B) {
		var run childRun
		var e *env
		for i := 0; i < b.N; i++ {
			e = archivedOffice(b, hist)
			topics := e.cfg.TopicNames()
			for j := 0; j < n; j++ {
				e.submit(complete(fmt.Sprintf("p%d", j), topics[j%len(topics)]))
			}
			e.srv.SetLatency(apiLatency)
			e.srv.ResetCalls()
			run = runKopiChild(b, e, childBrief{Mode: "backlog", Backlog: n, DailyLimit: 1, ArchiveDays: 30, CommitBytes: *commitFlag})
		}
		b.ReportMetric(run.Start.MaxRSSMiB, "start-rss-MiB")
		b.ReportMetric(run.MaxRSSMiB, "rss-MiB")
		b.ReportMetric(run.Once.PeakHeapMB, "peak-heap-MiB")
		b.ReportMetric(run.Once.CPUSec, "cycle-cpu-s")
		b.ReportMetric(run.Once.WallSec, "cycle-wall-s")
		b.ReportMetric(run.CPUSec, "child-cpu-s")
		b.ReportMetric(float64(run.Once.Calls), "calls")
		b.ReportMetric(run.Once.MiBDown, "MiB-down")
		b.ReportMetric(float64(e.srv.Calls()["sheets.spreadsheets.batchUpdate"]), "batchUpdates")
		largest := int64(0)
		for _, v := range e.srv.MaxRequestBytes() {
			largest = max(largest, v)
		}
		b.ReportMetric(float64(largest)/1e6, "max-req-MB")
	})
}
