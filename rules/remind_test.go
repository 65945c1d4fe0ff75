package rules

import "testing"

func TestDueReminder(t *testing.T) {
	c := testCalendar(t)
	p := ReminderPolicy{Enabled: true, Share: 0.75, EscalateAfter: MustSpan("4h")}
	// Assigned Friday 15:00, due Monday 15:00: 8h of office time; 75% = 6h
	// → 1.5h on Friday + 4.5h on Monday = Monday 12:00, the start of the
	// break, so the reminder goes at 13:00. Escalation: 1h on Monday
	// after 15:00 + 3h on Tuesday = Tuesday 10:30.
	assigned, due := at("2026-04-10 15:00"), at("2026-04-13 15:00")
	s := ScheduleReminders(c, p, assigned, due)
	if !s.PreBreach.Equal(at("2026-04-13 12:00")) || !s.Escalation.Equal(at("2026-04-14 10:30")) {
		t.Fatalf("schedule = %+v", s)
	}
	tests := []struct {
		name   string
		status Status
		sent   []Reminder
		now    string
		want   Reminder
	}{
		{"nothing yet on Friday", StatusDitugaskan, nil, "2026-04-10 16:00", ReminderNone},
		{"weekend: never", StatusDitugaskan, nil, "2026-04-12 10:00", ReminderNone},
		{"pre-breach at 75%", StatusDitugaskan, nil, "2026-04-13 13:00", ReminderPreBreach},
		{"not twice", StatusDitugaskan, []Reminder{ReminderPreBreach}, "2026-04-13 14:00", ReminderNone},
		{"overdue at the deadline", StatusDitugaskan, []Reminder{ReminderPreBreach}, "2026-04-13 15:00", ReminderOverdue},
		{"not after closing", StatusDitugaskan, []Reminder{ReminderPreBreach}, "2026-04-13 17:00", ReminderNone},
		{"next morning instead", StatusDitugaskan, []Reminder{ReminderPreBreach}, "2026-04-14 07:30", ReminderOverdue},
		{"not yet escalated", StatusDitugaskan, []Reminder{ReminderPreBreach, ReminderOverdue}, "2026-04-14 10:29", ReminderNone},
		{"escalation later", StatusDitugaskan, []Reminder{ReminderPreBreach, ReminderOverdue}, "2026-04-14 10:30", ReminderEscalation},
		{"pre-breach waits for the end of the break", StatusDitugaskan, nil, "2026-04-13 12:00", ReminderNone},
		{"after an outage only the most severe", StatusDitugaskan, nil, "2026-04-15 09:00", ReminderEscalation},
		{"escalation sent: nothing more", StatusDitugaskan, []Reminder{ReminderEscalation}, "2026-04-16 09:00", ReminderNone},
		{"answered cases get none", StatusDijawab, nil, "2026-04-15 09:00", ReminderNone},
		{"not during the break", StatusDitugaskan, nil, "2026-04-13 12:30", ReminderNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DueReminder(c, p, tt.status, assigned, due, tt.sent, at(tt.now)); got != tt.want {
				t.Errorf("DueReminder at %s = %q, want %q", tt.now, got, tt.want)
			}
		})
	}
	off := p
	off.Enabled = false
	if got := DueReminder(c, off, StatusDitugaskan, assigned, due, nil, at("2026-04-15 09:00")); got != ReminderNone {
		t.Errorf("disabled: %q", got)
	}
}

func TestDueReminderHolidayWeekAndRamadan(t *testing.T) {
	c := testCalendar(t)
	p := ReminderPolicy{Enabled: true, Share: 0.75, EscalateAfter: MustSpan("4h")}
	// Assigned Tuesday 17 March (Ramadan) 10:00: due Wednesday 25 March 10:00.
	assigned := at("2026-03-17 10:00")
	due := c.AddSpan(assigned, MustSpan("1d"))
	if !due.Equal(at("2026-03-25 10:00")) {
		t.Fatalf("due = %s", due)
	}
	for _, now := range []string{"2026-03-18 10:00", "2026-03-20 10:00", "2026-03-23 10:00", "2026-03-24 15:00"} {
		if got := DueReminder(c, p, StatusDitugaskan, assigned, due, nil, at(now)); got != ReminderNone {
			t.Errorf("%s is a holiday, got %q", now, got)
		}
	}
	// 75% of
	// 17 Mar 10:00–15:00 (4.5h, 30m break) + 25 Mar 07:30–10:00 (2.5h) = 5.25h
	// → lands on 25 March 08:45.
	if got := DueReminder(c, p, StatusDitugaskan, assigned, due, nil, at("2026-03-25 08:45")); got != ReminderPreBreach {
		t.Errorf("pre-breach on the first day back = %q", got)
	}
	if got := DueReminder(c, p, StatusDitugaskan, assigned, due, nil, at("2026-03-17 15:10")); got != ReminderNone {
		t.Errorf("Ramadan closes at 15:00, got %q", got)
	}
}
