package google

import (
	"maps"
	"testing"

	"kopi/rules"
)

// TestLostAnchors: only a ticket shown on exactly one row and anchored
// on no row is anchored again; a ticket whose anchor sits on another row
// is a move, and a ticket shown twice is not guessed at.
func TestLostAnchors(t *testing.T) {
	row := func(i int64, ticket, anchor string, more ...string) Row {
		r := Row{Index: i, Anchor: anchor, Cells: map[string]string{}}
		if ticket != "" {
			r.Cells[string(rules.CFTicket)] = ticket
		}
		if anchor != "" {
			r.Anchors = append([]string{anchor}, more...)
		}
		return r
	}
	for _, tc := range []struct {
		name string
		rows []Row
		want map[string]int64
	}{
		{"anchored", []Row{row(1, "KOPI-2026-0001", "KOPI-2026-0001")}, map[string]int64{}},
		{"lost", []Row{row(1, "KOPI-2026-0001", ""), row(2, "KOPI-2026-0002", "KOPI-2026-0002")}, map[string]int64{"KOPI-2026-0001": 1}},
		{"on another row", []Row{row(1, "KOPI-2026-0001", ""), row(3, "", "KOPI-2026-0001")}, map[string]int64{}},
		{"second anchor of a row", []Row{row(1, "KOPI-2026-0001", ""), row(2, "KOPI-2026-0002", "KOPI-2026-0002", "KOPI-2026-0001")}, map[string]int64{}},
		{"shown twice", []Row{row(1, "KOPI-2026-0001", ""), row(4, "KOPI-2026-0001", "")}, map[string]int64{}},
		{"not a ticket", []Row{row(1, "catatan", "")}, map[string]int64{}},
	} {
		if got := lostAnchors(ticketRows(tc.rows)); !maps.Equal(got, tc.want) {
			t.Errorf("%s: lostAnchors = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestAnchorMovesSeesEveryAnchorOfARow: an anchor stacked second on
// another requester's row (under a deleted case's, first) is moved back
// to the row its ticket shows on, like a first one.
func TestAnchorMovesSeesEveryAnchorOfARow(t *testing.T) {
	rows := []ticketRow{
		{Index: 1, Ticket: "KOPI-2026-0004", Anchor: "KOPI-2026-0002", Anchors: []string{"KOPI-2026-0002", "KOPI-2026-0001"}},
		{Index: 2, Ticket: "KOPI-2026-0001", Anchor: "KOPI-2026-0004", Anchors: []string{"KOPI-2026-0004"}},
	}
	want := map[string]int64{"KOPI-2026-0001": 2, "KOPI-2026-0004": 1}
	if got := anchorMoves(rows); !maps.Equal(got, want) {
		t.Errorf("anchorMoves = %v, want %v", got, want)
	}
}
