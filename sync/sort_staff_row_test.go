package sync_test

import (
	"net/http"
	"testing"
	"time"

	"google.golang.org/api/sheets/v4"

	"kopi/rules"
)

// TestSortPutsStaffRowUnderAnchor: staff keep their own rows in the
// consultation tab — a summary typed in the Nama column below the cases,
// a note in their own column — and sort the tab and insert a blank row
// at its top between kopi's read and its row write (no crash). The write
// is the rewrite of an incomplete case its requester completed.
//
// Under the fake's SortLeavesMetadata the sort leaves that case's anchor
// on the summary row, and kopi's write lands there, over the summary
// text. The journal's recovery must give the summary row back what the
// journal's copy showed (not blank it), put the values in the case's own
// row, and leave every other row and staff cell as it was.
func TestSortPutsStaffRowUnderAnchor(t *testing.T) {
	t.Parallel()
	underEach(t, sortVariants, testSortPutsStaffRowUnderAnchor)
}

func testSortPutsStaffRowUnderAnchor(t *testing.T) {
	e := setup(t)
	topics := e.cfg.TopicNames()
	bad := complete("ani", topics[0])
	bad[rules.FieldWhatsApp] = "12345"
	ani := e.submit(bad)
	e.clock.Advance(time.Minute)
	e.submit(complete("budi", topics[1]))
	e.clock.Advance(time.Minute)
	e.cycle()

	st := newStaff(e)
	sheetID := st.sheetID()
	rows := e.rows()
	if got := cell(rows, rowOf(rows, "KOPI-2026-0001"), "Status"); got != string(rules.StatusKurangLengkap) {
		t.Fatalf("KOPI-2026-0001: Status = %q, want %q before the edit", got, rules.StatusKurangLengkap)
	}
	width := len(rows[0])
	st.batch(&sheets.Request{AppendDimension: &sheets.AppendDimensionRequest{SheetId: sheetID, Dimension: "COLUMNS", Length: 1}})
	st.set(a1(width, 0), "Catatan Staf")
	for _, tk := range []string{"KOPI-2026-0001", "KOPI-2026-0002"} {
		st.set(a1(width, rowOf(rows, tk)), "staf-"+tk)
	}
	// Below the cases, after a blank row: a summary in the Nama column
	// (one kopi rewrites when a requester edits) and a note in staff's
	// own column.
	const summary, note = "Rekap: satu kasus kurang lengkap", "catatan rapat staf"
	last := len(dataRows(rows)) // the last case row's index
	st.set(a1(column(rows, "Nama"), last+2), summary)
	st.set(a1(width, last+3), note)
	before := map[string]map[string]string{}
	rows = e.rows()
	for _, tk := range []string{"KOPI-2026-0001", "KOPI-2026-0002"} {
		before[tk] = map[string]string{}
		for _, h := range rows[0] {
			before[tk][h] = cell(rows, rowOf(rows, tk), h)
		}
	}

	// Ani completes her form: the next cycle rewrites her row.
	if _, err := e.srv.EditResponse(e.formID, ani, e.answers(complete("ani", topics[0]))); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Minute)

	// Just before that write reaches Google, staff sort by Nama, Z to A
	// (the summary row goes to the top, where Ani's row was) and insert
	// a blank row at the top.
	e.transport.mu.Lock()
	e.transport.before = func(req *http.Request) bool {
		if !rowWrite(req) {
			return true
		}
		sortByName(e, st)
		st.batch(&sheets.Request{InsertDimension: &sheets.InsertDimensionRequest{
			Range: &sheets.DimensionRange{SheetId: sheetID, Dimension: "ROWS", StartIndex: 1, EndIndex: 2}}})
		return false
	}
	e.transport.mu.Unlock()
	e.cycle()
	e.transport.mu.Lock()
	e.transport.before = nil
	e.transport.mu.Unlock()

	check := func(when string) {
		t.Helper()
		rows := e.rows()
		// Ani's row shows her completed form and is assigned; Budi's is
		// as it was; staff cells are untouched.
		a := rowOf(rows, "KOPI-2026-0001")
		if got := cell(rows, a, "WhatsApp"); got != "0812-3456-7890" {
			t.Errorf("%s: KOPI-2026-0001: WhatsApp = %q, want the edited %q", when, got, "0812-3456-7890")
		}
		if got := cell(rows, a, "Status"); got != string(rules.StatusDitugaskan) {
			t.Errorf("%s: KOPI-2026-0001: Status = %q, want %q", when, got, rules.StatusDitugaskan)
		}
		if got := cell(rows, a, "Konsuler"); got == "" {
			t.Errorf("%s: KOPI-2026-0001: no consultant", when)
		}
		for _, h := range []string{"Nama", "Email", "Instansi", "Diterima", "Catatan Staf"} {
			if got, want := cell(rows, a, h), before["KOPI-2026-0001"][h]; got != want {
				t.Errorf("%s: KOPI-2026-0001: %s = %q, want %q", when, h, got, want)
			}
		}
		b := rowOf(rows, "KOPI-2026-0002")
		for h, want := range before["KOPI-2026-0002"] {
			if got := cell(rows, b, h); got != want {
				t.Errorf("%s: KOPI-2026-0002: %s = %q, want %q (as before the cycle)", when, h, got, want)
			}
		}
		// The staff rows hold what staff typed, and nothing of kopi's.
		found := map[string]int{}
		ti, own := column(rows, "No. Tiket"), column(rows, "Catatan Staf")
		for i := 1; i < len(rows); i++ {
			if ti < len(rows[i]) && rows[i][ti] != "" {
				continue
			}
			for c, v := range rows[i] {
				switch {
				case v == "":
				case v == summary && c == column(rows, "Nama"), v == note && c == own:
					found[v]++
				default:
					t.Errorf("%s: row %d has no ticket but %s = %q", when, i+1, rows[0][c], v)
				}
			}
		}
		for _, v := range []string{summary, note} {
			if found[v] != 1 {
				t.Errorf("%s: staff's %q shows in %d rows, want 1", when, v, found[v])
			}
		}
	}
	check("after the sorted cycle")
	e.clock.Advance(time.Minute)
	e.cycle()
	check("after a clean cycle")
}
