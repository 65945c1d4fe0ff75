package sync_test

import (
	"net/http"
	"testing"
	"time"

	"google.golang.org/api/sheets/v4"

	"kopi/rules"
)

// TestSortBeforeRowWriteThenCrash: staff sort the tab between kopi's
// read and its row write (the answer stamp of one case), and the daemon
// dies after each call of that cycle in turn — or that call is applied
// and its answer lost. Clean cycles follow. Whatever Google does with
// row metadata on a sort, the stamp ends up in the answered row only and
// every other row keeps its own values.
//
// The stamp is written at the row the read found, inside the commit, so
// it lands in another requester's row; when the daemon dies before
// VerifyLayout (or a call is applied and its answer lost), the row-write
// journal — a copy of the tab's values and the cells written, taken in
// the same batch before the write (google/journal.go) — lets the next
// read put back what the write misplaced (once simKnownOpen).
func TestSortBeforeRowWriteThenCrash(t *testing.T) {
	t.Parallel()
	underEach(t, sortVariants, testSortBeforeRowWriteThenCrash)
}

// sortOffice is the office of the sort crash tests: three assigned
// cases, Ani's answered in the row; sortBeforeWrite arms the staff's
// sort (and blank row) before the next values write, disarm clears every
// fault, check asserts that every row shows its own values.
type sortOffice struct {
	office          *env
	sortBeforeWrite func(e *env)
	disarm          func(e *env)
	check           func(t *testing.T, e *env)
}

// crashAfterSortedWrite runs a cycle on e with sort armed before its
// row write (sortBeforeWrite, or the staff-row office's sort), the
// daemon dying right after that write, then disarms: the next read
// finds the row-write journal open.
func (so sortOffice) crashAfterSortedWrite(e *env, sort func(*env)) {
	sort(e)
	e.transport.mu.Lock()
	sortAndWrite := e.transport.before
	e.transport.before = func(req *http.Request) bool {
		again := sortAndWrite(req)
		if !again {
			e.transport.dieAfter = e.transport.calls
		}
		return again
	}
	e.transport.mu.Unlock()
	e.transport.arm(0, 0)
	e.clock.Advance(time.Minute)
	if eng, err := e.tryEngine(); err == nil {
		_, _ = eng.RunCycle(e.ctx)
	}
	so.disarm(e)
}

func newSortOffice(t *testing.T) sortOffice {
	office := setup(t)
	topics := office.cfg.TopicNames()
	names := map[string]string{"KOPI-2026-0001": "ani", "KOPI-2026-0002": "budi", "KOPI-2026-0003": "citra"}
	for i, n := range []string{"ani", "budi", "citra"} {
		office.submit(complete(n, topics[i]))
		office.clock.Advance(time.Minute)
	}
	office.cycle()
	// Ani's consultant answers in the row: the next cycle stamps it
	// ("Dijawab Oleh", "Dijawab Pada") in its commit.
	answerRow(office, "KOPI-2026-0001", "Jawaban untuk Ani.", rules.StatusDijawab)
	office.clock.Advance(time.Minute)
	consultant := map[string]string{}
	rows := office.rows()
	for tk := range names {
		consultant[tk] = cell(rows, rowOf(rows, tk), "Konsuler")
	}

	// sortBeforeWrite makes staff sort by Nama, Z to A, and insert a
	// blank row at the top just before the cycle's
	// row write (the commit carrying it) reaches Google: Ani's row goes from
	// the top to the bottom, Citra's to the top, all one row down.
	sortBeforeWrite := func(e *env) {
		st := newStaff(e)
		e.transport.mu.Lock()
		defer e.transport.mu.Unlock()
		e.transport.before = func(req *http.Request) bool {
			if !rowWrite(req) {
				return true
			}
			sortByName(e, st)
			st.batch(&sheets.Request{InsertDimension: &sheets.InsertDimensionRequest{
				Range: &sheets.DimensionRange{SheetId: st.sheetID(), Dimension: "ROWS", StartIndex: 1, EndIndex: 2}}})
			return false
		}
	}
	disarm := func(e *env) {
		e.transport.mu.Lock()
		e.transport.before = nil
		e.transport.mu.Unlock()
		e.transport.arm(0, 0)
	}
	check := func(t *testing.T, e *env) {
		t.Helper()
		rows := e.rows()
		for tk, name := range names {
			r := rowOf(rows, tk)
			if r < 0 {
				t.Errorf("%s: no row", tk)
				continue
			}
			if got := cell(rows, r, "Nama"); got != name {
				t.Errorf("%s: Nama = %q, want %q", tk, got, name)
			}
			if got := cell(rows, r, "Konsuler"); got != consultant[tk] {
				t.Errorf("%s: Konsuler = %q, want %q", tk, got, consultant[tk])
			}
			by, at, answer := cell(rows, r, "Dijawab Oleh"), cell(rows, r, "Dijawab Pada"), cell(rows, r, "Jawaban")
			if tk == "KOPI-2026-0001" {
				if by != consultant[tk] || at == "" || answer != "Jawaban untuk Ani." {
					t.Errorf("%s: answered row = by %q at %q, answer %q; want by %q", tk, by, at, answer, consultant[tk])
				}
				continue
			}
			if by != "" || at != "" || answer != "" {
				t.Errorf("%s: another row's answer stamp landed here: by %q at %q, answer %q", tk, by, at, answer)
			}
			if got := cell(rows, r, "Status"); got != string(rules.StatusDitugaskan) {
				t.Errorf("%s: Status = %q, want %q", tk, got, rules.StatusDitugaskan)
			}
		}
	}
	return sortOffice{office, sortBeforeWrite, disarm, check}
}

func testSortBeforeRowWriteThenCrash(t *testing.T) {
	so := newSortOffice(t)
	office, sortBeforeWrite, disarm, check := so.office, so.sortBeforeWrite, so.disarm, so.check
	// The cycle's calls when nothing dies.
	clean := office.fork(t)
	sortBeforeWrite(clean)
	clean.transport.arm(0, 0)
	clean.cycle()
	calls := clean.transport.count()
	disarm(clean)
	clean.cycle()
	check(t, clean)

	eachCrashPoint(t, calls, func(t *testing.T, label string, crash func(*env)) {
		e := office.fork(t)
		sortBeforeWrite(e)
		crash(e)
		disarm(e)
		// Staff sort again before the next cycle's row write (the
		// repair's, if any), then leave the tab alone.
		sortBeforeWrite(e)
		e.settle(3, func() { disarm(e) })
		check(t, e)
	})
}

// TestJournalRecoveryThenCrash: the daemon dies right after a row write
// that a sort misplaced, so the next read finds the row-write journal
// open and puts things back (google/journal.go). Staff sort again just
// before that recovery's own write, and the daemon dies after each call
// of the recovering cycle in turn — or that call is applied and its
// answer lost. Clean cycles follow: every row ends with its own values.
func TestJournalRecoveryThenCrash(t *testing.T) {
	t.Parallel()
	underEach(t, sortVariants, func(t *testing.T) {
		so := newSortOffice(t)
		// The misplaced write, and death right after it.
		base := so.office.fork(t)
		so.crashAfterSortedWrite(base, so.sortBeforeWrite)

		// The recovering cycle's calls when nothing dies.
		clean := base.fork(t)
		so.sortBeforeWrite(clean)
		clean.transport.arm(0, 0)
		clean.cycle()
		calls := clean.transport.count()
		so.disarm(clean)
		clean.cycle()
		so.check(t, clean)

		eachCrashPoint(t, calls, func(t *testing.T, label string, crash func(*env)) {
			e := base.fork(t)
			so.sortBeforeWrite(e)
			crash(e)
			so.disarm(e)
			so.sortBeforeWrite(e)
			e.settle(3, func() { so.disarm(e) })
			so.check(t, e)
		})
	})
}
