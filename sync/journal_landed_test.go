package sync_test

import (
	"net/http"
	"testing"
	"time"

	"kopi/rules"
)

// TestJournalClosesWhenWritesLanded: a daemon that dies right after the
// commit that stamped an answered row leaves the row-write journal open.
// Its copy, taken in the commit's batch the instant before the writes,
// shows each written position on its own case's row and field, so the
// next read closes the journal without judging the rows against it: a
// stamp staff cleared in between stays cleared until a cycle decides
// again. (Judged against the copy, the cleared cell — back at what the
// copy shows — would be taken for a write that went elsewhere and
// written again before anything is decided.)
func TestJournalClosesWhenWritesLanded(t *testing.T) {
	t.Parallel()
	e := setup(t)
	topics := e.cfg.TopicNames()
	for i, n := range []string{"ani", "budi"} {
		e.submit(complete(n, topics[i]))
		e.clock.Advance(time.Minute)
	}
	e.cycle()
	answerRow(e, "KOPI-2026-0001", "Jawaban untuk Ani.", rules.StatusDijawab)
	e.clock.Advance(time.Minute)

	committed := false
	e.transport.mu.Lock()
	e.transport.before = func(req *http.Request) bool {
		if !rowWrite(req) {
			return true
		}
		e.transport.mu.Lock()
		e.transport.dieAfter = e.transport.calls
		e.transport.mu.Unlock()
		committed = true
		return false
	}
	e.transport.mu.Unlock()
	e.transport.arm(0, 0)
	if eng, err := e.tryEngine(); err == nil {
		_, _ = eng.RunCycle(e.ctx)
	}
	e.transport.setBefore(nil)
	e.transport.arm(0, 0)
	if !committed {
		t.Fatal("the cycle wrote no row")
	}
	if open := stateRecords(e, "jurnal"); len(open) != 1 || open[0]["nilai"] != "terbuka" {
		t.Fatalf("journal records after the crash: %v, want one open", open)
	}
	rows := e.rows()
	r := rowOf(rows, "KOPI-2026-0001")
	if cell(rows, r, "Dijawab Pada") == "" {
		t.Fatalf("the commit did not stamp the answer: %q", rows[r])
	}
	// Staff clear the stamp before the daemon comes back.
	newStaff(e).set(a1(column(rows, "Dijawab Pada"), r), "")

	ws, err := e.connect()
	if err != nil {
		t.Fatal(err)
	}
	e.srv.ResetCalls()
	if _, _, err := ws.Tracker.Read(e.ctx); err != nil {
		t.Fatal(err)
	}
	rows = e.rows()
	if got := cell(rows, rowOf(rows, "KOPI-2026-0001"), "Dijawab Pada"); got != "" {
		t.Errorf("the recovery wrote the stamp staff cleared back: %q", got)
	}
	if open := stateRecords(e, "jurnal"); len(open) != 1 || open[0]["nilai"] != "tutup" {
		t.Errorf("journal records after the read: %v, want one closed", open)
	}
	// The read, the journal's, the close, the read again: no row written.
	calls := e.srv.Calls()
	if calls["sheets.spreadsheets.get"] != 3 || calls["sheets.spreadsheets.batchUpdate"] != 1 || calls["sheets.spreadsheets.values.batchUpdateByDataFilter"] != 0 {
		t.Errorf("recovering read made %v, want 3 gets and 1 batchUpdate (the close)", calls)
	}
}

// TestRewriteWithoutEmailClosesJournal: a cycle that rewrites a row and
// sends no email (status Dijawab with no answer: a note only) has no
// delivery record to close the row-write journal with, so it closes it
// at its end (one call), and the next cycle is idle: two calls.
func TestRewriteWithoutEmailClosesJournal(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.submit(complete("ani", e.cfg.TopicNames()[0]))
	e.cycle()
	answerRow(e, "KOPI-2026-0001", "", rules.StatusDijawab)
	e.clock.Advance(time.Minute)
	eng := e.engine()
	e.srv.ResetCalls()
	rep, err := eng.RunCycle(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Updated != 1 || rep.Drafted+rep.Sent != 0 {
		t.Fatalf("want a cycle rewriting one row and emailing nothing: %+v", rep)
	}
	calls := e.srv.Calls()
	if s, _, g := callsOf(calls); s != 3 || g != 0 {
		t.Errorf("%v: want 3 Sheets calls (read, commit, the journal's close) and no Gmail call", calls)
	}
	if open := stateRecords(e, "jurnal"); len(open) != 1 || open[0]["nilai"] != "tutup" {
		t.Errorf("journal records after the cycle: %v, want one closed", open)
	}
	e.clock.Advance(time.Minute)
	e.srv.ResetCalls()
	if _, err := eng.RunCycle(e.ctx); err != nil {
		t.Fatal(err)
	}
	if s, f, g := callsOf(e.srv.Calls()); s+f+g != 2 {
		t.Errorf("the next cycle made %v, want an idle cycle's two calls", e.srv.Calls())
	}
}
