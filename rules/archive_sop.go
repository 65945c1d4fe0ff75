package rules

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The other SOPs' cases (Bimtek's, a third SOP's) follow KOPI's to the
// archive: every cycle reads each SOP's tab and the flow records
// ("alur") of the hidden state tab, so a case closed long ago would stay
// in every read for good. A case whose flow is done (the definition's
// end, StepEnd) moves with its row to a visible tab per SOP and per year
// of closing ("Arsip Bimtek 2026": SOPArchiveTitle) in the same atomic
// move as KOPI's cases, once it closed the archive period ago and no
// email of it is still to go; its flow record and finished deliveries
// leave the state tab with it. The case ids carry no year, so the year
// in the title is the year the case closed — what the archive period
// counts from. What the state tab keeps is the highest archived case
// number of each SOP (SOPHighest), since new numbers continue after the
// highest flow: without it an archived number would be handed out again.
// The Riwayat tab — the SOPs' audit trail, which the report's compliance
// reads — is not moved: the cycle reads its header only.

// SOPArchiveTitle is the tab of an SOP's cases closed in a year, named
// after the SOP's own tab: staff look for Bimtek's cases of 2026 under
// "Arsip Bimtek 2026", beside KOPI's "Arsip 2026", with the Bimtek tab's
// columns to filter by.
func SOPArchiveTitle(tab string, year int) string { return fmt.Sprintf("Arsip %s %d", tab, year) }

// ArchivedSOPCase is an SOP case one move takes to the archive: its row
// (found by case id) goes to the archive tab of Year, its flow and
// finished deliveries leave the state tab.
type ArchivedSOPCase struct {
	SOP, Case string
	Year      int
}

// SOPCaseSeq reads the sequence number of an SOP case id ("BIMTEK-0007"
// → 7).
func SOPCaseSeq(id string) (int, bool) {
	i := strings.LastIndexByte(id, '-')
	if i < 0 {
		return 0, false
	}
	n, err := strconv.Atoi(id[i+1:])
	return n, err == nil && n > 0
}

// SOPArchived reports whether an SOP case id that has no flow record
// names a case the archive took: its number is at most the SOP's
// highest archived one.
func (a ArchiveState) SOPArchived(sop, id string) bool {
	n, ok := SOPCaseSeq(id)
	return ok && n <= a.SOPHighest[sop]
}

// PlanSOPArchive adds to the moves PlanArchive decided the SOP cases
// that go with them: the cases of the given SOPs whose flow is done and
// closed (entered its end) at least days days before now, with no email
// pending (busy, by "sop/case"), oldest first. They fill the moves up to
// batch cases each (ArchiveBatch when batch <= 0), KOPI's cases counted;
// further moves carry the rest, with the KOPI records of the last one
// (each move is complete on its own). Each move carries the highest
// archived case number of every SOP as it stands once it and the ones
// before it landed.
func PlanSOPArchive(moves []ArchiveMove, flows []FlowRecord, sops []string, days int, now time.Time, busy map[string]bool, prev ArchiveState, batch int) []ArchiveMove {
	if len(moves) == 0 || days <= 0 {
		return moves
	}
	if batch <= 0 {
		batch = ArchiveBatch
	}
	run := map[string]bool{}
	for _, s := range sops {
		run[s] = true
	}
	var picks []FlowRecord
	for _, f := range flows {
		if !run[f.SOP] || !f.Done || f.EnteredAt.IsZero() || busy[f.SOP+"/"+f.Case] {
			continue
		}
		if _, ok := SOPCaseSeq(f.Case); !ok {
			continue
		}
		if f.EnteredAt.In(now.Location()).AddDate(0, 0, days).After(now) {
			continue
		}
		picks = append(picks, f)
	}
	sort.Slice(picks, func(i, j int) bool {
		if !picks[i].EnteredAt.Equal(picks[j].EnteredAt) {
			return picks[i].EnteredAt.Before(picks[j].EnteredAt)
		}
		if picks[i].SOP != picks[j].SOP {
			return picks[i].SOP < picks[j].SOP
		}
		return picks[i].Case < picks[j].Case
	})
	high := map[string]int{}
	for s, n := range prev.SOPHighest {
		high[s] = n
	}
	for i := 0; i < len(moves) || len(picks) > 0; i++ {
		if i == len(moves) {
			last := moves[i-1]
			moves = append(moves, ArchiveMove{At: last.At, Horizon: last.Horizon, Highest: last.Highest, FlowSOP: last.FlowSOP,
				SurveyCursor: last.SurveyCursor, SurveyHorizon: last.SurveyHorizon})
		}
		m := &moves[i]
		n := min(len(picks), max(0, batch-len(m.Tickets)))
		for _, f := range picks[:n] {
			m.SOPCases = append(m.SOPCases, ArchivedSOPCase{SOP: f.SOP, Case: f.Case, Year: f.EnteredAt.In(now.Location()).Year()})
			seq, _ := SOPCaseSeq(f.Case)
			high[f.SOP] = max(high[f.SOP], seq)
		}
		picks = picks[n:]
		if len(high) > 0 {
			m.SOPHighest = make(map[string]int, len(high))
			for s, n := range high {
				m.SOPHighest[s] = n
			}
		}
	}
	return moves
}

// ArchiveOutcome is what one archive move did: the KOPI cases and the
// other SOPs' cases it archived, and the rows a concurrent sort put in
// the way that it moved back to their live tabs.
type ArchiveOutcome struct {
	Cases, SOPCases, Returned int
}
