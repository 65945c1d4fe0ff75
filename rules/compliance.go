package rules

import "time"

// StepCompliance is the SOP's Mutu Baku measured for one step: how often
// the step was done within its time standard, how long it took in
// working time, and how often it returned a document for correction.
type StepCompliance struct {
	Step   int
	Action string
	// Actor is the step's SOP role.
	Actor string
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
	spans := make([][]StepDuration, len(def.Steps))
	for i, s := range def.Steps {
		out[i] = StepCompliance{Step: s.No, Action: s.Action, Actor: s.Actor, Standard: s.StandardFor("")}
	}
	for _, h := range history {
		if h.SOP != def.ID || h.From < 1 || h.From > len(def.Steps) {
			continue
		}
		if h.Correction {
			out[h.From-1].Corrections++
		}
		spans[h.From-1] = append(spans[h.From-1], StepDuration{Working: h.Duration, Within: h.Met})
	}
	for i := range out {
		out[i] = summarize(out[i], spans[i])
	}
	return out
}
