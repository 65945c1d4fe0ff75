package sync_test

import "time"

// The simulation's own working-time arithmetic, written from SPEC §3
// (step 2: 30 minutes, step 3: one working day) and the documented
// office hours, not from kopi's calendar: the deadline a complete
// consultation must show is recomputed here independently.

// simCalendarEnd bounds the window this arithmetic knows: it holds
// 2026's national holidays and joint leave days (simHolidays), not
// later years'; deadlines from here on are not checked.
var simCalendarEnd = time.Date(2027, 1, 1, 0, 0, 0, 0, wib)

// simHolidays are the weekdays of 2026 on which government offices are
// closed, typed from the joint decree (SKB 1497/2025, 2/2025, 5/2025):
// national holidays and cuti bersama that fall Monday to Friday.
var simHolidays = map[string]bool{
	"2026-01-01": true, "2026-01-16": true, "2026-02-16": true, "2026-02-17": true,
	"2026-03-18": true, "2026-03-19": true, "2026-03-20": true, "2026-03-23": true, "2026-03-24": true,
	"2026-04-03": true, "2026-05-01": true, "2026-05-14": true, "2026-05-15": true,
	"2026-05-27": true, "2026-05-28": true, "2026-06-01": true, "2026-06-16": true,
	"2026-08-17": true, "2026-08-25": true, "2026-12-24": true, "2026-12-25": true,
}

// simInterval is one stretch of office time.
type simInterval struct{ start, end time.Time }

// simDay is a date's office time: Perpres 21/2023 hours, Ramadan 1447 H
// hours from 19 February to 20 March 2026; nothing at weekends and on
// simHolidays.
func simDay(d time.Time) []simInterval {
	y, m, dd := d.In(wib).Date()
	at := func(h, min int) time.Time { return time.Date(y, m, dd, h, min, 0, 0, wib) }
	day := time.Date(y, m, dd, 0, 0, 0, 0, wib)
	ramadan := !day.Before(time.Date(2026, 2, 19, 0, 0, 0, 0, wib)) && !day.After(time.Date(2026, 3, 20, 0, 0, 0, 0, wib))
	switch wd := day.Weekday(); {
	case wd == time.Saturday || wd == time.Sunday || simHolidays[day.Format("2006-01-02")]:
		return nil
	case ramadan && wd == time.Friday:
		return []simInterval{{at(8, 0), at(11, 30)}, {at(12, 30), at(15, 30)}}
	case ramadan:
		return []simInterval{{at(8, 0), at(12, 0)}, {at(12, 30), at(15, 0)}}
	case wd == time.Friday:
		return []simInterval{{at(7, 30), at(11, 30)}, {at(13, 0), at(16, 30)}}
	default:
		return []simInterval{{at(7, 30), at(12, 0)}, {at(13, 0), at(16, 0)}}
	}
}

// simNextWorkday is the first date after d with office time.
func simNextWorkday(d time.Time) time.Time {
	for d = d.AddDate(0, 0, 1); simDay(d) == nil; d = d.AddDate(0, 0, 1) {
	}
	return d
}

// simAddWorking is the instant at which d of office time has passed
// since t (counting from the next opening when t is outside hours).
func simAddWorking(t time.Time, d time.Duration) time.Time {
	for day := t; ; day = simNextWorkday(day) {
		for _, iv := range simDay(day) {
			if !iv.end.After(t) {
				continue
			}
			from := laterOf(iv.start, t, func(a, b time.Time) bool { return a.Before(b) })
			if avail := iv.end.Sub(from); d <= avail {
				return from.Add(d)
			} else {
				d -= avail
			}
		}
	}
}

// simAddDay is "one working day" from t: the same time of day on the
// next workday (from the next opening when t is outside hours), within
// that day's hours; a result on the opening is the previous closing.
func simAddDay(t time.Time) time.Time {
	open := t
	if ivs := simDay(t); ivs == nil || !t.Before(ivs[len(ivs)-1].end) {
		open = simDay(simNextWorkday(t))[0].start
	} else {
		for _, iv := range ivs {
			if t.Before(iv.end) {
				open = laterOf(iv.start, t, func(a, b time.Time) bool { return a.Before(b) })
				break
			}
		}
	}
	target := simNextWorkday(open)
	ivs := simDay(target)
	y, m, d := target.Date()
	res := time.Date(y, m, d, open.Hour(), open.Minute(), open.Second(), open.Nanosecond(), wib)
	first, last := ivs[0].start, ivs[len(ivs)-1].end
	switch {
	case res.Before(first) || res.Equal(first):
		prev := simDay(open)
		return prev[len(prev)-1].end
	case res.After(last):
		return last
	}
	return res
}

func laterOf[T any](a, b T, less func(T, T) bool) T {
	if less(a, b) {
		return b
	}
	return a
}

// simDeadline is the deadline of a consultation complete at t: step 2
// (30 minutes) then step 3 (one working day).
func simDeadline(t time.Time) time.Time {
	return simAddDay(simAddWorking(t.In(wib), 30*time.Minute))
}
