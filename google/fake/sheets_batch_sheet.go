package fake

import (
	"slices"
	"strconv"
	"strings"

	"google.golang.org/api/sheets/v4"
)

// newSheetID draws a random sheetId not used by any tab, as Google does
// when addSheet leaves it unset.
func (ss *spreadsheet) newSheetID(s *Server) int64 {
	for {
		id := s.randomInt31()
		if ss.tabByID(id) == nil {
			return id
		}
	}
}

// titleTaken reports whether another tab already has the title; Google
// compares sheet names case-insensitively.
func (ss *spreadsheet) titleTaken(title string, except *tab) bool {
	for _, t := range ss.tabs {
		if t != except && strings.EqualFold(t.props.Title, title) {
			return true
		}
	}
	return false
}

func (ss *spreadsheet) tabPos(t *tab) int { return slices.Index(ss.tabs, t) }

func batchAddSheet(op *batchOp, r *sheets.Request) (*sheets.Response, error) {
	var in sheets.SheetProperties
	if r.AddSheet.Properties != nil {
		in = *r.AddSheet.Properties
	}
	ss := op.ss
	if op.has("properties", "sheetId") {
		if in.SheetId < 0 {
			return nil, op.fail("Sheet IDs must be non-negative.")
		}
		if ss.tabByID(in.SheetId) != nil {
			return nil, op.fail("A sheet with the id %d already exists.", in.SheetId)
		}
	} else {
		in.SheetId = ss.newSheetID(op.s)
	}
	if in.Title == "" {
		for n := len(ss.tabs) + 1; ; n++ {
			if name := "Sheet" + strconv.Itoa(n); !ss.titleTaken(name, nil) {
				in.Title = name
				break
			}
		}
	}
	if ss.titleTaken(in.Title, nil) {
		return nil, op.fail("A sheet with the name \"%s\" already exists. Please enter another name.", in.Title)
	}
	if in.SheetType != "" && in.SheetType != "GRID" {
		return nil, op.fail("addSheet can only add GRID sheets in kopi's fake Workspace.")
	}
	if gp := in.GridProperties; gp != nil && (gp.RowCount < 0 || gp.ColumnCount < 0) {
		return nil, op.fail("Grid dimensions must be positive.")
	}
	at := int64(len(ss.tabs))
	if op.has("properties", "index") {
		if in.Index < 0 || in.Index > at {
			return nil, op.fail("Invalid index %d: the spreadsheet has %d sheets.", in.Index, at)
		}
		at = in.Index
	}
	t := newTab(&in)
	ss.tabs = slices.Insert(ss.tabs, int(at), t)
	ss.reindex()
	if err := ss.checkCellLimit(); err != nil {
		return nil, err
	}
	p := *t.props
	return &sheets.Response{AddSheet: &sheets.AddSheetResponse{Properties: &p}}, nil
}

func batchDeleteSheet(op *batchOp, r *sheets.Request) (*sheets.Response, error) {
	ss := op.ss
	t := ss.tabByID(r.DeleteSheet.SheetId)
	if t == nil {
		return nil, op.fail("No sheet with id: %d", r.DeleteSheet.SheetId)
	}
	visible := 0
	for _, o := range ss.tabs {
		if o != t && !o.props.Hidden {
			visible++
		}
	}
	if visible == 0 {
		return nil, op.fail("You can't remove all the visible sheets in a document.")
	}
	// The tab's metadata (sheet, row and column located) goes with it.
	ss.tabs = slices.Delete(ss.tabs, ss.tabPos(t), ss.tabPos(t)+1)
	ss.reindex()
	return nil, nil
}

func batchUpdateSheetProperties(op *batchOp, r *sheets.Request) (*sheets.Response, error) {
	u := r.UpdateSheetProperties
	if u.Properties == nil {
		return nil, op.fail("properties is required.")
	}
	ss := op.ss
	t := ss.tabByID(u.Properties.SheetId)
	if t == nil {
		return nil, op.fail("No grid with id: %d", u.Properties.SheetId)
	}
	paths, err := maskPaths[sheets.SheetProperties](op, u.Fields)
	if err != nil {
		return nil, err
	}
	masked := func(name string) bool {
		if paths == nil {
			return true
		}
		for _, p := range paths {
			if p[0] == name {
				return true
			}
		}
		return false
	}
	next := applyMask(t.props, u.Properties, paths)
	next.SheetId = t.props.SheetId
	if masked("sheetType") && next.SheetType != t.props.SheetType && next.SheetType != "" {
		return nil, op.fail("sheetType cannot be changed once set.")
	}
	next.SheetType = t.props.SheetType
	if next.Title == "" {
		return nil, op.fail("The sheet name cannot be empty.")
	}
	if ss.titleTaken(next.Title, t) {
		return nil, op.fail("A sheet with the name \"%s\" already exists. Please enter another name.", next.Title)
	}
	if next.Hidden && !t.props.Hidden {
		visible := 0
		for _, o := range ss.tabs {
			if o != t && !o.props.Hidden {
				visible++
			}
		}
		if visible == 0 {
			return nil, op.fail("You can't hide all the sheets in a document.")
		}
	}
	gp := next.GridProperties
	if gp == nil {
		gp = &sheets.GridProperties{}
	}
	rows, cols := gp.RowCount, gp.ColumnCount
	if rows <= 0 || cols <= 0 {
		return nil, op.fail("Grid dimensions must be positive (rowCount %d, columnCount %d).", rows, cols)
	}
	if gp.FrozenRowCount < 0 || gp.FrozenRowCount > rows || gp.FrozenColumnCount < 0 || gp.FrozenColumnCount > cols {
		return nil, op.fail("Frozen rows and columns must fit in the grid.")
	}
	from := ss.tabPos(t)
	to := from
	if masked("index") {
		to = int(next.Index)
		if to < 0 || to > len(ss.tabs) {
			return nil, op.fail("Invalid index %d.", to)
		}
	}
	t.props = next
	// Shrinking the grid drops the rows or columns at the end with their
	// data and metadata; growing adds empty ones.
	if rows > t.rowCount() {
		t.insertRows(t.rowCount(), rows-t.rowCount())
	} else if rows < t.rowCount() {
		t.deleteRows(rows, t.rowCount())
	}
	if cols > t.colCount() {
		t.insertCols(t.colCount(), cols-t.colCount())
	} else if cols < t.colCount() {
		t.deleteCols(cols, t.colCount())
	}
	t.syncGrid()
	if to != from {
		// "Before the move" indexes: moving S1 ahead of S2 is index 2.
		ss.tabs = slices.Delete(ss.tabs, from, from+1)
		if to > from {
			to--
		}
		ss.tabs = slices.Insert(ss.tabs, to, t)
	}
	ss.reindex()
	return nil, ss.checkCellLimit()
}

func batchUpdateSpreadsheetProperties(op *batchOp, r *sheets.Request) (*sheets.Response, error) {
	u := r.UpdateSpreadsheetProperties
	next, err := maskMerge(op, op.ss.props, u.Properties, u.Fields)
	if err != nil {
		return nil, err
	}
	if next.Title == "" {
		return nil, op.fail("The spreadsheet title cannot be empty.")
	}
	op.ss.props = next
	return nil, nil
}
