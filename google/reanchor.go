package google

import (
	"context"
	"fmt"
	"sort"
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
// anchors that disagree are moved back onto their rows in the commit that
// next writes the tab (or before a write by anchor: the archive, a
// repair). After writing, VerifyLayout checks the written rows against
// the ticket column the commit reads back, which catches a sort that
// raced the write.

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
// cell names them: ticket → row index the anchor belongs on. Every
// anchor of a row counts, not only its first: a sort that leaves
// metadata in place can stack two on one row (the anchor of a case whose
// row staff deleted, and a live case's), and a live case's anchor
// second on another requester's row would take that case's writes.
func anchorMoves(rows []ticketRow) map[string]int64 {
	at := map[string]int64{}
	for _, r := range rows {
		if r.Anchor != "" {
			at[r.Anchor] = r.Index
		}
		for _, a := range r.Anchors {
			at[a] = r.Index
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
// empty values that kopi would then write back onto it. Nor is a row
// with an empty ticket cell whose anchor's ticket no row shows: a sort
// left the anchor on it and staff then deleted the case's own row. Read
// as the case, it took kopi's writes (a note, a status) into a row that
// is not the case's; the case is gone, as the digest says ("baris
// dihapus"), and its anchor stays where it is, naming no row kopi reads.
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
		case tk == "" && (shown[r.Anchor] || strings.TrimSpace(r.Get(string(rules.CFTicket))) == ""):
			r.Anchor = ""
		}
	}
}

// moveAnchors puts each anchor of moves on its row and anchors again
// each row of lost (one batchUpdate of updateDeveloperMetadata and
// createDeveloperMetadata; repeating it is harmless once the read after
// it shows the anchors).
func (s *Sheets) moveAnchors(ctx context.Context, sheetID int64, moves, lost map[string]int64) error {
	reqs, err := rowAnchorRequests(sheetID, moves, lost)
	if err != nil || len(reqs) == 0 {
		return err
	}
	if err := s.batch(ctx, reqs, true); err != nil {
		return fmt.Errorf("re-anchor %d rows: %w", len(reqs), err)
	}
	return nil
}

// rowAnchorRequests are moveAnchors' requests, to send alone or with others.
func rowAnchorRequests(sheetID int64, moves, lost map[string]int64) ([]*sheets.Request, error) {
	if len(moves)+len(lost) == 0 {
		return nil, nil
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
				return nil, fmt.Errorf("re-anchor %q: %w", tk, err)
			}
			m := anchorMove{sheetID: sheetID, id: rules.AnchorID(parsed), row: set.rows[tk]}
			if set.create {
				m.create = parsed.String()
			}
			ms = append(ms, m)
		}
	}
	return anchorMoveRequests(ms), nil
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
	if err := s.batch(ctx, anchorMoveRequests(moves), true); err != nil {
		return fmt.Errorf("re-anchor %d rows: %w", len(moves), err)
	}
	return nil
}

// anchorMoveRequests are the requests of moveAnchorIDs.
func anchorMoveRequests(moves []anchorMove) []*sheets.Request {
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
	return reqs
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

// colLetters is a 0-based column index in A1 notation ("A", "AB").
func colLetters(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}
