package rules

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Date is a civil date (no time of day, no zone): a holiday, the first
// day of Ramadan hours, the last day of a consultant's leave. It is read
// from YAML and sheets as YYYY-MM-DD. The zero Date means "not set".
type Date struct {
	Year  int
	Month time.Month
	Day   int

	bad  string // text that did not parse, reported by Validate
	line int    // YAML line of bad
}

// ParseDate reads a date written as YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse("2006-01-02", strings.TrimSpace(s))
	if err != nil {
		return Date{}, fmt.Errorf(msgBadDate, s)
	}
	return DateOf(t), nil
}

// DateOf is the civil date of t in t's own location; convert t with In
// first to get the date in the office's zone.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d.Year == 0 && d.Month == 0 && d.Day == 0 }

// String formats the date as YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// In returns midnight at the start of the date in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// Before reports whether d is an earlier day than e.
func (d Date) Before(e Date) bool { return d.compare(e) < 0 }

// After reports whether d is a later day than e.
func (d Date) After(e Date) bool { return d.compare(e) > 0 }

// Equal reports whether d and e are the same day.
func (d Date) Equal(e Date) bool { return d.compare(e) == 0 }

func (d Date) compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return d.Year - e.Year
	case d.Month != e.Month:
		return int(d.Month) - int(e.Month)
	default:
		return d.Day - e.Day
	}
}

// AddDays returns the date n days later (earlier for negative n).
func (d Date) AddDays(n int) Date {
	return DateOf(time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC))
}

// Weekday is the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.In(time.UTC).Weekday() }

// UnmarshalYAML reads a YYYY-MM-DD scalar. A value that does not parse
// is kept and reported by Config.Validate with its key, so that every
// problem of a file is listed at once.
func (d *Date) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		*d = Date{bad: "(bukan tanggal)", line: n.Line}
		return nil
	}
	v, err := ParseDate(n.Value)
	if err != nil {
		*d = Date{bad: n.Value, line: n.Line}
		return nil
	}
	*d = v
	return nil
}

// MarshalYAML writes the date as YYYY-MM-DD.
func (d Date) MarshalYAML() (any, error) { return d.String(), nil }

// Clock is a time of day in minutes after midnight, written "07:30" or,
// as Indonesian offices often do, "07.30".
type Clock struct {
	Minutes int

	set  bool
	bad  string
	line int
}

// ParseClock reads a time of day written HH:MM or HH.MM.
func ParseClock(s string) (Clock, error) {
	s = strings.TrimSpace(s)
	s = strings.Replace(s, ".", ":", 1)
	h, m, ok := strings.Cut(s, ":")
	if !ok || len(m) != 2 || len(h) < 1 || len(h) > 2 {
		return Clock{}, fmt.Errorf(msgBadClock, s)
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || hh > 24 || mm < 0 || mm > 59 || (hh == 24 && mm != 0) {
		return Clock{}, fmt.Errorf(msgBadClock, s)
	}
	return Clock{Minutes: hh*60 + mm, set: true}, nil
}

// MustClock is ParseClock for constants; it panics on a bad value.
func MustClock(s string) Clock {
	c, err := ParseClock(s)
	if err != nil {
		panic(err)
	}
	return c
}

// IsSet reports whether the clock was given.
func (c Clock) IsSet() bool { return c.set }

// String formats the clock as HH:MM.
func (c Clock) String() string {
	if !c.set {
		return ""
	}
	return fmt.Sprintf("%02d:%02d", c.Minutes/60, c.Minutes%60)
}

// On returns the instant of this time of day on date d in loc.
func (c Clock) On(d Date, loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, c.Minutes/60, c.Minutes%60, 0, 0, loc)
}

// UnmarshalYAML reads HH:MM; a bad value is reported by Validate.
func (c *Clock) UnmarshalYAML(n *yaml.Node) error {
	v, err := ParseClock(n.Value)
	if err != nil || n.Kind != yaml.ScalarNode {
		*c = Clock{bad: n.Value, line: n.Line}
		if c.bad == "" {
			c.bad = "(kosong)"
		}
		return nil
	}
	*c = v
	return nil
}

// MarshalYAML writes HH:MM.
func (c Clock) MarshalYAML() (any, error) { return c.String(), nil }

// Span is a time standard of the SOP, counted in working time: whole
// working days plus working hours and minutes. "1d" (or "1 hari kerja")
// ends at the same time of day on the next working day; "30m" (or
// "30 menit") is thirty minutes of office time; "1d2h" combines both.
type Span struct {
	Days int
	Time time.Duration

	bad  string
	line int
}

var spanToken = regexp.MustCompile(`^(\d+)\s*(hari kerja|hari|jam|menit|d|h|m)`)

// ParseSpan reads a span such as "30m", "1d", "2h30m", "1 hari kerja",
// "30 menit" or "1 hari 2 jam".
func ParseSpan(s string) (Span, error) {
	rest := strings.ToLower(strings.TrimSpace(s))
	if rest == "" {
		return Span{}, fmt.Errorf(msgBadSpan, s)
	}
	var sp Span
	for rest != "" {
		m := spanToken.FindStringSubmatch(rest)
		if m == nil {
			return Span{}, fmt.Errorf(msgBadSpan, s)
		}
		n, err := strconv.Atoi(m[1])
		if err != nil || n > 1000000 {
			return Span{}, fmt.Errorf(msgBadSpan, s)
		}
		switch m[2] {
		case "d", "hari", "hari kerja":
			sp.Days += n
		case "h", "jam":
			sp.Time += time.Duration(n) * time.Hour
		case "m", "menit":
			sp.Time += time.Duration(n) * time.Minute
		}
		rest = strings.TrimLeft(rest[len(m[0]):], " ,")
	}
	return sp, nil
}

// MustSpan is ParseSpan for constants; it panics on a bad value.
func MustSpan(s string) Span {
	sp, err := ParseSpan(s)
	if err != nil {
		panic(err)
	}
	return sp
}

// IsZero reports whether the span is empty.
func (s Span) IsZero() bool { return s.Days == 0 && s.Time == 0 }

// String formats the span compactly, e.g. "1d", "30m", "1d2h30m".
func (s Span) String() string {
	var b strings.Builder
	if s.Days > 0 {
		fmt.Fprintf(&b, "%dd", s.Days)
	}
	h := int(s.Time / time.Hour)
	m := int((s.Time % time.Hour) / time.Minute)
	if h > 0 {
		fmt.Fprintf(&b, "%dh", h)
	}
	if m > 0 || b.Len() == 0 {
		fmt.Fprintf(&b, "%dm", m)
	}
	return b.String()
}

// Indonesian renders the span for people, e.g. "1 hari kerja", "30 menit".
func (s Span) Indonesian() string {
	var parts []string
	if s.Days > 0 {
		parts = append(parts, fmt.Sprintf("%d hari kerja", s.Days))
	}
	if h := int(s.Time / time.Hour); h > 0 {
		parts = append(parts, fmt.Sprintf("%d jam", h))
	}
	if m := int((s.Time % time.Hour) / time.Minute); m > 0 || len(parts) == 0 {
		parts = append(parts, fmt.Sprintf("%d menit", m))
	}
	return strings.Join(parts, " ")
}

// UnmarshalYAML reads a span; a bad value is reported by Validate.
func (s *Span) UnmarshalYAML(n *yaml.Node) error {
	v, err := ParseSpan(n.Value)
	if err != nil || n.Kind != yaml.ScalarNode {
		*s = Span{bad: n.Value, line: n.Line}
		if s.bad == "" {
			s.bad = "(kosong)"
		}
		return nil
	}
	*s = v
	return nil
}

// MarshalYAML writes the compact form.
func (s Span) MarshalYAML() (any, error) { return s.String(), nil }
