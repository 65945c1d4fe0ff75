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
	// sopFlows are the SOP cases' flows after this cycle, by "sop/case";
	// sopViews the SOP rows to write once the commit landed.
	sopFlows map[string]rules.FlowRecord
	sopViews []rules.SOPRowView
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
func (e *Engine) decide(snap *rules.Snapshot, subs []rules.Submission, now time.Time, rep *Report) *plan {
	p := &plan{
		changes: &rules.Changes{},
		cases:   map[rules.Ticket]*rules.TrackedCase{},
		fresh:   map[string]bool{},

		answerReady: map[rules.Ticket]string{},
		snap:        snap,
		sopFlows:    map[string]rules.FlowRecord{},
	}
	in := &intake{
		e: e, now: now, snap: snap, p: p, rep: rep,
		ledger:  map[string]*rules.LedgerEntry{},
		keys:    map[string]bool{},
		touched: map[rules.Ticket]map[rules.CaseField]bool{},
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
	// Complete cases nobody could take are offered again each cycle:
	// the roster may have changed.
	for _, c := range snap.Cases {
		cur := p.cases[c.Ticket]
		if cur.Status == rules.StatusBaru && cur.Complete() && !in.isTouched(cur.Ticket) {
			if in.assign(cur) {
				in.touch(cur.Ticket, assignFields...)
				in.intents(cur)
			}
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

func (in *intake) isTouched(t rules.Ticket) bool { return in.touched[t] != nil }

// newCase records a response never seen before.
func (in *intake) newCase(s rules.Submission) {
	tk := in.tickets.Next(rules.TicketYear(s.SubmittedAt, in.e.loc))
	c := &rules.TrackedCase{AnchorID: rules.AnchorID(tk), ResponseVersion: s.LastSubmittedAt}
	c.Ticket = tk
	c.Submission = s
	in.settle(c)
	in.p.cases[tk] = c
	le := rules.LedgerEntry{ResponseID: s.ResponseID, Ticket: tk, Version: s.LastSubmittedAt, Handle: -1}
	in.p.changes.Ledger = append(in.p.changes.Ledger, le)
	in.ledger[s.ResponseID] = &le
	in.intents(c)
	in.whatsapp(c, false)
	in.renderNotes(c, false)
	in.p.changes.NewCases = append(in.p.changes.NewCases, *c)
	in.rep.NewCases++
}

// edited handles a newer version of a known response.
func (in *intake) edited(s rules.Submission, le *rules.LedgerEntry) {
	entry := rules.LedgerEntry{ResponseID: le.ResponseID, Ticket: le.Ticket, Version: s.LastSubmittedAt, Handle: le.Handle}
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
		// before its commit: only the intents and ledger remain.
		in.intents(c)
		return
	}
	switch c.Status {
	case rules.StatusBaru, rules.StatusKurangLengkap, "":
		wasIncomplete := !c.Complete()
		c.Submission = mergeSubmission(c.Submission, s)
		c.ResponseVersion = s.LastSubmittedAt
		if wasIncomplete && c.Status == rules.StatusKurangLengkap {
			c.Status = ""
		}
		in.settle(c)
		in.touch(c.Ticket, identityFields...)
		in.touch(c.Ticket, assignFields...)
		in.intents(c)
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
	le := in.ledger[c.ResponseID]
	if le == nil || c.ResponseVersion.IsZero() || !le.Version.After(c.ResponseVersion) {
		return
	}
	switch c.Status {
	case rules.StatusBaru, rules.StatusKurangLengkap, "":
		return
	}
	addFlag(c, rules.Flag{Kind: rules.FlagEditIgnored, At: le.Version, Status: c.Status})
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

// settle applies completeness, assignment and the deadline to a case
// that is new or was edited while waiting.
func (in *intake) settle(c *rules.TrackedCase) {
	c.Missing = rules.CheckCompleteness(in.e.o.Config, c.Submission)
	if !c.Complete() {
		c.Status = rules.StatusKurangLengkap
		c.Deadline = time.Time{}
		in.rep.Incomplete++
		return
	}
	if c.Status == "" || c.Status == rules.StatusKurangLengkap {
		c.Status = rules.StatusBaru
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
	if c.Status == rules.StatusBaru {
		in.assign(c)
	}
}

// assign picks a consultant for a complete case; it reports whether one
// was found. Without one the case stays Baru with the reason in its notes.
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
	c.Status = rules.StatusDitugaskan
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

// intents adds the emails a case's state calls for, each keyed so that
// deriving it again (after a crash, in a later cycle) adds nothing.
func (in *intake) intents(c *rules.TrackedCase) {
	form := in.e.o.Config.Intake.FormID
	add := func(kind, recipient string, parts ...string) {
		key := rules.EmailKey(append([]string{form, c.ResponseID, kind}, parts...)...)
		if in.keys[key] {
			return
		}
		in.keys[key] = true
		in.p.fresh[key] = true
		in.p.changes.Outbox = append(in.p.changes.Outbox, rules.Delivery{
			Key: key, Ticket: c.Ticket, Kind: kind, Recipient: recipient,
			State: rules.DeliveryQueued, At: in.now, Handle: -1,
		})
	}
	switch {
	case !c.Complete():
		add(KindIncomplete, recipientSender, c.LastSubmittedAt.UTC().Format(time.RFC3339Nano))
	default:
		add(KindReceipt, recipientSender)
		switch c.Status {
		case rules.StatusDitugaskan:
			add(KindAssignment, recipientConsult, strings.ToLower(c.ConsultantEmail))
		case rules.StatusBaru:
			add(KindUnassigned, recipientAdmin)
		}
	}
}
