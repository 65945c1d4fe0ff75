package rules

import (
	"os"
	"testing"
	"time"
)

func TestStepCompliance(t *testing.T) {
	h := time.Hour
	ds := []StepDuration{{5 * h, false}, {1 * h, true}, {2 * h, true}, {3 * h, true}, {4 * h, false},
		{6 * h, false}, {7 * h, false}, {8 * h, false}, {9 * h, false}, {10 * h, false}}
	c := summarize(StepCompliance{Step: 3}, ds)
	if c.Done != 10 || c.Within != 3 || c.Share != 0.3 || c.Median != 5*h || c.P90 != 9*h {
		t.Fatalf("got %+v", c)
	}
	if c := summarize(StepCompliance{Step: 2}, nil); c.Done != 0 || c.Share != 0 || c.Median != 0 {
		t.Fatalf("empty: %+v", c)
	}
	if c := summarize(StepCompliance{Step: 2}, []StepDuration{{h, true}}); c.Median != h || c.P90 != h || c.Share != 1 {
		t.Fatalf("one: %+v", c)
	}
}

func TestCaseStepDurations(t *testing.T) {
	cal := testCalendar(t)
	loc := cal.Location()
	at := func(d, hh, mm int) time.Time { return time.Date(2026, time.November, d, hh, mm, 0, 0, loc) }
	// Monday 2 November 2026: received 09:00, assigned 09:20 (step 2 within
	// 30m), answered Tuesday 10:00 (step 3: 1 working day from Monday 09:20
	// ends Tuesday 09:20 → late), sent 10:45 (step 4: 45m > 30m → late).
	c := Case{Submission: Submission{SubmittedAt: at(2, 9, 0)}, AssignedAt: at(2, 9, 20), AnsweredAt: at(3, 10, 0), SentAt: at(3, 10, 45)}
	got := CaseStepDurations(cal, c, testKOPISOP(t))
	if d := got[StepCheck]; d.Working != 20*time.Minute || !d.Within {
		t.Errorf("step 2: %+v", d)
	}
	if d := got[StepAnswer]; d.Within || d.Working != 7*time.Hour+30*time.Minute+40*time.Minute {
		t.Errorf("step 3: %+v", d)
	}
	if d := got[StepSend]; d.Within || d.Working != 45*time.Minute {
		t.Errorf("step 4: %+v", d)
	}
	c.SentAt = time.Time{}
	if _, ok := CaseStepDurations(cal, c, testKOPISOP(t))[StepSend]; ok {
		t.Error("an unsent case has no step 4")
	}
}

// testKOPISOP is the shipped KOPI SOP (sop/kopi.yaml; the sop package
// embeds it but imports rules, so rules' tests read the file).
func testKOPISOP(t *testing.T) *SOPDef {
	t.Helper()
	data, err := os.ReadFile("../sop/kopi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	def, err := ParseSOP("kopi.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	return def
}
