package rules_test

import (
	"reflect"
	"testing"

	"kopi/rules"
)

// TestJournalRepairs: after writes that may have landed on other rows,
// a row that got another case's value gets its own or its old one back,
// a row whose write went elsewhere gets it, a blank row is cleared, a
// staff row without a ticket gets what the copy showed on it (Was), or
// is left and reported when the copy cannot tell, and whatever staff
// typed since is left alone.
func TestJournalRepairs(t *testing.T) {
	written := []rules.WrittenCell{
		{Ticket: "A", Field: "by", Value: "Rina"},
		{Ticket: "A", Field: "at", Value: "2026-03-02 08:04"},
	}
	before := map[string]map[string]string{
		"A": {"by": "", "at": ""},
		"B": {"by": "", "at": ""},
		"C": {"by": "Dodi", "at": "2026-03-01 10:00"},
	}
	for _, tc := range []struct {
		name string
		rows []rules.JournalRow
		want []rules.CellFix
		left []rules.CellLeft
	}{
		{"landed right", []rules.JournalRow{
			{Ticket: "A", Cells: map[string]string{"by": "Rina", "at": "2026-03-02 08:04"}},
			{Ticket: "B", Cells: map[string]string{}},
		}, nil, nil},
		{"landed on B", []rules.JournalRow{
			{Ticket: "A", Cells: map[string]string{}},
			{Ticket: "B", Cells: map[string]string{"by": "Rina", "at": "2026-03-02 08:04"}},
		}, []rules.CellFix{{0, "by", "Rina"}, {0, "at", "2026-03-02 08:04"}, {1, "by", ""}, {1, "at", ""}}, nil},
		{"landed on C, which had its own stamp", []rules.JournalRow{
			{Ticket: "C", Cells: map[string]string{"by": "Rina", "at": "2026-03-02 08:04"}},
			{Ticket: "A", Cells: map[string]string{}},
		}, []rules.CellFix{{0, "by", "Dodi"}, {0, "at", "2026-03-01 10:00"}, {1, "by", "Rina"}, {1, "at", "2026-03-02 08:04"}}, nil},
		{"landed on a blank row", []rules.JournalRow{
			{Ticket: "", Cells: map[string]string{"by": "Rina", "at": "2026-03-02 08:04"}, Blank: true},
			{Ticket: "A", Cells: map[string]string{"by": "Rina", "at": "2026-03-02 08:04"}},
		}, []rules.CellFix{{0, "by", ""}, {0, "at", ""}}, nil},
		{"landed on a staff row the copy shows", []rules.JournalRow{
			{Ticket: "", Cells: map[string]string{"by": "Rina", "at": "2026-03-02 08:04"}, Was: map[string]string{"by": "", "at": "rekap Maret"}},
			{Ticket: "A", Cells: map[string]string{}},
		}, []rules.CellFix{{0, "by", ""}, {0, "at", "rekap Maret"}, {1, "by", "Rina"}, {1, "at", "2026-03-02 08:04"}}, nil},
		{"a staff row that held kopi's value already", []rules.JournalRow{
			{Ticket: "", Cells: map[string]string{"by": "Rina"}, Was: map[string]string{"by": "Rina", "at": ""}},
			{Ticket: "A", Cells: map[string]string{"by": "Rina", "at": "2026-03-02 08:04"}},
		}, nil, nil},
		{"landed on a staff row the copy cannot tell", []rules.JournalRow{
			{Ticket: "A", Cells: map[string]string{}},
			{Ticket: "", Cells: map[string]string{"by": "Rina", "at": "2026-03-02 08:04"}},
		}, []rules.CellFix{{0, "by", "Rina"}, {0, "at", "2026-03-02 08:04"}}, []rules.CellLeft{{1, "by"}, {1, "at"}}},
		{"staff typed since", []rules.JournalRow{
			{Ticket: "A", Cells: map[string]string{"by": "Rina", "at": "2026-03-02 08:04"}},
			{Ticket: "C", Cells: map[string]string{"by": "Eka", "at": "2026-03-01 10:00"}},
			{Ticket: "", Cells: map[string]string{"by": "catatan staf"}},
		}, nil, nil},
		{"a case added since", []rules.JournalRow{
			{Ticket: "D", Cells: map[string]string{"by": "Rina"}},
			{Ticket: "A", Cells: map[string]string{"by": "Rina", "at": "2026-03-02 08:04"}},
		}, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, left := rules.JournalRepairs(written, before, tc.rows)
			if !reflect.DeepEqual(got, tc.want) || !reflect.DeepEqual(left, tc.left) {
				t.Errorf("JournalRepairs = %v, left %v; want %v, left %v", got, left, tc.want, tc.left)
			}
		})
	}
}

// TestJournalRepairsKeepsPutBacks: a value an earlier round put back
// into a row without a ticket (listed as PutBack) is that row's own: the
// next round does not clear it, though the row shows nothing else; a
// value kopi wrote for a case in such a row still is cleared.
func TestJournalRepairsKeepsPutBacks(t *testing.T) {
	written := []rules.WrittenCell{
		{Ticket: "A", Field: "name", Value: "ani"},
		{Ticket: rules.PutBack, Field: "name", Value: "Rekap Maret"},
	}
	before := map[string]map[string]string{"A": {"name": "ani"}}
	rows := []rules.JournalRow{
		{Ticket: "A", Cells: map[string]string{"name": "ani"}},
		{Ticket: "", Cells: map[string]string{"name": "Rekap Maret"}, Blank: true},
		{Ticket: "", Cells: map[string]string{"name": "ani"}, Blank: true},
	}
	got, left := rules.JournalRepairs(written, before, rows)
	if want := []rules.CellFix{{2, "name", ""}}; !reflect.DeepEqual(got, want) || left != nil {
		t.Errorf("JournalRepairs = %v, left %v; want %v", got, left, want)
	}
}
