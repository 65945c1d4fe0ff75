package main

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"kopi/google/fake"
)

// parseMetrics reads a /metrics body with Prometheus's own text parser:
// what a scrape would read, or a failure when the body is not valid
// exposition.
func parseMetrics(t *testing.T, body string) map[string]*dto.MetricFamily {
	t.Helper()
	p := expfmt.NewTextParser(model.LegacyValidation)
	mfs, err := p.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("metrics do not parse: %v\n%s", err, body)
	}
	for name := range mfs {
		if !strings.HasPrefix(name, "kopi_") {
			t.Errorf("metric %s lacks the kopi_ prefix", name)
		}
	}
	return mfs
}

// sample is the value of the series of name whose labels are exactly
// labels (name=value pairs); ok is false when there is none. A
// histogram's value is its sample count.
func sample(mfs map[string]*dto.MetricFamily, name string, labels ...string) (v float64, ok bool) {
	mf := mfs[name]
	if mf == nil {
		return 0, false
	}
	want := map[string]string{}
	for i := 0; i+1 < len(labels); i += 2 {
		want[labels[i]] = labels[i+1]
	}
	for _, m := range mf.GetMetric() {
		if len(m.GetLabel()) != len(want) {
			continue
		}
		match := true
		for _, l := range m.GetLabel() {
			if want[l.GetName()] != l.GetValue() {
				match = false
			}
		}
		if !match {
			continue
		}
		switch {
		case m.Counter != nil:
			return m.GetCounter().GetValue(), true
		case m.Gauge != nil:
			return m.GetGauge().GetValue(), true
		case m.Histogram != nil:
			return float64(m.GetHistogram().GetSampleCount()), true
		}
	}
	return 0, false
}

// wantSample fails the test unless the series has the value.
func wantSample(t *testing.T, mfs map[string]*dto.MetricFamily, want float64, name string, labels ...string) {
	t.Helper()
	got, ok := sample(mfs, name, labels...)
	if !ok {
		t.Errorf("no series %s%v", name, labels)
		return
	}
	if got != want {
		t.Errorf("%s%v = %v, want %v", name, labels, got, want)
	}
}

// TestMetricsFamiliesBeforeTheFirstCycle: every family and labelled
// series exists at zero from the start, with its type and help.
func TestMetricsFamiliesBeforeTheFirstCycle(t *testing.T) {
	var b strings.Builder
	if err := newMetrics().write(&b, healthView{Healthy: true}); err != nil {
		t.Fatal(err)
	}
	mfs := parseMetrics(t, b.String())
	types := map[string]dto.MetricType{
		"kopi_cycles_total": dto.MetricType_COUNTER, "kopi_cycle_duration_seconds": dto.MetricType_HISTOGRAM,
		"kopi_responses_ingested_total": dto.MetricType_COUNTER, "kopi_responses_read_total": dto.MetricType_COUNTER,
		"kopi_rows_updated_total": dto.MetricType_COUNTER, "kopi_emails_total": dto.MetricType_COUNTER,
		"kopi_overdue_cases": dto.MetricType_GAUGE, "kopi_rows_repaired_total": dto.MetricType_COUNTER,
		"kopi_digests_total": dto.MetricType_COUNTER, "kopi_report_runs_total": dto.MetricType_COUNTER,
		"kopi_heartbeats_total": dto.MetricType_COUNTER, "kopi_consecutive_failures": dto.MetricType_GAUGE,
		"kopi_last_success_timestamp_seconds": dto.MetricType_GAUGE, "kopi_last_heartbeat_timestamp_seconds": dto.MetricType_GAUGE,
		"kopi_healthy": dto.MetricType_GAUGE,
	}
	for name, typ := range types {
		mf := mfs[name]
		if mf == nil {
			t.Errorf("family %s missing", name)
			continue
		}
		if mf.GetType() != typ || mf.GetHelp() == "" {
			t.Errorf("%s: type %v help %q, want %v with help", name, mf.GetType(), mf.GetHelp(), typ)
		}
	}
	for _, r := range []string{"berhasil", "gagal", "dilewati"} {
		wantSample(t, mfs, 0, "kopi_cycles_total", "result", r)
	}
	for _, r := range []string{"terkirim", "ditunda", "gagal", "ditarik"} {
		wantSample(t, mfs, 0, "kopi_emails_total", "result", r)
	}
	wantSample(t, mfs, 0, "kopi_report_runs_total", "result", "berhasil")
	wantSample(t, mfs, 0, "kopi_heartbeats_total", "result", "gagal")
	wantSample(t, mfs, 1, "kopi_healthy")
	// kopi_api_calls_total has no series until the first call: its labels
	// are not known in advance.
}

// pushed is one request the Pushgateway stand-in received.
type pushed struct {
	method, path string
	families     map[string]*dto.MetricFamily
	raw          string
}

// pushgateway is an httptest server that decodes what client_golang's
// push package sends (delimited protobuf, or whatever its Content-Type
// says) and answers as the Pushgateway does.
func pushgateway(t *testing.T) (string, func() []pushed) {
	t.Helper()
	var mu sync.Mutex
	var got []pushed
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		dec := expfmt.NewDecoder(bytes.NewReader(body), expfmt.ResponseFormat(r.Header))
		mfs := map[string]*dto.MetricFamily{}
		for {
			var mf dto.MetricFamily
			if err := dec.Decode(&mf); err != nil {
				if err != io.EOF {
					t.Errorf("pushed body does not decode: %v", err)
				}
				break
			}
			mfs[mf.GetName()] = &mf
		}
		mu.Lock()
		got = append(got, pushed{method: r.Method, path: r.URL.Path, families: mfs, raw: string(body)})
		mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, func() []pushed {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(got)
	}
}

func TestOncePushesItsCycleToAPushgateway(t *testing.T) {
	o := submittedOffice(t)
	url, received := pushgateway(t)
	before := time.Now().Unix()
	r := kopi(t, "once", "--config", o.config, "--push-metrics", url)
	if r.err != nil {
		t.Fatalf("once: %v\n%s", r.err, r.stderr)
	}
	got := received()
	if len(got) != 1 {
		t.Fatalf("%d pushes, want 1", len(got))
	}
	p := got[0]
	// PUT replaces the office's group; the grouping key is the job and
	// the spreadsheet, nothing else.
	want := "/metrics/job/kopi/instance/" + o.value(t, keySpreadsheetID)
	if p.method != http.MethodPut || p.path != want {
		t.Errorf("push %s %s, want PUT %s", p.method, p.path, want)
	}
	wantSample(t, p.families, 1, "kopi_cycles_total", "result", "berhasil")
	wantSample(t, p.families, 0, "kopi_cycles_total", "result", "gagal")
	wantSample(t, p.families, 1, "kopi_responses_ingested_total")
	if v, _ := sample(p.families, "kopi_emails_total", "result", "terkirim"); v < 1 {
		t.Errorf("kopi_emails_total{result=terkirim} = %v, want the receipt counted", v)
	}
	wantSample(t, p.families, 1, "kopi_cycle_duration_seconds")
	if v, ok := sample(p.families, "kopi_api_calls_total", "method", "forms.forms.responses.list", "code", "200"); !ok || v < 1 {
		t.Errorf("API calls not pushed: %v %v", v, ok)
	}
	if v, _ := sample(p.families, "kopi_last_success_timestamp_seconds"); v < float64(before) {
		t.Errorf("kopi_last_success_timestamp_seconds = %v, want this run (>= %d)", v, before)
	}
	for _, secret := range []string{"Sri Wahyuni", "sri.wahyuni", "desa-sukamaju", "0812", "3456", "audit ketaatan", "Sukamaju"} {
		if strings.Contains(p.raw, secret) || strings.Contains(p.path, secret) {
			t.Errorf("the push carries personal data %q", secret)
		}
	}

	// A failed cycle adds its failure (POST) and leaves the last success
	// pushed before in place.
	if err := o.srv.AddFault(fake.Fault{Method: "forms.forms.responses.list", Status: http.StatusForbidden, Times: -1}); err != nil {
		t.Fatal(err)
	}
	r = kopi(t, "once", "--config", o.config, "--push-metrics", url)
	if r.err == nil {
		t.Fatal("once against a stopped Workspace succeeded")
	}
	got = received()
	if len(got) != 2 {
		t.Fatalf("%d pushes after the failed cycle, want 2", len(got))
	}
	p = got[1]
	if p.method != http.MethodPost || p.path != want {
		t.Errorf("failed cycle pushed %s %s, want POST %s", p.method, p.path, want)
	}
	wantSample(t, p.families, 1, "kopi_cycles_total", "result", "gagal")
	if _, ok := p.families["kopi_last_success_timestamp_seconds"]; ok {
		t.Error("a failed cycle overwrote the last success")
	}
}

func TestOncePushFailureDoesNotFailTheCycle(t *testing.T) {
	o := newOffice(t)
	if r := kopi(t, "init", "--config", o.config, "--create-intake-form"); r.err != nil {
		t.Fatalf("init: %v", r.err)
	}
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	r := kopi(t, "once", "--config", o.config, "--push-metrics", dead.URL)
	if r.err != nil {
		t.Fatalf("once failed because the Pushgateway is down: %v", r.err)
	}
	if !strings.Contains(r.stderr, "tidak terkirim ke Pushgateway") {
		t.Errorf("the failed push is not logged:\n%s", r.stderr)
	}
}
