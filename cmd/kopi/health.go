package main

import (
	"context"
	"encoding/json"
	"errors"
	"html/template"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	ksync "kopi/sync"
)

// health is what the daemon knows of itself, for /healthz, /metrics and
// the status page: times and counts only, never a case's content.
type health struct {
	mu  sync.Mutex
	now func() time.Time
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
	// identity of this instance, shown on the status page
	instance, host, sheetURL string
	officeOpen               func(time.Time) bool
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

	// For the status page only.
	Now         string       `json:"-"`
	Host        string       `json:"-"`
	SheetURL    string       `json:"-"`
	OfficeOpen  bool         `json:"-"`
	Last        ksync.Report `json:"-"`
	TookSeconds string       `json:"-"`

	lastSuccess, lastBeat time.Time
}

func (h *health) failed(now time.Time, err error) (n int, changed bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.failures++
	h.lastFailure = now
	changed = err.Error() != h.lastErr
	h.lastErr = err.Error()
	return h.failures, changed
}

// succeeded records a successful cycle and returns the failures it ends.
func (h *health) succeeded(now time.Time, took time.Duration, rep *ksync.Report) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	prev := h.failures
	h.failures, h.lastErr = 0, ""
	h.lastSuccess, h.lastTook = now, took
	if rep != nil {
		h.lastRep = *rep
		h.lastRep.Problems = nil
	}
	return prev
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

const stamp = "2006-01-02 15:04:05 MST"

// view evaluates the health at the clock's now.
func (h *health) view() healthView {
	h.mu.Lock()
	defer h.mu.Unlock()
	now := h.now()
	loc := now.Location()
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

// statusPage is the admin's page, in Indonesian. It shows times and
// counts of the daemon only: no case, name or address.
var statusPage = template.Must(template.New("status").Parse(`<!doctype html>
<html lang="id"><head><meta charset="utf-8"><meta http-equiv="refresh" content="60">
<title>Status kopi</title>
<style>body{font-family:sans-serif;max-width:40em;margin:2em auto}td{padding:.2em 1em .2em 0}.ok{color:#060}.gagal{color:#a00}</style>
</head><body>
<h1>Status kopi — layanan KOPI Terintegrasi</h1>
<p class="{{if .Healthy}}ok{{else}}gagal{{end}}"><strong>{{if not .Healthy}}Bermasalah{{else if .LastSuccess}}Sehat{{else}}Sedang memulai{{end}}</strong>{{with .Reason}}: {{.}}{{end}}</p>
<table>
<tr><td>Waktu sekarang</td><td>{{.Now}}</td></tr>
<tr><td>Jam kantor</td><td>{{if .OfficeOpen}}buka (siklus tiap menit){{else}}tutup (siklus lebih jarang){{end}}</td></tr>
<tr><td>Siklus berhasil terakhir</td><td>{{with .LastSuccess}}{{.}} ({{$.TookSeconds}} dtk){{else}}belum ada{{end}}</td></tr>
<tr><td>Siklus gagal berturut-turut</td><td>{{.ConsecutiveFailures}}{{if .LastFailure}} (terakhir {{.LastFailure}}){{end}}</td></tr>
<tr><td>Siklus berikutnya</td><td>{{.NextCycle}}</td></tr>
<tr><td>Instans</td><td>{{.Instance}} di komputer {{.Host}}</td></tr>
<tr><td>Detak terakhir</td><td>{{with .LastHeartbeat}}{{.}}{{else}}-{{end}}</td></tr>
</table>
{{if .LastSuccess}}{{with .Last}}<h2>Siklus berhasil terakhir</h2>
<table>
<tr><td>Tanggapan dibaca</td><td>{{.Responses}}</td></tr>
<tr><td>Kasus baru</td><td>{{.NewCases}}</td></tr>
<tr><td>Email terkirim / ditunda / gagal</td><td>{{.Sent}} / {{.Deferred}} / {{.Failed}}</td></tr>
<tr><td>Kasus lewat tenggat</td><td>{{.Overdue}}</td></tr>
</table>{{end}}{{end}}
{{if .SheetURL}}<p><a href="{{.SheetURL}}">Buka spreadsheet pelacakan</a></p>{{end}}
<p>Untuk pemantauan mesin: <a href="/healthz">/healthz</a> · <a href="/metrics">/metrics</a></p>
</body></html>
`))

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
