package rules

import (
	"fmt"
	"sort"
	"time"
)

// The yearly archive (issue #14). A cycle reads the live consultation
// tab and the hidden state tab; both would grow with every case ever
// received. Closed cases older than a configured period therefore move,
// once a day outside office hours, to a visible tab of the same
// spreadsheet named after the ticket's year ("Arsip 2025"), and their
// ledger entries and finished deliveries leave the state tab with them.
// What the state tab keeps of them is small and bounded: the highest
// ticket of each year (so numbers are never reused) and the horizon, the
// latest createTime of an archived response.
//
// How a late response edit for an archived case is recognised without
// reading the archive every cycle: every response created at or before
// the horizon was processed long ago (an archived case closed at least
// ArchiveMinDays ago, and the cursor has passed its creation), so one
// that is not in the live ledger belongs to an archived case — or to a
// row staff deleted — and is never made a new case. The daily
// reconciliation reads the archive's response-id column (the archived
// rows are the archive's ledger) to name the ticket it belongs to. A
// survey answer for an archived ticket is kept in the survey tab (its
// own ledger, by response id) flagged as an unknown ticket.

// ArchiveConfig configures the yearly archive.
type ArchiveConfig struct {
	// AfterDays moves closed cases (Terkirim, Selesai) to the archive
	// tab of their year this many calendar days after they closed; 0
	// keeps every case in the live tab. Left out (nil), the archive is
	// on at Config.ArchiveDays' default.
	AfterDays *int `yaml:"after_days"`
}

// ArchiveMinDays is the shortest archive period: a case stays live a
// month after it closed, long enough for the requester's survey answer
// and for late edits to land while the row is still in the live tab.
const ArchiveMinDays = 30

// ArchiveDefaultDays is the archive period when the configuration gives
// none: a quarter after closing, well past the survey and late edits,
// and short enough that the live tab — which every cycle reads — holds
// about three months of closed cases whatever the years of service.
const ArchiveDefaultDays = 90

// ArchiveDays is the archive period in force (0: off): the configured
// one, or by default ArchiveDefaultDays — pushed back to the retention
// period when that is longer, since retention anonymises the live tab
// only and a case must not reach the archive with its personal data.
func (c *Config) ArchiveDays() int {
	if c.Archive.AfterDays != nil {
		return *c.Archive.AfterDays
	}
	return max(ArchiveDefaultDays, c.Retention.AnonymizeAfterDays)
}

// ArchiveBatch is the default bound on the cases one atomic archive
// move carries: at most two small requests per case (adjacent rows share
// them; a copy becomes one per run of columns when staff ordered the
// archive's columns differently from the live tab's) keep a move under
// Google's recommended 2 MB per request. A larger backlog takes several
// moves.
const ArchiveBatch = 2000

// ArchiveTitle is the tab of a year's archive, as staff see it.
func ArchiveTitle(year int) string { return fmt.Sprintf("Arsip %d", year) }

// ArchiveState is what the state tab keeps of archived cases.
type ArchiveState struct {
	// Horizon is the latest createTime of an archived response: a
	// response created at or before it and missing from the ledger
	// belongs to an archived case (or a deleted row).
	Horizon time.Time
	// LastRun is when the last archive move ran.
	LastRun time.Time
	// Highest is the highest archived ticket of each year, so that
	// the ticket counter never hands out an archived number again.
	Highest []Ticket
	// SurveyCursor is the latest lastSubmittedTime of an archived
	// survey, SurveyHorizon the latest createTime (a minute of slack
	// added): see PlanSurveyArchive.
	SurveyCursor, SurveyHorizon time.Time
	// SOPHighest is the highest archived case number of each SOP other
	// than KOPI, by SOP id, so that its case numbers continue after the
	// archived ones (rules/archive_sop.go).
	SOPHighest map[string]int
}

// Archived reports whether a response the ledger does not know belongs
// to an archived case: it was created at or before the horizon.
func (a ArchiveState) Archived(s Submission) bool {
	return !a.Horizon.IsZero() && !s.SubmittedAt.After(a.Horizon)
}

// ArchiveRunDue reports whether the archive move runs at now: once per
// calendar day (in the office's zone), outside office hours, when staff
// are not editing the sheet; days <= 0 turns the archive off.
func ArchiveRunDue(c *Calendar, days int, last, now time.Time) bool {
	if days <= 0 || c.IsOpen(now) {
		return false
	}
	if last.IsZero() {
		return true
	}
	return DateOf(last.In(c.loc)).Before(DateOf(now.In(c.loc)))
}

// ArchiveMove is one atomic move: the cases to archive (grouped by the
// adapter into their year's tab) and the state that remains.
type ArchiveMove struct {
	Tickets []Ticket
	// Horizon and Highest replace the stored ones (see ArchiveState).
	Horizon time.Time
	Highest []Ticket
	// At is when the move ran (ArchiveState.LastRun).
	At time.Time
	// FlowSOP is the SOP whose flow records of the moved cases leave
	// the state tab with them (KOPI's: its flows are keyed by ticket).
	FlowSOP string
	// Surveys are the Survei rows the move takes with it
	// (PlanSurveyArchive); SurveyCursor and SurveyHorizon replace the
	// stored ones when set.
	Surveys                     []ArchivedSurvey
	SurveyCursor, SurveyHorizon time.Time
	// SOPCases are the other SOPs' cases the move takes with it
	// (PlanSOPArchive); SOPHighest replaces the stored highest archived
	// case numbers when set.
	SOPCases   []ArchivedSOPCase
	SOPHighest map[string]int
}

// PlanArchive decides the archive moves at now: final cases closed at
// least days days ago with no email pending (busy), oldest first, in
// batches of at most batch cases (ArchiveBatch when batch <= 0); each move carries the horizon and
// highest tickets as they stand once it and the ones before it landed,
// so every move is complete on its own. When nothing is due it returns
// one move with no tickets, which only records the run.
func PlanArchive(cases []TrackedCase, days int, now time.Time, busy map[Ticket]bool, prev ArchiveState, batch int) []ArchiveMove {
	if batch <= 0 {
		batch = ArchiveBatch
	}
	type pick struct {
		t       Ticket
		created time.Time
		closed  time.Time
	}
	var picks []pick
	for _, c := range cases {
		closed := ClosedAt(c.Case)
		if days <= 0 || closed.IsZero() || busy[c.Ticket] {
			continue
		}
		if closed.In(now.Location()).AddDate(0, 0, days).After(now) {
			continue
		}
		// The row shows the createTime to the minute: a minute of
		// slack keeps the archived response itself under the horizon.
		created := c.SubmittedAt
		if !created.IsZero() {
			created = created.Truncate(time.Minute).Add(time.Minute)
		}
		picks = append(picks, pick{t: c.Ticket, created: created, closed: closed})
	}
	sort.Slice(picks, func(i, j int) bool {
		if !picks[i].closed.Equal(picks[j].closed) {
			return picks[i].closed.Before(picks[j].closed)
		}
		return ticketLess(picks[i].t, picks[j].t)
	})
	horizon := prev.Horizon
	high := map[int]int{}
	for _, t := range prev.Highest {
		high[t.Year] = max(high[t.Year], t.Seq)
	}
	var moves []ArchiveMove
	for len(picks) > 0 || len(moves) == 0 {
		n := min(len(picks), batch)
		m := ArchiveMove{At: now}
		for _, p := range picks[:n] {
			m.Tickets = append(m.Tickets, p.t)
			if p.created.After(horizon) {
				horizon = p.created
			}
			high[p.t.Year] = max(high[p.t.Year], p.t.Seq)
		}
		picks = picks[n:]
		m.Horizon = horizon
		for y, s := range high {
			m.Highest = append(m.Highest, Ticket{Year: y, Seq: s})
		}
		sort.Slice(m.Highest, func(i, j int) bool { return m.Highest[i].Year < m.Highest[j].Year })
		moves = append(moves, m)
	}
	return moves
}

// Empty reports whether the move takes nothing: no case, survey or SOP
// case. Such a move would only record the run (ArchiveState.LastRun).
func (m ArchiveMove) Empty() bool {
	return len(m.Tickets) == 0 && len(m.Surveys) == 0 && len(m.SOPCases) == 0
}

func ticketLess(a, b Ticket) bool {
	if a.Year != b.Year {
		return a.Year < b.Year
	}
	return a.Seq < b.Seq
}

// The Survei tab holds one row per survey answer, a large share of all
// cases, and every cycle reads it when a survey form is configured: its
// rows therefore follow their cases to the archive, into a visible tab
// per year with the Survei tab's columns ("Arsip Survei 2025"), in the
// same atomic move. A survey row moves when its ticket is archived by
// the move, or names no live case at all (a late survey for a case
// archived earlier, an unreadable ticket) — and only once it was last
// submitted SurveyArchiveMinAge before the move, so that every response
// created at or before the survey horizon was listed and taken in long
// before: the Survei tab is the survey's ledger, and the state tab keeps
// of the archived rows the latest lastSubmittedTime (where the listing
// continues when the live tab has no later survey) and the survey
// horizon (an edit of an archived survey is listed again and must not
// be taken in as a new one).

// SurveyArchiveMinAge is how long a survey row stays in the Survei tab
// after its last submission before it may follow its case.
const SurveyArchiveMinAge = 24 * time.Hour

// SurveyArchiveTitle is the tab of a year's archived surveys.
func SurveyArchiveTitle(year int) string { return fmt.Sprintf("Arsip Survei %d", year) }

// ArchivedSurvey is a survey row one move takes to the archive: by its
// response id (the Survei tab's ledger key), into the tab of Year.
type ArchivedSurvey struct {
	ResponseID string
	Year       int
}

// SurveyArchived reports whether a survey response the Survei tab does
// not hold was archived: it was created at or before the survey horizon.
func (a ArchiveState) SurveyArchived(r SurveyResponse) bool {
	return !a.SurveyHorizon.IsZero() && !r.SubmittedAt.After(a.SurveyHorizon)
}

// SurveyListFrom is where the survey listing starts: the latest
// lastSubmittedTime of the surveys kept live or archived.
func (a ArchiveState) SurveyListFrom(kept []SurveyRecord) time.Time {
	c := SurveyCursor(kept)
	if a.SurveyCursor.After(c) {
		return a.SurveyCursor
	}
	return c
}

// PlanSurveyArchive adds to the moves PlanArchive decided the survey
// rows that go with them: a row whose ticket a move archives goes with
// that move; a row naming no live case (nor one a move archives) goes
// with the first; a row last submitted less than SurveyArchiveMinAge
// before now stays (a later night takes it, its ticket no longer live).
// Each move carries the survey cursor and horizon as they stand once it
// and the ones before it landed.
func PlanSurveyArchive(moves []ArchiveMove, cases []TrackedCase, surveys []SurveyRecord, prev ArchiveState, now time.Time) {
	if len(moves) == 0 {
		return
	}
	live := map[Ticket]bool{}
	for _, c := range cases {
		live[c.Ticket] = true
	}
	in := map[Ticket]int{}
	for i, m := range moves {
		for _, t := range m.Tickets {
			in[t] = i
		}
	}
	adds := make([][]SurveyRecord, len(moves))
	for _, s := range surveys {
		if s.ResponseID == "" || now.Sub(s.LastSubmittedAt) < SurveyArchiveMinAge {
			continue
		}
		t, err := ParseTicket(s.TicketText)
		i, moving := in[t]
		switch {
		case err == nil && moving:
		case err == nil && live[t]:
			continue
		default:
			i = 0
		}
		adds[i] = append(adds[i], s)
	}
	cursor, horizon := prev.SurveyCursor, prev.SurveyHorizon
	for i := range moves {
		for _, s := range adds[i] {
			year := s.SubmittedAt.In(now.Location()).Year()
			if t, err := ParseTicket(s.TicketText); err == nil {
				year = t.Year
			}
			moves[i].Surveys = append(moves[i].Surveys, ArchivedSurvey{ResponseID: s.ResponseID, Year: year})
			if s.LastSubmittedAt.After(cursor) {
				cursor = s.LastSubmittedAt
			}
			// "Diisi Pada" keeps minutes: a minute of slack keeps the
			// archived response itself under the horizon.
			if c := s.SubmittedAt.Truncate(time.Minute).Add(time.Minute); c.After(horizon) {
				horizon = c
			}
		}
		moves[i].SurveyCursor, moves[i].SurveyHorizon = cursor, horizon
	}
}
