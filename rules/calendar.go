package rules

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/rickar/cal/v2"
	"go.yaml.in/yaml/v3"
)

// DayHours is the office's opening on one day of the week: open to
// close, optionally minus a break. Working time never counts the break.
type DayHours struct {
	Open       Clock `yaml:"open"`
	Close      Clock `yaml:"close"`
	BreakStart Clock `yaml:"break_start,omitempty"`
	BreakEnd   Clock `yaml:"break_end,omitempty"`
}

// Working is the office time of the day: close - open - break.
func (h DayHours) Working() time.Duration {
	d := h.Close.Minutes - h.Open.Minutes
	if h.BreakStart.IsSet() && h.BreakEnd.IsSet() {
		d -= h.BreakEnd.Minutes - h.BreakStart.Minutes
	}
	return time.Duration(d) * time.Minute
}

// WeekHours is the office's week: a nil day is closed.
type WeekHours struct {
	Monday    *DayHours `yaml:"monday"`
	Tuesday   *DayHours `yaml:"tuesday"`
	Wednesday *DayHours `yaml:"wednesday"`
	Thursday  *DayHours `yaml:"thursday"`
	Friday    *DayHours `yaml:"friday"`
	Saturday  *DayHours `yaml:"saturday"`
	Sunday    *DayHours `yaml:"sunday"`
}

// Day returns the hours of weekday wd, or nil when the office is closed.
func (w WeekHours) Day(wd time.Weekday) *DayHours {
	return [...]*DayHours{w.Sunday, w.Monday, w.Tuesday, w.Wednesday, w.Thursday, w.Friday, w.Saturday}[wd]
}

// Working is the office time of a whole week.
func (w WeekHours) Working() time.Duration {
	var sum time.Duration
	for wd := time.Sunday; wd <= time.Saturday; wd++ {
		if h := w.Day(wd); h != nil {
			sum += h.Working()
		}
	}
	return sum
}

// HoursPeriod replaces the office's week for a range of dates, both
// inclusive: Ramadan hours are the common case.
type HoursPeriod struct {
	Name  string    `yaml:"name,omitempty"`
	From  Date      `yaml:"from"`
	To    Date      `yaml:"to"`
	Hours WeekHours `yaml:"hours"`
}

// Contains reports whether d falls within the period.
func (p HoursPeriod) Contains(d Date) bool { return !d.Before(p.From) && !d.After(p.To) }

// Calendar is the office's working-time calendar in its own time zone:
// office hours per weekday, special periods (Ramadan), and the holiday
// table. Which days are workdays and when they start and end is decided
// by a github.com/rickar/cal/v2 BusinessCalendar fed with our tables;
// Calendar adds breaks and the SOP's "working day" arithmetic on top.
// A Calendar is immutable and safe for concurrent use.
type Calendar struct {
	loc      *time.Location
	bc       *cal.BusinessCalendar
	week     WeekHours
	periods  []HoursPeriod
	holidays map[Date]Holiday
	years    map[int]bool
	// days memoises intervals per date (Date → []interval): every
	// cycle asks the same few dates again for each open case, and the
	// holiday check behind them walks the whole holiday table.
	days sync.Map
}

type interval struct{ start, end time.Time }

// NewCalendar builds a calendar. week must open at least one day; the
// holiday list may be empty. Times passed to the calendar's methods may
// be in any zone: they are converted to loc.
func NewCalendar(loc *time.Location, week WeekHours, periods []HoursPeriod, holidays []Holiday) (*Calendar, error) {
	if loc == nil {
		return nil, fmt.Errorf("rules: NewCalendar: nil location")
	}
	if week.Working() <= 0 {
		return nil, errors.New(msgCalendarNoHours)
	}
	c := &Calendar{
		loc:      loc,
		week:     week,
		periods:  append([]HoursPeriod(nil), periods...),
		holidays: make(map[Date]Holiday, len(holidays)),
		years:    map[int]bool{},
	}
	bc := cal.NewBusinessCalendar()
	bc.Name = "kopi"
	bc.WorkdayFunc = func(t time.Time) bool { return c.hoursOn(DateOf(t)) != nil }
	bc.WorkdayStartFunc = func(t time.Time) time.Time {
		d := DateOf(t)
		return c.hoursOn(d).Open.On(d, c.loc)
	}
	bc.WorkdayEndFunc = func(t time.Time) time.Time {
		d := DateOf(t)
		return c.hoursOn(d).Close.On(d, c.loc)
	}
	for _, h := range holidays {
		if _, dup := c.holidays[h.Date]; dup {
			continue
		}
		c.holidays[h.Date] = h
		c.years[h.Date.Year] = true
		typ := cal.ObservancePublic
		if h.Kind != HolidayNational {
			typ = cal.ObservanceOther
		}
		bc.AddHoliday(&cal.Holiday{
			Name:      h.Name,
			Type:      typ,
			StartYear: h.Date.Year,
			EndYear:   h.Date.Year,
			Month:     h.Date.Month,
			Day:       h.Date.Day,
			Func:      cal.CalcDayOfMonth,
		})
	}
	c.bc = bc
	return c, nil
}

// Location is the office's time zone.
func (c *Calendar) Location() *time.Location { return c.loc }

// hoursOn is the configured opening of a date, before holidays.
func (c *Calendar) hoursOn(d Date) *DayHours {
	for _, p := range c.periods {
		if p.Contains(d) {
			return p.Hours.Day(d.Weekday())
		}
	}
	return c.week.Day(d.Weekday())
}

// noon is a safe instant inside date d for day-level questions.
func (c *Calendar) noon(d Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, c.loc)
}

// IsWorkday reports whether the office opens at all on t's date.
func (c *Calendar) IsWorkday(t time.Time) bool {
	return c.intervals(DateOf(t.In(c.loc))) != nil
}

// Holiday returns the holiday on t's date, if any.
func (c *Calendar) Holiday(t time.Time) (Holiday, bool) {
	h, ok := c.holidays[DateOf(t.In(c.loc))]
	return h, ok
}

// HasYear reports whether the holiday table has any entry in year; when
// it has none, the office has probably not added that year's decree yet
// and the caller should warn.
func (c *Calendar) HasYear(year int) bool { return c.years[year] }

// nextYearTableFrom is the month from which next year's holiday table
// is due: the joint decree (SKB 3 Menteri) is published around
// September for the following year.
const nextYearTableFrom = time.October

// MissingHolidayYear reports the year whose holiday table the office
// must add at now (in the calendar's zone): this year's when it is
// missing — deadlines and reminders are already counted without its
// holidays —, else from October next year's, so that the first
// deadlines of January are right.
func (c *Calendar) MissingHolidayYear(now time.Time) (year int, ok bool) {
	local := now.In(c.loc)
	switch y := local.Year(); {
	case !c.HasYear(y):
		return y, true
	case local.Month() >= nextYearTableFrom && !c.HasYear(y+1):
		return y + 1, true
	}
	return 0, false
}

// intervals returns the open stretches of date d, in order (nil when
// the office stays closed); callers must not modify the slice.
func (c *Calendar) intervals(d Date) []interval {
	if v, ok := c.days.Load(d); ok {
		return v.([]interval)
	}
	iv := c.openOn(d)
	c.days.Store(d, iv)
	return iv
}

// openOn computes intervals(d).
func (c *Calendar) openOn(d Date) []interval {
	t := c.noon(d)
	if !c.bc.IsWorkday(t) {
		return nil
	}
	open, close := c.bc.WorkdayStart(t), c.bc.WorkdayEnd(t)
	h := c.hoursOn(d)
	if h.BreakStart.IsSet() && h.BreakEnd.IsSet() && h.BreakStart.Minutes < h.BreakEnd.Minutes {
		bs, be := h.BreakStart.On(d, c.loc), h.BreakEnd.On(d, c.loc)
		return []interval{{open, bs}, {be, close}}
	}
	return []interval{{open, close}}
}

// nextWorkday is the first workday after d.
func (c *Calendar) nextWorkday(d Date) Date { return c.workdaysFrom(d, 1) }

// prevWorkday is the last workday before d.
func (c *Calendar) prevWorkday(d Date) Date { return c.workdaysFrom(d, -1) }

// workdaysFrom is the n-th workday after d (before it when n < 0; d
// itself when n is 0), each day asked of the memo (intervals).
func (c *Calendar) workdaysFrom(d Date, n int) Date {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		if d = d.AddDays(step); c.intervals(d) != nil {
			n--
		}
	}
	return d
}

// StartOfDay is the first office minute of day's date; ok is false when
// the office is closed all that day.
func (c *Calendar) StartOfDay(day time.Time) (start time.Time, ok bool) {
	iv := c.intervals(DateOf(day.In(c.loc)))
	if len(iv) == 0 {
		return time.Time{}, false
	}
	return iv[0].start, true
}

// EndOfDay is the closing time of day's date; ok is false when the
// office is closed all that day.
func (c *Calendar) EndOfDay(day time.Time) (end time.Time, ok bool) {
	iv := c.intervals(DateOf(day.In(c.loc)))
	if len(iv) == 0 {
		return time.Time{}, false
	}
	return iv[len(iv)-1].end, true
}

// IsOpen reports whether the office is open at t: on a workday, at or
// after opening, before closing, and not during the break.
func (c *Calendar) IsOpen(t time.Time) bool {
	t = t.In(c.loc)
	for _, iv := range c.intervals(DateOf(t)) {
		if !t.Before(iv.start) && t.Before(iv.end) {
			return true
		}
	}
	return false
}

// NextOpen returns t if the office is open at t, otherwise the next
// moment it opens (after the break, or the next workday's opening).
func (c *Calendar) NextOpen(t time.Time) time.Time {
	t = t.In(c.loc)
	d := DateOf(t)
	for _, iv := range c.intervals(d) {
		if t.Before(iv.end) {
			if t.Before(iv.start) {
				return iv.start
			}
			return t
		}
	}
	return c.intervals(c.nextWorkday(d))[0].start
}

// AddWorking returns the earliest instant at which d of office time has
// passed since start. A start outside office hours starts the clock at
// the next opening; a result that lands exactly on closing time stays on
// that closing time rather than jumping to the next morning. d <= 0
// returns start unchanged.
func (c *Calendar) AddWorking(start time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return start
	}
	t := start.In(c.loc)
	day := DateOf(t)
	for {
		for _, iv := range c.intervals(day) {
			if !iv.end.After(t) {
				continue
			}
			from := iv.start
			if t.After(from) {
				from = t
			}
			avail := iv.end.Sub(from)
			if d <= avail {
				return from.Add(d)
			}
			d -= avail
		}
		day = c.nextWorkday(day)
	}
}

// WorkingBetween is the office time between a and b; negative when b is
// before a.
func (c *Calendar) WorkingBetween(a, b time.Time) time.Duration {
	if b.Before(a) {
		return -c.WorkingBetween(b, a)
	}
	a, b = a.In(c.loc), b.In(c.loc)
	var sum time.Duration
	last := DateOf(b)
	day := DateOf(a)
	if c.intervals(day) == nil {
		day = c.nextWorkday(day)
	}
	for !day.After(last) {
		for _, iv := range c.intervals(day) {
			s, e := iv.start, iv.end
			if a.After(s) {
				s = a
			}
			if b.Before(e) {
				e = b
			}
			if e.After(s) {
				sum += e.Sub(s)
			}
		}
		day = c.nextWorkday(day)
	}
	return sum
}

// AddSpan adds an SOP time standard to start. Whole working days move to
// the same time of day on the n-th next workday (clamped to that day's
// hours, so a Ramadan day's earlier closing is respected), counted from
// the next opening when start is outside office hours; the remaining
// hours and minutes are then added as office time with AddWorking. Like
// AddWorking, a result on an opening is moved back to the previous
// closing: "1 working day" from Monday's opening ends at Monday's
// closing, not Tuesday 07:30.
func (c *Calendar) AddSpan(start time.Time, s Span) time.Time {
	t := start.In(c.loc)
	if s.Days > 0 {
		t = c.NextOpen(t)
		d := DateOf(t)
		target := c.workdaysFrom(d, s.Days)
		iv := c.intervals(target)
		open, close := iv[0].start, iv[len(iv)-1].end
		res := time.Date(target.Year, target.Month, target.Day, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), c.loc)
		if res.Before(open) {
			res = open
		}
		if res.After(close) {
			res = close
		}
		t = c.settle(res)
	}
	return c.AddWorking(t, s.Time)
}

// settle moves a result that lands exactly on a day's opening back to
// the previous workday's closing: no office time lies between them, and
// "by closing on Monday" is what people mean.
func (c *Calendar) settle(t time.Time) time.Time {
	iv := c.intervals(DateOf(t))
	if len(iv) == 0 || t.After(iv[0].start) {
		return t
	}
	prev := c.intervals(c.prevWorkday(DateOf(t)))
	return prev[len(prev)-1].end
}

var dayHoursKeys = map[string]bool{"open": true, "close": true, "break_start": true, "break_end": true}

// UnmarshalYAML replaces the whole day (a day written in the file does
// not inherit the default break) and keeps decoding strict.
func (h *DayHours) UnmarshalYAML(n *yaml.Node) error {
	type plain DayHours
	var errs []string
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k := n.Content[i]; !dayHoursKeys[k.Value] {
				errs = append(errs, fmt.Sprintf("line %d: field %s not found in type rules.DayHours", k.Line, k.Value))
			}
		}
	}
	var p plain
	if err := n.Decode(&p); err != nil {
		return err
	}
	*h = DayHours(p)
	if len(errs) > 0 {
		return &yaml.TypeError{Errors: errs}
	}
	return nil
}
