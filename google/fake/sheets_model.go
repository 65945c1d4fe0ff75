package fake

import (
	"slices"

	"google.golang.org/api/sheets/v4"
)

// The Sheets model keeps rows and columns as objects so that anything
// attached to them — developer metadata above all — moves with them when
// rows or columns are inserted, deleted, moved or sorted, as Google
// documents. Positions are computed when a response is built.
//
// Copy-on-write: a *sheets.CellData, *sheets.DeveloperMetadata or
// *sheets.SheetProperties reachable from the model is never mutated in
// place; a change replaces the pointer. That makes clone() a cheap shallow
// copy of slices, which batchUpdate uses to apply all requests to a copy
// and swap it in only when every request succeeded.

// sheetStore holds spreadsheets by id.
type sheetStore struct {
	byID map[string]*spreadsheet
}

type spreadsheet struct {
	id         string
	props      *sheets.SpreadsheetProperties
	tabs       []*tab
	meta       []*sheets.DeveloperMetadata // spreadsheet-located metadata
	nextSheet  int64                       // next generated sheetId
	nextMeta   int64                       // next generated metadataId
	nextObject int64                       // protectedRangeId, chartId, ...
}

// tab is one sheet (Google calls both the file and a tab a "sheet").
type tab struct {
	props      *sheets.SheetProperties // Index is kept in sync by reindex
	rows       []*gridRow              // len == GridProperties.RowCount
	cols       []*gridCol              // len == GridProperties.ColumnCount
	meta       []*sheets.DeveloperMetadata
	protected  []*sheets.ProtectedRange
	charts     []*sheets.EmbeddedChart
	merges     []*sheets.GridRange
	conditions []*sheets.ConditionalFormatRule
}

// gridRow is one row; cells is sparse at the tail (len may be < columns).
type gridRow struct {
	cells []*sheets.CellData
	meta  []*sheets.DeveloperMetadata
	props *sheets.DimensionProperties
}

type gridCol struct {
	meta  []*sheets.DeveloperMetadata
	props *sheets.DimensionProperties
}

const (
	defaultRows    = 1000
	defaultColumns = 26
	maxCellChars   = 50000
	maxGridCells   = 10_000_000
)

func newTab(props *sheets.SheetProperties) *tab {
	p := *props
	gp := sheets.GridProperties{RowCount: defaultRows, ColumnCount: defaultColumns}
	if props.GridProperties != nil {
		gp = *props.GridProperties
		if gp.RowCount == 0 {
			gp.RowCount = defaultRows
		}
		if gp.ColumnCount == 0 {
			gp.ColumnCount = defaultColumns
		}
	}
	p.GridProperties = &gp
	if p.SheetType == "" {
		p.SheetType = "GRID"
	}
	t := &tab{props: &p}
	t.rows = make([]*gridRow, gp.RowCount)
	for i := range t.rows {
		t.rows[i] = &gridRow{}
	}
	t.cols = make([]*gridCol, gp.ColumnCount)
	for i := range t.cols {
		t.cols[i] = &gridCol{}
	}
	return t
}

// clone copies the spreadsheet deeply enough that mutating the copy (under
// the copy-on-write rule) leaves the original untouched.
func (ss *spreadsheet) clone() *spreadsheet {
	c := *ss
	c.meta = slices.Clone(ss.meta)
	c.tabs = make([]*tab, len(ss.tabs))
	for i, t := range ss.tabs {
		c.tabs[i] = t.clone()
	}
	return &c
}

func (t *tab) clone() *tab {
	c := *t
	c.rows = make([]*gridRow, len(t.rows))
	for i, r := range t.rows {
		rc := *r
		rc.cells = slices.Clone(r.cells)
		rc.meta = slices.Clone(r.meta)
		c.rows[i] = &rc
	}
	c.cols = make([]*gridCol, len(t.cols))
	for i, col := range t.cols {
		cc := *col
		cc.meta = slices.Clone(col.meta)
		c.cols[i] = &cc
	}
	c.meta = slices.Clone(t.meta)
	c.protected = slices.Clone(t.protected)
	c.charts = slices.Clone(t.charts)
	c.merges = slices.Clone(t.merges)
	c.conditions = slices.Clone(t.conditions)
	return &c
}

// tabByID finds a tab by sheetId.
func (ss *spreadsheet) tabByID(id int64) *tab {
	for _, t := range ss.tabs {
		if t.props.SheetId == id {
			return t
		}
	}
	return nil
}

// tabByTitle finds a tab by its exact title.
func (ss *spreadsheet) tabByTitle(title string) *tab {
	for _, t := range ss.tabs {
		if t.props.Title == title {
			return t
		}
	}
	return nil
}

// reindex makes every tab's Index its position.
func (ss *spreadsheet) reindex() {
	for i, t := range ss.tabs {
		if t.props.Index != int64(i) {
			p := *t.props
			p.Index = int64(i)
			t.props = &p
		}
	}
}

func (t *tab) rowCount() int64 { return int64(len(t.rows)) }
func (t *tab) colCount() int64 { return int64(len(t.cols)) }

// syncGrid writes the grid size back into the properties after rows or
// columns were added or removed.
func (t *tab) syncGrid() {
	p := *t.props
	gp := *p.GridProperties
	gp.RowCount, gp.ColumnCount = t.rowCount(), t.colCount()
	p.GridProperties = &gp
	t.props = &p
}

// cell returns the cell at (r, c) or nil when it is empty or out of range.
func (t *tab) cell(r, c int64) *sheets.CellData {
	if r < 0 || r >= t.rowCount() || c < 0 {
		return nil
	}
	cells := t.rows[r].cells
	if c >= int64(len(cells)) {
		return nil
	}
	return cells[c]
}

// setCell replaces the cell at (r, c), which must be inside the grid.
// A nil cell clears it.
func (t *tab) setCell(r, c int64, cd *sheets.CellData) {
	row := t.rows[r]
	if c >= int64(len(row.cells)) {
		if cd == nil {
			return
		}
		row.cells = append(row.cells, make([]*sheets.CellData, int(c)+1-len(row.cells))...)
	}
	row.cells[c] = cd
}

// insertRows inserts n empty rows before index at.
func (t *tab) insertRows(at, n int64) {
	fresh := make([]*gridRow, n)
	for i := range fresh {
		fresh[i] = &gridRow{}
	}
	t.rows = slices.Insert(t.rows, int(at), fresh...)
	t.syncGrid()
}

// deleteRows removes rows [start, end) together with their metadata.
func (t *tab) deleteRows(start, end int64) {
	t.rows = slices.Delete(t.rows, int(start), int(end))
	t.syncGrid()
}

// insertCols inserts n empty columns before index at.
func (t *tab) insertCols(at, n int64) {
	fresh := make([]*gridCol, n)
	for i := range fresh {
		fresh[i] = &gridCol{}
	}
	t.cols = slices.Insert(t.cols, int(at), fresh...)
	for _, r := range t.rows {
		if int64(len(r.cells)) > at {
			r.cells = slices.Insert(r.cells, int(at), make([]*sheets.CellData, n)...)
		}
	}
	t.syncGrid()
}

// deleteCols removes columns [start, end) with their cells and metadata.
func (t *tab) deleteCols(start, end int64) {
	t.cols = slices.Delete(t.cols, int(start), int(end))
	for _, r := range t.rows {
		if int64(len(r.cells)) > start {
			r.cells = slices.Delete(r.cells, int(start), int(min(end, int64(len(r.cells)))))
		}
	}
	t.syncGrid()
}

// moveRows moves rows [start, end) so that they come before destination
// index dest, indexes taken before the move, as moveDimension defines.
func (t *tab) moveRows(start, end, dest int64) {
	moved := slices.Clone(t.rows[start:end])
	rest := slices.Delete(slices.Clone(t.rows), int(start), int(end))
	if dest > end {
		dest -= end - start
	} else if dest > start {
		dest = start
	}
	t.rows = slices.Insert(rest, int(dest), moved...)
}

// moveCols moves columns [start, end) before dest (pre-move index).
func (t *tab) moveCols(start, end, dest int64) {
	adj := dest
	if dest > end {
		adj -= end - start
	} else if dest > start {
		adj = start
	}
	move := func(s []*sheets.CellData) []*sheets.CellData {
		moved := slices.Clone(s[start:end])
		rest := slices.Delete(slices.Clone(s), int(start), int(end))
		return slices.Insert(rest, int(adj), moved...)
	}
	movedCols := slices.Clone(t.cols[start:end])
	restCols := slices.Delete(slices.Clone(t.cols), int(start), int(end))
	t.cols = slices.Insert(restCols, int(adj), movedCols...)
	for _, r := range t.rows {
		if len(r.cells) == 0 {
			continue
		}
		full := r.cells
		if int64(len(full)) < t.colCount() {
			full = append(slices.Clone(full), make([]*sheets.CellData, int(t.colCount())-len(full))...)
		}
		r.cells = move(full)
	}
}
