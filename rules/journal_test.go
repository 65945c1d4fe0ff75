package rules_test

import (
	"reflect"
	"testing"

	"kopi/rules"
)

// TestJournalRepairs: after writes that may have landed on other rows,
// a row that got another case's value gets its own or its old one back,
// a row whose write went elsewhere gets it, a blank row is cleared, and
// whatever staff typed since is left alone.
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
	}{
		{"landed right", []rules.JournalRow{
			{Ticket: "A", Cells: map[string]string{"by": "Rina", "at": "2026-03-02 08:04"}},
			{Ticket: "B", Cells: map[string]string{}},
		}, nil},
		{"landed on B", []rules.JournalRow{
			{Ticket: "A", Cells: map[string]string{}},
			{Ticket: "B", Cells: map[string]string{"by": "Rina", "at": "2026-03-02 08:04"}},
		}, []rules.CellFix{{0, "by", "Rina"}, {0, "at", "2026-03-02 08:04"}, {1, "by", ""}, {1, "at", ""}}},
		{"landed on C, which had its own stamp", []rules.JournalRow{
			{Ticket: "C", Cells: map[string]string{"by": "Rina", "at": "2026-03-02 08:04"}},
			{Ticket: "A", Cells: map[string]string{}},
		}, []rules.CellFix{{0, "by", "Dodi"}, {0, "at", "2026-03-01 10:00"}, {1, "by", "Rina"}, {1, "at", "2026-03-02 08:04"}}},
		{"landed on a blank row", []rules.JournalRow{
			{Ticket: "", Cells: map[string]string{"by": "Rina", "at": "2026-03-02 08:04"}},
			{Ticket: "A", Cells: map[string]string{"by": "Rina", "at": "2026-03-02 08:04"}},
		}, []rules.CellFix{{0, "by", ""}, {0, "at", ""}}},
		{"staff typed since", []rules.JournalRow{
			{Ticket: "A", Cells: map[string]string{"by": "Rina", "at": "2026-03-02 08:04"}},
			{Ticket: "C", Cells: map[string]string{"by": "Eka", "at": "2026-03-01 10:00"}},
			{Ticket: "", Cells: map[string]string{"by": "catatan staf"}},
		}, nil},
		{"a case added since", []rules.JournalRow{
			{Ticket: "D", Cells: map[string]string{"by": "Rina"}},
			{Ticket: "A", Cells: map[string]string{"by": "Rina", "at": "2026-03-02 08:04"}},
		}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := rules.JournalRepairs(written, before, tc.rows); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("JournalRepairs = %v, want %v", got, tc.want)
			}
		})
	}
}
