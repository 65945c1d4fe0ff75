package google

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"google.golang.org/api/sheets/v4"

	"kopi/rules"
)

// The row-write journal. kopi writes a case's row by its anchor
// (developer metadata on the row). Google documents that metadata moves
// with rows that are inserted, deleted or moved, and says nothing of
// sorts; if a sort leaves it at its index (the fake's SortLeavesMetadata),
// a sort by staff between kopi's read and its write puts the write on
// whichever row the sort brought under the anchor. VerifyLayout notices
// that from the read it holds in memory; a daemon that dies before it
// (or whose call is applied and its answer lost) forgets. No Sheets call
// writes by anchor and keeps what it overwrote: values.batchUpdateByDataFilter
// documents no atomicity, and in spreadsheets.batchUpdate (atomic: "If
// any request is not valid then the entire request will fail and nothing
// will be applied") only the developer-metadata requests take a data
// filter.
//
// So before the first row write of a cycle, ONE spreadsheets.batchUpdate
// copies the consultation tab's values into the hidden journal tab
// (copyPaste, PASTE_VALUES, done by Google: the request is a few hundred
// bytes whatever the tab's size), lists beside the copy the cells kopi is
// about to write (ticket, field, value), and marks the journal open in
// the state tab. The copy is the pre-image of every row the write could
// land on. The journal is closed (its record marked closed, the copy
// cleared) once VerifyLayout has seen every anchor on its row after the
// writes; a read that finds it open — the daemon died, or a call failed,
// in between — puts back what rules.JournalRepairs names before the
// cycle decides anything, and closes it. A cell written to put things
// back is listed in the journal before it is written, so a sort racing
// the repair is repaired in turn. The close is its own call: a commit
// applied with its answer lost would otherwise close the journal with
// nothing checked, and so would a repair after the commit cut short;
// left open for a later cycle to close, the journal would be judged
// again against staff edits made in between. Cost: two calls in a cycle
// that rewrites existing rows, none in an idle or intake-only cycle.
//
// What the recovery cannot tell apart: after an interrupted cycle and
// before the next read, staff typing into a cell kopi wrote the exact
// value kopi wrote into another case's row in that field — the same
// text as a misplaced write; it is put back.

// JournalTab is the hidden tab of the row-write journal: the cells kopi
// is about to write in columns A–C, the consultation tab's values as they
// stood before from column E on. Empty while no write is in flight.
var JournalTab = TabSchema{Title: "_kopi_jurnal", Hidden: true}

const (
	// JournalSheetID is the journal tab's sheet id, chosen by kopi so
	// the batchUpdate that creates the tab can copy into it (every
	// request of the journal names it).
	JournalSheetID int64 = 1_766_095_611
	// journalCopyCol is the column the copy starts at.
	journalCopyCol = 4
	// stateJournal is the kind of the journal's state record.
	stateJournal     = "jurnal"
	journalRecord    = stateJournal
	journalOpenValue = "terbuka"
	journalShutValue = "tutup"
	// journalRounds bounds the put-back rounds of one recovery.
	journalRounds = 3
)

// journalState is what this transaction did with the journal.
type journalState struct {
	// open: this transaction opened the journal and has not closed it.
	open bool
	// intents are the cells listed in the journal tab (rows 0..).
	intents []rules.WrittenCell
}

// readJournalState notes where the journal's record of the state tab is.
func (tx *TrackerTx) readJournalState(r Row) {
	tx.records[journalRecord] = r.Index
}

// journalOpenIn reports whether the state tab shows the journal open.
func journalOpenIn(st *Table) bool {
	if st == nil {
		return false
	}
	for _, r := range st.Rows {
		if r.Get(ColStateKind) == stateJournal && r.Get(ColStateValue) == journalOpenValue {
			return true
		}
	}
	return false
}

// journalIntents are the cells a row write is about to put in each row:
// the values as the cells will hold them (a long value's head).
func journalIntents(rows []RowUpdate) []rules.WrittenCell {
	var out []rules.WrittenCell
	for _, r := range rows {
		vals, _ := splitLong(r.Anchor, r.Values)
		for _, k := range slices.Sorted(maps.Keys(vals)) {
			out = append(out, rules.WrittenCell{Ticket: r.Anchor, Field: k, Value: vals[k]})
		}
	}
	return out
}

// intentCells lays out journal rows from row `from` on.
func intentRequests(from int, cells []rules.WrittenCell) []*sheets.Request {
	if len(cells) == 0 {
		return nil
	}
	rows := make([]*sheets.RowData, len(cells))
	for i, c := range cells {
		rows[i] = &sheets.RowData{Values: []*sheets.CellData{stringCell(c.Ticket), stringCell(c.Field), stringCell(c.Value)}}
	}
	return []*sheets.Request{
		{AppendDimension: &sheets.AppendDimensionRequest{SheetId: JournalSheetID, Dimension: "ROWS", Length: int64(len(cells))}},
		{UpdateCells: &sheets.UpdateCellsRequest{
			Start:  &sheets.GridCoordinate{SheetId: JournalSheetID, RowIndex: int64(from)},
			Rows:   rows,
			Fields: "userEnteredValue",
		}},
	}
}

// journalRecordWrite is the state record's write with the given value.
func (tx *TrackerTx) journalRecordWrite(st *Table, value string) ([]*sheets.Request, bool, error) {
	w, isNew := tx.stateWrite(st, journalRecord, map[string]string{
		ColStateKind: stateJournal, ColStateKey: "baris", ColStateValue: value,
	})
	reqs, _, err := stateRequests(st, []StateWrite{w})
	return reqs, isNew, err
}

// batch sends requests in one spreadsheets.batchUpdate.
func (s *Sheets) batch(ctx context.Context, reqs []*sheets.Request, idempotent bool) error {
	call := NonIdempotent("sheets.spreadsheets.batchUpdate")
	if idempotent {
		call = Idempotent("sheets.spreadsheets.batchUpdate")
	}
	_, err := DoValue(ctx, s.retry, call, func(ctx context.Context) (*sheets.BatchUpdateSpreadsheetResponse, error) {
		return s.svc.Spreadsheets.BatchUpdate(s.id, &sheets.BatchUpdateSpreadsheetRequest{Requests: reqs}).Context(ctx).Do()
	})
	return err
}

// journalBeforeWrite makes the row write of rows durable in the journal
// before it happens, together with the anchor moves the read asked for:
// the first write of the transaction opens the journal (copy and list),
// a later one lists its cells after those listed. One batchUpdate.
func (tx *TrackerTx) journalBeforeWrite(ctx context.Context, ct *Table, rows []RowUpdate, moves []*sheets.Request) error {
	cells := journalIntents(rows)
	if tx.journal.open {
		reqs := append(intentRequests(len(tx.journal.intents), cells), moves...)
		if err := tx.t.sheets.batch(ctx, reqs, true); err != nil {
			return fmt.Errorf("catat jurnal baris: %w", err)
		}
		tx.journal.intents = append(tx.journal.intents, cells...)
		return nil
	}
	st, err := tx.table(StateTab.Title)
	if err != nil {
		return err
	}
	record, isNew, err := tx.journalRecordWrite(st, journalOpenValue)
	if err != nil {
		return err
	}
	// The journal tab's grid: room for the copy of the tab as read and
	// some rows and columns staff may add before the copy runs (more
	// than that fails the request: nothing is written, and the next
	// cycle sizes the grid from its own read).
	grid := &sheets.GridProperties{RowCount: max(ct.RowCount, 1) + 200, ColumnCount: journalCopyCol + max(ct.ColCount, 1) + 10}
	var reqs []*sheets.Request
	if isNew {
		reqs = append(reqs, &sheets.Request{AddSheet: &sheets.AddSheetRequest{Properties: &sheets.SheetProperties{
			SheetId: JournalSheetID, Title: JournalTab.Title, Hidden: true, GridProperties: grid,
		}}})
	} else {
		reqs = append(reqs,
			&sheets.Request{UpdateCells: &sheets.UpdateCellsRequest{Range: &sheets.GridRange{SheetId: JournalSheetID}, Fields: "userEnteredValue"}},
			&sheets.Request{UpdateSheetProperties: &sheets.UpdateSheetPropertiesRequest{
				Properties: &sheets.SheetProperties{SheetId: JournalSheetID, GridProperties: grid},
				Fields:     "gridProperties.rowCount,gridProperties.columnCount",
			}})
	}
	// "If the range is smaller than the source range, the entire source
	// data will still be copied": a one-cell destination takes the
	// whole tab once.
	reqs = append(reqs, &sheets.Request{CopyPaste: &sheets.CopyPasteRequest{
		Source:      &sheets.GridRange{SheetId: ct.SheetID},
		Destination: &sheets.GridRange{SheetId: JournalSheetID, StartRowIndex: 0, EndRowIndex: 1, StartColumnIndex: journalCopyCol, EndColumnIndex: journalCopyCol + 1},
		PasteType:   "PASTE_VALUES",
	}})
	reqs = append(reqs, intentRequests(0, cells)...)
	reqs = append(reqs, moves...)
	reqs = append(reqs, record...)
	if err := tx.t.sheets.batch(ctx, reqs, !isNew); err != nil {
		return fmt.Errorf("buka jurnal baris: %w", err)
	}
	if isNew {
		tx.records[journalRecord] = st.LastRow + 1
		st.LastRow++
	}
	tx.journal.open, tx.journal.intents = true, cells
	return nil
}

// closeJournal marks the journal closed and clears its tab, with the
// requests also given (one batchUpdate): nothing of a finished write
// stays in the copy.
func (tx *TrackerTx) closeJournal(ctx context.Context, also ...*sheets.Request) error {
	st, err := tx.table(StateTab.Title)
	if err != nil {
		return err
	}
	record, isNew, err := tx.journalRecordWrite(st, journalShutValue)
	if err != nil {
		return err
	}
	if isNew {
		return fmt.Errorf("tutup jurnal baris: catatan jurnal tidak ada di tab %q", StateTab.Title)
	}
	reqs := append([]*sheets.Request{{UpdateCells: &sheets.UpdateCellsRequest{Range: &sheets.GridRange{SheetId: JournalSheetID}, Fields: "userEnteredValue"}}}, record...)
	reqs = append(reqs, also...)
	if err := tx.t.sheets.batch(ctx, reqs, true); err != nil {
		return fmt.Errorf("tutup jurnal baris: %w", err)
	}
	tx.journal = journalState{}
	return nil
}

// readJournal reads the journal tab (one spreadsheets.get): the cells
// listed, and each case's row as the copy shows it (a ticket shown on
// several rows of the copy is left out).
func (t *Tracker) readJournal(ctx context.Context) ([]rules.WrittenCell, map[string]map[string]string, error) {
	ss, err := DoValue(ctx, t.sheets.retry, Idempotent("sheets.spreadsheets.get"), func(ctx context.Context) (*sheets.Spreadsheet, error) {
		return t.sheets.svc.Spreadsheets.Get(t.sheets.id).Ranges(QuoteSheetName(JournalTab.Title)).IncludeGridData(true).
			Fields("sheets(data(rowData(values(" + cellFields + "))))").Context(ctx).Do()
	})
	if err != nil {
		return nil, nil, fmt.Errorf("baca jurnal baris: %w", err)
	}
	var cells []rules.WrittenCell
	var copied [][]string
	for _, sh := range ss.Sheets {
		for _, g := range sh.Data {
			for _, rd := range g.RowData {
				texts := rowTexts(rd)
				at := func(i int) string {
					if i < len(texts) {
						return texts[i]
					}
					return ""
				}
				if at(0) != "" && at(1) != "" {
					cells = append(cells, rules.WrittenCell{Ticket: at(0), Field: at(1), Value: at(2)})
				}
				if len(texts) > journalCopyCol {
					copied = append(copied, texts[journalCopyCol:])
				} else {
					copied = append(copied, nil)
				}
			}
		}
	}
	cp := tableFromRows(t.cases, nil, copied, nil, nil)
	before := map[string]map[string]string{}
	seen := map[string]int{}
	for _, r := range cp.Rows {
		tk := normTicket(r.Get(string(rules.CFTicket)))
		if tk == "" {
			continue
		}
		seen[tk]++
		before[tk] = r.Cells
	}
	for tk, n := range seen {
		if n > 1 {
			delete(before, tk)
		}
	}
	return cells, before, nil
}

// recoverJournal puts back what the journal's writes did to rows they
// did not belong to, and writes what missed its row: it reads the
// journal and the tab, and per round lists the cells it will write in
// the journal (with the anchor moves the tab needs), writes them by
// anchor, and reads the tab again, until nothing is left to put back;
// then it closes the journal. It returns the number of rows written.
func (tx *TrackerTx) recoverJournal(ctx context.Context) (int, error) {
	t := tx.t
	cells, before, err := t.readJournal(ctx)
	if err != nil {
		return 0, err
	}
	tx.journal.open, tx.journal.intents = true, cells
	written := 0
	for round := 0; round < journalRounds; round++ {
		tables, err := t.sheets.Read(ctx, t.cases)
		if err != nil {
			return written, fmt.Errorf("baca ulang baris untuk jurnal: %w", err)
		}
		fresh := tables[t.cases.Title]
		rows, index := journalRows(fresh, tx.journal.intents)
		fixes := rules.JournalRepairs(tx.journal.intents, before, rows)
		moves, err := rowAnchorRequests(fresh.SheetID, anchorMoves(fresh.Rows), lostAnchors(fresh.Rows))
		if err != nil {
			return written, err
		}
		if len(fixes) == 0 {
			// Nothing misplaced is left: the anchors go back onto their
			// rows as the journal closes.
			return written, tx.closeJournal(ctx, moves...)
		}
		// Cells of rows showing no ticket are reached through the
		// anchor a sort left there, before it moves back; the others
		// through their own anchors once the anchors are moved.
		stray := map[int64]map[int]string{}
		own := map[string]map[int]string{}
		var listed []rules.WrittenCell
		for _, f := range fixes {
			r := fresh.Rows[index[f.Row]]
			col, ok := fresh.Columns[f.Field]
			if !ok {
				continue
			}
			if rows[f.Row].Ticket == "" {
				tk, err := rules.ParseTicket(r.Anchor)
				if r.Anchor == "" || err != nil {
					continue // nothing of kopi's reaches it
				}
				id := rules.AnchorID(tk)
				if stray[id] == nil {
					stray[id] = map[int]string{}
				}
				stray[id][col] = f.Value
				listed = append(listed, rules.WrittenCell{Ticket: tk.String(), Field: f.Field, Value: f.Value})
				continue
			}
			if own[rows[f.Row].Ticket] == nil {
				own[rows[f.Row].Ticket] = map[int]string{}
			}
			own[rows[f.Row].Ticket][col] = f.Value
			listed = append(listed, rules.WrittenCell{Ticket: rows[f.Row].Ticket, Field: f.Field, Value: f.Value})
		}
		list := intentRequests(len(tx.journal.intents), listed)
		if len(stray) > 0 {
			if len(list) > 0 {
				if err := t.sheets.batch(ctx, list, true); err != nil {
					return written, fmt.Errorf("catat jurnal baris: %w", err)
				}
			}
			tx.journal.intents = append(tx.journal.intents, listed...)
			list = nil
			var ups []indexUpdate
			for _, id := range slices.Sorted(maps.Keys(stray)) {
				ups = append(ups, indexUpdate{anchorID: id, cells: stray[id]})
			}
			if err := t.sheets.writeByIndex(ctx, ups); err != nil {
				return written, fmt.Errorf("kosongkan nilai kopi di baris tanpa tiket: %w", err)
			}
		}
		if reqs := append(list, moves...); len(reqs) > 0 {
			if err := t.sheets.batch(ctx, reqs, true); err != nil {
				return written, fmt.Errorf("catat jurnal baris: %w", err)
			}
			if list != nil {
				tx.journal.intents = append(tx.journal.intents, listed...)
			}
		}
		var ups []indexUpdate
		for _, tk := range slices.Sorted(maps.Keys(own)) {
			parsed, err := rules.ParseTicket(tk)
			if err != nil {
				continue
			}
			ups = append(ups, indexUpdate{anchorID: rules.AnchorID(parsed), cells: own[tk]})
		}
		if err := t.sheets.writeByIndex(ctx, ups); err != nil {
			return written, fmt.Errorf("pulihkan baris dari jurnal: %w", err)
		}
		written += len(ups) + len(stray)
	}
	return written, fmt.Errorf("baris tab %q belum pulih dari jurnal setelah %d putaran; staf terus mengurutkan?", t.cases.Title, journalRounds)
}

// journalRows are the tab's rows as rules.JournalRepairs takes them,
// with the cells of the fields the journal lists as the cells hold them,
// and the index of each in fresh.Rows. A ticket shown on several rows is
// left out (a write by its anchor could not tell them apart).
func journalRows(fresh *Table, cells []rules.WrittenCell) ([]rules.JournalRow, []int) {
	fields := map[string]bool{}
	for _, c := range cells {
		fields[c.Field] = true
	}
	shown := map[string]int{}
	for _, r := range fresh.Rows {
		if tk := normTicket(r.Get(string(rules.CFTicket))); tk != "" {
			shown[tk]++
		}
	}
	var rows []rules.JournalRow
	var index []int
	for i, r := range fresh.Rows {
		tk := normTicket(r.Get(string(rules.CFTicket)))
		if tk != "" && shown[tk] > 1 {
			continue
		}
		jr := rules.JournalRow{Ticket: tk, Cells: map[string]string{}}
		for f := range fields {
			if col, ok := fresh.Columns[f]; ok && col < len(r.Raw) {
				jr.Cells[f] = r.Raw[col]
			}
		}
		rows = append(rows, jr)
		index = append(index, i)
	}
	return rows, index
}
