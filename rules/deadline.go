package rules

import (
	"sort"
	"time"
)

// Interval is a stretch of time from From up to To. An open interval
// (zero To) has not ended yet.
type Interval struct {
	From, To time.Time
}

// Deadline returns when a time standard started at start is due: start
// plus std in working time (Calendar.AddSpan), pushed back by the office
// time of every pause — a stretch in which the case waited for the
// requester (Kurang Lengkap) — that begins before the running deadline.
// While a pause is still open (zero To) there is no deadline: the zero
// time is returned. With no pauses this is simply AddSpan.
func Deadline(c *Calendar, start time.Time, std Span, pauses []Interval) time.Time {
	due := c.AddSpan(start, std)
	ps := append([]Interval(nil), pauses...)
	sort.Slice(ps, func(i, j int) bool { return ps[i].From.Before(ps[j].From) })
	for _, p := range ps {
		from := p.From
		if from.Before(start) {
			from = start
		}
		if !from.Before(due) {
			continue
		}
		if p.To.IsZero() {
			return time.Time{}
		}
		if p.To.After(from) {
			due = c.AddWorking(due, c.WorkingBetween(from, p.To))
		}
	}
	return due
}

// Elapsed is the office time the clock has run from start to now,
// without the pauses (each counted once, even if they overlap).
func Elapsed(c *Calendar, start, now time.Time, pauses []Interval) time.Duration {
	if !now.After(start) {
		return 0
	}
	run := c.WorkingBetween(start, now)
	cursor := start
	ps := append([]Interval(nil), pauses...)
	sort.Slice(ps, func(i, j int) bool { return ps[i].From.Before(ps[j].From) })
	for _, p := range ps {
		from, to := p.From, p.To
		if to.IsZero() || to.After(now) {
			to = now
		}
		if from.Before(cursor) {
			from = cursor
		}
		if to.After(from) {
			run -= c.WorkingBetween(from, to)
			cursor = to
		}
	}
	return run
}
