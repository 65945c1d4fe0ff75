package sync

import (
	"strings"
	"time"

	"kopi/rules"
)

// kopiFlows runs every KOPI case through the SOP engine
// (rules.KOPIAdvance over sop/kopi.yaml) with what this cycle saw of it:
// the response version it took, the completeness settle checked, the
// consultant rules.Assign found, the status staff set, the answer email
// the journal shows sent. Each transition's flow record, history row (tab Riwayat) and
// emails go into the cycle's one atomic commit; the status the engine
// decides for kopi's own steps goes into the row. The flow record is
// what makes it exactly once: a cycle that died before the commit
// derives the same transitions again from the same row and journal, and
// after the commit the flow already shows them.
func (in *intake) kopiFlows() {
	order := append([]rules.Ticket(nil), in.order...)
	for _, c := range in.snap.Cases {
		if _, took := in.submitted[c.Ticket]; !took {
			order = append(order, c.Ticket)
		}
	}
	for _, t := range order {
		c := in.p.cases[t]
		if c == nil || rules.IsAnonymized(c.Case) {
			continue
		}
		in.kopiFlow(c)
	}
}

// kopiFlow advances one case's flow and applies the outcome.
func (in *intake) kopiFlow(c *rules.TrackedCase) {
	def, cal := in.e.kopi, in.e.o.Calendar
	rec := rules.FlowRecord{Flow: rules.Flow{SOP: def.ID, Case: c.Ticket.String()}}
	keep := false
	switch old := in.flows[c.Ticket.String()]; {
	case old != nil:
		rec = *old
	case !in.isNew[c.Ticket]:
		// A row kopi keeps no flow for (from before flows were kept, or
		// a closed case's record compacted away): its flow starts at the
		// step its status shows, with no history of the steps before.
		// An open case's is recorded at once, so its next step is seen
		// from there; a sent or closed case's is derived again each
		// cycle until it moves, so old cases cost no state rows.
		rec.Flow = rules.KOPIFlowOf(def, c.Case, in.now, cal)
		keep = !rec.Done && rec.Step != rules.StepArchive
	}
	_, took := in.submitted[c.Ticket]
	if c.Complete() && c.Consultant == "" && !rec.Done && (took || rec.Step == rules.StepCheck) {
		// A complete form nobody took yet: offered again each cycle at
		// the admin's check, since the roster may have changed.
		if in.assign(c) && !in.isNew[c.Ticket] {
			in.touch(c.Ticket, assignFields...)
		}
	}
	seen := rules.KOPISeen{Case: c.Case, Submitted: in.submitted[c.Ticket], ApprovalRequired: in.e.o.Config.Answers.ApprovalRequired}
	if h := in.sent[c.Ticket]; h != nil && len(h.Sent) > 0 {
		seen.Sent = h.Sent[0].At
	}
	o := rules.KOPIAdvance(def, rec.Flow, seen, in.now, cal)
	for _, f := range o.Flags {
		addFlag(c, f)
	}
	if o.Changed() {
		if st, ok := rules.KOPIStatusAt(o.Flow); ok && c.Status != st {
			c.Status = st
			if !in.isNew[c.Ticket] {
				in.touch(c.Ticket, rules.CFStatus)
			}
		}
		for _, m := range o.Emails {
			in.kopiEmail(c, m)
		}
		in.rep.KOPITransitions += len(o.History)
	}
	if took && c.Status == rules.StatusBaru && c.Complete() {
		// Nobody could take it: the admin is told once per response.
		in.kopiIntent(c, KindUnassigned, recipientAdmin)
	}
	if !o.Changed() && !keep {
		return
	}
	rec.Flow = o.Flow
	in.p.changes.Flows = append(in.p.changes.Flows, rec)
	in.p.changes.History = append(in.p.changes.History, o.History...)
}

// kopiEmail queues the KOPI email for an email the engine asks for on
// entering a step of sop/kopi.yaml: back at the requester's form, the
// notice naming what is missing (one per response version); at the
// admin's check, the receipt; at the team's answer, the assignment to
// the consultant (one per consultant, so a correction loop back to the
// same consultant sends none).
func (in *intake) kopiEmail(c *rules.TrackedCase, m rules.StepEmail) {
	switch {
	case m.Step == rules.StepFillForm && m.Correction:
		in.addIntent(c.Ticket, KindIncomplete, recipientSender, incompleteKey(in.e.o.Config.Intake.FormID, c))
	case m.Step == rules.StepCheck:
		in.kopiIntent(c, KindReceipt, recipientSender)
	case m.Step == rules.StepAnswer:
		in.kopiIntent(c, KindAssignment, recipientConsult, strings.ToLower(c.ConsultantEmail))
	}
}

// kopiIntent queues a KOPI email under the key of (form, response,
// kind, parts): deriving it again after a crash adds nothing.
func (in *intake) kopiIntent(c *rules.TrackedCase, kind, recipient string, parts ...string) {
	in.addIntent(c.Ticket, kind, recipient, kopiKey(in.e.o.Config.Intake.FormID, c, kind, parts...))
}

// kopiKey is the key of a KOPI email about a case's response: (form,
// response, kind, parts).
func kopiKey(formID string, c *rules.TrackedCase, kind string, parts ...string) string {
	return rules.EmailKey(append([]string{formID, c.ResponseID, kind}, parts...)...)
}

// incompleteKey is the key of the incomplete notice about the response
// version the case shows: one notice per version.
func incompleteKey(formID string, c *rules.TrackedCase) string {
	return kopiKey(formID, c, KindIncomplete, c.LastSubmittedAt.UTC().Format(time.RFC3339Nano))
}
