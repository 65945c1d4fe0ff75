package sync_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"google.golang.org/api/sheets/v4"

	"kopi/rules"
)

// sortByName sorts the consultation tab's data rows by Nama, Z to A, as
// staff do from the Sheets UI.
func sortByName(e *env, st *staff) {
	e.t.Helper()
	rows := e.rows()
	st.batch(&sheets.Request{SortRange: &sheets.SortRangeRequest{
		Range:     &sheets.GridRange{SheetId: st.sheetID(), StartRowIndex: 1},
		SortSpecs: []*sheets.SortSpec{{DimensionIndex: int64(column(rows, "Nama")), SortOrder: "DESCENDING"}},
	}})
}

// TestSortNeverMisplacesWrites: Google does not document whether row
// metadata follows a sort. Staff sort the tab — before kopi's read,
// between its read and its write, or between its write and its check —
// while kopi stamps one answered row. Under either behaviour the stamp
// lands in that row only, every row keeps its own data, and staff cells
// are untouched.
func TestSortNeverMisplacesWrites(t *testing.T) {
	t.Parallel()
	underEach(t, sortVariants, func(t *testing.T) {
		for _, when := range []string{"before-read", "read-write", "write-verify"} {
			t.Run(when, func(t *testing.T) {
				t.Parallel()
				e := setup(t)
				topics := e.cfg.TopicNames()
				names := map[string]string{"KOPI-2026-0001": "ani", "KOPI-2026-0002": "budi", "KOPI-2026-0003": "citra"}
				for i, n := range []string{"ani", "budi", "citra"} {
					e.submit(complete(n, topics[i]))
					e.clock.Advance(time.Minute)
				}
				e.cycle()
				st := newStaff(e)
				rows := e.rows()
				width := len(rows[0])
				st.batch(&sheets.Request{AppendDimension: &sheets.AppendDimensionRequest{SheetId: st.sheetID(), Dimension: "COLUMNS", Length: 1}})
				st.set(a1(width, 0), "Catatan Staf")
				for tk := range names {
					st.set(a1(width, rowOf(rows, tk)), "staf-"+tk)
				}
				answerRow(e, "KOPI-2026-0001", "Jawaban untuk Ani.", rules.StatusDijawab)
				wrote := false
				switch when {
				case "before-read":
					sortByName(e, st)
				case "read-write":
					e.transport.mu.Lock()
					e.transport.before = func(req *http.Request) bool {
						if req.Method == http.MethodGet || !strings.Contains(req.URL.Path, "spreadsheets") {
							return true
						}
						sortByName(e, st)
						return false
					}
					e.transport.mu.Unlock()
				case "write-verify":
					e.transport.mu.Lock()
					e.transport.before = func(req *http.Request) bool {
						if !strings.Contains(req.URL.Path, "spreadsheets") {
							return true
						}
						if req.Method != http.MethodGet {
							wrote = true
							return true
						}
						if !wrote {
							return true
						}
						sortByName(e, st)
						return false
					}
					e.transport.mu.Unlock()
				}
				e.clock.Advance(time.Minute)
				e.cycle()
				e.clock.Advance(time.Minute)
				e.cycle()
				// The admin approves: the answer goes to Ani, under her ticket.
				answerRow(e, "KOPI-2026-0001", "", rules.StatusDisetujui)
				e.clock.Advance(time.Minute)
				e.cycle()
				e.clock.Advance(time.Minute)
				e.cycle() // records the send in the row
				answers := sentTo(e, "Re: ")
				if len(answers) != 1 || !strings.Contains(answers[0].Subject, "KOPI-2026-0001") ||
					len(answers[0].To) != 1 || !strings.Contains(answers[0].To[0], "pemohon.ani@") {
					for _, a := range answers {
						t.Logf("answer %q to %v", a.Subject, a.To)
					}
					t.Fatalf("answers = %d, want one to Ani under KOPI-2026-0001", len(answers))
				}
				rows = e.rows()
				for tk, name := range names {
					r := rowOf(rows, tk)
					if got := cell(rows, r, "Nama"); got != name {
						t.Errorf("%s: Nama = %q, want %q", tk, got, name)
					}
					if got := cell(rows, r, "Catatan Staf"); got != "staf-"+tk {
						t.Errorf("%s: staff cell = %q", tk, got)
					}
					by, answer := cell(rows, r, "Dijawab Oleh"), cell(rows, r, "Jawaban")
					if tk == "KOPI-2026-0001" {
						if by == "" || answer != "Jawaban untuk Ani." || cell(rows, r, "Status") != string(rules.StatusTerkirim) {
							t.Errorf("%s: answered row = by %q, answer %q, status %q", tk, by, answer, cell(rows, r, "Status"))
						}
						continue
					}
					if by != "" || answer != "" || cell(rows, r, "Dijawab Pada") != "" {
						t.Errorf("%s: another row's answer stamp landed here: by %q, answer %q", tk, by, answer)
					}
					if got := cell(rows, r, "Status"); got != string(rules.StatusDitugaskan) {
						t.Errorf("%s: Status = %q", tk, got)
					}
				}
			})
		}
	})
}
