package rules

import (
	"testing"
	"time"
)

// TestReminderDue is the table of what a pending reminder may still do:
// for each reminder kopi sends, the states of its case in which it goes
// out, and why it is withdrawn in the others.
func TestReminderDue(t *testing.T) {
	deadline := at("2026-03-04 09:00")
	kopi := func(s Status) *Case { return &Case{Status: s, Deadline: deadline, Submission: Submission{Name: "Ani"}} }
	anon := Anonymize(*kopi(StatusSelesai), at("2026-06-01 09:00"))
	noDeadline := kopi(StatusDitugaskan)
	noDeadline.Deadline = time.Time{}
	flow := func(done bool) *Flow {
		return &Flow{SOP: "bimtek", Case: "BIMTEK-0001", Step: 2, EnteredAt: at("2026-03-02 09:00"), Due: deadline, Done: done}
	}
	before, after := at("2026-03-04 08:30"), at("2026-03-04 11:46")
	tests := []struct {
		name string
		p    PendingReminder
		now  time.Time
		want Staleness
	}{
		// KOPI's step-3 reminders: only while the consultant owes the answer.
		{"overdue notice, still waiting", PendingReminder{Class: ReminderDeadline, Level: ReminderOverdue, Case: kopi(StatusDitugaskan)}, after, ReminderStillDue},
		{"escalation, still waiting", PendingReminder{Class: ReminderDeadline, Level: ReminderEscalation, Case: kopi(StatusDitugaskan)}, after, ReminderStillDue},
		{"pre-breach before the deadline", PendingReminder{Class: ReminderDeadline, Level: ReminderPreBreach, Case: kopi(StatusDitugaskan)}, before, ReminderStillDue},
		{"pre-breach at the deadline", PendingReminder{Class: ReminderDeadline, Level: ReminderPreBreach, Case: kopi(StatusDitugaskan)}, deadline, StaleDeadlinePassed},
		{"overdue notice, answered (seed 124)", PendingReminder{Class: ReminderDeadline, Level: ReminderOverdue, Case: kopi(StatusDijawab)}, after, StaleNotWaiting},
		{"escalation, approved", PendingReminder{Class: ReminderDeadline, Level: ReminderEscalation, Case: kopi(StatusDisetujui)}, after, StaleNotWaiting},
		{"pre-breach, answered before the deadline", PendingReminder{Class: ReminderDeadline, Level: ReminderPreBreach, Case: kopi(StatusDijawab)}, before, StaleNotWaiting},
		{"overdue notice, answer sent", PendingReminder{Class: ReminderDeadline, Level: ReminderOverdue, Case: kopi(StatusTerkirim)}, after, StaleNotWaiting},
		{"overdue notice, resend asked", PendingReminder{Class: ReminderDeadline, Level: ReminderOverdue, Case: kopi(StatusKirimUlang)}, after, StaleNotWaiting},
		{"overdue notice, closed", PendingReminder{Class: ReminderDeadline, Level: ReminderOverdue, Case: kopi(StatusSelesai)}, after, StaleNotWaiting},
		{"overdue notice, back at the admin's check", PendingReminder{Class: ReminderDeadline, Level: ReminderOverdue, Case: kopi(StatusBaru)}, after, StaleNotWaiting},
		{"overdue notice, incomplete again", PendingReminder{Class: ReminderDeadline, Level: ReminderOverdue, Case: kopi(StatusKurangLengkap)}, after, StaleNotWaiting},
		{"overdue notice, no deadline", PendingReminder{Class: ReminderDeadline, Level: ReminderOverdue, Case: noDeadline}, after, StaleNotWaiting},
		{"overdue notice, row deleted", PendingReminder{Class: ReminderDeadline, Level: ReminderOverdue}, after, StaleCaseGone},
		{"escalation, anonymised", PendingReminder{Class: ReminderDeadline, Level: ReminderEscalation, Case: &anon}, after, StaleCaseGone},

		// An SOP step's reminders: only while the case is in the entry
		// into the step they were queued for.
		{"step overdue, still in the step", PendingReminder{Class: ReminderStep, Level: ReminderOverdue, Flow: flow(false), InEntry: true}, after, ReminderStillDue},
		{"step escalation, still in the step", PendingReminder{Class: ReminderStep, Level: ReminderEscalation, Flow: flow(false), InEntry: true}, after, ReminderStillDue},
		{"step pre-breach before its due time", PendingReminder{Class: ReminderStep, Level: ReminderPreBreach, Flow: flow(false), InEntry: true}, before, ReminderStillDue},
		{"step pre-breach after its due time", PendingReminder{Class: ReminderStep, Level: ReminderPreBreach, Flow: flow(false), InEntry: true}, after, StaleDeadlinePassed},
		{"step overdue, decided: another step", PendingReminder{Class: ReminderStep, Level: ReminderOverdue, Flow: flow(false), InEntry: false}, after, StaleStepLeft},
		{"step escalation, case done", PendingReminder{Class: ReminderStep, Level: ReminderEscalation, Flow: flow(true), InEntry: true}, after, StaleStepLeft},
		{"step overdue, row deleted", PendingReminder{Class: ReminderStep, Level: ReminderOverdue}, after, StaleCaseGone},

		// The survey reminder: only while the requester has not rated.
		{"survey reminder, no survey yet", PendingReminder{Class: ReminderSurvey, Case: kopi(StatusTerkirim)}, after, ReminderStillDue},
		{"survey reminder, closed, no survey", PendingReminder{Class: ReminderSurvey, Case: kopi(StatusSelesai)}, after, ReminderStillDue},
		{"survey reminder, surveyed", PendingReminder{Class: ReminderSurvey, Case: kopi(StatusTerkirim), Surveyed: true}, after, StaleSurveyed},
		{"survey reminder, row deleted", PendingReminder{Class: ReminderSurvey}, after, StaleCaseGone},
		{"survey reminder, anonymised", PendingReminder{Class: ReminderSurvey, Case: &anon}, after, StaleCaseGone},

		// The incomplete notice: only about the current version of a case
		// still sent back to the requester.
		{"incomplete notice, still incomplete", PendingReminder{Class: NoticeIncomplete, Case: kopi(StatusKurangLengkap), Current: true}, after, ReminderStillDue},
		{"incomplete notice, requester edited", PendingReminder{Class: NoticeIncomplete, Case: kopi(StatusKurangLengkap)}, after, StaleEdited},
		{"incomplete notice, completed and assigned", PendingReminder{Class: NoticeIncomplete, Case: kopi(StatusDitugaskan)}, after, StaleEdited},
		{"incomplete notice, staff moved it on", PendingReminder{Class: NoticeIncomplete, Case: kopi(StatusBaru), Current: true}, after, StaleNotIncomplete},
		{"incomplete notice, row deleted", PendingReminder{Class: NoticeIncomplete}, after, StaleCaseGone},

		// Turned off in the configuration while it waited: none goes out,
		// whatever the case shows.
		{"overdue notice, still waiting, reminders off", PendingReminder{Class: ReminderDeadline, Level: ReminderOverdue, Case: kopi(StatusDitugaskan), Off: true}, after, StaleTurnedOff},
		{"step overdue, still in the step, reminders off", PendingReminder{Class: ReminderStep, Level: ReminderOverdue, Flow: flow(false), InEntry: true, Off: true}, after, StaleTurnedOff},
		{"survey reminder, no survey yet, follow-up off", PendingReminder{Class: ReminderSurvey, Case: kopi(StatusTerkirim), Off: true}, after, StaleTurnedOff},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ReminderDue(tt.p, tt.now)
			if got != tt.want {
				t.Fatalf("ReminderDue = %d (%q), want %d (%q)", got, got.Note(), tt.want, tt.want.Note())
			}
			if (got == ReminderStillDue) != (got.Note() == "") {
				t.Errorf("note %q for staleness %d", got.Note(), got)
			}
		})
	}
}

// TestReminderDueAgreesWithDueReminder: a reminder DueReminder queues is
// still due in the same instant — else a cycle would queue and withdraw
// it, and queue it again next time — at every half hour of a week and
// every status.
func TestReminderDueAgreesWithDueReminder(t *testing.T) {
	c := testCalendar(t)
	p := ReminderPolicy{Enabled: true, Share: 0.75, EscalateAfter: MustSpan("4h")}
	assigned, deadline := at("2026-04-10 15:00"), at("2026-04-13 15:00")
	for now := assigned; now.Before(at("2026-04-17 17:00")); now = now.Add(30 * time.Minute) {
		for _, s := range Statuses {
			r := DueReminder(c, p, s, assigned, deadline, nil, now)
			if r == ReminderNone {
				continue
			}
			cs := &Case{Status: s, Deadline: deadline}
			if got := ReminderDue(PendingReminder{Class: ReminderDeadline, Level: r, Case: cs}, now); got != ReminderStillDue {
				t.Errorf("%s, %s: DueReminder queues %q, ReminderDue withdraws it (%q)", now.Format("Mon 15:04"), s, r, got.Note())
			}
		}
	}
	f := Flow{Step: 2, EnteredAt: assigned, Due: deadline}
	for now := assigned; now.Before(at("2026-04-17 17:00")); now = now.Add(30 * time.Minute) {
		r := StepReminder(c, p, f, nil, now)
		if r == ReminderNone {
			continue
		}
		if got := ReminderDue(PendingReminder{Class: ReminderStep, Level: r, Flow: &f, InEntry: true}, now); got != ReminderStillDue {
			t.Errorf("%s: StepReminder queues %q, ReminderDue withdraws it (%q)", now.Format("Mon 15:04"), r, got.Note())
		}
	}
}

// TestDeliveryStatePending: only a queued or drafted email is still to
// go; a withdrawn reminder is finished like a sent or failed email, so
// the archive and retention take its case and the digest does not list
// it as waiting.
func TestDeliveryStatePending(t *testing.T) {
	for s, want := range map[DeliveryState]bool{
		DeliveryQueued: true, DeliveryDrafted: true,
		DeliverySent: false, DeliveryFailed: false, DeliveryDraftDeleted: false, DeliveryWithdrawn: false,
	} {
		if got := s.Pending(); got != want {
			t.Errorf("%q.Pending() = %v, want %v", s, got, want)
		}
		if got := (Delivery{State: s}).Pending(); got != want {
			t.Errorf("Delivery{%q}.Pending() = %v, want %v", s, got, want)
		}
	}
}
