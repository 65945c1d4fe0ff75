package sync

import (
	"strconv"

	"kopi/rules"
)

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
// threshold: the journal's reminders of the case count as sent whatever
// their state — except one withdrawn unsent (rules.ReminderDue: the case
// stopped waiting while it was held back). Such a reminder reached
// nobody, so when the case waits again (the admin returns the answer to
// the consultant) it is due again, under a key of its own: the key is
// (form, response, kind), and for the n-th time after a withdrawal
// (form, response, kind, "lagi", n). A case that does not wait gets
// none, so a withdrawn reminder is not queued again while it does not.
func (in *intake) reminders() {
	cfg := in.e.o.Config
	policy := cfg.ReminderPolicy()
	if !policy.Enabled {
		return
	}
	sent := map[rules.Ticket][]rules.Reminder{}
	type tk struct {
		t    rules.Ticket
		kind string
	}
	withdrawn := map[tk]int{}
	for _, d := range in.p.outbox {
		r, ok := reminderOf(d.Kind)
		switch {
		case !ok:
		case d.State == rules.DeliveryWithdrawn:
			withdrawn[tk{d.Ticket, d.Kind}]++
		default:
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
		var again []string
		if n := withdrawn[tk{c.Ticket, k.kind}]; n > 0 {
			again = []string{"lagi", strconv.Itoa(n)}
		}
		in.kopiIntent(c, k.kind, k.recipient, again...)
		in.rep.Reminders++
	}
}

// isReminder reports whether an email kind may only go out while the
// office is open.
func isReminder(kind string) bool {
	_, ok := reminderOf(kind)
	return ok || kind == KindSOPReminder
}
