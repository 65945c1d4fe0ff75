package google

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"google.golang.org/api/sheets/v4"

	"kopi/rules"
)

// The row-write journal. kopi writes existing rows BY POSITION, at the
// rows its read found, inside the commit's spreadsheets.batchUpdate
// (google/row_write.go) — "If any request is not valid then the entire
// request will fail and nothing will be applied", and the requests apply
// in order. A sort or insert by staff between kopi's read and its commit
// puts a write on whichever row the sort brought to that position; the
// commit's read-back of the ticket column shows it, and VerifyLayout
// puts back what the write misplaced. A daemon that dies before it (or
// whose commit is applied and its answer lost) forgets what it wrote.
//
// So the same batchUpdate, before its row writes, copies the
// consultation tab's values into the hidden journal tab (copyPaste,
// PASTE_VALUES, done by Google: the request is a few hundred bytes
// whatever the tab's size), lists beside the copy the cells it is about
// to write (ticket, field, value, and the row and column written), and
// marks the journal open in the state tab. The copy is exactly what each
// written row held the instant before. Once VerifyLayout has seen every
// written row show its ticket, the journal is closed (its record marked
// closed, the copy cleared) by the cycle's next write — the deliveries'
// progress after the first emails — or at the cycle's end; a commit
// applied with its answer lost leaves it open. A read that finds it
// open — the daemon died, or a call failed, in between — first asks the
// copy: when it shows every listed position on its own case's row and
// field, every write landed where it belonged and the journal just
// closes, whatever staff did to the rows since (nothing is judged
// against their later edits). Otherwise it puts back what
// rules.JournalRepairs names before the cycle decides anything, and
// closes it. A cell written to put things back is listed in the journal
// (without a position) before it is written, by anchor, so a sort racing
// the repair is repaired in turn. Cost: no call of its own in a cycle
// that writes existing rows and then saves its deliveries' progress, one
// (the close) in one that does not; none in an idle or intake-only cycle.
//
// A row showing no ticket (a blank row, a row staff keep without one)
// that holds a value kopi wrote gets back what the copy showed on the
// row with the same cells outside the fields written — through the
// anchor a sort left on it, or by its position when none is left there
// (the put-back is listed in the journal first, like every other: a
// sort racing it is put back in turn). When the copy shows no such row,
// or several that differ (staff changed the row since), the row is left
// as it is: the journal still closes, and the operator log names the
// rows and columns to check (no values). A recovery never waits on
// what it cannot put back; only staff sorting during each of its rounds
// fails a cycle, and the next cycle tries again.
//
// What the recovery cannot tell apart: after an interrupted cycle and
// before the next read, staff typing into a cell kopi wrote the exact
// value kopi wrote into another case's row in that field — the same
// text as a misplaced write; it is put back.

// JournalTab is the hidden tab of the row-write journal: the cells kopi
// is about to write in columns A–D (ticket, field, value, "row:column"
// written), the consultation tab's values as they stood before from
// column E on. Empty while no write is in flight.
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
	// checked: VerifyLayout saw every write on its row, or put back
	// what landed elsewhere; the journal closes with the cycle's next
	// write (SaveDeliveries) or at its end (Finish).
	checked bool
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

// intentRequests lists cells in journal rows from row `from` on, each
// with its position when at gives one (at may be nil).
func intentRequests(from int, cells []rules.WrittenCell, at []string) []*sheets.Request {
	if len(cells) == 0 {
		return nil
	}
	rows := make([]*sheets.RowData, len(cells))
	for i, c := range cells {
		pos := emptyCell
		if i < len(at) && at[i] != "" {
			pos = stringCell(at[i])
		}
		rows[i] = &sheets.RowData{Values: []*sheets.CellData{stringCell(c.Ticket), stringCell(c.Field), stringCell(c.Value), pos}}
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

// journalRecordValues are the journal's state record with the given
// value (journalOpenValue, journalShutValue).
func journalRecordValues(value string) map[string]string {
	return map[string]string{ColStateKind: stateJournal, ColStateKey: "baris", ColStateValue: value}
}

// journalRecordWrite is the state record's write with the given value.
func (tx *TrackerTx) journalRecordWrite(st *Table, value string) ([]*sheets.Request, bool, error) {
	w, isNew := tx.stateWrite(st, journalRecord, journalRecordValues(value))
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

// journalOpenRequests open the journal for a commit's row writes: the
// journal tab made (isNew: the state tab has no journal record yet) or
// cleared and sized, the consultation tab's values copied into it, and
// the cells about to be written listed with their positions. The commit
// puts them first in its batch, and the journal's record ("terbuka")
// among its state writes.
func journalOpenRequests(ct *Table, isNew bool, cells []rules.WrittenCell, at []string) []*sheets.Request {
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
	return append(reqs, intentRequests(0, cells, at)...)
}

// closeRequests mark the journal closed and clear its tab: nothing of a
// finished write stays in the copy.
func (tx *TrackerTx) closeRequests() ([]*sheets.Request, error) {
	st, err := tx.table(StateTab.Title)
	if err != nil {
		return nil, err
	}
	record, isNew, err := tx.journalRecordWrite(st, journalShutValue)
	if err != nil {
		return nil, err
	}
	if isNew {
		return nil, fmt.Errorf("tutup jurnal baris: catatan jurnal tidak ada di tab %q", StateTab.Title)
	}
	return append([]*sheets.Request{{UpdateCells: &sheets.UpdateCellsRequest{Range: &sheets.GridRange{SheetId: JournalSheetID}, Fields: "userEnteredValue"}}}, record...), nil
}

// closeJournal closes the journal with the requests also given (one
// batchUpdate).
func (tx *TrackerTx) closeJournal(ctx context.Context, also ...*sheets.Request) error {
	reqs, err := tx.closeRequests()
	if err != nil {
		return err
	}
	if err := tx.t.sheets.batch(ctx, append(reqs, also...), true); err != nil {
		return fmt.Errorf("tutup jurnal baris: %w", err)
	}
	tx.journal = journalState{}
	return nil
}

// journalRead is what the journal tab holds.
type journalRead struct {
	// cells are the cells listed, at their positions ("" for a cell
	// listed without one: a put-back).
	cells []rules.WrittenCell
	at    []string
	// before is each case's row as the copy shows it (a ticket shown on
	// several rows of the copy is left out).
	before map[string]map[string]string
	// copied are the copy's rows by position, cp the copy as a table.
	copied [][]string
	cp     *Table
}

// readJournal reads the journal tab (one spreadsheets.get).
func (t *Tracker) readJournal(ctx context.Context) (*journalRead, error) {
	ss, err := DoValue(ctx, t.sheets.retry, Idempotent("sheets.spreadsheets.get"), func(ctx context.Context) (*sheets.Spreadsheet, error) {
		return t.sheets.svc.Spreadsheets.Get(t.sheets.id).Ranges(QuoteSheetName(JournalTab.Title)).IncludeGridData(true).
			Fields("sheets(data(rowData(values(" + cellFields + "))))").Context(ctx).Do()
	})
	if err != nil {
		return nil, fmt.Errorf("baca jurnal baris: %w", err)
	}
	var cells []rules.WrittenCell
	var at []string
	var copied [][]string
	for _, sh := range ss.Sheets {
		for _, g := range sh.Data {
			for _, rd := range g.RowData {
				texts := rowTexts(rd)
				cell := func(i int) string {
					if i < len(texts) {
						return texts[i]
					}
					return ""
				}
				if cell(0) != "" && cell(1) != "" {
					cells = append(cells, rules.WrittenCell{Ticket: cell(0), Field: cell(1), Value: cell(2)})
					at = append(at, cell(3))
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
	return &journalRead{cells: cells, at: at, before: before, copied: copied, cp: cp}, nil
}

// recoverJournal puts back what the journal's writes did to rows they
// did not belong to, and writes what missed its row: it reads the
// journal and the tab, and per round lists the cells it will write in
// the journal (with the anchor moves the tab needs), writes them by
// anchor, and reads the tab again, until nothing is left to put back;
// then it closes the journal. It returns the number of rows written.
func (tx *TrackerTx) recoverJournal(ctx context.Context) (int, error) {
	t := tx.t
	jr, err := t.readJournal(ctx)
	if err != nil {
		return 0, err
	}
	before, cp := jr.before, jr.cp
	tx.journal.open, tx.journal.intents = true, jr.cells
	if writesLanded(jr.cells, jr.at, jr.copied, cp) {
		// The copy, taken in the commit's batch the instant before its
		// writes, shows each written position on its own case's row
		// and field: nothing landed elsewhere. What staff did to the
		// rows since is theirs and is not judged.
		return 0, tx.closeJournal(ctx)
	}
	written := 0
	for round := 0; round < journalRounds; round++ {
		tables, err := t.sheets.Read(ctx, t.cases)
		if err != nil {
			return written, fmt.Errorf("baca ulang baris untuk jurnal: %w", err)
		}
		fresh := tables[t.cases.Title]
		rows, index := journalRows(fresh, tx.journal.intents, cp)
		fixes, left := rules.JournalRepairs(tx.journal.intents, before, rows)
		tr := ticketRows(fresh.Rows)
		moves, err := rowAnchorRequests(fresh.SheetID, anchorMoves(tr), lostAnchors(tr))
		if err != nil {
			return written, err
		}
		// Cells of rows showing no ticket are reached through the
		// anchor a sort left there, before it moves back, or by their
		// position when none is left there (listed in the journal
		// first like every put-back: a sort racing the write is put
		// back in turn); the others through their own anchors once the
		// anchors are moved. A cell with no column left to write it in
		// (staff deleted it) stays as it is.
		stray := map[int64]map[int]string{}
		byPos := map[int64]map[int]string{}
		own := map[int64]map[int]string{}
		var listed []rules.WrittenCell
		for _, f := range fixes {
			r := fresh.Rows[index[f.Row]]
			col, ok := fresh.Columns[f.Field]
			if !ok {
				left = append(left, rules.CellLeft{Row: f.Row, Field: f.Field})
				continue
			}
			if rows[f.Row].Ticket == "" {
				tk, err := rules.ParseTicket(r.Anchor)
				if r.Anchor == "" || err != nil {
					if byPos[r.Index] == nil {
						byPos[r.Index] = map[int]string{}
					}
					byPos[r.Index][col] = f.Value
					listed = append(listed, rules.WrittenCell{Ticket: journalByPosition, Field: f.Field, Value: f.Value})
					continue
				}
				id := rules.AnchorID(tk)
				if stray[id] == nil {
					stray[id] = map[int]string{}
				}
				stray[id][col] = f.Value
				// Listed as a put-back of a row without a ticket, not
				// under the anchor's case: the next round would take
				// it for that case's own value and write it into the
				// case's row.
				listed = append(listed, rules.WrittenCell{Ticket: journalByPosition, Field: f.Field, Value: f.Value})
				continue
			}
			tk, err := rules.ParseTicket(rows[f.Row].Ticket)
			if err != nil {
				left = append(left, rules.CellLeft{Row: f.Row, Field: f.Field})
				continue
			}
			id := rules.AnchorID(tk)
			if own[id] == nil {
				own[id] = map[int]string{}
			}
			own[id][col] = f.Value
			listed = append(listed, rules.WrittenCell{Ticket: rows[f.Row].Ticket, Field: f.Field, Value: f.Value})
		}
		if len(listed) == 0 {
			// Nothing misplaced is left that can be put back: the
			// anchors go back onto their rows as the journal closes,
			// and the operator hears of what stays.
			if err := tx.closeJournal(ctx, moves...); err != nil {
				return written, err
			}
			t.logJournalLeft(fresh, rows, index, left)
			return written, nil
		}
		list := intentRequests(len(tx.journal.intents), listed, nil)
		if len(stray)+len(byPos) > 0 {
			if len(list) > 0 {
				if err := t.sheets.batch(ctx, list, true); err != nil {
					return written, fmt.Errorf("catat jurnal baris: %w", err)
				}
			}
			tx.journal.intents = append(tx.journal.intents, listed...)
			list = nil
			var ups []lookupUpdate
			for _, id := range slices.Sorted(maps.Keys(stray)) {
				ups = append(ups, lookupUpdate{lookup: &sheets.DeveloperMetadataLookup{MetadataId: id}, cells: stray[id]})
			}
			for _, at := range slices.Sorted(maps.Keys(byPos)) {
				ups = append(ups, lookupUpdate{row: &sheets.GridRange{SheetId: fresh.SheetID, StartRowIndex: at, EndRowIndex: at + 1}, cells: byPos[at]})
			}
			if err := t.sheets.writeByLookup(ctx, ups); err != nil {
				return written, fmt.Errorf("pulihkan baris tanpa tiket dari jurnal: %w", err)
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
		for _, id := range slices.Sorted(maps.Keys(own)) {
			ups = append(ups, indexUpdate{anchorID: id, cells: own[id]})
		}
		if err := t.sheets.writeByIndex(ctx, ups); err != nil {
			return written, fmt.Errorf("pulihkan baris dari jurnal: %w", err)
		}
		written += len(ups) + len(stray) + len(byPos)
	}
	return written, fmt.Errorf("baris tab %q belum pulih dari jurnal setelah %d putaran; staf terus mengurutkan?", t.cases.Title, journalRounds)
}

// journalRows are the tab's rows as rules.JournalRepairs takes them,
// with the cells of the fields the journal lists as the cells hold them,
// and the index of each in fresh.Rows. A ticket shown on several rows is
// left out (a write by its anchor could not tell them apart). A row
// showing no ticket gets what the copy cp showed on the row with the
// same cells outside those fields (Was), if the copy tells.
func journalRows(fresh *Table, cells []rules.WrittenCell, cp *Table) ([]rules.JournalRow, []int) {
	fields := map[string]bool{}
	for _, c := range cells {
		fields[c.Field] = true
	}
	was, fieldOnly := copiedLooseRows(cp, fields)
	shown := map[string]int{}
	for _, r := range fresh.Rows {
		if tk := normTicket(r.Get(string(rules.CFTicket))); tk != "" {
			shown[tk]++
		}
	}
	var rows []rules.JournalRow
	var index []int
	var hit []int                      // rows showing nothing else that hold a value kopi wrote
	fieldOnlyShown := map[string]int{} // rows showing text in those fields only, by their cells
	for i, r := range fresh.Rows {
		tk := normTicket(r.Get(string(rules.CFTicket)))
		if tk != "" && shown[tk] > 1 {
			continue
		}
		jr := rules.JournalRow{Ticket: tk}
		var any bool
		jr.Cells, any = fieldCells(fresh, r.Raw, fields)
		if tk == "" {
			other := otherCells(fresh, r.Raw, fields)
			jr.Blank = other == ""
			if w, ok := was[other]; ok {
				jr.Was = w
			}
			if jr.Blank && any {
				fieldOnlyShown[fmt.Sprint(jr.Cells)]++
			}
			if jr.Blank && holdsWritten(jr.Cells, cells) {
				hit = append(hit, len(rows))
			}
		}
		rows = append(rows, jr)
		index = append(index, i)
	}
	// A staff row whose text sits only in the fields kopi wrote (a
	// summary typed in the Nama column) shows nothing else once a write
	// covered it. When exactly one such row of the copy is gone from the
	// tab and exactly one row showing nothing else holds kopi's values,
	// that row was it: it gets the copy's cells back, not blanks.
	var gone []map[string]string
	for _, c := range fieldOnly {
		if k := fmt.Sprint(c); fieldOnlyShown[k] > 0 {
			fieldOnlyShown[k]--
			continue
		}
		gone = append(gone, c)
	}
	if len(gone) == 1 && len(hit) == 1 {
		rows[hit[0]].Was = gone[0]
	}
	return rows, index
}

// fieldCells is a row's cells in the given fields (those whose column
// the table has), and whether any is non-empty.
func fieldCells(tb *Table, raw []string, fields map[string]bool) (map[string]string, bool) {
	cells, any := map[string]string{}, false
	for f := range fields {
		if col, ok := tb.Columns[f]; ok && col < len(raw) {
			cells[f] = raw[col]
			any = any || raw[col] != ""
		}
	}
	return cells, any
}

// holdsWritten reports whether a row's cells hold, in some field, a
// non-empty value kopi wrote in that field.
func holdsWritten(row map[string]string, written []rules.WrittenCell) bool {
	for _, w := range written {
		if w.Ticket != rules.PutBack && w.Value != "" && row[w.Field] == w.Value {
			return true
		}
	}
	return false
}

// journalByPosition is the ticket the journal lists a put-back written
// by position under (a row showing no ticket and holding no anchor).
const journalByPosition = rules.PutBack

// otherCells is what tells a row of the tab apart outside the fields
// kopi wrote: its non-empty cells, each by its column's header (by its
// index when the header is empty), in a canonical order. "" for a row
// showing nothing else.
func otherCells(tb *Table, raw []string, fields map[string]bool) string {
	skip := map[int]bool{}
	for f := range fields {
		if col, ok := tb.Columns[f]; ok {
			skip[col] = true
		}
	}
	var parts []string
	for i, v := range raw {
		if v == "" || skip[i] {
			continue
		}
		h := ""
		if i < len(tb.Header) {
			h = strings.ToLower(strings.TrimSpace(tb.Header[i]))
		}
		if h == "" {
			h = "#" + strconv.Itoa(i)
		}
		parts = append(parts, h+"\x1f"+v)
	}
	slices.Sort(parts)
	return strings.Join(parts, "\x1e")
}

// copiedLooseRows are the copy's rows showing no ticket, by their other
// cells (otherCells): each one's cells in the fields kopi wrote. Rows
// the other cells do not tell apart and that differ in those fields are
// left out, and so is everything when the copy lacks one of the fields'
// columns. fieldOnly are the rows whose only text is in those fields.
func copiedLooseRows(cp *Table, fields map[string]bool) (byOther map[string]map[string]string, fieldOnly []map[string]string) {
	if cp == nil {
		return nil, nil
	}
	for f := range fields {
		if _, ok := cp.Columns[f]; !ok {
			return nil, nil
		}
	}
	byOther = map[string]map[string]string{}
	differ := map[string]bool{}
	for _, r := range cp.Rows {
		if normTicket(r.Get(string(rules.CFTicket))) != "" {
			continue
		}
		cells, any := fieldCells(cp, r.Raw, fields)
		key := otherCells(cp, r.Raw, fields)
		if key == "" {
			if any {
				fieldOnly = append(fieldOnly, cells)
			}
			continue // else a blank row: JournalRow.Blank tells it
		}
		if prev, ok := byOther[key]; ok && !maps.Equal(prev, cells) {
			differ[key] = true
		}
		byOther[key] = cells
	}
	for key := range differ {
		delete(byOther, key)
	}
	return byOther, fieldOnly
}

// logJournalLeft tells the operator which cells keep a value kopi wrote
// for another case that the recovery cannot put back (a row showing no
// ticket the copy cannot tell, a column staff deleted): rows (numbered
// as the tab shows them) and column headers only, no values.
func (t *Tracker) logJournalLeft(fresh *Table, rows []rules.JournalRow, index []int, left []rules.CellLeft) {
	if len(left) == 0 || t.sheets.retry.Logger == nil {
		return
	}
	var at, cols []string
	for _, l := range left {
		n := strconv.FormatInt(fresh.Rows[index[l.Row]].Index+1, 10)
		if !slices.Contains(at, n) {
			at = append(at, n)
		}
		h := l.Field
		if c, ok := fresh.Schema.Column(l.Field); ok {
			h = c.Header
		}
		if !slices.Contains(cols, h) {
			cols = append(cols, h)
		}
	}
	t.sheets.retry.Logger.Warn("jurnal tulisan baris ditutup: sel di baris ini memuat nilai yang ditulis kopi untuk kasus lain dan salinan jurnal tidak dapat memastikan isi semulanya; periksa dan perbaiki manual",
		"tab", fresh.Schema.Title, "baris", strings.Join(at, ","), "kolom", strings.Join(cols, ","))
}
