package google

import (
	"context"
	"fmt"
	"strings"
	"time"

	"google.golang.org/api/sheets/v4"

	"kopi/rules"
)

// reportLayout says where a rebuilt report puts its tables, as grid
// blocks of the report tab, so that tests can read the charts back
// against them. Each chart's source ranges are these tables' columns.
type reportLayout struct {
	// SheetID is the report tab's id.
	SheetID int64
	// CasesByMonth is the month × topic table (header row included).
	CasesByMonth gridBlock
	// Compliance is the step compliance table.
	Compliance gridBlock
	// IKM is the per-element satisfaction table.
	IKM gridBlock
	// Charts are the chart ids, in the order above.
	Charts [3]int64
}

// gridBlock is a rectangle of the report tab, 0-based, end exclusive.
type gridBlock struct {
	Row, Col, Rows, Cols int64
}

// Fixed ids of the report's charts: the tab is rebuilt whole, so the
// same ids come back and two rebuilds give the same sheet.
var reportChartIDs = [3]int64{917001, 917002, 917003}

// reportTitle is the report tab's title.
var reportTitle = ReportTab.Title

// RebuildReport lays the report out on the Laporan tab in ONE
// spreadsheets.batchUpdate: the tab is deleted and added again with
// the same id and position (so its charts go with it), the cells are
// written and the three charts added. One spreadsheets.get before it
// finds the tab. Nothing in it depends on when it runs, so rebuilding
// the same report twice gives an identical tab.
func (s *Sheets) RebuildReport(ctx context.Context, r rules.Report) error {
	meta, err := DoValue(ctx, s.retry, Idempotent("sheets.spreadsheets.get"), func(ctx context.Context) (*sheets.Spreadsheet, error) {
		return s.svc.Spreadsheets.Get(s.id).Fields("sheets(properties(sheetId,title,index))").Context(ctx).Do()
	})
	if err != nil {
		return fmt.Errorf("find the report tab: %w", err)
	}
	var props *sheets.SheetProperties
	for _, sh := range meta.Sheets {
		if sh.Properties != nil && sh.Properties.Title == reportTitle {
			props = sh.Properties
		}
	}
	if props == nil {
		return &ErrTabMissing{Title: reportTitle}
	}
	rows, lay := reportGrid(r)
	lay.SheetID = props.SheetId
	lay.Charts = reportChartIDs
	width := int64(0)
	for _, row := range rows {
		width = max(width, int64(len(row.Values)))
	}
	reqs := []*sheets.Request{
		{DeleteSheet: &sheets.DeleteSheetRequest{SheetId: props.SheetId, ForceSendFields: []string{"SheetId"}}},
		{AddSheet: &sheets.AddSheetRequest{Properties: &sheets.SheetProperties{
			SheetId: props.SheetId, Title: reportTitle, Index: props.Index,
			GridProperties:  &sheets.GridProperties{RowCount: int64(len(rows)) + 40, ColumnCount: max(width, reportChartCol+8)},
			ForceSendFields: []string{"SheetId", "Index"},
		}}},
		{UpdateCells: &sheets.UpdateCellsRequest{
			Start:  &sheets.GridCoordinate{SheetId: props.SheetId, ForceSendFields: []string{"SheetId"}},
			Rows:   rows,
			Fields: "userEnteredValue,userEnteredFormat",
		}},
		{UpdateDimensionProperties: &sheets.UpdateDimensionPropertiesRequest{
			Range:      &sheets.DimensionRange{SheetId: props.SheetId, Dimension: "COLUMNS", StartIndex: 0, EndIndex: 1, ForceSendFields: []string{"SheetId", "StartIndex"}},
			Properties: &sheets.DimensionProperties{PixelSize: 260},
			Fields:     "pixelSize",
		}},
	}
	for _, c := range reportCharts(lay, r) {
		reqs = append(reqs, &sheets.Request{AddChart: &sheets.AddChartRequest{Chart: c}})
	}
	_, err = DoValue(ctx, s.retry, Idempotent("sheets.spreadsheets.batchUpdate"), func(ctx context.Context) (*sheets.BatchUpdateSpreadsheetResponse, error) {
		return s.svc.Spreadsheets.BatchUpdate(s.id, &sheets.BatchUpdateSpreadsheetRequest{Requests: reqs}).Context(ctx).Do()
	})
	if err != nil {
		return fmt.Errorf("rebuild the report tab: %w", err)
	}
	return nil
}

// reportLayoutOf says where RebuildReport puts r's tables and charts
// (SheetID left zero: the tab's id is read at rebuild time).
func reportLayoutOf(r rules.Report) reportLayout {
	_, lay := reportGrid(r)
	lay.Charts = reportChartIDs
	return lay
}

// reportChartCol is the column the charts are anchored in, right of
// the tables.
const reportChartCol = 10

// reportGrid lays the report out, row by row.
func reportGrid(r rules.Report) ([]*sheets.RowData, reportLayout) {
	g := &grid{}
	var lay reportLayout
	g.row(bold(fmt.Sprintf("Laporan Layanan Konsultasi Online Pengawasan Intern (KOPI) — %s", r.Period.Label)))
	g.blank()
	g.row(bold("A. Dasar"))
	g.row(text(orNone(r.Text.Basis)))
	g.row(bold("B. Maksud, Tujuan dan Manfaat"))
	g.row(text(orNone(r.Text.Purpose)))
	g.row(text(orNone(r.Text.Benefit)))
	g.row(bold("C. Periode dan Tempat"))
	g.row(text(fmt.Sprintf("%s, %s s.d. %s", r.Period.Label, dateID(r.Period.From), dateID(r.Period.To.AddDate(0, 0, -1)))))
	g.row(text(orNone(r.Text.Place)))
	g.blank()

	g.row(bold("D. Jumlah konsultasi per bulan dan topik"))
	lay.CasesByMonth.Row = g.n()
	head := []*sheets.CellData{bold("Bulan")}
	for _, t := range r.Topics {
		head = append(head, bold(t))
	}
	g.row(append(head, bold("Jumlah"))...)
	for i, m := range r.Months {
		cells := []*sheets.CellData{text(monthLabel(m))}
		sum := 0
		for _, n := range r.ByMonthTopic[i] {
			cells = append(cells, num(float64(n), ""))
			sum += n
		}
		g.row(append(cells, num(float64(sum), ""))...)
	}
	g.row(bold("Jumlah"), num(float64(r.Total), ""))
	lay.CasesByMonth.Rows = int64(len(r.Months)) + 1
	lay.CasesByMonth.Cols = int64(len(r.Topics)) + 1
	g.blank()

	for _, t := range []struct {
		title, head string
		cs          []rules.Count
	}{
		{"E. Jumlah konsultasi per konsuler", "Konsuler", r.ByConsultant},
		{"F. Jumlah konsultasi per instansi", "Instansi / Unit Kerja", r.ByUnit},
		{"G. Jumlah konsultasi per status", "Status", r.ByStatus},
	} {
		g.row(bold(t.title))
		g.row(bold(t.head), bold("Jumlah"))
		for _, c := range t.cs {
			g.row(text(c.Label), num(float64(c.N), ""))
		}
		if len(t.cs) == 0 {
			g.row(text("(tidak ada)"), num(0, ""))
		}
		g.blank()
	}

	g.row(bold("H. Kepatuhan standar waktu per langkah SOP (waktu kerja)"))
	for i, t := range r.Compliance {
		g.row(bold(fmt.Sprintf("H.%d %s", i+1, t.Name)))
		g.row(text(t.Source()))
		if i == 0 {
			// The chart plots the first table (KOPI's).
			lay.Compliance.Row = g.n()
			lay.Compliance.Rows = int64(len(t.Steps)) + 1
			lay.Compliance.Cols = 2
		}
		g.row(bold("Langkah"), bold("Tepat waktu"), bold("Uraian"), bold("Standar"), bold("Jumlah selesai"), bold("Sesuai standar"),
			bold("Median (jam kerja)"), bold("P90 (jam kerja)"), bold("Koreksi"))
		for _, c := range t.Steps {
			g.row(text(fmt.Sprintf("Langkah %d", c.Step)), num(c.Share, "0.0%"), text(c.Action), text(c.Standard.Indonesian()),
				num(float64(c.Done), ""), num(float64(c.Within), ""), num(hoursOf(c.Median), "0.00"), num(hoursOf(c.P90), "0.00"),
				num(float64(c.Corrections), ""))
		}
		g.blank()
	}
	if len(r.Compliance) == 0 {
		g.blank()
	}

	g.row(bold("I. Indeks Kepuasan Masyarakat (PermenPANRB 14/2017) per unsur"))
	lay.IKM.Row = g.n()
	g.row(bold("Unsur"), bold("NRR"), bold("Nama unsur"), bold("Jumlah jawaban"), bold("Jumlah nilai"), bold("NRR tertimbang (× 1/9)"))
	k := r.IKM.IKM
	for i, e := range rules.SKMElements {
		nrr := func() *sheets.CellData {
			if k.Answered[i] == 0 {
				return text("-")
			}
			return num(k.NRR[i], "0.00")
		}
		wt := text("-")
		if k.Answered[i] > 0 {
			wt = num(k.NRR[i]/rules.SKMElementCount, "0.000")
		}
		g.row(text(e.Code), nrr(), text(e.Name), num(float64(k.Answered[i]), ""), num(float64(k.Sum[i]), ""), wt)
	}
	lay.IKM.Rows = rules.SKMElementCount + 1
	lay.IKM.Cols = 2
	g.row(bold("IKM (konversi × 25)"), text(k.IndexText()), text(gradeText(k)))
	g.row(text("Responden"), num(float64(k.Respondents), ""))
	g.row(text("Pengguna layanan (jawaban terkirim)"), num(float64(r.IKM.Population), ""))
	g.row(text("Sampel minimum (Krejcie–Morgan)"), num(float64(r.IKM.MinSample), ""), text(sampleText(r.IKM)))
	g.blank()
	for _, t := range []struct {
		title, head string
		gs          []rules.IKMGroup
	}{
		{"J. IKM per topik", "Topik", r.IKMByTopic},
		{"K. IKM per konsuler", "Konsuler", r.IKMByConsultant},
	} {
		g.row(bold(t.title))
		g.row(bold(t.head), bold("IKM"), bold("Mutu"), bold("Responden"), bold("Sampel minimum"))
		for _, x := range t.gs {
			g.row(text(x.Key), text(x.IKM.IndexText()), text(gradeText(x.IKM)), num(float64(x.IKM.Respondents), ""), num(float64(x.MinSample), ""))
		}
		if len(t.gs) == 0 {
			g.row(text("(tidak ada)"))
		}
		g.blank()
	}

	g.row(bold("L. Kendala"))
	obs := r.Obstacles()
	if len(obs) == 0 {
		g.row(text("Tidak ada kendala tercatat."))
	}
	for _, o := range obs {
		g.row(text("• " + o))
	}
	g.blank()
	g.row(bold("M. Saran pengguna layanan"))
	if len(r.Suggestions) == 0 {
		g.row(text("Tidak ada saran tercatat."))
	}
	for _, s := range r.Suggestions {
		g.row(text("• " + summaryText(s)))
	}
	return g.rows, lay
}

// reportCharts are the three charts, each plotting a table of the
// report: cases per month by topic, compliance per step, IKM per element.
func reportCharts(lay reportLayout, r rules.Report) []*sheets.EmbeddedChart {
	id := lay.SheetID
	col := func(b gridBlock, c int64) *sheets.ChartData {
		return &sheets.ChartData{SourceRange: &sheets.ChartSourceRange{Sources: []*sheets.GridRange{{
			SheetId: id, StartRowIndex: b.Row, EndRowIndex: b.Row + b.Rows, StartColumnIndex: b.Col + c, EndColumnIndex: b.Col + c + 1,
			ForceSendFields: []string{"SheetId", "StartRowIndex", "StartColumnIndex"},
		}}}}
	}
	chart := func(n int, title, kind, stacked string, b gridBlock, anchorRow int64) *sheets.EmbeddedChart {
		spec := &sheets.BasicChartSpec{ChartType: kind, LegendPosition: "BOTTOM_LEGEND", HeaderCount: 1, StackedType: stacked,
			Domains: []*sheets.BasicChartDomain{{Domain: col(b, 0)}}}
		for c := int64(1); c < b.Cols; c++ {
			spec.Series = append(spec.Series, &sheets.BasicChartSeries{Series: col(b, c), TargetAxis: "LEFT_AXIS"})
		}
		return &sheets.EmbeddedChart{
			ChartId: reportChartIDs[n],
			Spec:    &sheets.ChartSpec{Title: title, BasicChart: spec},
			Position: &sheets.EmbeddedObjectPosition{OverlayPosition: &sheets.OverlayPosition{
				AnchorCell:  &sheets.GridCoordinate{SheetId: id, RowIndex: anchorRow, ColumnIndex: reportChartCol, ForceSendFields: []string{"SheetId", "RowIndex"}},
				WidthPixels: 560, HeightPixels: 300,
			}},
		}
	}
	return []*sheets.EmbeddedChart{
		chart(0, "Konsultasi per bulan dan topik — "+r.Period.Label, "COLUMN", "STACKED", lay.CasesByMonth, 0),
		chart(1, "Kepatuhan standar waktu per langkah SOP", "COLUMN", "", lay.Compliance, 17),
		chart(2, "Nilai rata-rata (NRR) per unsur SKM", "BAR", "", lay.IKM, 34),
	}
}

type grid struct{ rows []*sheets.RowData }

func (g *grid) n() int64 { return int64(len(g.rows)) }
func (g *grid) row(cells ...*sheets.CellData) {
	g.rows = append(g.rows, &sheets.RowData{Values: cells})
}
func (g *grid) blank() { g.row() }

// text is a string cell: form and staff text stays inert, never a formula.
func text(s string) *sheets.CellData { return stringCell(s) }

func bold(s string) *sheets.CellData {
	c := stringCell(s)
	c.UserEnteredFormat = &sheets.CellFormat{TextFormat: &sheets.TextFormat{Bold: true}}
	return c
}

func num(v float64, pattern string) *sheets.CellData {
	c := &sheets.CellData{UserEnteredValue: &sheets.ExtendedValue{NumberValue: &v}}
	if pattern != "" {
		c.UserEnteredFormat = &sheets.CellFormat{NumberFormat: &sheets.NumberFormat{Type: "NUMBER", Pattern: pattern}}
	}
	return c
}

func hoursOf(d time.Duration) float64 { return float64(d.Round(time.Minute)) / float64(time.Hour) }

func orNone(s string) string {
	if strings.TrimSpace(s) == "" {
		return "(belum diisi pada konfigurasi report)"
	}
	return s
}

func dateID(t time.Time) string {
	return fmt.Sprintf("%d %s %d", t.Day(), rules.MonthName(t.Month()), t.Year())
}

func monthLabel(key string) string {
	t, err := time.Parse("2006-01", key)
	if err != nil {
		return key
	}
	return fmt.Sprintf("%s %d", rules.MonthName(t.Month()), t.Year())
}

func gradeText(k rules.IKM) string {
	if !k.Valid {
		return "belum dapat dihitung"
	}
	return string(k.Grade) + " (" + k.Grade.Label() + ")"
}

func sampleText(g rules.IKMGroup) string {
	if g.Short {
		return "belum tercapai"
	}
	return "tercapai"
}

// reportTextMax bounds one suggestion in the report; the whole text
// stays in the Survei tab, and the report says so.
const reportTextMax = 2000

func summaryText(s string) string {
	r := []rune(s)
	if len(r) <= reportTextMax {
		return s
	}
	return string(r[:reportTextMax]) + " … (selengkapnya di tab Survei)"
}
