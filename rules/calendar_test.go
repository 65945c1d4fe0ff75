package rules

import (
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"
	_ "time/tzdata" // tests must not depend on the host's zone database
)

var wib = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		panic(err)
	}
	return loc
}()

// at parses "2006-01-02 15:04" in WIB.
func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, wib)
	if err != nil {
		panic(err)
	}
	return t
}

func testCalendar(t testing.TB) *Calendar {
	t.Helper()
	c, err := NewCalendar(wib, DefaultOfficeHours(), DefaultRamadan(), BuiltinHolidays())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestAddSpan(t *testing.T) {
	c := testCalendar(t)
	tests := []struct {
		name  string
		start string
		span  string
		want  string
	}{
		{"friday afternoon + 1 working day lands on Monday", "2026-04-10 15:00", "1d", "2026-04-13 15:00"},
		{"Thursday + 1 day skips Good Friday", "2026-04-02 15:00", "1d", "2026-04-06 15:00"},
		{"Saturday start: clock starts Monday, ends at Monday closing", "2026-04-11 10:00", "1d", "2026-04-13 16:00"},
		{"from opening, 1 day ends at the same day's closing", "2026-04-13 07:30", "1d", "2026-04-13 16:00"},
		{"Friday after closing + 1 day ends Monday closing", "2026-04-10 17:00", "1d", "2026-04-13 16:00"},
		{"Thursday closing + 1 day ends Friday's later closing", "2026-04-09 16:00", "1d", "2026-04-10 16:30"},
		{"deadline exactly at closing time stays at closing", "2026-04-13 15:30", "30m", "2026-04-13 16:00"},
		{"30 minutes past closing continue next morning", "2026-04-13 15:45", "30m", "2026-04-14 07:45"},
		{"lunch break is not working time", "2026-04-13 11:50", "30m", "2026-04-13 13:20"},
		{"Friday prayer break is 90 minutes", "2026-04-10 11:20", "30m", "2026-04-10 13:20"},
		{"evening start: clock starts at next opening", "2026-04-13 17:00", "30m", "2026-04-14 08:00"},
		{"Ramadan closes at 15:00, 18-24 March closed, normal hours after", "2026-03-17 14:45", "30m", "2026-03-25 07:45"},
		{"1 day before Nyepi and Idul Fitri jumps the closure", "2026-03-17 10:00", "1d", "2026-03-25 10:00"},
		{"Ramadan opens at 08:00", "2026-03-02 07:45", "30m", "2026-03-02 08:30"},
		{"Ramadan Friday 15:00 + 1 day", "2026-03-06 15:00", "1d", "2026-03-09 15:00"},
		{"Ramadan Friday 15:20 + 1 day clamps to Monday's 15:00 closing", "2026-03-06 15:20", "1d", "2026-03-09 15:00"},
		{"Ascension Thursday and cuti bersama Friday", "2026-05-13 10:00", "1d", "2026-05-18 10:00"},
		{"New Year's Day is a holiday", "2025-12-31 15:00", "1d", "2026-01-02 15:00"},
		{"days and hours combine", "2026-04-10 15:00", "1d2h", "2026-04-14 08:30"},
		{"zero span returns start", "2026-04-11 10:00", "0m", "2026-04-11 10:00"},
		{"Independence Day Monday", "2026-08-14 09:00", "1d", "2026-08-18 09:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sp, err := ParseSpan(tt.span)
			if err != nil {
				t.Fatal(err)
			}
			got := c.AddSpan(at(tt.start), sp)
			if !got.Equal(at(tt.want)) {
				t.Errorf("AddSpan(%s, %s) = %s, want %s", tt.start, tt.span, got.Format("Mon 2006-01-02 15:04"), tt.want)
			}
		})
	}
}

func TestWorkingBetween(t *testing.T) {
	c := testCalendar(t)
	tests := []struct {
		name string
		a, b string
		want time.Duration
	}{
		{"Monday office day without the break", "2026-04-13 07:30", "2026-04-13 16:00", 7*time.Hour + 30*time.Minute},
		{"Friday office day without the longer break", "2026-04-10 07:30", "2026-04-10 16:30", 7*time.Hour + 30*time.Minute},
		{"a normal week is 37.5 hours", "2026-04-13 00:00", "2026-04-18 00:00", 37*time.Hour + 30*time.Minute},
		{"a Ramadan week is 32.5 hours", "2026-03-02 00:00", "2026-03-07 00:00", 32*time.Hour + 30*time.Minute},
		{"Friday 15:00 to Monday 15:00", "2026-04-10 15:00", "2026-04-13 15:00", 8 * time.Hour},
		{"18-24 March adds nothing", "2026-03-17 12:00", "2026-03-25 07:30", 2*time.Hour + 30*time.Minute},
		{"weekend only", "2026-04-11 00:00", "2026-04-13 07:30", 0},
		{"reversed is negative", "2026-04-13 16:00", "2026-04-13 07:30", -(7*time.Hour + 30*time.Minute)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.WorkingBetween(at(tt.a), at(tt.b)); got != tt.want {
				t.Errorf("WorkingBetween(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

func TestIsOpenNextOpen(t *testing.T) {
	c := testCalendar(t)
	tests := []struct {
		t        string
		open     bool
		nextOpen string
	}{
		{"2026-04-13 07:30", true, "2026-04-13 07:30"},
		{"2026-04-13 07:29", false, "2026-04-13 07:30"},
		{"2026-04-13 12:30", false, "2026-04-13 13:00"},
		{"2026-04-13 15:59", true, "2026-04-13 15:59"},
		{"2026-04-13 16:00", false, "2026-04-14 07:30"},
		{"2026-04-12 10:00", false, "2026-04-13 07:30"},
		{"2026-04-03 10:00", false, "2026-04-06 07:30"},
		{"2026-03-18 10:00", false, "2026-03-25 07:30"},
		{"2026-03-02 07:45", false, "2026-03-02 08:00"},
		{"2026-03-02 12:15", false, "2026-03-02 12:30"},
	}
	for _, tt := range tests {
		if got := c.IsOpen(at(tt.t)); got != tt.open {
			t.Errorf("IsOpen(%s) = %v, want %v", tt.t, got, tt.open)
		}
		if got := c.NextOpen(at(tt.t)); !got.Equal(at(tt.nextOpen)) {
			t.Errorf("NextOpen(%s) = %s, want %s", tt.t, got.Format("2006-01-02 15:04"), tt.nextOpen)
		}
	}
}

func TestDayBoundsAndYears(t *testing.T) {
	c := testCalendar(t)
	if s, ok := c.StartOfDay(at("2026-03-02 20:00")); !ok || !s.Equal(at("2026-03-02 08:00")) {
		t.Errorf("StartOfDay Ramadan Monday = %v %v", s, ok)
	}
	if e, ok := c.EndOfDay(at("2026-04-10 01:00")); !ok || !e.Equal(at("2026-04-10 16:30")) {
		t.Errorf("EndOfDay Friday = %v %v", e, ok)
	}
	if _, ok := c.StartOfDay(at("2026-04-03 10:00")); ok {
		t.Error("Good Friday has an opening")
	}
	if h, ok := c.Holiday(at("2026-03-19 10:00")); !ok || h.Kind != HolidayNational {
		t.Errorf("Holiday(Nyepi) = %+v %v", h, ok)
	}
	if !c.HasYear(2026) || c.HasYear(2027) {
		t.Error("HasYear: want 2026 only")
	}
	// The table to add: none before October, next year's from October
	// (the decree is out by then), this year's once the year has come
	// — 30 September 23:59 and 1 October 00:00 in the office's zone.
	for when, want := range map[string]int{"2026-03-02 10:00": 0, "2026-09-30 23:59": 0, "2026-10-01 00:00": 2027, "2026-12-31 23:59": 2027, "2027-01-01 00:00": 2027, "2025-12-31 10:00": 2025} {
		if y, ok := c.MissingHolidayYear(at(when)); y != want || ok != (want != 0) {
			t.Errorf("MissingHolidayYear(%s) = %d %v, want %d", when, y, ok, want)
		}
	}
	if y, ok := c.MissingHolidayYear(time.Date(2026, 9, 30, 17, 30, 0, 0, time.UTC)); !ok || y != 2027 {
		t.Errorf("MissingHolidayYear(17:30 UTC 30 September) = %d %v, want 2027: it is 1 October 00:30 in the office", y, ok)
	}
	// Times in another zone are read in the office's zone: 01:00 UTC is 08:00 WIB.
	if !c.IsOpen(time.Date(2026, 4, 13, 1, 0, 0, 0, time.UTC)) {
		t.Error("IsOpen(01:00 UTC Monday) = false, want open (08:00 WIB)")
	}
}

// TestAddWorkingInverse checks AddWorking against WorkingBetween over
// many random starts and durations in 2026.
func TestAddWorkingInverse(t *testing.T) {
	c := testCalendar(t)
	r := rand.New(rand.NewPCG(1, 2))
	base := at("2026-01-01 00:00")
	for i := 0; i < 2000; i++ {
		start := base.Add(time.Duration(r.IntN(360*24*60)) * time.Minute)
		d := time.Duration(1+r.IntN(3*8*60)) * time.Minute
		end := c.AddWorking(start, d)
		if got := c.WorkingBetween(start, end); got != d {
			t.Fatalf("start %s d %v: end %s, WorkingBetween = %v", start, d, end, got)
		}
		if end.After(start) && !c.IsOpen(end.Add(-time.Minute)) {
			t.Fatalf("start %s d %v: end %s follows closed time", start, d, end)
		}
	}
}

func TestNewCalendarNoHours(t *testing.T) {
	if _, err := NewCalendar(wib, WeekHours{}, nil, nil); err == nil {
		t.Fatal("want error for a week without hours")
	}
}

// TestCalendarMemoAgreesAndIsSafeForConcurrentUse: the per-date memo
// answers as the calendar does without it (the holiday table asked every
// time), the workday walks over it as rickar/cal's own, and goroutines
// sharing one calendar may fill it at once (run under -race).
func TestCalendarMemoAgreesAndIsSafeForConcurrentUse(t *testing.T) {
	shared := testCalendar(t)
	base := at("2026-01-01 00:00")
	const n, step = 2000, 293 // about 400 days, every hour of the day in turn
	type answer struct {
		open     bool
		next     time.Time
		deadline time.Time
	}
	ask := func(c *Calendar, i int) answer {
		tm := base.Add(time.Duration(i*step) * time.Minute)
		return answer{c.IsOpen(tm), c.NextOpen(tm), c.AddSpan(tm, MustSpan("2d"))}
	}
	got := make([]answer, n)
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += 4 {
				got[i] = ask(shared, i)
			}
		}()
	}
	wg.Wait()
	fresh := testCalendar(t)
	for i := 0; i < n; i++ {
		if want := ask(fresh, i); got[i] != want {
			t.Fatalf("instant %d: asked concurrently %+v, alone %+v", i, got[i], want)
		}
	}
	for d := DateOf(base); !d.After(DateOf(base.Add(n * step * time.Minute))); d = d.AddDays(1) {
		if memo, table := shared.intervals(d), fresh.openOn(d); !slices.Equal(memo, table) {
			t.Fatalf("%s: memoised %v, from the holiday table %v", d, memo, table)
		}
		// The walks over workdays agree with rickar/cal's, which asks
		// the holiday table for every day.
		for _, k := range []int{-1, 1, 3, 5} {
			if got, want := shared.workdaysFrom(d, k), DateOf(fresh.bc.WorkdaysFrom(fresh.noon(d), k)); got != want {
				t.Fatalf("%s: %d workdays on is %s, rickar/cal says %s", d, k, got, want)
			}
		}
		if got, want := shared.nextWorkday(d), DateOf(fresh.bc.NextWorkdayStart(time.Date(d.Year, d.Month, d.Day, 23, 59, 0, 0, wib))); got != want {
			t.Fatalf("%s: next workday %s, rickar/cal says %s", d, got, want)
		}
	}
}
