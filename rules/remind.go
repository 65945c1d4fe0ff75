package rules

import (
	"strings"
	"time"
)

// Reminder is a kind of reminder about a case's step-3 deadline, in
// increasing severity. The values are stable keys for the outbox ledger.
type Reminder string

// The reminders, mildest first.
const (
	ReminderNone       Reminder = ""
	ReminderPreBreach  Reminder = "pengingat"     // to the consultant, at a share of the standard
	ReminderOverdue    Reminder = "lewat_tenggat" // to the consultant and the admins, at the deadline
	ReminderEscalation Reminder = "eskalasi"      // to the topic's supervisor, later
)

var reminderLevel = map[Reminder]int{ReminderNone: 0, ReminderPreBreach: 1, ReminderOverdue: 2, ReminderEscalation: 3}

// ReminderPolicy holds the reminder thresholds.
type ReminderPolicy struct {
	// Enabled turns reminders on.
	Enabled bool
	// Share of the time standard (0–1) at which the pre-breach reminder is due.
	Share float64
	// EscalateAfter is the working time after the deadline at which the
	// escalation is due.
	EscalateAfter Span
}

// ReminderSchedule holds when each reminder becomes due.
type ReminderSchedule struct {
	PreBreach, Overdue, Escalation time.Time
}

// ScheduleReminders computes when each reminder of a case assigned at
// assignedAt with the given deadline becomes due, in working time.
func ScheduleReminders(c *Calendar, p ReminderPolicy, assignedAt, deadline time.Time) ReminderSchedule {
	total := c.WorkingBetween(assignedAt, deadline)
	pre := deadline
	if total > 0 {
		pre = c.AddWorking(assignedAt, time.Duration(float64(total)*p.Share))
	}
	return ReminderSchedule{PreBreach: pre, Overdue: deadline, Escalation: c.AddSpan(deadline, p.EscalateAfter)}
}

// DueReminder decides which reminder to send now for a case, if any. It
// sends nothing unless reminders are on, the case is waiting for its
// consultant (Ditugaskan) with a deadline, and the office is open at now
// — no email at night, on weekends or on holidays. Of the thresholds
// passed, only the most severe is due, and only if neither it nor a
// more severe one is among sent: each reminder goes at most once, and
// after an outage the case gets the current one, not a burst.
func DueReminder(c *Calendar, p ReminderPolicy, status Status, assignedAt, deadline time.Time, sent []Reminder, now time.Time) Reminder {
	if !status.AwaitsConsultant() {
		return ReminderNone
	}
	return dueReminder(c, p, assignedAt, deadline, sent, now)
}

// StepReminder decides which reminder to send now about an SOP case's
// current step, by the step's time standard in working time, with the
// same thresholds and rules as DueReminder: the clock runs from when the
// case entered the step to its due time.
func StepReminder(c *Calendar, p ReminderPolicy, f Flow, sent []Reminder, now time.Time) Reminder {
	if f.Done || f.Step == 0 {
		return ReminderNone
	}
	return dueReminder(c, p, f.EnteredAt, f.Due, sent, now)
}

func dueReminder(c *Calendar, p ReminderPolicy, start, deadline time.Time, sent []Reminder, now time.Time) Reminder {
	if !p.Enabled || deadline.IsZero() || start.IsZero() || !c.IsOpen(now) {
		return ReminderNone
	}
	s := ScheduleReminders(c, p, start, deadline)
	due := ReminderNone
	switch {
	case !now.Before(s.Escalation):
		due = ReminderEscalation
	case !now.Before(s.Overdue):
		due = ReminderOverdue
	case !now.Before(s.PreBreach):
		due = ReminderPreBreach
	}
	for _, r := range sent {
		if reminderLevel[r] >= reminderLevel[due] {
			return ReminderNone
		}
	}
	return due
}

// EscalationRecipients returns who receives an escalation about a case
// of topic: its supervisor, or the admins when the topic has none.
func (c *Config) EscalationRecipients(topic string) []string {
	if t, ok := c.Topic(topic); ok && strings.TrimSpace(t.Supervisor) != "" {
		return []string{t.Supervisor}
	}
	return append([]string(nil), c.Mail.Admins...)
}
