package sync_test

import (
	"testing"

	"google.golang.org/api/sheets/v4"

	"kopi/rules"
)

// TestRosterLeaveUnderEachLocale: staff type each consultant's leave in
// the form their spreadsheet's locale reads as a date (id_ID day first,
// en_US month first); kopi honours it under both — no case is assigned
// to a consultant on leave, and the case is assigned once the leave
// typed afterwards has ended.
func TestRosterLeaveUnderEachLocale(t *testing.T) {
	t.Parallel()
	// The harness clock starts on Monday 2 March 2026.
	for _, tc := range []struct{ locale, onLeave, ended string }{
		{"id_ID", "13/03/2026", "01/03/2026"},
		{"en_US", "3/13/2026", "2/27/2026"},
	} {
		t.Run(tc.locale, func(t *testing.T) {
			t.Parallel()
			e := setup(t)
			st := newStaff(e)
			if tc.locale != "id_ID" {
				st.batch(&sheets.Request{UpdateSpreadsheetProperties: &sheets.UpdateSpreadsheetPropertiesRequest{
					Properties: &sheets.SpreadsheetProperties{Locale: tc.locale}, Fields: "locale"}})
			}
			roster, err := e.srv.SpreadsheetValues(e.sheetID, "Konsuler")
			if err != nil {
				t.Fatal(err)
			}
			leave, active, maxOpen := column(roster, "Cuti Sampai"), column(roster, "Aktif"), column(roster, "Maks Kasus Terbuka")
			var rows []int
			for i := 1; i < len(roster); i++ {
				if len(roster[i]) > active && roster[i][active] != "" {
					rows = append(rows, i)
				}
			}
			cellA1 := func(col, row int) string { return "Konsuler!" + a1(col, row)[len("Konsultasi!"):] }
			for _, i := range rows {
				st.set(cellA1(leave, i), tc.onLeave)
				st.set(cellA1(maxOpen, i), "3")
			}
			e.submit(complete("indah", e.cfg.TopicNames()[0]))
			e.cycle()
			cases := e.rows()
			r := rowOf(cases, "KOPI-2026-0001")
			if got := cell(cases, r, "Status"); got != string(rules.StatusBaru) {
				t.Fatalf("everyone on leave until %s, yet status = %q (consultant %q)", tc.onLeave, got, cell(cases, r, "Konsuler"))
			}
			for _, i := range rows {
				st.set(cellA1(leave, i), tc.ended)
			}
			e.cycle()
			cases = e.rows()
			if got := cell(cases, r, "Status"); got != string(rules.StatusDitugaskan) {
				t.Fatalf("leave ended on %s, yet status = %q (notes %q)", tc.ended, got, cell(cases, r, "Catatan Sistem"))
			}
		})
	}
}
