package main

import (
	"io"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"

	"kopi/google"
	ksync "kopi/sync"
)

// metrics are the daemon's Prometheus metrics, kept by client_golang:
// `kopi run` serves them on /metrics and `kopi once --push-metrics` pushes
// one cycle's worth to a Pushgateway. Labels are methods, status codes
// and outcomes, never personal data. Every labelled series exists at 0
// before its first event, so a rate() over it starts at the first scrape.
type metrics struct {
	reg       *prometheus.Registry
	cycles    *prometheus.CounterVec // result: berhasil, gagal, dilewati
	durations prometheus.Histogram
	api       *prometheus.CounterVec // method, code (HTTP status; 0: no answer)
	read      prometheus.Counter     // responses read, the cursor's overlap included
	newCases  prometheus.Counter     // responses ingested: new rows
	updated   prometheus.Counter
	repaired  prometheus.Counter
	emails    *prometheus.CounterVec // result: terkirim, ditunda, gagal
	overdue   prometheus.Gauge
	digests   prometheus.Counter
	reports   *prometheus.CounterVec // result: berhasil, gagal
	beats     *prometheus.CounterVec // result: berhasil, gagal
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		cycles: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "kopi_cycles_total",
			Help: "Siklus menurut hasil (berhasil, gagal, dilewati karena jeda setelah kegagalan)."}, []string{"result"}),
		durations: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "kopi_cycle_duration_seconds",
			Help: "Lama satu siklus.", Buckets: []float64{0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120}}),
		api: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "kopi_api_calls_total",
			Help: "Panggilan Google API (setiap percobaan) menurut metode dan status HTTP (0: tanpa jawaban)."}, []string{"method", "code"}),
		newCases: prometheus.NewCounter(prometheus.CounterOpts{Name: "kopi_responses_ingested_total",
			Help: "Tanggapan formulir yang menjadi kasus baru di tab Konsultasi."}),
		read: prometheus.NewCounter(prometheus.CounterOpts{Name: "kopi_responses_read_total",
			Help: "Tanggapan formulir yang dibaca, termasuk yang dibaca ulang karena tumpang-tindih kursor."}),
		updated: prometheus.NewCounter(prometheus.CounterOpts{Name: "kopi_rows_updated_total",
			Help: "Baris kasus yang diperbarui kopi."}),
		emails: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "kopi_emails_total",
			Help: "Email menurut hasil (terkirim, ditunda, gagal, ditarik: pengingat yang tidak lagi perlu)."}, []string{"result"}),
		overdue: prometheus.NewGauge(prometheus.GaugeOpts{Name: "kopi_overdue_cases",
			Help: "Kasus terbuka yang lewat tenggat pada siklus terakhir yang berhasil."}),
		repaired: prometheus.NewCounter(prometheus.CounterOpts{Name: "kopi_rows_repaired_total",
			Help: "Baris yang ditulis ulang karena staf memindah kolom saat kopi menulis."}),
		digests: prometheus.NewCounter(prometheus.CounterOpts{Name: "kopi_digests_total",
			Help: "Siklus awal hari kerja (digest harian)."}),
		reports: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "kopi_report_runs_total",
			Help: "Jadwal bangun ulang laporan menurut hasil."}, []string{"result"}),
		beats: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "kopi_heartbeats_total",
			Help: "Detak instans yang dicatat di spreadsheet menurut hasil."}, []string{"result"}),
	}
	m.reg.MustRegister(m.cycles, m.durations, m.api, m.newCases, m.read, m.updated, m.emails,
		m.overdue, m.repaired, m.digests, m.reports, m.beats)
	for _, z := range []struct {
		vec    *prometheus.CounterVec
		labels []string
	}{
		{m.cycles, []string{"berhasil", "gagal", "dilewati"}},
		{m.emails, []string{"terkirim", "ditunda", "gagal", "ditarik"}},
		{m.reports, []string{"berhasil", "gagal"}},
		{m.beats, []string{"berhasil", "gagal"}},
	} {
		for _, l := range z.labels {
			z.vec.WithLabelValues(l)
		}
	}
	return m
}

// onAttempt counts one API call attempt; it is the retry loop's
// OnAttempt hook. Code 0 means no answer arrived.
func (m *metrics) onAttempt(a google.Attempt) {
	m.api.WithLabelValues(a.Method, strconv.Itoa(a.Code)).Inc()
}

// cycle records a cycle's outcome; rep may be nil.
func (m *metrics) cycle(result string, took time.Duration, rep *ksync.Report) {
	m.cycles.WithLabelValues(result).Inc()
	if result == "dilewati" {
		return
	}
	m.durations.Observe(took.Seconds())
	if rep == nil {
		return
	}
	m.read.Add(float64(rep.Responses))
	m.newCases.Add(float64(rep.NewCases))
	m.updated.Add(float64(rep.Updated))
	m.repaired.Add(float64(rep.Repaired))
	m.emails.WithLabelValues("terkirim").Add(float64(rep.Sent))
	m.emails.WithLabelValues("ditunda").Add(float64(rep.Deferred))
	m.emails.WithLabelValues("gagal").Add(float64(rep.Failed))
	m.emails.WithLabelValues("ditarik").Add(float64(rep.Withdrawn))
	m.overdue.Set(float64(rep.Overdue))
}

func (m *metrics) digest() { m.digests.Inc() }

func (m *metrics) report(result string) { m.reports.WithLabelValues(result).Inc() }

func (m *metrics) beat(err error) {
	if err != nil {
		m.beats.WithLabelValues("gagal").Inc()
		return
	}
	m.beats.WithLabelValues("berhasil").Inc()
}

// gatherer is every metric and the health gauges evaluated by view at
// gathering time (one view per scrape or push).
func (m *metrics) gatherer(view func() healthView) prometheus.Gatherer {
	return prometheus.Gatherers{m.reg, prometheus.GathererFunc(func() ([]*dto.MetricFamily, error) {
		return healthRegistry(view()).Gather()
	})}
}

// healthRegistry holds the health gauges of one view.
func healthRegistry(h healthView) *prometheus.Registry {
	reg := prometheus.NewRegistry()
	gauge := func(name, help string, v float64) {
		g := prometheus.NewGauge(prometheus.GaugeOpts{Name: name, Help: help})
		g.Set(v)
		reg.MustRegister(g)
	}
	gauge("kopi_consecutive_failures", "Siklus gagal berturut-turut.", float64(h.ConsecutiveFailures))
	gauge("kopi_last_success_timestamp_seconds", "Waktu siklus terakhir yang berhasil (detik Unix; 0: belum ada).", unix(h.lastSuccess))
	gauge("kopi_last_heartbeat_timestamp_seconds", "Waktu detak terakhir instans ini (detik Unix).", unix(h.lastBeat))
	healthy := 0.0
	if h.Healthy {
		healthy = 1
	}
	gauge("kopi_healthy", "1 bila sehat, 0 bila gagal (sama dengan /healthz).", healthy)
	return reg
}

// write renders every metric, and the health gauges of h, in the
// Prometheus text format.
func (m *metrics) write(w io.Writer, h healthView) error {
	mfs, err := m.gatherer(func() healthView { return h }).Gather()
	if err != nil {
		return err
	}
	enc := expfmt.NewEncoder(w, expfmt.NewFormat(expfmt.TypeTextPlain))
	for _, mf := range mfs {
		if err := enc.Encode(mf); err != nil {
			return err
		}
	}
	return nil
}

func unix(t time.Time) float64 {
	if t.IsZero() {
		return 0
	}
	return float64(t.Unix())
}
