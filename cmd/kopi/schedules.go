package main

import (
	"fmt"
	"time"

	"github.com/robfig/cron/v3"

	"kopi/rules"
)

// The daemon's three timetables are cron.Schedule values: the cycle and
// the digest depend on the office calendar (office hours, Ramadan hours,
// holidays), which no cron expression can say, so they are custom
// schedules; the nightly report is a plain cron spec parsed by
// robfig/cron in the office's time zone (CRON_TZ).

// cycleSchedule ticks every office interval while the office is open and
// every outside interval otherwise, on the office's local clock (ticks
// are aligned to local midnight: 08:00, 08:01, …; 16:15, 16:30, …), and
// always at the moment the office opens, so the first cycle of the day
// (the one that builds the digest) is on time even when opening is not
// on the outside grid.
type cycleSchedule struct {
	cal             *rules.Calendar
	office, outside time.Duration
}

var _ cron.Schedule = cycleSchedule{}

// Next returns the first tick after t.
func (s cycleSchedule) Next(t time.Time) time.Time {
	loc := s.cal.Location()
	t = t.In(loc)
	if o := alignAfter(t, s.office); s.cal.IsOpen(o) {
		return o
	}
	out := alignAfter(t, s.outside)
	// The office is closed at the next office tick: the next opening
	// is strictly after t.
	if open := s.cal.NextOpen(alignAfter(t, s.office)); open.Before(out) {
		return open
	}
	return out
}

// alignAfter returns the first instant after t that is a whole number of
// d after t's local midnight; the next midnight is always a tick.
func alignAfter(t time.Time, d time.Duration) time.Time {
	y, m, day := t.Date()
	midnight := time.Date(y, m, day, 0, 0, 0, 0, t.Location())
	next := midnight.Add((t.Sub(midnight)/d + 1) * d)
	if tomorrow := time.Date(y, m, day+1, 0, 0, 0, 0, t.Location()); next.After(tomorrow) {
		return tomorrow
	}
	return next
}

// openingSchedule ticks at the start of office hours of every working
// day: the daily digest. Holidays and weekends have no tick.
type openingSchedule struct{ cal *rules.Calendar }

var _ cron.Schedule = openingSchedule{}

// Next returns the first opening after t, or the zero time (cron's
// "never") when none falls within a year and a half.
func (s openingSchedule) Next(t time.Time) time.Time {
	loc := s.cal.Location()
	t = t.In(loc)
	y, m, d := t.Date()
	for i := 0; i < 550; i++ {
		day := time.Date(y, m, d+i, 12, 0, 0, 0, loc)
		if start, ok := s.cal.StartOfDay(day); ok && start.After(t) {
			return start
		}
	}
	return time.Time{}
}

// reportSchedule is the nightly report rebuild: a daily cron spec at
// cfg.Schedule.ReportAt in the office's time zone.
func reportSchedule(at rules.Clock, loc *time.Location) (cron.Schedule, error) {
	h, m := at.Minutes/60%24, at.Minutes%60
	spec := fmt.Sprintf("CRON_TZ=%s %d %d * * *", loc.String(), m, h)
	s, err := cron.ParseStandard(spec)
	if err != nil {
		return nil, fmt.Errorf("report schedule %q: %w", spec, err)
	}
	return s, nil
}
