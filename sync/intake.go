package sync

import (
	"sort"
	"strings"
	"time"

	"kopi/rules"
)

// plan is what a cycle decided: rows to update, the atomic commit, and
// the cases as they will be once written (for composing emails).
type plan struct {
	updates []rules.CaseUpdate
	changes *rules.Changes
	cases   map[rules.Ticket]*rules.TrackedCase
	// outbox is every delivery known after the commit: the snapshot's
	// and this cycle's new intents (which point into changes.Outbox).
	outbox []*rules.Delivery
	// fresh marks deliveries created in this cycle: no draft can exist
	// for them, so no draft search is needed.
	fresh map[string]bool
	// answerReady holds, per case whose answer may go out now, the key
	// its answer email must have; answers not in it are held.
	answerReady map[rules.Ticket]string
	// snap is the snapshot the plan was made from (for the digest).
	snap *rules.Snapshot
	// surveys are the survey responses listed this cycle, written to the
	// Survei tab after the deliveries.
	surveys []rules.SurveyResponse
	// sopFlows are the SOP cases' flows after this cycle, by "sop/case";
	// sopViews the SOP rows to write once the commit landed.
	sopFlows map[string]rules.FlowRecord
	sopViews []rules.SOPRowView
	// history is the Riwayat tab, read by deliver only when a month-end
	// report is to be composed (historyRead says it was, and reportSnap
	// is set).
	history     []rules.HistoryEntry
	historyRead bool
	// reportSnap is snap with the archived cases, read with the history
	// for the month-end report.
	reportSnap *rules.Snapshot
}

// intake holds the working state of decide.
type intake struct {
	e       *Engine
	now     time.Time
	snap    *rules.Snapshot
	p       *plan
	ledger  map[string]*rules.LedgerEntry
	keys    map[string]bool
	loads   map[string]rules.Workload
	tickets rules.TicketCounter
	// touched records which fields of an existing case changed.
	touched map[rules.Ticket]map[rules.CaseField]bool
	rep     *Report
	// flows are the KOPI cases' flows by ticket (sop/kopi.yaml).
	flows map[string]*rules.FlowRecord
	// submitted holds the response version each case took in this
	// cycle (new, edited, or an edit a crashed cycle already wrote);
	// order lists those cases in submission order, isNew the new ones.
	submitted map[rules.Ticket]time.Time
	order     []rules.Ticket
	isNew     map[rules.Ticket]bool
	// sent is the journal's answer emails per case.
	sent map[rules.Ticket]*rules.AnswerHistory
}

// The fields an edited response rewrites, and those settling or
// assigning a case writes (rules.CaseFields declares each field's rule).
var (
	identityFields = rules.FieldsWritten(rules.WriteOnEdit)
	assignFields   = rules.FieldsWritten(rules.WriteOnSettle)
)

// decide turns the snapshot and the responses into a plan. It does no
// I/O: given the same inputs it makes the same plan, which is what lets a
// cycle that died half-way be finished by the next one.
func (e *Engine) decide(snap *rules.Snapshot, subs []rules.Submission, surveys []rules.SurveyResponse, now time.Time, rep *Report) *plan {
	p := &plan{
		changes: &rules.Changes{},
		cases:   map[rules.Ticket]*rules.TrackedCase{},
		fresh:   map[string]bool{},

		answerReady: map[rules.Ticket]string{},
		snap:        snap,
		surveys:     surveys,
		sopFlows:    map[string]rules.FlowRecord{},
	}
	in := &intake{
		e: e, now: now, snap: snap, p: p, rep: rep,
		ledger:  map[string]*rules.LedgerEntry{},
		keys:    map[string]bool{},
		touched: map[rules.Ticket]map[rules.CaseField]bool{},
		flows:   map[string]*rules.FlowRecord{},

		submitted: map[rules.Ticket]time.Time{},
		isNew:     map[rules.Ticket]bool{},
	}
	for i := range snap.State.Flows {
		if f := &snap.State.Flows[i]; f.SOP == e.kopi.ID {
			in.flows[f.Case] = f
		}
	}
	var cases []rules.Case
	for i := range snap.Cases {
		c := snap.Cases[i]
		c.Flags = nil // derived again below, from typed state only
		p.cases[c.Ticket] = &c
		cases = append(cases, c.Case)
		in.tickets.See(c.Ticket)
	}
	in.loads = rules.Workloads(cases)
	for i := range snap.State.Ledger {
		le := &snap.State.Ledger[i]
		in.ledger[le.ResponseID] = le
		in.tickets.See(le.Ticket)
	}
	in.seeArchived()
	for i := range snap.State.Outbox {
		d := &snap.State.Outbox[i]
		in.keys[d.Key] = true
		p.outbox = append(p.outbox, d)
	}
	in.sent = rules.AnswerHistories(p.outbox)

	// Tickets follow the order of submission, not of the API's pages.
	sort.Slice(subs, func(i, j int) bool {
		if !subs[i].SubmittedAt.Equal(subs[j].SubmittedAt) {
			return subs[i].SubmittedAt.Before(subs[j].SubmittedAt)
		}
		return subs[i].ResponseID < subs[j].ResponseID
	})
	cursor := snap.State.Cursor
	for _, s := range subs {
		if s.LastSubmittedAt.After(cursor) {
			cursor = s.LastSubmittedAt
		}
		le, known := in.ledger[s.ResponseID]
		switch {
		case !known && in.recogniseArchived(s):
		case !known:
			in.newCase(s)
		case s.LastSubmittedAt.After(le.Version):
			in.edited(s, le)
		}
	}
	// Every case's flow follows what this cycle saw, through the SOP
	// engine: the assignment, history rows, emails and statuses.
	in.kopiFlows()
	for _, t := range in.order {
		if c := p.cases[t]; in.isNew[t] {
			in.whatsapp(c, false)
			in.renderNotes(c, false)
			p.changes.NewCases = append(p.changes.NewCases, *c)
		}
	}
	// An email that failed for good, or whose draft a person deleted
	// before it was sent, is flagged in its case's row, so
	// the admin sees it where they work.
	for _, d := range snap.State.Outbox {
		c := p.cases[d.Ticket]
		if c == nil || rules.IsAnonymized(c.Case) {
			continue
		}
		switch d.State {
		case rules.DeliveryFailed:
			addFlag(c, rules.Flag{Kind: rules.FlagDeliveryFailed, Detail: d.Kind, Reason: d.Detail})
		case rules.DeliveryDraftDeleted:
			addFlag(c, rules.Flag{Kind: rules.FlagDraftDeleted, Detail: d.Kind})
		}
	}
	// The answer flow, reminders, WhatsApp links and the digest.
	in.answers()
	in.reminders()
	in.sops()
	for _, c := range snap.Cases {
		if cur := p.cases[c.Ticket]; !rules.IsAnonymized(cur.Case) {
			in.whatsapp(cur, true)
			in.editsIgnored(cur)
			in.renderNotes(cur, true)
		}
	}
	in.digest()
	in.monthReport()
	in.surveyFollowUps()
	if cursor.After(snap.State.Cursor) {
		p.changes.Cursor = cursor
	}
	for t, fields := range in.touched {
		c := p.cases[t]
		u := rules.CaseUpdate{Case: *c}
		for _, fr := range rules.CaseFields {
			switch fr.Rule {
			case rules.WriteOnEdit, rules.WriteOnSettle, rules.WriteOnAnswer:
				if fields[fr.Field] {
					u.Fields = append(u.Fields, fr.Field)
				}
			}
		}
		p.updates = append(p.updates, u)
	}
	sort.Slice(p.updates, func(i, j int) bool { return p.updates[i].Case.AnchorID < p.updates[j].Case.AnchorID })
	for i := range p.changes.Outbox {
		p.outbox = append(p.outbox, &p.changes.Outbox[i])
	}
	return p
}

func (in *intake) touch(t rules.Ticket, fields ...rules.CaseField) {
	if in.touched[t] == nil {
		in.touched[t] = map[rules.CaseField]bool{}
	}
	for _, f := range fields {
		in.touched[t][f] = true
	}
}

// newCase records a response never seen before.
func (in *intake) newCase(s rules.Submission) {
	tk := in.tickets.Next(rules.TicketYear(s.SubmittedAt, in.e.loc))
	c := &rules.TrackedCase{AnchorID: rules.AnchorID(tk), ResponseVersion: s.LastSubmittedAt}
	c.Ticket = tk
	c.Submission = s
	in.settle(c)
	in.p.cases[tk] = c
	le := rules.LedgerEntry{ResponseID: s.ResponseID, Ticket: tk, Version: s.LastSubmittedAt}
	in.p.changes.Ledger = append(in.p.changes.Ledger, le)
	in.ledger[s.ResponseID] = &le
	in.isNew[tk] = true
	in.took(c)
	in.rep.NewCases++
}

// took records that a case took a response version in this cycle: its
// flow sees the form.
func (in *intake) took(c *rules.TrackedCase) {
	if _, ok := in.submitted[c.Ticket]; !ok {
		in.order = append(in.order, c.Ticket)
	}
	in.submitted[c.Ticket] = c.LastSubmittedAt
}

// edited handles a newer version of a known response.
func (in *intake) edited(s rules.Submission, le *rules.LedgerEntry) {
	entry := rules.LedgerEntry{ResponseID: le.ResponseID, Ticket: le.Ticket, Version: s.LastSubmittedAt}
	in.p.changes.Ledger = append(in.p.changes.Ledger, entry)
	in.ledger[le.ResponseID] = &entry
	c := in.p.cases[le.Ticket]
	if c == nil {
		// Staff deleted the row: it is not re-created (the digest lists
		// it), and the ledger keeps the number from being reused.
		in.rep.Deleted++
		in.e.log.Warn("respons diubah tetapi barisnya sudah dihapus", "tiket", le.Ticket.String())
		return
	}
	if c.ResponseVersion.Equal(s.LastSubmittedAt) {
		// A previous cycle wrote this version to the row and died
		// before its commit: only the flow, its emails and the ledger
		// remain, and the flow reads them off the row.
		in.took(c)
		return
	}
	switch {
	case c.Status.Waiting():
		c.Submission = mergeSubmission(c.Submission, s)
		c.ResponseVersion = s.LastSubmittedAt
		in.settle(c)
		in.touch(c.Ticket, identityFields...)
		in.touch(c.Ticket, assignFields...)
		in.took(c)
		in.rep.Updated++
	default:
		// Flagged by editsIgnored from the ledger, which now holds this
		// newer version while the row keeps the one it shows.
		in.rep.EditsNoted++
	}
}

// editsIgnored flags a case whose requester edited the response after
// the case moved on: the ledger holds a newer version than the row.
func (in *intake) editsIgnored(c *rules.TrackedCase) {
	if le := in.ledger[c.ResponseID]; le != nil && !c.Status.Waiting() && !c.ResponseVersion.IsZero() && le.Version.After(c.ResponseVersion) {
		addFlag(c, rules.Flag{Kind: rules.FlagEditIgnored, At: le.Version, Status: c.Status})
	}
}

// addFlag adds a flag to a case once.
func addFlag(c *rules.TrackedCase, f rules.Flag) {
	for _, g := range c.Flags {
		if g == f {
			return
		}
	}
	c.Flags = append(c.Flags, f)
}

// renderNotes writes the notes cell from the case's flags (the one place
// its text is made); an existing row is written only when it differs.
func (in *intake) renderNotes(c *rules.TrackedCase, existing bool) {
	notes := rules.Notes(c.Flags, in.e.loc)
	if notes == c.Notes {
		return
	}
	c.Notes = notes
	if existing {
		in.touch(c.Ticket, rules.CFNotes)
	}
}

// mergeSubmission takes the requester's fields from the new version and
// keeps the first submission time.
func mergeSubmission(old, s rules.Submission) rules.Submission {
	s.SubmittedAt = old.SubmittedAt
	return s
}

// settle checks completeness and sets the deadline of a case that is
// new or was edited while waiting; its flow (kopiFlow) assigns it and
// turns what was found into the case's step and status.
func (in *intake) settle(c *rules.TrackedCase) {
	c.Missing = rules.CheckCompleteness(in.e.o.Config, c.Submission)
	if !c.Complete() {
		c.Deadline = time.Time{}
		in.rep.Incomplete++
		return
	}
	if c.Deadline.IsZero() {
		// The SOP clock runs from the complete submission: step 2 (the
		// admin's check) and step 3 (the team's answer) of sop/kopi.yaml,
		// in working time.
		start := c.LastSubmittedAt
		if start.IsZero() {
			start = in.now
		}
		c.Deadline = in.e.kopi.DueThrough(in.e.o.Calendar, start, rules.StepCheck, rules.StepAnswer)
	}
}

// assign picks a consultant for a complete case; it reports whether one
// was found. Without one the case stays at the admin's check (Baru)
// with the reason in its notes.
func (in *intake) assign(c *rules.TrackedCase) bool {
	topic, ok := in.e.o.Config.Topic(c.Topic)
	if !ok {
		return false
	}
	day := rules.DateOf(in.now.In(in.e.loc))
	a := rules.Assign(in.snap.Roster, topic, in.loads, day)
	if !a.OK {
		addFlag(c, rules.Flag{Kind: rules.FlagUnassigned, Detail: a.Reason})
		in.rep.Unassigned++
		return false
	}
	c.Consultant = a.Consultant.Name
	c.ConsultantEmail = a.Consultant.Email
	c.AssignedAt = in.now
	key := strings.ToLower(a.Consultant.Email)
	w := in.loads[key]
	w.Open++
	w.LastAssigned = in.now
	in.loads[key] = w
	return true
}
