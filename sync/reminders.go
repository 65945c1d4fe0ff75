package sync

import "kopi/rules"

// reminderKinds maps reminders to their email kinds and recipients.
var reminderKinds = map[rules.Reminder]struct{ kind, recipient string }{
	rules.ReminderPreBreach:  {KindReminder, recipientConsult},
	rules.ReminderOverdue:    {KindOverdue, recipientConsultAdmin},
	rules.ReminderEscalation: {KindEscalation, recipientSupervisor},
}

// reminderOf is the reminder an email kind carries.
func reminderOf(kind string) (rules.Reminder, bool) {
	for r, k := range reminderKinds {
		if k.kind == kind {
			return r, true
		}
	}
	return rules.ReminderNone, false
}

// reminders queues the reminder each waiting case is due, in working
// time only (rules.DueReminder), each at most once per case and
// threshold: the key is (form, response, kind), and the journal's
// reminders of the case count as sent whatever their state.
func (in *intake) reminders() {
	cfg := in.e.o.Config
	policy := cfg.ReminderPolicy()
	if !policy.Enabled {
		return
	}
	sent := map[rules.Ticket][]rules.Reminder{}
	for _, d := range in.p.outbox {
		if r, ok := reminderOf(d.Kind); ok {
			sent[d.Ticket] = append(sent[d.Ticket], r)
		}
	}
	for _, sc := range in.snap.Cases {
		c := in.p.cases[sc.Ticket]
		r := rules.DueReminder(in.e.o.Calendar, policy, c.Status, c.AssignedAt, c.Deadline, sent[c.Ticket], in.now)
		if r == rules.ReminderNone {
			continue
		}
		k := reminderKinds[r]
		in.addIntent(c.Ticket, k.kind, k.recipient, rules.EmailKey(cfg.Intake.FormID, c.ResponseID, k.kind))
		in.rep.Reminders++
	}
}

// isReminder reports whether an email kind may only go out while the
// office is open.
func isReminder(kind string) bool {
	_, ok := reminderOf(kind)
	return ok || kind == KindSOPReminder
}
