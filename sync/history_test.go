package sync_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"google.golang.org/api/googleapi"
	"google.golang.org/api/option"
	"google.golang.org/api/sheets/v4"

	"kopi/google"
	"kopi/rules"
	"kopi/sync"
)

// seedHistory writes n closed cases of 2025 into the tracker the way
// kopi's own commits wrote them — a row with its anchor, a ledger entry
// and two sent deliveries (receipt, answer) per case — through the
// production adapter, as the engine's commit loop writes a backlog
// (sync/commit.go): parts of whole cases within DefaultCommitBytes, each
// weighed by the tracker, each atomic (CommitPart; the last through
// Commit, which reads the layout back), and collections between parts
// as the loop runs them (sync/commit.go, partCollector). It returns when the fake holds them; the cursor
// points past the last case.
func (e *env) seedHistory(tb testing.TB, n int) {
	tb.Helper()
	ws, err := e.connect()
	if err != nil {
		tb.Fatal(err)
	}
	tr := ws.Tracker
	_, tx, err := tr.Read(e.ctx)
	if err != nil {
		tb.Fatal(err)
	}
	// The parts' ends, packed as splitChanges packs them.
	var ends []int
	for from := 0; from < n; {
		to, size := from, 0
		for to < n {
			w := tx.CommitBytes(e.historyChanges(to, to+1))
			if to > from && size+w > sync.DefaultCommitBytes {
				break
			}
			size += w
			to++
		}
		ends = append(ends, to)
		from = to
	}
	gc := sync.NewPartCollector()
	from := 0
	for i, to := range ends {
		ch := e.historyChanges(from, to)
		commit := tx.CommitPart
		if to == n {
			ch.Cursor = ch.NewCases[len(ch.NewCases)-1].SubmittedAt
			commit = tx.Commit
		}
		if err := commit(e.ctx, ch); err != nil {
			tb.Fatalf("seed cases %d–%d: %v", from, to, err)
		}
		if len(ends) > 1 && *seedGC {
			gc.AfterPart(i == len(ends)-2) // as the engine's commit loop does
		}
		from = to
	}
	e.seedSurveys(tb, tr, n)
}

// surveyShare is the share of the seeded historical cases rated in the
// survey (the Survei tab holds one row per answer): -survey-share 0.5
// seeds one survey per two cases, with a survey form configured.
var surveyShare = flag.Float64("survey-share", 0, "share of the seeded historical cases with a survey answer in the Survei tab (history benchmarks; 0: no survey form)")

// seedSurveys writes the surveys of the seeded history when a survey
// form is configured (withSurvey): every ⌈1/share⌉-th case rated, five
// hours after it came in (an hour after its answer), through the
// production adapter's one atomic append.
func (e *env) seedSurveys(tb testing.TB, tr *google.Tracker, n int) {
	tb.Helper()
	if e.cfg.Survey.FormID == "" || *surveyShare <= 0 {
		return
	}
	if _, _, err := tr.Read(e.ctx); err != nil {
		tb.Fatal(err)
	}
	every := max(1, int(1 / *surveyShare + 0.5))
	start := time.Date(2025, 1, 2, 8, 0, 0, 0, wib)
	var recs []rules.SurveyRecord
	for i := 0; i < n; i += every {
		at := start.Add(time.Duration(i) * 10 * time.Minute)
		r := rules.SurveyRecord{Flag: rules.SurveyOK, AnswerSeen: true, AnswerSentAt: at.Add(4 * time.Hour),
			AnchorID: rules.SurveyAnchorBase + int64(len(recs))}
		r.ResponseID = fmt.Sprintf("survei%06d", i)
		r.SubmittedAt, r.LastSubmittedAt = at.Add(5*time.Hour), at.Add(5*time.Hour)
		r.TicketText = rules.Ticket{Year: 2025, Seq: i + 1}.String()
		for k := range r.Scores {
			r.Scores[k] = 3 + i%2
		}
		r.Occupation, r.Suggestion = "PNS", "Pelayanan cepat dan jelas."
		recs = append(recs, r)
	}
	if err := tr.AppendSurveys(e.ctx, recs); err != nil {
		tb.Fatalf("seed %d surveys: %v", len(recs), err)
	}
}

// historyChanges are the changes that write historical cases from..to-1
// (closed cases of 2025, ten minutes apart) as kopi's own commits wrote
// them: a row with its anchor, a ledger entry and two sent deliveries
// (receipt, answer) per case.
func (e *env) historyChanges(from, to int) *rules.Changes {
	topics := e.cfg.TopicNames()
	start := time.Date(2025, 1, 2, 8, 0, 0, 0, wib)
	ch := &rules.Changes{}
	for i := from; i < to; i++ {
		tk := rules.Ticket{Year: 2025, Seq: i + 1}
		at := start.Add(time.Duration(i) * 10 * time.Minute)
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
		// the link kopi derives (a different one would make the
		// first cycle rewrite every row)
		c.WhatsAppLink, _ = rules.WhatsAppFor(c.Case)
		ch.NewCases = append(ch.NewCases, c)
		ch.Ledger = append(ch.Ledger, rules.LedgerEntry{ResponseID: c.ResponseID, Ticket: tk, Version: at})
		// keyed as kopi keys them, so the history reads as sent
		form := e.cfg.Intake.FormID
		keys := map[string]string{
			"tanda-terima":   rules.EmailKey(form, c.ResponseID, "tanda-terima"),
			rules.KindAnswer: rules.AnswerKey(form, c.ResponseID, c.Answer),
		}
		for _, kind := range []string{"tanda-terima", rules.KindAnswer} {
			ch.Outbox = append(ch.Outbox, rules.Delivery{
				Key: keys[kind], Ticket: tk, Kind: kind, Recipient: "pemohon",
				State: rules.DeliverySent, MessageID: fmt.Sprintf("m%s%d", kind, i), At: at.Add(4 * time.Hour),
			})
		}
	}
	return ch
}

// heapPeak samples the live heap every few milliseconds until stopped and
// reports the highest value seen, in bytes. It also keeps the most live
// heap a collection found (MaxLive): with GOGC=100 the heap grows to about
// twice that before the next collection, so the peak follows it.
type heapPeak struct {
	stop    chan struct{}
	done    chan uint64
	maxLive uint64
}

func watchHeap() *heapPeak {
	h := &heapPeak{stop: make(chan struct{}), done: make(chan uint64, 1)}
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	floor := sample[1].Value.Uint64() // a collection before the watch
	go func() {
		var peak, live uint64
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64())
			if v := sample[1].Value.Uint64(); v != floor {
				live = max(live, v)
			}
			select {
			case <-h.stop:
				h.maxLive = live
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

// MaxLive is, once stopped, the most live heap a collection during the
// watch found, in bytes.
func (h *heapPeak) MaxLive() uint64 { return h.maxLive }

// cpuTime is the CPU time the process has used (user and system): on a
// shared machine it says what the work cost where wall time cannot.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
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
				stopProfile := profileAtLivePeak(*seedHeap)
				cpu := cpuTime()
				b.StartTimer()
				e.seedHistory(b, n)
				b.StopTimer()
				stopProfile()
				b.ReportMetric((cpuTime() - cpu).Seconds(), "cpu-s/op")
				p := peak.Stop()
				b.ReportMetric(float64(p)/(1<<20), "peak-heap-MiB")
				b.ReportMetric(float64(peak.MaxLive())/(1<<20), "max-live-MiB")
				b.ReportMetric((float64(liveHeap())-float64(base))/(1<<20), "held-MiB")
				writeHeldProfile(*seedHeap)
				runtime.KeepAlive(e) // the fake's storage is what is measured
			}
		})
	}
}

// seedGC: the seed collects between parts as the engine's commit loop
// does (sync.PartCollector); -seedgc=false leaves collections to
// the runtime's pacing alone (the seed's behaviour before the heap
// round), for comparison.
var seedGC = flag.Bool("seedgc", true, "collect between parts of the history seed, as the engine's commit loop does")

// seedHeap names the heap profile the seeding benchmarks write of the
// collection that found the most live heap.
var seedHeap = flag.String("seedheap", "", "file for a heap profile of SeedHistory/SeedReplay at their highest live heap")

// profileAtLivePeak keeps the heap profile of the collection that found
// the most live heap (a profile's in-use figures are those of the latest
// collection; sampled every 5 ms) and writes it to path when stopped.
// An empty path profiles nothing.
func profileAtLivePeak(path string) (stop func()) {
	if path == "" {
		return func() {}
	}
	return profileAtHighest(path, "/gc/heap/live:bytes", 5*time.Millisecond, 0)
}

// profileAtHighest samples the runtime metric every interval and keeps
// the heap profile taken when it was highest — a new high counts once
// it passes the last by 1/step of it (step 0: any rise) — and writes it
// to path when stopped.
func profileAtHighest(path, metric string, every time.Duration, step uint64) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		var best bytes.Buffer
		var peak uint64
		sample := []metrics.Sample{{Name: metric}}
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > peak && (step == 0 || v > peak+peak/step) {
				peak = v
				best.Reset()
				_ = pprof.Lookup("heap").WriteTo(&best, 0)
			}
			select {
			case <-done:
				_ = os.WriteFile(path, best.Bytes(), 0o644)
				return
			case <-tick.C:
			}
		}
	}()
	return func() { close(done); <-finished }
}

// writeHeldProfile writes, next to the peak's profile (path + ".held"),
// the heap profile of the latest collection: the seeding benchmarks call
// it right after measuring what the fake holds.
func writeHeldProfile(path string) {
	if path == "" {
		return
	}
	var buf bytes.Buffer
	_ = pprof.Lookup("heap").WriteTo(&buf, 0)
	_ = os.WriteFile(path+".held", buf.Bytes(), 0o644)
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

// apiLatency is the simulated cost of one Google API round trip in the
// history benchmarks.
const apiLatency = 50 * time.Millisecond

var (
	backlogSize = flag.Int("backlog", 100, "responses waiting in BenchmarkBacklog (the issue's figure: 10000)")
	emailCount  = flag.Int("emails", 50, "emails sent in BenchmarkEmails (the issue's figure: 500)")
	commitFlag  = flag.Int("commitbytes", 0, "the engine's commit budget in BenchmarkBacklog (0: sync.DefaultCommitBytes; 1000000000 writes the backlog in one commit, as before bounded commits)")
)

// bytesOf sums the fake's response bytes.
func bytesOf(m map[string]int64) int64 {
	var n int64
	for _, b := range m {
		n += b
	}
	return n
}

// BenchmarkIdleCycleHistory measures an idle cycle of a running daemon
// over a tracker holding n historical cases, at 50 ms per API call:
// calls, bytes downloaded, time, allocations and peak heap per cycle.
func BenchmarkIdleCycleHistory(b *testing.B) {
	for _, n := range historySizes(b, "IdleCycleHistory") {
		b.Run(fmt.Sprintf("cases=%d", n), func(b *testing.B) {
			e := setup(&testing.T{})
			e.seedHistory(b, n)
			eng := e.engine()
			if _, err := eng.RunCycle(e.ctx); err != nil {
				b.Fatal(err)
			}
			e.srv.SetLatency(apiLatency)
			e.srv.ResetCalls()
			peak := watchHeap()
			cpu := cpuTime()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				e.clock.Advance(time.Minute)
				if _, err := eng.RunCycle(e.ctx); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			reportRun(b, e, peak.Stop(), b.N)
			b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
		})
	}
}

// BenchmarkIdleOnceHistory measures `kopi once` with nothing to do: a
// fresh daemon connects (reading the form and the layout) and runs one
// cycle, at 50 ms per call.
func BenchmarkIdleOnceHistory(b *testing.B) {
	for _, n := range historySizes(b, "IdleOnceHistory") {
		b.Run(fmt.Sprintf("cases=%d", n), func(b *testing.B) {
			e := setup(&testing.T{})
			e.seedHistory(b, n)
			e.cycle()
			e.srv.SetLatency(apiLatency)
			e.srv.ResetCalls()
			peak := watchHeap()
			cpu := cpuTime()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				e.clock.Advance(time.Minute)
				if _, err := e.engine().RunCycle(e.ctx); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			reportRun(b, e, peak.Stop(), b.N)
			b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
		})
	}
}

// reportRun reports calls, bytes and peak heap per operation, and the
// largest request body of the run (Google recommends at most 2 MB).
func reportRun(b *testing.B, e *env, peak uint64, ops int) {
	s, f, g := callsOf(e.srv.Calls())
	b.ReportMetric(float64(s+f+g)/float64(ops), "calls/op")
	b.ReportMetric(float64(bytesOf(e.srv.Bytes()))/float64(ops)/(1<<20), "MiB-down/op")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	largest := int64(0)
	for m, n := range e.srv.MaxRequestBytes() {
		if n > largest {
			b.Logf("largest request so far: %s, %d bytes", m, n)
		}
		largest = max(largest, n)
	}
	b.ReportMetric(float64(largest)/1e6, "max-req-MB")
}

// BenchmarkBacklog measures a cycle that takes in -backlog responses
// into a tracker of the largest -sizes historical cases, emails aside
// (the daily limit allows one), at 50 ms per call, next to the same
// intake done as a typical Apps Script does it: one append per response.
func BenchmarkBacklog(b *testing.B) {
	sizes := historySizes(b, "Backlog")
	n, hist := *backlogSize, sizes[len(sizes)-1]
	b.Run(fmt.Sprintf("responses=%d/cases=%d", n, hist), func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			e := setup(&testing.T{})
			e.seedHistory(b, hist)
			e.cfg.Mail.DailyLimit = 1
			e.commitBytes = *commitFlag
			topics := e.cfg.TopicNames()
			for j := 0; j < n; j++ {
				e.submit(complete(fmt.Sprintf("p%d", j), topics[j%len(topics)]))
			}
			eng := e.engine()
			e.srv.SetLatency(apiLatency)
			e.srv.ResetCalls()
			base := liveHeap() // the fake holding history and responses
			peak := watchHeap()
			cpu := cpuTime()
			start := time.Now()
			b.StartTimer()
			rep, err := eng.RunCycle(e.ctx)
			b.StopTimer()
			kopi := time.Since(start)
			p := peak.Stop()
			b.ReportMetric((float64(p)-float64(base))/(1<<20), "peak-over-held-MiB")
			b.ReportMetric((cpuTime() - cpu).Seconds(), "cpu-s/op")
			if err != nil {
				b.Fatal(err)
			}
			if rep.NewCases != n {
				b.Fatalf("backlog: %d new cases, want %d", rep.NewCases, n)
			}
			reportRun(b, e, p, 1)
			b.ReportMetric(float64(e.srv.Calls()["sheets.spreadsheets.batchUpdate"]), "batchUpdates")
			b.ReportMetric(kopi.Seconds(), "wall-s")
			calls := e.srv.TotalCalls()
			script := appsScriptAppends(b, e, n)
			b.ReportMetric(script.Seconds()/kopi.Seconds(), "appsscript/kopi-time")
			b.ReportMetric(float64(n)/float64(calls), "appsscript/kopi-calls")
		}
	})
}

// appsScriptAppends estimates, in the same run, how long a typical Apps
// Script takes for n responses — one values.append per response — by
// timing up to 200 such calls at the same latency and scaling to n (the
// calls are independent, so the cost is linear).
func appsScriptAppends(b *testing.B, e *env, n int) time.Duration {
	svc := e.sheetsService(b)
	k := min(n, 200)
	start := time.Now()
	for j := 0; j < k; j++ {
		row := &sheets.ValueRange{Values: [][]any{{fmt.Sprintf("S-%d", j), "Pemohon", "Pemerintah Desa Sukamaju", "pemohon@desa.example.id"}}}
		if _, err := svc.Spreadsheets.Values.Append(e.sheetID, "'Konsultasi'!A1", row).ValueInputOption("RAW").InsertDataOption("INSERT_ROWS").Context(e.ctx).Do(); err != nil {
			b.Fatal(err)
		}
	}
	return time.Since(start) * time.Duration(n) / time.Duration(k)
}

// BenchmarkEmails measures sending -emails receipts in one cycle at 50 ms
// per call, next to a typical Apps Script's one send per email.
func BenchmarkEmails(b *testing.B) {
	n := *emailCount
	b.Run(fmt.Sprintf("emails=%d", n), func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			e := setup(&testing.T{})
			e.cfg.Mail.DailyLimit = 2 * n
			topics := e.cfg.TopicNames()
			for j := 0; j < n; j++ {
				e.submit(complete(fmt.Sprintf("p%d", j), topics[j%len(topics)]))
			}
			eng := e.engine()
			e.srv.SetLatency(apiLatency)
			e.srv.ResetCalls()
			peak := watchHeap()
			cpu := cpuTime()
			b.StartTimer()
			rep, err := eng.RunCycle(e.ctx)
			b.StopTimer()
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric((cpuTime() - cpu).Seconds(), "cpu-s/op")
			reportRun(b, e, peak.Stop(), 1)
			_, _, g := callsOf(e.srv.Calls())
			b.ReportMetric(float64(rep.Sent), "emails")
			// Apps Script: MailApp.sendEmail, one call per email.
			b.ReportMetric(float64(rep.Sent)/float64(g), "appsscript/kopi-gmail-calls")
		}
	})
}

// sheetsService is an official Sheets client on the fake.
func (e *env) sheetsService(tb testing.TB) *sheets.Service {
	svc, err := sheets.NewService(e.ctx, option.WithEndpoint(e.srv.URL()+"/"), option.WithHTTPClient(e.srv.HTTPClient()))
	if err != nil {
		tb.Fatal(err)
	}
	return svc
}

// BenchmarkReadMask measures what the per-cycle read downloads over
// -sizes historical cases with kopi's field mask (userEnteredValue and the
// effective number format's type, read the same under every locale), with
// the mask kopi used before (userEnteredValue and formattedValue), and
// with userEnteredValue alone (the floor).
func BenchmarkReadMask(b *testing.B) {
	const kopiMask = "sheets(properties(sheetId,title,index,hidden,gridProperties(rowCount,columnCount,frozenRowCount))," +
		"data(startRow,startColumn,rowData(values(userEnteredValue,effectiveFormat/numberFormat/type))," +
		"rowMetadata(developerMetadata(metadataId,metadataKey,metadataValue))," +
		"columnMetadata(developerMetadata(metadataId,metadataKey,metadataValue))))"
	masks := map[string]string{
		"mask=kopi":             kopiMask,
		"mask=formattedValue":   strings.Replace(kopiMask, "values(userEnteredValue,effectiveFormat/numberFormat/type)", "values(userEnteredValue,formattedValue)", 1),
		"mask=userEnteredValue": strings.Replace(kopiMask, "values(userEnteredValue,effectiveFormat/numberFormat/type)", "values(userEnteredValue)", 1),
	}
	for _, n := range historySizes(b, "ReadMask") {
		e := setup(&testing.T{})
		e.seedHistory(b, n)
		svc := e.sheetsService(b)
		var tabs []string
		for _, title := range []string{"Konsultasi", google.RosterTab.Title, google.StateTab.Title, google.OverflowTab.Title} {
			tabs = append(tabs, google.QuoteSheetName(title))
		}
		for _, name := range []string{"mask=formattedValue", "mask=kopi", "mask=userEnteredValue"} {
			b.Run(fmt.Sprintf("cases=%d/%s", n, name), func(b *testing.B) {
				e.srv.ResetCalls()
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					_, err := svc.Spreadsheets.Get(e.sheetID).Ranges(tabs...).IncludeGridData(true).Fields(googleapi.Field(masks[name])).Context(e.ctx).Do()
					if err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(bytesOf(e.srv.Bytes()))/float64(b.N)/(1<<20), "MiB-down/op")
			})
		}
	}
}
