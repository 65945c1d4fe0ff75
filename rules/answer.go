package rules

import (
	"sort"
	"strings"
	"time"
)

// KindAnswer is the outbox kind of the answer email.
const KindAnswer = "jawaban"

// AnswerHash is a stable digest of an answer's text. Line-break style
// and trailing spaces do not count, so re-saving the same text in the
// Sheet is not a change.
func AnswerHash(answer string) string {
	s := strings.ReplaceAll(answer, "\r\n", "\n")
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	return EmailKey(strings.Join(lines, "\n"))
}

// AnswerKey is the idempotency key of the first answer email of a
// response: a changed answer is a different effect.
func AnswerKey(form, responseID, answer string) string {
	return EmailKey(form, responseID, KindAnswer, AnswerHash(answer))
}

// ResendKey is the key of an answer email the admin asked for with Kirim
// Ulang, after the send the row shows at sentAt (zero when none went
// out): each explicit request is a new effect, repeating the derivation
// before the row shows the new send is not.
func ResendKey(form, responseID, answer string, sentAt time.Time) string {
	at := ""
	if !sentAt.IsZero() {
		at = sentAt.UTC().Truncate(time.Minute).Format(time.RFC3339)
	}
	return EmailKey(form, responseID, KindAnswer, AnswerHash(answer), "ulang", at)
}

// SentAnswer is an answer email the journal shows as sent.
type SentAnswer struct {
	Key string
	At  time.Time
}

// AnswerHistory is what the outbox journal knows about a case's answer
// emails.
type AnswerHistory struct {
	// Sent lists the answer emails that went out, oldest first.
	Sent []SentAnswer
	// Pending is true while an answer email is queued or drafted.
	Pending bool
}

// AnswerAction is what the daemon does about a case's answer this cycle.
type AnswerAction struct {
	// Send asks for the answer email with Key.
	Send bool
	Key  string
	// Ready is the key of the answer email that may go out now (the one
	// to send, or the pending one): an answer un-approved meanwhile is
	// held. Empty when nothing may be sent.
	Ready string
	// MarkSent writes Status Terkirim and SentAt: the journal shows an
	// answer email the row does not reflect yet.
	MarkSent bool
	SentAt   time.Time
	// Stamp fills AnsweredBy/AnsweredAt (from the assigned consultant).
	Stamp bool
	// Flag is the case's answer flag for the admin, when there is one.
	Flag *Flag
}

// answered lists the statuses at which the row carries an answer.
func answered(s Status) bool {
	return s == StatusDijawab || s == StatusDisetujui || s == StatusKirimUlang || s.Final()
}

// DecideAnswer decides the answer flow of one case from its row and the
// journal. It is pure: the same row and journal give the same action, so
// a cycle that died half-way is finished by the next without a second
// email. An email the row does not show yet is recorded first (and
// nothing else happens), so a Kirim Ulang that email fulfilled cannot
// trigger another.
func DecideAnswer(c Case, form string, h AnswerHistory, approvalRequired bool) AnswerAction {
	var a AnswerAction
	text := strings.TrimSpace(c.Answer)
	n := len(h.Sent)
	want := ""
	if text != "" && c.Status.ReadyToSend(approvalRequired) {
		switch {
		case c.Status == StatusKirimUlang:
			want = ResendKey(form, c.ResponseID, c.Answer, c.SentAt)
		case n == 0:
			want = AnswerKey(form, c.ResponseID, c.Answer)
		}
	}
	if n > 0 {
		last := h.Sent[n-1]
		if c.SentAt.IsZero() || c.SentAt.Before(last.At.Truncate(time.Minute)) || (want != "" && want == last.Key) {
			a.MarkSent, a.SentAt = true, last.At
			a.Stamp = c.AnsweredAt.IsZero()
			return a
		}
	}
	if text == "" {
		if c.Status == StatusDijawab || c.Status == StatusDisetujui || c.Status == StatusKirimUlang {
			a.Flag = &Flag{Kind: FlagAnswerEmpty, Status: c.Status}
		}
		return a
	}
	a.Stamp = answered(c.Status) && c.AnsweredAt.IsZero()
	if n > 0 && c.Status != StatusKirimUlang {
		last := h.Sent[n-1]
		prev := time.Time{}
		if n > 1 {
			prev = h.Sent[n-2].At
		}
		if last.Key != AnswerKey(form, c.ResponseID, c.Answer) && last.Key != ResendKey(form, c.ResponseID, c.Answer, prev) {
			a.Flag = &Flag{Kind: FlagAnswerChanged}
		}
		return a
	}
	if want == "" {
		return a
	}
	a.Ready = want
	if !h.Pending {
		a.Send, a.Key = true, want
	}
	return a
}

// AnswerHistories summarises the outbox journal's answer emails per
// case: what DecideAnswer and a case's flow (the send completes step 6)
// read of it.
func AnswerHistories(outbox []*Delivery) map[Ticket]*AnswerHistory {
	out := map[Ticket]*AnswerHistory{}
	for _, d := range outbox {
		if d.Kind != KindAnswer {
			continue
		}
		h := out[d.Ticket]
		if h == nil {
			h = &AnswerHistory{}
			out[d.Ticket] = h
		}
		if d.Pending() {
			h.Pending = true
		}
		if d.State == DeliverySent {
			h.Sent = append(h.Sent, SentAnswer{Key: d.Key, At: d.At})
		}
	}
	for _, h := range out {
		sort.Slice(h.Sent, func(i, j int) bool { return h.Sent[i].At.Before(h.Sent[j].At) })
	}
	return out
}
