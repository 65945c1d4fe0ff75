package sync_test

import (
	"flag"
	"fmt"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"testing"
	"time"

	"kopi/rules"
)

// seedChunk is how many historical cases one seeding commit carries.
const seedChunk = 1000

// seedHistory writes n closed cases of 2025 into the tracker the way
// kopi's own commits wrote them — a row with its anchor, a ledger entry
// and two sent deliveries (receipt, answer) per case — through the
// production adapter, seedChunk cases per atomic commit. It returns when
// the fake holds them; the cursor points past the last case.
func (e *env) seedHistory(tb testing.TB, n int) {
	tb.Helper()
	ws, err := e.connect()
	if err != nil {
		tb.Fatal(err)
	}
	tr := ws.Tracker
	if _, err := tr.Read(e.ctx); err != nil {
		tb.Fatal(err)
	}
	topics := e.cfg.TopicNames()
	start := time.Date(2025, 1, 2, 8, 0, 0, 0, wib)
	var last time.Time
	for from := 0; from < n; from += seedChunk {
		ch := &rules.Changes{}
		for i := from; i < min(from+seedChunk, n); i++ {
			tk := rules.Ticket{Year: 2025, Seq: i + 1}
			at := start.Add(time.Duration(i) * 10 * time.Minute)
			last = at
			c := rules.TrackedCase{AnchorID: rules.AnchorID(tk), ResponseVersion: at}
			c.Ticket = tk
			c.Submission = rules.Submission{
				ResponseID: fmt.Sprintf("hist%06d", i), SubmittedAt: at, LastSubmittedAt: at,
				Name: fmt.Sprintf("Pemohon %d", i), Unit: "Pemerintah Desa Sukamaju",
				Email: fmt.Sprintf("pemohon%d@desa.example.id", i), WhatsApp: "0812-3456-7890",
				Topic:       topics[i%len(topics)],
				Question:    "Bagaimana tata cara tindak lanjut rekomendasi BPK atas belanja modal tahun 2025?",
				Attachments: []string{"https://drive.google.com/file/d/1AbCdEf/view"},
			}
			c.Status = rules.StatusSelesai
			c.Consultant, c.ConsultantEmail = "Konsuler Contoh", "konsuler@example.go.id"
			c.AssignedAt, c.Deadline = at, at.Add(24*time.Hour)
			c.Answer = "Tindak lanjut rekomendasi disampaikan kepada Inspektorat paling lambat 60 hari setelah LHP diterima, dengan bukti pendukung."
			c.AnsweredBy, c.AnsweredAt, c.SentAt = "Konsuler Contoh", at.Add(3*time.Hour), at.Add(4*time.Hour)
			c.WhatsAppLink = "https://wa.me/6281234567890"
			ch.NewCases = append(ch.NewCases, c)
			ch.Ledger = append(ch.Ledger, rules.LedgerEntry{ResponseID: c.ResponseID, Ticket: tk, Version: at, Handle: -1})
			for _, kind := range []string{"tanda-terima", "jawaban"} {
				ch.Outbox = append(ch.Outbox, rules.Delivery{
					Key: rules.EmailKey(c.ResponseID, kind), Ticket: tk, Kind: kind, Recipient: "pemohon",
					State: rules.DeliverySent, MessageID: fmt.Sprintf("m%s%d", kind, i), At: at.Add(4 * time.Hour), Handle: -1,
				})
			}
		}
		if from+seedChunk >= n {
			ch.Cursor = last
		}
		if err := tr.Commit(e.ctx, ch); err != nil {
			tb.Fatalf("seed cases %d–%d: %v", from, from+len(ch.NewCases), err)
		}
	}
}

// heapPeak samples the live heap every few milliseconds until stopped and
// reports the highest value seen, in bytes.
type heapPeak struct {
	stop chan struct{}
	done chan uint64
}

func watchHeap() *heapPeak {
	h := &heapPeak{stop: make(chan struct{}), done: make(chan uint64, 1)}
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	go func() {
		var peak uint64
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64())
			select {
			case <-h.stop:
				h.done <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return h
}

// Stop ends the sampling and returns the peak.
func (h *heapPeak) Stop() uint64 {
	close(h.stop)
	return <-h.done
}

// liveHeap is the heap in use after a full collection, in bytes.
func liveHeap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// BenchmarkSeedHistory measures the fake holding years of cases: seeding
// n historical cases through kopi's own commits (n/1000 batchUpdates),
// with the fake's live heap afterwards and the peak heap during seeding.
// Sizes above 1,000 run only when asked for by name, e.g.
// -bench 'SeedHistory/cases=50000'.
func BenchmarkSeedHistory(b *testing.B) {
	for _, n := range historySizes(b, "SeedHistory") {
		b.Run(fmt.Sprintf("cases=%d", n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				e := setup(&testing.T{})
				base := liveHeap()
				peak := watchHeap()
				b.StartTimer()
				e.seedHistory(b, n)
				b.StopTimer()
				p := peak.Stop()
				b.ReportMetric(float64(p)/(1<<20), "peak-heap-MiB")
				b.ReportMetric(float64(liveHeap()-base)/(1<<20), "held-MiB")
			}
		})
	}
}

// benchSizes are the tracker sizes the history benchmarks run at. The
// default keeps `go test -bench .` short; the sizes are
// -sizes=1000,10000,50000.
var benchSizes = flag.String("sizes", "1000", "comma-separated historical case counts for the history benchmarks")

func historySizes(b *testing.B, name string) []int {
	var out []int
	for _, f := range strings.Split(*benchSizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			b.Fatalf("%s: bad -sizes entry %q", name, f)
		}
		out = append(out, n)
	}
	return out
}
