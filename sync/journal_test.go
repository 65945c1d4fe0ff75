package sync_test

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"google.golang.org/api/sheets/v4"

	"kopi/rules"
)

// isRowWrite tells kopi's write of existing rows' cells: a
// spreadsheets.batchUpdate journaling each cell in the state tab
// (google/journal.go), or a values.batchUpdateByDataFilter by anchor.
func isRowWrite(req *http.Request) bool {
	if req.Method != http.MethodPost {
		return false
	}
	if strings.HasSuffix(req.URL.Path, ":batchUpdateByDataFilter") {
		return true
	}
	return isJournaled(req)
}

// isJournaled tells a journaled row write from the other batchUpdates
// (it carries journal records, kind "tulis").
func isJournaled(req *http.Request) bool {
	if req.Method != http.MethodPost || !strings.HasSuffix(req.URL.Path, ":batchUpdate") || strings.Contains(req.URL.Path, "/values") || req.Body == nil {
		return false
	}
	body, err := io.ReadAll(req.Body)
	_ = req.Body.Close()
	req.Body = io.NopCloser(bytes.NewReader(body))
	return err == nil && bytes.Contains(body, []byte(`"stringValue":"tulis"`))
}

// TestSortThenCrashBeforeVerify: staff sort the tab (and, in one case,
// insert a blank row at the top) between kopi's read and its write of an
// answered row's stamp, and the daemon dies — right after that write, or
// right after the commit that follows it, before VerifyLayout can check
// the rows. Under either sort behaviour the restarted daemon finds the
// stamp where it belongs: in the answered row only, every other row as
// staff and requesters left it (issue #15, once simKnownOpen). Without a
// crash the cycle that wrote leaves the rows so itself.
func TestSortThenCrashBeforeVerify(t *testing.T) {
	t.Parallel()
	underEach(t, sortVariants, func(t *testing.T) {
		for _, tc := range []struct {
			name   string
			insert bool
			crash  string // "write": right after the row write; "commit": right after the commit
		}{
			{"sort/crash-after-write", false, "write"},
			{"sort/crash-after-commit", false, "commit"},
			{"sort-insert/crash-after-write", true, "write"},
			{"sort-insert/crash-after-commit", true, "commit"},
			// No crash: the cycle that wrote repairs its own writes.
			{"sort/no-crash", false, ""},
			{"sort-insert/no-crash", true, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
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
				sorted, crashed := false, false
				die := func() {
					e.transport.mu.Lock()
					e.transport.dieAfter = e.transport.calls
					e.transport.mu.Unlock()
					crashed = true
				}
				e.transport.mu.Lock()
				e.transport.before = func(req *http.Request) bool {
					switch {
					case !sorted && isRowWrite(req):
						sorted = true
						sortByName(e, st)
						if tc.insert {
							st.batch(&sheets.Request{InsertDimension: &sheets.InsertDimensionRequest{
								Range: &sheets.DimensionRange{SheetId: st.sheetID(), Dimension: "ROWS", StartIndex: 1, EndIndex: 2}}})
						}
						if tc.crash == "write" {
							die()
							return false
						}
					case sorted && tc.crash == "commit" && isCommit(req):
						die()
						return false
					}
					return true
				}
				e.transport.mu.Unlock()
				e.clock.Advance(time.Minute)
				if tc.crash == "" {
					e.cycle()
					if !sorted {
						t.Fatal("the cycle wrote no row")
					}
				} else {
					_, _ = e.engine().RunCycle(e.ctx) // dies
					if !sorted || !crashed {
						t.Fatalf("the cycle never reached the point of the crash (sorted %v, crashed %v)", sorted, crashed)
					}
					e.transport.arm(0, 0)
					e.transport.mu.Lock()
					e.transport.before = nil
					e.transport.mu.Unlock()
					e.clock.Advance(time.Minute)
					e.cycle() // the restarted daemon
					e.clock.Advance(time.Minute)
					e.cycle()
				}
				rows = e.rows()
				for tk, name := range names {
					r := rowOf(rows, tk)
					if r < 0 {
						t.Fatalf("%s: no row", tk)
					}
					if got := cell(rows, r, "Nama"); got != name {
						t.Errorf("%s: Nama = %q, want %q", tk, got, name)
					}
					if got := cell(rows, r, "Catatan Staf"); got != "staf-"+tk {
						t.Errorf("%s: staff cell = %q", tk, got)
					}
					by, at := cell(rows, r, "Dijawab Oleh"), cell(rows, r, "Dijawab Pada")
					if tk == "KOPI-2026-0001" {
						if by == "" || at == "" || cell(rows, r, "Jawaban") != "Jawaban untuk Ani." {
							t.Errorf("%s: answered row = by %q at %q, answer %q", tk, by, at, cell(rows, r, "Jawaban"))
						}
						continue
					}
					if by != "" || at != "" || cell(rows, r, "Jawaban") != "" {
						t.Errorf("%s: another row's answer stamp landed here: by %q at %q", tk, by, at)
					}
					if got := cell(rows, r, "Status"); got != string(rules.StatusDitugaskan) {
						t.Errorf("%s: Status = %q", tk, got)
					}
				}
				// No kopi value stays in a row without a ticket.
				ti := column(rows, "No. Tiket")
				for r := 1; r < len(rows); r++ {
					if ti < len(rows[r]) && rows[r][ti] != "" {
						continue
					}
					for c, v := range rows[r] {
						if v != "" && c < width {
							t.Errorf("row %d has no ticket but %q = %q", r, rows[0][c], v)
						}
					}
				}
			})
		}
	})
}

// TestJournalKeepsIdleCycleAtTwoCalls: after a cycle that wrote existing
// rows (staff cleared the WhatsApp links kopi derives, kopi wrote them
// back, journaled), the journal records of those writes — each landed in
// its own row — cost the following idle cycles nothing: two calls each,
// no write.
func TestJournalKeepsIdleCycleAtTwoCalls(t *testing.T) {
	t.Parallel()
	e := setup(t)
	backlog(e, 3)
	e.cycle()
	all := e.rows()
	li := column(all, "Tautan WhatsApp")
	st := newStaff(e)
	for r := 1; r < len(all); r++ {
		st.set(a1(li, r), "")
	}
	e.clock.Advance(time.Minute)
	e.cycle()
	journal := 0
	for _, r := range e.tabRows("_kopi") {
		if len(r) > 0 && r[0] == "tulis" {
			journal++
		}
	}
	if journal == 0 {
		t.Fatal("the cycle that wrote the links left no journal record")
	}
	eng := e.engine() // a running daemon: the form's questions are known
	for i := range 2 {
		e.srv.ResetCalls()
		e.clock.Advance(time.Minute)
		if _, err := eng.RunCycle(e.ctx); err != nil {
			t.Fatal(err)
		}
		if s, f, g := callsOf(e.srv.Calls()); s+f+g != 2 {
			t.Errorf("idle cycle %d after the row writes: %d calls %v", i+1, s+f+g, e.srv.Calls())
		}
	}
}

// TestStateTabWithoutJournalColumns: a state tab made before the
// journal's columns existed (until `kopi init` adds them) still gets its
// rows written — by anchor, as before, one values.batchUpdateByDataFilter
// — and no journal record.
func TestStateTabWithoutJournalColumns(t *testing.T) {
	t.Parallel()
	e := setup(t)
	backlog(e, 2)
	e.cycle()
	st := newStaff(e)
	ss, err := st.svc.Spreadsheets.Get(e.sheetID).Do()
	if err != nil {
		t.Fatal(err)
	}
	state := e.tabRows("_kopi")
	first := len(state[0]) - 3
	if got := state[0][first:]; got[0] != "tiket baris" || got[1] != "nilai lama" || got[2] != "baris" {
		t.Fatalf("state header ends with %q, want the journal's columns", got)
	}
	for _, sh := range ss.Sheets {
		if sh.Properties.Title == "_kopi" {
			st.batch(&sheets.Request{DeleteDimension: &sheets.DeleteDimensionRequest{Range: &sheets.DimensionRange{
				SheetId: sh.Properties.SheetId, Dimension: "COLUMNS", StartIndex: int64(first), EndIndex: int64(first + 3)}}})
		}
	}
	all := e.rows()
	li := column(all, "Tautan WhatsApp")
	want := map[int]string{}
	for r := 1; r < len(all); r++ {
		want[r] = all[r][li]
		st.set(a1(li, r), "")
	}
	e.srv.ResetCalls()
	e.clock.Advance(time.Minute)
	e.cycle()
	if got := e.srv.Calls()["sheets.spreadsheets.values.batchUpdateByDataFilter"]; got != 1 {
		t.Errorf("%d writes by anchor, want 1 (calls %v)", got, e.srv.Calls())
	}
	after := e.rows()
	for r, link := range want {
		if after[r][li] != link {
			t.Errorf("row %d: link %q, want %q", r, after[r][li], link)
		}
	}
	for _, r := range e.tabRows("_kopi") {
		if len(r) > 0 && r[0] == "tulis" {
			t.Errorf("journal record %q in a state tab without the journal's columns", r)
		}
	}
}
