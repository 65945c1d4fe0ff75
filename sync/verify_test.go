package sync_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"google.golang.org/api/sheets/v4"

	"kopi/rules"
)

// isCommit tells the cycle's commit (spreadsheets.batchUpdate) from the
// other Sheets writes (values.batchUpdateByDataFilter).
func isCommit(req *http.Request) bool {
	return req.Method == http.MethodPost && strings.HasSuffix(req.URL.Path, ":batchUpdate") && !strings.Contains(req.URL.Path, "/values")
}

// TestColumnMoveAroundTheCommit: the layout check of a busy cycle comes
// from the commit's own response. Staff move a column between the
// update of existing rows and the commit, or right after the commit
// (before the rest of the cycle). Under either sort behaviour every
// value ends under its own header and staff cells stay; a move before
// the commit is noticed and repaired, and the busy cycle checks the
// layout with no spreadsheets.get after its commit (one, after a repair).
func TestColumnMoveAroundTheCommit(t *testing.T) {
	underEach(t, sortVariants, func(t *testing.T) {
		for _, when := range []string{"none", "update-commit", "commit-end"} {
			t.Run(when, func(t *testing.T) {
				e := setup(t)
				topics := e.cfg.TopicNames()
				names := map[string]string{}
				e.submit(complete("ani", topics[0]))
				e.clock.Advance(time.Minute)
				bad := complete("budi", topics[1])
				bad[rules.FieldWhatsApp] = "12345"
				inc := e.submit(bad)
				e.clock.Advance(time.Minute)
				e.submit(complete("citra", topics[2]))
				e.clock.Advance(time.Minute)
				e.cycle()
				names["KOPI-2026-0001"], names["KOPI-2026-0002"], names["KOPI-2026-0003"] = "ani", "budi", "citra"

				st := newStaff(e)
				sheetID := st.sheetID()
				rows := e.rows()
				width := len(rows[0])
				st.set(a1(column(rows, "Jawaban"), rowOf(rows, "KOPI-2026-0001")), "Jawaban dari konsuler untuk Ani.")
				st.batch(&sheets.Request{AppendDimension: &sheets.AppendDimensionRequest{SheetId: sheetID, Dimension: "COLUMNS", Length: 1}})
				st.set(a1(width, 0), "Catatan Staf")
				for tk := range names {
					st.set(a1(width, rowOf(rows, tk)), "staf-"+tk)
				}
				// The next cycle updates a row (Budi completes his form)
				// and commits a new one (Dewi).
				if _, err := e.srv.EditResponse(e.formID, inc, e.answers(complete("budi", topics[1]))); err != nil {
					t.Fatal(err)
				}
				e.clock.Advance(time.Minute)
				e.submit(complete("dewi", topics[3]))
				names["KOPI-2026-0004"] = "dewi"
				e.clock.Advance(time.Minute)

				move := func() {
					cur := e.rows()
					jawaban := int64(column(cur, "Jawaban"))
					st.batch(&sheets.Request{MoveDimension: &sheets.MoveDimensionRequest{
						Source:           &sheets.DimensionRange{SheetId: sheetID, Dimension: "COLUMNS", StartIndex: jawaban, EndIndex: jawaban + 1},
						DestinationIndex: 1,
					}})
				}
				committed, moved, getsAfterCommit := false, false, 0
				e.transport.mu.Lock()
				e.transport.before = func(req *http.Request) bool {
					if !strings.Contains(req.URL.Path, "spreadsheets") {
						return true
					}
					if committed && req.Method == http.MethodGet {
						getsAfterCommit++
					}
					switch {
					case when == "update-commit" && isCommit(req) && !committed:
						move()
						moved = true
					case when == "commit-end" && committed && !moved:
						move()
						moved = true
					}
					if isCommit(req) {
						committed = true
					}
					return true
				}
				e.transport.mu.Unlock()
				rep := e.cycle()
				e.transport.mu.Lock()
				e.transport.before = nil
				e.transport.mu.Unlock()
				if !committed || (when != "none" && !moved) {
					t.Fatalf("committed %v, moved %v", committed, moved)
				}
				if when == "update-commit" && rep.Repaired == 0 {
					t.Errorf("the column move before the commit was not noticed: %+v", rep)
				}
				if when != "update-commit" && rep.Repaired != 0 {
					t.Errorf("repaired %d rows, want none: the writes were all in place", rep.Repaired)
				}
				// After a repair the layout is read once more to confirm it;
				// otherwise the commit's response was the check.
				wantGets := 0
				if when == "update-commit" {
					wantGets = 1
				}
				if getsAfterCommit != wantGets {
					t.Errorf("%d spreadsheets.get after the commit, want %d: the commit's response carries the layout", getsAfterCommit, wantGets)
				}
				checkStaffChaos(t, e, names)
				e.cycle()
				checkStaffChaos(t, e, names)
			})
		}
	})
}
