package rules

import (
	"strings"
	"time"
)

// KOPI's own flow runs through the same engine as every other SOP
// (Advance over sop/kopi.yaml). What differs is where the events come
// from: a KOPI case has no decision column, so kopi reads them off what
// it sees — a form response, the completeness check and the assignment
// it made, the status staff set, the answer email the journal shows
// sent — and KOPIAdvance turns that into events, one step at a time,
// until the flow shows what the row and the journal show.

// The decisions of sop/kopi.yaml, as the engine matches them.
const (
	// DecisionForward: the admin's check found the form complete and a
	// consultant took it (step 2 → 3).
	DecisionForward = "Diteruskan"
	// DecisionIncomplete: the form lacks something; back to the
	// requester (step 2 → 1, a correction).
	DecisionIncomplete = "Kurang Lengkap"
)

// KOPISeen is what kopi saw of a KOPI case in this cycle.
type KOPISeen struct {
	// Case is the row as this cycle will write it: completeness checked
	// and a consultant assigned when one was found.
	Case Case
	// Submitted is the lastSubmittedTime of the response version taken
	// in this cycle (new or edited); zero when none.
	Submitted time.Time
	// Sent is when the journal shows the answer email sent; zero when
	// none went out.
	Sent time.Time
	// ApprovalRequired is the config's answers.approval_required.
	ApprovalRequired bool
}

// KOPIAdvance moves a KOPI case's flow through the engine as far as
// what kopi saw allows, one event per step, all at now unless the event
// carries its own time (a submission, a send). The emails of a step the
// case was sent back from in the same call are dropped: the case never
// rested there (an incomplete form enters the admin's check and returns
// to the requester at once; the receipt is not due, the notice is).
func KOPIAdvance(def *SOPDef, f Flow, seen KOPISeen, now time.Time, cal *Calendar) Outcome {
	out := Outcome{Flow: f}
	formTaken := false
	for range 2 * (len(def.Steps) + 1) {
		ev, at, ok := kopiEvent(out.Flow, seen, now, formTaken)
		if !ok {
			break
		}
		formTaken = formTaken || ev.Kind == EventForm
		if at.Before(out.Flow.EnteredAt) {
			at = out.Flow.EnteredAt
		}
		o := Advance(def, out.Flow, ev, at, cal)
		out.Flags = append(out.Flags, o.Flags...)
		if !o.Changed() {
			break
		}
		if h := o.History[0]; h.Correction {
			kept := out.Emails[:0]
			for _, m := range out.Emails {
				if m.Step != h.From {
					kept = append(kept, m)
				}
			}
			out.Emails = kept
		}
		out.Flow = o.Flow
		out.History = append(out.History, o.History...)
		out.Emails = append(out.Emails, o.Emails...)
	}
	return out
}

// kopiEvent is the event that moves the flow one step towards what kopi
// saw, with its time; false when the flow shows it already.
func kopiEvent(f Flow, seen KOPISeen, now time.Time, formTaken bool) (Event, time.Time, bool) {
	c := seen.Case
	if f.Done {
		return Event{}, time.Time{}, false
	}
	decide := func(label, note, actor string) (Event, time.Time, bool) {
		return Event{Kind: EventDecision, Step: f.Step, Decision: label, Note: note, Actor: actor}, now, true
	}
	answerOut := c.Status == StatusDisetujui || c.Status == StatusKirimUlang || c.Status.Final()
	switch f.Step {
	case 0:
		at := c.SubmittedAt
		if at.IsZero() {
			at = now
		}
		return Event{Kind: EventStart, Actor: actorRequester}, at, true
	case StepFillForm:
		if !seen.Submitted.IsZero() && !formTaken {
			return Event{Kind: EventForm, Step: f.Step, Actor: actorRequester}, seen.Submitted, true
		}
	case StepCheck:
		switch {
		case !c.Complete():
			msgs := make([]string, len(c.Missing))
			for i, m := range c.Missing {
				msgs[i] = m.Message
			}
			return decide(DecisionIncomplete, strings.Join(msgs, "; "), actorKopiCheck)
		case strings.TrimSpace(c.Consultant) != "":
			return decide(DecisionForward, "", actorKopiCheck)
		}
	case StepAnswer:
		if answered(c.Status) && strings.TrimSpace(c.Answer) != "" {
			return decide(string(StatusDijawab), "", actorConsultant(c))
		}
	case StepSend:
		switch {
		case c.Status == StatusDitugaskan:
			return decide(string(StatusDitugaskan), msgKOPIReturned, actorAdmin)
		case answerOut || !seen.Sent.IsZero():
			return decide(string(StatusDisetujui), "", actorAdmin)
		case c.Status == StatusDijawab && !seen.ApprovalRequired:
			return decide(string(StatusDisetujui), msgKOPINoApproval, actorKopiNoApproval)
		}
	case StepReceive:
		if !seen.Sent.IsZero() {
			return Event{Kind: EventEmail, Step: f.Step, Actor: actorKopiSent}, seen.Sent, true
		}
	case StepArchive:
		if c.Status == StatusSelesai {
			return decide(DecisionDone, "", actorSecretariat)
		}
	}
	return Event{}, time.Time{}, false
}

// actorConsultant names who answered: the Sheets API does not say who
// set the status, so the answer is the assigned consultant's.
func actorConsultant(c Case) string {
	if n := strings.TrimSpace(c.Consultant); n != "" {
		return n + " (Tim KOPI)"
	}
	return "Tim KOPI"
}

// KOPIFlowOf is the flow of a KOPI case kopi has no flow record of (a
// row from before flows were kept): the step its status shows, entered
// when the row last moved as far as it says. It writes no history: the
// transitions before it were not observed.
func KOPIFlowOf(def *SOPDef, c Case, now time.Time, cal *Calendar) Flow {
	f := Flow{SOP: def.ID, Case: c.Ticket.String()}
	at := c.LastSubmittedAt
	switch c.Status {
	case StatusKurangLengkap:
		f.Step = StepFillForm
	case StatusBaru, "":
		f.Step = StepCheck
	case StatusDitugaskan:
		f.Step, at = StepAnswer, c.AssignedAt
	case StatusDijawab, StatusDisetujui:
		f.Step, at = StepSend, c.AnsweredAt
	case StatusTerkirim, StatusKirimUlang:
		f.Step, at = StepArchive, c.SentAt
	case StatusSelesai:
		f.Done, at = true, c.SentAt
	}
	if at.IsZero() || at.After(now) {
		at = now
	}
	f.EnteredAt = at
	if s, ok := def.Step(f.Step); ok && !f.Done {
		f.Due = cal.AddSpan(at, s.StandardFor(""))
	}
	return f
}

// KOPIStatusAt is the status kopi writes when its own check moved a
// case into step n (the requester's correction, the admin's check, the
// team's answer); other steps' statuses are set by staff or by the
// answer flow, so ok is false for them.
func KOPIStatusAt(f Flow) (Status, bool) {
	if f.Done {
		return "", false
	}
	switch f.Step {
	case StepFillForm:
		return StatusKurangLengkap, true
	case StepCheck:
		return StatusBaru, true
	case StepAnswer:
		return StatusDitugaskan, true
	}
	return "", false
}
