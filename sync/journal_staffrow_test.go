package sync_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"google.golang.org/api/sheets/v4"

	"kopi/google"
)

// The row-write journal and a row staff keep without a ticket (the
// simulation's seed 33): under SortLeavesMetadata a staff sort between
// kopi's read and its row write brings a "Rekap manual" row under the
// anchor of the answered case, kopi's answer stamp lands on it, and the
// daemon dies before VerifyLayout. The next read finds the journal
// open: the staff row gets back what the journal's copy showed on the
// row with the same other cells — through the anchor the sort left on
// it, or by its position when another sort took it off every anchor —
// or, when the copy cannot tell (staff changed the row since), it is
// left as it is, the journal is closed and the operator is told. The
// daemon never stops over it.

// staffRowText is the staff row's text (column B, as the simulation's
// manual rows).
const staffRowText = "Rekap manual 7 — hapus nanti"

// staffRowOffice is the sort office with a staff row below the cases;
// sortOntoStaffRow arms the sort (column B, Z to A: the staff row goes
// to the top, under the answered case's anchor) before the next values
// write, sortBack sorts the tab A to Z by column B (the staff row to the
// bottom, where no anchor is).
type staffRowOffice struct {
	sortOffice
	sortOntoStaffRow func(e *env)
	sortBack         func(e *env)
	checkStaffRow    func(t *testing.T, e *env, text string)
}

func newStaffRowOffice(t *testing.T) staffRowOffice {
	so := newSortOffice(t)
	st := newStaff(so.office)
	rows := so.office.rows()
	last := 0
	for i, r := range rows {
		if strings.Join(r, "") != "" {
			last = i
		}
	}
	st.set(cellA1("Konsultasi", 1, last+1), staffRowText)
	sortB := func(e *env, st *staff, order string) {
		st.batch(&sheets.Request{SortRange: &sheets.SortRangeRequest{
			Range:     &sheets.GridRange{SheetId: st.sheetID(), StartRowIndex: 1},
			SortSpecs: []*sheets.SortSpec{{DimensionIndex: 1, SortOrder: order}},
		}})
	}
	sortOntoStaffRow := func(e *env) {
		st := newStaff(e)
		e.transport.mu.Lock()
		defer e.transport.mu.Unlock()
		e.transport.before = func(req *http.Request) bool {
			if !rowWrite(req) {
				return true
			}
			sortB(e, st, "DESCENDING")
			return false
		}
	}
	sortBack := func(e *env) { sortB(e, newStaff(e), "ASCENDING") }
	checkStaffRow := func(t *testing.T, e *env, text string) {
		t.Helper()
		rows := e.rows()
		found := 0
		for i, r := range rows {
			if !strings.Contains(strings.Join(r, "|"), "Rekap manual") {
				continue
			}
			found++
			var others []string
			for j, v := range r {
				if v != "" && j != 1 {
					others = append(others, rows[0][j]+"="+v)
				}
			}
			if r[1] != text || len(others) > 0 {
				t.Errorf("staff row %d = %q with %v; want %q alone", i+1, r[1], others, text)
			}
		}
		if found != 1 {
			t.Errorf("%d staff rows, want 1", found)
		}
	}
	return staffRowOffice{so, sortOntoStaffRow, sortBack, checkStaffRow}
}

// crashAfterMisplacedWrite forks the office, makes the sort put the
// answer stamp on the staff row, and kills the daemon right after that
// write.
func (so staffRowOffice) crashAfterMisplacedWrite(t *testing.T) *env {
	base := so.office.fork(t)
	so.crashAfterSortedWrite(base, so.sortOntoStaffRow)
	return base
}

// TestJournalRestoresStaffRow: the staff row that got the misplaced
// stamp gets its own cells back from the journal's copy, whether the
// anchor the sort left still reaches it or staff sorted it away from
// every anchor before the recovery; and the daemon dies after each call
// of the recovering cycle in turn, or that call is applied and its
// answer lost.
func TestJournalRestoresStaffRow(t *testing.T) {
	t.Parallel()
	underEach(t, sortVariants, func(t *testing.T) {
		so := newStaffRowOffice(t)
		base := so.crashAfterMisplacedWrite(t)
		if strings.Contains(t.Name(), "sort-leaves-metadata") {
			// The stamp is on the staff row: the scenario this test is
			// about.
			rows := base.rows()
			for _, r := range rows {
				if strings.Contains(strings.Join(r, "|"), "Rekap manual") && cell([][]string{rows[0], r}, 1, "Dijawab Oleh") == "" {
					t.Fatalf("the sort did not put the stamp on the staff row: %v", r)
				}
			}
		}
		for _, tc := range []struct {
			name   string
			before func(e *env)
		}{
			{"through the anchor left on it", func(*env) {}},
			{"by position", so.sortBack},
		} {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				// What staff do before the recovery, done once: the clean
				// run and every crash point start from a copy.
				start := base.fork(t)
				tc.before(start)
				clean := start.fork(t)
				clean.transport.arm(0, 0)
				clean.cycle()
				calls := clean.transport.count()
				clean.cycle()
				so.check(t, clean)
				so.checkStaffRow(t, clean, staffRowText)
				if ran := journalTab(t, clean); ran != "" {
					t.Errorf("journal tab still holds %s", ran)
				}

				eachCrashPoint(t, calls, func(t *testing.T, label string, crash func(*env)) {
					e := start.fork(t)
					crash(e)
					e.settle(3, nil)
					so.check(t, e)
					so.checkStaffRow(t, e, staffRowText)
					if ran := journalTab(t, e); ran != "" {
						t.Errorf("journal tab still holds %s", ran)
					}
				})
			})
		}
	})
}

// TestJournalLeavesStaffRowItCannotTell: staff changed the staff row's
// text after the misplaced write and before the recovery, so no row of
// the copy shows its other cells: the row keeps the stamp, the journal
// closes, the operator reads which row and columns to check (no value,
// no name), the answered case gets its stamp and every cycle after runs.
func TestJournalLeavesStaffRowItCannotTell(t *testing.T) {
	t.Parallel()
	underEach(t, sortVariants[1:], testJournalLeavesStaffRowItCannotTell)
}

func testJournalLeavesStaffRowItCannotTell(t *testing.T) {
	so := newStaffRowOffice(t)
	e := so.crashAfterMisplacedWrite(t)
	st := newStaff(e)
	rows := e.rows()
	at := -1
	for i, r := range rows {
		if strings.Contains(strings.Join(r, "|"), "Rekap manual") {
			at = i
		}
	}
	if at < 0 || cell(rows, at, "Dijawab Oleh") == "" {
		t.Fatalf("the stamp did not land on the staff row (row %d)", at+1)
	}
	stamp := cell(rows, at, "Dijawab Oleh")
	const edited = "Rekap manual 7 — sudah dicek"
	st.set(cellA1("Konsultasi", 1, at), edited)
	e.googleLogs = true
	for i := 0; i < 3; i++ {
		e.clock.Advance(time.Minute)
		e.cycle()
	}
	so.check(t, e)
	rows = e.rows()
	if got := cell(rows, at, "Dijawab Oleh"); got != stamp || rows[at][1] != edited {
		t.Errorf("staff row %d = %q, Dijawab Oleh %q; want it left as it was (%q, %q)", at+1, rows[at][1], got, edited, stamp)
	}
	if ran := journalTab(t, e); ran != "" {
		t.Errorf("journal tab still holds %s", ran)
	}
	logs := e.logs.String()
	want := "jurnal tulisan baris ditutup"
	if n := strings.Count(logs, want); n != 1 {
		t.Errorf("%d log lines %q, want 1:\n%s", n, want, logs)
	}
	for _, line := range strings.Split(logs, "\n") {
		if strings.Contains(line, want) && (!strings.Contains(line, "baris="+itoa(at+1)) || !strings.Contains(line, "Dijawab Oleh") || strings.Contains(line, stamp) || strings.Contains(line, "Rekap")) {
			t.Errorf("log line names no row %d and column, or a value: %s", at+1, line)
		}
	}
}

// journalTab names the first cell of the journal's hidden tab that
// holds a value ("" when it holds none: the journal is closed).
func journalTab(t *testing.T, e *env) string {
	t.Helper()
	ss, err := e.srv.Spreadsheet(e.sheetID)
	if err != nil {
		t.Fatal(err)
	}
	for _, sh := range ss.Sheets {
		if sh.Properties.Title != google.JournalTab.Title {
			continue
		}
		for _, g := range sh.Data {
			for ri, row := range g.RowData {
				for ci, c := range row.Values {
					if c.UserEnteredValue != nil {
						return fmt.Sprintf("R%dC%d", g.StartRow+int64(ri)+1, g.StartColumn+int64(ci)+1)
					}
				}
			}
		}
	}
	return ""
}

// TestJournalColumnDeletedBeforeRecovery: after a misplaced write and
// the daemon's death, staff delete a column kopi wrote ("Dijawab Oleh")
// before the next read. The recovery puts back what it can, leaves what
// has no column left, closes the journal and tells the operator; every
// cycle after runs.
func TestJournalColumnDeletedBeforeRecovery(t *testing.T) {
	t.Parallel()
	underEach(t, sortVariants[1:], func(t *testing.T) {
		so := newSortOffice(t)
		e := so.office.fork(t)
		so.crashAfterSortedWrite(e, so.sortBeforeWrite)
		if journalTab(t, e) == "" {
			t.Fatal("the journal is not open after the misplaced write")
		}
		st := newStaff(e)
		col := column(e.rows(), "Dijawab Oleh")
		st.batch(&sheets.Request{DeleteDimension: &sheets.DeleteDimensionRequest{Range: &sheets.DimensionRange{
			SheetId: st.sheetID(), Dimension: "COLUMNS", StartIndex: int64(col), EndIndex: int64(col + 1)}}})
		e.googleLogs = true
		for i := 0; i < 3; i++ {
			e.clock.Advance(time.Minute)
			e.cycle()
		}
		if ran := journalTab(t, e); ran != "" {
			t.Errorf("journal tab still holds %s", ran)
		}
		rows := e.rows()
		for _, tk := range []string{"KOPI-2026-0002", "KOPI-2026-0003"} {
			if at := cell(rows, rowOf(rows, tk), "Dijawab Pada"); at != "" {
				t.Errorf("%s: Dijawab Pada = %q, another case's stamp", tk, at)
			}
		}
		if at := cell(rows, rowOf(rows, "KOPI-2026-0001"), "Dijawab Pada"); at == "" {
			t.Error("KOPI-2026-0001: no Dijawab Pada")
		}
		if n := strings.Count(e.logs.String(), "jurnal tulisan baris ditutup"); n != 1 {
			t.Errorf("%d log lines on the journal closed with cells left, want 1:\n%s", n, e.logs.String())
		}
	})
}
