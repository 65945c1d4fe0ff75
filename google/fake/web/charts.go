package web

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"

	"google.golang.org/api/sheets/v4"
)

// chartView is one embedded chart drawn as SVG from its spec, with the
// data it points at listed beside it.
type chartView struct {
	Title  string
	Kind   string
	SVG    template.HTML
	Labels []string
	Series []seriesData
	Error  string
}

// seriesData is one data series of a chart.
type seriesData struct {
	Name   string
	Values []float64
	Color  string
}

// palette is the series colours (Google Charts' first ones).
var palette = []string{"#4285f4", "#db4437", "#f4b400", "#0f9d58", "#ab47bc", "#00acc1", "#ff7043", "#9e9d24"}

const (
	chartW = 520
	chartH = 300
)

// drawChart reads the ranges a chart's spec points at and draws it:
// basic column, bar and line charts, and pie charts. Other kinds are
// named, not drawn.
func drawChart(ss *sheets.Spreadsheet, ch *sheets.EmbeddedChart) chartView {
	cv := chartView{}
	spec := ch.Spec
	if spec == nil {
		cv.Error = msgChartNoSpec
		return cv
	}
	cv.Title = spec.Title
	switch {
	case spec.BasicChart != nil:
		b := spec.BasicChart
		cv.Kind = b.ChartType
		var domain *sheets.ChartData
		if len(b.Domains) > 0 && b.Domains[0].Domain != nil {
			domain = b.Domains[0].Domain
		}
		labels := chartCells(ss, domain)
		var cols [][]string
		for _, s := range b.Series {
			cols = append(cols, chartCells(ss, s.Series))
		}
		cv.Labels, cv.Series = shapeSeries(labels, cols, b.HeaderCount)
		switch b.ChartType {
		case "COLUMN", "BAR", "LINE":
		default:
			cv.Error = fmt.Sprintf(msgChartKindNotDrawn, b.ChartType)
			return cv
		}
	case spec.PieChart != nil:
		cv.Kind = "PIE"
		labels := chartCells(ss, spec.PieChart.Domain)
		cv.Labels, cv.Series = shapeSeries(labels, [][]string{chartCells(ss, spec.PieChart.Series)}, 0)
	default:
		cv.Error = msgChartNotDrawn
		return cv
	}
	for i := range cv.Series {
		cv.Series[i].Color = palette[i%len(palette)]
	}
	cv.SVG = template.HTML(renderSVG(cv))
	return cv
}

// chartCells returns the formatted values of a chart data range, in
// order, read from the spreadsheet's own grid data.
func chartCells(ss *sheets.Spreadsheet, d *sheets.ChartData) []string {
	if d == nil || d.SourceRange == nil {
		return nil
	}
	var out []string
	for _, g := range d.SourceRange.Sources {
		out = append(out, rangeCells(ss, g)...)
	}
	return out
}

// rangeCells reads a GridRange cell by cell (down a column, or along a
// row when the range is one row high).
func rangeCells(ss *sheets.Spreadsheet, g *sheets.GridRange) []string {
	var sh *sheets.Sheet
	for _, s := range ss.Sheets {
		if s.Properties.SheetId == g.SheetId {
			sh = s
		}
	}
	if sh == nil {
		return nil
	}
	get := map[[2]int64]string{}
	var lastRow, lastCol int64 = -1, -1
	for _, gd := range sh.Data {
		for ri, rd := range gd.RowData {
			for ci, cd := range rd.Values {
				if cd == nil || cd.UserEnteredValue == nil {
					continue
				}
				r, c := gd.StartRow+int64(ri), gd.StartColumn+int64(ci)
				get[[2]int64{r, c}] = cd.FormattedValue
				if ev := cd.EffectiveValue; ev != nil && ev.NumberValue != nil {
					get[[2]int64{r, c}] = strconv.FormatFloat(*ev.NumberValue, 'f', -1, 64)
				}
				lastRow, lastCol = max(lastRow, r), max(lastCol, c)
			}
		}
	}
	endRow, endCol := g.EndRowIndex, g.EndColumnIndex
	if endRow == 0 {
		endRow = lastRow + 1
	}
	if endCol == 0 {
		endCol = lastCol + 1
	}
	var out []string
	if endRow-g.StartRowIndex == 1 && endCol-g.StartColumnIndex > 1 {
		for c := g.StartColumnIndex; c < endCol; c++ {
			out = append(out, get[[2]int64{g.StartRowIndex, c}])
		}
		return out
	}
	for r := g.StartRowIndex; r < endRow; r++ {
		out = append(out, get[[2]int64{r, g.StartColumnIndex}])
	}
	return out
}

// shapeSeries splits header cells from data: headerCount rows are
// headers (series names); when the spec leaves it 0 and the first value
// of every series is text, the first row is taken as the header, as
// Sheets guesses.
func shapeSeries(labels []string, cols [][]string, headerCount int64) ([]string, []seriesData) {
	if headerCount == 0 && len(cols) > 0 {
		guess := true
		for _, c := range cols {
			if len(c) == 0 {
				guess = false
				break
			}
			if _, err := strconv.ParseFloat(c[0], 64); err == nil || c[0] == "" {
				guess = false
			}
		}
		if guess {
			headerCount = 1
		}
	}
	n := 0
	for _, c := range cols {
		n = max(n, len(c))
	}
	n = max(n, len(labels))
	hc := int(min(headerCount, int64(n)))
	out := make([]seriesData, len(cols))
	for i, c := range cols {
		if hc > 0 && len(c) > 0 {
			out[i].Name = strings.Join(c[:min(hc, len(c))], " ")
		}
		if out[i].Name == "" {
			out[i].Name = fmt.Sprintf(msgSeries, i+1)
		}
		for j := hc; j < n; j++ {
			v := 0.0
			if j < len(c) {
				v, _ = strconv.ParseFloat(strings.ReplaceAll(c[j], ",", ""), 64)
			}
			out[i].Values = append(out[i].Values, v)
		}
	}
	var lab []string
	for j := hc; j < n; j++ {
		l := ""
		if j < len(labels) {
			l = labels[j]
		}
		lab = append(lab, l)
	}
	return lab, out
}

// renderSVG draws the chart. Every text is escaped; numbers are
// formatted by the code.
func renderSVG(cv chartView) string {
	var b strings.Builder
	esc := template.HTMLEscapeString
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s" class="bagan">`,
		chartW, chartH, chartW, chartH, esc(cv.Title))
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#ffffff" stroke="#dadce0"/>`, chartW, chartH)
	fmt.Fprintf(&b, `<text x="%d" y="22" text-anchor="middle" font-size="15" font-weight="bold" fill="#202124">%s</text>`, chartW/2, esc(cv.Title))
	if cv.Kind == "PIE" {
		drawPie(&b, cv)
	} else {
		drawAxes(&b, cv)
	}
	// Legend.
	for i, s := range cv.Series {
		if cv.Kind == "PIE" {
			break
		}
		x := 70 + i*130
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="10" height="10" fill="%s"/><text x="%d" y="%d" font-size="11" fill="#202124">%s</text>`,
			x, chartH-16, s.Color, x+14, chartH-7, esc(truncate(s.Name, 18)))
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// plot area of axis charts.
const (
	plotL = 60
	plotT = 40
	plotR = chartW - 20
	plotB = chartH - 60
)

func drawAxes(b *strings.Builder, cv chartView) {
	esc := template.HTMLEscapeString
	hi := 0.0
	for _, s := range cv.Series {
		for _, v := range s.Values {
			hi = math.Max(hi, v)
		}
	}
	hi = niceMax(hi)
	n := len(cv.Labels)
	if n == 0 {
		return
	}
	horizontal := cv.Kind == "BAR"
	// Gridlines and value axis.
	for i := 0; i <= 4; i++ {
		v := hi * float64(i) / 4
		if horizontal {
			x := plotL + float64(plotR-plotL)*float64(i)/4
			fmt.Fprintf(b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#e0e0e0"/><text x="%.1f" y="%d" font-size="10" text-anchor="middle" fill="#5f6368">%s</text>`,
				x, plotT, x, plotB, x, plotB+14, fmtNum(v))
		} else {
			y := plotB - float64(plotB-plotT)*float64(i)/4
			fmt.Fprintf(b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#e0e0e0"/><text x="%d" y="%.1f" font-size="10" text-anchor="end" fill="#5f6368">%s</text>`,
				plotL, y, plotR, y, plotL-6, y+3, fmtNum(v))
		}
	}
	fmt.Fprintf(b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#5f6368"/>`, plotL, plotB, plotR, plotB)
	fmt.Fprintf(b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#5f6368"/>`, plotL, plotT, plotL, plotB)
	ns := max(len(cv.Series), 1)
	if horizontal {
		band := float64(plotB-plotT) / float64(n)
		bar := band * 0.8 / float64(ns)
		for j, l := range cv.Labels {
			y0 := plotT + band*float64(j) + band*0.1
			fmt.Fprintf(b, `<text x="%d" y="%.1f" font-size="10" text-anchor="end" fill="#202124">%s</text>`, plotL-4, y0+band*0.4+3, esc(truncate(l, 9)))
			for i, s := range cv.Series {
				w := float64(plotR-plotL) * s.Values[j] / hi
				fmt.Fprintf(b, `<rect x="%d" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s: %s</title></rect>`,
					plotL, y0+bar*float64(i), w, bar, s.Color, esc(s.Name+" · "+l), fmtNum(s.Values[j]))
			}
		}
		return
	}
	band := float64(plotR-plotL) / float64(n)
	for j, l := range cv.Labels {
		x := plotL + band*float64(j) + band/2
		fmt.Fprintf(b, `<text x="%.1f" y="%d" font-size="10" text-anchor="middle" fill="#202124">%s</text>`, x, plotB+14, esc(truncate(l, int(band/6)+2)))
	}
	for i, s := range cv.Series {
		if cv.Kind == "LINE" {
			var pts []string
			for j, v := range s.Values {
				x := plotL + band*float64(j) + band/2
				y := plotB - float64(plotB-plotT)*v/hi
				pts = append(pts, fmt.Sprintf("%.1f,%.1f", x, y))
				fmt.Fprintf(b, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s"><title>%s: %s</title></circle>`, x, y, s.Color, esc(s.Name+" · "+cv.Labels[j]), fmtNum(v))
			}
			fmt.Fprintf(b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>`, strings.Join(pts, " "), s.Color)
			continue
		}
		bar := band * 0.8 / float64(ns)
		for j, v := range s.Values {
			x := plotL + band*float64(j) + band*0.1 + bar*float64(i)
			h := float64(plotB-plotT) * v / hi
			fmt.Fprintf(b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s: %s</title></rect>`,
				x, float64(plotB)-h, bar, h, s.Color, esc(s.Name+" · "+cv.Labels[j]), fmtNum(v))
		}
	}
}

func drawPie(b *strings.Builder, cv chartView) {
	esc := template.HTMLEscapeString
	if len(cv.Series) == 0 {
		return
	}
	vals := cv.Series[0].Values
	total := 0.0
	for _, v := range vals {
		total += math.Max(v, 0)
	}
	cx, cy, r := 150.0, 160.0, 110.0
	if total == 0 {
		fmt.Fprintf(b, `<circle cx="%.0f" cy="%.0f" r="%.0f" fill="#f1f3f4" stroke="#dadce0"/><text x="%.0f" y="%.0f" text-anchor="middle" font-size="12" fill="#5f6368">tidak ada data</text>`, cx, cy, r, cx, cy)
		return
	}
	angle := -math.Pi / 2
	for j, v := range vals {
		if v <= 0 {
			continue
		}
		color := palette[j%len(palette)]
		label := ""
		if j < len(cv.Labels) {
			label = cv.Labels[j]
		}
		sweep := 2 * math.Pi * v / total
		if sweep >= 2*math.Pi-1e-9 {
			fmt.Fprintf(b, `<circle cx="%.1f" cy="%.1f" r="%.1f" fill="%s"><title>%s: %s</title></circle>`, cx, cy, r, color, esc(label), fmtNum(v))
		} else {
			x0, y0 := cx+r*math.Cos(angle), cy+r*math.Sin(angle)
			x1, y1 := cx+r*math.Cos(angle+sweep), cy+r*math.Sin(angle+sweep)
			large := 0
			if sweep > math.Pi {
				large = 1
			}
			fmt.Fprintf(b, `<path d="M%.1f,%.1f L%.1f,%.1f A%.1f,%.1f 0 %d 1 %.1f,%.1f Z" fill="%s" stroke="#ffffff"><title>%s: %s</title></path>`,
				cx, cy, x0, y0, r, r, large, x1, y1, color, esc(label), fmtNum(v))
		}
		angle += sweep
		ly := 60 + j*20
		fmt.Fprintf(b, `<rect x="300" y="%d" width="12" height="12" fill="%s"/><text x="318" y="%d" font-size="12" fill="#202124">%s (%s)</text>`,
			ly, color, ly+10, esc(truncate(label, 22)), fmtNum(v))
	}
}

// niceMax rounds an axis maximum up to 1, 2 or 5 times a power of ten.
func niceMax(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

func fmtNum(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

func truncate(s string, n int) string {
	r := []rune(s)
	if n < 2 {
		n = 2
	}
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
