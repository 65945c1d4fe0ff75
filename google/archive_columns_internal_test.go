package google

import (
	"slices"
	"testing"
)

// TestPlaceColumns: each live column lands under the archive column of
// its name — a field kopi knows by its key, a staff column by its
// header text, the n-th repeat of a text under the n-th —, a column the
// archive lacks is appended at its end, an archive column the live tab
// lacks gets nothing, and the copies are as few runs as the order
// allows.
func TestPlaceColumns(t *testing.T) {
	// tab builds a consultation tab's read: header texts, and the
	// columns kopi finds as fields (header → key).
	tab := func(header []string, keys map[string]string) *Table {
		tb := &Table{Header: header, Columns: map[string]int{}}
		for i, h := range header {
			if k, ok := keys[h]; ok {
				tb.Columns[k] = i
			}
		}
		return tb
	}
	keys := map[string]string{"No. Tiket": "ticket", "Nama": "name", "Status": "status"}
	tests := []struct {
		name       string
		live, arch []string
		liveKeys   map[string]string // nil: keys
		dest       []int64
		added      []int64
		runs       []colRun
	}{
		{
			name: "same order",
			live: []string{"No. Tiket", "Nama", "Status"},
			arch: []string{"No. Tiket", "Nama", "Status"},
			dest: []int64{0, 1, 2},
			runs: []colRun{{0, 0, 3}},
		},
		{
			name: "column moved in the live tab",
			live: []string{"No. Tiket", "Status", "Nama"},
			arch: []string{"No. Tiket", "Nama", "Status"},
			dest: []int64{0, 2, 1},
			runs: []colRun{{0, 0, 1}, {1, 2, 1}, {2, 1, 1}},
		},
		{
			name: "column moved in the archive",
			live: []string{"No. Tiket", "Nama", "Status"},
			arch: []string{"Status", "No. Tiket", "Nama"},
			dest: []int64{1, 2, 0},
			runs: []colRun{{0, 1, 2}, {2, 0, 1}},
		},
		{
			name:  "staff's new column, and one the live tab lost",
			live:  []string{"No. Tiket", "Prioritas", "Nama", "Status"},
			arch:  []string{"No. Tiket", "Nama", "Catatan Staf", "Status"},
			dest:  []int64{0, 4, 1, 3},
			added: []int64{1},
			runs:  []colRun{{0, 0, 1}, {1, 4, 1}, {2, 1, 1}, {3, 3, 1}},
		},
		{
			name: "repeated staff headers in order, case and spaces aside",
			live: []string{"No. Tiket", "Catatan", "catatan ", "Nama"},
			arch: []string{"No. Tiket", "Nama", "CATATAN", "Catatan"},
			dest: []int64{0, 2, 3, 1},
			runs: []colRun{{0, 0, 1}, {1, 2, 2}, {3, 1, 1}},
		},
		{
			name:     "a kopi column renamed in the live tab before the archive was made",
			live:     []string{"No. Tiket", "Nama Pemohon", "Status"},
			liveKeys: map[string]string{"No. Tiket": "ticket", "Nama Pemohon": "name", "Status": "status"},
			arch:     []string{"No. Tiket", "Nama Pemohon", "Status"},
			dest:     []int64{0, 1, 2},
			runs:     []colRun{{0, 0, 3}},
		},
		{
			name:  "blank grid columns",
			live:  []string{"No. Tiket", "Nama", "Status", "", ""},
			arch:  []string{"No. Tiket", "Nama", "Status", ""},
			dest:  []int64{0, 1, 2, 3, 4},
			added: []int64{4},
			runs:  []colRun{{0, 0, 5}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lk := tc.liveKeys
			if lk == nil {
				lk = keys
			}
			live := tab(tc.live, lk)
			arch := tab(tc.arch, keys)
			p := placeColumns(columnNames(live, int64(len(tc.live))), live, columnNames(arch, int64(len(tc.arch))))
			if !slices.Equal(p.dest, tc.dest) {
				t.Errorf("dest = %v, want %v", p.dest, tc.dest)
			}
			if !slices.Equal(p.added, tc.added) {
				t.Errorf("added = %v, want %v", p.added, tc.added)
			}
			if got := p.runs(); !slices.Equal(got, tc.runs) {
				t.Errorf("runs = %v, want %v", got, tc.runs)
			}
			if len(p.names) != len(tc.arch)+len(tc.added) {
				t.Errorf("names after the move = %v, want %d", p.names, len(tc.arch)+len(tc.added))
			}
			// Every live column has its own archive column.
			seen := map[int64]bool{}
			for _, d := range p.dest {
				if seen[d] {
					t.Errorf("two live columns under archive column %d: %v", d, p.dest)
				}
				seen[d] = true
			}
		})
	}
}

// TestYearlyTabTitles: each yearly tab is known by its own exact title
// only — a survey archive is not a case archive, nor the other way round.
func TestYearlyTabTitles(t *testing.T) {
	for _, tt := range []struct {
		title         string
		archive       bool
		year          int
		surveyArchive bool
	}{
		{"Arsip 2025", true, 2025, false},
		{"Arsip Survei 2025", false, 0, true},
		{"Arsip Teks Panjang 2025", false, 0, false},
		{"Arsip 02025", false, 0, false},
		{"Arsip +2025", false, 0, false},
		{"Arsip", false, 0, false},
		{"Arsip Survei", false, 0, false},
		{"Konsultasi", false, 0, false},
	} {
		y, ok := isArchiveTitle(tt.title)
		if ok != tt.archive || y != tt.year {
			t.Errorf("isArchiveTitle(%q) = %d, %v; want %d, %v", tt.title, y, ok, tt.year, tt.archive)
		}
		if got := isSurveyArchiveTitle(tt.title); got != tt.surveyArchive {
			t.Errorf("isSurveyArchiveTitle(%q) = %v, want %v", tt.title, got, tt.surveyArchive)
		}
	}
}
