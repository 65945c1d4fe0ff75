package sync_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"google.golang.org/api/option"
	"google.golang.org/api/sheets/v4"

	"kopi/rules"
)

// staff is a person editing the tracking sheet while the daemon runs,
// through the same API the Sheets UI uses.
type staff struct {
	e   *env
	svc *sheets.Service
}

func newStaff(e *env) *staff {
	svc, err := sheets.NewService(e.ctx, option.WithEndpoint(e.srv.URL()+"/"), option.WithHTTPClient(e.srv.HTTPClient()))
	if err != nil {
		e.t.Fatal(err)
	}
	return &staff{e: e, svc: svc}
}

func (s *staff) sheetID() int64 {
	ss, err := s.svc.Spreadsheets.Get(s.e.sheetID).Do()
	if err != nil {
		s.e.t.Fatal(err)
	}
	for _, sh := range ss.Sheets {
		if sh.Properties.Title == "Konsultasi" {
			return sh.Properties.SheetId
		}
	}
	s.e.t.Fatal("no Konsultasi tab")
	return 0
}

func (s *staff) batch(reqs ...*sheets.Request) {
	s.e.t.Helper()
	if _, err := s.svc.Spreadsheets.BatchUpdate(s.e.sheetID, &sheets.BatchUpdateSpreadsheetRequest{Requests: reqs}).Do(); err != nil {
		s.e.t.Fatalf("staff edit: %v", err)
	}
}

// set writes one cell as a person types it.
func (s *staff) set(a1, value string) {
	s.e.t.Helper()
	if _, err := s.svc.Spreadsheets.Values.Update(s.e.sheetID, a1, &sheets.ValueRange{Values: [][]any{{value}}}).ValueInputOption("USER_ENTERED").Do(); err != nil {
		s.e.t.Fatalf("staff types %s: %v", a1, err)
	}
}

// a1 is the A1 address of a column index and row index (0-based).
func a1(col, row int) string {
	name := ""
	for c := col + 1; c > 0; c = (c - 1) / 26 {
		name = string(rune('A'+(c-1)%26)) + name
	}
	return "Konsultasi!" + name + itoa(row+1)
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}

// rowOf finds the row index of a ticket in the current sheet.
func rowOf(rows [][]string, ticket string) int {
	ti := column(rows, "No. Tiket")
	for i, r := range rows {
		if ti < len(r) && r[ti] == ticket {
			return i
		}
	}
	return -1
}

func cell(rows [][]string, row int, header string) string {
	c := column(rows, header)
	if row < 0 || c < 0 || c >= len(rows[row]) {
		return ""
	}
	return rows[row][c]
}

// TestStaffChaosBetweenReadAndWrite: between the daemon's read and its
// first write, staff sort the tab, insert rows above, delete an unrelated
// row and move a column. No daemon value may land in a wrong cell and no
// staff cell may change.
func TestStaffChaosBetweenReadAndWrite(t *testing.T) {
	t.Parallel()
	underEach(t, sortVariants, testStaffChaosBetweenReadAndWrite)
}

func testStaffChaosBetweenReadAndWrite(t *testing.T) {
	e, names := newChaosOffice(t)
	armStaffChaos(e)
	rep := e.cycle()
	if rep.Repaired == 0 {
		t.Errorf("the column move was not noticed: %+v", rep)
	}
	checkStaffChaos(t, e, names)
	e.cycle()
	checkStaffChaos(t, e, names)
}

// TestStaffChaosThenCrash: the staff chaos of
// TestStaffChaosBetweenReadAndWrite but the column move — a sort, rows
// inserted above and a row deleted between kopi's read and its commit —
// and the daemon dies after each call of that cycle in turn, or that
// call is applied and its answer lost. Clean cycles follow: every daemon
// value ends in its own row, and staff cells stay. A death after the
// commit and before its check leaves the row-write journal open; the
// next read puts back what the commit wrote in other rows. (A column
// moved in the same window is put right by the cycle's own check only:
// after a death there, the cells written by position stay under the
// columns they landed in — README, "Staff may edit the sheet".)
func TestStaffChaosThenCrash(t *testing.T) {
	t.Parallel()
	underEach(t, sortVariants, func(t *testing.T) {
		office, names := newChaosOffice(t)
		clean := office.fork(t)
		first := armStaffChaosMoving(clean, false)
		clean.transport.arm(0, 0)
		clean.cycle()
		calls := clean.transport.count()
		checkStaffChaos(t, clean, names)
		// A death before the cycle's first write (the commit) leaves
		// nothing to recover: the crash points start there.
		eachCrashPointFrom(t, first(), calls, func(t *testing.T, label string, crash func(*env)) {
			e := office.fork(t)
			ensure := armStaffChaosMoving(e, false)
			crash(e)
			ensure()
			e.settle(3, nil)
			checkStaffChaos(t, e, names)
		})
	})
}

// newChaosOffice is the office of the staff chaos tests: three cases
// (Budi's incomplete), an answer typed for Ani, a staff column with a
// cell per case and a manual row; Budi then completes his form and Dewi
// submits, so the next cycle rewrites a row and adds one.
func newChaosOffice(t *testing.T) (*env, map[string]string) {
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
	// Staff's own work: an answer, their own column, a manual row.
	st.set(a1(column(rows, "Jawaban"), rowOf(rows, "KOPI-2026-0001")), "Jawaban dari konsuler untuk Ani.")
	st.batch(&sheets.Request{AppendDimension: &sheets.AppendDimensionRequest{SheetId: sheetID, Dimension: "COLUMNS", Length: 1}})
	st.set(a1(width, 0), "Catatan Staf")
	for tk := range names {
		st.set(a1(width, rowOf(rows, tk)), "staf-"+tk)
	}
	manual := len(dataRows(rows)) + 3
	st.set(a1(1, manual), "Rekap manual — hapus nanti")

	// Next cycle has an existing-row update (Budi completes his form)
	// and a new row (Dewi).
	if _, err := e.srv.EditResponse(e.formID, inc, e.answers(complete("budi", topics[1]))); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Minute)
	e.submit(complete("dewi", topics[3]))
	names["KOPI-2026-0004"] = "dewi"
	e.clock.Advance(time.Minute)
	return e, names
}

// armStaffChaos makes staff, just before the daemon's first write, sort
// the tab, insert two rows above, delete the manual row and move the
// Jawaban column to the front.
func armStaffChaos(e *env) { armStaffChaosMoving(e, true) }

// armStaffChaosMoving is armStaffChaos, the column moved or not. It
// returns a function that says which call of the cycle was its first
// write, after doing the chaos unless it was done (the daemon died
// before writing) and disarming it.
func armStaffChaosMoving(e *env, moveColumn bool) (ensure func() int) {
	st := newStaff(e)
	sheetID := st.sheetID()
	done, first := false, 0
	act := func() {
		done = true
		cur := e.rows()
		jawaban := int64(column(cur, "Jawaban"))
		st.batch(
			&sheets.Request{SortRange: &sheets.SortRangeRequest{
				Range:     &sheets.GridRange{SheetId: sheetID, StartRowIndex: 1},
				SortSpecs: []*sheets.SortSpec{{DimensionIndex: int64(column(cur, "Nama")), SortOrder: "DESCENDING"}},
			}},
		)
		st.batch(&sheets.Request{InsertDimension: &sheets.InsertDimensionRequest{
			Range: &sheets.DimensionRange{SheetId: sheetID, Dimension: "ROWS", StartIndex: 1, EndIndex: 3},
		}})
		cur = e.rows()
		for i, r := range cur {
			if len(r) > 1 && strings.HasPrefix(r[1], "Rekap manual") {
				st.batch(&sheets.Request{DeleteDimension: &sheets.DeleteDimensionRequest{
					Range: &sheets.DimensionRange{SheetId: sheetID, Dimension: "ROWS", StartIndex: int64(i), EndIndex: int64(i + 1)},
				}})
			}
		}
		if moveColumn {
			st.batch(&sheets.Request{MoveDimension: &sheets.MoveDimensionRequest{
				Source:           &sheets.DimensionRange{SheetId: sheetID, Dimension: "COLUMNS", StartIndex: jawaban, EndIndex: jawaban + 1},
				DestinationIndex: 1,
			}})
		}
	}
	e.transport.mu.Lock()
	e.transport.before = func(req *http.Request) bool {
		if req.Method == http.MethodGet || strings.Contains(req.URL.Path, "/v1/forms") {
			return true // not a write yet
		}
		e.transport.mu.Lock()
		first = e.transport.calls
		e.transport.mu.Unlock()
		act()
		return false
	}
	e.transport.mu.Unlock()
	return func() int {
		e.transport.setBefore(nil)
		if !done {
			act()
		}
		return first
	}
}

func checkStaffChaos(t *testing.T, e *env, names map[string]string) {
	t.Helper()
	rows := e.rows()
	for tk, name := range names {
		r := rowOf(rows, tk)
		if r < 0 {
			t.Fatalf("%s has no row", tk)
		}
		if got := cell(rows, r, "Nama"); got != name {
			t.Errorf("%s: Nama = %q, want %q", tk, got, name)
		}
		if got := cell(rows, r, "Status"); got != string(rules.StatusDitugaskan) {
			t.Errorf("%s: Status = %q", tk, got)
		}
		if tk != "KOPI-2026-0004" {
			if got := cell(rows, r, "Catatan Staf"); got != "staf-"+tk {
				t.Errorf("%s: staff column = %q, want %q", tk, got, "staf-"+tk)
			}
		}
		if got := cell(rows, r, "Jawaban"); (tk == "KOPI-2026-0001") != (got != "") {
			t.Errorf("%s: Jawaban = %q", tk, got)
		}
	}
	if got := cell(rows, rowOf(rows, "KOPI-2026-0001"), "Jawaban"); got != "Jawaban dari konsuler untuk Ani." {
		t.Errorf("staff answer = %q", got)
	}
	for i, r := range rows[1:] {
		if strings.Join(r, "") != "" && cell(rows, i+1, "No. Tiket") == "" {
			t.Errorf("row %d has daemon data but no ticket: %q", i+2, r)
		}
	}
	if len(dataRows(rows)) != 4 {
		t.Errorf("data rows = %d, want 4", len(dataRows(rows)))
	}
}

func deleteRow(sheetID int64, row int) *sheets.Request {
	return &sheets.Request{DeleteDimension: &sheets.DeleteDimensionRequest{
		Range: &sheets.DimensionRange{SheetId: sheetID, Dimension: "ROWS", StartIndex: int64(row), EndIndex: int64(row + 1)},
	}}
}
