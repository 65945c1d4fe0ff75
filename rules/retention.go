package rules

import (
	"strings"
	"time"
)

// Retention (UU 27/2022 Pelindungan Data Pribadi, the principle that
// personal data is kept no longer than its purpose needs): a closed case
// older than the configured number of days keeps what the reports need —
// ticket, topic, times, status, consultant, completeness — and loses
// what identifies or quotes the requester.

// anonymizedPrefix starts the name cell of an anonymised case; the rest
// is the date it was anonymised and "]".
const anonymizedPrefix = "[dianonimkan "

// AnonymizedFields are the columns retention clears: the requester's
// identity and words, the answer (which quotes and addresses them), the
// WhatsApp link (which carries number and answer) and the system notes
// (which may quote a delivery error naming the address). The name column
// keeps a marker instead, so an anonymised row is recognised.
var AnonymizedFields = []CaseField{
	CFName, CFUnit, CFEmail, CFWhatsApp, CFQuestion, CFAttachments,
	CFAnswer, CFWhatsAppLink, CFNotes,
}

// AnonymizedName is the name cell of a case anonymised at now (read in
// the office's time zone), e.g. "[dianonimkan 2026-11-21]".
func AnonymizedName(now time.Time) string {
	return anonymizedPrefix + now.Format("2006-01-02") + "]"
}

// IsAnonymized reports whether retention already cleared the case.
func IsAnonymized(c Case) bool {
	return strings.HasPrefix(strings.TrimSpace(c.Name), anonymizedPrefix)
}

// ClosedAt is when a final case closed: when the answer was sent, or,
// for a row staff closed by hand without kopi sending, when it was
// answered or else received. Zero when the case is not final.
func ClosedAt(c Case) time.Time {
	if !c.Status.Final() {
		return time.Time{}
	}
	for _, t := range []time.Time{c.SentAt, c.AnsweredAt, c.SubmittedAt} {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

// DueForAnonymization picks the cases retention clears at now: final
// (Terkirim, Selesai), closed at least days days ago (calendar days in
// now's location), not already anonymised, and with no email still
// pending (busy names tickets with a queued or drafted email: clearing
// the address under it would make it undeliverable). days <= 0 turns
// retention off. The result keeps the order of cases.
func DueForAnonymization(cases []TrackedCase, days int, now time.Time, busy map[Ticket]bool) []Ticket {
	if days <= 0 {
		return nil
	}
	var out []Ticket
	for _, c := range cases {
		closed := ClosedAt(c.Case)
		if closed.IsZero() || IsAnonymized(c.Case) || busy[c.Ticket] {
			continue
		}
		if closed.In(now.Location()).AddDate(0, 0, days).After(now) {
			continue
		}
		out = append(out, c.Ticket)
	}
	return out
}

// Anonymize returns the case with AnonymizedFields cleared and the name
// replaced by the marker of now.
func Anonymize(c Case, now time.Time) Case {
	c.Name = AnonymizedName(now)
	c.Unit, c.Email, c.WhatsApp, c.Question, c.Answer, c.Notes = "", "", "", "", "", ""
	c.WhatsAppLink = "" // it carries the phone number and the answer
	c.Attachments = nil
	return c
}
