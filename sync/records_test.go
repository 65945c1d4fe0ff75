package sync_test

import (
	"strings"
	"testing"
	"time"

	"google.golang.org/api/sheets/v4"

	"kopi/rules"
)

// stateRecords returns the _kopi tab's records of a kind, each as its
// cells by header.
func stateRecords(e *env, kind string) []map[string]string {
	e.t.Helper()
	v, err := e.srv.SpreadsheetValues(e.sheetID, "_kopi")
	if err != nil {
		e.t.Fatal(err)
	}
	var out []map[string]string
	for _, row := range v[1:] {
		if len(row) == 0 || row[0] != kind {
			continue
		}
		rec := map[string]string{}
		for i, h := range v[0] {
			if i < len(row) {
				rec[h] = row[i]
			}
		}
		out = append(out, rec)
	}
	return out
}

// TestAnswerRekeyedBeforeDraftKeepsItsRecord: an approved answer whose
// email waits (the daily limit) and whose text staff then change takes
// the new text's key when it is drafted. The outbox records progress
// after that change: the record is found by its ID, which never changes,
// so the one record moves on (drafted, sent) and no second is made; the
// answer goes out once, with the new text.
//
// A state tab made before the id column existed (until `kopi init` adds
// it) works the same: the IDs are then derived from the records as read.
func TestAnswerRekeyedBeforeDraftKeepsItsRecord(t *testing.T) {
	t.Parallel()
	for _, idColumn := range []bool{true, false} {
		name := "with-id-column"
		if !idColumn {
			name = "without-id-column"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			testAnswerRekeyed(t, idColumn)
		})
	}
}

func testAnswerRekeyed(t *testing.T, idColumn bool) {
	e := setup(t)
	if !idColumn {
		dropStateIDColumn(e)
	}
	e.submit(complete("ani", e.cfg.TopicNames()[0]))
	e.cycle()
	e.cfg.Mail.DailyLimit = len(e.srv.Sent("me")) // today's budget is spent
	e.clock.Advance(time.Hour)
	answerRow(e, "KOPI-2026-0001", answerText, rules.StatusDijawab)
	e.cycle()
	e.clock.Advance(10 * time.Minute)
	answerRow(e, "KOPI-2026-0001", "", rules.StatusDisetujui)
	if rep := e.cycle(); rep.Deferred == 0 {
		t.Fatalf("the answer was not deferred: %+v", rep)
	}
	queued := answerRecords(e)
	if len(queued) != 1 || queued[0]["nilai"] != string(rules.DeliveryQueued) || (queued[0]["id"] == "") == idColumn {
		t.Fatalf("answer records before the edit = %v, want one queued with an id", queued)
	}

	const edited = "Jawaban yang diperbaiki: tindak lanjut paling lambat 60 hari."
	answerRow(e, "KOPI-2026-0001", edited, rules.StatusDisetujui)
	e.clock.Advance(24 * time.Hour) // a new day, a new budget
	e.cycle()
	e.clock.Advance(time.Minute)
	e.cycle()

	answers := sentTo(e, "Re: ")
	if len(answers) != 1 || !strings.Contains(answers[0].Text, "Jawaban yang diperbaiki") {
		for _, a := range answers {
			t.Logf("answer %q:\n%s", a.Subject, a.Text)
		}
		t.Fatalf("answers sent = %d, want one with the edited text", len(answers))
	}
	after := answerRecords(e)
	if len(after) != 1 {
		t.Fatalf("answer records after the send = %v, want the one record", after)
	}
	if after[0]["id"] != queued[0]["id"] || after[0]["nilai"] != string(rules.DeliverySent) {
		t.Errorf("record %v, want id %s and state %s", after[0], queued[0]["id"], rules.DeliverySent)
	}
	if after[0]["kunci"] == queued[0]["kunci"] {
		t.Errorf("the record kept the old answer's key %s", after[0]["kunci"])
	}
	if n := draftsLeft(e); n != 0 {
		t.Errorf("drafts left behind: %d", n)
	}
}

// answerRecords are the outbox records of answer emails.
func answerRecords(e *env) []map[string]string {
	var out []map[string]string
	for _, r := range stateRecords(e, "surel") {
		if strings.HasPrefix(r["keterangan"], "jawaban|") {
			out = append(out, r)
		}
	}
	return out
}

// dropStateIDColumn removes the id column of the _kopi tab, as in a
// tracker initialised before the column existed.
func dropStateIDColumn(e *env) {
	e.t.Helper()
	st := newStaff(e)
	ss, err := st.svc.Spreadsheets.Get(e.sheetID).Do()
	if err != nil {
		e.t.Fatal(err)
	}
	v, err := e.srv.SpreadsheetValues(e.sheetID, "_kopi")
	if err != nil {
		e.t.Fatal(err)
	}
	col := -1
	for i, h := range v[0] {
		if h == "id" {
			col = i
		}
	}
	for _, sh := range ss.Sheets {
		if sh.Properties.Title == "_kopi" && col >= 0 {
			st.batch(&sheets.Request{DeleteDimension: &sheets.DeleteDimensionRequest{Range: &sheets.DimensionRange{
				SheetId: sh.Properties.SheetId, Dimension: "COLUMNS", StartIndex: int64(col), EndIndex: int64(col) + 1,
			}}})
			return
		}
	}
	e.t.Fatal("no id column in _kopi")
}

// TestBeatFollowsItsRecordWhenStateRowsMove: the yearly compaction
// deletes state records while a daemon holds the lock. The daemon's next
// beat still lands on its own record — found by its anchor, not by the
// row it had when the claim was read — and no other record is touched.
func TestBeatFollowsItsRecordWhenStateRowsMove(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.submit(complete("ani", e.cfg.TopicNames()[0]))
	e.submit(complete("budi", e.cfg.TopicNames()[1]))
	e.cycle() // ledger and outbox records above the claim
	lock := e.lockOn("server-kantor", nil)
	if err := lock.Acquire(e.ctx); err != nil {
		t.Fatal(err)
	}
	before := stateRecords(e, "respons")
	if len(before) != 2 {
		t.Fatalf("ledger = %v", before)
	}
	// Compaction: the first ledger record goes (its row is deleted).
	st := newStaff(e)
	ss, err := st.svc.Spreadsheets.Get(e.sheetID).Do()
	if err != nil {
		t.Fatal(err)
	}
	v, err := e.srv.SpreadsheetValues(e.sheetID, "_kopi")
	if err != nil {
		t.Fatal(err)
	}
	first := -1
	for i, row := range v {
		if len(row) > 0 && row[0] == "respons" {
			first = i
			break
		}
	}
	for _, sh := range ss.Sheets {
		if sh.Properties.Title == "_kopi" {
			st.batch(&sheets.Request{DeleteDimension: &sheets.DeleteDimensionRequest{Range: &sheets.DimensionRange{
				SheetId: sh.Properties.SheetId, Dimension: "ROWS", StartIndex: int64(first), EndIndex: int64(first) + 1,
			}}})
		}
	}
	others := func() []map[string]string {
		var out []map[string]string
		for _, kind := range []string{"respons", "surel", "kursor"} {
			out = append(out, stateRecords(e, kind)...)
		}
		return out
	}
	kept := others()
	e.clock.Advance(5 * time.Minute)
	if err := lock.Beat(e.ctx); err != nil {
		t.Fatal(err)
	}
	beats := stateRecords(e, "detak")
	if len(beats) != 1 || beats[0]["kunci"] != lock.Instance() {
		t.Fatalf("heartbeat records = %v", beats)
	}
	if want := e.clock.Now().UTC().Format(time.RFC3339Nano); beats[0]["nilai"] != want {
		t.Errorf("beat = %q, want %q", beats[0]["nilai"], want)
	}
	after := others()
	if len(after) != len(kept) {
		t.Fatalf("records %d → %d after the beat", len(kept), len(after))
	}
	for i := range kept {
		for k, v := range kept[i] {
			if after[i][k] != v {
				t.Errorf("record %d: %s = %q, was %q", i, k, after[i][k], v)
			}
		}
	}
}

// TestOlderReadRefusesToWrite: the positions a read found belong to its
// transaction; once the tracker is read again, the older transaction
// refuses to write instead of writing where its read saw the records.
func TestOlderReadRefusesToWrite(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.submit(complete("ani", e.cfg.TopicNames()[0]))
	e.cycle()
	tr := e.workspace().Tracker
	snap, old, err := tr.Read(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := tr.Read(e.ctx); err != nil {
		t.Fatal(err)
	}
	if err := old.Commit(e.ctx, &rules.Changes{Cursor: snap.State.Cursor.Add(time.Second)}); err == nil {
		t.Fatal("a transaction of an older read wrote")
	}
	if err := old.SaveDeliveries(e.ctx, snap.State.Outbox[:1]); err == nil {
		t.Fatal("a transaction of an older read saved a delivery")
	}
}
