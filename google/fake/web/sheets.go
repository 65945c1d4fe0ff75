package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"google.golang.org/api/sheets/v4"

	"kopi/google/fake"
)

// maxCellText is how much of a cell the grid shows; the editor loads the
// whole value.
const maxCellText = 240

// sheetsView is one spreadsheet with its tab links and the chosen tab.
type sheetsView struct {
	Spreadsheets []link
	ID           string
	Title        string
	Tabs         []tabLink
	Tab          *tabView
}

type link struct {
	ID, Title string
	Active    bool
}

type tabLink struct {
	Title  string
	URL    string
	Hidden bool
	Active bool
}

// tabView is one tab as a grid.
type tabView struct {
	Title     string
	Hidden    bool
	Frozen    int
	Columns   []columnView
	Rows      []rowView
	Protected []protectedView
	Charts    []chartView
}

type columnView struct {
	Letter string
	Width  int64
}

type rowView struct {
	Number int
	Frozen bool
	Cells  []cellView
}

// cellView is one grid cell: its text, and what editing it offers.
type cellView struct {
	A1        string
	Text      string
	Cut       bool     // Text is shortened
	Formula   string   // the formula when the cell holds one
	Note      string   //
	Options   []string // dropdown choices from data validation
	Protected string   // description of the protected range covering it
	Number    bool
}

type protectedView struct {
	Range       string
	Description string
	Editors     string
	WarningOnly bool
}

// sheetsPage shows a spreadsheet's tab as a grid.
func (h *Handler) sheetsPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	v, err := h.sheetsView(q.Get("id"), q.Get("tab"))
	p := &page{Title: "Lembar", Nav: "lembar", Live: true, Data: v}
	if err != nil {
		p.Error = err.Error()
	}
	if q.Get("tersimpan") != "" {
		p.Flash = fmt.Sprintf(msgCellSaved, q.Get("tersimpan"))
	}
	if e := q.Get("galat"); e != "" {
		p.Error = e
	}
	if v != nil && v.Tab != nil {
		p.Title = v.Tab.Title + " · " + v.Title
	}
	h.render(w, r, "sheets", p)
}

func (h *Handler) sheetsView(chosen, tabTitle string) (*sheetsView, error) {
	v := &sheetsView{}
	var ss *sheets.Spreadsheet
	for _, id := range h.srv.SpreadsheetIDs() {
		s, err := h.srv.Spreadsheet(id)
		if err != nil {
			continue
		}
		if chosen == "" {
			chosen = id
		}
		v.Spreadsheets = append(v.Spreadsheets, link{ID: id, Title: s.Properties.Title, Active: id == chosen})
		if id == chosen {
			ss = s
		}
	}
	if ss == nil {
		if chosen != "" {
			return v, fmt.Errorf(msgNoSpreadsheet, chosen)
		}
		return v, nil
	}
	v.ID, v.Title = ss.SpreadsheetId, ss.Properties.Title
	var shown *sheets.Sheet
	for _, sh := range ss.Sheets {
		if tabTitle == "" && !sh.Properties.Hidden {
			tabTitle = sh.Properties.Title
		}
		active := sh.Properties.Title == tabTitle
		if active {
			shown = sh
		}
		v.Tabs = append(v.Tabs, tabLink{
			Title: sh.Properties.Title, Hidden: sh.Properties.Hidden, Active: active,
			URL: "/lembar?id=" + url.QueryEscape(ss.SpreadsheetId) + "&tab=" + url.QueryEscape(sh.Properties.Title),
		})
	}
	if shown == nil {
		if tabTitle != "" && len(ss.Sheets) > 0 {
			return v, fmt.Errorf(msgNoTab, tabTitle)
		}
		return v, nil
	}
	v.Tab = h.tabView(ss, shown)
	return v, nil
}

// tabView lays a tab out as a grid: columns up to the last one with a
// value or a header, rows up to the last with a value plus one free row
// to type into.
func (h *Handler) tabView(ss *sheets.Spreadsheet, sh *sheets.Sheet) *tabView {
	p := sh.Properties
	tv := &tabView{Title: p.Title, Hidden: p.Hidden}
	gp := p.GridProperties
	if gp == nil {
		gp = &sheets.GridProperties{}
	}
	tv.Frozen = int(gp.FrozenRowCount)
	cells := map[[2]int64]*sheets.CellData{}
	var lastRow, lastCol int64 = -1, -1
	var colMeta []*sheets.DimensionProperties
	for _, gd := range sh.Data {
		if gd.StartRow == 0 && gd.StartColumn == 0 {
			colMeta = gd.ColumnMetadata
		}
		for ri, rd := range gd.RowData {
			for ci, cd := range rd.Values {
				r, c := gd.StartRow+int64(ri), gd.StartColumn+int64(ci)
				cells[[2]int64{r, c}] = cd
				if cd != nil && cd.UserEnteredValue != nil {
					lastRow, lastCol = max(lastRow, r), max(lastCol, c)
				}
			}
		}
	}
	nRows := min(max(lastRow+2, int64(tv.Frozen)+1), max(gp.RowCount, 1))
	nCols := min(lastCol+1, max(gp.ColumnCount, 1))
	nCols = max(nCols, 1)
	for c := int64(0); c < nCols; c++ {
		col := columnView{Letter: columnLetters(c), Width: 120}
		if int(c) < len(colMeta) && colMeta[c] != nil && colMeta[c].PixelSize > 0 {
			col.Width = min(colMeta[c].PixelSize, 480)
		}
		tv.Columns = append(tv.Columns, col)
	}
	prefix := quoteSheetName(p.Title) + "!"
	for r := int64(0); r < nRows; r++ {
		row := rowView{Number: int(r + 1), Frozen: r < int64(tv.Frozen)}
		for c := int64(0); c < nCols; c++ {
			cv := cellView{A1: prefix + columnLetters(c) + strconv.FormatInt(r+1, 10)}
			cd := cells[[2]int64{r, c}]
			if cd != nil {
				fillCell(&cv, cd)
				cv.Options = h.dropdown(ss.SpreadsheetId, cd.DataValidation)
			}
			cv.Protected = protectedAt(sh, r, c)
			row.Cells = append(row.Cells, cv)
		}
		tv.Rows = append(tv.Rows, row)
	}
	for _, pr := range sh.ProtectedRanges {
		pv := protectedView{Description: pr.Description, WarningOnly: pr.WarningOnly, Range: describeRange(p.Title, pr.Range)}
		if pr.NamedRangeId != "" {
			pv.Range = msgNamedRange + pr.NamedRangeId
		}
		if pr.Editors != nil {
			pv.Editors = strings.Join(append(append([]string{}, pr.Editors.Users...), pr.Editors.Groups...), ", ")
		}
		tv.Protected = append(tv.Protected, pv)
	}
	for _, ch := range sh.Charts {
		tv.Charts = append(tv.Charts, drawChart(ss, ch))
	}
	return tv
}

// fillCell copies what the grid shows of a stored cell.
func fillCell(cv *cellView, cd *sheets.CellData) {
	text := cd.FormattedValue
	if r := []rune(text); len(r) > maxCellText {
		text, cv.Cut = string(r[:maxCellText])+"…", true
	}
	cv.Text = text
	cv.Note = cd.Note
	if uv := cd.UserEnteredValue; uv != nil && uv.FormulaValue != nil {
		cv.Formula = *uv.FormulaValue
	}
	if ev := cd.EffectiveValue; ev != nil && ev.NumberValue != nil {
		cv.Number = true
	}
}

// dropdown returns the choices of a list validation: ONE_OF_LIST values,
// or the values of a ONE_OF_RANGE range.
func (h *Handler) dropdown(spreadsheetID string, dv *sheets.DataValidationRule) []string {
	if dv == nil || dv.Condition == nil {
		return nil
	}
	switch dv.Condition.Type {
	case "ONE_OF_LIST":
		var out []string
		for _, v := range dv.Condition.Values {
			out = append(out, v.UserEnteredValue)
		}
		return out
	case "ONE_OF_RANGE":
		if len(dv.Condition.Values) == 0 {
			return nil
		}
		rows, err := h.srv.SpreadsheetValues(spreadsheetID, strings.TrimPrefix(dv.Condition.Values[0].UserEnteredValue, "="))
		if err != nil {
			return nil
		}
		var out []string
		for _, row := range rows {
			for _, v := range row {
				if v != "" {
					out = append(out, v)
				}
			}
		}
		return out
	}
	return nil
}

// protectedAt is the description of the first protected range covering
// a cell ("dilindungi" when it has none), or "".
func protectedAt(sh *sheets.Sheet, r, c int64) string {
	for _, pr := range sh.ProtectedRanges {
		g := pr.Range
		if g == nil {
			continue
		}
		if inSpan(r, g.StartRowIndex, g.EndRowIndex) && inSpan(c, g.StartColumnIndex, g.EndColumnIndex) {
			d := pr.Description
			if d == "" {
				d = msgProtected
			}
			if pr.WarningOnly {
				d += msgWarningOnly
			}
			return d
		}
	}
	return ""
}

// inSpan reports whether i is in [start, end), an end of 0 meaning
// unbounded as in a GridRange.
func inSpan(i, start, end int64) bool {
	return i >= start && (end == 0 || i < end)
}

// describeRange is a GridRange in A1 notation for people.
func describeRange(tab string, g *sheets.GridRange) string {
	if g == nil {
		return tab
	}
	col := func(i int64) string { return columnLetters(i) }
	switch {
	case g.StartRowIndex == 0 && g.EndRowIndex == 0 && g.StartColumnIndex == 0 && g.EndColumnIndex == 0:
		return msgWholeTab + tab
	case g.StartRowIndex == 0 && g.EndRowIndex == 0:
		end := "…"
		if g.EndColumnIndex > 0 {
			end = col(g.EndColumnIndex - 1)
		}
		return fmt.Sprintf(msgColumns, col(g.StartColumnIndex), end)
	}
	end := "…"
	if g.EndRowIndex > 0 {
		end = strconv.FormatInt(g.EndRowIndex, 10)
	}
	endCol := "…"
	if g.EndColumnIndex > 0 {
		endCol = col(g.EndColumnIndex - 1)
	}
	return fmt.Sprintf("%s%d:%s%s", col(g.StartColumnIndex), g.StartRowIndex+1, endCol, end)
}

// cellGet returns a cell's stored value for the editor as JSON {"nilai":
// ...}: a formula as its formula; text that typing would turn into a
// formula, number or boolean with a leading apostrophe, as the Sheets
// editor shows it, so that saving it again keeps it text.
func (h *Handler) cellGet(w http.ResponseWriter, r *http.Request) {
	v, err := h.srv.CellUserEnteredValue(r.PathValue("spreadsheetId"), r.URL.Query().Get("a1"))
	w.Header().Set("Content-Type", "application/json")
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{"galat": msgCellUnreadable + err.Error()})
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]string{"nilai": editText(v)})
}

// editText is a stored value as a person would type it back.
func editText(v *sheets.ExtendedValue) string {
	switch {
	case v == nil:
		return ""
	case v.FormulaValue != nil:
		return *v.FormulaValue
	case v.BoolValue != nil:
		if *v.BoolValue {
			return "TRUE"
		}
		return "FALSE"
	case v.NumberValue != nil:
		return strconv.FormatFloat(*v.NumberValue, 'f', -1, 64)
	case v.StringValue != nil:
		s := *v.StringValue
		if typedAsNonText(s) {
			return "'" + s
		}
		return s
	}
	return ""
}

// typedAsNonText reports whether USER_ENTERED parsing could read s as
// something other than the text s: a formula, a number, a boolean, or
// text that starts with the apostrophe that marks text.
func typedAsNonText(s string) bool {
	t := strings.TrimSpace(s)
	if t == "" {
		return false
	}
	switch t[0] {
	case '=', '+', '\'', '-':
		return true
	}
	if _, err := strconv.ParseFloat(strings.TrimSuffix(t, "%"), 64); err == nil {
		return true
	}
	u := strings.ToUpper(t)
	return u == "TRUE" || u == "FALSE" || (t[0] >= '0' && t[0] <= '9')
}

// cellPost writes a value into one cell as if typed in the Sheets UI: a
// USER_ENTERED write, so "=SUM(A1:A3)" stays a formula and "'=x" is the
// text "=x".
func (h *Handler) cellPost(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("spreadsheetId")
	a1 := r.FormValue("a1")
	value := strings.ReplaceAll(r.FormValue("nilai"), "\r\n", "\n")
	tab := r.FormValue("tab")
	back := "/lembar?id=" + url.QueryEscape(id) + "&tab=" + url.QueryEscape(tab)
	if a1 == "" {
		http.Redirect(w, r, back+"&galat="+url.QueryEscape(msgPickCell), http.StatusSeeOther)
		return
	}
	if err := h.srv.SetValues(id, a1, [][]any{{value}}, true); err != nil {
		msg := err.Error()
		var ae *fake.APIError
		if errors.As(err, &ae) {
			msg = ae.Message
		}
		http.Redirect(w, r, back+"&galat="+url.QueryEscape(fmt.Sprintf(msgCellNotSaved, a1, msg)), http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, back+"&tersimpan="+url.QueryEscape(a1), http.StatusSeeOther)
}

// columnLetters is the A1 letters of a 0-based column index.
func columnLetters(i int64) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// quoteSheetName quotes a tab title for A1 notation, doubling quotes.
func quoteSheetName(title string) string {
	return "'" + strings.ReplaceAll(title, "'", "''") + "'"
}
