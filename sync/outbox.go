package sync

import (
	"context"
	"fmt"
	"net/mail"
	"sort"
	"strings"
	"time"

	"kopi/rules"
)

// deliver drafts and sends every pending email, exactly once:
//
//  1. queued → a draft is created (or, for an intent from an earlier
//     cycle, first looked for, since a crash may have followed
//     drafts.create) and its id recorded;
//  2. drafted → the draft is sent and the outcome recorded. A draft that
//     is gone was sent before the crash that kept its outcome from being
//     recorded: Gmail deletes a draft when it sends it, so sending the
//     same draft twice is impossible.
//
// Progress is saved after each phase in one write. Emails go in deadline
// order, within the daily sending limit; a quota refusal stops the phase
// and leaves the rest for a later cycle.
func (e *Engine) deliver(ctx context.Context, p *plan, now time.Time, rep *Report) error {
	var pending []*rules.Delivery
	sentToday := 0
	today := rules.DateOf(now.In(e.loc))
	for _, d := range p.outbox {
		if d.State == rules.DeliverySent && rules.DateOf(d.At.In(e.loc)).Equal(today) {
			sentToday++
		}
		if d.Pending() {
			pending = append(pending, d)
		}
	}
	if len(pending) == 0 {
		return nil
	}
	sort.SliceStable(pending, func(i, j int) bool {
		a, b := p.cases[pending[i].Ticket], p.cases[pending[j].Ticket]
		da, db := deadlineOf(a), deadlineOf(b)
		if !da.Equal(db) {
			if da.IsZero() {
				return false
			}
			if db.IsZero() {
				return true
			}
			return da.Before(db)
		}
		return pending[i].Ticket.Seq < pending[j].Ticket.Seq
	})
	budget := e.o.Config.Mail.DailyLimit - sentToday
	if budget <= 0 {
		rep.Deferred += len(pending)
		e.log.Warn("batas kirim harian Gmail tercapai; email ditunda", "tertunda", len(pending))
		return nil
	}

	// Phase 1: drafts.
	var changed []rules.Delivery
	stopped := false
	drafted := 0
	for _, d := range pending {
		if d.State != rules.DeliveryQueued {
			continue
		}
		if stopped || drafted >= budget {
			rep.Deferred++
			continue
		}
		email, err := e.compose(p, d)
		if err != nil {
			d.State, d.Detail, d.At = rules.DeliveryFailed, err.Error(), now
			changed = append(changed, *d)
			rep.Failed++
			e.log.Warn("email tidak dapat disusun", "tiket", d.Ticket.String(), "jenis", d.Kind, "alasan", err.Error())
			continue
		}
		ref, err := e.draftFor(ctx, d, email, p.fresh[d.Key])
		if err != nil {
			switch {
			case isPermanent(err):
				d.State, d.Detail, d.At = rules.DeliveryFailed, "Gmail menolak: "+shortErr(err), now
				changed = append(changed, *d)
				rep.Failed++
			case isRateLimited(err):
				stopped = true
				rep.Deferred++
			default:
				rep.Deferred++
			}
			e.log.Warn("draf email gagal dibuat", "tiket", d.Ticket.String(), "jenis", d.Kind, "galat", shortErr(err))
			continue
		}
		d.State, d.DraftID, d.ThreadID, d.MessageID, d.At = rules.DeliveryDrafted, ref.ID, ref.ThreadID, ref.MessageID, now
		changed = append(changed, *d)
		drafted++
		rep.Drafted++
	}
	if err := e.o.Tracker.SaveDeliveries(ctx, changed); err != nil {
		return fmt.Errorf("record drafts: %w", err)
	}

	// Phase 2: sends.
	changed = changed[:0]
	sent := 0
	for _, d := range pending {
		if d.State != rules.DeliveryDrafted {
			continue
		}
		if stopped || sent >= budget {
			rep.Deferred++
			continue
		}
		res, err := e.o.Mailer.SendDraft(ctx, d.DraftID)
		switch {
		case err == nil:
			d.State, d.At, d.Detail = rules.DeliverySent, now, ""
			d.MessageID = res.MessageID
			if res.ThreadID != "" {
				d.ThreadID = res.ThreadID
			}
		case isDraftGone(err):
			d.State, d.At, d.Detail = rules.DeliverySent, now, "terkirim sebelum gangguan (draf sudah tidak ada)"
		case isPermanent(err):
			d.State, d.At, d.Detail = rules.DeliveryFailed, now, "Gmail menolak: "+shortErr(err)
			changed = append(changed, *d)
			rep.Failed++
			e.log.Warn("email ditolak Gmail", "tiket", d.Ticket.String(), "jenis", d.Kind, "galat", shortErr(err))
			continue
		case isRateLimited(err):
			stopped = true
			rep.Deferred++
			e.log.Warn("kuota kirim Gmail habis; email ditunda", "tiket", d.Ticket.String())
			continue
		default:
			// Unknown outcome: the draft stays recorded; sending it
			// again next cycle either sends it or finds it gone.
			rep.Deferred++
			e.log.Warn("pengiriman email belum pasti; diulang siklus berikut", "tiket", d.Ticket.String(), "jenis", d.Kind, "galat", shortErr(err))
			continue
		}
		changed = append(changed, *d)
		sent++
		rep.Sent++
		e.log.Info("email terkirim", "tiket", d.Ticket.String(), "jenis", d.Kind)
	}
	if err := e.o.Tracker.SaveDeliveries(ctx, changed); err != nil {
		return fmt.Errorf("record sends: %w", err)
	}
	return nil
}

// draftFor returns the draft of a queued delivery: a new one for an
// intent of this cycle, otherwise one found by its reference (kept, any
// duplicates deleted) or, failing that, a new one.
func (e *Engine) draftFor(ctx context.Context, d *rules.Delivery, email rules.Email, fresh bool) (rules.DraftRef, error) {
	if !fresh {
		found, err := e.o.Mailer.FindDrafts(ctx, rules.RefToken(d.Ticket.String(), d.Key))
		if err != nil {
			return rules.DraftRef{}, err
		}
		if len(found) > 0 {
			for _, extra := range found[1:] {
				if err := e.o.Mailer.DeleteDraft(ctx, extra.ID); err != nil {
					e.log.Warn("draf ganda tidak dapat dihapus", "tiket", d.Ticket.String(), "galat", shortErr(err))
				}
			}
			return found[0], nil
		}
	}
	return e.o.Mailer.CreateDraft(ctx, email)
}

func deadlineOf(c *rules.TrackedCase) time.Time {
	if c == nil {
		return time.Time{}
	}
	return c.Deadline
}

// shortErr is an error's first line, for the admin's note: Google's
// messages never carry the email's content.
func shortErr(err error) string {
	s := err.Error()
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// compose renders a delivery's email from the case as it stands now.
func (e *Engine) compose(p *plan, d *rules.Delivery) (rules.Email, error) {
	c := p.cases[d.Ticket]
	if c == nil {
		return rules.Email{}, fmt.Errorf("baris tiket %s tidak ada lagi", d.Ticket)
	}
	cfg := e.o.Config
	from := mail.Address{Name: cfg.Mail.Sender.Name, Address: cfg.Mail.Sender.Address}
	data := mailData{
		Ticket: c.Ticket.String(), Topic: c.Topic, Name: c.Name, Unit: c.Unit, Question: c.Question,
		Received: formatWhen(c.SubmittedAt, e.loc), Deadline: formatWhen(c.Deadline, e.loc),
		Attachments: c.Attachments, FormURL: e.o.FormURL, SheetURL: e.o.SheetURL,
		Consultant: c.Consultant, Office: cfg.Mail.Sender.Name,
		Ref: rules.RefToken(c.Ticket.String(), d.Key),
	}
	if len(cfg.Mail.Admins) > 0 {
		data.AdminEmail = cfg.Mail.Admins[0]
	}
	for _, m := range c.Missing {
		data.Missing = append(data.Missing, m.Message)
	}
	if strings.HasPrefix(c.Notes, "Belum ditugaskan: ") || strings.Contains(c.Notes, "\nBelum ditugaskan: ") {
		for _, line := range strings.Split(c.Notes, "\n") {
			if r, ok := strings.CutPrefix(line, "Belum ditugaskan: "); ok {
				data.Reason = r
			}
		}
	}
	var to []mail.Address
	switch d.Recipient {
	case recipientSender:
		a, err := address(c.Name, c.Email)
		if err != nil {
			return rules.Email{}, fmt.Errorf("alamat email pemohon tidak dapat dipakai")
		}
		to = append(to, a)
	case recipientConsult:
		a, err := address(c.Consultant, c.ConsultantEmail)
		if err != nil {
			return rules.Email{}, fmt.Errorf("alamat email konsuler tidak dapat dipakai")
		}
		to = append(to, a)
	case recipientAdmin:
		for _, adm := range cfg.Mail.Admins {
			if a, err := address("Admin KOPI", adm); err == nil {
				to = append(to, a)
			}
		}
		if len(to) == 0 {
			return rules.Email{}, fmt.Errorf("tidak ada alamat admin yang dapat dipakai")
		}
	default:
		return rules.Email{}, fmt.Errorf("penerima %q tidak dikenal", d.Recipient)
	}
	subject, text, html, err := e.o.Templates.render(d.Kind, data)
	if err != nil {
		return rules.Email{}, err
	}
	return rules.Email{
		Key: d.Key, Ticket: c.Ticket.String(), Kind: d.Kind, From: from, To: to,
		Subject: subject, Text: text, HTML: html,
	}, nil
}
