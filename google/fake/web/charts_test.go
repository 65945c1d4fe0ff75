package web_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"google.golang.org/api/sheets/v4"

	"kopi/google/fake/web"
)

// seedCharts puts a small monthly table on a "Laporan" tab and charts
// of every drawn kind pointing at it.
func seedCharts(t *testing.T, b *bundle) string {
	t.Helper()
	id, err := b.srv.SeedSpreadsheet("Pelacak", "Konsultasi", "Laporan")
	if err != nil {
		t.Fatal(err)
	}
	ss, err := b.sheets.Spreadsheets.Get(id).Do()
	if err != nil {
		t.Fatal(err)
	}
	rep := ss.Sheets[1].Properties.SheetId
	if err := b.srv.SetValues(id, "Laporan!A1:C4", [][]any{
		{"Topik", "Masuk", "Terlambat"},
		{"Audit <b>", 4, 1},
		{"Reviu", 8, 0},
		{"TLHP", 2, "=1+1"},
	}, true); err != nil {
		t.Fatal(err)
	}
	col := func(c int64) *sheets.ChartData {
		return &sheets.ChartData{SourceRange: &sheets.ChartSourceRange{Sources: []*sheets.GridRange{
			{SheetId: rep, StartRowIndex: 0, EndRowIndex: 4, StartColumnIndex: c, EndColumnIndex: c + 1},
		}}}
	}
	basic := func(kind, title string) *sheets.Request {
		return &sheets.Request{AddChart: &sheets.AddChartRequest{Chart: &sheets.EmbeddedChart{
			Spec: &sheets.ChartSpec{Title: title, BasicChart: &sheets.BasicChartSpec{
				ChartType: kind, HeaderCount: 1,
				Domains: []*sheets.BasicChartDomain{{Domain: col(0)}},
				Series:  []*sheets.BasicChartSeries{{Series: col(1)}, {Series: col(2)}},
			}},
			Position: &sheets.EmbeddedObjectPosition{OverlayPosition: &sheets.OverlayPosition{AnchorCell: &sheets.GridCoordinate{SheetId: rep, ColumnIndex: 5}}},
		}}}
	}
	pie := &sheets.Request{AddChart: &sheets.AddChartRequest{Chart: &sheets.EmbeddedChart{
		Spec:     &sheets.ChartSpec{Title: "Sebaran topik", PieChart: &sheets.PieChartSpec{Domain: col(0), Series: col(1)}},
		Position: &sheets.EmbeddedObjectPosition{OverlayPosition: &sheets.OverlayPosition{AnchorCell: &sheets.GridCoordinate{SheetId: rep, ColumnIndex: 5}}},
	}}}
	_, err = b.sheets.Spreadsheets.BatchUpdate(id, &sheets.BatchUpdateSpreadsheetRequest{Requests: []*sheets.Request{
		basic("COLUMN", "Konsultasi per topik <i>"), basic("BAR", "Batang"), basic("LINE", "Garis"), pie,
	}}).Do()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestChartsDrawnFromTheirData(t *testing.T) {
	b := setup(t, web.Options{})
	id := seedCharts(t, b)
	page := b.get(t, "/lembar?id="+id+"&tab=Laporan")
	if n := strings.Count(page, `<svg xmlns="http://www.w3.org/2000/svg"`); n != 4 {
		t.Fatalf("svg charts = %d, want 4", n)
	}
	if strings.Contains(page, "<b>") || strings.Contains(page, "<i>") {
		t.Error("chart labels or titles reached the page unescaped")
	}
	if !strings.Contains(page, "Konsultasi per topik &lt;i&gt;") {
		t.Error("the column chart's title is missing")
	}
	// Column heights follow the data: Masuk 4, 8, 2 on an axis to 10.
	re := regexp.MustCompile(`<rect x="[0-9.]+" y="[0-9.]+" width="[0-9.]+" height="([0-9.]+)" fill="#4285f4"><title>Masuk · ([^:]+): (\d+)</title>`)
	ms := re.FindAllStringSubmatch(page, -1)
	if len(ms) != 6 {
		t.Fatalf("Masuk bars = %d, want 3 columns and 3 bars", len(ms))
	}
	h0, _ := strconv.ParseFloat(ms[0][1], 64)
	h1, _ := strconv.ParseFloat(ms[1][1], 64)
	if ms[0][3] != "4" || ms[1][3] != "8" || ms[2][3] != "2" || h1 < 1.99*h0 || h1 > 2.01*h0 {
		t.Errorf("columns %v: heights should be proportional to 4, 8, 2", ms)
	}
	if !strings.Contains(page, "Terlambat · TLHP: 2</title>") {
		t.Error("the second series (with a formula cell) is missing")
	}
	if !strings.Contains(page, `<polyline points=`) || strings.Count(page, `<path d="M`) != 3 {
		t.Error("the line chart or the pie's three slices are missing")
	}
	if !strings.Contains(page, "<summary>Data bagan</summary>") {
		t.Error("the chart's data table is missing")
	}
}
