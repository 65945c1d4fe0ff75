package google

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"google.golang.org/api/sheets/v4"

	"kopi/rules"
)

// Existing consultation rows are written BY POSITION inside the commit's
// own batchUpdate, after a copy of the tab into the row-write journal in
// the same batch (google/journal.go): "the entire request will fail and
// nothing will be applied" if any request is invalid, and the requests
// are applied in order, so the copy is exactly what each written row held
// the instant before it was written. The commit reads the ticket column
// back in its response (includeSpreadsheetInResponse with responseRanges),
// and every written position must show the ticket it was written for.
// A sort, insert or delete by staff between the cycle's read and the
// commit makes a position show another row: VerifyLayout then puts back
// from the journal what the write misplaced and writes the case's values
// into its own row (by its anchor). A row write costs no call of its own:
// a busy cycle is the responses page, the read and the commit before its
// first email, the journal closed by the cycle's next write.

// rowPositions maps each case's ticket to the row the read shows it on:
// the one row whose ticket cell shows it — a sort that left its anchor
// on another row does not change that (the commit moves the anchor back
// onto it) — or, of several rows showing it (staff copied a row), the
// one row carrying its anchor. A ticket none of these tells has none.
func rowPositions(ct *Table) map[string]int64 { return positionsShown(ticketRows(ct.Rows)) }

// positionsShown maps each ticket the rows show to its row: the one row
// showing it, or of several the one row carrying its anchor.
func positionsShown(rows []ticketRow) map[string]int64 {
	shown := map[string][]int64{}
	anchored := map[string][]int64{}
	for _, r := range rows {
		tk := normTicket(r.Ticket)
		if tk == "" {
			continue
		}
		shown[tk] = append(shown[tk], r.Index)
		if r.Anchor == tk || slices.Contains(r.Anchors, tk) {
			anchored[tk] = append(anchored[tk], r.Index)
		}
	}
	at := make(map[string]int64, len(shown))
	for tk, rows := range shown {
		switch {
		case len(rows) == 1:
			at[tk] = rows[0]
		case len(anchored[tk]) == 1:
			at[tk] = anchored[tk][0]
		}
	}
	return at
}

// placedCell is a cell a batch wrote by position, and whose cell it was
// meant for: the row showing ticket ("" for a row known by its position
// only) and the column of identity colID (Table.ColIDs' form).
type placedCell struct {
	row    int64
	col    int
	value  string
	ticket string
	colID  string
	// field is the case field of a case's own value; "" for a put-back.
	field string
}

// wrongCells are the cells that landed where the layout of their batch
// (its own read-back: the instant of the write) shows another row or
// another column than the one they were meant for.
func wrongCells(cells []placedCell, l layout) []placedCell {
	var wrong []placedCell
	for _, c := range cells {
		if l.tickets[c.row] != c.ticket || c.col >= len(l.ids) || l.ids[c.col] != c.colID {
			wrong = append(wrong, c)
		}
	}
	return wrong
}

// rowWrite is one existing row's write by position: the update and the
// row the read found it on.
type rowWrite struct {
	update RowUpdate
	row    int64
}

// rowWrites lays out the updates as writes at the rows and columns the
// read found: the rows, the cells written (each meant for its case's row
// and its field's column as the read found them; a long value's head, in
// field order per row) and the long values' tails for the overflow tab.
// An update whose case shows on no row, or on several, is not written
// (the next cycle decides it again from its own read) and returned in
// skipped.
func (tx *TrackerTx) rowWrites(ct *Table, ups []rules.CaseUpdate) (writes []rowWrite, cells []placedCell, spill []StateWrite, skipped []string, err error) {
	if tx.rowAt == nil {
		tx.rowAt = rowPositions(ct)
	}
	for _, u := range ups {
		tk := u.Case.Ticket.String()
		row, ok := tx.rowAt[tk]
		if !ok {
			skipped = append(skipped, tk)
			continue
		}
		values := tx.t.caseValues(u.Case, u.Fields)
		heads, sp := splitLong(tk, values)
		for _, key := range slices.Sorted(maps.Keys(heads)) {
			col, ok := ct.Columns[key]
			if !ok {
				return nil, nil, nil, nil, fmt.Errorf("tab %q has no column for %q", ct.Schema.Title, key)
			}
			id := ""
			if col < len(ct.ColIDs) {
				id = ct.ColIDs[col]
			}
			cells = append(cells, placedCell{row: row, col: col, value: heads[key], ticket: tk, colID: id, field: key})
		}
		spill = append(spill, sp...)
		writes = append(writes, rowWrite{update: RowUpdate{AnchorID: u.Case.AnchorID, Anchor: tk, Values: values}, row: row})
	}
	return writes, cells, spill, skipped, nil
}

// journalIntents list placed cells in the journal: a case's own value
// under its ticket and field, a put-back under rules.PutBack and the
// field of its column (the column's identity when it is no field), each
// with its position ("row:column").
func journalIntents(schema TabSchema, cells []placedCell) ([]rules.WrittenCell, []string) {
	out := make([]rules.WrittenCell, len(cells))
	at := make([]string, len(cells))
	for i, c := range cells {
		if c.field != "" {
			out[i] = rules.WrittenCell{Ticket: c.ticket, Field: c.field, Value: c.value}
		} else {
			out[i] = rules.WrittenCell{Ticket: rules.PutBack, Field: fieldOfColumn(schema, c.colID), Value: c.value}
		}
		at[i] = intentPosition(c.row, c.col)
	}
	return out, at
}

// fieldOfColumn is the schema field of a column identity ("k:key" of a
// column anchor, "h:header" of a header), else the identity itself.
func fieldOfColumn(schema TabSchema, id string) string {
	if key, ok := strings.CutPrefix(id, "k:"); ok {
		return key
	}
	if h, ok := strings.CutPrefix(id, "h:"); ok {
		for _, c := range schema.Columns {
			if strings.EqualFold(c.Header, h) {
				return c.Key
			}
		}
	}
	return id
}

// cellRequests are the updateCells requests writing placed cells: one
// per run of adjacent columns of a row; an empty value clears its cell.
func cellRequests(sheetID int64, cells []placedCell) []*sheets.Request {
	sorted := slices.Clone(cells)
	slices.SortFunc(sorted, func(a, b placedCell) int {
		return cmp.Or(cmp.Compare(a.row, b.row), cmp.Compare(a.col, b.col))
	})
	var reqs []*sheets.Request
	for start := 0; start < len(sorted); {
		end := start + 1
		for end < len(sorted) && sorted[end].row == sorted[start].row && sorted[end].col == sorted[end-1].col+1 {
			end++
		}
		run := make([]*sheets.CellData, 0, end-start)
		for _, c := range sorted[start:end] {
			if c.value != "" {
				run = append(run, stringCell(c.value))
			} else {
				run = append(run, emptyCell)
			}
		}
		reqs = append(reqs, &sheets.Request{UpdateCells: &sheets.UpdateCellsRequest{
			Start:  &sheets.GridCoordinate{SheetId: sheetID, RowIndex: sorted[start].row, ColumnIndex: int64(sorted[start].col)},
			Rows:   []*sheets.RowData{{Values: run}},
			Fields: "userEnteredValue",
		}})
		start = end
	}
	return reqs
}

// intentPosition is how the journal lists where a cell was written.
func intentPosition(row int64, col int) string {
	return strconv.FormatInt(row, 10) + ":" + strconv.Itoa(col)
}

// parseIntentPosition reads intentPosition back.
func parseIntentPosition(s string) (row int64, col int, ok bool) {
	r, c, found := strings.Cut(s, ":")
	if !found {
		return 0, 0, false
	}
	row, err1 := strconv.ParseInt(r, 10, 64)
	col, err2 := strconv.Atoi(c)
	return row, col, err1 == nil && err2 == nil && row > 0 && col >= 0
}

// writesLanded reports whether the copy taken in the commit's batch, the
// instant before its writes, shows every listed cell's case on the row it
// was written to and the cell's field in the column it was written to:
// then every write landed where it belonged, whatever staff did since.
// A cell listed without a position (a put-back) or a copy that cannot
// tell answers false.
func writesLanded(cells []rules.WrittenCell, at []string, copied [][]string, cp *Table) bool {
	tcol, ok := cp.Columns[string(rules.CFTicket)]
	if len(cells) == 0 || len(at) != len(cells) || !ok {
		return false
	}
	for i, c := range cells {
		row, col, ok := parseIntentPosition(at[i])
		if !ok || row >= int64(len(copied)) {
			return false
		}
		if fc, ok := cp.Columns[c.Field]; !ok || fc != col {
			return false
		}
		r := copied[row]
		if tcol >= len(r) || normTicket(r[tcol]) != c.Ticket {
			return false
		}
	}
	return true
}

// repairPlaced puts right the cells the latest batch wrote by position
// that its layout l (the batch's own read-back: the instant of the write)
// shows on another row or column than the one they were meant for. Per
// round it reads the journal's copy (what each cell held the instant
// before) and the tab as it stands, then writes in ONE batch — the
// journal's copy taken again first, its read-back checked like the
// commit's — each wrongly written cell's value back (where the cell
// still holds kopi's value: a cell staff changed since is theirs) and
// each value into the cell it was meant for. It returns the number of
// rows written, and the layout as the last repair's read-back showed it
// (l when nothing was written); nothing is read when every cell landed.
func (tx *TrackerTx) repairPlaced(ctx context.Context, l layout) (int, layout, error) {
	t := tx.t
	cells := tx.placed
	repaired := 0
	for round := 0; round < journalRounds; round++ {
		wrong := wrongCells(cells, l)
		if len(wrong) == 0 {
			tx.placed = nil
			return repaired, l, nil
		}
		jr, err := t.readJournal(ctx)
		if err != nil {
			return repaired, l, err
		}
		if l.tickets == nil {
			// The ticket column moved: the rows' tickets at the write are
			// the copy's, taken in the same batch (kopi writes no ticket
			// cell of an existing row).
			l.tickets = copiedTickets(jr)
			if wrong = wrongCells(cells, l); len(wrong) == 0 {
				tx.placed = nil
				return repaired, l, nil
			}
		}
		tables, err := t.sheets.Read(ctx, t.cases)
		if err != nil {
			return repaired, l, fmt.Errorf("baca ulang baris untuk perbaikan: %w", err)
		}
		fresh := tables[t.cases.Title]
		next, left := placedRepairs(wrong, l, jr.copied, fresh)
		t.logPlacedLeft(fresh, left)
		if len(next) == 0 {
			// Nothing written: the tab as just read is the layout.
			tx.placed = nil
			return repaired, layoutOf(fresh), nil
		}
		intents, at := journalIntents(fresh.Schema, next)
		reqs := append(journalOpenRequests(fresh, false, intents, at), cellRequests(fresh.SheetID, next)...)
		ranges, _ := t.layoutRanges(fresh)
		updated, err := t.sheets.apply(ctx, &Commit{Before: reqs}, &readBack{Ranges: ranges, Fields: "updatedSpreadsheet(" + layoutFields + ")"})
		if err != nil {
			return repaired, l, fmt.Errorf("kembalikan sel yang salah tempat: %w", err)
		}
		tx.journal.intents = intents
		rows := map[int64]bool{}
		for _, c := range next {
			rows[c.row] = true
		}
		repaired += len(rows)
		if l, err = t.parseLayout(fresh, updated); err != nil {
			return repaired, l, err
		}
		cells = next
	}
	return repaired, l, fmt.Errorf("sel yang ditulis kopi di tab %q belum kembali ke tempatnya setelah %d putaran; staf terus mengurutkan?", t.cases.Title, journalRounds)
}

// placedRepairs decides the writes of a repair round: for each wrongly
// written cell, its value back (from the copy) in the cell it landed in,
// found in the tab as it stands by its row's ticket and its column's
// identity, when that cell still holds what kopi wrote; and its value in
// the cell it was meant for. A row showing no ticket is found by its
// position only while the ticket column stands as at the write. left
// counts the cells that cannot be put back (the row or column is gone,
// or staff changed the cell since).
func placedRepairs(wrong []placedCell, l layout, copied [][]string, fresh *Table) (next []placedCell, left []int64) {
	rowOf := map[string]int64{}
	dup := map[string]bool{}
	shown := map[int64]string{}
	raw := map[int64][]string{}
	for _, r := range fresh.Rows {
		raw[r.Index] = r.Raw
		tk := normTicket(r.Get(string(rules.CFTicket)))
		if tk == "" {
			continue
		}
		shown[r.Index] = tk
		if _, ok := rowOf[tk]; ok {
			dup[tk] = true
		}
		rowOf[tk] = r.Index
	}
	for tk := range dup {
		delete(rowOf, tk)
	}
	same := maps.Equal(shown, l.tickets)
	colOf := map[string]int{}
	for i, id := range fresh.ColIDs {
		colOf[id] = i
	}
	cellAt := func(row int64, col int) string {
		if r := raw[row]; col < len(r) {
			return r[col]
		}
		return ""
	}
	type at struct {
		row int64
		col int
	}
	out := map[at]placedCell{}
	var order []at
	put := func(c placedCell) {
		k := at{c.row, c.col}
		if _, ok := out[k]; !ok {
			order = append(order, k)
		}
		out[k] = c
	}
	for _, w := range wrong {
		// What the cell held, back in it.
		tA := l.tickets[w.row]
		if w.col < len(l.ids) {
			idA := l.ids[w.col]
			pre := ""
			if w.row < int64(len(copied)) && w.col < len(copied[w.row]) {
				pre = copied[w.row][w.col]
			}
			r, okR := rowOf[tA]
			if tA == "" {
				r, okR = w.row, same
			}
			c, okC := colOf[idA]
			switch cur := cellAt(r, c); {
			case !okR || !okC:
				left = append(left, w.row)
			case cur == pre:
			case cur == w.value:
				put(placedCell{row: r, col: c, value: pre, ticket: tA, colID: idA})
			default:
				left = append(left, r)
			}
		}
	}
	for _, w := range wrong {
		// The value, in the cell it was meant for.
		r, okR := rowOf[w.ticket]
		if w.ticket == "" {
			r, okR = w.row, same && l.tickets[w.row] == ""
		}
		c, okC := colOf[w.colID]
		if !okR || !okC {
			left = append(left, w.row)
			continue
		}
		if cellAt(r, c) != w.value {
			put(placedCell{row: r, col: c, value: w.value, ticket: w.ticket, colID: w.colID, field: w.field})
		} else {
			delete(out, at{r, c}) // already holds it: no put-back over it
		}
	}
	for _, k := range order {
		if c, ok := out[k]; ok {
			next = append(next, c)
		}
	}
	return next, left
}

// logPlacedLeft tells the operator which rows keep a value kopi wrote
// in the wrong place that it cannot put back (rows numbered as the tab
// shows them, no values).
func (t *Tracker) logPlacedLeft(fresh *Table, left []int64) {
	if len(left) == 0 || t.sheets.retry.Logger == nil {
		return
	}
	var at []string
	for _, r := range left {
		n := strconv.FormatInt(r+1, 10)
		if !slices.Contains(at, n) {
			at = append(at, n)
		}
	}
	t.sheets.retry.Logger.Warn("sel yang ditulis kopi di tempat yang salah tidak dapat dipastikan isi semulanya (baris atau kolomnya berpindah lagi, atau sudah diubah staf); periksa dan perbaiki manual",
		"tab", fresh.Schema.Title, "baris", strings.Join(at, ","))
}

// layoutOf is the layout of a table as read.
func layoutOf(tb *Table) layout { return ticketLayout(tb.ColIDs, ticketRows(tb.Rows)) }

// ticketLayout is the layout of a header's column identities and the
// ticket column's rows.
func ticketLayout(ids []string, rows []ticketRow) layout {
	l := layout{ids: ids, offRow: len(anchorMoves(rows))+len(lostAnchors(rows)) > 0, tickets: map[int64]string{}, at: positionsShown(rows)}
	for _, r := range rows {
		if tk := normTicket(r.Ticket); tk != "" {
			l.tickets[r.Index] = tk
		}
	}
	return l
}

// copiedTickets are the tickets the journal's copy shows, by row.
func copiedTickets(jr *journalRead) map[int64]string {
	out := map[int64]string{}
	tcol, ok := jr.cp.Columns[string(rules.CFTicket)]
	if !ok {
		return out
	}
	for i, r := range jr.copied {
		if tcol < len(r) {
			if tk := normTicket(r[tcol]); tk != "" {
				out[int64(i)] = tk
			}
		}
	}
	return out
}
