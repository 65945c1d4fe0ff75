package sync

import (
	"fmt"
	"net/mail"
	"time"

	"kopi/rules"
)

// The kinds of email of the evaluation and the report.
const (
	// KindMonthReport is the month-end report to the secretariat (SOP step 5).
	KindMonthReport = "laporan-bulanan"
	// KindSurveyFollowUp is the one survey reminder to the requester.
	KindSurveyFollowUp = "survei-pengingat"
	// recipientSecretariat addresses report.sekretariat (or the admins).
	recipientSecretariat = "sekretariat"
)

// monthReport queues the month-end report email once per month (keyed
// by the month): the secretariat gets the period's figures and the link.
func (in *intake) monthReport() {
	cfg := in.e.o.Config
	if !cfg.Report.MonthEndEmail || len(secretariat(cfg)) == 0 {
		return
	}
	// The first case kopi served: the earliest live one, or an archived
	// one (created at or before the archive's horizon) — a month whose
	// cases were all archived before its report still has one.
	first := in.snap.State.Archive.Horizon
	for _, c := range in.snap.Cases {
		if !c.SubmittedAt.IsZero() && (first.IsZero() || c.SubmittedAt.Before(first)) {
			first = c.SubmittedAt
		}
	}
	p, ok := rules.MonthReportDue(in.e.o.Calendar, in.now, first)
	if !ok {
		return
	}
	in.addIntent(rules.Ticket{}, KindMonthReport, recipientSecretariat, rules.EmailKey(cfg.Intake.FormID, KindMonthReport, p.Key))
}

// surveyFollowUps queues, per answered case without a survey, the one
// reminder with the prefilled survey link (keyed by the ticket), timed
// from the answer's first send (answerSentAt).
func (in *intake) surveyFollowUps() {
	cfg := in.e.o.Config
	if cfg.Survey.URL == "" || cfg.Survey.FollowUpAfter.IsZero() {
		return
	}
	rated := surveyed(in.p)
	for _, c := range in.snap.Cases {
		cur := in.p.cases[c.Ticket]
		if cur == nil || rules.IsAnonymized(cur.Case) {
			continue
		}
		if rules.SurveyFollowUpDue(in.e.o.Calendar, in.answerSentAt(cur), in.now, cfg.Survey.FollowUpAfter, rated[c.Ticket]) {
			in.addIntent(c.Ticket, KindSurveyFollowUp, recipientSender, rules.EmailKey(cfg.Intake.FormID, c.Ticket.String(), KindSurveyFollowUp))
		}
	}
}

// secretariat are the month-end report's recipients.
func secretariat(cfg *rules.Config) []mail.Address {
	var out []mail.Address
	for _, s := range cfg.Report.Secretariat {
		if a, err := address("Sekretariat", s); err == nil {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return admins(cfg)
	}
	return out
}

// monthView is what the month-end report template sees.
type monthView struct {
	Period   string
	Total    int
	ByStatus []rules.Count
	// SOPs are the step compliance tables, one per active SOP, KOPI
	// first.
	SOPs []complianceView
	// Compliance is KOPI's lines alone, kept for templates an office
	// customised before SOPs existed.
	Compliance []string
	IKM        string
	Sample     string
	Obstacles  []string
}

// complianceView is one SOP's compliance in the month-end report: its
// title, the source the figures come from, a line per step.
type complianceView struct {
	Name, Source string
	Steps        []string
}

// composeMonthReport renders the month-end report of the month before
// the one the intent was queued in, from the cases as they stand and
// the history deliver read for it (p.history).
func (e *Engine) composeMonthReport(p *plan, d *rules.Delivery, from mail.Address) (rules.Email, error) {
	to := secretariat(e.o.Config)
	if len(to) == 0 {
		return rules.Email{}, fmt.Errorf("tidak ada alamat sekretariat atau admin yang dapat dipakai")
	}
	q := d.At.In(e.loc)
	prev := time.Date(q.Year(), q.Month(), 1, 0, 0, 0, 0, e.loc).AddDate(0, -1, 0)
	period := rules.MonthPeriod(prev.Year(), prev.Month(), e.loc)
	snap := p.reportSnap
	if snap == nil {
		snap = p.snap
	}
	r := e.reportOf(snap, p.history, period)
	v := &monthView{Period: period.Label, Total: r.Total, ByStatus: r.ByStatus, Obstacles: r.Obstacles()}
	for i, t := range r.Compliance {
		cv := complianceView{Name: t.Name, Source: t.Source()}
		for _, c := range t.Steps {
			cv.Steps = append(cv.Steps, fmt.Sprintf("Langkah %d (%s): %d dari %d sesuai standar %s", c.Step, c.Actor, c.Within, c.Done, c.Standard.Indonesian()))
		}
		if i == 0 {
			v.Compliance = cv.Steps
		}
		v.SOPs = append(v.SOPs, cv)
	}
	k := r.IKM.IKM
	v.IKM = "belum dapat dihitung (belum ada survei yang dapat dihitung untuk setiap unsur)"
	if k.Valid {
		v.IKM = fmt.Sprintf("%s — mutu %s (%s), %d responden", k.IndexText(), k.Grade, k.Grade.Label(), k.Respondents)
	}
	v.Sample = fmt.Sprintf("sampel minimum %d untuk %d pengguna layanan", r.IKM.MinSample, r.IKM.Population)
	data := mailData{Office: e.o.Config.Mail.Sender.Name, SheetURL: e.o.SheetURL, Month: v, Ref: refOf(d)}
	subject, text, html, err := e.o.Templates.render(d.Kind, data)
	if err != nil {
		return rules.Email{}, err
	}
	return rules.Email{Key: d.Key, Kind: d.Kind, Ref: refOf(d), From: from, To: to, Subject: subject, Text: text, HTML: html}, nil
}

// answerSentAt is when a case's answer first went out: the outbox
// journal's send, to the instant (what the survey join decides on,
// rules.FirstAnswerSends), not the row's "Terkirim Pada", which keeps
// minutes only — a follow-up timed from it could go out up to a minute
// early — and which a Kirim Ulang moves. The row's value serves a case
// whose journal holds no send (rows from before kopi kept one).
func (in *intake) answerSentAt(c *rules.TrackedCase) time.Time {
	if h := in.sent[c.Ticket]; h != nil && len(h.Sent) > 0 {
		return h.Sent[0].At
	}
	return c.SentAt
}
