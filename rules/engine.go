package rules

import (
	"strconv"
	"strings"
	"time"
)

// Flow is where one case stands in its SOP: all the engine needs to know
// about it, and all it changes. The adapter keeps it with the case.
type Flow struct {
	// SOP is the definition's ID.
	SOP string
	// Case names the case (a ticket, a row's id).
	Case string
	// Step is the current step; 0 before the case started.
	Step int
	// Done is true once the case left its last step.
	Done bool
	// EnteredAt is when the case entered Step.
	EnteredAt time.Time
	// Due is when Step is due: EnteredAt plus the step's standard in
	// working time.
	Due time.Time
	// Choice is the standard chosen for steps with standard_choices
	// (a span text such as "3d"); empty takes the first choice.
	Choice string
	// Corrections counts the corrections (Koreksi) so far.
	Corrections int
}

// EventKind is what happened to a case.
type EventKind string

// The events the engine understands.
const (
	// EventStart starts a case at step 1 (staff added its row, a form
	// response arrived).
	EventStart EventKind = "mulai"
	// EventDecision is a staff decision in the sheet (Setuju, Koreksi,
	// Selesai…) on the current step.
	EventDecision EventKind = "keputusan"
	// EventForm is a form response completing the current step.
	EventForm EventKind = "formulir"
	// EventEmail is kopi having sent the current step's email.
	EventEmail EventKind = "email"
)

// Event is one thing that happened to a case, as sync observed it.
type Event struct {
	Kind EventKind
	// Step is the step the event completes; an event for another step
	// than the current one is stale and changes nothing.
	Step int
	// Decision is the label staff picked (EventDecision).
	Decision string
	// Note is the decision's note (required with a correction).
	Note string
	// Actor is who acted, as far as kopi knows: the Sheets API does not
	// say who edited a cell, so this is the person the roles map to the
	// step's actor (or the requester for a form response).
	Actor string
}

// HistoryEntry is one transition of a case: a row of the history tab
// (Riwayat) and what compliance is computed from.
type HistoryEntry struct {
	SOP  string
	Case string
	// From and To are step numbers; From 0 is the start, To 0 the end.
	From, To int
	// Decision is the label that moved the case ("" for a start or a
	// step completed by a form or an email).
	Decision string
	// Correction marks a decision that returned the case for correction.
	Correction bool
	Note       string
	Actor      string
	// At is when the transition happened as far as kopi knows: a form
	// response's submission time, an email's send time, otherwise when
	// kopi observed it.
	At time.Time
	// Duration is the working time the case spent in From.
	Duration time.Duration
	// Standard is From's time standard for this case.
	Standard Span
	// Met reports whether From was done within its standard.
	Met bool
}

// StepEmail is an email the engine asks for: the roles to tell that a
// case entered a step. Key makes it exactly-once: deriving it again
// after a crash gives the same key.
type StepEmail struct {
	Key  string
	Step int
	Role string
	// Correction is true when the case came back for correction; the
	// email then quotes the note.
	Correction bool
	Note       string
}

// Outcome is what one event does to a case: its new flow, the history
// rows, the emails and the flags. Applying it is sync's job.
type Outcome struct {
	Flow    Flow
	History []HistoryEntry
	Emails  []StepEmail
	Flags   []Flag
}

// Changed reports whether the case moved.
func (o Outcome) Changed() bool { return len(o.History) > 0 }

// Advance applies an event to a case under an SOP definition, at now,
// in the calendar's working time. It is pure: the same inputs give the
// same outcome, so a cycle that died half-way derives it again.
func Advance(def *SOPDef, f Flow, ev Event, now time.Time, cal *Calendar) Outcome {
	out := Outcome{Flow: f}
	if ev.Kind == EventStart {
		if f.Step != 0 || f.Done {
			return out
		}
		out.Flow.SOP = def.ID
		enter(def, &out, 1, now, cal, false, "")
		out.History = append(out.History, HistoryEntry{SOP: def.ID, Case: f.Case, To: 1, Actor: ev.Actor, At: now, Met: true})
		return out
	}
	if f.Done || ev.Step != f.Step {
		return out
	}
	step, ok := def.Step(f.Step)
	if !ok {
		return out
	}
	next, correction := -1, false
	decision := strings.TrimSpace(ev.Decision)
	switch {
	case len(step.Decisions) > 0:
		if ev.Kind != EventDecision {
			return out
		}
		for _, dc := range step.Decisions {
			if normKey(dc.Label) == normKey(decision) {
				next, correction, decision = def.nextOf(step.No, dc.Next), dc.Correction, dc.Label
			}
		}
		if next < 0 {
			out.Flags = append(out.Flags, Flag{Kind: FlagDecisionUnknown, Step: step.No, Detail: decision})
			return out
		}
	default:
		want := step.DoneBy
		if want == "" {
			want = DoneDecision
		}
		if string(ev.Kind) != string(want) {
			return out
		}
		if ev.Kind == EventDecision {
			if normKey(decision) != normKey(DecisionDone) {
				out.Flags = append(out.Flags, Flag{Kind: FlagDecisionUnknown, Step: step.No, Detail: decision})
				return out
			}
			decision = DecisionDone
		} else {
			decision = ""
		}
		next = def.nextOf(step.No, step.Next)
	}
	note := strings.TrimSpace(ev.Note)
	if correction && note == "" {
		out.Flags = append(out.Flags, Flag{Kind: FlagNoteMissing, Step: step.No, Detail: decision})
		return out
	}
	std := step.StandardFor(f.Choice)
	spent := cal.WorkingBetween(f.EnteredAt, now)
	out.History = append(out.History, HistoryEntry{
		SOP: def.ID, Case: f.Case, From: step.No, To: next, Decision: decision, Correction: correction,
		Note: note, Actor: ev.Actor, At: now, Duration: spent, Standard: std, Met: !now.After(f.Due),
	})
	if correction {
		out.Flow.Corrections++
	}
	if next == 0 {
		out.Flow.Step, out.Flow.Done, out.Flow.Due = 0, true, time.Time{}
		out.Flow.EnteredAt = now
		return out
	}
	enter(def, &out, next, now, cal, correction, note)
	return out
}

// enter moves the outcome's flow into step n at now: its due time and
// the emails to the step's roles.
func enter(def *SOPDef, out *Outcome, n int, now time.Time, cal *Calendar, correction bool, note string) {
	step, _ := def.Step(n)
	out.Flow.Step, out.Flow.EnteredAt = n, now
	out.Flow.Due = cal.AddSpan(now, step.StandardFor(out.Flow.Choice))
	roles := step.Notify
	if correction {
		roles = append(append([]string(nil), roles...), step.NotifyCorrection...)
	}
	for _, role := range roles {
		out.Emails = append(out.Emails, StepEmail{
			Key:  EmailKey(def.ID, out.Flow.Case, "langkah", strconv.Itoa(n), role, now.UTC().Format(time.RFC3339Nano)),
			Step: n, Role: role, Correction: correction, Note: note,
		})
	}
}

// DueThrough is when a clock started at start is due if it must cover
// the standards of steps from..to of the definition in turn, in working
// time: KOPI's consultant deadline runs from the complete submission
// through the admin's check (step 2) and the team's answer (step 3).
func (d *SOPDef) DueThrough(cal *Calendar, start time.Time, from, to int) time.Time {
	due := start
	for n := from; n <= to; n++ {
		if s, ok := d.Step(n); ok {
			due = cal.AddSpan(due, s.StandardFor(""))
		}
	}
	return due
}
