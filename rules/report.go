package rules

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// ReportPeriod is the span a report covers: a month or a year in the
// office's zone, half-open [From, To).
type ReportPeriod struct {
	From, To time.Time
	// Label names the period for people ("November 2026", "Tahun 2026").
	Label string
	// Key is the period for machines ("2026-11", "2026").
	Key string
}

var monthNames = [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"}

// MonthName is the Indonesian name of m.
func MonthName(m time.Month) string { return monthNames[m-1] }

// MonthPeriod is one calendar month in loc.
func MonthPeriod(year int, m time.Month, loc *time.Location) ReportPeriod {
	from := time.Date(year, m, 1, 0, 0, 0, 0, loc)
	return ReportPeriod{From: from, To: from.AddDate(0, 1, 0), Label: fmt.Sprintf("%s %d", MonthName(m), year), Key: from.Format("2006-01")}
}

// YearPeriod is one calendar year in loc.
func YearPeriod(year int, loc *time.Location) ReportPeriod {
	from := time.Date(year, time.January, 1, 0, 0, 0, 0, loc)
	return ReportPeriod{From: from, To: from.AddDate(1, 0, 0), Label: fmt.Sprintf("Tahun %d", year), Key: fmt.Sprintf("%04d", year)}
}

// ParseReportPeriod reads "2026-11" (a month) or "2026" (a year).
func ParseReportPeriod(s string, loc *time.Location) (ReportPeriod, error) {
	s = strings.TrimSpace(s)
	if t, err := time.ParseInLocation("2006-01", s, loc); err == nil {
		return MonthPeriod(t.Year(), t.Month(), loc), nil
	}
	if t, err := time.ParseInLocation("2006", s, loc); err == nil {
		return YearPeriod(t.Year(), loc), nil
	}
	return ReportPeriod{}, fmt.Errorf(msgReportPeriodBad, s)
}

// Months lists the months of the period as "2026-11" keys.
func (p ReportPeriod) Months() []string {
	var ms []string
	for t := p.From; t.Before(p.To); t = t.AddDate(0, 1, 0) {
		ms = append(ms, t.Format("2006-01"))
	}
	return ms
}

// Contains reports whether t falls in the period.
func (p ReportPeriod) Contains(t time.Time) bool { return !t.Before(p.From) && t.Before(p.To) }

// ReportText is the report's narrative configuration (the SOP's
// "Laporan": basis, purpose and benefit, place).
type ReportText struct {
	Basis   string `yaml:"dasar"`
	Purpose string `yaml:"maksud_tujuan"`
	Benefit string `yaml:"manfaat"`
	Place   string `yaml:"tempat"`
}

// ReportInput is what a report is built from.
type ReportInput struct {
	Period   ReportPeriod
	Calendar *Calendar
	// SOP is the KOPI SOP whose step standards the compliance table
	// measures against (sop/kopi.yaml with the office's overrides).
	SOP *SOPDef
	// SOPs are the other active SOPs (config sops), each measured from
	// its history, after KOPI.
	SOPs []*SOPDef
	// History is the Riwayat tab as read (every SOP, every period):
	// entries are taken by their time.
	History []HistoryEntry
	// Topics are the configured topics, in order (cases with another
	// topic are counted under their own name after them).
	Topics []string
	Cases  []Case
	// Surveys are the survey responses of the period joined to cases.
	Surveys []ScoredSurvey
	// Suggestions are the respondents' free-text suggestions.
	Suggestions []string
	// Flags are the period's flagged items (survey joins, case notes),
	// already worded for people.
	Flags []string
	Text  ReportText
}

// Count is a label and a number.
type Count struct {
	Label string
	N     int
}

// Report is the content of the Laporan tab; google lays it out.
type Report struct {
	Period ReportPeriod
	Text   ReportText
	// Total is the number of cases received in the period.
	Total int
	// Months and Topics index ByMonthTopic[month][topic].
	Months       []string
	Topics       []string
	ByMonthTopic [][]int
	ByConsultant []Count
	ByUnit       []Count
	ByStatus     []Count
	// Compliance is one step compliance table per active SOP, KOPI
	// first.
	Compliance []SOPCompliance
	// IKM is the period's index; ByTopic and ByConsultant group it.
	IKM               IKMGroup
	IKMByTopic        []IKMGroup
	IKMByConsultant   []IKMGroup
	Suggestions       []string
	Flags             []string
	MissingHolidayYrs []int
}

// SOPCompliance is one SOP's step compliance table in a report.
type SOPCompliance struct {
	// SOP is the SOP's id, Name its title.
	SOP, Name string
	// FromHistory says the table measures the period's Riwayat rows;
	// otherwise (KOPI in a period without KOPI history, i.e. cases from
	// before KOPI wrote history) it measures the cases' timestamps.
	FromHistory bool
	// Entries counts the SOP's history rows in the period.
	Entries int
	Steps   []StepCompliance
}

// Source says, in Indonesian, what the table was measured from.
func (c SOPCompliance) Source() string {
	if c.FromHistory {
		return fmt.Sprintf(msgReportSourceHistory, c.Entries)
	}
	return msgReportSourceCases
}

// BuildReport counts the period's cases, measures step compliance and
// computes the satisfaction index. Cases are taken by their received
// time, history entries by theirs. Each SOP's compliance comes from its
// history in the period (rules.Compliance); KOPI's alone falls back to
// the cases' timestamps (CaseStepDurations) when the period holds no
// KOPI history, so months from before KOPI wrote history still show a
// table, and the table says which source it used. Every count is sorted so that the same input gives the same
// report.
func BuildReport(in ReportInput) Report {
	r := Report{Period: in.Period, Text: in.Text, Months: in.Period.Months(), Suggestions: in.Suggestions, Flags: in.Flags}
	topicIdx := map[string]int{}
	for _, t := range in.Topics {
		topicIdx[t] = len(r.Topics)
		r.Topics = append(r.Topics, t)
	}
	monthIdx := map[string]int{}
	for i, m := range r.Months {
		monthIdx[m] = i
	}
	var cases []Case
	for _, c := range in.Cases {
		if in.Period.Contains(c.SubmittedAt) {
			cases = append(cases, c)
		}
	}
	sort.SliceStable(cases, func(i, j int) bool { return cases[i].Ticket.String() < cases[j].Ticket.String() })
	for _, c := range cases {
		if _, ok := topicIdx[c.Topic]; !ok {
			topicIdx[c.Topic] = len(r.Topics)
			r.Topics = append(r.Topics, c.Topic)
		}
	}
	r.ByMonthTopic = make([][]int, len(r.Months))
	for i := range r.ByMonthTopic {
		r.ByMonthTopic[i] = make([]int, len(r.Topics))
	}
	cons, units, status := map[string]int{}, map[string]int{}, map[string]int{}
	served := map[string]int{"": 0}
	servedTopic, servedCons := map[string]int{}, map[string]int{}
	byStep := map[int][]StepDuration{}
	loc := in.Calendar.Location()
	years := map[int]bool{}
	for _, c := range cases {
		r.Total++
		r.ByMonthTopic[monthIdx[c.SubmittedAt.In(loc).Format("2006-01")]][topicIdx[c.Topic]]++
		cons[orDash(c.Consultant)]++
		units[orDash(c.Unit)]++
		status[string(c.Status)]++
		if !c.SentAt.IsZero() {
			served[""]++
			servedTopic[c.Topic]++
			servedCons[orDash(c.Consultant)]++
		}
		for no, d := range CaseStepDurations(in.Calendar, c, in.SOP) {
			byStep[no] = append(byStep[no], d)
		}
		for _, t := range []time.Time{c.SubmittedAt, c.AssignedAt, c.AnsweredAt, c.SentAt} {
			if !t.IsZero() {
				years[t.In(loc).Year()] = true
			}
		}
	}
	r.ByConsultant, r.ByUnit, r.ByStatus = counts(cons), counts(units), counts(status)
	var hist []HistoryEntry
	entries := map[string]int{}
	for _, h := range in.History {
		if in.Period.Contains(h.At) {
			hist = append(hist, h)
			entries[h.SOP]++
		}
	}
	kopi := SOPCompliance{SOP: in.SOP.ID, Name: in.SOP.Name, FromHistory: entries[in.SOP.ID] > 0, Entries: entries[in.SOP.ID]}
	if kopi.FromHistory {
		kopi.Steps = Compliance(in.SOP, hist)
	} else {
		for _, no := range []int{StepCheck, StepAnswer, StepSend} {
			if s, ok := in.SOP.Step(no); ok {
				kopi.Steps = append(kopi.Steps, summarize(StepCompliance{Step: s.No, Action: s.Action, Actor: s.Actor, Standard: s.Standard}, byStep[no]))
			}
		}
	}
	r.Compliance = append(r.Compliance, kopi)
	for _, d := range in.SOPs {
		r.Compliance = append(r.Compliance, SOPCompliance{SOP: d.ID, Name: d.Name, FromHistory: true, Entries: entries[d.ID], Steps: Compliance(d, hist)})
	}
	var surveys []ScoredSurvey
	for _, s := range in.Surveys {
		if in.Period.Contains(s.At) {
			surveys = append(surveys, s)
		}
	}
	r.IKM = GroupIKM(surveys, func(ScoredSurvey) string { return "" }, served)[0]
	r.IKM.Key = in.Period.Key
	r.IKMByTopic = GroupIKM(surveys, func(s ScoredSurvey) string { return orDash(s.Topic) }, servedTopic)
	r.IKMByConsultant = GroupIKM(surveys, func(s ScoredSurvey) string { return orDash(s.Consultant) }, servedCons)
	for y := range years {
		if !in.Calendar.HasYear(y) {
			r.MissingHolidayYrs = append(r.MissingHolidayYrs, y)
		}
	}
	sort.Ints(r.MissingHolidayYrs)
	return r
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return s
}

// counts sorts a tally by count, then label.
func counts(m map[string]int) []Count {
	out := make([]Count, 0, len(m))
	for k, n := range m {
		out = append(out, Count{k, n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].N != out[j].N {
			return out[i].N > out[j].N
		}
		return out[i].Label < out[j].Label
	})
	return out
}

// Obstacles words the period's obstacles for the narrative: steps
// below their standard, a sample below the minimum, missing holiday
// tables and the flagged items.
func (r Report) Obstacles() []string {
	var out []string
	for i, t := range r.Compliance {
		for _, c := range t.Steps {
			if c.Done > 0 && c.Within < c.Done {
				line := fmt.Sprintf(msgReportStepLate, c.Step, c.Action, c.Done-c.Within, c.Done, c.Standard.Indonesian())
				if i > 0 {
					line = t.Name + ", " + line
				}
				out = append(out, line)
			}
		}
	}
	if r.IKM.Short {
		out = append(out, fmt.Sprintf(msgReportSampleShort, r.IKM.IKM.Respondents, r.IKM.MinSample, r.IKM.Population))
	}
	for _, y := range r.MissingHolidayYrs {
		out = append(out, fmt.Sprintf(msgReportNoHolidays, y, y))
	}
	return append(out, r.Flags...)
}

// monthReportWindow is how long into a month the previous month's
// report email may still be queued: a daemon installed mid-month does
// not send last month's.
const monthReportWindow = 10

// MonthReportDue says whether the month-end report email (SOP step 5)
// is due now and for which month: from the first office hours of a
// month, for the month before, within the month's first days, and only
// when the service was running then (firstCase, the earliest case
// received, is before the month's end) — a fresh install reports no
// month it did not serve.
func MonthReportDue(cal *Calendar, now, firstCase time.Time) (ReportPeriod, bool) {
	t := now.In(cal.Location())
	if !cal.IsOpen(t) || t.Day() > monthReportWindow {
		return ReportPeriod{}, false
	}
	first := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, cal.Location())
	prev := first.AddDate(0, -1, 0)
	p := MonthPeriod(prev.Year(), prev.Month(), cal.Location())
	if firstCase.IsZero() || !firstCase.Before(p.To) {
		return ReportPeriod{}, false
	}
	return p, true
}

// surveyFollowUpWindow bounds how old an answer may be for its survey
// reminder: turning the option on never mails the whole archive.
const surveyFollowUpWindow = 30 * 24 * time.Hour

// SurveyFollowUpDue says whether the one survey reminder of a case is
// due: the answer went out, the configured working time has passed
// since, no survey names the case, and the answer is recent.
func SurveyFollowUpDue(cal *Calendar, sentAt, now time.Time, after Span, surveyed bool) bool {
	if sentAt.IsZero() || after.IsZero() || surveyed || now.Sub(sentAt) > surveyFollowUpWindow {
		return false
	}
	return !now.Before(cal.AddSpan(sentAt, after))
}
