package google

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"google.golang.org/api/sheets/v4"

	"kopi/rules"
)

// The row-write journal. Google documents that row metadata follows its
// row on inserts, deletes and moves, and says nothing of sorts; the Sheets
// API has no conditional write either (spreadsheets.batchUpdate takes no
// revision or ETag precondition; a DataFilter selects by developer
// metadata or by position, never by a cell's content). So a sort between
// kopi's read and its write can put another requester's row where kopi
// writes — by anchor or by position alike — and nothing in one request
// can refuse that.
//
// What one request can do is remember exactly what it overwrote:
// spreadsheets.batchUpdate applies its requests "together atomically",
// in order. Each cell kopi writes into a consultation row goes in one
// batch with a journal record in the hidden state tab: the ticket of the
// row kopi meant, the value written and the value kopi read there, and —
// copied by Sheets itself (copyPaste, values only) just before the write
// — the ticket the row at that position shows and the cell's value at
// that instant. Whatever a sort did, the record says which row the write
// hit and what it held.
//
// The next read checks every record: one whose row showed the ticket kopi
// meant is done; otherwise the cell that still holds kopi's value gets
// its old value back, and the meant row, if it still holds what kopi
// read, gets the value — the repair VerifyLayout makes within the cycle,
// available to the next cycle after a crash. Repairs are written the same
// journaled way, and the batch that writes them deletes the records they
// settle. Each check compares the cell with what kopi wrote or read, so a
// value staff typed since is left alone.

// stateJournal is the state-tab record kind of a journaled cell write.
const stateJournal = "tulis"

// cellWrite is one cell kopi writes into a consultation row, by position.
type cellWrite struct {
	ticket string // the ticket of the row kopi means ("" a row without one)
	row    int64  // the row's index as the read saw it
	col    int    // the field's column index as the read saw it
	field  string
	value  string // the cell text written
	before string // the cell text the read saw there
}

// journalEntry is a journaled cell write as a later read finds it.
type journalEntry struct {
	cellWrite
	host string // the ticket the written row showed when the write landed
	old  string // the cell's text just before the write
}

// canJournal reports whether the tabs have what the journal needs: the
// consultation tab's ticket column and the state tab's journal columns
// (a state tab made before them gets them from `kopi init`).
func canJournal(ct, st *Table) bool {
	if _, ok := ct.Columns[string(rules.CFTicket)]; !ok {
		return false
	}
	for _, k := range []string{ColStateKind, ColStateKey, ColStateTicket, ColStateValue, ColStateDetail, ColStateRowTicket, ColStateOld, ColStateRow} {
		if _, ok := st.Columns[k]; !ok {
			return false
		}
	}
	return true
}

// rawCell is a row's cell text at a read-time column index.
func rawCell(r Row, col int) string {
	if col < 0 || col >= len(r.Raw) {
		return ""
	}
	return r.Raw[col]
}

// stateCell is a state record's cell text by field key, as stored (the
// overflow join does not apply to journal values).
func stateCell(st *Table, r Row, key string) string {
	col, ok := st.Columns[key]
	if !ok {
		return r.Get(key)
	}
	return rawCell(r, col)
}

// setCell changes a read row's view of one cell (after a repair the
// read plans with the value the repair writes).
func setCell(r *Row, col int, field, v string) {
	for len(r.Raw) <= col {
		r.Raw = append(r.Raw, "")
	}
	r.Raw[col] = v
	if v == "" {
		delete(r.Cells, field)
	} else {
		r.Cells[field] = v
	}
}

// readJournal checks the journal records the read found against the
// consultation tab as read: it keeps the records' rows (to delete once
// settled), plans the repairs of writes that landed in another row, and
// shows the read's rows as the repairs will leave them.
func (tx *TrackerTx) readJournal(ct, st *Table) {
	tx.journalRows, tx.journalFixes, tx.misplaced = nil, nil, false
	if ct == nil || st == nil || !canJournal(ct, st) {
		return
	}
	byTicket := map[string][]int{}
	for i, r := range ct.Rows {
		if tk := normTicket(r.Get(string(rules.CFTicket))); tk != "" {
			byTicket[tk] = append(byTicket[tk], i)
		}
	}
	only := func(tk string) *Row {
		if is := byTicket[tk]; len(is) == 1 {
			return &ct.Rows[is[0]]
		}
		return nil
	}
	var entries []journalEntry
	for _, r := range st.Rows {
		if r.Get(ColStateKind) != stateJournal {
			continue
		}
		tx.journalRows = append(tx.journalRows, r.Index)
		e := journalEntry{
			cellWrite: cellWrite{
				ticket: stateCell(st, r, ColStateTicket), field: stateCell(st, r, ColStateKey),
				value: stateCell(st, r, ColStateValue), before: stateCell(st, r, ColStateDetail),
			},
			host: normTicket(stateCell(st, r, ColStateRowTicket)), old: stateCell(st, r, ColStateOld),
		}
		e.row, _ = strconv.ParseInt(stateCell(st, r, ColStateRow), 10, 64)
		entries = append(entries, e)
	}
	// The rows without a ticket that writes landed in, found before any
	// repair changes the read's view of them.
	strays := make([]*Row, len(entries))
	for i, e := range entries {
		if e.host == "" && e.ticket != "" {
			strays[i] = strayHost(ct, entries, e)
		}
	}
	for i, e := range entries {
		if e.host == e.ticket {
			continue // the write landed in the row kopi meant
		}
		tx.misplaced = true
		col, ok := ct.Columns[e.field]
		if !ok {
			continue
		}
		// The row the write landed in: the one showing the ticket Sheets
		// copied, or for a row that showed none, the row still at that
		// position if it still shows none.
		var hit *Row
		if e.host != "" {
			hit = only(e.host)
		} else {
			hit = strays[i]
		}
		if hit != nil && e.old != e.value && rawCell(*hit, col) == e.value {
			tx.journalFixes = append(tx.journalFixes, cellWrite{ticket: e.host, row: hit.Index, col: col, field: e.field, value: e.old, before: e.value})
			setCell(hit, col, e.field, e.old)
		}
		if e.ticket == "" {
			continue
		}
		if meant := only(e.ticket); meant != nil && e.before != e.value && rawCell(*meant, col) == e.before {
			tx.journalFixes = append(tx.journalFixes, cellWrite{ticket: e.ticket, row: meant.Index, col: col, field: e.field, value: e.value, before: e.before})
			setCell(meant, col, e.field, e.value)
		}
	}
}

// strayHost finds the row without a ticket that a write meant for
// e.ticket landed in (a blank row staff inserted, a note row a sort put
// there): the one row showing no ticket that holds every value the
// same write batch put into that row in place of something else. Its
// position is no guide, a later sort may have moved it.
func strayHost(ct *Table, entries []journalEntry, e journalEntry) *Row {
	var group []journalEntry
	for _, g := range entries {
		if g.host == "" && g.ticket == e.ticket && g.row == e.row && g.old != g.value {
			group = append(group, g)
		}
	}
	var hit *Row
	for i := range ct.Rows {
		r := &ct.Rows[i]
		if normTicket(r.Get(string(rules.CFTicket))) != "" {
			continue
		}
		holds := true
		for _, g := range group {
			if col, ok := ct.Columns[g.field]; !ok || rawCell(*r, col) != g.value {
				holds = false
				break
			}
		}
		if !holds {
			continue
		}
		if hit != nil {
			return nil // two candidates: not guessed at
		}
		hit = r
	}
	return hit
}

// copyCell copies one cell's value (values only: no formula, no format)
// from one tab to another.
func copyCell(fromSheet, fromRow int64, fromCol int, toSheet, toRow int64, toCol int) *sheets.Request {
	return &sheets.Request{CopyPaste: &sheets.CopyPasteRequest{
		Source: &sheets.GridRange{SheetId: fromSheet, StartRowIndex: fromRow, EndRowIndex: fromRow + 1,
			StartColumnIndex: int64(fromCol), EndColumnIndex: int64(fromCol) + 1},
		Destination: &sheets.GridRange{SheetId: toSheet, StartRowIndex: toRow, EndRowIndex: toRow + 1,
			StartColumnIndex: int64(toCol), EndColumnIndex: int64(toCol) + 1},
		PasteType: "PASTE_VALUES",
	}}
}

// writeJournaled writes cells of consultation rows in ONE atomic
// spreadsheets.batchUpdate: a journal record per cell, Sheets' copy of
// the target row's ticket and of the cell's old value into it, the cell
// itself, the overflow tails of long values, and the deletion of the
// journal records the read found (settled by this batch: repaired here,
// or needing no repair).
func (tx *TrackerTx) writeJournaled(ctx context.Context, ct, st *Table, cells []cellWrite, spill []StateWrite) error {
	drop := slices.Clone(tx.journalRows)
	if len(cells) == 0 && len(drop) == 0 {
		return nil
	}
	first := st.LastRow + 1
	recs := make([]StateWrite, len(cells))
	var extra []*sheets.Request
	tcol := ct.Columns[string(rules.CFTicket)]
	for i, c := range cells {
		recs[i] = StateWrite{Index: -1, Values: stateValues(st, map[string]string{
			ColStateKind: stateJournal, ColStateKey: c.field, ColStateTicket: c.ticket, ColStateValue: c.value,
			ColStateDetail: c.before, ColStateRow: strconv.FormatInt(c.row, 10),
		})}
		jr := first + int64(i)
		extra = append(extra,
			copyCell(ct.SheetID, c.row, tcol, st.SheetID, jr, st.Columns[ColStateRowTicket]),
			copyCell(ct.SheetID, c.row, c.col, st.SheetID, jr, st.Columns[ColStateOld]))
	}
	for _, c := range cells {
		extra = append(extra, &sheets.Request{UpdateCells: &sheets.UpdateCellsRequest{
			Start:  &sheets.GridCoordinate{SheetId: ct.SheetID, RowIndex: c.row, ColumnIndex: int64(c.col)},
			Rows:   []*sheets.RowData{{Values: []*sheets.CellData{stringCell(c.value)}}},
			Fields: "userEnteredValue",
		}})
	}
	// The settled records go last, bottom up: they sit above the new ones.
	slices.SortFunc(drop, func(a, b int64) int { return int(b - a) })
	for _, r := range drop {
		extra = append(extra, &sheets.Request{DeleteDimension: &sheets.DeleteDimensionRequest{
			Range: &sheets.DimensionRange{SheetId: st.SheetID, Dimension: "ROWS", StartIndex: r, EndIndex: r + 1},
		}})
	}
	ov := tx.tables[OverflowTab.Title]
	c := &Commit{State: map[*Table][]StateWrite{}, Overflow: ov, Extra: extra}
	if len(recs) > 0 {
		c.State[st] = recs
	}
	if len(spill) > 0 {
		if ov == nil {
			return fmt.Errorf("a value is longer than %d characters and no overflow tab was given", MaxCellChars)
		}
		c.State[ov] = spill
	}
	if err := tx.t.sheets.Apply(ctx, c); err != nil {
		return fmt.Errorf("write %d cells of %q: %w", len(cells), ct.Schema.Title, err)
	}
	tx.noteState(st, recs, first)
	tx.dropStateRows(st, drop)
	tx.journalRows, tx.journalFixes, tx.misplaced = nil, nil, false
	tx.journaled = append(tx.journaled, cells...)
	return nil
}

// ownMisplaced reports whether a layout read after this cycle's row
// writes shows, at a position written, a row with another ticket than
// the one meant: a sort or an insert raced the write (or moved the rows
// since; settleOwn tells which from the journal).
func (tx *TrackerTx) ownMisplaced(l layout) bool {
	if l.tickets == nil {
		return false
	}
	for _, c := range tx.journaled {
		if c.ticket != "" && l.tickets[c.row] != c.ticket {
			return true
		}
	}
	return false
}

// settleOwn reads the consultation and state tabs again (one call) and
// repairs, by the journal, the writes of this cycle that landed in
// another row (one call, when any did). It returns the cells repaired.
func (tx *TrackerTx) settleOwn(ctx context.Context) (int, error) {
	t := tx.t
	st := tx.tables[StateTab.Title]
	fresh, err := t.sheets.Read(ctx, t.cases, StateTab)
	if err != nil {
		return 0, fmt.Errorf("re-read rows to check this cycle's writes: %w", err)
	}
	fct, fst := fresh[t.cases.Title], fresh[StateTab.Title]
	if fct == nil || fst == nil || fst.LastRow != st.LastRow {
		return 0, nil // the next read settles them
	}
	x := &TrackerTx{t: t}
	x.readJournal(fct, fst)
	if len(x.journalFixes) == 0 {
		return 0, nil
	}
	tx.journalRows = x.journalRows
	if err := tx.writeJournaled(ctx, fct, st, x.journalFixes, nil); err != nil {
		return 0, fmt.Errorf("repair this cycle's misplaced writes: %w", err)
	}
	return len(x.journalFixes), nil
}

// dropStateRows keeps the state table of the read and the records'
// indexes in step with rows deleted from the state tab.
func (tx *TrackerTx) dropStateRows(st *Table, drop []int64) {
	if len(drop) == 0 {
		return
	}
	below := func(i int64) int64 {
		n := int64(0)
		for _, d := range drop {
			if d < i {
				n++
			}
		}
		return n
	}
	rows := st.Rows[:0]
	for _, r := range st.Rows {
		if slices.Contains(drop, r.Index) {
			continue
		}
		r.Index -= below(r.Index)
		rows = append(rows, r)
	}
	st.Rows = rows
	for id, i := range tx.records {
		tx.records[id] = i - below(i)
	}
	st.LastRow -= below(st.LastRow + 1)
}

// settleJournal writes the repairs the read planned, and deletes the
// records of writes that landed in another row, when no row write of
// this cycle did it already (one call, only after a misplaced write).
func (tx *TrackerTx) settleJournal(ctx context.Context) error {
	if len(tx.journalFixes) == 0 && !tx.misplaced {
		return nil
	}
	ct, err := tx.table(tx.t.cases.Title)
	if err != nil {
		return err
	}
	st, err := tx.table(StateTab.Title)
	if err != nil {
		return err
	}
	return tx.writeJournaled(ctx, ct, st, tx.journalFixes, nil)
}
