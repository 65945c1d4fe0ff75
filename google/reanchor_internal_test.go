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

// TestStaffPreImages: a row kopi's write landed on (by an anchor a sort
// left behind) and that shows no ticket gets back the staff row of the
// read that is gone from the tab and agrees with it outside the cells
// kopi wrote — only when exactly one such row fits and no more landings
// claim it than the read had copies; otherwise nothing is guessed.
func TestStaffPreImages(t *testing.T) {
	// Columns: ticket, Nama (kopi writes it), staff's own column.
	ids := []string{"k:" + string(rules.CFTicket), "k:" + string(rules.CFName), "h:Catatan Staf"}
	cols := map[string]int{string(rules.CFTicket): 0, string(rules.CFName): 1}
	row := func(i int64, raw ...string) Row {
		r := Row{Index: i, Raw: raw, Cells: map[string]string{}}
		for k, c := range cols {
			if c < len(raw) && raw[c] != "" {
				r.Cells[k] = raw[c]
			}
		}
		return r
	}
	table := func(rows ...Row) *Table { return &Table{ColIDs: ids, Columns: cols, Rows: rows} }
	land := func(r Row) *landing {
		return &landing{row: r, wrote: map[string][]string{string(rules.CFName): {r.Raw[1]}}}
	}
	summary := map[string]string{ids[1]: "Rekap manual"}
	note := map[string]string{ids[1]: "Rekap manual", ids[2]: "catatan"}
	for _, tc := range []struct {
		name  string
		read  *Table
		fresh *Table
		lands []*landing
		want  []map[string]string
	}{
		{"summary covered", table(row(1, "KOPI-2026-0001", "ani"), row(3, "", "Rekap manual")),
			table(row(2, "", "ani"), row(4, "KOPI-2026-0001", "ani")),
			[]*landing{land(row(2, "", "ani"))}, []map[string]string{summary}},
		{"own column tells", table(row(3, "", "Rekap manual", "catatan"), row(4, "", "Rekap manual")),
			table(row(2, "", "ani", "catatan"), row(5, "", "Rekap manual")),
			[]*landing{land(row(2, "", "ani", "catatan"))}, []map[string]string{note}},
		{"still in the tab: the landing was blank", table(row(3, "", "Rekap manual")),
			table(row(2, "", "ani"), row(5, "", "Rekap manual")),
			[]*landing{land(row(2, "", "ani"))}, []map[string]string{nil}},
		{"own column disagrees", table(row(3, "", "Rekap manual", "catatan")),
			table(row(2, "", "ani"), row(4, "KOPI-2026-0001", "ani")),
			[]*landing{land(row(2, "", "ani"))}, []map[string]string{nil}},
		{"two fit", table(row(3, "", "Rekap manual"), row(4, "", "Rekap lain")),
			table(row(2, "", "ani")),
			[]*landing{land(row(2, "", "ani"))}, []map[string]string{nil}},
		{"claimed twice, one copy", table(row(3, "", "Rekap manual")),
			table(row(2, "", "ani"), row(6, "", "budi")),
			[]*landing{land(row(2, "", "ani")), land(row(6, "", "budi"))}, []map[string]string{nil, nil}},
		{"claimed twice, two copies", table(row(3, "", "Rekap manual"), row(4, "", "Rekap manual")),
			table(row(2, "", "ani"), row(6, "", "budi")),
			[]*landing{land(row(2, "", "ani")), land(row(6, "", "budi"))}, []map[string]string{summary, summary}},
		{"a case row is no staff row", table(row(3, "KOPI-2026-0002", "Rekap manual")),
			table(row(2, "", "ani")),
			[]*landing{land(row(2, "", "ani"))}, []map[string]string{nil}},
	} {
		got := staffPreImages(tc.read, ids, tc.fresh, tc.lands)
		if len(got) != len(tc.want) {
			t.Fatalf("%s: %d pre-images, want %d", tc.name, len(got), len(tc.want))
		}
		for i := range got {
			if !maps.Equal(got[i], tc.want[i]) || (got[i] == nil) != (tc.want[i] == nil) {
				t.Errorf("%s: landing %d: pre-image %v, want %v", tc.name, i, got[i], tc.want[i])
			}
		}
	}
}
