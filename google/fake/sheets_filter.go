package fake

import (
	"google.golang.org/api/sheets/v4"
)

// resolveDataFilter resolves a DataFilter to the ranges it selects:
//   - a1Range: the A1 range (see parseA1);
//   - gridRange: the sheet's range; absent start indexes are 0 and absent
//     end indexes unbounded, as the GridRange documentation defines;
//   - developerMetadataLookup: for every matching metadata entry, the row
//     or column it is attached to across the whole grid, or the whole tab
//     for sheet-located metadata. Spreadsheet-located metadata selects no
//     cells.
func (ss *spreadsheet) resolveDataFilter(f *sheets.DataFilter) ([]boundRange, error) {
	if f == nil {
		return nil, invalidArgument("Invalid dataFilter: a data filter must set a1Range, gridRange or developerMetadataLookup")
	}
	set := 0
	for _, b := range []bool{f.A1Range != "", f.GridRange != nil, f.DeveloperMetadataLookup != nil} {
		if b {
			set++
		}
	}
	if set != 1 {
		return nil, invalidArgument("Invalid dataFilter: exactly one of a1Range, gridRange or developerMetadataLookup must be set")
	}
	switch {
	case f.A1Range != "":
		br, err := ss.parseA1(f.A1Range)
		if err != nil {
			return nil, err
		}
		return []boundRange{br}, nil
	case f.GridRange != nil:
		br, err := ss.resolveGridRange(f.GridRange)
		if err != nil {
			return nil, err
		}
		return []boundRange{br}, nil
	}
	matches, err := ss.lookupMetadata(f.DeveloperMetadataLookup)
	if err != nil {
		return nil, err
	}
	var out []boundRange
	for _, m := range matches {
		if m.tab == nil {
			continue
		}
		br := wholeTab(m.tab)
		switch {
		case m.row != nil:
			i := indexOf(m.tab.rows, m.row)
			if i < 0 {
				continue
			}
			br.row0, br.row1, br.rowsUnbounded = i, i+1, false
		case m.col != nil:
			i := indexOf(m.tab.cols, m.col)
			if i < 0 {
				continue
			}
			br.col0, br.col1, br.colsUnbounded = i, i+1, false
		}
		out = append(out, br)
	}
	return out, nil
}

// indexOf finds the current position of a row or column object.
func indexOf[T comparable](s []T, x T) int64 {
	for i, y := range s {
		if y == x {
			return int64(i)
		}
	}
	return -1
}

// resolveGridRange binds a GridRange to its tab.
func (ss *spreadsheet) resolveGridRange(g *sheets.GridRange) (boundRange, error) {
	t := ss.tabByID(g.SheetId)
	if t == nil {
		return boundRange{}, invalidArgument("No grid with id: %d", g.SheetId)
	}
	br := boundRange{tab: t, row0: g.StartRowIndex, col0: g.StartColumnIndex, row1: g.EndRowIndex, col1: g.EndColumnIndex}
	if g.EndRowIndex == 0 {
		br.row1 = t.rowCount()
		br.rowsUnbounded = g.StartRowIndex == 0
	}
	if g.EndColumnIndex == 0 {
		br.col1 = t.colCount()
		br.colsUnbounded = g.StartColumnIndex == 0
	}
	if br.row0 < 0 || br.col0 < 0 || br.row1 < br.row0 || br.col1 < br.col0 {
		return boundRange{}, invalidArgument("Invalid gridRange: start index must be at most end index and not negative")
	}
	return br, nil
}
