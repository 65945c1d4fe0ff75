package main

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"kopi/google"
	ksync "kopi/sync"
)

// metrics are the daemon's Prometheus metrics, written in the text
// exposition format by hand: a handful of counters, gauges and one
// histogram do not justify client_golang's dependency tree in a binary
// an office installs by hand, and writing them here keeps every label
// under our eyes — labels are methods, status codes and outcomes, never
// personal data.
type metrics struct {
	mu        sync.Mutex
	cycles    map[string]uint64 // by result: berhasil, gagal, dilewati
	durations histogram
	api       map[[2]string]uint64 // method, HTTP status
	read      uint64               // responses read, the cursor's overlap included
	newCases  uint64               // responses ingested: new rows
	updated   uint64
	repaired  uint64
	emails    map[string]uint64 // terkirim, ditunda, gagal
	overdue   int
	digests   uint64
	reports   map[string]uint64 // berhasil, gagal
	beats     map[string]uint64 // berhasil, gagal
}

func newMetrics() *metrics {
	return &metrics{
		cycles:    map[string]uint64{},
		durations: histogram{bounds: []float64{0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120}},
		api:       map[[2]string]uint64{},
		emails:    map[string]uint64{},
		reports:   map[string]uint64{},
		beats:     map[string]uint64{},
	}
}

// onAttempt counts one API call attempt; it is the retry loop's
// OnAttempt hook. Code 0 means no answer arrived.
func (m *metrics) onAttempt(a google.Attempt) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.api[[2]string{a.Method, strconv.Itoa(a.Code)}]++
}

// cycle records a cycle's outcome; rep may be nil.
func (m *metrics) cycle(result string, took time.Duration, rep *ksync.Report) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.cycles[result]++
	if result == "dilewati" {
		return
	}
	m.durations.observe(took.Seconds())
	if rep == nil {
		return
	}
	m.read += uint64(rep.Responses)
	m.newCases += uint64(rep.NewCases)
	m.updated += uint64(rep.Updated)
	m.repaired += uint64(rep.Repaired)
	m.emails["terkirim"] += uint64(rep.Sent)
	m.emails["ditunda"] += uint64(rep.Deferred)
	m.emails["gagal"] += uint64(rep.Failed)
	m.overdue = rep.Overdue
}

func (m *metrics) digest() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.digests++
}

func (m *metrics) report(result string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.reports[result]++
}

func (m *metrics) beat(err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err != nil {
		m.beats["gagal"]++
		return
	}
	m.beats["berhasil"]++
}

// write renders every metric, and the health gauges, in the Prometheus
// text format (version 0.0.4).
func (m *metrics) write(w io.Writer, h healthView) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var b strings.Builder
	family(&b, "kopi_cycles_total", "counter", "Siklus menurut hasil (berhasil, gagal, dilewati karena jeda setelah kegagalan).")
	labelled(&b, "kopi_cycles_total", "result", withZero(m.cycles, "berhasil", "gagal", "dilewati"))
	family(&b, "kopi_cycle_duration_seconds", "histogram", "Lama satu siklus.")
	m.durations.write(&b, "kopi_cycle_duration_seconds")
	family(&b, "kopi_api_calls_total", "counter", "Panggilan Google API (setiap percobaan) menurut metode dan status HTTP (0: tanpa jawaban).")
	keys := make([][2]string, 0, len(m.api))
	for k := range m.api {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i][0] != keys[j][0] {
			return keys[i][0] < keys[j][0]
		}
		return keys[i][1] < keys[j][1]
	})
	for _, k := range keys {
		fmt.Fprintf(&b, "kopi_api_calls_total{method=%q,code=%q} %d\n", k[0], k[1], m.api[k])
	}
	family(&b, "kopi_responses_ingested_total", "counter", "Tanggapan formulir yang menjadi kasus baru di tab Konsultasi.")
	fmt.Fprintf(&b, "kopi_responses_ingested_total %d\n", m.newCases)
	family(&b, "kopi_responses_read_total", "counter", "Tanggapan formulir yang dibaca, termasuk yang dibaca ulang karena tumpang-tindih kursor.")
	fmt.Fprintf(&b, "kopi_responses_read_total %d\n", m.read)
	family(&b, "kopi_rows_updated_total", "counter", "Baris kasus yang diperbarui kopi.")
	fmt.Fprintf(&b, "kopi_rows_updated_total %d\n", m.updated)
	family(&b, "kopi_emails_total", "counter", "Email menurut hasil (terkirim, ditunda, gagal).")
	labelled(&b, "kopi_emails_total", "result", withZero(m.emails, "terkirim", "ditunda", "gagal"))
	family(&b, "kopi_overdue_cases", "gauge", "Kasus terbuka yang lewat tenggat pada siklus terakhir yang berhasil.")
	fmt.Fprintf(&b, "kopi_overdue_cases %d\n", m.overdue)
	family(&b, "kopi_rows_repaired_total", "counter", "Baris yang ditulis ulang karena staf memindah kolom saat kopi menulis.")
	fmt.Fprintf(&b, "kopi_rows_repaired_total %d\n", m.repaired)
	family(&b, "kopi_digests_total", "counter", "Siklus awal hari kerja (digest harian).")
	fmt.Fprintf(&b, "kopi_digests_total %d\n", m.digests)
	family(&b, "kopi_report_runs_total", "counter", "Jadwal bangun ulang laporan menurut hasil.")
	labelled(&b, "kopi_report_runs_total", "result", withZero(m.reports, "berhasil", "gagal"))
	family(&b, "kopi_heartbeats_total", "counter", "Detak instans yang dicatat di spreadsheet menurut hasil.")
	labelled(&b, "kopi_heartbeats_total", "result", withZero(m.beats, "berhasil", "gagal"))
	family(&b, "kopi_consecutive_failures", "gauge", "Siklus gagal berturut-turut.")
	fmt.Fprintf(&b, "kopi_consecutive_failures %d\n", h.ConsecutiveFailures)
	family(&b, "kopi_last_success_timestamp_seconds", "gauge", "Waktu siklus terakhir yang berhasil (detik Unix; 0: belum ada).")
	fmt.Fprintf(&b, "kopi_last_success_timestamp_seconds %d\n", unix(h.lastSuccess))
	family(&b, "kopi_last_heartbeat_timestamp_seconds", "gauge", "Waktu detak terakhir instans ini (detik Unix).")
	fmt.Fprintf(&b, "kopi_last_heartbeat_timestamp_seconds %d\n", unix(h.lastBeat))
	family(&b, "kopi_healthy", "gauge", "1 bila sehat, 0 bila gagal (sama dengan /healthz).")
	healthy := 0
	if h.Healthy {
		healthy = 1
	}
	fmt.Fprintf(&b, "kopi_healthy %d\n", healthy)
	_, _ = io.WriteString(w, b.String())
}

func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func family(b *strings.Builder, name, typ, help string) {
	fmt.Fprintf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, typ)
}

// withZero returns counts with the given labels present (at 0), so a
// series exists before its first event.
func withZero(m map[string]uint64, labels ...string) map[string]uint64 {
	out := map[string]uint64{}
	for _, l := range labels {
		out[l] = 0
	}
	for k, v := range m {
		out[k] = v
	}
	return out
}

func labelled(b *strings.Builder, name, label string, m map[string]uint64) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(b, "%s{%s=%q} %d\n", name, label, k, m[k])
	}
}

// histogram is a cumulative Prometheus histogram.
type histogram struct {
	bounds []float64
	counts []uint64 // per bound, not cumulative; len(bounds)+1 with +Inf
	sum    float64
	n      uint64
}

func (h *histogram) observe(v float64) {
	if h.counts == nil {
		h.counts = make([]uint64, len(h.bounds)+1)
	}
	i := sort.SearchFloat64s(h.bounds, v)
	h.counts[i]++
	h.sum += v
	h.n++
}

func (h *histogram) write(b *strings.Builder, name string) {
	var cum uint64
	for i, le := range h.bounds {
		if h.counts != nil {
			cum += h.counts[i]
		}
		fmt.Fprintf(b, "%s_bucket{le=%q} %d\n", name, strconv.FormatFloat(le, 'g', -1, 64), cum)
	}
	fmt.Fprintf(b, "%s_bucket{le=\"+Inf\"} %d\n", name, h.n)
	fmt.Fprintf(b, "%s_sum %s\n", name, strconv.FormatFloat(h.sum, 'g', -1, 64))
	fmt.Fprintf(b, "%s_count %d\n", name, h.n)
}
