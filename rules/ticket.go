package rules

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// TicketPrefix starts every ticket number.
const TicketPrefix = "KOPI"

// Ticket is a case number, KOPI-YYYY-NNNN: sequential per year in the
// office's time zone, never reused, at least four digits and growing
// past 9999. The zero Ticket means "no number yet".
type Ticket struct {
	Year int
	Seq  int
}

// IsZero reports whether the ticket is unset.
func (t Ticket) IsZero() bool { return t.Year == 0 && t.Seq == 0 }

// String formats the ticket, e.g. KOPI-2026-0042; "" for the zero Ticket.
func (t Ticket) String() string {
	if t.IsZero() {
		return ""
	}
	return fmt.Sprintf("%s-%04d-%04d", TicketPrefix, t.Year, t.Seq)
}

// ParseTicket reads a ticket number, ignoring case and surrounding spaces.
func ParseTicket(s string) (Ticket, error) {
	parts := strings.Split(strings.ToUpper(strings.TrimSpace(s)), "-")
	if len(parts) != 3 || parts[0] != TicketPrefix || len(parts[1]) != 4 || len(parts[2]) < 4 {
		return Ticket{}, fmt.Errorf(msgTicketBad, s)
	}
	y, err1 := strconv.Atoi(parts[1])
	n, err2 := strconv.Atoi(parts[2])
	if err1 != nil || err2 != nil || y < 1 || n < 1 || strings.Trim(parts[1]+parts[2], "0123456789") != "" {
		return Ticket{}, fmt.Errorf(msgTicketBad, s)
	}
	return Ticket{Year: y, Seq: n}, nil
}

// TicketYear is the year of an instant in the office's zone: a response
// sent at 00:30 WIB on 1 January 2027 (still 2026 in UTC) gets a 2027
// number.
func TicketYear(t time.Time, loc *time.Location) int { return t.In(loc).Year() }

// TicketCounter hands out ticket numbers: the next number of a year is
// one past the highest seen, among the tickets in the sheet and in the
// ledger, so that a deleted row's number is never reused.
type TicketCounter struct {
	max map[int]int
}

// See records an existing ticket.
func (tc *TicketCounter) See(t Ticket) {
	if tc.max == nil {
		tc.max = map[int]int{}
	}
	if t.Seq > tc.max[t.Year] {
		tc.max[t.Year] = t.Seq
	}
}

// Next returns and records the next ticket of year.
func (tc *TicketCounter) Next(year int) Ticket {
	t := Ticket{Year: year, Seq: tc.max[year] + 1}
	tc.See(t)
	return t
}
