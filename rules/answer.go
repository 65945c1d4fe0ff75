package rules

import (
	"fmt"
	"strconv"
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

// AnswerKey is the idempotency key of the answer email of a response:
// a changed answer is a different effect, and so is every explicit
// re-send. gen counts the answer emails of the case already sent; resend
// marks a send the admin asked for with Kirim Ulang.
func AnswerKey(form, responseID, answer string, gen int, resend bool) string {
	parts := []string{form, responseID, KindAnswer, AnswerHash(answer), strconv.Itoa(gen)}
	if resend {
		parts = append(parts, "ulang")
	}
	return EmailKey(parts...)
}

// AnswerHistory is what the outbox journal knows about a case's answer
// emails.
type AnswerHistory struct {
	// Sent counts the answer emails that went out.
	Sent int
	// LastSentKey and LastSentAt describe the latest one sent.
	LastSentKey string
	LastSentAt  time.Time
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
	// Flag is a note for the admin, in Indonesian; "" when none.
	Flag string
}

// answered lists the statuses at which the row carries an answer.
func answered(s Status) bool {
	return s == StatusDijawab || s == StatusDisetujui || s == StatusKirimUlang || s.Final()
}

// DecideAnswer decides the answer flow of one case from its row and the
// journal. It is pure: the same row and journal give the same action, so
// a cycle that died half-way is finished by the next without a second
// email. The order matters: an email the row does not show yet is
// recorded first (and nothing else happens), so Kirim Ulang left over
// from before that email cannot trigger another.
func DecideAnswer(c Case, form string, h AnswerHistory, approvalRequired bool) AnswerAction {
	var a AnswerAction
	if h.Sent > 0 && (c.SentAt.IsZero() || c.SentAt.Before(h.LastSentAt.Truncate(time.Minute))) {
		a.MarkSent, a.SentAt = true, h.LastSentAt
		a.Stamp = c.AnsweredAt.IsZero()
		return a
	}
	if strings.TrimSpace(c.Answer) == "" {
		if c.Status == StatusDijawab || c.Status == StatusDisetujui || c.Status == StatusKirimUlang {
			a.Flag = fmt.Sprintf(msgAnswerEmpty, c.Status)
		}
		return a
	}
	a.Stamp = answered(c.Status) && c.AnsweredAt.IsZero()
	if h.Sent > 0 && c.Status != StatusKirimUlang {
		g := h.Sent - 1
		if h.LastSentKey != AnswerKey(form, c.ResponseID, c.Answer, g, false) &&
			h.LastSentKey != AnswerKey(form, c.ResponseID, c.Answer, g, true) {
			a.Flag = msgAnswerChanged
		}
		return a
	}
	if !c.Status.ReadyToSend(approvalRequired) {
		return a
	}
	resend := c.Status == StatusKirimUlang
	key := AnswerKey(form, c.ResponseID, c.Answer, h.Sent, resend)
	a.Ready = key
	if !h.Pending {
		a.Send, a.Key = true, key
	}
	return a
}

// NeedsAttention reports whether a case's notes carry a flag the admin
// must act on (an answer changed after sending, an empty answer, an
// unusable WhatsApp number, an email refused for good).
func NeedsAttention(notes string) bool {
	for _, m := range []string{msgAnswerChanged, msgPhoneInvalid, msgPhoneNotWA, "kolom Jawaban kosong", "tidak terkirim:"} {
		if strings.Contains(notes, m) {
			return true
		}
	}
	return false
}
