package rules

import (
	"testing"
	"time"
)

// TestCompliance checks the figures per step over a known history:
// share within the standard, nearest-rank median and p90, corrections,
// and entries of other SOPs or of the start ignored.
func TestCompliance(t *testing.T) {
	def := &SOPDef{ID: "x", Steps: []StepDef{
		{No: 1, Action: "a", Standard: MustSpan("30m")},
		{No: 2, Action: "b", Standard: MustSpan("1h"), Decisions: []DecisionDef{{Label: "Setuju", Next: "selesai"}, {Label: "Koreksi", Next: "1", Correction: true}}},
	}}
	m := time.Minute
	hist := []HistoryEntry{
		{SOP: "x", From: 0, To: 1, Met: true},
		{SOP: "x", From: 1, To: 2, Duration: 10 * m, Met: true},
		{SOP: "x", From: 2, To: 1, Duration: 90 * m, Correction: true},
		{SOP: "x", From: 1, To: 2, Duration: 40 * m},
		{SOP: "x", From: 2, To: 0, Duration: 20 * m, Met: true},
		{SOP: "y", From: 1, To: 2, Duration: 999 * m, Met: true},
	}
	for i := 0; i < 8; i++ {
		hist = append(hist, HistoryEntry{SOP: "x", From: 1, To: 2, Duration: time.Duration(i+1) * m, Met: true})
	}
	got := Compliance(def, hist)
	// Step 1 spent 10, 40, 1..8 minutes: sorted 1..8,10,40.
	want := []StepCompliance{
		{Step: 1, Action: "a", Standard: MustSpan("30m"), Done: 10, Within: 9, Share: 0.9, Median: 5 * m, P90: 10 * m},
		{Step: 2, Action: "b", Standard: MustSpan("1h"), Done: 2, Within: 1, Share: 0.5, Median: 20 * m, P90: 90 * m, Corrections: 1},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d steps", len(got))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("step %d = %+v\nwant %+v", i+1, got[i], want[i])
		}
	}
	if e := Compliance(def, nil); e[0].Done != 0 || e[0].Share != 0 || e[0].Median != 0 {
		t.Errorf("empty history: %+v", e[0])
	}
}
