package sync_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
)

// recordedCall is one request of the seed as kopi sent it: the official
// client's encoding, kept to be replayed.
type recordedCall struct {
	method, url, contentType string
	body                     []byte
}

// recordSeed seeds n cases through kopi (seedHistory) and returns every
// request the seed sent, in order.
func (e *env) recordSeed(tb testing.TB, n int) []recordedCall {
	tb.Helper()
	var calls []recordedCall
	e.transport.before = func(req *http.Request) bool {
		rc := recordedCall{method: req.Method, url: req.URL.String(), contentType: req.Header.Get("Content-Type")}
		if req.Body != nil {
			body, err := io.ReadAll(req.Body)
			if err != nil {
				tb.Fatalf("record a seed request: %v", err)
			}
			_ = req.Body.Close()
			req.Body = io.NopCloser(bytes.NewReader(body))
			rc.body = body
		}
		calls = append(calls, rc)
		return true
	}
	e.seedHistory(tb, n)
	e.transport.before = nil
	return calls
}

// BenchmarkSeedReplay is the fake's own share of BenchmarkSeedHistory:
// the seed's requests, recorded once as kopi sent them, replayed into a
// copy of the fake taken before the seed, straight into its handler. No
// kopi code and no client encoding runs in the measured part; what is
// measured is routing, checking, decoding, applying and answering.
// peak-heap-MiB includes the recorded requests (req-MiB), which the
// replay holds; held-MiB is the live heap with the fake less the live
// heap once it is dropped: its storage alone.
func BenchmarkSeedReplay(b *testing.B) {
	for _, n := range historySizes(b, "SeedReplay") {
		b.Run(fmt.Sprintf("cases=%d", n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				e := setup(&testing.T{})
				replay, err := e.srv.Clone(nil)
				if err != nil {
					b.Fatal(err)
				}
				calls := e.recordSeed(b, n)
				_ = e.srv.Close()
				e = nil // the recording fake and kopi's side are dropped
				var reqBytes int64
				for _, c := range calls {
					reqBytes += int64(len(c.body))
				}
				runtime.GC()
				peak := watchHeap()
				stopProfile := profileAtLivePeak(*seedHeap)
				cpu := cpuTime()
				b.StartTimer()
				for k, c := range calls {
					req := httptest.NewRequest(c.method, c.url, bytes.NewReader(c.body))
					if c.contentType != "" {
						req.Header.Set("Content-Type", c.contentType)
					}
					rec := httptest.NewRecorder()
					replay.ServeHTTP(rec, req)
					if rec.Code != http.StatusOK {
						b.Fatalf("replayed call %d (%s %s) answered %d: %.300s", k, c.method, c.url, rec.Code, rec.Body.String())
					}
				}
				b.StopTimer()
				stopProfile()
				b.ReportMetric((cpuTime() - cpu).Seconds(), "cpu-s/op")
				b.ReportMetric(float64(peak.Stop())/(1<<20), "peak-heap-MiB")
				b.ReportMetric(float64(peak.MaxLive())/(1<<20), "max-live-MiB")
				b.ReportMetric(float64(reqBytes)/(1<<20), "req-MiB")
				b.ReportMetric(float64(len(calls)), "calls/op")
				calls = nil
				// held: the live heap with the fake and without it, each
				// after two collections (the second empties sync.Pools,
				// such as encoding/json's buffers)
				runtime.GC()
				with := liveHeap()
				writeHeldProfile(*seedHeap)
				_ = replay.Close()
				replay = nil
				runtime.GC()
				b.ReportMetric((float64(with)-float64(liveHeap()))/(1<<20), "held-MiB")
			}
		})
	}
}
