package fake

import "google.golang.org/api/sheets/v4"

// values.append finds the "table" in the given range and writes after its
// last row, starting at the table's first column:
//
//   - the table starts at the first row of the range holding a value in
//     the range's columns;
//   - it extends down while consecutive rows hold a value in the table's
//     columns, and right while the next column holds a value in the
//     table's rows (so "A1" finds a table A1:D10), beyond the range if
//     need be — an empty row ends it, so rows after a gap are not part of
//     the table and appended rows land in the gap;
//   - with no value in the range there is no table (tableRange is empty)
//     and the values go to the range's first cell.
//
// OVERWRITE (the default) writes over whatever lies there, adding rows and
// columns at the end of the grid when the values do not fit; INSERT_ROWS
// first inserts as many rows as there are new rows at the target, so rows
// below — and the metadata attached to them — move down.

func (s *Server) valuesAppend(c *call) (any, error) {
	mode, err := parseValueInput(c.query.Get("valueInputOption"))
	if err != nil {
		return nil, err
	}
	var vr sheets.ValueRange
	if err := c.decode(&vr); err != nil {
		return nil, err
	}
	insert := c.query.Get("insertDataOption") == "INSERT_ROWS"
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
		out := &sheets.AppendValuesResponse{SpreadsheetId: ss.id}
		row, col := br.row0, br.col0
		if table, ok := findTable(br); ok {
			out.TableRange = table.a1()
			row, col = table.row1, table.col0
		}
		nRows, nCols := valuesShape(vr.Values, vr.MajorDimension)
		t := br.tab
		if row > t.rowCount() || col > t.colCount() {
			return nil, br.gridLimitError()
		}
		if nRows > 0 && nCols > 0 {
			if insert {
				t.insertRows(row, nRows)
			} else if need := row + nRows - t.rowCount(); need > 0 {
				t.insertRows(t.rowCount(), need)
			}
			if need := col + nCols - t.colCount(); need > 0 {
				t.insertCols(t.colCount(), need)
			}
		}
		target := boundRange{tab: t, row0: row, row1: row + 1, col0: col, col1: col + 1}
		res, err := ss.writeValues(target, vr.Values, writeOpts{mode: mode, anchor: true, major: vr.MajorDimension})
		if err != nil {
			return nil, err
		}
		out.Updates = ss.updateResponse(res, c.query.Get("includeValuesInResponse") == "true", o)
		return out, nil
	})
}

// valuesShape is the number of rows and columns the values cover.
func valuesShape(values [][]any, major string) (rows, cols int64) {
	var inner int64
	for _, line := range values {
		inner = max(inner, int64(len(line)))
	}
	if major == "COLUMNS" {
		return inner, int64(len(values))
	}
	return int64(len(values)), inner
}

// findTable detects the table values.append appends to (see above).
func findTable(br boundRange) (boundRange, bool) {
	cl, ok := br.clip()
	if !ok {
		return boundRange{}, false
	}
	t := cl.tab
	has := func(r, c int64) bool {
		cd := t.cell(r, c)
		return cd != nil && cd.UserEnteredValue != nil
	}
	start, first := int64(-1), int64(-1)
	for r := cl.row0; r < cl.row1 && start < 0; r++ {
		for c := cl.col0; c < cl.col1; c++ {
			if has(r, c) {
				start, first = r, c
				break
			}
		}
	}
	if start < 0 {
		return boundRange{}, false
	}
	tb := boundRange{tab: t, row0: start, row1: start + 1, col0: first, col1: first + 1}
	// The columns of the range holding data in the first row bound the
	// table's columns to begin with.
	for c := cl.col0; c < cl.col1; c++ {
		if has(start, c) {
			tb.col0, tb.col1 = min(tb.col0, c), max(tb.col1, c+1)
		}
	}
	rowHas := func(r int64) bool {
		for c := min(cl.col0, tb.col0); c < max(cl.col1, tb.col1); c++ {
			if has(r, c) {
				return true
			}
		}
		return false
	}
	colHas := func(c int64) bool {
		for r := tb.row0; r < tb.row1; r++ {
			if has(r, c) {
				return true
			}
		}
		return false
	}
	for changed := true; changed; {
		changed = false
		for tb.row1 < t.rowCount() && rowHas(tb.row1) {
			tb.row1++
			changed = true
		}
		for tb.col1 < t.colCount() && colHas(tb.col1) {
			tb.col1++
			changed = true
		}
		for c := cl.col0; c < tb.col0; c++ {
			if colHas(c) {
				tb.col0 = c
				changed = true
				break
			}
		}
	}
	return tb, true
}
