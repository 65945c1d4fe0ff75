package sync

import (
	"context"
	"fmt"
	"log/slog"
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
//  2. drafted → the draft is sent and the outcome recorded. Gmail
//     deletes a draft when it sends it, so sending the same draft twice is
//     impossible; a draft that is gone was either sent before a crash or
//     deleted by a person, and the Sent folder decides which
//     (confirmGone).
//
// Progress is saved after each phase in one write. Emails go in deadline
// order, within the daily sending limit; a quota refusal stops the phase
// and leaves the rest for a later cycle.
func (e *Engine) deliver(ctx context.Context, tx TrackerTx, p *plan, now time.Time, rep *Report) error {
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
	// Phase 0: reminders no longer due are withdrawn, whatever held
	// them and whatever the sending budget: a withdrawal sends nothing.
	var drafts map[string][]rules.DraftRef // the mailbox's, read on first need
	pending, changed := e.withdrawStale(ctx, p, pending, now, rep, &drafts)
	if len(pending) == 0 {
		if err := e.saveDeliveries(ctx, tx, changed); err != nil {
			return fmt.Errorf("record withdrawals: %w", err)
		}
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
		if err := e.saveDeliveries(ctx, tx, changed); err != nil {
			return fmt.Errorf("record withdrawals: %w", err)
		}
		return nil
	}

	// Phase 1: drafts.
	stopped := false
	drafted := 0
	for _, d := range pending {
		if d.State != rules.DeliveryQueued || e.held(p, d, now) {
			continue
		}
		if stopped || drafted >= budget {
			rep.Deferred++
			continue
		}
		if d.Kind == KindAnswer && d.Key != p.answerReady[d.Ticket] {
			// The answer changed before its email was drafted: the email
			// carries the text as it is now, so it takes that text's key.
			// A draft made under the old key (its answer lost) is deleted
			// first: it would never be sent.
			if err := e.dropDrafts(ctx, d, p.fresh[d.Key], &drafts); err != nil {
				rep.Deferred++
				e.log.Warn("draf lama jawaban belum dapat dihapus; ditunda", ticketAttr(d), "galat", shortErr(err))
				continue
			}
			d.Key = p.answerReady[d.Ticket]
		}
		if d.Kind == KindMonthReport && !p.historyRead {
			// The month-end report measures compliance over the history
			// and counts the period's archived cases and their surveys
			// as `kopi report` does: one spreadsheets.get, and two more
			// once an archive exists, in the one cycle a month that sends
			// it (never in an idle cycle). Unreadable now: sent later.
			hist, err := e.history(ctx)
			var snap *rules.Snapshot
			if err == nil {
				snap, err = e.withArchive(ctx, p.snap)
			}
			if err != nil {
				rep.Deferred++
				e.log.Warn("laporan bulanan ditunda: tab Riwayat atau arsip belum terbaca", "galat", shortErr(err))
				continue
			}
			p.history, p.reportSnap, p.historyRead = hist, snap, true
		}
		email, err := e.compose(p, d, now)
		if err == nil && (d.Kind == KindAnswer || d.Case != "") {
			var rec *rules.Delivery
			rec, err = e.thread(ctx, p, d, &email)
			if rec != nil {
				changed = append(changed, *rec)
			}
			if err != nil && !isPermanent(err) {
				rep.Deferred++
				e.log.Warn("Message-ID tanda terima belum terbaca; jawaban ditunda", ticketAttr(d), "galat", shortErr(err))
				continue
			}
			if err != nil {
				e.log.Warn("jawaban dikirim tanpa rujukan utas", ticketAttr(d), "galat", shortErr(err))
				err = nil
			}
		}
		if err != nil {
			// The email can no longer be composed; a draft an earlier
			// cycle made (its answer lost) must not outlive the delivery.
			if derr := e.dropDrafts(ctx, d, p.fresh[d.Key], &drafts); derr != nil {
				rep.Deferred++
				e.log.Warn("draf email yang gagal belum dapat dihapus; ditunda", ticketAttr(d), "galat", shortErr(derr))
				continue
			}
			d.State, d.Detail, d.At = rules.DeliveryFailed, err.Error(), now
			changed = append(changed, *d)
			rep.Failed++
			e.log.Warn("email tidak dapat disusun", ticketAttr(d), "jenis", d.Kind, "alasan", err.Error())
			continue
		}
		ref, err := e.draftFor(ctx, d, email, p.fresh[d.Key], &drafts)
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
			e.log.Warn("draf email gagal dibuat", ticketAttr(d), "jenis", d.Kind, "galat", shortErr(err))
			continue
		}
		d.State, d.DraftID, d.ThreadID, d.MessageID, d.At = rules.DeliveryDrafted, ref.ID, ref.ThreadID, ref.MessageID, now
		changed = append(changed, *d)
		drafted++
		rep.Drafted++
	}
	if err := e.saveDeliveries(ctx, tx, changed); err != nil {
		return fmt.Errorf("record withdrawals and drafts: %w", err)
	}

	// Phase 2: sends.
	changed = changed[:0]
	sent := 0
	for _, d := range pending {
		if d.State != rules.DeliveryDrafted || e.held(p, d, now) {
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
			if _, cerr := e.confirmGone(ctx, d, now, rules.DeliveryDraftDeleted, ""); cerr != nil {
				rep.Deferred++
				e.log.Warn("draf hilang; kiriman belum dapat dipastikan", ticketAttr(d), "jenis", d.Kind, "galat", shortErr(cerr))
				continue
			}
			if d.State == rules.DeliveryDraftDeleted {
				changed = append(changed, *d)
				rep.DraftsDeleted++
				e.log.Warn("draf email dihapus sebelum dikirim; email tidak terkirim", ticketAttr(d), "jenis", d.Kind)
				continue
			}
		case isPermanent(err):
			// Gmail refused to send the draft: it stays in the mailbox
			// unless deleted, with the requester's data in it.
			if derr := e.o.Mailer.DeleteDraft(ctx, d.DraftID); derr != nil {
				rep.Deferred++
				e.log.Warn("draf email yang ditolak belum dapat dihapus; ditunda", ticketAttr(d), "galat", shortErr(derr))
				continue
			}
			d.State, d.At, d.Detail = rules.DeliveryFailed, now, "Gmail menolak: "+shortErr(err)
			changed = append(changed, *d)
			rep.Failed++
			e.log.Warn("email ditolak Gmail", ticketAttr(d), "jenis", d.Kind, "galat", shortErr(err))
			continue
		case isRateLimited(err):
			stopped = true
			rep.Deferred++
			e.log.Warn("kuota kirim Gmail habis; email ditunda", ticketAttr(d))
			continue
		default:
			// Unknown outcome: the draft stays recorded; sending it
			// again next cycle either sends it or finds it gone.
			rep.Deferred++
			e.log.Warn("pengiriman email belum pasti; diulang siklus berikut", ticketAttr(d), "jenis", d.Kind, "galat", shortErr(err))
			continue
		}
		changed = append(changed, *d)
		sent++
		rep.Sent++
		e.log.Info("email terkirim", ticketAttr(d), "jenis", d.Kind)
	}
	if err := e.saveDeliveries(ctx, tx, changed); err != nil {
		return fmt.Errorf("record sends: %w", err)
	}
	return nil
}

// draftFor returns the draft of a queued delivery: a new one for an
// intent of this cycle, otherwise one found by its reference (kept, any
// duplicates deleted) or, failing that, a new one.
// The mailbox's kopi drafts are read once per cycle, on first need
// (cache points to the cycle's copy).
func (e *Engine) draftFor(ctx context.Context, d *rules.Delivery, email rules.Email, fresh bool, cache *map[string][]rules.DraftRef) (rules.DraftRef, error) {
	if !fresh {
		if *cache == nil {
			all, err := e.o.Mailer.KopiDrafts(ctx)
			if err != nil {
				return rules.DraftRef{}, err
			}
			*cache = all
		}
		found := (*cache)[refOf(d)]
		if len(found) > 0 {
			for _, extra := range found[1:] {
				if err := e.o.Mailer.DeleteDraft(ctx, extra.ID); err != nil {
					e.log.Warn("draf ganda tidak dapat dihapus", ticketAttr(d), "galat", shortErr(err))
				}
			}
			return found[0], nil
		}
	}
	return e.o.Mailer.CreateDraft(ctx, email)
}

// dropDrafts deletes every draft a queued delivery may have in the
// mailbox before the delivery ends without being sent: an intent from an
// earlier cycle may have had drafts.create applied with its answer lost,
// and such a draft, with the requester's data in it, would otherwise stay
// for good. An intent of this cycle (fresh) has none. cache is the
// cycle's copy of the mailbox's kopi drafts, read on first need.
func (e *Engine) dropDrafts(ctx context.Context, d *rules.Delivery, fresh bool, cache *map[string][]rules.DraftRef) error {
	if fresh {
		return nil
	}
	if *cache == nil {
		all, err := e.o.Mailer.KopiDrafts(ctx)
		if err != nil {
			return err
		}
		*cache = all
	}
	ref := refOf(d)
	for _, x := range (*cache)[ref] {
		if err := e.o.Mailer.DeleteDraft(ctx, x.ID); err != nil {
			return err
		}
	}
	delete(*cache, ref)
	return nil
}

// refOf is the reference token printed in a delivery's email.
func refOf(d *rules.Delivery) string {
	if d.Kind == KindDigest || d.Kind == KindMonthReport {
		return rules.RefToken(d.Kind, d.Key)
	}
	if d.Case != "" {
		return rules.RefToken(d.Case, d.Key)
	}
	return rules.RefToken(d.Ticket.String(), d.Key)
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

// held reports whether a pending email must wait: an answer that is no
// longer approved (or not the one approved), a reminder outside office
// hours. A reminder that is no longer due does not wait: withdrawStale
// took it out before.
func (e *Engine) held(p *plan, d *rules.Delivery, now time.Time) bool {
	switch {
	case d.Kind == KindAnswer:
		return p.answerReady[d.Ticket] == ""
	case isReminder(d.Kind):
		return !e.o.Calendar.IsOpen(now)
	}
	return false
}

// thread makes the answer a reply to the receipt: Gmail's thread id and
// the receipt's real Message-ID (read once, then kept in the receipt's
// journal record, which is returned for saving).
func (e *Engine) thread(ctx context.Context, p *plan, d *rules.Delivery, email *rules.Email) (*rules.Delivery, error) {
	r := receiptOf(p, d.Ticket)
	if d.Case != "" {
		r = sopThreadRoot(p, d)
	}
	if r == nil {
		return nil, nil
	}
	email.ThreadID = r.ThreadID
	var saved *rules.Delivery
	if r.RFCMessageID == "" {
		id, err := e.o.Mailer.SentMessageID(ctx, rules.SentRef{MessageID: r.MessageID, ThreadID: r.ThreadID})
		if err != nil {
			return nil, err
		}
		r.RFCMessageID = id
		saved = r
	}
	email.InReplyTo = r.RFCMessageID
	email.References = []string{r.RFCMessageID}
	return saved, nil
}

// compose renders a delivery's email from the case as it stands now.
func (e *Engine) compose(p *plan, d *rules.Delivery, now time.Time) (rules.Email, error) {
	cfg := e.o.Config
	from := mail.Address{Name: cfg.Mail.Sender.Name, Address: cfg.Mail.Sender.Address}
	if d.Kind == KindDigest {
		return e.composeDigest(p, d, now, from)
	}
	if d.Kind == KindMonthReport {
		return e.composeMonthReport(p, d, from)
	}
	if d.Case != "" {
		return e.composeSOP(p, d, from)
	}
	c := p.cases[d.Ticket]
	if c == nil {
		return rules.Email{}, fmt.Errorf("baris tiket %s tidak ada lagi", d.Ticket)
	}
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
	for _, f := range c.Flags {
		if f.Kind == rules.FlagUnassigned {
			data.Reason = f.Detail
		}
	}
	e.answerData(p, c, &data)
	if d.Kind == KindAnswer {
		subj, err := e.o.Templates.subject(KindReceipt, data)
		if err != nil {
			return rules.Email{}, err
		}
		data.ReceiptSubject = subj
	}
	var to, cc []mail.Address
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
	case recipientConsultAdmin:
		a, err := address(c.Consultant, c.ConsultantEmail)
		if err != nil {
			return rules.Email{}, fmt.Errorf("alamat email konsuler tidak dapat dipakai")
		}
		to = append(to, a)
		cc = admins(cfg)
	case recipientSupervisor:
		for _, s := range cfg.EscalationRecipients(c.Topic) {
			if a, err := address("", s); err == nil {
				to = append(to, a)
			}
		}
		if len(to) == 0 {
			return rules.Email{}, fmt.Errorf("tidak ada alamat atasan atau admin yang dapat dipakai")
		}
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
		Key: d.Key, Ticket: c.Ticket.String(), Kind: d.Kind, Ref: refOf(d), From: from, To: to, Cc: cc,
		Subject: subject, Text: text, HTML: html,
	}, nil
}

// answerData fills the answer flow's template fields.
func (e *Engine) answerData(p *plan, c *rules.TrackedCase, data *mailData) {
	data.Answer = strings.TrimSpace(c.Answer)
	data.AnswerHTML = linkify(data.Answer)
	data.QuestionQuoted = quote(c.Question)
	data.SurveyURL = rules.SurveyLink(e.o.Config.Survey, c.Ticket.String())
	data.Assigned = formatWhen(c.AssignedAt, e.loc)
	if p.snap != nil {
		data.ConsultantRole = roleOf(p.snap.Roster, c.ConsultantEmail)
	}
}

// admins are the configured admin addresses that can be used.
func admins(cfg *rules.Config) []mail.Address {
	var out []mail.Address
	for _, adm := range cfg.Mail.Admins {
		if a, err := address("Admin KOPI", adm); err == nil {
			out = append(out, a)
		}
	}
	return out
}

// composeDigest renders the admins' daily digest.
func (e *Engine) composeDigest(p *plan, d *rules.Delivery, now time.Time, from mail.Address) (rules.Email, error) {
	to := admins(e.o.Config)
	if len(to) == 0 {
		return rules.Email{}, fmt.Errorf("tidak ada alamat admin yang dapat dipakai")
	}
	data := mailData{Office: e.o.Config.Mail.Sender.Name, SheetURL: e.o.SheetURL, Digest: e.digestData(p, now),
		Ref: refOf(d)}
	subject, text, html, err := e.o.Templates.render(d.Kind, data)
	if err != nil {
		return rules.Email{}, err
	}
	return rules.Email{Key: d.Key, Kind: d.Kind, Ref: refOf(d), From: from, To: to, Subject: subject, Text: text, HTML: html}, nil
}

// ticketAttr names the case a delivery is about in a log line; an email
// about no single case (the daily digest) gets no ticket attribute.
func ticketAttr(d *rules.Delivery) slog.Attr {
	if d.Case != "" {
		return slog.String("kasus", d.Case)
	}
	if d.Ticket.IsZero() {
		return slog.Attr{}
	}
	return slog.String("tiket", d.Ticket.String())
}
