package rules_test

import (
	"os"
	"slices"
	"testing"
	"time"

	"kopi/rules"
	"kopi/sop"
)

// drive applies events to one case in turn, an hour of wall time apart,
// and returns the flow, the history and the emails in order.
type drive struct {
	t     *testing.T
	def   *rules.SOPDef
	cal   *rules.Calendar
	now   time.Time
	flow  rules.Flow
	hist  []rules.HistoryEntry
	mails []rules.StepEmail
}

func (d *drive) do(ev rules.Event) rules.Outcome {
	d.t.Helper()
	d.now = d.now.Add(time.Hour)
	if ev.Step == 0 && ev.Kind != rules.EventStart {
		ev.Step = d.flow.Step
	}
	o := rules.Advance(d.def, d.flow, ev, d.now, d.cal)
	d.flow = o.Flow
	d.hist = append(d.hist, o.History...)
	d.mails = append(d.mails, o.Emails...)
	return o
}

func (d *drive) decide(label, note string) {
	d.t.Helper()
	from := d.flow.Step
	o := d.do(rules.Event{Kind: rules.EventDecision, Decision: label, Note: note})
	if !o.Changed() {
		d.t.Fatalf("decision %q at step %d changed nothing (flags %v)", label, from, o.Flags)
	}
}

// TestEngineBimtekTenStepsWithCorrections runs a training case through
// all ten Bimtek steps with one Koreksi at each of the four review
// steps: every transition recorded once and in order, the right roles
// emailed on every entry, each email key unique, and compliance counting
// one correction loop at each review step.
func TestEngineBimtekTenStepsWithCorrections(t *testing.T) {
	cfg := rules.DefaultConfig()
	cal, loc := jakartaCalendar(t, cfg)
	def, err := sop.Load("bimtek")
	if err != nil {
		t.Fatal(err)
	}
	d := &drive{t: t, def: def, cal: cal, now: time.Date(2026, 4, 6, 7, 0, 0, 0, loc), flow: rules.Flow{Case: "BT-1", Choice: "3d"}}
	d.do(rules.Event{Kind: rules.EventStart, Actor: "staf"})
	for _, s := range []string{"Selesai", "Selesai", "Selesai"} { // 1, 2, 3
		d.decide(s, "")
	}
	d.decide("Koreksi", "lampiran KAK belum ada") // 4 → 3
	d.decide("Selesai", "")                       // 3 → 4
	d.decide("Setuju", "")                        // 4 → 5
	d.decide("koreksi ", "dasar hukum keliru")    // 5 → 3 (case and spaces ignored)
	d.decide("Selesai", "")                       // 3 → 4
	d.decide("Setuju", "")                        // 4 → 5
	d.decide("Setuju", "")                        // 5 → 6
	if d.flow.Step != 6 || d.flow.Due != cal.AddSpan(d.now, rules.MustSpan("3d")) {
		t.Fatalf("step 6 due %v, want 3 working days after %v", d.flow.Due, d.now)
	}
	d.decide("Selesai", "")                     // 6 → 7
	d.decide("Selesai", "")                     // 7 → 8
	d.decide("Koreksi", "foto kegiatan kurang") // 8 → 7
	d.decide("Selesai", "")                     // 7 → 8
	d.decide("Setuju", "")                      // 8 → 9
	d.decide("Koreksi", "tanda tangan")         // 9 → 7
	d.decide("Selesai", "")                     // 7 → 8
	d.decide("Setuju", "")                      // 8 → 9
	d.decide("Setuju", "")                      // 9 → 10
	d.decide("Selesai", "")                     // 10 → end
	if !d.flow.Done || d.flow.Corrections != 4 {
		t.Fatalf("flow = %+v, want done with 4 corrections", d.flow)
	}
	want := [][2]int{{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 3}, {3, 4}, {4, 5}, {5, 3}, {3, 4}, {4, 5}, {5, 6},
		{6, 7}, {7, 8}, {8, 7}, {7, 8}, {8, 9}, {9, 7}, {7, 8}, {8, 9}, {9, 10}, {10, 0}}
	if len(d.hist) != len(want) {
		t.Fatalf("%d history entries, want %d", len(d.hist), len(want))
	}
	for i, w := range want {
		h := d.hist[i]
		if h.From != w[0] || h.To != w[1] || h.SOP != "bimtek" || h.Case != "BT-1" {
			t.Errorf("history %d = %d→%d, want %d→%d", i, h.From, h.To, w[0], w[1])
		}
		if h.Correction != (h.Decision == "Koreksi") || (h.Correction && h.Note == "") {
			t.Errorf("history %d: decision %q correction %v note %q", i, h.Decision, h.Correction, h.Note)
		}
		if i > 0 && !h.At.After(d.hist[i-1].At) {
			t.Errorf("history %d not after %d", i, i-1)
		}
	}
	// One email per entry into a step, to that step's actor.
	if len(d.mails) != len(want)-1 {
		t.Fatalf("%d emails, want %d", len(d.mails), len(want)-1)
	}
	keys := map[string]bool{}
	for i, m := range d.mails {
		s, _ := def.Step(want[i][1])
		if m.Step != s.No || m.Role != s.Actor || keys[m.Key] {
			t.Errorf("email %d = step %d to %q (key seen %v), want step %d to %q", i, m.Step, m.Role, keys[m.Key], s.No, s.Actor)
		}
		keys[m.Key] = true
		if m.Correction != (d.hist[i].Correction) {
			t.Errorf("email %d correction %v, want %v", i, m.Correction, d.hist[i].Correction)
		}
	}
	for _, c := range rules.Compliance(def, d.hist) {
		wantC := 0
		if c.Step == 4 || c.Step == 5 || c.Step == 8 || c.Step == 9 {
			wantC = 1
		}
		if c.Corrections != wantC {
			t.Errorf("step %d corrections = %d, want %d", c.Step, c.Corrections, wantC)
		}
		if c.Done == 0 || c.Share < 0 || c.Share > 1 || c.P90 < c.Median {
			t.Errorf("step %d compliance = %+v", c.Step, c)
		}
	}
}

// TestEngineRefusals: a stale event, an unknown decision and a
// correction without a note change nothing; the last two are flagged.
func TestEngineRefusals(t *testing.T) {
	cfg := rules.DefaultConfig()
	cal, loc := jakartaCalendar(t, cfg)
	def, _ := sop.Load("bimtek")
	now := time.Date(2026, 4, 6, 8, 0, 0, 0, loc)
	f := rules.Flow{SOP: "bimtek", Case: "BT-2", Step: 4, EnteredAt: now, Due: cal.AddSpan(now, rules.MustSpan("20m"))}
	if o := rules.Advance(def, f, rules.Event{Kind: rules.EventDecision, Step: 3, Decision: "Selesai"}, now, cal); o.Changed() || len(o.Flags) > 0 {
		t.Errorf("stale event: %+v", o)
	}
	o := rules.Advance(def, f, rules.Event{Kind: rules.EventDecision, Step: 4, Decision: "Oke"}, now, cal)
	if o.Changed() || len(o.Flags) != 1 || o.Flags[0].Kind != rules.FlagDecisionUnknown {
		t.Errorf("unknown decision: %+v", o)
	}
	o = rules.Advance(def, f, rules.Event{Kind: rules.EventDecision, Step: 4, Decision: "Koreksi"}, now, cal)
	if o.Changed() || len(o.Flags) != 1 || o.Flags[0].Kind != rules.FlagNoteMissing {
		t.Errorf("correction without a note: %+v", o)
	}
	// A second start is ignored; the same event twice gives the same keys.
	if o := rules.Advance(def, f, rules.Event{Kind: rules.EventStart}, now, cal); o.Changed() {
		t.Errorf("second start moved the case: %+v", o)
	}
	a := rules.Advance(def, f, rules.Event{Kind: rules.EventDecision, Step: 4, Decision: "Setuju"}, now, cal)
	b := rules.Advance(def, f, rules.Event{Kind: rules.EventDecision, Step: 4, Decision: "Setuju"}, now, cal)
	if len(a.Emails) != 1 || a.Emails[0].Key != b.Emails[0].Key {
		t.Errorf("email keys differ on re-derivation: %+v / %+v", a.Emails, b.Emails)
	}
	// Missed standard: 20 minutes of office time are over at 08:21.
	late := rules.Advance(def, f, rules.Event{Kind: rules.EventDecision, Step: 4, Decision: "Setuju"}, now.Add(21*time.Minute), cal)
	if h := late.History[0]; h.Met || h.Duration != 21*time.Minute {
		t.Errorf("late review: met %v duration %v", h.Met, h.Duration)
	}
}

// TestEngineThirdSOPFromFile runs a complaint-handling SOP that exists
// only as a file in testdata, through both branches of its "atau" step.
func TestEngineThirdSOPFromFile(t *testing.T) {
	cfg := rules.DefaultConfig()
	cal, loc := jakartaCalendar(t, cfg)
	data, err := os.ReadFile("testdata/sopok/pengaduan.yaml")
	if err != nil {
		t.Fatal(err)
	}
	def, err := rules.ParseSOP("pengaduan.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	run := func(decisions ...string) *drive {
		d := &drive{t: t, def: def, cal: cal, now: time.Date(2026, 4, 7, 7, 0, 0, 0, loc), flow: rules.Flow{Case: "P-1"}}
		d.do(rules.Event{Kind: rules.EventStart})
		for _, dc := range decisions {
			note := ""
			if dc == "Koreksi" {
				note = "bukti kurang"
			}
			d.decide(dc, note)
		}
		return d
	}
	path := func(d *drive) []int {
		var p []int
		for _, h := range d.hist {
			p = append(p, h.To)
		}
		return p
	}
	in := run("Selesai", "Diteruskan", "Selesai", "Koreksi", "Selesai", "Setuju", "Selesai")
	if got := path(in); !slices.Equal(got, []int{1, 2, 3, 4, 3, 4, 6, 0}) || !in.flow.Done {
		t.Errorf("within remit: path %v done %v", got, in.flow.Done)
	}
	out := run("Selesai", "Di luar kewenangan", "Selesai")
	if got := path(out); !slices.Equal(got, []int{1, 2, 5, 0}) || !out.flow.Done {
		t.Errorf("outside remit: path %v done %v", got, out.flow.Done)
	}
}
