package sync

import (
	htmltemplate "html/template"
	"regexp"
	"strings"

	"kopi/rules"
)

// addIntent queues an email about a KOPI case (or none) under its key.
func (in *intake) addIntent(t rules.Ticket, kind, recipient, key string) {
	in.queue(rules.Delivery{Key: key, Ticket: t, Kind: kind, Recipient: recipient})
}

// queue adds an email intent to the cycle's commit, unless the journal
// (or this cycle) already has its key.
func (in *intake) queue(d rules.Delivery) {
	if in.keys[d.Key] {
		return
	}
	in.keys[d.Key] = true
	in.p.fresh[d.Key] = true
	d.State, d.At = rules.DeliveryQueued, in.now
	in.p.changes.Outbox = append(in.p.changes.Outbox, d)
}

// answers runs the answer flow over the tracked cases (SOP steps 3–4):
// record answers the journal shows as sent, stamp who answered, flag an
// answer changed after it went out, and queue approved answers.
func (in *intake) answers() {
	cfg := in.e.o.Config
	form := cfg.Intake.FormID
	for _, sc := range in.snap.Cases {
		c := in.p.cases[sc.Ticket]
		if rules.IsAnonymized(c.Case) {
			continue // retention emptied the row: nothing to answer
		}
		h := rules.AnswerHistory{}
		if x := in.sent[c.Ticket]; x != nil {
			h = *x
		}
		a := rules.DecideAnswer(c.Case, form, h, cfg.Answers.ApprovalRequired)
		if a.MarkSent {
			if c.Status != rules.StatusSelesai {
				c.Status = rules.StatusTerkirim
				in.touch(c.Ticket, rules.CFStatus)
			}
			c.SentAt = a.SentAt
			in.touch(c.Ticket, rules.CFSentAt)
			in.rep.AnswersRecorded++
		}
		if a.Stamp {
			// The Sheets API cannot tell who set a cell: the answer is
			// the assigned consultant's.
			c.AnsweredBy = c.Consultant
			c.AnsweredAt = in.now
			in.touch(c.Ticket, rules.CFAnsweredBy, rules.CFAnsweredAt)
		}
		if a.Flag != nil {
			addFlag(c, *a.Flag)
		}
		if a.Ready != "" {
			in.p.answerReady[c.Ticket] = a.Ready
		}
		if a.Send {
			in.addIntent(c.Ticket, KindAnswer, recipientSender, a.Key)
			in.rep.AnswersQueued++
		}
	}
}

// whatsapp keeps each row's wa.me link current (the answer prefilled
// once there is one); a number that is not a valid mobile is noted.
func (in *intake) whatsapp(c *rules.TrackedCase, existing bool) {
	link, flag := in.e.whatsapp.For(c.Case)
	if link != c.WhatsAppLink {
		c.WhatsAppLink = link
		if existing {
			in.touch(c.Ticket, rules.CFWhatsAppLink)
		}
	}
	if flag != nil {
		addFlag(c, *flag)
	}
}

// urlRE finds bare http(s) links in an answer.
var urlRE = regexp.MustCompile(`https?://[^\s<>"']+`)

// linkify renders plain answer text as HTML: everything escaped, line
// breaks kept, bare http(s) links made clickable. Only the escaped text
// of the URL goes into href, and only http and https schemes are linked,
// so no input can become markup or a javascript: link.
func linkify(s string) htmltemplate.HTML {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	last := 0
	for _, m := range urlRE.FindAllStringIndex(s, -1) {
		start, end := m[0], m[1]
		// Trailing punctuation ends a sentence, not the link.
		for end > start && strings.ContainsRune(".,;:!?)]}", rune(s[end-1])) {
			end--
		}
		b.WriteString(htmltemplate.HTMLEscapeString(s[last:start]))
		u := htmltemplate.HTMLEscapeString(s[start:end])
		b.WriteString(`<a href="` + u + `">` + u + `</a>`)
		last = end
	}
	b.WriteString(htmltemplate.HTMLEscapeString(s[last:]))
	return htmltemplate.HTML(strings.ReplaceAll(b.String(), "\n", "<br>\n"))
}

// quote prefixes every line with "> ", as mail clients quote.
func quote(s string) string {
	lines := strings.Split(strings.ReplaceAll(strings.TrimSpace(s), "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = "> " + l
	}
	return strings.Join(lines, "\n")
}

// roleOf is the consultant's position from the roster, matched by email.
func roleOf(roster []rules.Consultant, email string) string {
	for _, c := range roster {
		if strings.EqualFold(strings.TrimSpace(c.Email), strings.TrimSpace(email)) {
			return c.Role
		}
	}
	return ""
}

// receiptOf is the case's sent receipt in the journal, if any.
func receiptOf(p *plan, t rules.Ticket) *rules.Delivery {
	for _, d := range p.outbox {
		if d.Ticket == t && d.Kind == KindReceipt && d.State == rules.DeliverySent {
			return d
		}
	}
	return nil
}
