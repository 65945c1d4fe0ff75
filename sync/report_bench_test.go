package sync_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"google.golang.org/api/sheets/v4"

	"kopi/google"
	"kopi/rules"
	"kopi/sync"
)

// seedCases writes n answered cases over 2026 straight into the
// Konsultasi tab (as rows staff would see), and a survey for every
// third one into the Survei tab, without going through cycles.
func seedCases(e *env, n int) {
	e.t.Helper()
	head := e.rows()[0]
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	topics := e.cfg.TopicNames()
	at := func(t time.Time) string { return t.In(wib).Format("2006-01-02 15:04") }
	rows := make([][]any, n)
	var surveys [][]any
	sv := map[string]int{}
	v, err := e.srv.SpreadsheetValues(e.sheetID, "Survei")
	if err != nil {
		e.t.Fatal(err)
	}
	for i, h := range v[0] {
		sv[h] = i
	}
	for i := range n {
		rec := time.Date(2026, time.Month(1+i%12), 2+i%25, 8, i%50, 0, 0, wib)
		assigned := rec.Add(time.Duration(10+i%40) * time.Minute)
		answered := assigned.Add(time.Duration(1+i%12) * time.Hour)
		sent := answered.Add(time.Duration(5+i%50) * time.Minute)
		row := make([]any, len(head))
		for j := range row {
			row[j] = ""
		}
		ticket := fmt.Sprintf("KOPI-2026-%04d", i+1)
		row[col["No. Tiket"]] = ticket
		row[col["Diterima"]] = at(rec)
		row[col["Instansi"]] = fmt.Sprintf("Dinas %d", i%17)
		row[col["Topik"]] = topics[i%len(topics)]
		row[col["Konsuler"]] = fmt.Sprintf("Konsuler %d", i%6)
		row[col["Ditugaskan Pada"]] = at(assigned)
		row[col["Status"]] = string(rules.StatusTerkirim)
		row[col["Dijawab Pada"]] = at(answered)
		row[col["Terkirim Pada"]] = at(sent)
		rows[i] = row
		if i%3 == 0 {
			s := make([]any, len(v[0]))
			for j := range s {
				s[j] = ""
			}
			s[sv["ID Respons"]] = fmt.Sprintf("survey-%d", i)
			s[sv["Versi Respons"]] = sent.Add(time.Hour).UTC().Format(time.RFC3339Nano)
			s[sv["Diisi Pada"]] = at(sent.Add(time.Hour))
			s[sv["Nomor Tiket"]] = ticket
			for k, el := range rules.SKMElements {
				s[sv[el.Code+" "+el.Name]] = fmt.Sprint(3 + (i+k)%2)
			}
			surveys = append(surveys, s)
		}
	}
	grow(e, map[string]int64{"Konsultasi": int64(n) + 10, "Survei": int64(len(surveys)) + 10})
	if err := e.srv.SetValues(e.sheetID, "Konsultasi!A2", rows, false); err != nil {
		e.t.Fatal(err)
	}
	if len(surveys) > 0 {
		if err := e.srv.SetValues(e.sheetID, "Survei!A2", surveys, false); err != nil {
			e.t.Fatal(err)
		}
	}
}

// seedHistory writes, for each of n seeded cases, the KOPI Riwayat
// rows of its way through steps 1 to 5 (-→1, 1→2, 2→3, 3→4, 4→5, each
// within its standard), as kopi writes them: 5n rows over 2026.
func seedHistory(e *env, n int) {
	e.t.Helper()
	v, err := e.srv.SpreadsheetValues(e.sheetID, "Riwayat")
	if err != nil {
		e.t.Fatal(err)
	}
	hc := map[string]int{}
	for i, h := range v[0] {
		hc[h] = i
	}
	rows := make([][]any, 0, 5*n)
	for i := range n {
		rec := time.Date(2026, time.Month(1+i%12), 2+i%25, 8, i%50, 0, 0, wib)
		for from := range 5 {
			row := make([]any, len(v[0]))
			for j := range row {
				row[j] = ""
			}
			row[hc["Waktu"]] = rec.Add(time.Duration(from) * 20 * time.Minute).Format("2006-01-02 15:04")
			row[hc["SOP"]] = "kopi"
			row[hc["No. Kasus"]] = fmt.Sprintf("KOPI-2026-%04d", i+1)
			row[hc["Dari Langkah"]] = "-"
			if from > 0 {
				row[hc["Dari Langkah"]] = fmt.Sprint(from)
				row[hc["Durasi (Jam Kerja)"]] = "0.33"
				row[hc["Sesuai Waktu Baku"]] = "Ya"
			}
			row[hc["Ke Langkah"]] = fmt.Sprint(from + 1)
			row[hc["Koreksi"]] = "Tidak"
			rows = append(rows, row)
		}
	}
	grow(e, map[string]int64{"Riwayat": int64(len(rows)) + 10})
	if err := e.srv.SetValues(e.sheetID, "Riwayat!A2", rows, false); err != nil {
		e.t.Fatal(err)
	}
}

// grow appends rows to tabs so that seeded rows fit the grid.
func grow(e *env, rows map[string]int64) {
	e.t.Helper()
	svc, err := google.NewServices(e.ctx, google.Options{Endpoint: e.srv.URL(), HTTPClient: e.srv.HTTPClient()})
	if err != nil {
		e.t.Fatal(err)
	}
	ss, err := svc.Sheets.Spreadsheets.Get(e.sheetID).Fields("sheets(properties(sheetId,title))").Do()
	if err != nil {
		e.t.Fatal(err)
	}
	var reqs []*sheets.Request
	for _, sh := range ss.Sheets {
		if n := rows[sh.Properties.Title]; n > 0 {
			reqs = append(reqs, &sheets.Request{AppendDimension: &sheets.AppendDimensionRequest{SheetId: sh.Properties.SheetId, Dimension: "ROWS", Length: n}})
		}
	}
	if _, err := svc.Sheets.Spreadsheets.BatchUpdate(e.sheetID, &sheets.BatchUpdateSpreadsheetRequest{Requests: reqs}).Do(); err != nil {
		e.t.Fatal(err)
	}
}

// rebuildCalls seeds n cases and returns the API calls of one report
// rebuild for 2026 and the report.
func rebuildCalls(t *testing.T, e *env, eng *sync.Engine) (map[string]int, rules.Report) {
	t.Helper()
	e.srv.ResetCalls()
	r, err := eng.RebuildReport(e.ctx, rules.YearPeriod(2026, wib))
	if err != nil {
		t.Fatal(err)
	}
	return e.srv.Calls(), r
}

// TestReportRebuildCallsConstant: a rebuild costs the same calls for 30
// cases (150 history rows) as for 300 (1,500) — one tracker read, one
// read of the Riwayat tab, one lookup of the tab, ONE batchUpdate. Calls
// that grew with the cases would differ between the two sizes; neither
// read pages and the report's write holds aggregates, so a larger size
// proves nothing more (BenchmarkReportRebuild times 10,000 cases).
func TestReportRebuildCallsConstant(t *testing.T) {
	t.Parallel()
	var got []map[string]int
	for _, n := range []int{30, 300} {
		e := setup(t)
		withSurvey(e)
		seedCases(e, n)
		seedHistory(e, n)
		eng := e.engine()
		calls, r := rebuildCalls(t, e, eng)
		if r.Total != n || r.IKM.IKM.Respondents != (n+2)/3 || !r.IKM.IKM.Valid {
			t.Fatalf("n=%d: report total %d, respondents %d", n, r.Total, r.IKM.IKM.Respondents)
		}
		// Each case left steps 1 to 4 once, within the standard.
		if k := r.Compliance[0]; !k.FromHistory || k.Entries != 5*n || k.Steps[0].Done != n || k.Steps[3].Within != n || k.Steps[4].Done != 0 {
			t.Fatalf("n=%d: KOPI compliance from %d history rows: %+v", n, 5*n, k)
		}
		if calls["sheets.spreadsheets.get"] != 3 {
			t.Fatalf("n=%d: %d gets, want 3 (tracker, Riwayat, the report tab)", n, calls["sheets.spreadsheets.get"])
		}
		if calls["sheets.spreadsheets.batchUpdate"] != 1 {
			t.Fatalf("n=%d: %d batchUpdates, want ONE", n, calls["sheets.spreadsheets.batchUpdate"])
		}
		got = append(got, calls)
	}
	if fmt.Sprint(got[0]) != fmt.Sprint(got[1]) {
		t.Fatalf("calls grow with the case count: %v vs %v", got[0], got[1])
	}
	t.Logf("calls per rebuild: %v", got[0])
}

// BenchmarkReportRebuild rebuilds the yearly report over 10,000 cases
// (3,334 surveys, 50,000 Riwayat rows) against the fake.
func BenchmarkReportRebuild(b *testing.B) {
	t := &testing.T{}
	e := setup(t)
	withSurvey(e)
	seedCases(e, 10000)
	seedHistory(e, 10000)
	eng := e.engine()
	e.srv.ResetCalls()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := eng.RebuildReport(e.ctx, rules.YearPeriod(2026, wib)); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	total := 0
	for _, n := range e.srv.Calls() {
		total += n
	}
	b.ReportMetric(float64(total)/float64(b.N), "calls/rebuild")
}

// TestIdleCycleWithSurveyThreeCalls: with the survey form polled too, an
// idle cycle is one spreadsheets.get and two forms.responses.list.
func TestIdleCycleWithSurveyThreeCalls(t *testing.T) {
	t.Parallel()
	e := setup(t)
	withSurvey(e)
	e.submit(complete("awal", e.cfg.TopicNames()[0]))
	eng := e.engine()
	if _, err := eng.RunCycle(e.ctx); err != nil {
		t.Fatal(err)
	}
	rate(e, "KOPI-2026-0001", 4, "")
	e.clock.Advance(time.Minute)
	if _, err := eng.RunCycle(e.ctx); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Minute)
	e.srv.ResetCalls()
	if _, err := eng.RunCycle(e.ctx); err != nil {
		t.Fatal(err)
	}
	calls := e.srv.Calls()
	if calls["sheets.spreadsheets.get"] != 1 || calls["forms.forms.responses.list"] != 2 || e.srv.TotalCalls() != 3 {
		t.Fatalf("idle cycle with survey: %v, want 1 get and 2 lists", calls)
	}
}

// BenchmarkIdleCycleWithSurvey is BenchmarkIdleCycle with the survey
// form polled too.
func BenchmarkIdleCycleWithSurvey(b *testing.B) { benchIdleCycle(b, withSurvey) }

func TestNightlyPeriod(t *testing.T) {
	t.Parallel()
	for at, want := range map[time.Time]string{
		time.Date(2026, 12, 1, 2, 0, 0, 0, wib): "2026-11", // the night closes November
		time.Date(2026, 12, 2, 2, 0, 0, 0, wib): "2026-12",
		time.Date(2027, 1, 1, 2, 0, 0, 0, wib):  "2026-12",
		// 1 December 01:00 WIB is still 30 November in UTC: the office's zone counts.
		time.Date(2026, 11, 30, 18, 0, 0, 0, time.UTC): "2026-11",
	} {
		if got := sync.NightlyPeriod(at, wib).Key; got != want {
			t.Errorf("NightlyPeriod(%v) = %s, want %s", at, got, want)
		}
	}
}

// TestReportSuggestionsStayWholeInSurvei: a very long suggestion is
// kept whole in the Survei tab and shortened, with a pointer, in the report.
func TestReportSuggestionsStayWholeInSurvei(t *testing.T) {
	t.Parallel()
	e := setup(t)
	withSurvey(e)
	e.submit(complete("ani", e.cfg.TopicNames()[0]))
	e.cycle()
	long := strings.Repeat("saran panjang ", 500) // 7,000 characters
	id := rate(e, "KOPI-2026-0001", 4, long)
	e.clock.Advance(time.Minute)
	e.cycle()
	if got := surveyRows(e)[id]["Saran dan Masukan"]; got != strings.TrimSpace(long) {
		t.Fatalf("Survei keeps %d characters, want %d", len(got), len(strings.TrimSpace(long)))
	}
	if _, err := e.engine().RebuildReport(e.ctx, rules.MonthPeriod(2026, time.March, wib)); err != nil {
		t.Fatal(err)
	}
	v, err := e.srv.SpreadsheetValues(e.sheetID, "Laporan")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, row := range v {
		for _, c := range row {
			if strings.HasPrefix(c, "• saran panjang") {
				found = strings.HasSuffix(c, "(selengkapnya di tab Survei)") && len([]rune(c)) < 2100
			}
		}
	}
	if !found {
		t.Error("the report does not shorten the long suggestion with a pointer to Survei")
	}
}
