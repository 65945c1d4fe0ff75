package fake

import (
	"fmt"

	"google.golang.org/api/sheets/v4"
)

// registerSheetsValues registers spreadsheets.create/get/getByDataFilter and
// the values.* methods.
func (s *Server) registerSheetsValues() {
	s.handle("sheets.spreadsheets.create", s.sheetsCreate)
	s.handle("sheets.spreadsheets.get", s.sheetsGet)
	s.handle("sheets.spreadsheets.getByDataFilter", s.sheetsGetByDataFilter)
	s.handle("sheets.spreadsheets.values.get", s.valuesGet)
	s.handle("sheets.spreadsheets.values.batchGet", s.valuesBatchGet)
	s.handle("sheets.spreadsheets.values.update", s.valuesUpdate)
	s.handle("sheets.spreadsheets.values.batchUpdate", s.valuesBatchUpdate)
	s.handle("sheets.spreadsheets.values.append", s.valuesAppend)
	s.handle("sheets.spreadsheets.values.clear", s.valuesClear)
	s.handle("sheets.spreadsheets.values.batchClear", s.valuesBatchClear)
	s.handle("sheets.spreadsheets.values.batchGetByDataFilter", s.valuesBatchGetByDataFilter)
	s.handle("sheets.spreadsheets.values.batchUpdateByDataFilter", s.valuesBatchUpdateByDataFilter)
	s.handle("sheets.spreadsheets.values.batchClearByDataFilter", s.valuesBatchClearByDataFilter)
}

// readRange parses a range for reading: clipped to the grid, and refused
// when it starts outside the grid.
func (ss *spreadsheet) readRange(a1 string) (boundRange, error) {
	br, err := ss.parseA1(a1)
	if err != nil {
		return boundRange{}, err
	}
	return clipForRead(br)
}

func clipForRead(br boundRange) (boundRange, error) {
	cl, ok := br.clip()
	if !ok {
		return boundRange{}, br.gridLimitError()
	}
	return cl, nil
}

// readValues renders a clipped range as values.get does: trailing empty
// rows (or columns, with majorDimension COLUMNS) and trailing empty cells
// of each are omitted.
func (ss *spreadsheet) readValues(br boundRange, major string, o renderOpts) *sheets.ValueRange {
	if major == "" || major == "DIMENSION_UNSPECIFIED" {
		major = "ROWS"
	}
	vr := &sheets.ValueRange{Range: br.a1(), MajorDimension: major}
	outer0, outer1, inner0, inner1 := br.row0, br.row1, br.col0, br.col1
	if major == "COLUMNS" {
		outer0, outer1, inner0, inner1 = br.col0, br.col1, br.row0, br.row1
	}
	var lines [][]any
	lastLine := -1
	for i := outer0; i < outer1; i++ {
		var line []any
		last := -1
		for j := inner0; j < inner1; j++ {
			r, c := i, j
			if major == "COLUMNS" {
				r, c = j, i
			}
			v := ss.renderValue(br.tab, r, c, o)
			if v == nil {
				v = ""
			} else {
				last = len(line)
			}
			line = append(line, v)
		}
		line = line[:last+1]
		if line == nil {
			line = []any{}
		}
		if last >= 0 {
			lastLine = len(lines)
		}
		lines = append(lines, line)
	}
	if lastLine >= 0 {
		vr.Values = lines[:lastLine+1]
	}
	return vr
}

func (s *Server) valuesGet(c *call) (any, error) {
	ss, err := s.getSpreadsheet(c.params["spreadsheetId"])
	if err != nil {
		return nil, err
	}
	br, err := ss.readRange(c.params["range"])
	if err != nil {
		return nil, err
	}
	o := newRenderOpts(c.query.Get("valueRenderOption"), c.query.Get("dateTimeRenderOption"))
	return ss.readValues(br, c.query.Get("majorDimension"), o), nil
}

func (s *Server) valuesBatchGet(c *call) (any, error) {
	ss, err := s.getSpreadsheet(c.params["spreadsheetId"])
	if err != nil {
		return nil, err
	}
	o := newRenderOpts(c.query.Get("valueRenderOption"), c.query.Get("dateTimeRenderOption"))
	out := &sheets.BatchGetValuesResponse{SpreadsheetId: ss.id}
	for _, a1 := range c.query["ranges"] {
		br, err := ss.readRange(a1)
		if err != nil {
			return nil, err
		}
		out.ValueRanges = append(out.ValueRanges, ss.readValues(br, c.query.Get("majorDimension"), o))
	}
	return out, nil
}

// writeResult is what one write did, for UpdateValuesResponse.
type writeResult struct {
	area              boundRange
	rows, cols, cells int64
	tab               *tab
}

// writeOpts says how a write may treat its range.
type writeOpts struct {
	mode   valueInput
	anchor bool // a single-cell range is a start point, not a limit
	major  string
}

// writeValues writes values into br (which must lie in the grid after any
// growth the caller did). A multi-cell range limits the values; a single
// cell, when opts.anchor, only anchors them.
func (ss *spreadsheet) writeValues(br boundRange, values [][]any, opts writeOpts) (writeResult, error) {
	res := writeResult{tab: br.tab}
	nRows, nCols := valuesShape(values, opts.major)
	single := br.row1-br.row0 == 1 && br.col1-br.col0 == 1
	if !(opts.anchor && single) {
		if nRows > br.row1-br.row0 {
			return res, invalidArgument("Requested writing within range [%s], but tried writing to row [%d]", br.a1(), br.row0+nRows)
		}
		if nCols > br.col1-br.col0 {
			return res, invalidArgument("Requested writing within range [%s], but tried writing to column [%s]", br.a1(), columnLetters(br.col0+nCols-1))
		}
	}
	area := boundRange{tab: br.tab, row0: br.row0, col0: br.col0, row1: br.row0 + nRows, col1: br.col0 + nCols}
	if nRows == 0 || nCols == 0 {
		res.area = br
		return res, nil
	}
	if !area.inGrid() {
		return res, area.gridLimitError()
	}
	rowsTouched, colsTouched := map[int64]bool{}, map[int64]bool{}
	for i, line := range values {
		for j, v := range line {
			r, c := area.row0+int64(i), area.col0+int64(j)
			if opts.major == "COLUMNS" {
				r, c = area.row0+int64(j), area.col0+int64(i)
			}
			edit, err := inputCell(v, opts.mode, br.tab.cell(r, c), ss.locale())
			if err != nil {
				return res, err
			}
			if edit.skip {
				continue
			}
			br.tab.setCell(r, c, edit.cell)
			rowsTouched[r], colsTouched[c] = true, true
			res.cells++
		}
	}
	res.area = area
	res.rows, res.cols = int64(len(rowsTouched)), int64(len(colsTouched))
	return res, nil
}

// updateResponse builds UpdateValuesResponse, reading the written cells
// back when includeValuesInResponse asked for them.
func (ss *spreadsheet) updateResponse(res writeResult, include bool, o renderOpts) *sheets.UpdateValuesResponse {
	out := &sheets.UpdateValuesResponse{
		SpreadsheetId:  ss.id,
		UpdatedRange:   res.area.a1(),
		UpdatedRows:    res.rows,
		UpdatedColumns: res.cols,
		UpdatedCells:   res.cells,
	}
	if include {
		if cl, ok := res.area.clip(); ok {
			out.UpdatedData = ss.readValues(cl, "ROWS", o)
		} else {
			out.UpdatedData = &sheets.ValueRange{Range: res.area.a1(), MajorDimension: "ROWS"}
		}
	}
	return out
}

// transact applies fn to a copy of the spreadsheet and keeps the copy only
// when fn succeeds, so a failing request changes nothing.
func (s *Server) transact(id string, fn func(ss *spreadsheet) (any, error)) (any, error) {
	ss, err := s.getSpreadsheet(id)
	if err != nil {
		return nil, err
	}
	work := ss.clone()
	out, err := fn(work)
	if err != nil {
		ss.metaIdx = nil // the failed copy may have changed the shared index
		return nil, err
	}
	s.sheets.byID[id] = work
	return out, nil
}

// sameRange reports whether a body's ValueRange.range names the URL's range.
func sameRange(a, b boundRange) bool {
	return a.tab == b.tab && a.row0 == b.row0 && a.row1 == b.row1 && a.col0 == b.col0 && a.col1 == b.col1
}

func (s *Server) valuesUpdate(c *call) (any, error) {
	mode, err := parseValueInput(c.query.Get("valueInputOption"))
	if err != nil {
		return nil, err
	}
	var vr sheets.ValueRange
	if err := c.decode(&vr); err != nil {
		return nil, err
	}
	o := newRenderOpts(c.query.Get("responseValueRenderOption"), c.query.Get("responseDateTimeRenderOption"))
	return s.transact(c.params["spreadsheetId"], func(ss *spreadsheet) (any, error) {
		br, err := ss.parseA1(c.params["range"])
		if err != nil {
			return nil, err
		}
		if vr.Range != "" {
			body, err := ss.parseA1(vr.Range)
			if err != nil || !sameRange(body, br) {
				return nil, invalidArgument("Requested entity range [%s] must match the range in the URL [%s].", vr.Range, c.params["range"])
			}
		}
		res, err := ss.writeValues(br, vr.Values, writeOpts{mode: mode, anchor: true, major: vr.MajorDimension})
		if err != nil {
			return nil, err
		}
		return ss.updateResponse(res, c.query.Get("includeValuesInResponse") == "true", o), nil
	})
}

func (s *Server) valuesBatchUpdate(c *call) (any, error) {
	var req sheets.BatchUpdateValuesRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	mode, err := parseValueInput(req.ValueInputOption)
	if err != nil {
		return nil, err
	}
	o := newRenderOpts(req.ResponseValueRenderOption, req.ResponseDateTimeRenderOption)
	return s.transact(c.params["spreadsheetId"], func(ss *spreadsheet) (any, error) {
		out := &sheets.BatchUpdateValuesResponse{SpreadsheetId: ss.id}
		touched := map[*tab]bool{}
		for i, vr := range req.Data {
			if vr == nil {
				continue
			}
			br, err := ss.parseA1(vr.Range)
			if err != nil {
				return nil, prefixError(err, fmt.Sprintf("data[%d]", i))
			}
			res, err := ss.writeValues(br, vr.Values, writeOpts{mode: mode, anchor: true, major: vr.MajorDimension})
			if err != nil {
				return nil, err
			}
			out.Responses = append(out.Responses, ss.updateResponse(res, req.IncludeValuesInResponse, o))
			addTotals(&out.TotalUpdatedRows, &out.TotalUpdatedColumns, &out.TotalUpdatedCells, res)
			if res.cells > 0 {
				touched[res.tab] = true
			}
		}
		out.TotalUpdatedSheets = int64(len(touched))
		return out, nil
	})
}

func addTotals(rows, cols, cells *int64, res writeResult) {
	*rows += res.rows
	*cols += res.cols
	*cells += res.cells
}

func (s *Server) valuesClear(c *call) (any, error) {
	return s.transact(c.params["spreadsheetId"], func(ss *spreadsheet) (any, error) {
		br, err := ss.readRange(c.params["range"])
		if err != nil {
			return nil, err
		}
		clearValues(br)
		return &sheets.ClearValuesResponse{SpreadsheetId: ss.id, ClearedRange: br.a1()}, nil
	})
}

// clearValues removes the values of a clipped range and keeps formats,
// notes and validation, as values.clear documents.
func clearValues(br boundRange) {
	for r := br.row0; r < br.row1; r++ {
		for c := br.col0; c < min(br.col1, int64(len(br.tab.rows[r].cells))); c++ {
			if old := br.tab.cell(r, c); old != nil {
				br.tab.setCell(r, c, withValue(old, nil, nil))
			}
		}
	}
}

func (s *Server) valuesBatchClear(c *call) (any, error) {
	var req sheets.BatchClearValuesRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	return s.transact(c.params["spreadsheetId"], func(ss *spreadsheet) (any, error) {
		out := &sheets.BatchClearValuesResponse{SpreadsheetId: ss.id}
		for _, a1 := range req.Ranges {
			br, err := ss.readRange(a1)
			if err != nil {
				return nil, err
			}
			clearValues(br)
			out.ClearedRanges = append(out.ClearedRanges, br.a1())
		}
		return out, nil
	})
}
