package sync

import (
	"context"
	"fmt"
	"time"

	"kopi/rules"
)

// Archiver moves old closed cases out of the live tab into the yearly
// archive and reads the archive's ledger back for the reconciliation.
// The cycle's transaction implements it (the moves are writes of the
// cycle, positioned by its read); a transaction that does not never
// archives.
type Archiver interface {
	// ArchiveCases performs one atomic move on the tabs of the
	// transaction's read (kept in step with its own writes) and returns
	// how many KOPI and other SOP cases it archived and how many rows a
	// concurrent sort put in the way that it moved back to their live
	// tabs.
	ArchiveCases(ctx context.Context, mv rules.ArchiveMove) (rules.ArchiveOutcome, error)
	// ArchivedResponses maps the response id of every archived case to
	// its ticket.
	ArchivedResponses(ctx context.Context) (map[string]rules.Ticket, error)
}

// archiveMovesPerRun bounds one night's work: 30 moves of
// rules.ArchiveBatch cases take 60,000 cases, more than any office's
// first archive run needs; what is left waits for the next night.
const archiveMovesPerRun = 30

// runArchive runs the yearly archive when it is due (once a day,
// outside office hours, rules.ArchiveRunDue): it decides the moves with
// rules.PlanArchive from the cycle's own read — the tracker's positions
// stay valid through the cycle's writes, which only append rows — and
// makes them one after the other, each an atomic batch complete on its
// own (the adapter keeps its read in step with its own moves). The cases
// the read showed are the ones decided on: a case this cycle changed was
// open at the read, or is closed for less than a day. A crash between
// moves leaves the finished ones; the next run continues. A run with
// nothing to move writes nothing: the night's idle cycles stay at two
// calls, each deciding again from its own read (no call) until a case
// is due. After a cycle that repaired a column move, the read's layout is
// stale: the run waits for the next cycle.
func (e *Engine) runArchive(ctx context.Context, tx TrackerTx, snap *rules.Snapshot, p *plan, now time.Time, rep *Report) error {
	a, ok := tx.(Archiver)
	days := e.o.Config.ArchiveDays()
	if !ok || rep.Repaired > 0 || !rules.ArchiveRunDue(e.o.Calendar, days, snap.State.Archive.LastRun, now) {
		return nil
	}
	// No case with an email still to go, as the cycle leaves them.
	busy := map[rules.Ticket]bool{}
	for _, d := range p.outbox {
		if d.Pending() {
			busy[d.Ticket] = true
		}
	}
	batch := e.o.ArchiveBatch
	if batch <= 0 {
		batch = rules.ArchiveBatch
	}
	moves := rules.PlanArchive(snap.Cases, days, now, busy, snap.State.Archive, batch)
	// The Survei rows go with their cases (the tab is read every cycle).
	rules.PlanSurveyArchive(moves, snap.Cases, snap.Surveys, snap.State.Archive, now)
	// So do the other SOPs' closed cases, with no email of theirs to go.
	sopBusy := map[string]bool{}
	for _, d := range p.outbox {
		if d.Case != "" && d.Pending() {
			sopBusy[d.Case] = true
		}
	}
	sops := make([]string, len(e.o.SOPs))
	for i, d := range e.o.SOPs {
		sops[i] = d.ID
	}
	moves = rules.PlanSOPArchive(moves, snap.State.Flows, sops, days, now, sopBusy, snap.State.Archive, batch)
	if len(moves) == 1 && moves[0].Empty() {
		return nil
	}
	for i, m := range moves {
		if i == archiveMovesPerRun {
			break
		}
		m.FlowSOP = e.kopi.ID
		out, err := a.ArchiveCases(ctx, m)
		rep.Archived += out.Cases
		rep.SOPArchived += out.SOPCases
		rep.ArchiveReturned += out.Returned
		if out.Cases > 0 || out.SOPCases > 0 || out.Returned > 0 {
			e.log.Info("kasus lama dipindah ke arsip", "kasus", out.Cases, "kasus_sop", out.SOPCases, "dikembalikan", out.Returned)
		}
		if err != nil {
			return fmt.Errorf("archive cases: %w", err)
		}
		if out.Returned > 0 {
			// A sort by staff raced the move: the rest waits for the
			// next run, which starts from a fresh read.
			return nil
		}
	}
	return nil
}

// recogniseArchived reports whether a response the live ledger does not
// know belongs to an archived case, and is therefore not a new case: the
// reconciliation's archive ledger names its ticket; any cycle knows it
// from the horizon (rules.ArchiveState.Archived).
func (in *intake) recogniseArchived(s rules.Submission) bool {
	if tk, ok := in.e.archivedIDs[s.ResponseID]; ok {
		in.rep.ArchivedResponses++
		in.e.log.Info("tanggapan untuk kasus di arsip; tidak dibuat kasus baru", "tiket", tk.String())
		return true
	}
	if in.snap.State.Archive.Archived(s) {
		in.rep.ArchivedResponses++
		in.e.log.Debug("tanggapan lama (sebelum batas arsip); tidak dibuat kasus baru")
		return true
	}
	return false
}

// seeArchived makes the ticket counter continue after the archived
// tickets, whose rows and ledger entries left the live tabs.
func (in *intake) seeArchived() {
	for _, t := range in.snap.State.Archive.Highest {
		in.tickets.See(t)
	}
}
