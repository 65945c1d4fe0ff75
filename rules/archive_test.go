package rules

import (
	"testing"
	"time"
)

func TestArchiveRunDue(t *testing.T) {
	cal := testCalendar(t)
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, wib)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name      string
		days      int
		last, now string
		want      bool
	}{
		{"off", 0, "", "2026-11-10 20:00", false},
		{"never ran, evening", 90, "", "2026-11-10 20:00", true},
		{"office hours", 90, "", "2026-11-10 10:00", false},
		{"ran today already", 90, "2026-11-10 19:00", "2026-11-10 22:00", false},
		{"ran yesterday", 90, "2026-11-09 19:00", "2026-11-10 05:00", true},
		{"Sunday noon is outside office hours", 90, "2026-11-14 19:00", "2026-11-15 12:00", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var last time.Time
			if tc.last != "" {
				last = at(tc.last)
			}
			if got := ArchiveRunDue(cal, tc.days, last, at(tc.now)); got != tc.want {
				t.Errorf("ArchiveRunDue = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestPlanArchive(t *testing.T) {
	now := time.Date(2026, 6, 1, 20, 0, 0, 0, wib)
	mk := func(seq int, st Status, received, sent time.Time) TrackedCase {
		c := TrackedCase{Case: Case{Ticket: Ticket{Year: 2026, Seq: seq}, Submission: Submission{SubmittedAt: received}, Status: st, SentAt: sent}}
		c.AnchorID = AnchorID(c.Ticket)
		return c
	}
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 9, 30, 15, 0, wib) }
	cases := []TrackedCase{
		mk(1, StatusTerkirim, day(1, 5), day(1, 6)),  // closed 146 days ago: archived
		mk(2, StatusTerkirim, day(3, 30), day(4, 1)), // closed 61 days ago: stays at 90
		mk(3, StatusBaru, day(1, 2), time.Time{}),    // open: stays
		mk(4, StatusTerkirim, day(1, 3), day(1, 20)), // closed long ago, email pending: stays
		mk(5, StatusSelesai, day(1, 10), day(1, 4)),  // closed (Selesai) earlier than 1: archived first
		mk(6, StatusTerkirim, day(2, 1), day(2, 2)),  // archived
	}
	busy := map[Ticket]bool{{Year: 2026, Seq: 4}: true}
	prev := ArchiveState{Highest: []Ticket{{Year: 2025, Seq: 7400}}}
	moves := PlanArchive(cases, 90, now, busy, prev, 0)
	if len(moves) != 1 {
		t.Fatalf("moves = %d, want 1", len(moves))
	}
	m := moves[0]
	want := []Ticket{{2026, 5}, {2026, 1}, {2026, 6}}
	if len(m.Tickets) != len(want) {
		t.Fatalf("tickets = %v, want %v", m.Tickets, want)
	}
	for i := range want {
		if m.Tickets[i] != want[i] {
			t.Fatalf("tickets = %v, want %v", m.Tickets, want)
		}
	}
	// The horizon covers the latest archived createTime, rounded up to
	// the minute the row shows.
	if h := time.Date(2026, 2, 1, 9, 31, 0, 0, wib); !m.Horizon.Equal(h) {
		t.Errorf("horizon = %v, want %v", m.Horizon, h)
	}
	if len(m.Highest) != 2 || m.Highest[0] != (Ticket{2025, 7400}) || m.Highest[1] != (Ticket{2026, 6}) {
		t.Errorf("highest = %v", m.Highest)
	}
	st := ArchiveState{Horizon: m.Horizon}
	if !st.Archived(Submission{SubmittedAt: day(2, 1)}) {
		t.Error("the latest archived response is not recognised as archived")
	}
	if st.Archived(Submission{SubmittedAt: day(3, 30)}) {
		t.Error("a live case's response counts as archived")
	}
	if (ArchiveState{}).Archived(Submission{SubmittedAt: day(1, 1)}) {
		t.Error("without a horizon nothing is archived")
	}

	// Off, or nothing due: one empty move that records the run.
	if moves := PlanArchive(cases, 0, now, nil, prev, 0); len(moves) != 1 || len(moves[0].Tickets) != 0 {
		t.Errorf("off: %+v", moves)
	}
}

func TestPlanArchiveBatches(t *testing.T) {
	now := time.Date(2026, 12, 1, 20, 0, 0, 0, wib)
	var cases []TrackedCase
	for i := 1; i <= ArchiveBatch*2+5; i++ {
		at := time.Date(2025, 1, 1, 0, 0, 0, 0, wib).Add(time.Duration(i) * time.Hour)
		cases = append(cases, TrackedCase{Case: Case{Ticket: Ticket{Year: 2025, Seq: i}, Submission: Submission{SubmittedAt: at}, Status: StatusTerkirim, SentAt: at}})
	}
	moves := PlanArchive(cases, 90, now, nil, ArchiveState{}, 0)
	if len(moves) != 3 || len(moves[0].Tickets) != ArchiveBatch || len(moves[2].Tickets) != 5 {
		t.Fatalf("batches: %d moves", len(moves))
	}
	// Each move is complete on its own: its horizon and highest ticket
	// cover it and every move before it.
	for i, m := range moves {
		last := m.Tickets[len(m.Tickets)-1]
		if len(m.Highest) != 1 || m.Highest[0] != last {
			t.Errorf("move %d: highest %v, want %v", i, m.Highest, last)
		}
		if i > 0 && !m.Horizon.After(moves[i-1].Horizon) {
			t.Errorf("move %d: horizon does not grow", i)
		}
	}
}

// TestArchiveDaysDefault: left out, the archive is on at 90 days, or at
// the retention period when that is longer (so the default is never the
// refused "archive before anonymisation"); given, the key is taken as
// is, 0 turning the archive off, and checked.
func TestArchiveDaysDefault(t *testing.T) {
	base := "intake:\n  form_id: 1FAIpQLSdExampleFormId\ntracker:\n  spreadsheet_id: 1SheetIdExample_abc-123\n" +
		"mail:\n  sender: {address: kopi@inspektorat.example.go.id}\n  admins: [admin@inspektorat.example.go.id]\n"
	for _, tc := range []struct {
		name, yaml string
		want       int
		bad        bool
	}{
		{"default", "", ArchiveDefaultDays, false},
		{"default follows a longer retention", "retention:\n  anonymize_after_days: 730\n", 730, false},
		{"default under a shorter retention", "retention:\n  anonymize_after_days: 60\n", ArchiveDefaultDays, false},
		{"off", "archive:\n  after_days: 0\n", 0, false},
		{"off with retention", "retention:\n  anonymize_after_days: 730\narchive:\n  after_days: 0\n", 0, false},
		{"explicit", "archive:\n  after_days: 45\n", 45, false},
		{"explicit before retention", "retention:\n  anonymize_after_days: 730\narchive:\n  after_days: 365\n", 365, true},
		{"too short", "archive:\n  after_days: 7\n", 7, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := ParseConfig([]byte(base + tc.yaml))
			if (err != nil) != tc.bad {
				t.Fatalf("ParseConfig error = %v, want error %v", err, tc.bad)
			}
			if got := cfg.ArchiveDays(); got != tc.want {
				t.Errorf("ArchiveDays = %d, want %d", got, tc.want)
			}
		})
	}
	if got := DefaultConfig().ArchiveDays(); got != ArchiveDefaultDays {
		t.Errorf("DefaultConfig().ArchiveDays = %d, want %d", got, ArchiveDefaultDays)
	}
}

func TestPlanSurveyArchive(t *testing.T) {
	now := time.Date(2026, 6, 1, 20, 0, 0, 0, wib)
	tk := func(seq int) Ticket { return Ticket{Year: 2026, Seq: seq} }
	survey := func(id, ticket string, at time.Time) SurveyRecord {
		r := SurveyRecord{}
		r.ResponseID, r.TicketText, r.SubmittedAt, r.LastSubmittedAt = id, ticket, at, at.Add(time.Hour)
		return r
	}
	old := time.Date(2026, 5, 2, 10, 0, 30, 0, wib)
	live := []TrackedCase{{Case: Case{Ticket: tk(3)}}, {Case: Case{Ticket: tk(1)}}, {Case: Case{Ticket: tk(2)}}}
	moves := []ArchiveMove{{Tickets: []Ticket{tk(1)}}, {Tickets: []Ticket{tk(2)}}}
	surveys := []SurveyRecord{
		survey("a", "KOPI-2026-0001", old),                   // its case moves first
		survey("b", "kopi-2026-0002", old.Add(time.Hour)),    // its case moves second
		survey("c", "KOPI-2026-0003", old),                   // its case stays live
		survey("d", "KOPI-2025-0099", old),                   // names no live case: first move, its ticket's year
		survey("e", "tidak tahu", old.AddDate(0, 0, -1)),     // unreadable: first move, its submission's year
		survey("f", "KOPI-2026-0002", now.Add(-2*time.Hour)), // last submitted within the day: stays
	}
	prev := ArchiveState{SurveyCursor: old.AddDate(0, -1, 0), SurveyHorizon: old.AddDate(0, -1, 0)}
	PlanSurveyArchive(moves, live, surveys, prev, now)
	got := [][]ArchivedSurvey{moves[0].Surveys, moves[1].Surveys}
	want := [][]ArchivedSurvey{
		{{"a", 2026}, {"d", 2025}, {"e", 2026}},
		{{"b", 2026}},
	}
	for i := range want {
		if len(got[i]) != len(want[i]) {
			t.Fatalf("move %d surveys %v, want %v", i, got[i], want[i])
		}
		for j := range want[i] {
			if got[i][j] != want[i][j] {
				t.Errorf("move %d surveys %v, want %v", i, got[i], want[i])
			}
		}
	}
	// Cumulative: the first move's cursor and horizon are its own
	// surveys', the second's include the first's.
	if c, h := moves[0].SurveyCursor, moves[0].SurveyHorizon; !c.Equal(old.Add(time.Hour)) || !h.Equal(old.Truncate(time.Minute).Add(time.Minute)) {
		t.Errorf("first move cursor %v horizon %v", c, h)
	}
	if c, h := moves[1].SurveyCursor, moves[1].SurveyHorizon; !c.Equal(old.Add(2*time.Hour)) || !h.Equal(old.Add(time.Hour).Truncate(time.Minute).Add(time.Minute)) {
		t.Errorf("second move cursor %v horizon %v", c, h)
	}
	st := ArchiveState{SurveyCursor: moves[1].SurveyCursor, SurveyHorizon: moves[1].SurveyHorizon}
	if !st.SurveyArchived(surveys[1].SurveyResponse) || st.SurveyArchived(surveys[5].SurveyResponse) {
		t.Error("SurveyArchived: an archived survey not recognised, or a later one taken for archived")
	}
	if got := st.SurveyListFrom(nil); !got.Equal(st.SurveyCursor) {
		t.Errorf("SurveyListFrom with nothing live = %v, want the archived cursor", got)
	}
}
