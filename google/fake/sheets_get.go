package fake

import (
	"encoding/json"
	"fmt"
	"strings"

	"google.golang.org/api/sheets/v4"
)

// Pixel sizes Sheets reports for rows and columns nobody resized.
const (
	defaultRowPixels    = 21
	defaultColumnPixels = 100
)

// spreadsheetURL is where Google serves the spreadsheet's editor.
func spreadsheetURL(id string) string {
	return "https://docs.google.com/spreadsheets/d/" + id + "/edit"
}

// getSpreadsheet finds a spreadsheet or answers Google's 404.
func (s *Server) getSpreadsheet(id string) (*spreadsheet, error) {
	ss := s.sheets.byID[id]
	if ss == nil {
		return nil, notFound("Requested entity was not found.")
	}
	return ss, nil
}

// createRequest reads the parts of a create request whose presence
// matters: the official client omits sheetId 0, so an absent sheetId
// (generate one) and sheetId 0 can only be told apart in the raw JSON.
type createRequest struct {
	Sheets []struct {
		Properties struct {
			SheetID *int64 `json:"sheetId"`
		} `json:"properties"`
	} `json:"sheets"`
}

// sheetsCreate implements spreadsheets.create: title defaults to "Untitled
// spreadsheet", no sheets means one "Sheet1" with sheetId 0, a sheet
// without sheetId gets a generated one, and duplicate titles or ids are
// refused. Grid data given with the sheets is stored.
func (s *Server) sheetsCreate(c *call) (any, error) {
	var req sheets.Spreadsheet
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	var raw createRequest
	_ = json.Unmarshal(c.body, &raw)

	props := sheets.SpreadsheetProperties{}
	if req.Properties != nil {
		props = *req.Properties
	}
	if props.Title == "" {
		props.Title = "Untitled spreadsheet"
	}
	if props.Locale == "" {
		props.Locale = "en_US"
	}
	if props.TimeZone == "" {
		props.TimeZone = "Etc/GMT"
	}
	if props.AutoRecalc == "" {
		props.AutoRecalc = "ON_CHANGE"
	}
	ss := &spreadsheet{id: s.randomID(44, base64URL), props: &props, nextSheet: 1, nextMeta: 1, nextObject: 1}
	for s.sheets.byID[ss.id] != nil {
		ss.id = s.randomID(44, base64URL)
	}
	if len(req.Sheets) == 0 {
		ss.tabs = []*tab{newTab(&sheets.SheetProperties{Title: "Sheet1"})}
	}
	for i, sh := range req.Sheets {
		p := sheets.SheetProperties{}
		if sh.Properties != nil {
			p = *sh.Properties
		}
		hasID := i < len(raw.Sheets) && raw.Sheets[i].Properties.SheetID != nil
		if !hasID {
			p.SheetId = s.newSheetID(ss, req.Sheets)
		}
		if p.SheetId < 0 {
			return nil, invalidArgument("Invalid sheets[%d].properties.sheetId: %d", i, p.SheetId)
		}
		if ss.tabByID(p.SheetId) != nil {
			return nil, invalidArgument("Invalid requests[%d].addSheet: Sheet with id %d already exists.", i, p.SheetId)
		}
		if p.Title == "" {
			p.Title = untitledSheet(ss)
		}
		if ss.tabByName(p.Title) != nil {
			return nil, invalidArgument("Invalid requests[%d].addSheet: A sheet with the name \"%s\" already exists. Please enter another name.", i, p.Title)
		}
		t := newTab(&p)
		if err := seedGridData(t, sh.Data); err != nil {
			return nil, err
		}
		ss.tabs = append(ss.tabs, t)
	}
	ss.reindex()
	s.sheets.byID[ss.id] = ss
	return ss.render(nil, false), nil
}

// newSheetID draws a sheetId like Google's (a random positive int32) that
// neither the spreadsheet nor the request uses.
func (s *Server) newSheetID(ss *spreadsheet, req []*sheets.Sheet) int64 {
	for {
		var id int64
		for _, d := range s.randomID(9, "0123456789") {
			id = id*10 + int64(d-'0')
		}
		if id == 0 || ss.tabByID(id) != nil {
			continue
		}
		taken := false
		for _, sh := range req {
			taken = taken || sh.Properties != nil && sh.Properties.SheetId == id
		}
		if !taken {
			return id
		}
	}
}

// untitledSheet is the first free "SheetN" name.
func untitledSheet(ss *spreadsheet) string {
	for n := len(ss.tabs) + 1; ; n++ {
		if name := fmt.Sprintf("Sheet%d", n); ss.tabByName(name) == nil {
			return name
		}
	}
}

// seedGridData stores the cells of create's sheets[].data.
func seedGridData(t *tab, data []*sheets.GridData) error {
	for _, gd := range data {
		for ri, row := range gd.RowData {
			for ci, cd := range row.Values {
				r, c := gd.StartRow+int64(ri), gd.StartColumn+int64(ci)
				if r >= t.rowCount() || c >= t.colCount() {
					return invalidArgument("Invalid data: cell %s%d exceeds grid limits. Max rows: %d, max columns: %d",
						columnLetters(c), r+1, t.rowCount(), t.colCount())
				}
				if cd == nil {
					continue
				}
				stored := *cd
				stored.EffectiveValue, stored.FormattedValue, stored.EffectiveFormat = nil, "", nil
				if s := stored.UserEnteredValue; s != nil && s.StringValue != nil && len([]rune(*s.StringValue)) > maxCellChars {
					return invalidArgument("Your input contains more than the maximum of %d characters in a single cell.", maxCellChars)
				}
				t.setCell(r, c, &stored)
			}
		}
	}
	return nil
}

// sheetsGet implements spreadsheets.get.
func (s *Server) sheetsGet(c *call) (any, error) {
	ss, err := s.getSpreadsheet(c.params["spreadsheetId"])
	if err != nil {
		return nil, err
	}
	var ranges []boundRange
	for _, a1 := range c.query["ranges"] {
		br, err := ss.parseA1(a1)
		if err != nil {
			return nil, err
		}
		ranges = append(ranges, br)
	}
	out, blocks := ss.renderShell(ranges, c.query.Get("includeGridData") == "true")
	var m fieldMask
	if fields := c.query.Get("fields"); fields != "" {
		m, _ = parseFields(fields) // a mask that does not parse fails in the trim
	}
	return encodeGrids(out, newGetGrids(ss, blocks, m, true)), nil
}

// sheetsGetByDataFilter implements spreadsheets.getByDataFilter: the
// ranges are whatever the filters select.
func (s *Server) sheetsGetByDataFilter(c *call) (any, error) {
	ss, err := s.getSpreadsheet(c.params["spreadsheetId"])
	if err != nil {
		return nil, err
	}
	var req sheets.GetSpreadsheetByDataFilterRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	var ranges []boundRange
	for i, f := range req.DataFilters {
		brs, err := ss.resolveDataFilter(f)
		if err != nil {
			return nil, prefixError(err, fmt.Sprintf("dataFilters[%d]", i))
		}
		ranges = append(ranges, brs...)
	}
	if len(req.DataFilters) > 0 && len(ranges) == 0 {
		// Nothing matched: no sheet intersects, as with ranges.
		out := ss.render(nil, false)
		out.Sheets = nil
		return out, nil
	}
	out, blocks := ss.renderShell(ranges, req.IncludeGridData)
	var m fieldMask
	if fields := c.query.Get("fields"); fields != "" {
		m, _ = parseFields(fields)
	}
	return encodeGrids(out, newGetGrids(ss, blocks, m, false)), nil
}

// encodeGrids encodes a response whose grid data is still in the model
// now, under the server's lock: the handler's result is its encoding
// (or, when that fails, what fails to encode as it did).
func encodeGrids(out *sheets.Spreadsheet, grids gridSource) any {
	b, err := gridEncoded{Spreadsheet: out, lazy: grids}.MarshalJSON()
	if err != nil {
		return encodeFailure{err}
	}
	return compactJSON(b)
}

// prefixError names the request part an error came from.
func prefixError(err error, where string) error {
	if e, ok := err.(*APIError); ok && !strings.HasPrefix(e.Message, "Invalid ") {
		cp := *e
		cp.Message = "Invalid " + where + ": " + e.Message
		return &cp
	}
	return err
}

// render builds the Spreadsheet resource. With ranges, only the tabs they
// touch are returned and grid data is limited to them; includeGrid adds
// data[] (cells, row and column metadata).
func (ss *spreadsheet) render(ranges []boundRange, includeGrid bool) *sheets.Spreadsheet {
	out, blocks := ss.renderShell(ranges, includeGrid)
	for i, bs := range blocks {
		for _, b := range bs {
			out.Sheets[i].Data = append(out.Sheets[i].Data, ss.gridData(b))
		}
	}
	return out
}

// renderShell is render without the grid data: the blocks render would
// fill data[] with, by the index of their sheet in the response.
func (ss *spreadsheet) renderShell(ranges []boundRange, includeGrid bool) (*sheets.Spreadsheet, [][]gridBlock) {
	props := *ss.props
	out := &sheets.Spreadsheet{
		SpreadsheetId:  ss.id,
		SpreadsheetUrl: spreadsheetURL(ss.id),
		Properties:     &props,
	}
	for _, m := range ss.meta {
		out.DeveloperMetadata = append(out.DeveloperMetadata, locatedMeta(m, &sheets.DeveloperMetadataLocation{
			LocationType: "SPREADSHEET", Spreadsheet: true,
		}))
	}
	var blocks [][]gridBlock
	for _, t := range ss.tabs {
		var mine []boundRange
		for _, br := range ranges {
			if br.tab == t {
				mine = append(mine, br)
			}
		}
		if len(ranges) > 0 && len(mine) == 0 {
			continue
		}
		var bs []gridBlock
		if includeGrid {
			if len(ranges) == 0 {
				mine = []boundRange{wholeTab(t)}
			}
			for _, br := range mine {
				if cl, ok := br.clip(); ok {
					bs = append(bs, gridBlock{t, cl.row0, cl.row1, cl.col0, cl.col1})
				}
			}
		}
		out.Sheets = append(out.Sheets, renderTabShell(t))
		blocks = append(blocks, bs)
	}
	return out, blocks
}

// renderTabShell is a Sheet without grid data.
func renderTabShell(t *tab) *sheets.Sheet {
	p := *t.props
	if p.GridProperties != nil {
		gp := *p.GridProperties
		p.GridProperties = &gp
	}
	// Google sends sheetId and index even when they are 0.
	p.ForceSendFields = append([]string{"SheetId", "Index"}, p.ForceSendFields...)
	sh := &sheets.Sheet{
		Properties:         &p,
		ProtectedRanges:    t.protected,
		Charts:             t.charts,
		Merges:             t.merges,
		ConditionalFormats: t.conditions,
		BasicFilter:        t.filter,
	}
	for _, m := range t.meta {
		sh.DeveloperMetadata = append(sh.DeveloperMetadata, locatedMeta(m, &sheets.DeveloperMetadataLocation{
			LocationType: "SHEET", SheetId: t.props.SheetId,
		}))
	}
	return sh
}

// gridData renders one clipped range: rowData up to the last row with
// content (trailing empty rows and cells omitted, as Google does) and
// metadata for every row and column of the range.
func (ss *spreadsheet) gridData(b gridBlock) *sheets.GridData {
	br := boundRange{tab: b.t, row0: b.r0, row1: b.r1, col0: b.c0, col1: b.c1}
	gd := &sheets.GridData{StartRow: br.row0, StartColumn: br.col0}
	t := br.tab
	var rows []*sheets.RowData
	lastRow := -1
	for r := br.row0; r < br.row1; r++ {
		rd := &sheets.RowData{}
		last := -1
		for c := br.col0; c < br.col1; c++ {
			if t.hasCell(r, c) {
				last = int(c - br.col0)
			}
		}
		for c := br.col0; c <= br.col0+int64(last); c++ {
			rd.Values = append(rd.Values, ss.renderCellData(t, r, c))
		}
		if last >= 0 {
			lastRow = len(rows)
		}
		rows = append(rows, rd)
	}
	gd.RowData = rows[:lastRow+1]
	for r := br.row0; r < br.row1; r++ {
		row := t.rows[r]
		dp := dimensionProps(row.props, defaultRowPixels)
		for _, m := range row.meta {
			dp.DeveloperMetadata = append(dp.DeveloperMetadata, locatedMeta(m, dimLocation(t, "ROWS", r)))
		}
		gd.RowMetadata = append(gd.RowMetadata, dp)
	}
	for c := br.col0; c < br.col1; c++ {
		col := t.cols[c]
		dp := dimensionProps(col.props, defaultColumnPixels)
		for _, m := range col.meta {
			dp.DeveloperMetadata = append(dp.DeveloperMetadata, locatedMeta(m, dimLocation(t, "COLUMNS", c)))
		}
		gd.ColumnMetadata = append(gd.ColumnMetadata, dp)
	}
	return gd
}

// dimensionProps copies a row's or column's properties, with the default
// pixel size when none was set.
func dimensionProps(p *sheets.DimensionProperties, pixels int64) *sheets.DimensionProperties {
	out := &sheets.DimensionProperties{PixelSize: pixels}
	if p != nil {
		*out = *p
		out.DeveloperMetadata = nil
		if out.PixelSize == 0 {
			out.PixelSize = pixels
		}
	}
	return out
}
