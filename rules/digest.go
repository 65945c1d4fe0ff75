package rules

import (
	"fmt"
	"strings"
	"time"
)

// DigestDue reports whether the daily digest is due at now, and for
// which day: on a working day, from the office's opening until its
// closing. The caller keys the email by the day, so the first cycle in
// that window sends it and later ones find it in the journal; a daemon
// that was down at opening still sends it late that day, never at night.
func DigestDue(c *Calendar, now time.Time) (day Date, ok bool) {
	start, open := c.StartOfDay(now)
	if !open {
		return Date{}, false
	}
	end, _ := c.EndOfDay(now)
	if now.Before(start) || !now.Before(end) {
		return Date{}, false
	}
	return DateOf(now.In(c.loc)), true
}

// PreviousWorkday is the working day before day's date: "yesterday" for
// a digest read on Monday is Friday, or earlier across holidays.
func PreviousWorkday(c *Calendar, day Date) Date { return c.prevWorkday(day) }

// maxWhatsAppLink bounds a prefilled wa.me link: longer answers are not
// prefilled (the full answer went by email), so the link stays usable.
const maxWhatsAppLink = 6000

// WhatsAppFor decides a case's wa.me link: with the answer prefilled
// once there is one, before that a greeting naming the ticket. A number
// that does not normalise to a valid mobile number gets no link and a
// note for the admin: it is never guessed. An empty number gets neither.
func WhatsAppFor(c Case) (link string, flag *Flag) {
	if strings.TrimSpace(c.WhatsApp) == "" {
		return "", nil
	}
	phone := checkPhone(c.WhatsApp)
	if !phone.ok {
		return "", &Flag{Kind: FlagPhoneInvalid}
	}
	if !phone.mobile {
		return "", &Flag{Kind: FlagPhoneNotMobile}
	}
	num := phone.e164
	greeting := fmt.Sprintf(msgWAGreeting, c.Name, c.Ticket)
	if a := strings.TrimSpace(c.Answer); a != "" && answered(c.Status) {
		if l := WhatsAppLink(num, fmt.Sprintf(msgWAAnswer, c.Name, c.Ticket, a)); len(l) <= maxWhatsAppLink {
			return l, nil
		}
		return WhatsAppLink(num, fmt.Sprintf(msgWAAnswerLong, c.Name, c.Ticket)), nil
	}
	return WhatsAppLink(num, greeting), nil
}
