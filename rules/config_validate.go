package rules

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// validator collects problems while walking the configuration.
type validator struct{ problems []Problem }

func (v *validator) add(key string, line int, format string, args ...any) {
	v.problems = append(v.problems, Problem{Key: key, Line: line, Message: fmt.Sprintf(format, args...)})
}

func (v *validator) clock(key string, c Clock, required bool) bool {
	switch {
	case c.bad != "":
		v.add(key, c.line, msgBadClock, c.bad)
		return false
	case !c.set && required:
		v.add(key, 0, msgRequired, "tulis jam dengan format JJ:MM, mis. 07:30")
		return false
	}
	return c.set
}

func (v *validator) date(key string, d Date) bool {
	switch {
	case d.bad != "":
		v.add(key, d.line, msgBadDate, d.bad)
		return false
	case d.IsZero():
		v.add(key, 0, msgRequired, "tulis tanggal dengan format TTTT-BB-HH, mis. 2026-02-19")
		return false
	}
	return true
}

func (v *validator) span(key string, s Span, positive bool) bool {
	switch {
	case s.bad != "":
		v.add(key, s.line, msgBadSpan, s.bad)
		return false
	case positive && s.IsZero():
		v.add(key, 0, msgStepStandardHow)
		return false
	}
	return true
}

func (v *validator) email(key, addr string, required bool, how string) {
	switch {
	case strings.TrimSpace(addr) == "":
		if required {
			v.add(key, 0, msgRequired, how)
		}
	case !isEmail(addr):
		v.add(key, 0, msgEmailBad, addr)
	}
}

var reGoogleID = regexp.MustCompile(`/(?:forms|spreadsheets)/d/(?:e/)?([A-Za-z0-9_-]+)`)

func (v *validator) googleID(key, id, how, kind string) {
	id = strings.TrimSpace(id)
	switch {
	case id == "":
		v.add(key, 0, msgRequired, how)
	case strings.Contains(id, "://") || strings.Contains(id, "docs.google.com"):
		if m := reGoogleID.FindStringSubmatch(id); m != nil {
			v.add(key, 0, msgIDIsURL, m[1])
		} else {
			v.add(key, 0, msgIDBad, id, kind)
		}
	case strings.ContainsAny(id, " /\t"):
		v.add(key, 0, msgIDBad, id, kind)
	}
}

func (v *validator) day(key string, h *DayHours) {
	okOpen := v.clock(key+".open", h.Open, true)
	okClose := v.clock(key+".close", h.Close, true)
	if okOpen && okClose && h.Open.Minutes >= h.Close.Minutes {
		v.add(key, 0, msgOpenClose, h.Open, h.Close)
		return
	}
	bs := v.clock(key+".break_start", h.BreakStart, false)
	be := v.clock(key+".break_end", h.BreakEnd, false)
	if h.BreakStart.bad != "" || h.BreakEnd.bad != "" {
		return
	}
	if bs != be {
		v.add(key, 0, msgBreakPair)
		return
	}
	if bs && okOpen && okClose && (h.BreakStart.Minutes >= h.BreakEnd.Minutes ||
		h.BreakStart.Minutes <= h.Open.Minutes || h.BreakEnd.Minutes >= h.Close.Minutes) {
		v.add(key, 0, msgBreakRange, h.BreakStart, h.BreakEnd, h.Open, h.Close)
	}
}

var weekdayKeys = [...]string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}

func (v *validator) week(key string, w WeekHours, emptyMsg string) {
	open := false
	for wd := time.Sunday; wd <= time.Saturday; wd++ {
		if h := w.Day(wd); h != nil {
			open = true
			v.day(key+"."+weekdayKeys[wd], h)
		}
	}
	if !open {
		v.add(key, 0, "%s", emptyMsg)
	}
}

// Validate checks the whole configuration and reports every problem at
// once as a *ConfigError (nil when the configuration is usable). It also
// loads the time zone with time.LoadLocation, so the binary must carry
// the zone database (time/tzdata) on systems without one.
func (c *Config) Validate() error {
	v := &validator{}

	tz := c.TimeZone
	if strings.TrimSpace(tz) == "" {
		v.add("timezone", 0, msgRequired, "mis. Asia/Jakarta")
	} else if loc, err := time.LoadLocation(tz); err != nil {
		v.add("timezone", 0, msgTimeZone, tz, err)
	} else {
		c.loc = loc
	}

	v.week("office_hours", c.OfficeHours, msgNoOfficeDay)
	for i, p := range c.Ramadan {
		key := fmt.Sprintf("ramadan[%d]", i)
		okFrom := v.date(key+".from", p.From)
		okTo := v.date(key+".to", p.To)
		if okFrom && okTo && p.From.After(p.To) {
			v.add(key, 0, msgPeriodOrder, p.From, p.To)
		}
		v.week(key+".hours", p.Hours, msgPeriodNoHours)
	}

	for i, f := range c.Holidays.Files {
		if !strings.HasSuffix(strings.ToLower(strings.TrimSpace(f)), ".csv") {
			v.add(fmt.Sprintf("holidays.files[%d]", i), 0, msgHolidayFile)
		}
	}
	for i, h := range c.Holidays.Extra {
		key := fmt.Sprintf("holidays.extra[%d]", i)
		v.date(key+".date", h.Date)
		if strings.TrimSpace(h.Name) == "" {
			v.add(key+".name", 0, msgHolidayName)
		}
		switch h.Kind {
		case "", HolidayNational, HolidayJointLeave, HolidayLocal:
		default:
			v.add(key+".kind", 0, msgHolidayKindBad, h.Kind)
		}
	}

	v.googleID("intake.form_id", c.Intake.FormID, msgFormIDHow, "formulir")
	q := c.Intake.Questions
	seen := map[string]Field{}
	for _, f := range AllFields {
		t := q.Title(f)
		key := "intake.questions." + string(f)
		if strings.TrimSpace(t) == "" {
			if f == FieldNama || f == FieldEmail || f == FieldTopik || f == FieldPertanyaan {
				v.add(key, 0, msgRequired, msgQuestionHow)
			}
			continue
		}
		if other, dup := seen[normKey(t)]; dup {
			v.add(key, 0, msgQuestionDup, t, other)
			continue
		}
		seen[normKey(t)] = f
	}

	if len(c.Topics) == 0 {
		v.add("topics", 0, msgNoTopics)
	}
	names, codes := map[string]bool{}, map[string]bool{}
	var known []string
	for _, f := range AllFields {
		known = append(known, string(f))
	}
	for i, t := range c.Topics {
		key := fmt.Sprintf("topics[%d]", i)
		switch n := normKey(t.Name); {
		case n == "":
			v.add(key+".name", 0, msgRequired, "tulis nama topik persis seperti pilihan di formulir")
		case names[n]:
			v.add(key+".name", 0, msgTopicDup, t.Name)
		default:
			names[n] = true
		}
		if t.Code != "" {
			if strings.ContainsAny(t.Code, " ,;\t") {
				v.add(key+".code", 0, msgCodeBad, t.Code)
			} else if codes[normKey(t.Code)] || (names[normKey(t.Code)] && normKey(t.Code) != normKey(t.Name)) {
				v.add(key+".code", 0, msgCodeDup, t.Code)
			}
			codes[normKey(t.Code)] = true
		}
		v.email(key+".supervisor", t.Supervisor, false, "")
		for j, f := range t.Rules.Required {
			fk := fmt.Sprintf("%s.required[%d]", key, j)
			if !f.Valid() {
				v.add(fk, 0, msgFieldUnknown, f, strings.Join(known, ", "))
			} else if q.Title(f) == "" {
				v.add(fk, 0, msgFieldNoQuestion, f, f)
			}
		}
		if t.Rules.AttachmentRequired && q.Lampiran == "" {
			v.add(key+".attachment_required", 0, msgAttachNoQ)
		}
	}

	if len(c.SOP.Steps) == 0 && c.SOP.Name != "" {
		v.add("sop.steps", 0, msgNoSteps)
	}
	hasAnswer := false
	for i, s := range c.SOP.Steps {
		key := fmt.Sprintf("sop.steps[%d]", i)
		if s.No != i+1 {
			v.add(key+".no", 0, msgStepNo, i+1)
		}
		if s.No == StepAnswer {
			hasAnswer = true
		}
		if strings.TrimSpace(s.Name) == "" {
			v.add(key+".name", 0, msgRequired, msgStepNameHow)
		}
		v.span(key+".standard", s.Standard, true)
	}
	if len(c.SOP.Steps) > 0 && !hasAnswer {
		v.add("sop.steps", 0, msgStepAnswerMiss, StepAnswer)
	}

	v.googleID("tracker.spreadsheet_id", c.Tracker.SpreadsheetID, msgSheetIDHow, "spreadsheet")

	v.email("mail.sender.address", c.Mail.Sender.Address, true, msgEmailHow)
	if len(c.Mail.Admins) == 0 {
		v.add("mail.admins", 0, msgRequired, msgAdminsHow)
	}
	for i, a := range c.Mail.Admins {
		v.email(fmt.Sprintf("mail.admins[%d]", i), a, true, msgEmailHow)
	}
	if c.Mail.DailyLimit < 1 || c.Mail.DailyLimit > 10000 {
		v.add("mail.daily_limit", 0, msgDailyLimit, c.Mail.DailyLimit)
	}

	if s := c.Reminders.PreBreachShare; s <= 0 || s >= 1 {
		v.add("reminders.pre_breach_share", 0, msgShare, s)
	}
	if v.span("reminders.escalate_after", c.Reminders.EscalateAfter, false) && c.Reminders.EscalateAfter.IsZero() {
		v.add("reminders.escalate_after", 0, msgNegativeSpan)
	}

	c.validateSurvey(v)

	if e := c.Google.Endpoint; e != "" {
		if u, err := url.Parse(e); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			v.add("google.endpoint", 0, msgEndpoint, e)
		}
	}
	if strings.TrimSpace(c.Google.CredentialsFile) == "" {
		v.add("google.credentials_file", 0, msgFileHow, "credentials.json")
	}
	if strings.TrimSpace(c.Google.TokenFile) == "" {
		v.add("google.token_file", 0, msgFileHow, "token.json")
	}

	if c.Schedule.CycleOffice < 10*time.Second {
		v.add("schedule.cycle_office", 0, msgCycle, c.Schedule.CycleOffice)
	}
	if c.Schedule.CycleOutside < c.Schedule.CycleOffice {
		v.add("schedule.cycle_outside", 0, msgCycleOrder, c.Schedule.CycleOutside, c.Schedule.CycleOffice)
	}
	v.clock("schedule.report_at", c.Schedule.ReportAt, true)

	if c.Retention.AnonymizeAfterDays < 0 {
		v.add("retention.anonymize_after_days", 0, msgRetention, c.Retention.AnonymizeAfterDays)
	}
	c.validateArchive(v)
	if l := c.HTTP.Listen; l != "" {
		if _, _, err := net.SplitHostPort(l); err != nil {
			v.add("http.listen", 0, msgListen, l, err)
		}
	}
	switch c.Log.Format {
	case "text", "json":
	default:
		v.add("log.format", 0, msgLogFormat, c.Log.Format)
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		v.add("log.level", 0, msgLogLevel, c.Log.Level)
	}

	if len(v.problems) > 0 {
		return &ConfigError{Problems: v.problems}
	}
	return nil
}
