package rules_test

import (
	"testing"
	"time"

	"kopi/rules"
)

// TestReminderScheduleOnTheCalendar walks a clock in 5-minute steps over
// three weeks after an assignment and records every reminder DueReminder
// grants: each threshold exactly once, in order, never outside office
// hours, and each at the first open moment at or after its threshold.
func TestReminderScheduleOnTheCalendar(t *testing.T) {
	cfg := rules.DefaultConfig()
	cal, loc := jakartaCalendar(t, cfg)
	policy := cfg.ReminderPolicy()
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, loc) }
	tests := []struct {
		name     string
		assigned time.Time
		// overdueDay is the weekday the overdue notice must fall on.
		overdueDay time.Weekday
	}{
		{"Friday 15:00, normal hours", at(2026, 4, 10, 15, 0), time.Monday},
		{"Saturday: the clock waits for Monday", at(2026, 4, 11, 10, 0), time.Tuesday},
		{"holiday week: Idul Fitri and cuti bersama", at(2026, 3, 17, 14, 0), time.Wednesday},
		{"Ramadan hours, Monday afternoon", at(2026, 3, 2, 14, 0), time.Tuesday},
		// Ramadan Fridays close early: the clock starts on Monday.
		{"Friday 15:00 in Ramadan", at(2026, 3, 6, 15, 0), time.Tuesday},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			deadline := cal.AddSpan(tc.assigned, rules.MustSpan("1d"))
			sched := rules.ScheduleReminders(cal, policy, tc.assigned, deadline)
			var sent []rules.Reminder
			when := map[rules.Reminder]time.Time{}
			for now := tc.assigned; now.Before(tc.assigned.Add(21 * 24 * time.Hour)); now = now.Add(5 * time.Minute) {
				r := rules.DueReminder(cal, policy, rules.StatusDitugaskan, tc.assigned, deadline, sent, now)
				if r == rules.ReminderNone {
					continue
				}
				if !cal.IsOpen(now) {
					t.Fatalf("%s granted at %s, office closed", r, now)
				}
				if _, twice := when[r]; twice {
					t.Fatalf("%s granted twice", r)
				}
				when[r] = now
				sent = append(sent, r)
			}
			if len(sent) != 3 || sent[0] != rules.ReminderPreBreach || sent[1] != rules.ReminderOverdue || sent[2] != rules.ReminderEscalation {
				t.Fatalf("reminders = %v", sent)
			}
			for r, due := range map[rules.Reminder]time.Time{rules.ReminderPreBreach: sched.PreBreach, rules.ReminderOverdue: sched.Overdue, rules.ReminderEscalation: sched.Escalation} {
				first := cal.NextOpen(due)
				if got := when[r]; got.Before(due) || got.Sub(first) >= 5*time.Minute {
					t.Errorf("%s at %s; threshold %s, first open %s", r, got, due, first)
				}
			}
			if got := when[rules.ReminderOverdue].Weekday(); got != tc.overdueDay {
				t.Errorf("overdue notice on %s (%s), want %s", got, when[rules.ReminderOverdue], tc.overdueDay)
			}
			if cal.IsWorkday(tc.assigned) && !when[rules.ReminderPreBreach].Before(deadline) {
				t.Errorf("pre-breach %s not before the deadline %s", when[rules.ReminderPreBreach], deadline)
			}
		})
	}
}

// TestDueReminderOnlyForWaitingCases: answered, sent and unassigned cases
// get no reminder; reminders off means none.
func TestDueReminderOnlyForWaitingCases(t *testing.T) {
	cfg := rules.DefaultConfig()
	cal, loc := jakartaCalendar(t, cfg)
	assigned := time.Date(2026, 4, 13, 8, 0, 0, 0, loc)
	deadline := cal.AddSpan(assigned, rules.MustSpan("1d"))
	late := time.Date(2026, 4, 15, 10, 0, 0, 0, loc)
	for _, st := range []rules.Status{rules.StatusBaru, rules.StatusDijawab, rules.StatusDisetujui, rules.StatusTerkirim, rules.StatusSelesai} {
		if r := rules.DueReminder(cal, cfg.ReminderPolicy(), st, assigned, deadline, nil, late); r != rules.ReminderNone {
			t.Errorf("%s: %s", st, r)
		}
	}
	off := cfg.ReminderPolicy()
	off.Enabled = false
	if r := rules.DueReminder(cal, off, rules.StatusDitugaskan, assigned, deadline, nil, late); r != rules.ReminderNone {
		t.Errorf("reminders off: %s", r)
	}
}

// jakartaCalendar is the default office calendar in WIB.
func jakartaCalendar(t *testing.T, cfg *rules.Config) (*rules.Calendar, *time.Location) {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		t.Fatal(err)
	}
	cal, err := rules.NewCalendar(loc, cfg.OfficeHours, cfg.Ramadan, cfg.HolidayList())
	if err != nil {
		t.Fatal(err)
	}
	return cal, loc
}
