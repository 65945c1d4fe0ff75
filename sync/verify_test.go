package sync_test

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"google.golang.org/api/sheets/v4"

	"kopi/google"
	"kopi/rules"
)

// isCommit tells the cycle's commit (spreadsheets.batchUpdate; with
// existing rows to write, the one that opens the row-write journal with
// its copy) from the other Sheets writes (values.batchUpdateByDataFilter,
// the journal's own batchUpdates).
func isCommit(req *http.Request) bool {
	return req.Method == http.MethodPost && strings.HasSuffix(req.URL.Path, ":batchUpdate") && !strings.Contains(req.URL.Path, "/values") &&
		(!isJournal(req) || rowWrite(req))
}

// isJournal tells a batchUpdate naming the row-write journal's tab (the
// commit that opens it, a recovery's listing, a close) from the others.
func isJournal(req *http.Request) bool {
	return bodyHas(req, strconv.FormatInt(google.JournalSheetID, 10))
}

// rowWrite tells a call that writes existing rows: the commit carrying
// them (it copies the tab into the row-write journal first), or a write
// by anchor (SOP rows, a journal's put-back: values.batchUpdateByDataFilter).
func rowWrite(req *http.Request) bool {
	if req.Method != http.MethodPost {
		return false
	}
	return strings.HasSuffix(req.URL.Path, ":batchUpdateByDataFilter") ||
		strings.HasSuffix(req.URL.Path, ":batchUpdate") && !strings.Contains(req.URL.Path, "/values") && bodyHas(req, `"copyPaste"`)
}

// bodyHas reports whether a request's body holds s, leaving the body
// readable.
func bodyHas(req *http.Request, s string) bool {
	if req.Body == nil {
		return false
	}
	body, err := io.ReadAll(req.Body)
	_ = req.Body.Close()
	req.Body = io.NopCloser(bytes.NewReader(body))
	return err == nil && bytes.Contains(body, []byte(s))
}

// TestColumnMoveAroundTheCommit: the layout check of a busy cycle comes
// from the commit's own response. Staff move a column between the
// update of existing rows and the commit, or right after the commit
// (before the rest of the cycle). Every value ends under its own header
// and staff cells stay; a move before
// the commit is noticed and repaired, and the busy cycle checks the
// layout with no spreadsheets.get after its commit (one, after a repair).
// Nothing sorts here (setupUnsorted), so one sort variant covers both.
func TestColumnMoveAroundTheCommit(t *testing.T) {
	t.Parallel()
	underEach(t, oneSortVariant, func(t *testing.T) {
		for _, when := range []string{"none", "update-commit", "commit-end"} {
			t.Run(when, func(t *testing.T) {
				t.Parallel()
				e := setupUnsorted(t)
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
				e.transport.setBefore(nil)
				if !committed || (when != "none" && !moved) {
					t.Fatalf("committed %v, moved %v", committed, moved)
				}
				if when == "update-commit" && rep.Repaired == 0 {
					t.Errorf("the column move before the commit was not noticed: %+v", rep)
				}
				if when != "update-commit" && rep.Repaired != 0 {
					t.Errorf("repaired %d rows, want none: the writes were all in place", rep.Repaired)
				}
				// After a move before the commit, the cells Budi's row write
				// put in the wrong columns are put right from the journal's
				// copy (one read of the journal, one of the tab; the repair's
				// own response reads the layout back), Dewi's new row by its
				// anchor, and the layout is read once more to confirm it;
				// otherwise the commit's response was the check.
				wantGets := 0
				if when == "update-commit" {
					wantGets = 3
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

// TestColumnMoveWithoutCommit: a cycle that only notes a row (status
// Dijawab with no answer: the case does not move on, so no transition is
// recorded) still writes the row through a commit, whose response reads
// the layout back. Staff move a column between kopi's read and its
// write: the move is noticed, the note ends in that row under its own
// header, and staff cells stay.
func TestColumnMoveWithoutCommit(t *testing.T) {
	t.Parallel()
	underEach(t, oneSortVariant, func(t *testing.T) {
		e := setupUnsorted(t)
		topics := e.cfg.TopicNames()
		for _, n := range []string{"ani", "budi"} {
			e.submit(complete(n, topics[0]))
			e.clock.Advance(time.Minute)
		}
		e.cycle()
		st := newStaff(e)
		sheetID := st.sheetID()
		rows := e.rows()
		width := len(rows[0])
		st.batch(&sheets.Request{AppendDimension: &sheets.AppendDimensionRequest{SheetId: sheetID, Dimension: "COLUMNS", Length: 1}})
		st.set(a1(width, 0), "Catatan Staf")
		for _, tk := range []string{"KOPI-2026-0001", "KOPI-2026-0002"} {
			st.set(a1(width, rowOf(rows, tk)), "staf-"+tk)
		}
		answerRow(e, "KOPI-2026-0001", "", rules.StatusDijawab)
		committed, moved := false, false
		e.transport.mu.Lock()
		e.transport.before = func(req *http.Request) bool {
			if !strings.Contains(req.URL.Path, "spreadsheets") {
				return true
			}
			if isCommit(req) {
				committed = true
			}
			if req.Method == http.MethodPost && !moved {
				cur := e.rows()
				staf := int64(column(cur, "Catatan Staf"))
				st.batch(&sheets.Request{MoveDimension: &sheets.MoveDimensionRequest{
					Source:           &sheets.DimensionRange{SheetId: sheetID, Dimension: "COLUMNS", StartIndex: staf, EndIndex: staf + 1},
					DestinationIndex: 1,
				}})
				moved = true
			}
			return true
		}
		e.transport.mu.Unlock()
		e.clock.Advance(time.Minute)
		rep := e.cycle()
		e.transport.setBefore(nil)
		if !committed || !moved || rep.Updated != 1 {
			t.Fatalf("committed %v, moved %v, updated %d: want a notes-only commit with a move", committed, moved, rep.Updated)
		}
		if rep.Repaired == 0 {
			t.Errorf("the column move was not noticed: %+v", rep)
		}
		rows = e.rows()
		a, b := rowOf(rows, "KOPI-2026-0001"), rowOf(rows, "KOPI-2026-0002")
		if !strings.Contains(cell(rows, a, "Catatan Sistem"), "Jawaban kosong") || cell(rows, a, "Status") != string(rules.StatusDijawab) {
			t.Errorf("noted row: notes %q, status %q", cell(rows, a, "Catatan Sistem"), cell(rows, a, "Status"))
		}
		if cell(rows, b, "Catatan Sistem") != "" || cell(rows, b, "Status") != string(rules.StatusDitugaskan) {
			t.Errorf("the note landed in another row: notes %q, status %q", cell(rows, b, "Catatan Sistem"), cell(rows, b, "Status"))
		}
		for _, tk := range []string{"KOPI-2026-0001", "KOPI-2026-0002"} {
			if got := cell(rows, rowOf(rows, tk), "Catatan Staf"); got != "staf-"+tk {
				t.Errorf("%s: staff cell = %q", tk, got)
			}
			if got := cell(rows, rowOf(rows, tk), "Nama"); got == "" || strings.HasPrefix(got, "staf-") {
				t.Errorf("%s: Nama = %q", tk, got)
			}
		}
	})
}

// TestLayoutReadBackCoversOnlyEarlierWrites: the layout a commit reads
// back vouches for the writes made before or in it, never for a later
// one. A backlog's first commit writes a row and reads the layout back,
// staff move a column, and the last commit writes another row at the
// read-time positions: the check must notice the move and put the value
// back.
func TestLayoutReadBackCoversOnlyEarlierWrites(t *testing.T) {
	t.Parallel()
	underEach(t, oneSortVariant, func(t *testing.T) {
		e := setupUnsorted(t)
		topics := e.cfg.TopicNames()
		for _, n := range []string{"ani", "budi"} {
			e.submit(complete(n, topics[0]))
			e.clock.Advance(time.Minute)
		}
		e.cycle()
		st := newStaff(e)
		sheetID := st.sheetID()
		rows := e.rows()
		width := len(rows[0])
		st.batch(&sheets.Request{AppendDimension: &sheets.AppendDimensionRequest{SheetId: sheetID, Dimension: "COLUMNS", Length: 1}})
		st.set(a1(width, 0), "Catatan Staf")
		tickets := []string{"KOPI-2026-0001", "KOPI-2026-0002"}
		for _, tk := range tickets {
			st.set(a1(width, rowOf(rows, tk)), "staf-"+tk)
		}

		tr := e.workspace().Tracker
		snap, tx, err := tr.Read(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		byTicket := map[string]rules.TrackedCase{}
		for _, c := range snap.Cases {
			c.Status = rules.StatusDijawab
			byTicket[c.Ticket.String()] = c
		}
		update := func(tk string) []rules.CaseUpdate {
			return []rules.CaseUpdate{{Case: byTicket[tk], Fields: []rules.CaseField{rules.CFStatus}}}
		}
		if err := tx.CommitPart(e.ctx, &rules.Changes{Updates: update(tickets[0])}); err != nil {
			t.Fatal(err)
		}
		cur := e.rows()
		staf := int64(column(cur, "Catatan Staf"))
		st.batch(&sheets.Request{MoveDimension: &sheets.MoveDimensionRequest{
			Source:           &sheets.DimensionRange{SheetId: sheetID, Dimension: "COLUMNS", StartIndex: staf, EndIndex: staf + 1},
			DestinationIndex: 1,
		}})
		if err := tx.Commit(e.ctx, &rules.Changes{Updates: update(tickets[1]), Cursor: snap.State.Cursor.Add(time.Second)}); err != nil {
			t.Fatal(err)
		}
		n, err := tx.VerifyLayout(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			t.Errorf("the column moved before the last write was not noticed")
		}
		rows = e.rows()
		for _, tk := range tickets {
			r := rowOf(rows, tk)
			if got := cell(rows, r, "Status"); got != string(rules.StatusDijawab) {
				t.Errorf("%s: Status = %q", tk, got)
			}
			if got := cell(rows, r, "Catatan Staf"); got != "staf-"+tk {
				t.Errorf("%s: staff cell = %q", tk, got)
			}
		}
	})
}

// TestTicketColumnMoveBeforeTheCommit: staff move the ticket column
// itself to the end between kopi's read and the commit that stamps an
// answered row. The commit reads back the column where the tickets were,
// which now holds another; the rows' tickets at the write come from the
// row-write journal's copy instead, and the cells written under shifted
// columns are put right: the stamp ends in Ani's row under its own
// headers and every other cell keeps its value.
func TestTicketColumnMoveBeforeTheCommit(t *testing.T) {
	t.Parallel()
	underEach(t, oneSortVariant, func(t *testing.T) {
		e := setupUnsorted(t)
		topics := e.cfg.TopicNames()
		names := map[string]string{"KOPI-2026-0001": "ani", "KOPI-2026-0002": "budi"}
		for _, n := range []string{"ani", "budi"} {
			e.submit(complete(n, topics[0]))
			e.clock.Advance(time.Minute)
		}
		e.cycle()
		answerRow(e, "KOPI-2026-0001", "Jawaban untuk Ani.", rules.StatusDijawab)
		e.clock.Advance(time.Minute)
		before := e.rows()
		st := newStaff(e)
		sheetID := st.sheetID()
		moved := false
		e.transport.mu.Lock()
		e.transport.before = func(req *http.Request) bool {
			if !rowWrite(req) {
				return true
			}
			cur := e.rows()
			tc := int64(column(cur, "No. Tiket"))
			st.batch(&sheets.Request{MoveDimension: &sheets.MoveDimensionRequest{
				Source:           &sheets.DimensionRange{SheetId: sheetID, Dimension: "COLUMNS", StartIndex: tc, EndIndex: tc + 1},
				DestinationIndex: int64(len(cur[0])),
			}})
			moved = true
			return false
		}
		e.transport.mu.Unlock()
		rep := e.cycle()
		e.transport.setBefore(nil)
		if !moved || rep.Updated == 0 {
			t.Fatalf("moved %v, report %+v: want the ticket column moved before a row write", moved, rep)
		}
		if rep.Repaired == 0 {
			t.Errorf("the shifted cells were not noticed: %+v", rep)
		}
		rows := e.rows()
		for tk, name := range names {
			r := rowOf(rows, tk)
			if r < 0 {
				t.Fatalf("%s has no row", tk)
			}
			if got := cell(rows, r, "Nama"); got != name {
				t.Errorf("%s: Nama = %q, want %q", tk, got, name)
			}
			by, at := cell(rows, r, "Dijawab Oleh"), cell(rows, r, "Dijawab Pada")
			if tk == "KOPI-2026-0001" {
				if by == "" || at == "" {
					t.Errorf("%s: stamp by %q at %q, want both", tk, by, at)
				}
			} else if by != "" || at != "" {
				t.Errorf("%s: another row's stamp landed here: by %q at %q", tk, by, at)
			}
			// Every cell kopi does not stamp keeps its value.
			b := rowOf(before, tk)
			for _, h := range before[0] {
				switch h {
				case "Dijawab Oleh", "Dijawab Pada", "Status", "Catatan Sistem", "Tautan WhatsApp":
					continue
				}
				if got, want := cell(rows, r, h), cell(before, b, h); got != want {
					t.Errorf("%s: %s = %q, want %q", tk, h, got, want)
				}
			}
		}
		e.cycle()
		if open := stateRecords(e, "jurnal"); len(open) != 1 || open[0]["nilai"] != "tutup" {
			t.Errorf("journal records: %v, want one closed", open)
		}
	})
}
