package rules

import "time"

// A reminder is decided when it is queued (DueReminder, StepReminder,
// SurveyFollowUpDue), but it goes out only when the outbox may send it:
// outside office hours, over Gmail's daily limit or during an outage it
// waits, and meanwhile staff may answer. ReminderDue is asked again
// before a pending reminder is drafted or sent; one that is no longer due
// is withdrawn (DeliveryWithdrawn), never sent.

// ReminderClass is which reminder a pending email is.
type ReminderClass int

// The reminders kopi sends.
const (
	// ReminderDeadline: a KOPI case's step-3 reminder, overdue notice or
	// escalation (DueReminder), while it waits for its consultant.
	ReminderDeadline ReminderClass = iota + 1
	// ReminderStep: an SOP case's step reminder, overdue notice or
	// escalation (StepReminder), about one entry into a step.
	ReminderStep
	// ReminderSurvey: the one survey reminder to a requester whose
	// answer went out (SurveyFollowUpDue).
	ReminderSurvey
	// NoticeIncomplete: the notice naming what a response lacks, queued
	// for one version of the response. Not a reminder, but held back the
	// same way, and it goes stale the same way: the requester edits the
	// form before it goes out.
	NoticeIncomplete
)

// PendingReminder is a reminder the outbox holds and what its case shows
// at the cycle's now.
type PendingReminder struct {
	Class ReminderClass
	// Level is a deadline or step reminder's level.
	Level Reminder
	// Case is the KOPI case as the cycle leaves it (deadline reminders,
	// the survey reminder); nil when its row is gone.
	Case *Case
	// Flow is the SOP case's flow (step reminders); nil when its row is
	// gone. InEntry reports that the reminder was queued for the entry
	// into a step the flow is in now: the same step, entered at the same
	// time (a case sent back to the step and returned is a new entry with
	// reminders of its own).
	Flow    *Flow
	InEntry bool
	// Surveyed: a survey names the case (the survey reminder).
	Surveyed bool
	// Current: the incomplete notice is about the response's version the
	// case shows now (its key names that version).
	Current bool
	// Off: the configuration no longer sends reminders of this class
	// (reminders.enabled turned off for deadline and step reminders,
	// survey.follow_up_after emptied for the survey reminder) since it
	// was queued.
	Off bool
}

// Staleness is why a pending reminder may no longer go out: zero
// (ReminderStillDue) when it still may.
type Staleness int

// The reasons a pending reminder is withdrawn.
const (
	ReminderStillDue Staleness = iota
	// StaleNotWaiting: the KOPI case no longer waits for its consultant
	// — answered, approved, sent, closed, or back at the admin's check.
	StaleNotWaiting
	// StaleDeadlinePassed: a pre-breach reminder ("the deadline is
	// near") once the deadline passed; the overdue notice takes over.
	StaleDeadlinePassed
	// StaleStepLeft: the SOP case left the step entry the reminder is
	// about (a decision moved it, or it is done).
	StaleStepLeft
	// StaleSurveyed: the requester already answered the survey.
	StaleSurveyed
	// StaleCaseGone: the case's row is gone or anonymised.
	StaleCaseGone
	// StaleTurnedOff: the operator turned this kind of reminder off
	// while it waited.
	StaleTurnedOff
	// StaleEdited: the requester edited the response the incomplete
	// notice is about; the new version has its own notice, or none.
	StaleEdited
	// StaleNotIncomplete: the case is no longer sent back to the
	// requester (staff completed it, or moved it on).
	StaleNotIncomplete
)

// Note is the reason as the admin reads it in the state tab.
func (s Staleness) Note() string {
	switch s {
	case StaleNotWaiting:
		return msgStaleNotWaiting
	case StaleDeadlinePassed:
		return msgStaleDeadlinePassed
	case StaleStepLeft:
		return msgStaleStepLeft
	case StaleSurveyed:
		return msgStaleSurveyed
	case StaleCaseGone:
		return msgStaleCaseGone
	case StaleTurnedOff:
		return msgStaleTurnedOff
	case StaleEdited:
		return msgStaleEdited
	case StaleNotIncomplete:
		return msgStaleNotIncomplete
	}
	return ""
}

// ReminderDue decides whether a pending reminder may still go out at
// now. It asks what queuing it asked, of the case as it stands now:
//   - a KOPI deadline reminder only while the case waits for its
//     consultant (Ditugaskan) with a deadline — the same condition as
//     DueReminder, so a reminder DueReminder queues is never withdrawn in
//     the same cycle, and one withdrawn is queued again only when the
//     case waits again (e.g. the admin returns the answer to the
//     consultant, Dijawab → Ditugaskan: the consultant, never told, is
//     overdue again);
//   - an SOP step reminder only while the case is in the step entry it
//     was queued for;
//   - a pre-breach reminder of either only before the deadline it
//     announces;
//   - the survey reminder only while no survey names the case;
//   - the incomplete notice only while the case is Kurang Lengkap at the
//     response version it was queued for (else it would list what the
//     requester has since filled in, or nothing);
//   - none once the configuration turned its kind off: an operator who
//     switches reminders off expects none to go out afterwards, held
//     ones included.
//
// Office hours are not asked: they hold a reminder, they do not make it
// stale.
func ReminderDue(p PendingReminder, now time.Time) Staleness {
	if p.Off {
		return StaleTurnedOff
	}
	switch p.Class {
	case ReminderDeadline:
		switch {
		case p.Case == nil || IsAnonymized(*p.Case):
			return StaleCaseGone
		case !p.Case.Status.AwaitsConsultant() || p.Case.Deadline.IsZero():
			return StaleNotWaiting
		case p.Level == ReminderPreBreach && !now.Before(p.Case.Deadline):
			return StaleDeadlinePassed
		}
	case ReminderStep:
		switch {
		case p.Flow == nil:
			return StaleCaseGone
		case p.Flow.Done || !p.InEntry:
			return StaleStepLeft
		case p.Level == ReminderPreBreach && !p.Flow.Due.IsZero() && !now.Before(p.Flow.Due):
			return StaleDeadlinePassed
		}
	case ReminderSurvey:
		switch {
		case p.Case == nil || IsAnonymized(*p.Case):
			return StaleCaseGone
		case p.Surveyed:
			return StaleSurveyed
		}
	case NoticeIncomplete:
		switch {
		case p.Case == nil || IsAnonymized(*p.Case):
			return StaleCaseGone
		case !p.Current:
			return StaleEdited
		case p.Case.Status != StatusKurangLengkap:
			return StaleNotIncomplete
		}
	}
	return ReminderStillDue
}
