package google_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"google.golang.org/api/sheets/v4"

	"kopi/google"
	"kopi/google/fake"
	"kopi/rules"
	"kopi/sop"
)

type reportEnv struct {
	srv  *fake.Server
	svc  *google.Services
	sh   *google.Sheets
	cal  *rules.Calendar
	cfg  *rules.Config
	ssID string
}

func setupReport(t testing.TB) *reportEnv {
	t.Helper()
	ctx := context.Background()
	srv, err := fake.New(fake.Options{NoListener: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	svc, err := google.NewServices(ctx, google.Options{Endpoint: srv.URL(), HTTPClient: srv.HTTPClient()})
	if err != nil {
		t.Fatal(err)
	}
	cfg := rules.DefaultConfig()
	cfg.Intake.FormID, cfg.Tracker.SpreadsheetID = "form", "sheet"
	cfg.Mail.Sender.Address, cfg.Mail.Admins = "kopi@example.go.id", []string{"admin@example.go.id"}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	id, err := google.CreateSpreadsheet(ctx, svc.Sheets, nil, "KOPI", "Asia/Jakarta")
	if err != nil {
		t.Fatal(err)
	}
	sh := google.NewSheets(svc.Sheets, nil, id)
	tr := google.NewTracker(sh, cfg)
	if _, err := sh.Ensure(ctx, tr.Schemas(), nil); err != nil {
		t.Fatal(err)
	}
	cal, err := cfg.Calendar()
	if err != nil {
		t.Fatal(err)
	}
	return &reportEnv{srv: srv, svc: svc, sh: sh, cal: cal, cfg: cfg, ssID: id}
}

// sampleCases are n cases over 2026, every topic and three consultants.
func sampleCases(loc *time.Location, n int) []rules.Case {
	topics := rules.DefaultConfig().TopicNames()
	var cs []rules.Case
	for i := range n {
		rec := time.Date(2026, time.Month(1+i%12), 2+i%20, 8, i%50, 0, 0, loc)
		c := rules.Case{Ticket: rules.Ticket{Year: 2026, Seq: i + 1}, Status: rules.StatusTerkirim,
			Submission: rules.Submission{SubmittedAt: rec, Topic: topics[i%len(topics)], Unit: fmt.Sprintf("Dinas %d", i%7)},
			Consultant: fmt.Sprintf("Konsuler %d", i%3)}
		c.AssignedAt = rec.Add(time.Duration(10+i%40) * time.Minute)
		c.AnsweredAt = c.AssignedAt.Add(time.Duration(1+i%12) * time.Hour)
		c.SentAt = c.AnsweredAt.Add(time.Duration(5+i%50) * time.Minute)
		cs = append(cs, c)
	}
	return cs
}

func (e *reportEnv) report(period string, cases []rules.Case) rules.Report {
	p, err := rules.ParseReportPeriod(period, e.cal.Location())
	if err != nil {
		panic(err)
	}
	var sv []rules.ScoredSurvey
	for i, c := range cases {
		if i%3 == 0 {
			v := 3 + i%2
			sv = append(sv, rules.ScoredSurvey{Ticket: c.Ticket.String(), At: c.SentAt.Add(time.Hour), Topic: c.Topic, Consultant: c.Consultant,
				Scores: rules.SKMScores{v, v, v, 4, v, v, v, v, 3}})
		}
	}
	return rules.BuildReport(rules.ReportInput{Period: p, Calendar: e.cal, SOP: sop.KOPI().WithStandards(e.cfg.SOP.Steps), Topics: e.cfg.TopicNames(),
		Cases: cases, Surveys: sv, Suggestions: []string{"=HYPERLINK(\"x\")"}, Text: rules.ReportText{Basis: "Perbup 12/2021"}})
}

// readReport reads the report tab back whole: values, formats and charts.
func (e *reportEnv) readReport(t testing.TB) *sheets.Sheet {
	t.Helper()
	ss, err := e.svc.Sheets.Spreadsheets.Get(e.ssID).Ranges("Laporan").IncludeGridData(true).Do()
	if err != nil {
		t.Fatal(err)
	}
	return ss.Sheets[0]
}

func TestRebuildReportTwiceIdentical(t *testing.T) {
	e := setupReport(t)
	ctx := context.Background()
	r := e.report("2026", sampleCases(e.cal.Location(), 40))
	e.srv.ResetCalls()
	if err := e.sh.RebuildReport(ctx, r); err != nil {
		t.Fatal(err)
	}
	if c := e.srv.Calls(); c["sheets.spreadsheets.batchUpdate"] != 1 || c["sheets.spreadsheets.get"] != 1 || e.srv.TotalCalls() != 2 {
		t.Fatalf("calls %v, want one get and ONE batchUpdate", c)
	}
	first, _ := json.Marshal(e.readReport(t))
	if err := e.sh.RebuildReport(ctx, r); err != nil {
		t.Fatal(err)
	}
	second, _ := json.Marshal(e.readReport(t))
	if string(first) != string(second) {
		t.Fatalf("rebuilding twice changed the tab:\n%s\n%s", first, second)
	}
}

// idDecimal is a decimal as the id_ID tracker shows it: "3,50", not "3.50".
func idDecimal(s string) string { return strings.ReplaceAll(s, ".", ",") }

// cellText reads a cell of the read-back grid as shown.
func cellText(sh *sheets.Sheet, row, col int64) string {
	rows := sh.Data[0].RowData
	if row >= int64(len(rows)) || col >= int64(len(rows[row].Values)) {
		return ""
	}
	return rows[row].Values[col].FormattedValue
}

// columnOf reads the cells a chart's source range covers.
func columnOf(t *testing.T, sh *sheets.Sheet, d *sheets.ChartData) []string {
	t.Helper()
	if d == nil || d.SourceRange == nil || len(d.SourceRange.Sources) != 1 {
		t.Fatalf("chart data %+v, want one source range", d)
	}
	g := d.SourceRange.Sources[0]
	if g.SheetId != sh.Properties.SheetId || g.EndColumnIndex != g.StartColumnIndex+1 {
		t.Fatalf("source range %+v is not one column of the report tab %d", g, sh.Properties.SheetId)
	}
	var out []string
	for r := g.StartRowIndex; r < g.EndRowIndex; r++ {
		out = append(out, cellText(sh, r, g.StartColumnIndex))
	}
	return out
}

func TestReportChartsPlotTheirTables(t *testing.T) {
	e := setupReport(t)
	r := e.report("2026", sampleCases(e.cal.Location(), 30))
	if err := e.sh.RebuildReport(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	lay := google.ReportLayoutOf(r)
	sh := e.readReport(t)
	if len(sh.Charts) != 3 {
		t.Fatalf("charts %d, want 3", len(sh.Charts))
	}
	byID := map[int64]*sheets.EmbeddedChart{}
	for _, c := range sh.Charts {
		byID[c.ChartId] = c
	}
	// Chart 1: months × topics.
	c1 := byID[lay.Charts[0]].Spec.BasicChart
	wantMonths := []string{"Bulan", "Januari 2026", "Februari 2026", "Maret 2026", "April 2026", "Mei 2026", "Juni 2026", "Juli 2026",
		"Agustus 2026", "September 2026", "Oktober 2026", "November 2026", "Desember 2026"}
	if got := columnOf(t, sh, c1.Domains[0].Domain); !reflect.DeepEqual(got, wantMonths) {
		t.Errorf("chart 1 domain %v", got)
	}
	if len(c1.Series) != len(r.Topics) {
		t.Fatalf("chart 1 series %d, want one per topic (%d)", len(c1.Series), len(r.Topics))
	}
	for j, s := range c1.Series {
		got := columnOf(t, sh, s.Series)
		if got[0] != r.Topics[j] {
			t.Errorf("chart 1 series %d header %q, want %q", j, got[0], r.Topics[j])
		}
		for i := range r.Months {
			if got[i+1] != fmt.Sprint(r.ByMonthTopic[i][j]) {
				t.Errorf("chart 1 series %d month %d = %q, want %d", j, i, got[i+1], r.ByMonthTopic[i][j])
			}
		}
	}
	// Chart 2: compliance share per step.
	c2 := byID[lay.Charts[1]].Spec.BasicChart
	if got := columnOf(t, sh, c2.Domains[0].Domain); !reflect.DeepEqual(got, []string{"Langkah", "Langkah 2", "Langkah 3", "Langkah 4"}) {
		t.Errorf("chart 2 domain %v", got)
	}
	share := columnOf(t, sh, c2.Series[0].Series)
	if share[0] != "Tepat waktu" || len(share) != 4 {
		t.Errorf("chart 2 series %v", share)
	}
	for i, c := range r.Compliance[0].Steps {
		if want := idDecimal(fmt.Sprintf("%.1f%%", 100*c.Share)); share[i+1] != want {
			t.Errorf("chart 2 step %d = %q, want %q", c.Step, share[i+1], want)
		}
	}
	// Chart 3: NRR per element.
	c3 := byID[lay.Charts[2]].Spec.BasicChart
	dom := columnOf(t, sh, c3.Domains[0].Domain)
	nrr := columnOf(t, sh, c3.Series[0].Series)
	if dom[0] != "Unsur" || nrr[0] != "NRR" || len(dom) != 10 {
		t.Fatalf("chart 3 %v %v", dom, nrr)
	}
	for i, el := range rules.SKMElements {
		if dom[i+1] != el.Code || nrr[i+1] != idDecimal(fmt.Sprintf("%.2f", r.IKM.IKM.NRR[i])) {
			t.Errorf("chart 3 %s: %q %q, want NRR %.2f", el.Code, dom[i+1], nrr[i+1], r.IKM.IKM.NRR[i])
		}
	}
	// Text from people stays text.
	for _, row := range sh.Data[0].RowData {
		for _, v := range row.Values {
			if v.UserEnteredValue != nil && v.UserEnteredValue.FormulaValue != nil {
				t.Fatalf("a formula reached the report: %q", *v.UserEnteredValue.FormulaValue)
			}
		}
	}
}

func TestRebuildReportEmptyMonth(t *testing.T) {
	e := setupReport(t)
	r := e.report("2026-12", nil)
	if err := e.sh.RebuildReport(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	lay := google.ReportLayoutOf(r)
	sh := e.readReport(t)
	if len(sh.Charts) != 3 || lay.CasesByMonth.Rows != 2 {
		t.Fatalf("empty month: %d charts, layout %+v", len(sh.Charts), lay)
	}
	if got := cellText(sh, lay.CasesByMonth.Row+1, 0); got != "Desember 2026" {
		t.Errorf("month row %q", got)
	}
	if got := cellText(sh, lay.IKM.Row+1, 1); got != "-" {
		t.Errorf("NRR without surveys %q, want -", got)
	}
}

// TestRebuildReportYearAcrossHolidayTable: a 2026 case answered in
// January 2027, past the built-in holiday table, is measured and the
// report says which table is missing.
func TestRebuildReportYearAcrossHolidayTable(t *testing.T) {
	e := setupReport(t)
	loc := e.cal.Location()
	c := rules.Case{Ticket: rules.Ticket{Year: 2026, Seq: 1}, Status: rules.StatusTerkirim,
		Submission: rules.Submission{SubmittedAt: time.Date(2026, 12, 30, 14, 0, 0, 0, loc), Topic: e.cfg.TopicNames()[1]},
		Consultant: "Konsuler 1"}
	c.AssignedAt = c.SubmittedAt.Add(15 * time.Minute)
	c.AnsweredAt = time.Date(2027, 1, 4, 10, 0, 0, 0, loc)
	c.SentAt = c.AnsweredAt.Add(10 * time.Minute)
	r := e.report("2026", []rules.Case{c})
	if err := e.sh.RebuildReport(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	sh := e.readReport(t)
	lay := google.ReportLayoutOf(r)
	if got := cellText(sh, lay.CasesByMonth.Row+12, 2); got != "1" {
		t.Errorf("December's %s count %q, want 1", r.Topics[1], got)
	}
	found := false
	for _, row := range sh.Data[0].RowData {
		for _, v := range row.Values {
			found = found || strings.Contains(v.FormattedValue, "libur-2027.csv")
		}
	}
	if !found {
		t.Error("the report does not name the missing 2027 holiday table")
	}
}

// TestReportTablePerSOP: with KOPI and Bimtek history in the period the
// Laporan tab holds a table per SOP under its own heading and source
// line, and the compliance chart plots KOPI's table, every step of
// sop/kopi.yaml.
func TestReportTablePerSOP(t *testing.T) {
	e := setupReport(t)
	loc := e.cal.Location()
	kopi := sop.KOPI().WithStandards(e.cfg.SOP.Steps)
	bimtek, err := sop.Load("bimtek")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, time.November, 3, 9, 0, 0, 0, loc)
	hist := []rules.HistoryEntry{
		{SOP: kopi.ID, Case: "KOPI-2026-0001", From: 1, To: 2, At: at, Duration: 5 * time.Minute, Met: true},
		{SOP: kopi.ID, Case: "KOPI-2026-0001", From: 2, To: 1, At: at, Duration: 40 * time.Minute, Correction: true},
		{SOP: bimtek.ID, Case: "BIMTEK-0001", From: 1, To: 2, At: at, Duration: 5 * time.Minute, Met: true},
	}
	r := rules.BuildReport(rules.ReportInput{Period: rules.MonthPeriod(2026, time.November, loc), Calendar: e.cal, SOP: kopi,
		SOPs: []*rules.SOPDef{bimtek}, History: hist, Topics: e.cfg.TopicNames()})
	if err := e.sh.RebuildReport(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	sh := e.readReport(t)
	lay := google.ReportLayoutOf(r)
	var col0 []string
	for i := range sh.Data[0].RowData {
		col0 = append(col0, cellText(sh, int64(i), 0))
	}
	heads := map[string]int{}
	for i, v := range col0 {
		heads[v] = i
	}
	k, ok1 := heads["H.1 "+kopi.Name]
	b, ok2 := heads["H.2 "+bimtek.Name]
	if !ok1 || !ok2 || b < k {
		t.Fatalf("headings: KOPI at %d (%v), Bimtek at %d (%v)", k, ok1, b, ok2)
	}
	if src := cellText(sh, int64(k+1), 0); !strings.Contains(src, "tab Riwayat (2 baris") {
		t.Errorf("KOPI source %q", src)
	}
	if src := cellText(sh, int64(b+1), 0); !strings.Contains(src, "tab Riwayat (1 baris") {
		t.Errorf("Bimtek source %q", src)
	}
	// KOPI step 2: left once (back to the requester), late, one correction.
	if row := int64(k + 4); cellText(sh, row, 0) != "Langkah 2" || cellText(sh, row, 4) != "1" || cellText(sh, row, 5) != "0" || cellText(sh, row, 8) != "1" {
		t.Errorf("KOPI step 2 row: %q %q %q %q", cellText(sh, row, 0), cellText(sh, row, 4), cellText(sh, row, 5), cellText(sh, row, 8))
	}
	if row := int64(b + 3); cellText(sh, row, 0) != "Langkah 1" || cellText(sh, row, 4) != "1" || cellText(sh, row, 5) != "1" {
		t.Errorf("Bimtek step 1 row: %q %q %q", cellText(sh, row, 0), cellText(sh, row, 4), cellText(sh, row, 5))
	}
	var c2 *sheets.BasicChartSpec
	for _, c := range sh.Charts {
		if c.ChartId == lay.Charts[1] {
			c2 = c.Spec.BasicChart
		}
	}
	dom := columnOf(t, sh, c2.Domains[0].Domain)
	if len(dom) != len(kopi.Steps)+1 || dom[0] != "Langkah" || dom[1] != "Langkah 1" || int64(k+2) != lay.Compliance.Row {
		t.Errorf("compliance chart domain %v (table at row %d, KOPI heading at %d)", dom, lay.Compliance.Row, k)
	}
}
