package sync_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// recordedCall is one request of the seed as kopi sent it: the official
// client's encoding, kept to be replayed.
type recordedCall struct {
	method, url, contentType string
	body                     []byte
}

// recordSeed seeds n cases through kopi (seedHistory) and writes every
// request the seed sent, in order, to a file in dir (writeCall's
// framing), so that the replay holds one request at a time. It returns
// the file's path, the number of calls and their bodies' bytes.
func (e *env) recordSeed(tb testing.TB, n int, dir string) (path string, calls int, bodyBytes int64) {
	tb.Helper()
	f, err := os.CreateTemp(dir, "seed-*.calls")
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriter(f)
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
		if err := writeCall(w, rc); err != nil {
			tb.Fatalf("record a seed request: %v", err)
		}
		calls++
		bodyBytes += int64(len(rc.body))
		return true
	}
	e.seedHistory(tb, n)
	e.transport.before = nil
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return f.Name(), calls, bodyBytes
}

// writeCall frames a recorded call: a line of method, URL, content type
// and body length separated by tabs, then the body.
func writeCall(w io.Writer, c recordedCall) error {
	if _, err := fmt.Fprintf(w, "%s\t%s\t%s\t%d\n", c.method, c.url, c.contentType, len(c.body)); err != nil {
		return err
	}
	_, err := w.Write(c.body)
	return err
}

// readCall reads the next call writeCall framed; io.EOF after the last.
func readCall(r *bufio.Reader) (recordedCall, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		return recordedCall{}, err
	}
	f := strings.Split(strings.TrimSuffix(line, "\n"), "\t")
	if len(f) != 4 {
		return recordedCall{}, fmt.Errorf("recorded call: bad line %.100q", line)
	}
	n, err := strconv.Atoi(f[3])
	if err != nil {
		return recordedCall{}, err
	}
	c := recordedCall{method: f[0], url: f[1], contentType: f[2], body: make([]byte, n)}
	_, err = io.ReadFull(r, c.body)
	return c, err
}

// BenchmarkSeedReplay is the fake's own share of BenchmarkSeedHistory:
// the seed's requests, recorded once as kopi sent them, replayed into a
// copy of the fake taken before the seed, straight into its handler. No
// kopi code and no client encoding runs in the measured part; what is
// measured is routing, checking, decoding, applying and answering.
// The recorded requests (req-MiB) are read from a file one at a time, so
// peak-heap-MiB is the fake's, plus one request; held-MiB is the live
// heap with the fake less the live heap once it is dropped: its storage
// alone.
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
				path, calls, reqBytes := e.recordSeed(b, n, b.TempDir())
				_ = e.srv.Close()
				e = nil // the recording fake and kopi's side are dropped
				f, err := os.Open(path)
				if err != nil {
					b.Fatal(err)
				}
				r := bufio.NewReaderSize(f, 1<<20)
				runtime.GC()
				peak := watchHeap()
				stopProfile := profileAtLivePeak(*seedHeap)
				cpu := cpuTime()
				b.StartTimer()
				for k := 0; ; k++ {
					c, err := readCall(r)
					if err == io.EOF {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
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
				b.ReportMetric(float64(calls), "calls/op")
				_ = f.Close()
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
