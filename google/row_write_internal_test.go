package google

import (
	"slices"
	"testing"

	"kopi/rules"
)

// rowWriteSchema is a small consultation tab for the position checks.
var rowWriteSchema = TabSchema{Title: "Konsultasi", Columns: []ColumnSpec{
	{Key: string(rules.CFTicket), Header: "No. Tiket"},
	{Key: string(rules.CFName), Header: "Nama"},
	{Key: string(rules.CFStatus), Header: "Status"},
}}

// tabRows is a tab's values, the header first.
func tabRows(rows ...[]string) [][]string { return rows }

// TestPlacedRepairs: a cell written by position that the write's own
// layout shows on another row or column gets back what the journal's
// copy shows it held — where it still holds kopi's value — and the value
// goes into the cell it was meant for, both found in the tab as it
// stands now by ticket and column identity.
func TestPlacedRepairs(t *testing.T) {
	const t1, t2 = "KOPI-2026-0001", "KOPI-2026-0002"
	// kopi read Ani (t1) on row 1 with Status in column 2, and stamps
	// her status there.
	stamp := placedCell{row: 1, col: 2, value: "Dijawab", ticket: t1, colID: "h:Status", field: string(rules.CFStatus)}
	for _, tc := range []struct {
		name        string
		atWrite     [][]string // the tab the instant before the write (the copy)
		now         [][]string // the tab now, after the write
		want        []placedCell
		wantLeft    []int64
		wantNoWrong bool
	}{
		{
			name:        "landed",
			atWrite:     tabRows([]string{"No. Tiket", "Nama", "Status"}, []string{t1, "ani", "Ditugaskan"}),
			now:         tabRows([]string{"No. Tiket", "Nama", "Status"}, []string{t1, "ani", "Dijawab"}),
			wantNoWrong: true,
		},
		{
			name:    "sorted between read and write",
			atWrite: tabRows([]string{"No. Tiket", "Nama", "Status"}, []string{t2, "budi", "Ditugaskan"}, []string{t1, "ani", "Ditugaskan"}),
			now:     tabRows([]string{"No. Tiket", "Nama", "Status"}, []string{t2, "budi", "Dijawab"}, []string{t1, "ani", "Ditugaskan"}),
			want: []placedCell{
				{row: 1, col: 2, value: "Ditugaskan", ticket: t2, colID: "h:Status"},
				{row: 2, col: 2, value: "Dijawab", ticket: t1, colID: "h:Status", field: string(rules.CFStatus)},
			},
		},
		{
			name:    "column moved between read and write",
			atWrite: tabRows([]string{"No. Tiket", "Status", "Nama"}, []string{t1, "Ditugaskan", "ani"}),
			now:     tabRows([]string{"No. Tiket", "Status", "Nama"}, []string{t1, "Ditugaskan", "Dijawab"}),
			want: []placedCell{
				{row: 1, col: 2, value: "ani", ticket: t1, colID: "h:Nama"},
				{row: 1, col: 1, value: "Dijawab", ticket: t1, colID: "h:Status", field: string(rules.CFStatus)},
			},
		},
		{
			name:    "staff changed the cell since",
			atWrite: tabRows([]string{"No. Tiket", "Nama", "Status"}, []string{t2, "budi", "Ditugaskan"}, []string{t1, "ani", "Ditugaskan"}),
			now:     tabRows([]string{"No. Tiket", "Nama", "Status"}, []string{t2, "budi", "Selesai"}, []string{t1, "ani", "Ditugaskan"}),
			want: []placedCell{
				{row: 2, col: 2, value: "Dijawab", ticket: t1, colID: "h:Status", field: string(rules.CFStatus)},
			},
			wantLeft: []int64{1},
		},
		{
			name:    "a blank row, then rows inserted since",
			atWrite: tabRows([]string{"No. Tiket", "Nama", "Status"}, []string{"", "", ""}, []string{t1, "ani", "Ditugaskan"}),
			now:     tabRows([]string{"No. Tiket", "Nama", "Status"}, []string{t2, "budi", "Ditugaskan"}, []string{"", "", "Dijawab"}, []string{t1, "ani", "Ditugaskan"}),
			want: []placedCell{
				{row: 3, col: 2, value: "Dijawab", ticket: t1, colID: "h:Status", field: string(rules.CFStatus)},
			},
			wantLeft: []int64{1},
		},
		{
			name:    "a blank row, nothing moved since",
			atWrite: tabRows([]string{"No. Tiket", "Nama", "Status"}, []string{"", "", ""}, []string{t1, "ani", "Ditugaskan"}),
			now:     tabRows([]string{"No. Tiket", "Nama", "Status"}, []string{"", "", "Dijawab"}, []string{t1, "ani", "Ditugaskan"}),
			want: []placedCell{
				{row: 1, col: 2, value: "", ticket: "", colID: "h:Status"},
				{row: 2, col: 2, value: "Dijawab", ticket: t1, colID: "h:Status", field: string(rules.CFStatus)},
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The write's layout is the tab right after it: the copy's
			// rows and columns (the write changes no ticket or header).
			l := layoutOf(tableFromRows(rowWriteSchema, nil, tc.atWrite, nil, nil))
			wrong := wrongCells([]placedCell{stamp}, l)
			if tc.wantNoWrong {
				if len(wrong) != 0 {
					t.Fatalf("wrongCells = %v, want none", wrong)
				}
				return
			}
			if len(wrong) != 1 {
				t.Fatalf("wrongCells = %v, want the stamp", wrong)
			}
			next, left := placedRepairs(wrong, l, tc.atWrite, tableFromRows(rowWriteSchema, nil, tc.now, nil, nil))
			if !slices.Equal(next, tc.want) {
				t.Errorf("repairs = %+v\nwant      %+v", next, tc.want)
			}
			if !slices.Equal(left, tc.wantLeft) {
				t.Errorf("left = %v, want %v", left, tc.wantLeft)
			}
		})
	}
}

// TestWritesLanded: the journal's copy proves a write landed only when
// every listed cell has a position and the copy shows its case on that
// row and its field's header on that column.
func TestWritesLanded(t *testing.T) {
	const t1, t2 = "KOPI-2026-0001", "KOPI-2026-0002"
	copied := tabRows([]string{"No. Tiket", "Nama", "Status"}, []string{t1, "ani", "Ditugaskan"}, []string{t2, "budi", "Ditugaskan"})
	cp := tableFromRows(rowWriteSchema, nil, copied, nil, nil)
	cell := func(tk, field string) rules.WrittenCell {
		return rules.WrittenCell{Ticket: tk, Field: field, Value: "Dijawab"}
	}
	status := string(rules.CFStatus)
	for _, tc := range []struct {
		name  string
		cells []rules.WrittenCell
		at    []string
		want  bool
	}{
		{"own rows", []rules.WrittenCell{cell(t1, status), cell(t2, status)}, []string{"1:2", "2:2"}, true},
		{"another case's row", []rules.WrittenCell{cell(t1, status)}, []string{"2:2"}, false},
		{"another column", []rules.WrittenCell{cell(t1, status)}, []string{"1:1"}, false},
		{"past the copy", []rules.WrittenCell{cell(t1, status)}, []string{"9:2"}, false},
		{"no position (a put-back)", []rules.WrittenCell{cell(rules.PutBack, status)}, []string{""}, false},
		{"header row", []rules.WrittenCell{cell(t1, status)}, []string{"0:2"}, false},
		{"nothing listed", nil, nil, false},
	} {
		if got := writesLanded(tc.cells, tc.at, copied, cp); got != tc.want {
			t.Errorf("%s: writesLanded = %v, want %v", tc.name, got, tc.want)
		}
	}
}
