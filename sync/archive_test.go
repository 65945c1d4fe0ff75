package sync_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"google.golang.org/api/sheets/v4"

	"kopi/google"
	"kopi/rules"
	"kopi/sync"
)

// The tracker's transaction archives: production's engine finds the
// capability on the cycle's transaction.
var _ sync.Archiver = (*google.TrackerTx)(nil)

// archiveScenario is an office whose first cases are old enough to
// archive: three requests on Monday 2 March 2026; staff add a column of
// their own, answer and close 0002 and 0003 (Selesai), leave 0001 open;
// 31 days later, in the evening, the archive is due.
type archiveScenario struct {
	e   *env
	ids map[string]string // ticket → response id
	// before are the rows of the closed cases as staff left them.
	before map[string][]string
	header []string
}

func newArchiveScenario(t *testing.T) *archiveScenario {
	e := setupWith(t, func(c *rules.Config) { c.Archive.AfterDays = new(30) })
	topics := e.cfg.TopicNames()
	s := &archiveScenario{e: e, ids: map[string]string{}, before: map[string][]string{}}
	for i, name := range []string{"ani", "budi", "citra"} {
		s.ids[fmt.Sprintf("KOPI-2026-%04d", i+1)] = e.submit(complete(name, topics[i]))
		e.clock.Advance(time.Minute)
	}
	e.cycle()
	st := newStaff(e)
	rows := e.rows()
	width := len(rows[0])
	st.batch(&sheets.Request{AppendDimension: &sheets.AppendDimensionRequest{SheetId: st.sheetID(), Dimension: "COLUMNS", Length: 1}})
	st.set(a1(width, 0), "Catatan Staf")
	for tk := range s.ids {
		st.set(a1(width, rowOf(rows, tk)), "staf-"+tk)
	}
	answerRow(e, "KOPI-2026-0002", "Jawaban untuk Budi.", rules.StatusSelesai)
	answerRow(e, "KOPI-2026-0003", "Jawaban untuk Citra.", rules.StatusSelesai)
	e.clock.Advance(time.Minute)
	e.cycle()
	rows = e.rows()
	s.header = rows[0]
	for _, tk := range []string{"KOPI-2026-0002", "KOPI-2026-0003"} {
		s.before[tk] = rows[rowOf(rows, tk)]
	}
	// Tuesday 7 April 2026, 19:00 WIB: 36 days later, outside office hours.
	e.clock.Set(time.Date(2026, 4, 7, 19, 0, 0, 0, wib))
	return s
}

// fork is a copy of the scenario for test t: the office forked, the
// expectations (only read) shared.
func (s *archiveScenario) fork(t *testing.T) *archiveScenario {
	t.Helper()
	f := *s
	f.e = s.e.fork(t)
	return &f
}

// tabRows returns a tab as text, header first (nil when it does not exist).
func (e *env) tabRows(title string) [][]string {
	e.t.Helper()
	v, err := e.srv.SpreadsheetValues(e.sheetID, title)
	if err != nil {
		return nil
	}
	return v
}

// check asserts the archive's invariants: each ticket exactly once across
// the live tab and the archive, the closed cases archived with every cell
// staff left, the open case live, the state tab holding no record of the
// archived cases but their highest ticket.
func (s *archiveScenario) check(t *testing.T, label string) {
	t.Helper()
	noSortByKopi(t, s.e)
	e := s.e
	live := e.rows()
	arch := e.tabRows(rules.ArchiveTitle(2026))
	if arch == nil {
		t.Fatalf("%s: no tab %q", label, rules.ArchiveTitle(2026))
	}
	count := map[string]int{}
	for _, r := range dataRows(live) {
		count[r[column(live, "No. Tiket")]]++
	}
	for _, r := range dataRows(arch) {
		count[r[column(arch, "No. Tiket")]]++
	}
	for tk := range s.ids {
		if count[tk] != 1 {
			t.Errorf("%s: %s appears %d times across the live tab and the archive", label, tk, count[tk])
		}
	}
	if len(count) != len(s.ids) {
		t.Errorf("%s: tickets %v, want exactly %d", label, count, len(s.ids))
	}
	if _, closed := s.before["KOPI-2026-0001"]; !closed && rowOf(live, "KOPI-2026-0001") < 0 {
		t.Errorf("%s: the open case left the live tab", label)
	}
	if strings.Join(arch[0], "|") != strings.Join(s.header, "|") {
		t.Errorf("%s: archive header %q, want the live tab's %q", label, arch[0], s.header)
	}
	for tk, want := range s.before {
		r := rowOf(arch, tk)
		if r < 0 {
			t.Errorf("%s: %s is not in the archive", label, tk)
			continue
		}
		if got := arch[r]; strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("%s: archived row of %s\n got %q\nwant %q", label, tk, got, want)
		}
	}
	for _, r := range e.tabRows("_kopi")[1:] {
		if len(r) > 2 && (r[0] == "respons" || r[0] == "surel" || r[0] == "alur") && (r[2] == "KOPI-2026-0002" || r[2] == "KOPI-2026-0003") {
			t.Errorf("%s: the state tab still holds %q", label, r)
		}
	}
	sent := map[string]int{}
	for _, m := range e.srv.Sent("me") {
		sent[m.Subject+" → "+strings.Join(m.To, ",")]++
	}
	for subj, n := range sent {
		if n != 1 {
			t.Errorf("%s: email %q sent %d times", label, subj, n)
		}
	}
}

// TestArchiveMovesClosedCases: the evening run moves the closed cases
// with every staff cell to "Arsip 2026" and compacts the state tab; a
// cycle then reads only what is live; an edit of an archived response,
// in a cycle and in the reconciliation, makes no new case; a new
// request gets the next number after the archived ones. Nothing sorts
// here (noSortAtAll), so one sort variant covers both.
func TestArchiveMovesClosedCases(t *testing.T) {
	t.Parallel()
	underEach(t, oneSortVariant, func(t *testing.T) {
		underEach(t, formsFilterVariants, testArchiveMovesClosedCases)
	})
}

func testArchiveMovesClosedCases(t *testing.T) {
	s := newArchiveScenario(t)
	e := s.e
	t.Cleanup(func() { noSortAtAll(t, e) })
	// A request arrives in the evening: the archive cycle also takes it
	// in, writing rows and records after the read the move decides on.
	s.ids["KOPI-2026-0004"] = e.submit(complete("eka", e.cfg.TopicNames()[3]))
	rep := e.cycle()
	if rep.Archived != 2 || rep.ArchiveReturned != 0 || rep.NewCases != 1 {
		t.Fatalf("archive cycle: archived %d, returned %d, new %d; want 2, 0, 1", rep.Archived, rep.ArchiveReturned, rep.NewCases)
	}
	s.check(t, "after the move")
	if n := len(dataRows(e.rows())); n != 2 {
		t.Errorf("live rows = %d, want 2", n)
	}

	// Once a day: the next cycle of the evening does not move again.
	e.clock.Advance(15 * time.Minute)
	e.srv.ResetCalls()
	e.cycle()
	if n := e.srv.Calls()["sheets.spreadsheets.batchUpdate"]; n != 0 {
		t.Errorf("an idle cycle after the run wrote %d times", n)
	}

	// The requester edits an archived response: no new case.
	edited := complete("budi", e.cfg.TopicNames()[1])
	edited[rules.FieldPertanyaan] = "Pertanyaan diubah setelah kasus diarsipkan."
	if _, err := e.srv.EditResponse(e.formID, s.ids["KOPI-2026-0002"], e.answers(edited)); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Minute)
	rep = e.cycle()
	if rep.NewCases != 0 {
		t.Errorf("an edit of an archived response made %d new cases", rep.NewCases)
	}
	// The reconciliation lists every response and reads the archive.
	eng := e.engine()
	eng.Reconcile()
	rep, err := eng.RunCycle(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.NewCases != 0 || rep.ArchivedResponses != 2 {
		t.Errorf("reconciliation: new %d, archived responses %d; want 0, 2", rep.NewCases, rep.ArchivedResponses)
	}
	s.check(t, "after the edit and the reconciliation")

	// A new request continues the numbering.
	e.clock.Set(time.Date(2026, 4, 8, 9, 0, 0, 0, wib))
	e.submit(complete("dewi", e.cfg.TopicNames()[0]))
	e.clock.Advance(time.Minute)
	rep = e.cycle()
	if rep.NewCases != 1 || rowOf(e.rows(), "KOPI-2026-0005") < 0 {
		t.Errorf("new request: %d new cases, rows %q", rep.NewCases, dataRows(e.rows()))
	}
}

// TestArchiveCrashAtEveryCall kills the daemon after each call of the
// archive cycle, and separately lets each call be applied but lose its
// answer, then runs clean cycles through the next evening: every case
// once, archived cases with their cells, no email twice. Staff do not
// sort here and kopi never does (noSortByKopi, in check), so one of the
// fake's sort variants covers both.
func TestArchiveCrashAtEveryCall(t *testing.T) {
	t.Parallel()
	testArchiveCrashAtEveryCall(t)
}

func testArchiveCrashAtEveryCall(t *testing.T) {
	// The office before the archive cycle, built once; the probe and
	// every crash point start from a copy of it.
	office := newArchiveScenario(t)
	archiveNightCrashPoints(t, func(t *testing.T) (*env, func(*testing.T, string)) {
		s := office.fork(t)
		return s.e, s.check
	}, time.Date(2026, 4, 8, 19, 0, 0, 0, wib))
}

// archiveNightCrashPoints runs an archive night's cycle on a fork of an
// office (the probe: its calls counted, then checked as "no crash"),
// then kills it after each call, or lets each call be applied and lose
// its answer (eachCrashPoint), each on a fresh fork, followed by a clean
// cycle a minute later and one at next, the next evening, which finishes
// what the crash left. fork gives a fresh copy of the office and the
// check of its scenario.
func archiveNightCrashPoints(t *testing.T, fork func(*testing.T) (*env, func(*testing.T, string)), next time.Time) {
	t.Helper()
	probe, check := fork(t)
	probe.transport.arm(0, 0)
	probe.cycle()
	calls := probe.transport.count()
	check(t, "no crash")
	eachCrashPoint(t, calls, func(t *testing.T, label string, crash func(*env)) {
		e, check := fork(t)
		crash(e)
		e.clock.Advance(time.Minute)
		e.cycle()
		e.clock.Set(next)
		e.cycle()
		check(t, label)
	})
}

// TestArchiveStaffSortBetweenReadAndWrite: staff sort the live tab
// after kopi read it for the move and before the move's batchUpdate, so
// the positions kopi read name other rows. Nothing is lost or doubled:
// a row that was moved in place of an intended one goes back to the live
// tab with its anchor, and kopi keeps writing the right rows.
func TestArchiveStaffSortBetweenReadAndWrite(t *testing.T) {
	t.Parallel()
	underEach(t, sortVariants, func(t *testing.T) {
		underEach(t, draftIDFilterMissPairs, testArchiveStaffSortBetweenReadAndWrite)
	})
}

func testArchiveStaffSortBetweenReadAndWrite(t *testing.T) {
	s := newArchiveScenario(t)
	e := s.e
	st := newStaff(e)
	sheetID := st.sheetID()
	// The move's tab listing is the last call before its write.
	e.transport.mu.Lock()
	e.transport.before = func(req *http.Request) bool {
		if req.Method != http.MethodGet || !strings.Contains(req.URL.RawQuery, "gridProperties%28rowCount%2CcolumnCount%29%29%29") {
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
	if rep.ArchiveReturned == 0 {
		t.Errorf("the sort did not get in the way: %+v", rep)
	}
	// Each ticket once, the open case live and with its staff cell.
	live := e.rows()
	if r := rowOf(live, "KOPI-2026-0001"); r < 0 || cell(live, r, "Catatan Staf") != "staf-KOPI-2026-0001" || cell(live, r, "Nama") != "ani" {
		t.Fatalf("open case after the raced move: %q", live)
	}
	// kopi still writes the returned row by its anchor: the answer goes
	// out and the row becomes Terkirim.
	e.clock.Set(time.Date(2026, 4, 8, 9, 0, 0, 0, wib))
	answerRow(e, "KOPI-2026-0001", "Jawaban untuk Ani.", rules.StatusDisetujui)
	e.cycle()
	e.clock.Advance(time.Minute)
	e.cycle()
	live = e.rows()
	if r := rowOf(live, "KOPI-2026-0001"); cell(live, r, "Status") != string(rules.StatusTerkirim) || cell(live, r, "Nama") != "ani" {
		t.Errorf("the returned row was not written by its anchor: %q", live[r])
	}
	// The next evening archives the rest; 0001 (sent today) stays.
	e.clock.Set(time.Date(2026, 4, 8, 19, 0, 0, 0, wib))
	e.cycle()
	s.check(t, "after the next evening")
}

// TestArchiveHistoryInSeveralMoves: a first run over more than one
// batch of history moves it all, in ⌈n/batch⌉ atomic moves
// from the cycle's own read, each case exactly once; the state tab keeps only the
// cursor and the archive's records; the next cycle reads what is live.
func TestArchiveHistoryInSeveralMoves(t *testing.T) {
	t.Parallel()
	e := setupWith(t, func(c *rules.Config) { c.Archive.AfterDays = new(30) })
	const batch = 10
	e.options = func(o *sync.Options) { o.ArchiveBatch = batch }
	n := 2*batch + 5
	e.seedHistory(t, n)
	// Staff deleted one row long ago: its ledger entry and deliveries
	// stay (the row is gone, its response is never taken in again), the
	// other rows move.
	st := newStaff(e)
	st.batch(deleteRow(st.sheetID(), rowOf(e.rows(), "KOPI-2025-0003")))
	e.clock.Set(time.Date(2026, 3, 2, 19, 0, 0, 0, wib))
	e.srv.ResetCalls()
	rep := e.cycle()
	if rep.Archived != n-1 {
		t.Fatalf("archived %d of %d", rep.Archived, n-1)
	}
	if got := e.srv.Calls()["sheets.spreadsheets.get"]; got != 1+3 {
		t.Errorf("spreadsheets.get calls = %d, want the cycle's read and one tab listing per move", got)
	}
	if got := e.srv.Calls()["sheets.spreadsheets.batchUpdate"]; got != 3 {
		t.Errorf("spreadsheets.batchUpdate calls = %d, want one per move", got)
	}
	arch := e.tabRows(rules.ArchiveTitle(2025))
	seen := map[string]bool{}
	for _, r := range dataRows(arch) {
		tk := r[column(arch, "No. Tiket")]
		if seen[tk] {
			t.Fatalf("%s archived twice", tk)
		}
		seen[tk] = true
	}
	if len(seen) != n-1 || seen["KOPI-2025-0003"] || len(dataRows(e.rows())) != 0 {
		t.Fatalf("archive holds %d cases, live %d; want %d, 0", len(seen), len(dataRows(e.rows())), n-1)
	}
	kinds := map[string]int{}
	for _, r := range e.tabRows("_kopi")[1:] {
		if len(r) > 0 && r[0] != "" {
			kinds[r[0]]++
		}
	}
	if kinds["respons"] != 1 || kinds["surel"] != 2 || kinds["arsip"] != 1 || kinds["tiket-arsip"] != 1 {
		t.Errorf("state tab records by kind: %v", kinds)
	}
	// The next morning: a new request is KOPI-2026-0001 (a new year);
	// the reconciliation lists every response and makes no case of the
	// archived ones nor of the deleted row's.
	e.clock.Set(time.Date(2026, 3, 3, 9, 0, 0, 0, wib))
	e.submit(complete("eka", e.cfg.TopicNames()[0]))
	e.clock.Advance(time.Minute)
	if rep := e.cycle(); rep.NewCases != 1 || rowOf(e.rows(), "KOPI-2026-0001") < 0 {
		t.Errorf("new request: %+v", rep.NewCases)
	}
	eng := e.engine()
	eng.Reconcile()
	rep, err := eng.RunCycle(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.NewCases != 0 || len(dataRows(e.rows())) != 1 {
		t.Errorf("reconciliation: %d new cases, %d live rows; want 0, 1", rep.NewCases, len(dataRows(e.rows())))
	}
}

// TestArchiveKeepsTicketNumbers: when every case of the year is
// archived, the ledger and the live tab know no ticket of it; the state
// tab's highest archived ticket keeps the next request from reusing a
// number.
func TestArchiveKeepsTicketNumbers(t *testing.T) {
	t.Parallel()
	s := newArchiveScenario(t)
	e := s.e
	e.clock.Set(time.Date(2026, 3, 3, 10, 0, 0, 0, wib))
	answerRow(e, "KOPI-2026-0001", "Jawaban untuk Ani.", rules.StatusSelesai)
	e.clock.Advance(time.Minute)
	e.cycle()
	s.before["KOPI-2026-0001"] = e.rows()[rowOf(e.rows(), "KOPI-2026-0001")]
	e.clock.Set(time.Date(2026, 4, 7, 19, 0, 0, 0, wib))
	if rep := e.cycle(); rep.Archived != 3 {
		t.Fatalf("archived %d, want 3", rep.Archived)
	}
	s.check(t, "all archived")
	e.clock.Set(time.Date(2026, 4, 8, 9, 0, 0, 0, wib))
	e.submit(complete("dewi", e.cfg.TopicNames()[0]))
	e.clock.Advance(time.Minute)
	if rep := e.cycle(); rep.NewCases != 1 || rowOf(e.rows(), "KOPI-2026-0004") < 0 {
		t.Errorf("new request: %d new cases, live rows %q; want KOPI-2026-0004", rep.NewCases, dataRows(e.rows()))
	}
}

// TestArchiveLedgerUnreadable: staff renamed the archive's response-id
// header, so the reconciliation cannot read the archive's ledger. It
// says so in the log and goes on: the horizon still keeps the archived
// responses from becoming new cases.
func TestArchiveLedgerUnreadable(t *testing.T) {
	t.Parallel()
	s := newArchiveScenario(t)
	e := s.e
	if rep := e.cycle(); rep.Archived != 2 {
		t.Fatalf("archived %d, want 2", rep.Archived)
	}
	arch := e.tabRows(rules.ArchiveTitle(2026))
	col := column(arch, "ID Respons")
	st := newStaff(e)
	a1 := fmt.Sprintf("'%s'!%c1", rules.ArchiveTitle(2026), 'A'+col)
	if _, err := st.svc.Spreadsheets.Values.Update(e.sheetID, a1, &sheets.ValueRange{Values: [][]any{{"Kode"}}}).ValueInputOption("USER_ENTERED").Do(); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(time.Date(2026, 4, 8, 9, 0, 0, 0, wib))
	eng := e.engine()
	eng.Reconcile()
	rep, err := eng.RunCycle(e.ctx)
	if err != nil {
		t.Fatalf("reconciliation failed: %v", err)
	}
	if rep.NewCases != 0 || rep.ArchivedResponses != 2 {
		t.Errorf("reconciliation: new %d, archived responses %d; want 0, 2", rep.NewCases, rep.ArchivedResponses)
	}
	if !strings.Contains(e.logs.String(), "buku besar arsip tidak terbaca") {
		t.Errorf("no warning in the log:\n%s", e.logs.String())
	}
	s.header = append([]string(nil), s.header...)
	s.header[col] = "Kode"
	s.check(t, "after the reconciliation")
}
