package sync

import (
	"context"
	"time"

	"kopi/rules"
)

// withdrawStale takes out of the pending emails every reminder (and
// incomplete notice) that is no longer due (rules.ReminderDue): queued
// while its case waited, it was held back — outside office hours, by
// Gmail's daily limit, an outage — and meanwhile staff answered, the case
// moved on, the requester rated or edited, or the operator turned that
// kind off. Such an email is withdrawn, never sent:
//
//   - queued: no drafts.send was ever asked for it (a delivery is
//     recorded drafted before it is sent), so it cannot have gone out;
//     any draft an earlier cycle made for it (drafts.create applied,
//     its answer lost) is found by its reference and deleted, then the
//     withdrawal is recorded. A crash in between finds no draft next time.
//   - drafted: its draft is deleted. If Gmail no longer had it, an
//     earlier drafts.send may have sent it with its answer lost: the Sent
//     folder decides (confirmGone), and what went out is recorded sent,
//     never withdrawn. A crash after the delete is the same case next
//     cycle.
//
// What cannot be settled now (Gmail unreachable) stays pending and is
// not sent in this cycle either: the next cycle asks again. It returns
// the emails still to send and the records to save.
func (e *Engine) withdrawStale(ctx context.Context, p *plan, pending []*rules.Delivery, now time.Time, rep *Report, drafts *map[string][]rules.DraftRef) ([]*rules.Delivery, []rules.Delivery) {
	var changed []rules.Delivery
	var rated map[rules.Ticket]bool // the surveys' cases, read on first need
	kept := pending[:0:0]
	for _, d := range pending {
		pr, ok := e.pendingReminder(p, d, &rated)
		if !ok {
			kept = append(kept, d)
			continue
		}
		why := rules.ReminderDue(pr, now)
		if why == rules.ReminderStillDue {
			kept = append(kept, d)
			continue
		}
		switch d.State {
		case rules.DeliveryQueued:
			if err := e.dropDrafts(ctx, d, p.fresh[d.Key], drafts); err != nil {
				rep.Deferred++
				e.log.Warn("draf pengingat yang ditarik belum dapat dihapus; ditunda", ticketAttr(d), "jenis", d.Kind, "galat", shortErr(err))
				continue
			}
			d.State, d.At, d.Detail = rules.DeliveryWithdrawn, now, why.Note()
		case rules.DeliveryDrafted:
			had, err := e.o.Mailer.DiscardDraft(ctx, d.DraftID)
			if err != nil {
				rep.Deferred++
				e.log.Warn("draf pengingat yang ditarik belum dapat dihapus; ditunda", ticketAttr(d), "jenis", d.Kind, "galat", shortErr(err))
				continue
			}
			if had {
				d.State, d.At, d.Detail = rules.DeliveryWithdrawn, now, why.Note()
			} else if _, err := e.confirmGone(ctx, d, now, rules.DeliveryWithdrawn, why.Note()); err != nil {
				rep.Deferred++
				e.log.Warn("draf pengingat hilang; kiriman belum dapat dipastikan", ticketAttr(d), "jenis", d.Kind, "galat", shortErr(err))
				continue
			}
		}
		changed = append(changed, *d)
		if d.State == rules.DeliverySent {
			// Sent before a crash lost drafts.send's answer.
			rep.Sent++
			e.log.Info("email terkirim", ticketAttr(d), "jenis", d.Kind)
			continue
		}
		rep.Withdrawn++
		e.log.Info("pengingat ditarik, tidak dikirim", ticketAttr(d), "jenis", d.Kind, "alasan", d.Detail)
	}
	return kept, changed
}

// reminderOff reports that the configuration no longer sends reminders
// of the class: reminders.enabled off for deadline and step reminders
// (DueReminder and StepReminder queue none then), an empty
// survey.follow_up_after or survey.url for the survey reminder (the
// same condition under which none is queued).
func (e *Engine) reminderOff(c rules.ReminderClass) bool {
	cfg := e.o.Config
	switch c {
	case rules.ReminderSurvey:
		return cfg.Survey.URL == "" || cfg.Survey.FollowUpAfter.IsZero()
	case rules.ReminderDeadline, rules.ReminderStep:
		return !cfg.ReminderPolicy().Enabled
	}
	return false
}

// pendingReminder describes a pending email for rules.ReminderDue with
// its case as this cycle leaves it and whether the configuration still
// sends its kind; false for an email that is not a reminder or the
// incomplete notice (receipts, the other notices, answers, the digest,
// the month report go out whatever happened since they were queued). rated caches the cases
// a survey names.
func (e *Engine) pendingReminder(p *plan, d *rules.Delivery, rated *map[rules.Ticket]bool) (rules.PendingReminder, bool) {
	var pr rules.PendingReminder
	switch {
	case d.Kind == KindIncomplete:
		pr = rules.PendingReminder{Class: rules.NoticeIncomplete}
		if c := p.cases[d.Ticket]; c != nil {
			pr.Case = &c.Case
			pr.Current = d.Key == incompleteKey(e.o.Config.Intake.FormID, c)
		}
	case d.Kind == KindSOPReminder:
		_, _, _, level := parseSOPRecipient(d.Recipient)
		pr = rules.PendingReminder{Class: rules.ReminderStep, Level: level}
		if rec, ok := p.sopFlows[d.Case]; ok {
			pr.Flow = &rec.Flow
			pr.InEntry = d.Key == sopReminderKey(rec, level)
		}
	case d.Kind == KindSurveyFollowUp:
		pr = rules.PendingReminder{Class: rules.ReminderSurvey}
		if c := p.cases[d.Ticket]; c != nil {
			if *rated == nil {
				*rated = surveyed(p)
			}
			pr.Case = &c.Case
			pr.Surveyed = (*rated)[d.Ticket]
		}
	default:
		level, ok := reminderOf(d.Kind)
		if !ok {
			return pr, false
		}
		pr = rules.PendingReminder{Class: rules.ReminderDeadline, Level: level}
		if c := p.cases[d.Ticket]; c != nil {
			pr.Case = &c.Case
		}
	}
	pr.Off = e.reminderOff(pr.Class)
	return pr, true
}

// surveyed is the set of cases a survey names: one the Survei tab
// keeps, or one listed in this cycle and not yet written.
func surveyed(p *plan) map[rules.Ticket]bool {
	out := map[rules.Ticket]bool{}
	name := func(text string) {
		if t, err := rules.ParseTicket(text); err == nil {
			out[t] = true
		}
	}
	if p.snap != nil {
		for _, s := range p.snap.Surveys {
			name(s.TicketText)
		}
	}
	for _, s := range p.surveys {
		name(s.TicketText)
	}
	return out
}
