package google

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"google.golang.org/api/sheets/v4"

	"kopi/rules"
)

// Google documents that row metadata moves with its row when rows are
// inserted, deleted or moved; it says nothing about sorts (sortRange or
// a sort in the Sheets UI). If a sort leaves metadata at its row index,
// an anchor ends up on another requester's row. So the anchor is not the
// truth about a row — its ticket cell is (every row carries its ticket,
// in a protected column): each read checks every anchor against the
// ticket in its row, the read's view follows the ticket cells, and the
// anchors that disagree are moved back onto their rows before kopi
// writes by anchor. After writing, VerifyLayout checks the written rows
// the same way, which catches a sort that raced the write.

// normTicket is a ticket cell's text in canonical form, "" when the
// text is not a ticket.
func normTicket(s string) string {
	tk, err := rules.ParseTicket(strings.TrimSpace(s))
	if err != nil {
		return ""
	}
	return tk.String()
}

// ticketRow is what the anchor checks read of a row: its index, the
// text of its ticket cell and its anchors (a layout read's ticket column
// is read as these, not as a Row with a map per row).
type ticketRow struct {
	Index   int64
	Ticket  string
	Anchor  string
	Anchors []string
}

// ticketRows are a table's rows as the anchor checks read them.
func ticketRows(rows []Row) []ticketRow {
	out := make([]ticketRow, len(rows))
	for i, r := range rows {
		out[i] = ticketRow{Index: r.Index, Ticket: r.Get(string(rules.CFTicket)), Anchor: r.Anchor, Anchors: r.Anchors}
	}
	return out
}

// anchorMoves finds the anchors that are not on the row whose ticket
// cell names them: ticket → row index the anchor belongs on.
func anchorMoves(rows []ticketRow) map[string]int64 {
	at := map[string]int64{}
	for _, r := range rows {
		if r.Anchor != "" {
			at[r.Anchor] = r.Index
		}
	}
	moves := map[string]int64{}
	for _, r := range rows {
		tk := normTicket(r.Ticket)
		if tk == "" {
			continue
		}
		if i, ok := at[tk]; ok && i != r.Index {
			moves[tk] = r.Index
		}
	}
	return moves
}

// lostAnchors finds the tickets whose anchor is on no row of the tab
// while their ticket cell shows on exactly one row: ticket → that row's
// index. An anchor a sort left on another row goes with that row when
// staff delete it (a manual note typed there, say), and every write by
// anchor would then miss the case's row for good. A ticket shown on
// several rows is not guessed at.
func lostAnchors(rows []ticketRow) map[string]int64 {
	anchored := map[string]bool{}
	shown := map[string]int{}
	at := map[string]int64{}
	for _, r := range rows {
		anchored[r.Anchor] = true
		for _, a := range r.Anchors {
			anchored[a] = true
		}
		if tk := normTicket(r.Ticket); tk != "" {
			shown[tk]++
			at[tk] = r.Index
		}
	}
	lost := map[string]int64{}
	for tk, n := range shown {
		if n == 1 && !anchored[tk] {
			lost[tk] = at[tk]
		}
	}
	return lost
}

// followTicketCells makes every read row's identity the ticket its cell
// shows and keeps the anchor moves to make before the next write.
// A row whose anchor names a ticket shown on another row, and which
// shows no ticket itself (a blank or staff row a sort moved under the
// anchor), is no case: read as one, it would shadow the real row with
// empty values that kopi would then write back onto it.
func (tx *TrackerTx) followTicketCells(ct *Table) {
	rows := ticketRows(ct.Rows)
	tx.anchorMoves = anchorMoves(rows)
	tx.lostAnchors = lostAnchors(rows)
	for i := range ct.Rows {
		if r := &ct.Rows[i]; r.Anchor == "" {
			if tk := normTicket(r.Get(string(rules.CFTicket))); tk != "" && tx.lostAnchors[tk] == r.Index {
				r.Anchor = tk
			}
		}
	}
	shown := map[string]bool{}
	for _, r := range ct.Rows {
		if tk := normTicket(r.Get(string(rules.CFTicket))); tk != "" {
			shown[tk] = true
		}
	}
	for i := range ct.Rows {
		r := &ct.Rows[i]
		switch tk := normTicket(r.Get(string(rules.CFTicket))); {
		case tk != "" && r.Anchor != "":
			r.Anchor = tk
		case tk == "" && shown[r.Anchor]:
			r.Anchor = ""
		}
	}
}

// moveAnchors puts each anchor of moves on its row and anchors again
// each row of lost (one batchUpdate of updateDeveloperMetadata and
// createDeveloperMetadata; repeating it is harmless once the read after
// it shows the anchors).
func (s *Sheets) moveAnchors(ctx context.Context, sheetID int64, moves, lost map[string]int64) error {
	if len(moves)+len(lost) == 0 {
		return nil
	}
	var ms []anchorMove
	for _, set := range []struct {
		rows   map[string]int64
		create bool
	}{{moves, false}, {lost, true}} {
		tickets := make([]string, 0, len(set.rows))
		for tk := range set.rows {
			tickets = append(tickets, tk)
		}
		sort.Strings(tickets)
		for _, tk := range tickets {
			parsed, err := rules.ParseTicket(tk)
			if err != nil {
				return fmt.Errorf("re-anchor %q: %w", tk, err)
			}
			m := anchorMove{sheetID: sheetID, id: rules.AnchorID(parsed), row: set.rows[tk]}
			if set.create {
				m.create = parsed.String()
			}
			ms = append(ms, m)
		}
	}
	return s.moveAnchorIDs(ctx, ms)
}

// anchorMove puts the anchor with metadata id on a row of a tab; row < 0
// deletes the anchor. With create set, the anchor no longer exists and
// is made again on the row, with create as its value (the ticket).
type anchorMove struct {
	sheetID, id, row int64
	create           string
}

// moveAnchorIDs moves (or deletes) anchors by metadata id in one
// batchUpdate; repeating it is harmless.
func (s *Sheets) moveAnchorIDs(ctx context.Context, moves []anchorMove) error {
	if len(moves) == 0 {
		return nil
	}
	reqs := make([]*sheets.Request, 0, len(moves))
	for _, m := range moves {
		lookup := []*sheets.DataFilter{{DeveloperMetadataLookup: &sheets.DeveloperMetadataLookup{MetadataId: m.id}}}
		if m.row < 0 {
			reqs = append(reqs, &sheets.Request{DeleteDeveloperMetadata: &sheets.DeleteDeveloperMetadataRequest{DataFilter: lookup[0]}})
			continue
		}
		if m.create != "" {
			reqs = append(reqs, &sheets.Request{CreateDeveloperMetadata: &sheets.CreateDeveloperMetadataRequest{DeveloperMetadata: &sheets.DeveloperMetadata{
				MetadataId: m.id, MetadataKey: MetaRowKey, MetadataValue: m.create, Visibility: "DOCUMENT",
				Location: &sheets.DeveloperMetadataLocation{DimensionRange: &sheets.DimensionRange{
					SheetId: m.sheetID, Dimension: "ROWS", StartIndex: m.row, EndIndex: m.row + 1,
				}},
			}}})
			continue
		}
		reqs = append(reqs, &sheets.Request{UpdateDeveloperMetadata: &sheets.UpdateDeveloperMetadataRequest{
			DataFilters: lookup,
			DeveloperMetadata: &sheets.DeveloperMetadata{Location: &sheets.DeveloperMetadataLocation{DimensionRange: &sheets.DimensionRange{
				SheetId: m.sheetID, Dimension: "ROWS", StartIndex: m.row, EndIndex: m.row + 1,
			}}},
			Fields: "location",
		}})
	}
	_, err := DoValue(ctx, s.retry, Idempotent("sheets.spreadsheets.batchUpdate"), func(ctx context.Context) (*sheets.BatchUpdateSpreadsheetResponse, error) {
		return s.svc.Spreadsheets.BatchUpdate(s.id, &sheets.BatchUpdateSpreadsheetRequest{Requests: reqs}).Context(ctx).Do()
	})
	if err != nil {
		return fmt.Errorf("re-anchor %d rows: %w", len(moves), err)
	}
	return nil
}

// reanchorBeforeWrite moves the anchors the last read found misplaced
// and makes again those it found lost, so that writes by anchor land on the right rows.
func (tx *TrackerTx) reanchorBeforeWrite(ctx context.Context, ct *Table) error {
	if len(tx.anchorMoves)+len(tx.lostAnchors) == 0 {
		return nil
	}
	if err := tx.t.sheets.moveAnchors(ctx, ct.SheetID, tx.anchorMoves, tx.lostAnchors); err != nil {
		return err
	}
	tx.anchorMoves, tx.lostAnchors = nil, nil
	return nil
}

// rowRepairs compares the tab as it stands (fresh, anchors as they are)
// with what this cycle wrote and read. A written value that landed in
// another ticket's row (its anchor was there when kopi wrote) is put
// back to what that row held at read time; a written value missing from
// its own row is written there. A cell holding anything else was typed
// by staff since and is left alone. The result is cells by ticket, by
// column index of the fresh layout.
func (tx *TrackerTx) rowRepairs(read, fresh *Table) map[string]map[int]string {
	readVals := map[string]map[string]string{}
	for _, r := range read.Rows {
		if r.Anchor != "" {
			readVals[r.Anchor] = r.Cells
		}
	}
	byTicket := map[string]Row{}
	byAnchor := map[string]Row{}
	for _, r := range fresh.Rows {
		if tk := normTicket(r.Get(string(rules.CFTicket))); tk != "" {
			byTicket[tk] = r
		}
		if r.Anchor != "" {
			byAnchor[r.Anchor] = r
		}
	}
	own := map[string]map[string]string{}    // ticket → key → value kopi wrote for it
	landed := map[string]map[string]string{} // ticket → key → value kopi wrote into its row by mistake
	for _, w := range tx.written {
		vals, _ := splitLong(w.anchor, w.values)
		own[w.anchor] = vals
		r, ok := byAnchor[w.anchor]
		if !ok {
			continue
		}
		host := normTicket(r.Get(string(rules.CFTicket)))
		if host == "" || host == w.anchor {
			continue
		}
		if landed[host] == nil {
			landed[host] = map[string]string{}
		}
		for k, v := range vals {
			landed[host][k] = v
		}
	}
	out := map[string]map[int]string{}
	fix := func(tk string, keys map[string]string) {
		r, ok := byTicket[tk]
		if !ok {
			return
		}
		for k := range keys {
			col, ok := fresh.Columns[k]
			if !ok {
				continue
			}
			cur, before := r.Cells[k], readVals[tk][k]
			if b, _ := splitLong(tk, map[string]string{k: before}); b != nil {
				before = b[k] // as the cell holds it
			}
			want, mine := own[tk][k]
			if !mine {
				want = before
			}
			wrong, isLanded := landed[tk][k]
			if cur == want || !(cur == before || (isLanded && cur == wrong)) {
				continue
			}
			if out[tk] == nil {
				out[tk] = map[int]string{}
			}
			restored, _ := splitLong(tk, map[string]string{k: want}) // a long value's tail is stored already
			out[tk][col] = restored[k]
		}
	}
	for tk, keys := range own {
		fix(tk, keys)
	}
	for tk, keys := range landed {
		fix(tk, keys)
	}
	return out
}

// landing is a row that this cycle's writes reached by an anchor a sort
// left behind, and that shows no ticket: a blank row, or staff's own (a
// summary, a note) whose cells kopi then wrote over.
type landing struct {
	anchorID int64
	row      Row                 // as the fresh read shows it
	wrote    map[string][]string // field key → the values kopi wrote there, as the cell holds them
}

// strayRepairs gives back what this cycle's writes covered in rows
// showing no ticket (rows a sort put under an anchor left behind): each
// cell that still holds what kopi wrote gets what the row held at read
// time when the read tells which row it was (staffPreImages), and is
// cleared otherwise — nothing of kopi's belongs in a row without a
// ticket. A cell holding anything else was typed since and is left alone.
func (tx *TrackerTx) strayRepairs(read, fresh *Table) []indexUpdate {
	byAnchor := map[string]Row{}
	for _, r := range fresh.Rows {
		if r.Anchor != "" {
			byAnchor[r.Anchor] = r
		}
	}
	var lands []*landing
	byID := map[int64]*landing{}
	for _, w := range tx.written {
		r, ok := byAnchor[w.anchor]
		if !ok || normTicket(r.Get(string(rules.CFTicket))) != "" {
			continue
		}
		l := byID[w.anchorID]
		if l == nil {
			l = &landing{anchorID: w.anchorID, row: r, wrote: map[string][]string{}}
			byID[w.anchorID] = l
			lands = append(lands, l)
		}
		vals, _ := splitLong(w.anchor, w.values)
		for k, v := range vals {
			l.wrote[k] = append(l.wrote[k], v)
		}
	}
	if len(lands) == 0 {
		return nil
	}
	pre := staffPreImages(read, tx.rawIDs, fresh, lands)
	var ups []indexUpdate
	for i, l := range lands {
		cells := map[int]string{}
		for k, vals := range l.wrote {
			col, ok := fresh.Columns[k]
			if !ok || col >= len(fresh.ColIDs) || !slices.Contains(vals, l.row.Cells[k]) {
				continue
			}
			if want := pre[i][fresh.ColIDs[col]]; want != l.row.Cells[k] {
				cells[col] = want
			}
		}
		if len(cells) > 0 {
			ups = append(ups, indexUpdate{anchorID: l.anchorID, cells: cells})
		}
	}
	return ups
}

// staffPreImages tells, for each landing, what its row held at read
// time, by column identity (nil: nothing, or not known). Staff's own rows
// of the read (no ticket, no anchor of a case) that the fresh read shows
// nowhere as they were are the ones a write may have covered; a landing
// takes the one that agrees with it in every cell kopi did not write
// there, when exactly one does and no more landings claim it than the
// read had copies of it. A landing that fits none was blank at read time
// — or was typed between the read and the write, which no read can tell.
// One that fits several is not guessed at. A staff row holding text only
// in columns kopi wrote fits a landing whose other cells are blank; it
// is taken for that row's content since it is gone from the tab (if
// staff deleted that very row between kopi's read and its write, the
// text comes back in the row the write landed on).
func staffPreImages(read *Table, readIDs []string, fresh *Table, lands []*landing) []map[string]string {
	type staffRow struct {
		cells map[string]string
		n     int // copies the read had, minus those the fresh read still shows
	}
	gone := map[string]*staffRow{}
	var keys []string
	for _, r := range read.Rows {
		if r.Anchor != "" || normTicket(r.Get(string(rules.CFTicket))) != "" {
			continue
		}
		cells := cellsByID(r.Raw, readIDs)
		k := rowKey(cells)
		if gone[k] == nil {
			gone[k] = &staffRow{cells: cells}
			keys = append(keys, k)
		}
		gone[k].n++
	}
	landed := map[int64]bool{}
	for _, l := range lands {
		landed[l.row.Index] = true
	}
	for _, r := range fresh.Rows {
		if landed[r.Index] || normTicket(r.Get(string(rules.CFTicket))) != "" {
			continue
		}
		if g := gone[rowKey(cellsByID(r.Raw, fresh.ColIDs))]; g != nil {
			g.n--
		}
	}
	claims := map[string][]int{}
	for i, l := range lands {
		now := cellsByID(l.row.Raw, fresh.ColIDs)
		wrote := map[string]bool{}
		for k := range l.wrote {
			if col, ok := fresh.Columns[k]; ok && col < len(fresh.ColIDs) {
				wrote[fresh.ColIDs[col]] = true
			}
		}
		fits := func(cells map[string]string) bool {
			for _, m := range []map[string]string{cells, now} {
				for id := range m {
					if !wrote[id] && cells[id] != now[id] {
						return false
					}
				}
			}
			return true
		}
		only, n := "", 0
		for _, k := range keys {
			if gone[k].n > 0 && fits(gone[k].cells) {
				only, n = k, n+1
			}
		}
		if n == 1 {
			claims[only] = append(claims[only], i)
		}
	}
	pre := make([]map[string]string, len(lands))
	for k, is := range claims {
		if len(is) <= gone[k].n {
			for _, i := range is {
				pre[i] = gone[k].cells
			}
		}
	}
	return pre
}

// cellsByID is a row's non-empty cells by column identity (a cell past
// the named columns by its index).
func cellsByID(raw []string, ids []string) map[string]string {
	out := map[string]string{}
	for i, v := range raw {
		if v == "" {
			continue
		}
		id := "#" + strconv.Itoa(i)
		if i < len(ids) {
			id = ids[i]
		}
		out[id] = v
	}
	return out
}

// rowKey is a canonical text of a row's cells by column identity.
func rowKey(cells map[string]string) string {
	var b strings.Builder
	for _, id := range slices.Sorted(maps.Keys(cells)) {
		b.WriteString(id)
		b.WriteByte(0)
		b.WriteString(cells[id])
		b.WriteByte(0)
	}
	return b.String()
}

// repairRows puts right what a sort that left anchors behind did to this
// cycle's writes: it reads the tab (one call), moves every misplaced
// anchor back onto its row (one call) and rewrites the cells rowRepairs
// names (one call). It returns the number of rows rewritten.
func (tx *TrackerTx) repairRows(ctx context.Context, ct *Table) (int, error) {
	t := tx.t
	tables, err := t.sheets.Read(ctx, t.cases)
	if err != nil {
		return 0, fmt.Errorf("re-read rows after a sort: %w", err)
	}
	fresh := tables[t.cases.Title]
	fixes := tx.rowRepairs(ct, fresh)
	// Values that landed in a row showing no ticket (a blank or staff
	// row the sort put under the anchor) give way to what the row held
	// while the anchor still stands there, before it moves back.
	if err := t.sheets.writeByIndex(ctx, tx.strayRepairs(ct, fresh)); err != nil {
		return 0, fmt.Errorf("restore a row without a ticket that values were written into: %w", err)
	}
	rows := ticketRows(fresh.Rows)
	if err := t.sheets.moveAnchors(ctx, ct.SheetID, anchorMoves(rows), lostAnchors(rows)); err != nil {
		return 0, err
	}
	ups := make([]indexUpdate, 0, len(fixes))
	for _, tk := range slices.Sorted(maps.Keys(fixes)) {
		parsed, err := rules.ParseTicket(tk)
		if err != nil {
			continue
		}
		ups = append(ups, indexUpdate{anchorID: rules.AnchorID(parsed), cells: fixes[tk]})
	}
	if err := t.sheets.writeByIndex(ctx, ups); err != nil {
		return 0, fmt.Errorf("repair rows after a sort: %w", err)
	}
	return len(ups), nil
}

// colLetters is a 0-based column index in A1 notation ("A", "AB").
func colLetters(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}
