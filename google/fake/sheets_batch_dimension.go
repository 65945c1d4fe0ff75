package fake

import (
	"google.golang.org/api/sheets/v4"
)

func batchInsertDimension(op *batchOp, r *sheets.Request) (*sheets.Response, error) {
	in := r.InsertDimension
	if in.Range == nil || in.Range.EndIndex == 0 {
		return nil, op.fail("The range's start and end indexes must be bounded.")
	}
	t := op.ss.tabByID(in.Range.SheetId)
	if t == nil {
		return nil, op.fail("No grid with id: %d", in.Range.SheetId)
	}
	ds := dimSpan{tab: t, rows: in.Range.Dimension == "ROWS", start: in.Range.StartIndex, end: in.Range.EndIndex}
	if in.Range.Dimension != "ROWS" && in.Range.Dimension != "COLUMNS" {
		return nil, op.fail("A dimension (ROWS or COLUMNS) must be specified.")
	}
	// Inserting at index == size appends, so the start may equal the size.
	if ds.start < 0 || ds.start >= ds.end || ds.start > ds.count() {
		return nil, op.fail("Invalid insert range [%d, %d) for a dimension of size %d.", ds.start, ds.end, ds.count())
	}
	if in.InheritFromBefore && ds.start == 0 {
		return nil, op.fail("Cannot inherit properties from before when inserting at index 0.")
	}
	n := ds.end - ds.start
	var inherit *sheets.DimensionProperties
	switch {
	case in.InheritFromBefore && ds.rows:
		inherit = t.rows[ds.start-1].props
	case in.InheritFromBefore:
		inherit = t.cols[ds.start-1].props
	case ds.rows && ds.start < t.rowCount():
		inherit = t.rows[ds.start].props
	case !ds.rows && ds.start < t.colCount():
		inherit = t.cols[ds.start].props
	}
	if ds.rows {
		t.insertRows(ds.start, n)
		for i := ds.start; i < ds.end; i++ {
			t.mutRow(i).props = inherit
		}
	} else {
		t.insertCols(ds.start, n)
		for i := ds.start; i < ds.end; i++ {
			t.mutCol(i).props = inherit
		}
	}
	t.shiftRanges(ds.rows, func(i int64, isEnd bool) int64 {
		if i > ds.start || (i == ds.start && !isEnd) {
			return i + n
		}
		return i
	})
	return nil, op.ss.checkCellLimit()
}

func batchDeleteDimension(op *batchOp, r *sheets.Request) (*sheets.Response, error) {
	ds, err := op.dimRange(r.DeleteDimension.Range)
	if err != nil {
		return nil, err
	}
	t := ds.tab
	frozen := t.props.GridProperties.FrozenRowCount
	if !ds.rows {
		frozen = t.props.GridProperties.FrozenColumnCount
	}
	if ds.count()-(ds.end-ds.start) <= frozen {
		if ds.rows {
			return nil, op.fail("Sorry, it is not possible to delete all non-frozen rows.")
		}
		return nil, op.fail("Sorry, it is not possible to delete all non-frozen columns.")
	}
	// Metadata on the deleted rows or columns is deleted with them.
	if ds.rows {
		t.deleteRows(ds.start, ds.end)
	} else {
		t.deleteCols(ds.start, ds.end)
	}
	n := ds.end - ds.start
	t.shiftRanges(ds.rows, func(i int64, isEnd bool) int64 {
		switch {
		case i <= ds.start:
			return i
		case i <= ds.end:
			return ds.start
		}
		return i - n
	})
	return nil, nil
}

func batchMoveDimension(op *batchOp, r *sheets.Request) (*sheets.Response, error) {
	m := r.MoveDimension
	ds, err := op.dimRange(m.Source)
	if err != nil {
		return nil, err
	}
	if ds.start == ds.end {
		return nil, op.fail("The source range is empty.")
	}
	if m.DestinationIndex < 0 || m.DestinationIndex > ds.count() {
		return nil, op.fail("Invalid destinationIndex %d for a dimension of size %d.", m.DestinationIndex, ds.count())
	}
	if ds.rows {
		ds.tab.moveRows(ds.start, ds.end, m.DestinationIndex)
	} else {
		ds.tab.moveCols(ds.start, ds.end, m.DestinationIndex)
	}
	return nil, nil
}

func batchAppendDimension(op *batchOp, r *sheets.Request) (*sheets.Response, error) {
	a := r.AppendDimension
	t := op.ss.tabByID(a.SheetId)
	if t == nil {
		return nil, op.fail("No grid with id: %d", a.SheetId)
	}
	if a.Length <= 0 {
		return nil, op.fail("length must be positive.")
	}
	switch a.Dimension {
	case "ROWS":
		t.insertRows(t.rowCount(), a.Length)
	case "COLUMNS":
		t.insertCols(t.colCount(), a.Length)
	default:
		return nil, op.fail("A dimension (ROWS or COLUMNS) must be specified.")
	}
	return nil, op.ss.checkCellLimit()
}

func batchUpdateDimensionProperties(op *batchOp, r *sheets.Request) (*sheets.Response, error) {
	u := r.UpdateDimensionProperties
	if u.DataSourceSheetRange != nil {
		return nil, op.fail("Data source sheets are not supported by kopi's fake Workspace.")
	}
	ds, err := op.dimRange(u.Range)
	if err != nil {
		return nil, err
	}
	paths, err := maskPaths[sheets.DimensionProperties](op, u.Fields)
	if err != nil {
		return nil, err
	}
	if u.Properties != nil && u.Properties.PixelSize < 0 {
		return nil, op.fail("pixelSize must not be negative.")
	}
	for i := ds.start; i < ds.end; i++ {
		var cur **sheets.DimensionProperties
		if ds.rows {
			cur = &ds.tab.mutRow(i).props
		} else {
			cur = &ds.tab.mutCol(i).props
		}
		next := applyMask(*cur, u.Properties, paths)
		// Metadata lives on the row or column object, not in properties.
		next.DeveloperMetadata, next.DataSourceColumnReference = nil, nil
		*cur = next
	}
	return nil, nil
}

// shiftRanges remaps the row (or column) indexes of the ranges a tab's
// objects refer to — merges, protected and conditional-format ranges —
// after rows or columns were inserted or deleted. Merges that become
// empty are dropped. isEnd tells an exclusive end index from a start.
func (t *tab) shiftRanges(rows bool, f func(i int64, isEnd bool) int64) {
	remap := func(g *sheets.GridRange) *sheets.GridRange {
		if g == nil || g.SheetId != t.props.SheetId {
			return g
		}
		c := *g
		if rows {
			c.StartRowIndex = f(g.StartRowIndex, false)
			if g.EndRowIndex != 0 {
				c.EndRowIndex = f(g.EndRowIndex, true)
			}
		} else {
			c.StartColumnIndex = f(g.StartColumnIndex, false)
			if g.EndColumnIndex != 0 {
				c.EndColumnIndex = f(g.EndColumnIndex, true)
			}
		}
		return &c
	}
	empty := func(g *sheets.GridRange) bool {
		return (g.EndRowIndex != 0 && g.StartRowIndex >= g.EndRowIndex) ||
			(g.EndColumnIndex != 0 && g.StartColumnIndex >= g.EndColumnIndex)
	}
	var merges []*sheets.GridRange
	for _, g := range t.merges {
		if ng := remap(g); !empty(ng) {
			merges = append(merges, ng)
		}
	}
	t.merges = merges
	for i, p := range t.protected {
		c := *p
		c.Range = remap(p.Range)
		c.UnprotectedRanges = nil
		for _, u := range p.UnprotectedRanges {
			c.UnprotectedRanges = append(c.UnprotectedRanges, remap(u))
		}
		t.protected[i] = &c
	}
	if t.filter != nil {
		// The filter's range follows its rows and columns, like every
		// range of the tab.
		c := *t.filter
		c.Range = remap(t.filter.Range)
		t.filter = &c
	}
	for i, cf := range t.conditions {
		c := *cf
		c.Ranges = nil
		for _, g := range cf.Ranges {
			if ng := remap(g); !empty(ng) {
				c.Ranges = append(c.Ranges, ng)
			}
		}
		t.conditions[i] = &c
	}
}
