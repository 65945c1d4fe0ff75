package google

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"kopi/rules"
)

// An SOP case's row carries its case id in two places: the anchor (row
// metadata) and the No. Kasus cell, a kopi column staff are warned off.
// As on the consultation tab (reanchor.go), the cell is the truth: Google
// does not document whether a sort moves row metadata, so after staff
// sort an SOP tab an anchor may stand on another row. Each read follows
// the cells and moves the anchors back before kopi writes by anchor.
//
// A row staff add has no id yet. The commit that starts its case anchors
// it where the read saw it, and writes nothing else into it; a sort,
// insert or delete between the read and the commit can put that anchor
// on another row. So after such a commit UpdateSOPRows reads the tabs
// again (one call), puts every new anchor on the row that has its title
// and no case yet, and only then writes the new rows' cells by anchor.

// sopRowCase is the case a row of an SOP tab belongs to.
type sopRowCase struct {
	// caseID is the case, "" for a row staff added.
	caseID string
	// copy marks a second row showing the same case id (a row staff
	// copied): not the case's row.
	copy bool
}

// sopCases reads the case of every row of an SOP tab and the anchors to
// move (case id → row index): the No. Kasus cell names a row's case; a
// row without one is the case of its anchor only when no cell shows that
// case (a case whose row a crash left without its cells), and is a new
// row otherwise.
func sopCases(rows []Row) (map[int64]sopRowCase, map[string]int64) {
	anchorAt := map[string]int64{}
	shown := map[string]bool{}
	for _, r := range rows {
		for _, a := range r.Anchors {
			anchorAt[a] = r.Index
		}
		if c := strings.TrimSpace(r.Get(ColSOPCase)); c != "" {
			shown[c] = true
		}
	}
	out := map[int64]sopRowCase{}
	moves := map[string]int64{}
	rowOf := map[string]int64{}
	// A case shown twice belongs to the row its anchor is on, or else
	// to the first; the other rows are copies.
	for _, r := range rows {
		c := strings.TrimSpace(r.Get(ColSOPCase))
		if c == "" {
			continue
		}
		if i, ok := rowOf[c]; !ok || anchorAt[c] == r.Index && i != r.Index {
			rowOf[c] = r.Index
		}
	}
	for _, r := range rows {
		c := strings.TrimSpace(r.Get(ColSOPCase))
		switch {
		case c != "":
			if rowOf[c] != r.Index {
				out[r.Index] = sopRowCase{caseID: c, copy: true}
				continue
			}
			out[r.Index] = sopRowCase{caseID: c}
			if i, ok := anchorAt[c]; ok && i != r.Index {
				moves[c] = r.Index
			}
		default:
			for _, a := range r.Anchors {
				if !shown[a] {
					out[r.Index] = sopRowCase{caseID: a}
					break
				}
			}
		}
	}
	return out, moves
}

// sopMoves turns an SOP tab's moves into anchor moves.
func sopMoves(sop string, sheetID int64, moves map[string]int64) []anchorMove {
	out := make([]anchorMove, 0, len(moves))
	for _, c := range slices.Sorted(maps.Keys(moves)) {
		out = append(out, anchorMove{sheetID: sheetID, id: sopAnchorID(sop, c), row: moves[c]})
	}
	return out
}

// verifyStarts reads the tabs of the SOP cases the commit started (one
// spreadsheets.get) and returns the anchor moves that put every case on
// its row — the new ones on the row with their title and no case yet,
// the others on the row their cell names — and the started cases' views
// to write; a started case whose row is gone has its anchor deleted and
// no view written.
func (tx *TrackerTx) verifyStarts(ctx context.Context) ([]anchorMove, []rules.SOPRowView, error) {
	bySOP := map[string][]rules.SOPAnchor{}
	var sops []string
	for _, a := range tx.anchored {
		if bySOP[a.SOP] == nil {
			sops = append(sops, a.SOP)
		}
		bySOP[a.SOP] = append(bySOP[a.SOP], a)
	}
	sort.Strings(sops)
	var schemas []TabSchema
	for _, sop := range sops {
		def, _, err := tx.sopTable(sop)
		if err != nil {
			return nil, nil, err
		}
		schemas = append(schemas, SOPTab(def))
	}
	fresh, err := tx.t.sheets.Read(ctx, schemas...)
	if err != nil {
		return nil, nil, fmt.Errorf("check the rows of new SOP cases: %w", err)
	}
	var moves []anchorMove
	var views []rules.SOPRowView
	for i, sop := range sops {
		tb := fresh[schemas[i].Title]
		cases, caseMoves := sopCases(tb.Rows)
		moves = append(moves, sopMoves(sop, tb.SheetID, caseMoves)...)
		started := map[string]bool{}
		for _, a := range bySOP[sop] {
			started[a.Case] = true
		}
		// A row may hold a new case when it is no existing case's row.
		open := func(r Row) bool { c := cases[r.Index].caseID; return c == "" || started[c] }
		taken := map[int64]bool{}
		free := func(r Row, title string) bool {
			return open(r) && !taken[r.Index] && strings.TrimSpace(r.Get(ColSOPTitle)) == title
		}
		var misplaced []rules.SOPAnchor
		for _, a := range bySOP[sop] {
			title := tx.newRows[a.NewRow].title
			at := int64(-1)
			for _, r := range tb.Rows {
				for _, x := range r.Anchors {
					if x == a.Case {
						at = r.Index
					}
				}
			}
			if r := rowAt(tb, at); at >= 0 && open(r) && !taken[at] {
				// The row carries the anchor and is no other case's: the
				// one staff added, unless it lacks the title and another
				// row waiting for a case has it (a sort moved them).
				if free(r, title) || !hasFree(tb, func(r Row) bool { return free(r, title) }) {
					taken[at] = true
					views = append(views, a.View)
					continue
				}
			}
			misplaced = append(misplaced, a)
		}
		for _, a := range misplaced {
			title := tx.newRows[a.NewRow].title
			target := int64(-1)
			for _, r := range tb.Rows {
				if free(r, title) {
					target = r.Index
					break
				}
			}
			moves = append(moves, anchorMove{sheetID: tb.SheetID, id: sopAnchorID(sop, a.Case), row: target})
			if target >= 0 {
				taken[target] = true
				views = append(views, a.View)
			}
		}
	}
	return moves, views, nil
}

func rowAt(tb *Table, index int64) Row {
	for _, r := range tb.Rows {
		if r.Index == index {
			return r
		}
	}
	return Row{Index: index}
}

func hasFree(tb *Table, ok func(Row) bool) bool {
	for _, r := range tb.Rows {
		if ok(r) {
			return true
		}
	}
	return false
}
