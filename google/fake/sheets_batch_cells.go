package fake

import (
	"unicode/utf8"

	"google.golang.org/api/sheets/v4"
)

// cellWriter writes CellData under one field mask.
type cellWriter struct {
	op    *batchOp
	paths [][]string // nil means "*"
	// valueOnly: the mask is "userEnteredValue" alone.
	valueOnly bool
}

func newCellWriter(op *batchOp, fields string) (*cellWriter, error) {
	paths, err := maskPaths[sheets.CellData](op, fields)
	if err != nil {
		return nil, err
	}
	valueOnly := len(paths) == 1 && len(paths[0]) == 1 && paths[0][0] == "userEnteredValue"
	return &cellWriter{op: op, paths: paths, valueOnly: valueOnly}, nil
}

// writePlain is write for the cells that make up a tracker, without
// copying and masking a CellData: a cell holding one user-entered string
// written over an empty or plain-text cell (or under "*"), and an empty
// cell written over an empty one. done is false for any other cell, which
// write then takes the general way; the result is the same either way.
func (w *cellWriter) writePlain(t *tab, r, c int64, src *sheets.CellData) (done bool, err error) {
	if w.paths != nil && !w.valueOnly {
		return false, nil
	}
	old := t.stored(r, c)
	if src == nil || cellIsZero(src) {
		return old.empty(), nil // nothing over nothing is done
	}
	text, ok := plainText(src)
	if !ok || text == "" || (w.paths != nil && old.data() != nil) {
		return false, nil
	}
	if len(text) > maxCellChars && utf8.RuneCountInString(text) > maxCellChars {
		return true, w.op.fail("Your input contains more than the maximum of %d characters in a single cell.", maxCellChars)
	}
	t.setStored(r, c, textCell(text))
	return true, nil
}

// plainText is the text of a cell holding nothing but one user-entered
// string, the stored form packCell gives it.
func plainText(cd *sheets.CellData) (string, bool) {
	u := cd.UserEnteredValue
	if u == nil || u.StringValue == nil || u.NumberValue != nil || u.BoolValue != nil || u.FormulaValue != nil ||
		u.ErrorValue != nil || u.ForceSendFields != nil || u.NullFields != nil {
		return "", false
	}
	if !cellIsZero(&sheets.CellData{
		ChipRuns: cd.ChipRuns, DataSourceFormula: cd.DataSourceFormula, DataSourceTable: cd.DataSourceTable,
		DataValidation: cd.DataValidation, EffectiveFormat: cd.EffectiveFormat, EffectiveValue: cd.EffectiveValue,
		FormattedValue: cd.FormattedValue, Hyperlink: cd.Hyperlink, Note: cd.Note, PivotTable: cd.PivotTable,
		TextFormatRuns: cd.TextFormatRuns, UserEnteredFormat: cd.UserEnteredFormat,
		ForceSendFields: cd.ForceSendFields, NullFields: cd.NullFields,
	}) {
		return "", false
	}
	return *u.StringValue, true
}

// cellIsZero reports whether every field of cd is zero. It names the
// fields of sheets.CellData; TestCellIsZeroKnowsEveryField fails when
// the API types gain one.
func cellIsZero(cd *sheets.CellData) bool {
	return cd.ChipRuns == nil && cd.DataSourceFormula == nil && cd.DataSourceTable == nil &&
		cd.DataValidation == nil && cd.EffectiveFormat == nil && cd.EffectiveValue == nil &&
		cd.FormattedValue == "" && cd.Hyperlink == "" && cd.Note == "" && cd.PivotTable == nil &&
		cd.TextFormatRuns == nil && cd.UserEnteredFormat == nil && cd.UserEnteredValue == nil &&
		cd.ForceSendFields == nil && cd.NullFields == nil
}

// check validates a cell before it is written: one kind of value, and at
// most 50,000 characters, Sheets' limit for one cell.
func (w *cellWriter) check(cd *sheets.CellData) error {
	if cd == nil || cd.UserEnteredValue == nil {
		return nil
	}
	v := cd.UserEnteredValue
	kinds := 0
	if v.StringValue != nil {
		kinds++
	}
	if v.NumberValue != nil {
		kinds++
	}
	if v.BoolValue != nil {
		kinds++
	}
	if v.FormulaValue != nil {
		kinds++
	}
	if v.ErrorValue != nil {
		return w.op.fail("An error value cannot be entered into a cell.")
	}
	if kinds > 1 {
		return w.op.fail("Only one of stringValue, numberValue, boolValue or formulaValue may be set.")
	}
	for _, s := range []*string{v.StringValue, v.FormulaValue} {
		if s != nil && utf8.RuneCountInString(*s) > maxCellChars {
			return w.op.fail("Your input contains more than the maximum of %d characters in a single cell.", maxCellChars)
		}
	}
	return nil
}

// write merges src into the cell at (r, c) under the mask. The read-only
// fields (effective value and format, formatted value) are recomputed from
// the user-entered value rather than taken from the request.
func (w *cellWriter) write(t *tab, r, c int64, src *sheets.CellData) error {
	if done, err := w.writePlain(t, r, c, src); done || err != nil {
		return err
	}
	return w.writeGeneral(t, r, c, src)
}

// writeGeneral is write for any cell.
func (w *cellWriter) writeGeneral(t *tab, r, c int64, src *sheets.CellData) error {
	if err := w.check(src); err != nil {
		return err
	}
	in := &sheets.CellData{}
	if src != nil {
		cp := *src
		cp.EffectiveValue, cp.FormattedValue, cp.EffectiveFormat = nil, "", nil
		in = &cp
	}
	old := t.cell(r, c)
	if old == nil && isEmptyCell(in) {
		return nil
	}
	var next *sheets.CellData
	if w.paths == nil {
		next = in
	} else {
		next = applyMask(old, in, w.paths)
		if old != nil {
			next.EffectiveValue, next.FormattedValue, next.EffectiveFormat = old.EffectiveValue, old.FormattedValue, old.EffectiveFormat
		}
	}
	// Effective and formatted values are computed when the cell is
	// rendered (renderCellData), not stored.
	next.EffectiveValue, next.FormattedValue = nil, ""
	if isEmptyCell(next) {
		next = nil
	}
	t.setCell(r, c, next)
	return nil
}

// filledLen is the number of a row's values up to its last non-empty one.
func filledLen(rd *sheets.RowData) int64 {
	n := len(rd.Values)
	for n > 0 && (rd.Values[n-1] == nil || cellIsZero(rd.Values[n-1])) {
		n--
	}
	return int64(n)
}

func rowValue(rows []*sheets.RowData, r, c int) *sheets.CellData {
	if r >= len(rows) || rows[r] == nil || c >= len(rows[r].Values) {
		return nil
	}
	return rows[r].Values[c]
}

func batchUpdateCells(op *batchOp, r *sheets.Request) (*sheets.Response, error) {
	u := r.UpdateCells
	w, err := newCellWriter(op, u.Fields)
	if err != nil {
		return nil, err
	}
	switch {
	case u.Range != nil && u.Start != nil:
		return nil, op.fail("Only one of start or range may be set.")
	case u.Range != nil:
		// Cells of the range the rows do not cover have the masked
		// fields cleared, as documented.
		sp, err := op.gridRange(u.Range)
		if err != nil {
			return nil, err
		}
		for row := sp.r0; row < sp.r1; row++ {
			for col := sp.c0; col < sp.c1; col++ {
				if err := w.write(sp.tab, row, col, rowValue(u.Rows, int(row-sp.r0), int(col-sp.c0))); err != nil {
					return nil, err
				}
			}
		}
	case u.Start != nil:
		t := op.ss.tabByID(u.Start.SheetId)
		if t == nil {
			return nil, op.fail("No grid with id: %d", u.Start.SheetId)
		}
		for i, rd := range u.Rows {
			row := u.Start.RowIndex + int64(i)
			if rd == nil {
				continue
			}
			if row >= 0 && row < t.rowCount() {
				t.reserve(row, min(u.Start.ColumnIndex+filledLen(rd), t.colCount()))
			}
			for j, cd := range rd.Values {
				col := u.Start.ColumnIndex + int64(j)
				if row >= t.rowCount() || col >= t.colCount() || row < 0 || col < 0 {
					return nil, op.fail("Range (%s) exceeds grid limits. Max rows: %d, max columns: %d",
						spanA1(t, row, row+1, col, col+1), t.rowCount(), t.colCount())
				}
				if err := w.write(t, row, col, cd); err != nil {
					return nil, err
				}
			}
		}
	default:
		return nil, op.fail("Either start or range must be set.")
	}
	return nil, nil
}

func batchAppendCells(op *batchOp, r *sheets.Request) (*sheets.Response, error) {
	a := r.AppendCells
	if a.TableId != "" {
		return nil, op.fail("Tables are not supported by kopi's fake Workspace.")
	}
	t := op.ss.tabByID(a.SheetId)
	if t == nil {
		return nil, op.fail("No grid with id: %d", a.SheetId)
	}
	w, err := newCellWriter(op, a.Fields)
	if err != nil {
		return nil, err
	}
	// The data goes after the last row holding a value; the grid grows
	// when the rows or columns do not fit.
	next := int64(0)
	for i := t.rowCount() - 1; i >= 0; i-- {
		if rowHasData(t.rows[i]) {
			next = i + 1
			break
		}
	}
	if need := next + int64(len(a.Rows)); need > t.rowCount() {
		t.insertRows(t.rowCount(), need-t.rowCount())
	}
	for _, rd := range a.Rows {
		if rd != nil && int64(len(rd.Values)) > t.colCount() {
			t.insertCols(t.colCount(), int64(len(rd.Values))-t.colCount())
		}
	}
	for i, rd := range a.Rows {
		if rd == nil {
			continue
		}
		t.reserve(next+int64(i), filledLen(rd))
		for j, cd := range rd.Values {
			if err := w.write(t, next+int64(i), int64(j), cd); err != nil {
				return nil, err
			}
		}
	}
	return nil, op.ss.checkCellLimit()
}

func rowHasData(r *gridRow) bool {
	for _, v := range r.cells {
		if cd := v.data(); v.text() != "" || cd != nil && cd.UserEnteredValue != nil {
			return true
		}
	}
	return false
}

func batchRepeatCell(op *batchOp, r *sheets.Request) (*sheets.Response, error) {
	rc := r.RepeatCell
	w, err := newCellWriter(op, rc.Fields)
	if err != nil {
		return nil, err
	}
	sp, err := op.gridRange(rc.Range)
	if err != nil {
		return nil, err
	}
	for row := sp.r0; row < sp.r1; row++ {
		for col := sp.c0; col < sp.c1; col++ {
			if err := w.write(sp.tab, row, col, rc.Cell); err != nil {
				return nil, err
			}
		}
	}
	return nil, nil
}

// validationValues gives how many condition values a data validation
// condition type takes: min, max (-1 unlimited).
var validationValues = map[string][2]int{
	"NUMBER_GREATER": {1, 1}, "NUMBER_GREATER_THAN_EQ": {1, 1}, "NUMBER_LESS": {1, 1},
	"NUMBER_LESS_THAN_EQ": {1, 1}, "NUMBER_EQ": {1, 1}, "NUMBER_NOT_EQ": {1, 1},
	"NUMBER_BETWEEN": {2, 2}, "NUMBER_NOT_BETWEEN": {2, 2},
	"TEXT_CONTAINS": {1, 1}, "TEXT_NOT_CONTAINS": {1, 1}, "TEXT_EQ": {1, 1},
	"TEXT_IS_EMAIL": {0, 0}, "TEXT_IS_URL": {0, 0},
	"DATE_EQ": {1, 1}, "DATE_BEFORE": {1, 1}, "DATE_AFTER": {1, 1},
	"DATE_ON_OR_BEFORE": {1, 1}, "DATE_ON_OR_AFTER": {1, 1},
	"DATE_BETWEEN": {2, 2}, "DATE_NOT_BETWEEN": {2, 2}, "DATE_IS_VALID": {0, 0},
	"ONE_OF_RANGE": {1, 1}, "ONE_OF_LIST": {1, -1}, "CUSTOM_FORMULA": {1, 1},
	"BOOLEAN": {0, 2},
}

func batchSetDataValidation(op *batchOp, r *sheets.Request) (*sheets.Response, error) {
	dv := r.SetDataValidation
	sp, err := op.gridRange(dv.Range)
	if err != nil {
		return nil, err
	}
	rule := dv.Rule
	if rule != nil {
		if rule.Condition == nil {
			return nil, op.fail("A data validation rule needs a condition.")
		}
		n, ok := validationValues[rule.Condition.Type]
		if !ok {
			return nil, op.fail("Invalid data validation condition type: %s", rule.Condition.Type)
		}
		got := len(rule.Condition.Values)
		if got < n[0] || (n[1] >= 0 && got > n[1]) {
			return nil, op.fail("Invalid number of condition values (%d) for %s.", got, rule.Condition.Type)
		}
	}
	for row := sp.r0; row < sp.r1; row++ {
		for col := sp.c0; col < sp.c1; col++ {
			old := sp.tab.cell(row, col)
			if old == nil && rule == nil {
				continue
			}
			next := &sheets.CellData{}
			if old != nil {
				cp := *old
				next = &cp
			}
			next.DataValidation = rule
			if isEmptyCell(next) {
				next = nil
			}
			sp.tab.setCell(row, col, next)
		}
	}
	return nil, nil
}
