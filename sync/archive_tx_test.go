package sync_test

import (
	"strconv"
	"testing"
	"time"

	"kopi/rules"
)

// maxDeliveryID returns the highest numeric delivery ID in the state
// tab and the ticket of its record.
func maxDeliveryID(e *env) (int64, string) {
	var top int64
	ticket := ""
	for _, r := range stateRecords(e, "surel") {
		if n, err := strconv.ParseInt(r["id"], 10, 64); err == nil && n > top {
			top, ticket = n, r["tiket"]
		}
	}
	return top, ticket
}

// TestArchiveNeverReusesDeliveryIDs: a new delivery's ID is the highest
// read + 1, and the archive deletes the deliveries of the cases it moves
// — here the answer, the highest of all. The archive record keeps the
// mark, so the next deliveries get IDs no record ever had.
func TestArchiveNeverReusesDeliveryIDs(t *testing.T) {
	t.Parallel()
	e := setupWith(t, func(c *rules.Config) { c.Archive.AfterDays = new(30) })
	e.submit(complete("ani", e.cfg.TopicNames()[0]))
	e.cycle()
	e.clock.Advance(time.Hour)
	answerRow(e, "KOPI-2026-0001", answerText, rules.StatusDijawab)
	e.cycle()
	e.clock.Advance(10 * time.Minute)
	answerRow(e, "KOPI-2026-0001", "", rules.StatusDisetujui)
	e.cycle()
	e.clock.Advance(10 * time.Minute)
	e.cycle() // the row shows the answer sent
	if r := e.rows(); r[rowOf(r, "KOPI-2026-0001")][column(r, "Status")] != string(rules.StatusTerkirim) {
		t.Fatalf("the answered case is not Terkirim: %q", r[rowOf(r, "KOPI-2026-0001")])
	}
	top, ticket := maxDeliveryID(e)
	if ticket != "KOPI-2026-0001" {
		t.Fatalf("the highest delivery ID %d is %q's; the test needs the answered case's: %v", top, ticket, stateRecords(e, "surel"))
	}
	// Tuesday 7 April 2026, 19:00 WIB: the sent case is due.
	e.clock.Set(time.Date(2026, 4, 7, 19, 0, 0, 0, wib))
	if rep := e.cycle(); rep.Archived != 1 {
		t.Fatalf("archived %d cases, want 1", rep.Archived)
	}
	if left, _ := maxDeliveryID(e); left >= top {
		t.Fatalf("the highest delivery ID left is %d, want below the archived %d", left, top)
	}
	e.clock.Set(time.Date(2026, 4, 8, 9, 0, 0, 0, wib))
	e.submit(complete("dewi", e.cfg.TopicNames()[0]))
	e.clock.Advance(time.Minute)
	if rep := e.cycle(); rep.NewCases != 1 {
		t.Fatalf("new cases = %d, want 1", rep.NewCases)
	}
	fresh := 0
	for _, r := range stateRecords(e, "surel") {
		if r["tiket"] != "KOPI-2026-0002" {
			continue
		}
		fresh++
		if n, err := strconv.ParseInt(r["id"], 10, 64); err != nil || n <= top {
			t.Errorf("a new delivery got ID %q, want above %d (the archived cases' highest)", r["id"], top)
		}
	}
	if fresh == 0 {
		t.Fatal("the new case has no delivery record")
	}
}

// TestArchiveKeepsTransactionInStep: an archive move deletes state rows
// through the cycle's transaction; a later write of the same transaction
// still finds each remaining record at its row (a delivery saved, the
// cursor committed), overwriting nothing else.
func TestArchiveKeepsTransactionInStep(t *testing.T) {
	t.Parallel()
	s := newArchiveScenario(t)
	e := s.e
	snap, tx, err := e.workspace().Tracker.Read(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	now := e.clock.Now()
	moves := rules.PlanArchive(snap.Cases, e.cfg.ArchiveDays(), now, nil, snap.State.Archive, 0)
	if len(moves) != 1 || len(moves[0].Tickets) != 2 {
		t.Fatalf("moves = %+v, want one of two cases", moves)
	}
	moves[0].FlowSOP = "kopi"
	if out, err := tx.ArchiveCases(e.ctx, moves[0]); err != nil || out.Cases != 2 {
		t.Fatalf("archive: moved %d, %v", out.Cases, err)
	}
	var d rules.Delivery
	for _, o := range snap.State.Outbox {
		if o.Ticket.String() == "KOPI-2026-0001" {
			d = o
			break
		}
	}
	if d.ID == "" {
		t.Fatal("the open case has no delivery")
	}
	before := stateRecords(e, "surel")
	d.Detail = "dicatat-setelah-arsip"
	if err := tx.SaveDeliveries(e.ctx, []rules.Delivery{d}); err != nil {
		t.Fatal(err)
	}
	cursor := snap.State.Cursor.Add(time.Second)
	if err := tx.Commit(e.ctx, &rules.Changes{Cursor: cursor}); err != nil {
		t.Fatal(err)
	}
	after := stateRecords(e, "surel")
	if len(after) != len(before) {
		t.Fatalf("delivery records %d after the save, want %d", len(after), len(before))
	}
	for i, r := range after {
		want := before[i]["keterangan"]
		if r["id"] == d.ID {
			want = d.Kind + "|" + d.Recipient + "|" + d.Detail
		}
		if r["id"] != before[i]["id"] || r["keterangan"] != want {
			t.Errorf("record %d: %v, want id %s detail %q", i, r, before[i]["id"], want)
		}
	}
	cur := stateRecords(e, "kursor")
	if len(cur) != 1 || cur[0]["nilai"] != cursor.UTC().Format(time.RFC3339Nano) {
		t.Errorf("cursor records %v, want one at %s", cur, cursor.UTC().Format(time.RFC3339Nano))
	}
	if n := len(stateRecords(e, "respons")); n != 1 {
		t.Errorf("ledger records %d, want the open case's only", n)
	}
}

// TestArchiveReadsRecordsWrittenInTheCycle: a state record the cycle's
// transaction wrote (a delivery of a closed case saved again) is kept
// compactly until the cycle ends; the archive's compaction, later in the
// same transaction, still reads it — its kind, ticket and state — and
// deletes it with the case it belongs to.
func TestArchiveReadsRecordsWrittenInTheCycle(t *testing.T) {
	t.Parallel()
	s := newArchiveScenario(t)
	e := s.e
	snap, tx, err := e.workspace().Tracker.Read(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	var saved []rules.Delivery
	for _, o := range snap.State.Outbox {
		if o.Ticket.String() == "KOPI-2026-0002" && !o.State.Pending() {
			o.Detail = "dicatat-ulang"
			saved = append(saved, o)
		}
	}
	if len(saved) == 0 {
		t.Fatal("the closed case has no finished delivery")
	}
	if err := tx.SaveDeliveries(e.ctx, saved); err != nil {
		t.Fatal(err)
	}
	moves := rules.PlanArchive(snap.Cases, e.cfg.ArchiveDays(), e.clock.Now(), nil, snap.State.Archive, 0)
	if len(moves) != 1 || len(moves[0].Tickets) != 2 {
		t.Fatalf("moves = %+v, want one of two cases", moves)
	}
	moves[0].FlowSOP = "kopi"
	if out, err := tx.ArchiveCases(e.ctx, moves[0]); err != nil || out.Cases != 2 {
		t.Fatalf("archive: moved %d, %v", out.Cases, err)
	}
	for _, r := range stateRecords(e, "surel") {
		if r["tiket"] == "KOPI-2026-0002" {
			t.Errorf("a delivery of the archived case stayed in the state tab: %v", r)
		}
	}
}

// TestArchiveKeepsHeartbeat: the archive's compaction deletes state rows
// above a held lock's heartbeat record; the record stays (it is not an
// archived case's), and the next beat lands on it, overwriting nothing.
func TestArchiveKeepsHeartbeat(t *testing.T) {
	t.Parallel()
	s := newArchiveScenario(t)
	e := s.e
	lock := e.lockOn("server-kantor", nil)
	if err := lock.Acquire(e.ctx); err != nil {
		t.Fatal(err)
	}
	if rep := e.cycle(); rep.Archived != 2 {
		t.Fatalf("archived %d cases, want 2", rep.Archived)
	}
	others := func() []map[string]string {
		var out []map[string]string
		for _, kind := range []string{"respons", "surel", "kursor", "alur", "arsip", "tiket-arsip"} {
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
