package sync_test

import (
	"bytes"
	"io"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	stdsync "sync"
	"testing"
	"time"
	"unicode/utf8"

	"google.golang.org/api/sheets/v4"

	"kopi/google"
	"kopi/rules"
)

// surveyArchiveScenario is an office with a survey form whose closed
// cases are old enough to archive: three requests on Monday 2 March
// 2026; 0002 and 0003 answered (Terkirim), 0001 left open; the
// requesters rate 0002, 0003 twice (the second flagged), 0001 before its
// answer (flagged), and someone rates a ticket no case has. The tests
// run the archive on Tuesday 7 April 2026, 19:00 WIB (archiveEvening).
type surveyArchiveScenario struct {
	e *env
	// ticket is what each survey names, by response id; live are the
	// surveys that stay in the Survei tab (0001's: its case is open).
	ticket map[string]string
	live   map[string]bool
	// before are the Survei rows as the intake left them.
	before map[string][]string
	header []string
	// report is the 2026 report before the move: the IKM and flags must
	// read the same whatever the archive moved.
	report rules.Report
}

func newSurveyArchiveScenario(t *testing.T) *surveyArchiveScenario {
	e := setupWith(t, func(c *rules.Config) { c.Archive.AfterDays = new(30) })
	withSurvey(e)
	topics := e.cfg.TopicNames()
	for i, name := range []string{"ani", "budi", "citra"} {
		sub := complete(name, topics[i])
		if name != "budi" {
			// Longer than a cell: the tail goes to Teks Panjang. Just
			// over the limit (50,400 or 54,600 characters): a longer
			// tail is one tail cell all the same, and every read and
			// write of the scenario carries the text.
			sub[rules.FieldPertanyaan] = strings.Repeat("Pertanyaan panjang "+name+". ", 2100)
			if n := utf8.RuneCountInString(sub[rules.FieldPertanyaan]); n <= google.MaxCellChars {
				t.Fatalf("question of %d characters fits a cell", n)
			}
		}
		e.submit(sub)
		e.clock.Advance(time.Minute)
	}
	e.cycle()
	e.clock.Advance(time.Hour)
	sendAnswer(e, "KOPI-2026-0002")
	sendAnswer(e, "KOPI-2026-0003")
	e.clock.Advance(time.Hour)
	s := &surveyArchiveScenario{e: e, ticket: map[string]string{}, live: map[string]bool{}, before: map[string][]string{}}
	// Over a cell, as the questions.
	longSugg := strings.Repeat("Terima kasih, sangat jelas. ", 1800)
	if n := utf8.RuneCountInString(longSugg); n <= google.MaxCellChars {
		t.Fatalf("suggestion of %d characters fits a cell", n)
	}
	for _, r := range []struct {
		ticket string
		v      int
		sugg   string
	}{
		{"KOPI-2026-0002", 4, longSugg},
		{"KOPI-2026-0003", 3, ""},
		{"kopi-2026-0003", 1, "Survei kedua."},
		{"KOPI-2026-0001", 2, ""},
		{"KOPI-2026-0999", 1, "Tiket ngawur."},
	} {
		id := rate(e, r.ticket, r.v, r.sugg)
		s.ticket[id] = r.ticket
		if r.ticket == "KOPI-2026-0001" {
			s.live[id] = true
		}
		e.clock.Advance(time.Minute)
	}
	if rep := e.cycle(); rep.Surveys != 5 {
		t.Fatalf("surveys taken %d, want 5", rep.Surveys)
	}
	rows := e.tabRows("Survei")
	s.header = rows[0]
	for i, r := range rows[1:] {
		if id := cell(rows, i+1, "ID Respons"); id != "" {
			s.before[id] = r
		}
	}
	s.report = yearReport(e)
	if s.report.IKM.IKM.Respondents != 2 {
		t.Fatalf("report before the move counts %d respondents, want 2 (0002, 0003's first)", s.report.IKM.IKM.Respondents)
	}
	return s
}

// archiveEvening is when the scenario's archive is due.
var archiveEvening = time.Date(2026, 4, 7, 19, 0, 0, 0, wib)

func (s *surveyArchiveScenario) fork(t *testing.T) *surveyArchiveScenario {
	t.Helper()
	f := *s
	f.e = s.e.fork(t)
	return &f
}

// surveyIDs counts the response ids of a survey tab's rows.
func surveyIDs(rows [][]string, into map[string]int) {
	if len(rows) == 0 {
		return
	}
	col := column(rows, "ID Respons")
	for _, r := range rows[1:] {
		if col < len(r) && r[col] != "" {
			into[r[col]]++
		}
	}
}

// check asserts the survey archive's invariants: every survey exactly
// once across the Survei tab and "Arsip Survei 2026", those of archived
// (and unknown) tickets archived with every cell as the intake wrote it,
// the open case's survey live, the state tab's survey record written,
// the cases archived, and the report's IKM and flags as before the move.
func (s *surveyArchiveScenario) check(t *testing.T, label string) {
	t.Helper()
	e := s.e
	live, arch := e.tabRows("Survei"), e.tabRows(rules.SurveyArchiveTitle(2026))
	if arch == nil {
		t.Fatalf("%s: no tab %q", label, rules.SurveyArchiveTitle(2026))
	}
	if strings.Join(arch[0], "|") != strings.Join(s.header, "|") {
		t.Errorf("%s: survey archive header %q, want the Survei tab's %q", label, arch[0], s.header)
	}
	count := map[string]int{}
	surveyIDs(live, count)
	surveyIDs(arch, count)
	if len(count) != len(s.ticket) {
		t.Errorf("%s: surveys %v, want exactly %d", label, count, len(s.ticket))
	}
	liveIDs := map[string]int{}
	surveyIDs(live, liveIDs)
	for id, tk := range s.ticket {
		if count[id] != 1 {
			t.Errorf("%s: survey %s (%s) appears %d times across Survei and its archive", label, id, tk, count[id])
		}
		if s.live[id] != (liveIDs[id] == 1) {
			t.Errorf("%s: survey %s (%s) live = %v, want %v", label, id, tk, liveIDs[id] == 1, s.live[id])
		}
		if s.live[id] {
			continue
		}
		col := column(arch, "ID Respons")
		found := false
		for _, r := range arch[1:] {
			if col < len(r) && r[col] == id {
				found = true
				if strings.Join(r, "|") != strings.Join(s.before[id], "|") {
					t.Errorf("%s: archived survey %s\n got %q\nwant %q", label, id, r, s.before[id])
				}
			}
		}
		if !found {
			t.Errorf("%s: survey %s (%s) not in the archive", label, id, tk)
		}
	}
	// Each long text's tail lies beside its row: the live rows' in Teks
	// Panjang (and nothing else there), the archived rows' in the
	// archive's hidden tab.
	liveTails := tailsWhole(t, label, e, "Teks Panjang", "Konsultasi", "Survei")
	tailsWhole(t, label, e, "Arsip Teks Panjang 2026", rules.ArchiveTitle(2026), rules.SurveyArchiveTitle(2026))
	if liveTails != 1 {
		t.Errorf("%s: %d long texts live, want 1 (0001's question)", label, liveTails)
	}
	record := false
	for _, r := range e.tabRows("_kopi")[1:] {
		record = record || (len(r) > 0 && r[0] == "arsip-survei")
	}
	if !record {
		t.Errorf("%s: the state tab keeps no archived surveys' record", label)
	}
	for _, tk := range []string{"KOPI-2026-0002", "KOPI-2026-0003"} {
		if rowOf(e.rows(), tk) >= 0 || rowOf(e.tabRows(rules.ArchiveTitle(2026)), tk) < 0 {
			t.Errorf("%s: %s not archived", label, tk)
		}
	}
	r := yearReport(e)
	if !reflect.DeepEqual(r.IKM, s.report.IKM) || !reflect.DeepEqual(r.Flags, s.report.Flags) {
		t.Errorf("%s: report after the move\n IKM %+v flags %q\nwant IKM %+v flags %q", label, r.IKM.IKM, r.Flags, s.report.IKM.IKM, s.report.Flags)
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

// markerRE finds a long text's marker: its version and parts.
var markerRE = regexp.MustCompile(`lanjutan di tab Teks Panjang, versi ([0-9a-f]+), ([0-9]+) bagian\]`)

// tailsWhole checks that every long-text marker of the tabs has all its
// parts in the tail tab, and that the tail tab holds nothing else. It
// returns how many markers it found.
func tailsWhole(t *testing.T, label string, e *env, tails string, tabs ...string) int {
	t.Helper()
	parts := map[string]int{}
	tr := e.tabRows(tails)
	if tr != nil {
		vc := column(tr, "Versi")
		for _, r := range tr[1:] {
			if vc < len(r) && r[vc] != "" {
				parts[r[vc]]++
			}
		}
	}
	markers := 0
	for _, tab := range tabs {
		for _, r := range e.tabRows(tab) {
			for _, c := range r {
				for _, m := range markerRE.FindAllStringSubmatch(c, -1) {
					markers++
					n, _ := strconv.Atoi(m[2])
					if parts[m[1]] != n {
						t.Errorf("%s: tab %q: a long text (version %s) has %d of its %d parts in %q", label, tab, m[1], parts[m[1]], n, tails)
					}
					delete(parts, m[1])
				}
			}
		}
	}
	for v, n := range parts {
		t.Errorf("%s: %q holds %d parts of version %s no row of %q names", label, tails, n, v, tabs)
	}
	return markers
}

// TestArchiveMovesSurveysWithCases: the evening run takes the surveys of
// the archived cases, and the one naming no case, to "Arsip Survei
// 2026" in the same move; the open case's survey stays. The report
// counts each survey once, before and after. A respondent editing an
// archived survey does not make it a new one; a late survey for an
// archived ticket is kept (flagged) and follows the next night after a
// day; the report still reads the same.
func TestArchiveMovesSurveysWithCases(t *testing.T) {
	t.Parallel()
	underEach(t, formsFilterVariants, testArchiveMovesSurveysWithCases)
}

func testArchiveMovesSurveysWithCases(t *testing.T) {
	s := newSurveyArchiveScenario(t)
	e := s.e
	e.clock.Set(archiveEvening)
	rep := e.cycle()
	if rep.Archived != 2 || rep.ArchiveReturned != 0 {
		t.Fatalf("archive cycle: archived %d, returned %d; want 2, 0", rep.Archived, rep.ArchiveReturned)
	}
	s.check(t, "after the move")

	// An archived survey edited by its respondent is not taken again.
	var archivedID string
	for id, tk := range s.ticket {
		if tk == "KOPI-2026-0002" {
			archivedID = id
		}
	}
	if _, err := e.srv.EditResponse(e.cfg.Survey.FormID, archivedID, surveyAnswers(e, "KOPI-2026-0002", 1, "Diubah.")); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Minute)
	if rep := e.cycle(); rep.Surveys != 0 {
		t.Errorf("an edit of an archived survey was taken in again (%d surveys)", rep.Surveys)
	}
	s.check(t, "after an archived survey's edit")
	// The daily reconciliation lists every response again: none taken.
	eng := e.engine()
	eng.Reconcile()
	if rep, err := eng.RunCycle(e.ctx); err != nil || rep.Surveys != 0 || rep.NewCases != 0 {
		t.Fatalf("reconciliation: %+v, %v; want no survey or case taken", rep, err)
	}
	// kopi check's layout check is content with the survey archive tab.
	ws, err := e.connect()
	if err != nil {
		t.Fatal(err)
	}
	if lr, err := ws.Tracker.CheckLayout(e.ctx); err != nil || !lr.OK() {
		t.Fatalf("layout check after the move: %+v, %v", lr, err)
	}

	// A late survey for an archived ticket: kept, flagged, and not
	// counted (the case's first survey already rates it).
	late := rate(e, "KOPI-2026-0002", 2, "")
	e.clock.Advance(time.Minute)
	if rep := e.cycle(); rep.Surveys != 1 {
		t.Fatalf("late survey: %d taken, want 1", rep.Surveys)
	}
	if f := surveyRows(e)[late]["Catatan"]; f != string(rules.SurveyUnknownTicket) {
		t.Errorf("late survey flag %q, want %q", f, rules.SurveyUnknownTicket)
	}
	s.ticket[late] = "KOPI-2026-0002"
	s.live[late] = true
	s.before[late] = nil
	lateReport := yearReport(e)
	if !reflect.DeepEqual(lateReport.IKM, s.report.IKM) {
		t.Errorf("a late survey of an archived case changed the IKM: %+v, want %+v", lateReport.IKM.IKM, s.report.IKM.IKM)
	}
	// The same evening it is younger than a day: it stays.
	e.clock.Set(time.Date(2026, 4, 8, 19, 0, 0, 0, wib))
	e.cycle()
	if _, ok := surveyRows(e)[late]; !ok {
		t.Errorf("a survey taken in today was archived the same evening")
	}
	// A day later it follows its case.
	e.clock.Set(time.Date(2026, 4, 9, 19, 0, 0, 0, wib))
	e.cycle()
	s.live[late] = false
	for _, r := range e.tabRows(rules.SurveyArchiveTitle(2026))[1:] {
		if strings.Contains(strings.Join(r, "|"), late) {
			s.before[late] = r
		}
	}
	s.report = lateReport
	s.check(t, "the next nights")
}

// TestArchiveSurveysCrashAtEveryCall kills the daemon after each call of
// the archive cycle that also moves surveys, and separately lets each
// call be applied but lose its answer, then runs clean cycles through
// the next evening: every survey once across Survei and its archive,
// the report's IKM unchanged, no email twice. Nobody sorts (noSortByKopi).
func TestArchiveSurveysCrashAtEveryCall(t *testing.T) {
	t.Parallel()
	office := newSurveyArchiveScenario(t)
	office.e.clock.Set(archiveEvening)
	archiveNightCrashPoints(t, func(t *testing.T) (*env, func(*testing.T, string)) {
		s := office.fork(t)
		return s.e, func(t *testing.T, label string) {
			noSortByKopi(t, s.e)
			s.check(t, label)
		}
	}, time.Date(2026, 4, 8, 19, 0, 0, 0, wib))
}

// TestArchiveSurveysStaffSortBetweenReadAndWrite: staff sort the Survei
// tab and the live tab after kopi read them for the move and before the
// move's batchUpdate. A survey row moved in place of an intended one
// goes back to the Survei tab (with its anchor); none is lost, doubled
// or taken in again, and the next evening archives the rest.
func TestArchiveSurveysStaffSortBetweenReadAndWrite(t *testing.T) {
	t.Parallel()
	underEach(t, sortVariants, func(t *testing.T) {
		underEach(t, filterMissVariants, testArchiveSurveysStaffSortBetweenReadAndWrite)
	})
}

func testArchiveSurveysStaffSortBetweenReadAndWrite(t *testing.T) {
	s := newSurveyArchiveScenario(t)
	e := s.e
	e.clock.Set(archiveEvening)
	st := newStaff(e)
	liveID, surveyID := st.sheetID(), e.tabID("Survei")
	e.transport.mu.Lock()
	e.transport.before = func(req *http.Request) bool {
		if req.Method != http.MethodGet || !strings.Contains(req.URL.RawQuery, "gridProperties%28rowCount%2CcolumnCount%29%29%29") {
			return true
		}
		rows, sv := e.rows(), e.tabRows("Survei")
		st.batch(&sheets.Request{SortRange: &sheets.SortRangeRequest{
			Range:     &sheets.GridRange{SheetId: liveID, StartRowIndex: 1},
			SortSpecs: []*sheets.SortSpec{{DimensionIndex: int64(column(rows, "Nama")), SortOrder: "DESCENDING"}},
		}}, &sheets.Request{SortRange: &sheets.SortRangeRequest{
			Range:     &sheets.GridRange{SheetId: surveyID, StartRowIndex: 1},
			SortSpecs: []*sheets.SortSpec{{DimensionIndex: int64(column(sv, "Nomor Tiket")), SortOrder: "ASCENDING"}},
		}})
		return false
	}
	e.transport.mu.Unlock()
	rep := e.cycle()
	if rep.ArchiveReturned == 0 {
		t.Errorf("the sort did not get in the way: %+v", rep)
	}
	// A long text whose row stayed live kept its tail beside it (the
	// tail moved with the batch goes back with the row it belongs to).
	tailsWhole(t, "after the raced move", e, "Teks Panjang", "Konsultasi", "Survei")
	tailsWhole(t, "after the raced move", e, "Arsip Teks Panjang 2026", rules.ArchiveTitle(2026), rules.SurveyArchiveTitle(2026))
	// Every survey once, none taken again in later cycles.
	count := map[string]int{}
	surveyIDs(e.tabRows("Survei"), count)
	surveyIDs(e.tabRows(rules.SurveyArchiveTitle(2026)), count)
	for id := range s.ticket {
		if count[id] != 1 {
			t.Errorf("after the raced move survey %s appears %d times", id, count[id])
		}
	}
	e.clock.Advance(time.Minute)
	if rep := e.cycle(); rep.Surveys != 0 {
		t.Errorf("a cycle after the raced move took %d surveys again", rep.Surveys)
	}
	// The next evening archives the rest.
	e.clock.Set(time.Date(2026, 4, 8, 19, 0, 0, 0, wib))
	e.cycle()
	s.check(t, "after the next evening")
	// Every live survey row kept or got back its anchor: a new survey
	// appends with a fresh anchor id (a duplicate id would fail Sheets).
	e.clock.Set(time.Date(2026, 4, 9, 9, 0, 0, 0, wib))
	rate(e, "KOPI-2026-0001", 3, "")
	e.clock.Advance(time.Minute)
	if rep := e.cycle(); rep.Surveys != 1 {
		t.Errorf("a new survey after the raced move: %d taken, want 1", rep.Surveys)
	}
}

// tapTransport records the bodies of the spreadsheets.get answers.
type tapTransport struct {
	base http.RoundTripper
	mu   stdsync.Mutex
	gets [][]byte
}

func (tp *tapTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := tp.base.RoundTrip(req)
	if err != nil || req.Method != http.MethodGet || !strings.Contains(req.URL.Path, "/spreadsheets/") {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	tp.mu.Lock()
	tp.gets = append(tp.gets, body)
	tp.mu.Unlock()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

// TestArchiveSurveysLeaveTheIdleRead: once the surveys followed their
// cases, an idle cycle's read (its spreadsheets.get answer) holds none
// of them, and is smaller than the read before the move.
func TestArchiveSurveysLeaveTheIdleRead(t *testing.T) {
	t.Parallel()
	s := newSurveyArchiveScenario(t)
	e := s.e
	tap := &tapTransport{base: e.transport.base}
	e.transport.base = tap
	idleRead := func() []byte {
		tap.mu.Lock()
		tap.gets = nil
		tap.mu.Unlock()
		e.clock.Advance(15 * time.Minute)
		e.srv.ResetCalls()
		e.cycle()
		if n := e.srv.Calls()["sheets.spreadsheets.batchUpdate"]; n != 0 {
			t.Fatalf("the idle cycle wrote %d times", n)
		}
		tap.mu.Lock()
		defer tap.mu.Unlock()
		if len(tap.gets) != 1 {
			t.Fatalf("the idle cycle made %d spreadsheets.get calls, want 1", len(tap.gets))
		}
		return tap.gets[0]
	}
	before := idleRead()
	e.clock.Set(archiveEvening)
	if rep := e.cycle(); rep.Archived != 2 {
		t.Fatalf("archived %d, want 2", rep.Archived)
	}
	after := idleRead()
	for id := range s.ticket {
		if in := bytes.Contains(after, []byte(id)); in != s.live[id] {
			t.Errorf("the idle read holds survey %s (%s): %v, want %v", id, s.ticket[id], in, s.live[id])
		}
	}
	if len(after) >= len(before) {
		t.Errorf("idle read %d bytes after the move, %d before", len(after), len(before))
	}
	t.Logf("idle read: %d bytes before the move, %d after", len(before), len(after))
}
