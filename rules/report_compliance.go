package rules

import (
	"slices"
	"time"
)

// StepDuration is how long one case spent in one SOP step: the working
// time between the step's start and end, and whether the end was within
// the step's time standard. Any source of step history (the tracker's
// timestamps today, the SOP engine's audit trail later) feeds
// StepCompliance with these.
type StepDuration struct {
	Working time.Duration
	Within  bool
}

// MeasureStep measures one step from start to end in the calendar's
// working time; within means end is no later than the standard added
// to start in working time (so "1 hari kerja" follows the day's real
// hours, Ramadan and holidays included).
func MeasureStep(cal *Calendar, start, end time.Time, std Span) StepDuration {
	return StepDuration{
		Working: max(0, cal.WorkingBetween(start, end)),
		Within:  !end.After(cal.AddSpan(start, std)),
	}
}

// summarize fills c's counts and working-time percentiles from the
// durations of one step (nearest-rank, so every figure is a duration
// some case really took). Compliance over the SOP engine's history and
// the KOPI report over the tracker's timestamps both end here.
func summarize(c StepCompliance, ds []StepDuration) StepCompliance {
	c.Done, c.Within = len(ds), 0
	if len(ds) == 0 {
		return c
	}
	ws := make([]time.Duration, len(ds))
	for i, d := range ds {
		ws[i] = d.Working
		if d.Within {
			c.Within++
		}
	}
	slices.Sort(ws)
	c.Share = float64(c.Within) / float64(c.Done)
	c.Median = nearestRank(ws, 50)
	c.P90 = nearestRank(ws, 90)
	return c
}

// nearestRank is the p-th percentile of sorted values by nearest rank.
func nearestRank(sorted []time.Duration, p int) time.Duration {
	r := (p*len(sorted) + 99) / 100 // ceil(p/100 × n)
	return sorted[max(r, 1)-1]
}

// CaseStepDurations measures SOP steps 2, 3 and 4 from a case's
// timestamps: received → assigned (step 2), assigned → answered
// (step 3), answered → sent (step 4; the tracker keeps no approval time,
// so the admin's approval wait counts in step 4). A step whose end is
// not recorded yet is left out.
func CaseStepDurations(cal *Calendar, c Case, def *SOPDef) map[int]StepDuration {
	out := map[int]StepDuration{}
	add := func(no int, a, b time.Time) {
		if s, ok := def.Step(no); ok && !a.IsZero() && !b.IsZero() {
			out[no] = MeasureStep(cal, a, b, s.Standard)
		}
	}
	add(StepCheck, c.SubmittedAt, c.AssignedAt)
	add(StepAnswer, c.AssignedAt, c.AnsweredAt)
	add(StepSend, c.AnsweredAt, c.SentAt)
	return out
}
