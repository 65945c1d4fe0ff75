package rules

import (
	"math"
	"sort"
	"time"
)

// StepCompliance is the SOP's Mutu Baku measured for one step: how often
// the step was done within its time standard, how long it took in
// working time, and how often it returned a document for correction.
type StepCompliance struct {
	Step   int
	Action string
	// Standard is the step's time standard (the default choice for a
	// step with standard_choices).
	Standard Span
	// Done counts the times a case left the step; Within those that met
	// the standard. Share is Within/Done (0 when Done is 0).
	Done, Within int
	Share        float64
	// Median and P90 are the working time spent in the step.
	Median, P90 time.Duration
	// Corrections counts the correction loops decided at the step.
	Corrections int
}

// Compliance computes compliance per step of def from its history
// entries (entries of other SOPs are ignored), one result per step in
// step order. It is pure, so the report computes it from whatever
// history it reads.
func Compliance(def *SOPDef, history []HistoryEntry) []StepCompliance {
	out := make([]StepCompliance, len(def.Steps))
	spans := make([][]time.Duration, len(def.Steps))
	for i, s := range def.Steps {
		out[i] = StepCompliance{Step: s.No, Action: s.Action, Standard: s.StandardFor("")}
	}
	for _, h := range history {
		if h.SOP != def.ID || h.From < 1 || h.From > len(def.Steps) {
			continue
		}
		c := &out[h.From-1]
		c.Done++
		if h.Met {
			c.Within++
		}
		if h.Correction {
			c.Corrections++
		}
		spans[h.From-1] = append(spans[h.From-1], h.Duration)
	}
	for i := range out {
		if out[i].Done > 0 {
			out[i].Share = float64(out[i].Within) / float64(out[i].Done)
		}
		out[i].Median = percentile(spans[i], 0.5)
		out[i].P90 = percentile(spans[i], 0.9)
	}
	return out
}

// percentile is the nearest-rank percentile of ds (0 when empty).
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	rank := int(math.Ceil(p * float64(len(s))))
	if rank < 1 {
		rank = 1
	}
	if rank > len(s) {
		rank = len(s)
	}
	return s[rank-1]
}
