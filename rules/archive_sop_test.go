package rules

import (
	"fmt"
	"testing"
	"time"
)

// TestPlanSOPArchive: done flows of the run SOPs closed at least the
// period ago and with no email pending join the moves, oldest first,
// filling each up to the batch with KOPI's cases counted; the highest
// archived number of each SOP is carried by every move, cumulatively.
func TestPlanSOPArchive(t *testing.T) {
	now := time.Date(2026, 4, 7, 19, 0, 0, 0, time.UTC)
	old := now.AddDate(0, 0, -40)
	flow := func(sop, c string, done bool, at time.Time) FlowRecord {
		return FlowRecord{Flow: Flow{SOP: sop, Case: c, Done: done, EnteredAt: at}}
	}
	flows := []FlowRecord{
		flow("bimtek", "BIMTEK-0001", false, old),                   // open
		flow("bimtek", "BIMTEK-0002", true, old.Add(time.Hour)),     // due
		flow("bimtek", "BIMTEK-0003", true, old),                    // due, older
		flow("bimtek", "BIMTEK-0004", true, now.AddDate(0, 0, -29)), // too recent
		flow("bimtek", "BIMTEK-0005", true, old),                    // an email pending
		flow("aduan", "ADUAN-0009", true, old.Add(2*time.Hour)),     // another SOP
		flow("kopi", "KOPI-2026-0001", true, old),                   // KOPI's: its own move
		flow("lama", "LAMA-0001", true, old),                        // an SOP no longer run
	}
	busy := map[string]bool{"bimtek/BIMTEK-0005": true}
	prev := ArchiveState{SOPHighest: map[string]int{"bimtek": 1, "aduan": 12}}
	moves := []ArchiveMove{{At: now, Tickets: []Ticket{{2026, 1}}, FlowSOP: "kopi"}}
	moves = PlanSOPArchive(moves, flows, []string{"bimtek", "aduan"}, 30, now, busy, prev, 2)
	var got []string
	for _, m := range moves {
		got = append(got, fmt.Sprintf("%v %v %v", len(m.Tickets), m.SOPCases, m.SOPHighest))
	}
	want := []string{
		"1 [{bimtek BIMTEK-0003 2026}] map[aduan:12 bimtek:3]",
		"0 [{bimtek BIMTEK-0002 2026} {aduan ADUAN-0009 2026}] map[aduan:12 bimtek:3]",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("moves\n got %q\nwant %q", got, want)
	}
	if moves[1].FlowSOP != "kopi" || !moves[1].At.Equal(now) {
		t.Errorf("the added move lacks the KOPI move's records: %+v", moves[1])
	}
	// Off, or nothing due: the moves are as PlanArchive left them.
	if m := PlanSOPArchive([]ArchiveMove{{At: now}}, flows, []string{"bimtek"}, 0, now, nil, prev, 0); len(m) != 1 || m[0].SOPCases != nil {
		t.Errorf("archive off: %+v", m)
	}
}

// TestSOPArchived: a case id with no flow is an archived case's when
// its number is at most the SOP's highest archived one.
func TestSOPArchived(t *testing.T) {
	a := ArchiveState{SOPHighest: map[string]int{"bimtek": 3}}
	for id, want := range map[string]bool{"BIMTEK-0002": true, "BIMTEK-0003": true, "BIMTEK-0004": false, "BIMTEK-x": false, "": false} {
		if got := a.SOPArchived("bimtek", id); got != want {
			t.Errorf("SOPArchived(%q) = %v, want %v", id, got, want)
		}
	}
	if a.SOPArchived("aduan", "ADUAN-0001") {
		t.Error("another SOP's case counted as archived")
	}
}
