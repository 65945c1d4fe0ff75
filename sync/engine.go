package sync

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"kopi/rules"
	"kopi/sop"
)

// Options wire an Engine.
type Options struct {
	Config    *rules.Config
	Calendar  *rules.Calendar
	Forms     Forms
	Tracker   Tracker
	Mailer    Mailer
	Templates *Templates
	// Questions maps fields to the intake form's question ids (resolved
	// with rules.ResolveQuestions at start).
	Questions map[rules.Field]string
	// FormURL is the intake form's public link, quoted in notices.
	FormURL string
	// SheetURL is the tracking spreadsheet's link, quoted to staff.
	SheetURL string
	// SOPs are the SOPs run besides KOPI (config sops), each on its tab.
	SOPs []*rules.SOPDef
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives one line per effect, naming tickets only.
	Logger *slog.Logger
	// Survey and Surveys take in the satisfaction survey (nil: no survey).
	Survey  SurveyForm
	Surveys SurveyLog
	// Report lays out the Laporan tab (nil: no report rebuild).
	Report ReportSheet
	// ArchiveBatch bounds the cases of one archive move (0:
	// rules.ArchiveBatch).
	ArchiveBatch int
	// History reads the Riwayat tab for the report's step compliance
	// (nil: the report has no history, and KOPI's table is measured
	// from the cases' timestamps).
	History HistoryReader
	// CommitBytes bounds one commit's request (0: DefaultCommitBytes); a
	// larger backlog is written in several commits.
	CommitBytes int
}

// Engine runs cycles. It keeps no state between cycles: everything lives
// in the tracker, so a restarted or moved daemon continues where the last
// one stopped.
type Engine struct {
	o   Options
	loc *time.Location
	log *slog.Logger
	// kopi is the KOPI SOP (sop/kopi.yaml) with the office's configured
	// time standards.
	kopi *rules.SOPDef
	// reconcile makes cycles list every response until one commits.
	reconcile bool
	// archivedIDs is the archive's ledger (response id → ticket), read
	// by a reconciliation cycle only (sync/archive.go).
	archivedIDs map[string]rules.Ticket
	// whatsapp derives a case's WhatsApp link again only when what it
	// is made of changed since an earlier cycle of this engine.
	whatsapp *rules.WhatsAppMemo
}

// New checks the options and returns an engine.
func New(o Options) (*Engine, error) {
	switch {
	case o.Config == nil:
		return nil, errors.New("sync: no config")
	case o.Calendar == nil:
		return nil, errors.New("sync: no calendar")
	case o.Forms == nil || o.Tracker == nil || o.Mailer == nil:
		return nil, errors.New("sync: forms, tracker and mailer are required")
	case o.Templates == nil:
		return nil, errors.New("sync: no templates")
	case len(o.Questions) == 0:
		return nil, errors.New("sync: no question mapping")
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Engine{o: o, loc: o.Config.Location(), log: log, kopi: sop.KOPI().WithStandards(o.Config.SOP.Steps),
		whatsapp: rules.NewWhatsAppMemo()}, nil
}

// Report counts what a cycle did, for logs, metrics and tests.
type Report struct {
	Responses  int // responses read (after de-duplication)
	NewCases   int
	Updated    int // existing rows written
	Incomplete int // new or edited cases left Kurang Lengkap
	Unassigned int // complete cases nobody could take
	Deleted    int // ledgered responses whose row staff deleted
	EditsNoted int // edits that arrived after the case moved on
	Drafted    int
	Sent       int
	Failed     int // emails refused for good
	Deferred   int // emails left for a later cycle
	Repaired   int // rows rewritten because staff moved a column mid-write
	Anonymized int // closed cases anonymised by retention
	Overdue    int // open cases past their deadline when the cycle read the tracker
	// ByStatus counts the tracker's cases by status when the cycle read
	// it, for the status page.
	ByStatus map[rules.Status]int
	// The answer flow.
	AnswersQueued   int // approved answers queued for sending
	AnswersRecorded int // rows marked Terkirim after their answer went out
	Reminders       int // reminders, overdue notices and escalations queued
	// KOPITransitions counts the KOPI cases' steps taken (history rows).
	KOPITransitions int
	// The other SOPs.
	SOPStarted     int // cases started from rows staff added
	SOPTransitions int // decisions applied
	Surveys        int // survey responses taken into the Survei tab
	Problems       []string
	DurationSec    float64

	// Archived counts cases moved to the yearly archive; ArchiveReturned
	// rows a concurrent sort put in the way, moved back to the live tab;
	// ArchivedResponses responses recognised as archived cases' (an edit
	// or a late listing), not made new cases.
	Archived          int
	ArchiveReturned   int
	ArchivedResponses int
	// SOPArchived counts the other SOPs' cases moved to their yearly
	// archive; SOPArchivedRows the rows of an SOP tab showing a case the
	// archive took (a row copied back from the archive), left alone.
	SOPArchived     int
	SOPArchivedRows int

	// DraftsDeleted counts emails whose draft a person deleted in Gmail
	// before kopi sent it: flagged for the admin, never recorded as sent.
	DraftsDeleted int
	// Withdrawn counts reminders and incomplete notices withdrawn
	// unsent: held back until no longer due (rules.ReminderDue).
	Withdrawn int
}

// Busy reports whether the cycle had work: it took a response in (a new
// case, a row written, an edit noted, a deleted row's response, a survey)
// or drafted, sent or gave up on an email. A cycle that is not busy made
// only the idle cycle's calls; the form cache's daily re-read waits for a
// busy one (google.FormCacheMaxAge).
func (r *Report) Busy() bool {
	return r.NewCases+r.Updated+r.EditsNoted+r.Deleted+r.Surveys+r.Drafted+r.Sent+r.Failed > 0
}

// UseForm sets the intake form's question mapping and link for the next
// cycles (a daemon's re-read of the form between cycles).
func (e *Engine) UseForm(questions map[rules.Field]string, formURL string) {
	e.o.Questions, e.o.FormURL = questions, formURL
}

// UseSurvey sets the survey form for the next cycles (a daemon's re-read
// of the survey form between cycles).
func (e *Engine) UseSurvey(s SurveyForm) { e.o.Survey = s }

// RunCycle runs one cycle at the engine clock's now.
func (e *Engine) RunCycle(ctx context.Context) (*Report, error) {
	now := e.o.Now()
	start := time.Now()
	rep := &Report{}
	snap, tx, err := e.o.Tracker.Read(ctx)
	if err != nil {
		return rep, fmt.Errorf("read tracker: %w", err)
	}
	rep.Problems = snap.Problems
	rep.Overdue = countOverdue(snap.Cases, now)
	rep.ByStatus = countByStatus(snap.Cases)

	subs, err := e.readResponses(ctx, e.since(snap.State.Cursor))
	if err != nil {
		return rep, err
	}
	e.readArchive(ctx, tx)
	rep.Responses = len(subs)
	// Surveys are listed before deciding, as responses are: a cycle that
	// cannot know who rated sends no survey reminder either.
	surveys, err := e.listSurveys(ctx, snap)
	if err != nil {
		return rep, err
	}

	plan := e.decide(snap, subs, surveys, now, rep)
	ret := e.planRetention(snap, plan, now, rep)

	// Changed rows travel with the commit (in its first parts when a
	// backlog takes several).
	plan.changes.Updates = plan.updates
	if err := e.commit(ctx, tx, plan.changes); err != nil {
		return rep, fmt.Errorf("commit cycle: %w", err)
	}
	rep.Updated = len(plan.updates)
	e.reconciled()
	// SOP rows show their flows only once the commit recorded them.
	if err := tx.UpdateSOPRows(ctx, plan.sopViews); err != nil {
		return rep, fmt.Errorf("update SOP rows: %w", err)
	}
	repaired, err := tx.VerifyLayout(ctx)
	if err != nil {
		return rep, fmt.Errorf("verify rows: %w", err)
	}
	if repaired > 0 {
		rep.Repaired = repaired
		e.log.Warn("kolom dipindah staf saat kopi menulis; baris diperbaiki", "baris", repaired)
	}
	if err := e.finishRetention(ctx, tx, ret, plan); err != nil {
		return rep, err
	}
	if err := e.deliver(ctx, tx, plan, now, rep); err != nil {
		return rep, err
	}
	if err := e.takeSurveys(ctx, snap, surveys, plan.outbox, rep); err != nil {
		return rep, err
	}
	if err := tx.Finish(ctx); err != nil {
		return rep, fmt.Errorf("finish cycle's writes: %w", err)
	}
	if err := e.runArchive(ctx, tx, snap, plan, now, rep); err != nil {
		return rep, err
	}
	rep.DurationSec = time.Since(start).Seconds()
	return rep, nil
}

// readResponses lists responses since the cursor and keeps, per response
// id, the latest version: the API's order and page boundaries are not
// trusted.
func (e *Engine) readResponses(ctx context.Context, cursor time.Time) ([]rules.Submission, error) {
	byID := map[string]int{}
	var subs []rules.Submission
	err := e.o.Forms.Responses(ctx, e.o.Config.Intake.FormID, e.o.Questions, cursor, func(s rules.Submission) error {
		if i, ok := byID[s.ResponseID]; ok {
			if s.LastSubmittedAt.After(subs[i].LastSubmittedAt) {
				subs[i] = s
			}
			return nil
		}
		byID[s.ResponseID] = len(subs)
		subs = append(subs, s)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read responses: %w", err)
	}
	return subs, nil
}
