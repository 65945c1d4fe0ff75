package sync_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"google.golang.org/api/sheets/v4"
)

// sortSOPTab sorts an SOP tab's data rows by Judul, Z to A, as staff do
// from the Sheets UI.
func (s *sopEnv) sortSOPTab(title string) {
	s.t.Helper()
	ss, err := s.st.svc.Spreadsheets.Get(s.sheetID).Do()
	if err != nil {
		s.t.Fatal(err)
	}
	for _, sh := range ss.Sheets {
		if sh.Properties.Title == title {
			s.st.batch(&sheets.Request{SortRange: &sheets.SortRangeRequest{
				Range:     &sheets.GridRange{SheetId: sh.Properties.SheetId, StartRowIndex: 1},
				SortSpecs: []*sheets.SortSpec{{DimensionIndex: int64(column(s.tab(title), "Judul")), SortOrder: "DESCENDING"}},
			}})
			return
		}
	}
	s.t.Fatalf("no tab %q", title)
}

// insertRowAbove has staff insert an empty row right under an SOP tab's
// header, which moves every case row down by one.
func (s *sopEnv) insertRowAbove(title string) {
	s.t.Helper()
	ss, err := s.st.svc.Spreadsheets.Get(s.sheetID).Do()
	if err != nil {
		s.t.Fatal(err)
	}
	for _, sh := range ss.Sheets {
		if sh.Properties.Title == title {
			s.st.batch(&sheets.Request{InsertDimension: &sheets.InsertDimensionRequest{
				Range: &sheets.DimensionRange{SheetId: sh.Properties.SheetId, Dimension: "ROWS", StartIndex: 1, EndIndex: 2},
			}})
			return
		}
	}
	s.t.Fatalf("no tab %q", title)
}

// TestSOPSortBetweenReadAndCommitStartsOnTheRightRow: staff add a
// training event below a running one and decide on the running one;
// then they sort the tab (so that the new row moves up) or insert a row
// above both — before kopi's read, or while kopi is between its read and
// its commit. Google does not document whether a sort moves row
// metadata; under either answer the new case ends on the row staff added
// (its title, step 1), the running case keeps its own row and moves on
// by its decision, and both go on by their own decisions afterwards.
func TestSOPSortBetweenReadAndCommitStartsOnTheRightRow(t *testing.T) {
	t.Parallel()
	underEach(t, sortVariants, func(t *testing.T) {
		for _, tc := range []struct{ action, when string }{
			{"sort", "read-commit"}, {"insert", "read-commit"}, {"sort", "before-read"},
		} {
			t.Run(tc.action+"-"+tc.when, func(t *testing.T) {
				t.Parallel()
				testSOPStaffMovesRows(t, tc.action, tc.when)
			})
		}
	})
}

func testSOPStaffMovesRows(t *testing.T, action, when string) {
	s := setupSOPs(t, bimtekPeople, "bimtek")
	s.start("Bimtek", "A Bimtek Lama")
	rows := s.tab("Bimtek")
	if caseRow(rows, "BIMTEK-0001") < 0 {
		t.Fatalf("no first case: %v", rows[:min(len(rows), 4)])
	}
	// Staff add a second event and decide on the first.
	s.setCells("Bimtek", s.firstEmpty("Bimtek"), map[string]string{"Judul": "Z Bimtek Baru"})
	s.setCells("Bimtek", caseRow(rows, "BIMTEK-0001"), map[string]string{"Keputusan": "Selesai"})
	move := func() {
		if action == "sort" {
			s.sortSOPTab("Bimtek")
		} else {
			s.insertRowAbove("Bimtek")
		}
	}
	if when == "before-read" {
		move()
	} else {
		s.transport.mu.Lock()
		s.transport.before = func(req *http.Request) bool {
			if req.Method == http.MethodGet || !strings.Contains(req.URL.Path, "spreadsheets") {
				return true
			}
			move()
			return false
		}
		s.transport.mu.Unlock()
	}
	s.clock.Advance(5 * time.Minute)
	rep := s.cycle()
	if rep.SOPStarted != 1 || rep.SOPTransitions != 1 {
		t.Fatalf("report = %+v", rep)
	}
	check := func(label, id, title, step string) {
		t.Helper()
		rows := s.tab("Bimtek")
		r := caseRow(rows, id)
		if r < 0 {
			t.Fatalf("%s: no row shows %s: %v", label, id, rows[:min(len(rows), 4)])
		}
		if got := cell(rows, r, "Judul"); got != title {
			t.Errorf("%s: %s is on the row of %q, want %q", label, id, got, title)
		}
		if got := cell(rows, r, "Langkah"); got != step {
			t.Errorf("%s: %s at step %q, want %q", label, id, got, step)
		}
	}
	check("after the move", "BIMTEK-0001", "A Bimtek Lama", "2")
	check("after the move", "BIMTEK-0002", "Z Bimtek Baru", "1")

	// Both cases go on by their own rows' decisions.
	s.decide("Bimtek", "BIMTEK-0002", "Selesai", "")
	check("second case decided", "BIMTEK-0002", "Z Bimtek Baru", "2")
	check("second case decided", "BIMTEK-0001", "A Bimtek Lama", "2")
	s.decide("Bimtek", "BIMTEK-0001", "Selesai", "")
	check("first case decided", "BIMTEK-0001", "A Bimtek Lama", "3")
	check("first case decided", "BIMTEK-0002", "Z Bimtek Baru", "2")
	if got := strings.Join(s.path("BIMTEK-0001"), " "); got != "-→1 1→2 2→3" {
		t.Errorf("Riwayat of BIMTEK-0001 = %s", got)
	}
	if got := strings.Join(s.path("BIMTEK-0002"), " "); got != "-→1 1→2" {
		t.Errorf("Riwayat of BIMTEK-0002 = %s", got)
	}
	if got := s.sentAbout("BIMTEK-0002"); len(got) != 2 || got[0] != "sekretaris@example.go.id" || got[1] != "irban@example.go.id" {
		t.Errorf("emails about BIMTEK-0002: %v", got)
	}
	if c := rep.Problems; len(c) != 0 {
		t.Errorf("problems: %v", c)
	}
}

// TestSOPStartCalls: a cycle that starts a case pays for the anchoring
// check with one spreadsheets.get after its commit, and writes the new
// row's cells by anchor with the other SOP rows (one
// values.batchUpdateByDataFilter); nothing is moved when nobody sorted.
func TestSOPStartCalls(t *testing.T) {
	t.Parallel()
	s := setupSOPs(t, bimtekPeople, "bimtek")
	s.cycle()
	s.setCells("Bimtek", s.firstEmpty("Bimtek"), map[string]string{"Judul": "Bimtek Reviu RKA"})
	s.clock.Advance(time.Minute)
	s.srv.ResetCalls()
	if rep := s.cycle(); rep.SOPStarted != 1 {
		t.Fatalf("report %+v", rep)
	}
	calls := s.srv.Calls()
	t.Logf("calls of a cycle that starts one case: %v", calls)
	if calls["sheets.spreadsheets.get"] != 2 || calls["sheets.spreadsheets.batchUpdate"] != 3 ||
		calls["sheets.spreadsheets.values.batchUpdateByDataFilter"] != 1 {
		t.Errorf("a start's Sheets calls: %v; want the read and the check, the commit and two outbox saves, one row write", calls)
	}
}
