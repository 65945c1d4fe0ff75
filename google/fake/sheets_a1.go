package fake

import "errors"

// boundRange is a range resolved against one tab: half-open row and column
// intervals with unbounded sides replaced by the grid's size.
type boundRange struct {
	tab           *tab
	row0, row1    int64
	col0, col1    int64
	rowsUnbounded bool // the A1 or GridRange had no row bounds (e.g. "A:C")
	colsUnbounded bool // the A1 or GridRange had no column bounds (e.g. "2:5")
}

// parseA1 resolves A1 notation ("Sheet1!A1:B2", "'My Tab'!A:C", "A2:C",
// a bare sheet name, ...) against the spreadsheet.
// Owned by the values helper (sheets_a1.go).
func (ss *spreadsheet) parseA1(a1 string) (boundRange, error) {
	return boundRange{}, errors.New("parseA1: not implemented")
}
