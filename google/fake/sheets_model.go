package fake

import (
	"reflect"
	"slices"
	"sync/atomic"
	"unsafe"

	"google.golang.org/api/sheets/v4"
)

// The Sheets model keeps rows and columns as objects so that anything
// attached to them — developer metadata above all — moves with them when
// rows or columns are inserted, deleted, moved or sorted, as Google
// documents. Positions are computed when a response is built.
//
// Copy-on-write: a *sheets.CellData, *sheets.DeveloperMetadata or
// *sheets.SheetProperties reachable from the model is never mutated in
// place; a change replaces the pointer. batchUpdate applies all requests
// to a copy made by clone() and swaps it in only when every request
// succeeded. clone() copies each tab's lists of row and column pointers,
// not the rows: a copy stamps its tabs with a new generation, and a row
// or column of another generation is shared with the original, so it is
// copied (mutRow, mutCol) before its first change. A request therefore
// costs what it touches, not the size of the spreadsheet — the fake holds
// years of cases.

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
	// sorts counts the sortRange requests applied (SortsApplied); a
	// failed batch's copy, and its count, is thrown away.
	sorts int
	// metaIdx finds developer metadata by id (sheets_metadata.go); nil
	// until first needed, and reset when a batch fails, since a copy
	// shares it with the original.
	metaIdx map[int64]metaHome
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
	filter     *sheets.BasicFilter // staff's basic filter (sheets_batch_filter.go); never changed in place
	// gen is the copy's generation: rows and columns stamped with
	// another one are shared and must be copied before a change.
	gen uint64
	// rowPos and colPos map row and column keys to current indexes;
	// built when needed, dropped (never changed) when rows or columns
	// are inserted, deleted or moved, so copies may share them.
	rowPos, colPos map[uint64]int64
}

// gridRow is one row; cells is sparse at the tail (len may be < columns).
type gridRow struct {
	key   uint64 // stable identity, kept by copies (metadata index)
	gen   uint64 // the generation that may change it in place
	cells []storedCell
	meta  []*sheets.DeveloperMetadata
	props *sheets.DimensionProperties
}

type gridCol struct {
	key   uint64
	gen   uint64
	meta  []*sheets.DeveloperMetadata
	props *sheets.DimensionProperties
}

// storedCell is one cell as kept: the zero value when empty, text alone
// for a cell holding nothing but that (non-empty) user-entered text — the
// bulk of a tracker, kept in 16 bytes and the text instead of some 330,
// with no allocation of its own — or a *sheets.CellData for any other
// cell. t.cell hands out a *sheets.CellData either way. The two forms
// share one pointer, told apart by n: the text's bytes and its length,
// or the CellData and -1 (a cell is a sixth of what the fake holds, and
// a string and a pointer side by side took 24 bytes).
type storedCell struct {
	p unsafe.Pointer
	n int
}

// richData marks a storedCell whose p is a *sheets.CellData.
const richData = -1

// textCell is the stored form of a cell holding non-empty text alone.
func textCell(text string) storedCell {
	if text == "" {
		return storedCell{}
	}
	return storedCell{p: unsafe.Pointer(unsafe.StringData(text)), n: len(text)}
}

// dataCell is the stored form of any other (non-nil) cell.
func dataCell(cd *sheets.CellData) storedCell {
	return storedCell{p: unsafe.Pointer(cd), n: richData}
}

// text is the cell's text when it is kept as text alone, else "".
func (v storedCell) text() string {
	if v.n <= 0 {
		return ""
	}
	return unsafe.String((*byte)(v.p), v.n)
}

// data is the cell's CellData when it is kept as one, else nil.
func (v storedCell) data() *sheets.CellData {
	if v.n != richData {
		return nil
	}
	return (*sheets.CellData)(v.p)
}

// empty reports whether the cell holds nothing.
func (v storedCell) empty() bool { return v.p == nil }

// packCell is the stored form of a cell.
func packCell(cd *sheets.CellData) storedCell {
	if cd == nil {
		return storedCell{}
	}
	if u := cd.UserEnteredValue; u != nil && u.StringValue != nil && *u.StringValue != "" && u.NumberValue == nil && u.BoolValue == nil &&
		u.FormulaValue == nil && u.ErrorValue == nil && len(u.ForceSendFields) == 0 && len(u.NullFields) == 0 {
		rest := *cd
		rest.UserEnteredValue = nil
		if reflect.ValueOf(&rest).Elem().IsZero() {
			return textCell(*u.StringValue)
		}
	}
	return dataCell(cd)
}

// unpackCell is the cell a stored form stands for (nil when empty).
func unpackCell(v storedCell) *sheets.CellData {
	if cd := v.data(); cd != nil {
		return cd
	}
	if text := v.text(); text != "" {
		return &sheets.CellData{UserEnteredValue: &sheets.ExtendedValue{StringValue: &text}}
	}
	return nil
}

// generations and dimKeys hand out copy generations and row and column
// keys, unique in the process.
var generations, dimKeys atomic.Uint64

func newRow() *gridRow { return &gridRow{key: dimKeys.Add(1)} }
func newCol() *gridCol { return &gridCol{key: dimKeys.Add(1)} }

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
		t.rows[i] = newRow()
	}
	t.cols = make([]*gridCol, gp.ColumnCount)
	for i := range t.cols {
		t.cols[i] = newCol()
	}
	return t
}

// clone copies the spreadsheet deeply enough that mutating the copy (under
// the copy-on-write rule, rows and columns through mutRow and mutCol)
// leaves the original untouched.
func (ss *spreadsheet) clone() *spreadsheet {
	c := *ss
	c.meta = slices.Clone(ss.meta)
	gen := generations.Add(1)
	c.tabs = make([]*tab, len(ss.tabs))
	for i, t := range ss.tabs {
		c.tabs[i] = t.clone(gen)
	}
	return &c
}

func (t *tab) clone(gen uint64) *tab {
	c := *t
	c.gen = gen
	c.rows = slices.Clone(t.rows)
	c.cols = slices.Clone(t.cols)
	c.meta = slices.Clone(t.meta)
	c.protected = slices.Clone(t.protected)
	c.charts = slices.Clone(t.charts)
	c.merges = slices.Clone(t.merges)
	c.conditions = slices.Clone(t.conditions)
	return &c
}

// mutRow returns row r ready to be changed: a row shared with another
// copy is copied first, keeping its key.
func (t *tab) mutRow(r int64) *gridRow {
	row := t.rows[r]
	if row.gen != t.gen {
		c := *row
		c.gen = t.gen
		c.cells = slices.Clone(row.cells)
		c.meta = slices.Clone(row.meta)
		t.rows[r] = &c
		row = &c
	}
	return row
}

// mutCol is mutRow for column c.
func (t *tab) mutCol(c int64) *gridCol {
	col := t.cols[c]
	if col.gen != t.gen {
		cc := *col
		cc.gen = t.gen
		cc.meta = slices.Clone(col.meta)
		t.cols[c] = &cc
		col = &cc
	}
	return col
}

// rowIndex is the current index of the row with the given key.
func (t *tab) rowIndex(key uint64) (int64, bool) {
	if t.rowPos == nil {
		t.rowPos = make(map[uint64]int64, len(t.rows))
		for i, r := range t.rows {
			t.rowPos[r.key] = int64(i)
		}
	}
	i, ok := t.rowPos[key]
	return i, ok
}

// colIndex is the current index of the column with the given key.
func (t *tab) colIndex(key uint64) (int64, bool) {
	if t.colPos == nil {
		t.colPos = make(map[uint64]int64, len(t.cols))
		for i, c := range t.cols {
			t.colPos[c.key] = int64(i)
		}
	}
	i, ok := t.colPos[key]
	return i, ok
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
	return unpackCell(cells[c])
}

// hasCell reports whether the cell at (r, c) holds anything, without
// unpacking it.
func (t *tab) hasCell(r, c int64) bool {
	if r < 0 || r >= t.rowCount() || c < 0 {
		return false
	}
	cells := t.rows[r].cells
	return c < int64(len(cells)) && !cells[c].empty()
}

// stored is the stored form of the cell at (r, c), empty when out of
// range.
func (t *tab) stored(r, c int64) storedCell {
	if r < 0 || r >= t.rowCount() || c < 0 {
		return storedCell{}
	}
	cells := t.rows[r].cells
	if c >= int64(len(cells)) {
		return storedCell{}
	}
	return cells[c]
}

// reserve makes room for n cells in row r, which is inside the grid, so
// that a row written cell by cell is allocated once at its size rather
// than grown by doubling (a tracker's rows are most of the fake's memory).
func (t *tab) reserve(r, n int64) {
	if n <= int64(cap(t.rows[r].cells)) {
		return
	}
	row := t.mutRow(r)
	if n > int64(cap(row.cells)) {
		cells := make([]storedCell, len(row.cells), n)
		copy(cells, row.cells)
		row.cells = cells
	}
}

// setStored replaces the cell at (r, c), inside the grid, by a stored
// form (a non-empty one: setCell clears).
func (t *tab) setStored(r, c int64, v storedCell) {
	row := t.mutRow(r)
	if c >= int64(len(row.cells)) {
		row.cells = append(row.cells, make([]storedCell, int(c)+1-len(row.cells))...)
	}
	row.cells[c] = v
}

// setCell replaces the cell at (r, c), which must be inside the grid.
// A nil cell clears it.
func (t *tab) setCell(r, c int64, cd *sheets.CellData) {
	if c >= int64(len(t.rows[r].cells)) && cd == nil {
		return
	}
	row := t.mutRow(r)
	if c >= int64(len(row.cells)) {
		row.cells = append(row.cells, make([]storedCell, int(c)+1-len(row.cells))...)
	}
	row.cells[c] = packCell(cd)
}

// insertRows inserts n empty rows before index at.
func (t *tab) insertRows(at, n int64) {
	fresh := make([]*gridRow, n)
	for i := range fresh {
		fresh[i] = newRow()
		fresh[i].gen = t.gen
	}
	t.rows = slices.Insert(t.rows, int(at), fresh...)
	t.rowPos = nil
	t.syncGrid()
}

// deleteRows removes rows [start, end) together with their metadata.
func (t *tab) deleteRows(start, end int64) {
	t.rows = slices.Delete(t.rows, int(start), int(end))
	t.rowPos = nil
	t.syncGrid()
}

// insertCols inserts n empty columns before index at.
func (t *tab) insertCols(at, n int64) {
	fresh := make([]*gridCol, n)
	for i := range fresh {
		fresh[i] = newCol()
		fresh[i].gen = t.gen
	}
	t.cols = slices.Insert(t.cols, int(at), fresh...)
	t.colPos = nil
	for i, r := range t.rows {
		if int64(len(r.cells)) > at {
			r = t.mutRow(int64(i))
			r.cells = slices.Insert(r.cells, int(at), make([]storedCell, n)...)
		}
	}
	t.syncGrid()
}

// deleteCols removes columns [start, end) with their cells and metadata.
func (t *tab) deleteCols(start, end int64) {
	t.cols = slices.Delete(t.cols, int(start), int(end))
	t.colPos = nil
	for i, r := range t.rows {
		if int64(len(r.cells)) > start {
			r = t.mutRow(int64(i))
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
	t.rowPos = nil
}

// moveCols moves columns [start, end) before dest (pre-move index).
func (t *tab) moveCols(start, end, dest int64) {
	adj := dest
	if dest > end {
		adj -= end - start
	} else if dest > start {
		adj = start
	}
	move := func(s []storedCell) []storedCell {
		moved := slices.Clone(s[start:end])
		rest := slices.Delete(slices.Clone(s), int(start), int(end))
		return slices.Insert(rest, int(adj), moved...)
	}
	movedCols := slices.Clone(t.cols[start:end])
	restCols := slices.Delete(slices.Clone(t.cols), int(start), int(end))
	t.cols = slices.Insert(restCols, int(adj), movedCols...)
	t.colPos = nil
	for i, r := range t.rows {
		if len(r.cells) == 0 {
			continue
		}
		r = t.mutRow(int64(i))
		full := r.cells
		if int64(len(full)) < t.colCount() {
			full = append(slices.Clone(full), make([]storedCell, int(t.colCount())-len(full))...)
		}
		r.cells = move(full)
	}
}
