package sync_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/api/sheets/v4"

	"kopi/rules"
)

// columnsScenario is an archive that already exists when staff change
// columns: the first night (7 April 2026) archived 0002 and 0003 into
// "Arsip 2026" with the live header of that night; 0001 closed the next
// morning. Before the second night (8 May 2026, 19:00 WIB, when 0001 is
// due) staff, in the live tab, moved "Nama" to the end, inserted a
// column of their own ("Prioritas") near the front and deleted their
// "Catatan Staf"; in the archive tab they moved "Email" to the front.
type columnsScenario struct {
	*archiveScenario
	// byHeader are the archived cases' rows as staff left them, by
	// header: what the archive must show under each header.
	byHeader map[string]map[string]string
	// open is the open case's live row by header (withOpen).
	open map[string]string
}

func newColumnsScenario(t *testing.T) *columnsScenario {
	return newColumnsScenarioWith(t, false)
}

// newColumnsScenarioWith is newColumnsScenario; withOpen adds an open
// case, KOPI-2026-0004 from "eka", taken in the second night's morning.
func newColumnsScenarioWith(t *testing.T, withOpen bool) *columnsScenario {
	s := &columnsScenario{archiveScenario: newArchiveScenario(t), byHeader: map[string]map[string]string{}}
	e := s.e
	if rep := e.cycle(); rep.Archived != 2 {
		t.Fatalf("first night archived %d, want 2", rep.Archived)
	}
	for tk, row := range s.before {
		s.byHeader[tk] = rowByHeader(s.header, row)
	}
	e.clock.Set(time.Date(2026, 4, 8, 10, 0, 0, 0, wib))
	answerRow(e, "KOPI-2026-0001", "Jawaban untuk Ani.", rules.StatusSelesai)
	e.clock.Advance(time.Minute)
	e.cycle()
	if withOpen {
		e.clock.Set(time.Date(2026, 5, 8, 10, 0, 0, 0, wib))
		s.ids["KOPI-2026-0004"] = e.submit(complete("eka", e.cfg.TopicNames()[3]))
		e.clock.Advance(time.Minute)
		if rep := e.cycle(); rep.NewCases != 1 {
			t.Fatalf("new cases = %d, want 1", rep.NewCases)
		}
	}

	st := newStaff(e)
	live := st.sheetID()
	rows := e.rows()
	width := int64(len(rows[0]))
	st.batch(&sheets.Request{MoveDimension: &sheets.MoveDimensionRequest{
		Source:           &sheets.DimensionRange{SheetId: live, Dimension: "COLUMNS", StartIndex: int64(column(rows, "Nama")), EndIndex: int64(column(rows, "Nama")) + 1},
		DestinationIndex: width,
	}})
	rows = e.rows()
	st.batch(&sheets.Request{DeleteDimension: &sheets.DeleteDimensionRequest{Range: &sheets.DimensionRange{
		SheetId: live, Dimension: "COLUMNS", StartIndex: int64(column(rows, "Catatan Staf")), EndIndex: int64(column(rows, "Catatan Staf")) + 1,
	}}})
	st.batch(&sheets.Request{InsertDimension: &sheets.InsertDimensionRequest{Range: &sheets.DimensionRange{
		SheetId: live, Dimension: "COLUMNS", StartIndex: 2, EndIndex: 3,
	}}})
	rows = e.rows()
	st.set(a1(2, 0), "Prioritas")
	st.set(a1(2, rowOf(rows, "KOPI-2026-0001")), "tinggi")

	title := rules.ArchiveTitle(2026)
	arch := e.tabRows(title)
	st.batch(&sheets.Request{MoveDimension: &sheets.MoveDimensionRequest{
		Source:           &sheets.DimensionRange{SheetId: e.tabID(title), Dimension: "COLUMNS", StartIndex: int64(column(arch, "Email")), EndIndex: int64(column(arch, "Email")) + 1},
		DestinationIndex: 0,
	}})

	rows = e.rows()
	s.byHeader["KOPI-2026-0001"] = rowByHeader(rows[0], rows[rowOf(rows, "KOPI-2026-0001")])
	if withOpen {
		s.open = rowByHeader(rows[0], rows[rowOf(rows, "KOPI-2026-0004")])
	}
	e.clock.Set(time.Date(2026, 5, 8, 19, 0, 0, 0, wib))
	return s
}

// tabID is the sheet id of a tab.
func (e *env) tabID(title string) int64 {
	e.t.Helper()
	ss, err := newStaff(e).svc.Spreadsheets.Get(e.sheetID).Fields("sheets(properties(sheetId,title))").Do()
	if err != nil {
		e.t.Fatal(err)
	}
	for _, sh := range ss.Sheets {
		if sh.Properties.Title == title {
			return sh.Properties.SheetId
		}
	}
	e.t.Fatalf("no tab %q", title)
	return 0
}

// rowByHeader maps a row's non-empty cells to their headers.
func rowByHeader(header, row []string) map[string]string {
	out := map[string]string{}
	for i, v := range row {
		if v != "" && i < len(header) {
			out[header[i]] = v
		}
	}
	return out
}

// checkColumns asserts that every archived case shows each of its
// values under its own header and nothing under a header it had no
// value for, that the archive has each header once, and that each
// ticket is in exactly one place.
func (s *columnsScenario) checkColumns(t *testing.T, label string) {
	t.Helper()
	e := s.e
	arch := e.tabRows(rules.ArchiveTitle(2026))
	if arch == nil {
		t.Fatalf("%s: no archive tab", label)
	}
	seen := map[string]bool{}
	for _, h := range arch[0] {
		if h != "" && seen[h] {
			t.Errorf("%s: header %q twice in the archive: %q", label, h, arch[0])
		}
		seen[h] = true
	}
	if !seen["Prioritas"] {
		t.Errorf("%s: staff's new column is not in the archive: %q", label, arch[0])
	}
	count := map[string]int{}
	for _, r := range dataRows(e.rows()) {
		count[r[column(e.rows(), "No. Tiket")]]++
	}
	for _, r := range dataRows(arch) {
		count[r[column(arch, "No. Tiket")]]++
	}
	for tk, want := range s.byHeader {
		if count[tk] != 1 {
			t.Errorf("%s: %s appears %d times", label, tk, count[tk])
		}
		r := rowOf(arch, tk)
		if r < 0 {
			t.Errorf("%s: %s is not in the archive", label, tk)
			continue
		}
		got := rowByHeader(arch[0], arch[r])
		for h, v := range want {
			if got[h] != v {
				t.Errorf("%s: %s under %q: %q, want %q", label, tk, h, got[h], v)
			}
		}
		for h, v := range got {
			if _, ok := want[h]; !ok {
				t.Errorf("%s: %s has %q under %q, where staff left nothing", label, tk, v, h)
			}
		}
	}
}

// TestArchiveColumnsByHeader: a move into an archive tab made before
// staff moved, inserted and deleted columns — in the live tab and in the
// archive — places every value under its own header, adds staff's new
// column to the archive and leaves the archived rows of the first night
// as they were; the reconciliation still reads the archive's ledger.
// Staff move, insert and delete columns but sort nothing (noSortAtAll),
// so one sort variant covers both.
func TestArchiveColumnsByHeader(t *testing.T) {
	t.Parallel()
	underEach(t, oneSortVariant, testArchiveColumnsByHeader)
}

func testArchiveColumnsByHeader(t *testing.T) {
	s := newColumnsScenario(t)
	e := s.e
	t.Cleanup(func() { noSortAtAll(t, e) })
	e.srv.ResetCalls()
	rep := e.cycle()
	if rep.Archived != 1 || rep.ArchiveReturned != 0 {
		t.Fatalf("second night: archived %d, returned %d; want 1, 0", rep.Archived, rep.ArchiveReturned)
	}
	// The cycle's read, the tab listing and the archive's header row;
	// one atomic move.
	if got := e.srv.Calls()["sheets.spreadsheets.get"]; got != 3 {
		t.Errorf("spreadsheets.get calls = %d, want 3", got)
	}
	if got := e.srv.Calls()["sheets.spreadsheets.batchUpdate"]; got != 1 {
		t.Errorf("spreadsheets.batchUpdate calls = %d, want 1", got)
	}
	s.checkColumns(t, "after the second night")

	// The next cycle is idle: one read of the live tabs, no archive
	// header read again, no write.
	e.clock.Advance(15 * time.Minute)
	e.srv.ResetCalls()
	e.cycle()
	if c := e.srv.Calls(); c["sheets.spreadsheets.get"] != 1 || c["sheets.spreadsheets.batchUpdate"] != 0 {
		t.Errorf("the idle cycle after the night: %v, want one spreadsheets.get and no write", c)
	}

	e.clock.Set(time.Date(2026, 5, 11, 9, 0, 0, 0, wib))
	eng := e.engine()
	eng.Reconcile()
	rep, err := eng.RunCycle(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.NewCases != 0 || rep.ArchivedResponses != 3 {
		t.Errorf("reconciliation: new %d, archived responses %d; want 0, 3", rep.NewCases, rep.ArchivedResponses)
	}
}

// TestArchiveColumnsCrashAtEveryCall kills the daemon after each call of
// the second night's cycle, and separately lets each call be applied but
// lose its answer; clean cycles through the next evening then leave
// every case once, each value under its own header. The office before
// the second night is built once and every crash point starts from a
// copy of it. Nothing sorts here (noSortAtAll on every run), so one sort
// variant covers both.
func TestArchiveColumnsCrashAtEveryCall(t *testing.T) {
	t.Parallel()
	underEach(t, oneSortVariant, testArchiveColumnsCrashAtEveryCall)
}

func testArchiveColumnsCrashAtEveryCall(t *testing.T) {
	office := newColumnsScenario(t)
	archiveNightCrashPoints(t, func(t *testing.T) (*env, func(*testing.T, string)) {
		s := office.fork(t)
		return s.e, func(t *testing.T, label string) {
			s.checkColumns(t, label)
			noSortAtAll(t, s.e)
		}
	}, time.Date(2026, 5, 9, 19, 0, 0, 0, wib))
}

// fork is a copy of the scenario for test t: the office forked, the
// expectations (only read) shared.
func (s *columnsScenario) fork(t *testing.T) *columnsScenario {
	t.Helper()
	f := *s
	f.archiveScenario = s.archiveScenario.fork(t)
	return &f
}

// TestArchiveColumnsStaffSortBetweenReadAndWrite: staff sort the live
// tab after kopi read the archive's header and before the move, so the
// move copies the open case in place of the closed one, into an archive
// whose columns are in another order. The open case goes back to the
// live tab with each value under its own header; the next night
// archives the closed one by header.
func TestArchiveColumnsStaffSortBetweenReadAndWrite(t *testing.T) {
	t.Parallel()
	underEach(t, sortVariants, func(t *testing.T) {
		underEach(t, filterMissVariants, testArchiveColumnsStaffSortBetweenReadAndWrite)
	})
}

func testArchiveColumnsStaffSortBetweenReadAndWrite(t *testing.T) {
	s := newColumnsScenarioWith(t, true)
	e := s.e
	st := newStaff(e)
	sheetID := st.sheetID()
	title := rules.ArchiveTitle(2026)
	// The archive's header read is the last call before the move.
	e.transport.mu.Lock()
	e.transport.before = func(req *http.Request) bool {
		if req.Method != http.MethodGet || !slices.ContainsFunc(req.URL.Query()["ranges"], func(r string) bool { return strings.Contains(r, title) }) {
			return true
		}
		rows := e.rows()
		st.batch(&sheets.Request{SortRange: &sheets.SortRangeRequest{
			Range:     &sheets.GridRange{SheetId: sheetID, StartRowIndex: 1},
			SortSpecs: []*sheets.SortSpec{{DimensionIndex: int64(column(rows, "Nama")), SortOrder: "DESCENDING"}},
		}})
		return false
	}
	e.transport.mu.Unlock()
	rep := e.cycle()
	if rep.ArchiveReturned != 1 || rep.Archived != 0 {
		t.Fatalf("raced night: archived %d, returned %d; want 0, 1", rep.Archived, rep.ArchiveReturned)
	}
	live := e.rows()
	r := rowOf(live, "KOPI-2026-0004")
	if r < 0 {
		t.Fatalf("the open case is not live: %d rows, header %q", len(dataRows(live)), live[0])
	}
	got := rowByHeader(live[0], live[r])
	for h, v := range s.open {
		if got[h] != v {
			t.Errorf("returned row under %q: %q, want %q", h, got[h], v)
		}
	}
	for h, v := range got {
		if _, ok := s.open[h]; !ok {
			t.Errorf("returned row has %q under %q, where it had nothing", v, h)
		}
	}
	e.clock.Set(time.Date(2026, 5, 9, 19, 0, 0, 0, wib))
	if rep := e.cycle(); rep.Archived != 1 {
		t.Fatalf("next night archived %d, want 1", rep.Archived)
	}
	s.checkColumns(t, "after the next night")
	if rowOf(e.rows(), "KOPI-2026-0004") < 0 {
		t.Error("the open case left the live tab")
	}
}
