package main

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"kopi/rules"
	ksync "kopi/sync"
)

// health is what the daemon knows of itself, for /healthz, /metrics and
// the status page: times and counts only, never a case's content.
type health struct {
	mu  sync.Mutex
	now func() time.Time
	// loc is the office's zone: every time a person reads is in it
	// (nil: the clock's own zone).
	loc *time.Location
	// failAfter failures in a row make the daemon unhealthy, and so does
	// no successful cycle for staleAfter (counted from start before the
	// first success).
	failAfter  int
	staleAfter time.Duration

	started     time.Time
	lastSuccess time.Time
	lastFailure time.Time
	lastErr     string // for "logged once"; never served over HTTP
	failures    int
	lastTook    time.Duration
	lastRep     ksync.Report
	next        time.Time
	lastBeat    time.Time
	// cycles are the last few cycles, newest last.
	cycles []cycleRecord
	// identity of this instance, shown on the status page
	instance, host string
	// sheetURL opens the tracking spreadsheet (the fake's own view when
	// kopi runs against a fake Workspace).
	sheetURL   string
	officeOpen func(time.Time) bool
}

// keptCycles is how many cycles the status page lists.
const keptCycles = 12

// cycleRecord is one cycle as the status page lists it: counts and, for
// a failure, the cause and fix of its class (opError), never the raw
// error, which may quote Google's text.
type cycleRecord struct {
	at      time.Time
	ok      bool
	took    time.Duration
	rep     ksync.Report
	problem string
}

// healthView is a consistent copy of the health, as served.
type healthView struct {
	Healthy             bool   `json:"sehat"`
	Status              string `json:"status"`
	LastSuccess         string `json:"siklus_berhasil_terakhir,omitempty"`
	LastFailure         string `json:"siklus_gagal_terakhir,omitempty"`
	ConsecutiveFailures int    `json:"gagal_beruntun"`
	NextCycle           string `json:"siklus_berikutnya,omitempty"`
	LastHeartbeat       string `json:"detak_terakhir,omitempty"`
	Instance            string `json:"instans,omitempty"`
	Reason              string `json:"alasan,omitempty"`
	Now                 string `json:"waktu_sekarang"`

	// For the status page only.
	Host        string       `json:"-"`
	SheetURL    string       `json:"-"`
	OfficeOpen  bool         `json:"-"`
	Last        ksync.Report `json:"-"`
	TookSeconds string       `json:"-"`
	Cases       caseSummary  `json:"-"`
	Cycles      []cycleView  `json:"-"`
	// Deferred and Failed sum the emails over the listed cycles.
	Deferred, Failed int `json:"-"`

	lastSuccess, lastBeat time.Time
}

// caseSummary is the tracker as the last successful cycle read it.
type caseSummary struct {
	Known            bool
	Open             int
	ByStatus         []statusCount
	Overdue          int
	Incomplete       int
	AwaitingApproval int
}

type statusCount struct {
	Status rules.Status
	N      int
}

// cycleView is a cycle row of the status page.
type cycleView struct {
	At, Took, Problem            string
	OK                           bool
	Responses, NewCases, Updated int
	Sent, Deferred, Failed       int
}

func (h *health) failed(now time.Time, err error) (n int, changed bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.failures++
	h.lastFailure = now
	changed = err.Error() != h.lastErr
	h.lastErr = err.Error()
	h.record(cycleRecord{at: now, problem: problemOf(err)})
	return h.failures, changed
}

// problemOf is what the status page says of a failed cycle: its cause
// and fix, with anything like an address or phone number removed.
func problemOf(err error) string {
	var oe *opError
	if errors.As(err, &oe) {
		return redactText(oe.cause + checkFixSep + oe.fix)
	}
	return msgStatusUnknownFailure
}

// succeeded records a successful cycle and returns the failures it ends.
func (h *health) succeeded(now time.Time, took time.Duration, rep *ksync.Report) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	prev := h.failures
	h.failures, h.lastErr = 0, ""
	h.lastSuccess, h.lastTook = now, took
	r := cycleRecord{at: now, ok: true, took: took}
	if rep != nil {
		h.lastRep = *rep
		h.lastRep.Problems = nil
		r.rep = h.lastRep
	}
	h.record(r)
	return prev
}

// record keeps the last keptCycles cycles that did something, failed,
// or are the latest: a long run of idle cycles collapses to the newest.
func (h *health) record(r cycleRecord) {
	if n := len(h.cycles); n > 0 {
		last := h.cycles[n-1]
		if last.ok && r.ok && idle(last.rep) && idle(r.rep) {
			h.cycles[n-1] = r
			return
		}
	}
	h.cycles = append(h.cycles, r)
	if len(h.cycles) > keptCycles {
		h.cycles = h.cycles[len(h.cycles)-keptCycles:]
	}
}

// idle reports whether a cycle changed nothing.
func idle(r ksync.Report) bool {
	return r.NewCases == 0 && r.Updated == 0 && r.Sent == 0 && r.Deferred == 0 && r.Failed == 0 && r.Withdrawn == 0 &&
		r.Deleted == 0 && r.EditsNoted == 0 && r.AnswersRecorded == 0 && r.Reminders == 0
}

func (h *health) setNext(t time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.next = t
}

func (h *health) setBeat(t time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.lastBeat = t
}

// stamp is how the status page and /healthz write a time: in the
// office's zone, with its name and offset.
const stamp = "2006-01-02 15:04:05 MST (-07:00)"

// view evaluates the health at the clock's now.
func (h *health) view() healthView {
	h.mu.Lock()
	defer h.mu.Unlock()
	now := h.now()
	loc := h.loc
	if loc == nil {
		loc = now.Location()
	}
	now = now.In(loc)
	v := healthView{
		Healthy: true, Status: "sehat", ConsecutiveFailures: h.failures, Instance: h.instance,
		lastSuccess: h.lastSuccess, lastBeat: h.lastBeat, Now: now.Format(stamp), Host: h.host, SheetURL: h.sheetURL,
		Last: h.lastRep, TookSeconds: decimal(h.lastTook.Seconds(), 1),
	}
	if h.officeOpen != nil {
		v.OfficeOpen = h.officeOpen(now)
	}
	if !h.lastSuccess.IsZero() {
		v.LastSuccess = h.lastSuccess.In(loc).Format(stamp)
		v.Cases = summarizeCases(h.lastRep)
	}
	if !h.lastFailure.IsZero() {
		v.LastFailure = h.lastFailure.In(loc).Format(stamp)
	}
	if !h.next.IsZero() && h.next.Before(never) {
		v.NextCycle = h.next.In(loc).Format(stamp)
	}
	if !h.lastBeat.IsZero() {
		v.LastHeartbeat = h.lastBeat.In(loc).Format(stamp)
	}
	for i := len(h.cycles) - 1; i >= 0; i-- {
		c := h.cycles[i]
		v.Cycles = append(v.Cycles, cycleView{
			At: c.at.In(loc).Format(stamp), OK: c.ok, Took: decimal(c.took.Seconds(), 1), Problem: c.problem,
			Responses: c.rep.Responses, NewCases: c.rep.NewCases, Updated: c.rep.Updated,
			Sent: c.rep.Sent, Deferred: c.rep.Deferred, Failed: c.rep.Failed,
		})
		v.Deferred += c.rep.Deferred
		v.Failed += c.rep.Failed
	}
	since := h.lastSuccess
	if since.IsZero() {
		since = h.started
	}
	switch {
	case h.failures >= h.failAfter:
		v.Healthy, v.Status, v.Reason = false, "gagal", "siklus gagal berturut-turut"
	case now.Sub(since) > h.staleAfter:
		v.Healthy, v.Status, v.Reason = false, "gagal", "tidak ada siklus berhasil dalam "+h.staleAfter.String()
	case h.lastSuccess.IsZero():
		v.Status = "memulai"
	}
	return v
}

// summarizeCases counts the tracker's cases as the cycle read them.
func summarizeCases(r ksync.Report) caseSummary {
	s := caseSummary{Known: r.ByStatus != nil, Overdue: r.Overdue}
	for _, st := range rules.Statuses {
		n := r.ByStatus[st]
		if n == 0 {
			continue
		}
		s.ByStatus = append(s.ByStatus, statusCount{st, n})
		if !st.Final() {
			s.Open += n
		}
	}
	s.Incomplete = r.ByStatus[rules.StatusKurangLengkap]
	s.AwaitingApproval = r.ByStatus[rules.StatusDijawab]
	return s
}

// handler serves /healthz, /metrics and the status page.
func (h *health) handler(m *metrics) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		v := h.view()
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if !v.Healthy {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		_ = json.NewEncoder(w).Encode(v)
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.gatherer(h.view), promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		v := h.view()
		if !v.Healthy {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		_ = statusPage.Execute(w, v)
	})
	return mux
}

// serveHTTP listens on addr and serves until ctx is done; the returned
// function shuts the server down within the given bound. An empty addr
// disables the listener.
func serveHTTP(addr string, hdl http.Handler) (bound string, shutdown func(time.Duration), err error) {
	if addr == "" {
		return "", func(time.Duration) {}, nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: hdl, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			_ = err // the listener closed under us; shutdown reports nothing more
		}
	}()
	return ln.Addr().String(), func(d time.Duration) {
		ctx, cancel := context.WithTimeout(context.Background(), d)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}, nil
}
