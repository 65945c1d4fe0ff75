package rules

import (
	"strings"
	"testing"
	"time"
)

func reportCase(seq int, topic, cons string, rec time.Time, status Status, sent bool) Case {
	c := Case{Ticket: Ticket{Year: rec.Year(), Seq: seq}, Submission: Submission{SubmittedAt: rec, Topic: topic, Unit: "Dinas A"},
		Status: status, Consultant: cons}
	c.AssignedAt = rec.Add(10 * time.Minute)
	if sent {
		c.AnsweredAt = rec.Add(2 * time.Hour)
		c.SentAt = rec.Add(2*time.Hour + 10*time.Minute)
	}
	return c
}

func TestBuildReportMonth(t *testing.T) {
	cal := testCalendar(t)
	loc := cal.Location()
	p, err := ParseReportPeriod("2026-11", loc)
	if err != nil || p.Label != "November 2026" || len(p.Months()) != 1 {
		t.Fatalf("period %+v %v", p, err)
	}
	nov := func(d int) time.Time { return time.Date(2026, time.November, d, 9, 0, 0, 0, loc) }
	cases := []Case{
		reportCase(2, TopicAudit, "Budi", nov(3), StatusTerkirim, true),
		reportCase(1, TopicAudit, "Budi", nov(2), StatusTerkirim, true),
		reportCase(3, TopicReviu, "Sari", nov(4), StatusDitugaskan, false),
		reportCase(4, "Lain-lain", "", nov(5), StatusKurangLengkap, false),
		reportCase(9, TopicAudit, "Budi", time.Date(2026, time.October, 30, 9, 0, 0, 0, loc), StatusTerkirim, true),
	}
	surveys := []ScoredSurvey{{Ticket: "KOPI-2026-0001", At: nov(6), Topic: TopicAudit, Consultant: "Budi", Scores: SKMScores{4, 4, 4, 4, 4, 4, 4, 4, 4}}}
	r := BuildReport(ReportInput{Period: p, Calendar: cal, SOP: testKOPISOP(t), Topics: []string{TopicUmum, TopicAudit, TopicReviu, TopicTindakLanjut},
		Cases: cases, Surveys: surveys, Flags: []string{"flag"}})
	if r.Total != 4 {
		t.Fatalf("total %d, want 4 (October's case left out)", r.Total)
	}
	if len(r.Topics) != 5 || r.Topics[4] != "Lain-lain" || r.ByMonthTopic[0][1] != 2 || r.ByMonthTopic[0][2] != 1 || r.ByMonthTopic[0][4] != 1 {
		t.Errorf("by month and topic: %v %v", r.Topics, r.ByMonthTopic)
	}
	if r.ByConsultant[0] != (Count{"Budi", 2}) || len(r.ByConsultant) != 3 {
		t.Errorf("by consultant %v", r.ByConsultant)
	}
	if r.ByStatus[0] != (Count{"Terkirim", 2}) {
		t.Errorf("by status %v", r.ByStatus)
	}
	if len(r.Compliance) != 1 || r.Compliance[0].FromHistory {
		t.Fatalf("compliance without history: one KOPI table from the cases' timestamps, got %+v", r.Compliance)
	}
	if k := r.Compliance[0].Steps; len(k) != 3 || k[0].Done != 4 || k[1].Done != 2 || k[2].Within != 2 {
		t.Errorf("compliance %+v", k)
	}
	if src := r.Compliance[0].Source(); !strings.Contains(src, "stempel waktu kasus") {
		t.Errorf("source %q must say the table is measured from the cases' timestamps", src)
	}
	if r.IKM.IKM.Cents != 10000 || r.IKM.Population != 2 || r.IKM.MinSample != 2 || !r.IKM.Short {
		t.Errorf("IKM %+v", r.IKM)
	}
	if len(r.IKMByTopic) != 1 || r.IKMByTopic[0].Key != TopicAudit {
		t.Errorf("IKM by topic %+v", r.IKMByTopic)
	}
	obs := strings.Join(r.Obstacles(), "\n")
	if !strings.Contains(obs, "sampel minimum 2") || !strings.Contains(obs, "flag") {
		t.Errorf("obstacles %q", obs)
	}
}

func TestBuildReportEmptyMonth(t *testing.T) {
	cal := testCalendar(t)
	r := BuildReport(ReportInput{Period: MonthPeriod(2026, time.December, cal.Location()), Calendar: cal, SOP: testKOPISOP(t), Topics: []string{TopicAudit}})
	if r.Total != 0 || len(r.ByMonthTopic) != 1 || r.ByMonthTopic[0][0] != 0 || len(r.Compliance) != 1 || len(r.Compliance[0].Steps) != 3 || r.Compliance[0].Steps[0].Done != 0 {
		t.Fatalf("empty month: %+v", r)
	}
	if r.IKM.IKM.Valid || r.IKM.Short || len(r.Obstacles()) != 0 {
		t.Fatalf("empty month IKM %+v obstacles %v", r.IKM, r.Obstacles())
	}
}

func TestBuildReportYearAcrossHolidayTable(t *testing.T) {
	cal := testCalendar(t)
	loc := cal.Location()
	if !cal.HasYear(2026) || cal.HasYear(2027) {
		t.Fatal("the built-in holiday table must cover 2026 and not 2027 for this test")
	}
	// Assigned Wednesday 30 December 2026, answered Monday 4 January 2027:
	// step 3 crosses the end of the 2026 holiday table.
	c := Case{Ticket: Ticket{2026, 7}, Submission: Submission{SubmittedAt: time.Date(2026, 12, 30, 15, 0, 0, 0, loc), Topic: TopicAudit},
		AssignedAt: time.Date(2026, 12, 30, 15, 10, 0, 0, loc), AnsweredAt: time.Date(2027, 1, 4, 10, 0, 0, 0, loc), Status: StatusDijawab}
	p, _ := ParseReportPeriod("2026", loc)
	r := BuildReport(ReportInput{Period: p, Calendar: cal, SOP: testKOPISOP(t), Topics: []string{TopicAudit}, Cases: []Case{c}})
	if len(r.Months) != 12 || r.ByMonthTopic[11][0] != 1 || r.Total != 1 {
		t.Fatalf("year: months %d, december %v", len(r.Months), r.ByMonthTopic[11])
	}
	if len(r.MissingHolidayYrs) != 1 || r.MissingHolidayYrs[0] != 2027 {
		t.Fatalf("missing holiday years %v, want [2027]", r.MissingHolidayYrs)
	}
	if step3 := r.Compliance[0].Steps[1]; step3.Done != 1 || step3.Median <= 0 {
		t.Fatalf("step 3 across the year end: %+v", step3)
	}
	if !strings.Contains(strings.Join(r.Obstacles(), "\n"), "libur-2027.csv") {
		t.Errorf("obstacles must name the missing table: %v", r.Obstacles())
	}
}

func TestMonthReportDue(t *testing.T) {
	cal := testCalendar(t)
	loc := cal.Location()
	since := time.Date(2025, 6, 1, 9, 0, 0, 0, loc) // the first case
	// Tuesday 1 December 2026 09:00: November is due.
	p, ok := MonthReportDue(cal, time.Date(2026, 12, 1, 9, 0, 0, 0, loc), since)
	if !ok || p.Key != "2026-11" {
		t.Fatalf("1 Dec 09:00: %v %v", p.Key, ok)
	}
	// Before opening, on the 11th, and on a Sunday: not due.
	for _, at := range []time.Time{time.Date(2026, 12, 1, 6, 0, 0, 0, loc), time.Date(2026, 12, 11, 9, 0, 0, 0, loc), time.Date(2026, 11, 1, 9, 0, 0, 0, loc)} {
		if _, ok := MonthReportDue(cal, at, since); ok {
			t.Errorf("%v: due", at)
		}
	}
	// January: December of the year before.
	if p, ok := MonthReportDue(cal, time.Date(2026, 1, 5, 9, 0, 0, 0, loc), since); !ok || p.Key != "2025-12" {
		t.Errorf("5 Jan 2026: %v %v", p.Key, ok)
	}
	// A service whose first case came in December does not report November.
	if _, ok := MonthReportDue(cal, time.Date(2026, 12, 1, 9, 0, 0, 0, loc), time.Date(2026, 12, 1, 8, 0, 0, 0, loc)); ok {
		t.Error("reported a month before the first case")
	}
	if _, ok := MonthReportDue(cal, time.Date(2026, 12, 1, 9, 0, 0, 0, loc), time.Time{}); ok {
		t.Error("reported with no case at all")
	}
}

func TestSurveyFollowUpDue(t *testing.T) {
	cal := testCalendar(t)
	loc := cal.Location()
	sent := time.Date(2026, 11, 2, 10, 0, 0, 0, loc) // Monday
	day := MustSpan("1d")
	if SurveyFollowUpDue(cal, sent, sent.Add(2*time.Hour), day, false) {
		t.Error("due before a working day passed")
	}
	if !SurveyFollowUpDue(cal, sent, time.Date(2026, 11, 3, 10, 0, 0, 0, loc), day, false) {
		t.Error("not due a working day later")
	}
	if SurveyFollowUpDue(cal, sent, time.Date(2026, 11, 3, 10, 0, 0, 0, loc), day, true) {
		t.Error("due although a survey came")
	}
	if SurveyFollowUpDue(cal, sent, sent.AddDate(0, 2, 0), day, false) || SurveyFollowUpDue(cal, time.Time{}, sent, day, false) || SurveyFollowUpDue(cal, sent, sent.AddDate(0, 0, 3), Span{}, false) {
		t.Error("old answers, unsent cases and a zero span are never due")
	}
}
