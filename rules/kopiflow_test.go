package rules_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"kopi/rules"
	"kopi/sop"
)

// TestKOPIAdvance: what kopi saw of a KOPI case, from where its flow
// stands, gives the transitions of sop/kopi.yaml in order, the emails
// of the steps the case entered (not of a step it was sent back from in
// the same call), and nothing once the flow shows what was seen.
func TestKOPIAdvance(t *testing.T) {
	cfg := rules.DefaultConfig()
	cal, loc := jakartaCalendar(t, cfg)
	def := sop.KOPI()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, loc)
	submitted := now.Add(-10 * time.Minute)
	sent := now.Add(-2 * time.Minute)
	missing := []rules.Missing{{Field: rules.FieldWhatsApp, Message: "nomor WhatsApp tidak sah"}}
	at := func(step int) rules.Flow {
		return rules.Flow{SOP: "kopi", Case: "KOPI-2026-0001", Step: step, EnteredAt: now.Add(-time.Hour)}
	}
	cases := []struct {
		name  string
		flow  rules.Flow
		c     rules.Case
		seen  rules.KOPISeen
		path  string // from→to of each history row
		mails string // step of each email, "!" for a correction
	}{
		{"new complete form, assigned", rules.Flow{Case: "KOPI-2026-0001"}, rules.Case{Consultant: "Kon"},
			rules.KOPISeen{Submitted: submitted}, "0→1 1→2 2→3", "2 3"},
		{"new complete form, nobody free", rules.Flow{Case: "KOPI-2026-0001"}, rules.Case{},
			rules.KOPISeen{Submitted: submitted}, "0→1 1→2", "2"},
		{"new incomplete form: no receipt", rules.Flow{Case: "KOPI-2026-0001"}, rules.Case{Missing: missing},
			rules.KOPISeen{Submitted: submitted}, "0→1 1→2 2→1", "1!"},
		{"edit still incomplete: one more notice", at(1), rules.Case{Missing: missing, Status: rules.StatusKurangLengkap},
			rules.KOPISeen{Submitted: submitted}, "1→2 2→1", "1!"},
		{"waiting for the requester", at(1), rules.Case{Missing: missing, Status: rules.StatusKurangLengkap},
			rules.KOPISeen{}, "", ""},
		{"unassigned case assigned later", at(2), rules.Case{Consultant: "Kon", Status: rules.StatusBaru},
			rules.KOPISeen{}, "2→3", "3"},
		{"answer without text waits", at(3), rules.Case{Consultant: "Kon", Status: rules.StatusDijawab},
			rules.KOPISeen{ApprovalRequired: true}, "", ""},
		{"answered", at(3), rules.Case{Consultant: "Kon", Status: rules.StatusDijawab, Answer: "x"},
			rules.KOPISeen{ApprovalRequired: true}, "3→4", ""},
		{"answered and approved at once", at(3), rules.Case{Consultant: "Kon", Status: rules.StatusDisetujui, Answer: "x"},
			rules.KOPISeen{ApprovalRequired: true}, "3→4 4→6", ""},
		{"no approval required", at(4), rules.Case{Consultant: "Kon", Status: rules.StatusDijawab, Answer: "x"},
			rules.KOPISeen{}, "4→6", ""},
		{"sent back to the consultant", at(4), rules.Case{Consultant: "Kon", Status: rules.StatusDitugaskan, Answer: "x"},
			rules.KOPISeen{ApprovalRequired: true}, "4→3", "3!"},
		{"approved, not sent yet", at(6), rules.Case{Consultant: "Kon", Status: rules.StatusDisetujui, Answer: "x"},
			rules.KOPISeen{ApprovalRequired: true}, "", ""},
		{"sent", at(6), rules.Case{Consultant: "Kon", Status: rules.StatusDisetujui, Answer: "x"},
			rules.KOPISeen{ApprovalRequired: true, Sent: sent}, "6→5", ""},
		{"sent and archived", at(6), rules.Case{Consultant: "Kon", Status: rules.StatusSelesai, Answer: "x"},
			rules.KOPISeen{ApprovalRequired: true, Sent: sent}, "6→5 5→0", ""},
		{"resend asked after sending: not a step", at(5), rules.Case{Consultant: "Kon", Status: rules.StatusKirimUlang, Answer: "x"},
			rules.KOPISeen{ApprovalRequired: true, Sent: sent}, "", ""},
		{"done stays done", rules.Flow{Case: "KOPI-2026-0001", Done: true}, rules.Case{Status: rules.StatusSelesai},
			rules.KOPISeen{Sent: sent}, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.seen.Case = tc.c
			tc.seen.Case.SubmittedAt = submitted
			o := rules.KOPIAdvance(def, tc.flow, tc.seen, now, cal)
			var path, mails []string
			for _, h := range o.History {
				path = append(path, fmt.Sprintf("%d→%d", h.From, h.To))
				if h.SOP != "kopi" || h.Case != "KOPI-2026-0001" {
					t.Errorf("history names %s/%s", h.SOP, h.Case)
				}
			}
			for _, m := range o.Emails {
				s := fmt.Sprint(m.Step)
				if m.Correction {
					s += "!"
				}
				mails = append(mails, s)
			}
			if got := strings.Join(path, " "); got != tc.path {
				t.Errorf("path = %q, want %q", got, tc.path)
			}
			if got := strings.Join(mails, " "); got != tc.mails {
				t.Errorf("emails = %q, want %q", got, tc.mails)
			}
			if len(o.Flags) != 0 {
				t.Errorf("flags %v", o.Flags)
			}
			// Applying what was seen again changes nothing.
			if again := rules.KOPIAdvance(def, o.Flow, rules.KOPISeen{Case: tc.seen.Case, Sent: tc.seen.Sent, ApprovalRequired: tc.seen.ApprovalRequired}, now, cal); again.Changed() {
				t.Errorf("second advance moved the case again: %v", again.History)
			}
		})
	}
}

// TestKOPIAdvanceTimes: the start and the form carry the submission's
// time and the send its own, so step 2's duration runs from the
// complete submission to the assignment and is measured against its
// 30-minute standard in working time.
func TestKOPIAdvanceTimes(t *testing.T) {
	cfg := rules.DefaultConfig()
	cal, loc := jakartaCalendar(t, cfg)
	def := sop.KOPI()
	submitted := time.Date(2026, 3, 2, 9, 0, 0, 0, loc)
	now := submitted.Add(45 * time.Minute)
	c := rules.Case{Consultant: "Kon"}
	c.SubmittedAt = submitted
	o := rules.KOPIAdvance(def, rules.Flow{Case: "KOPI-2026-0001"}, rules.KOPISeen{Case: c, Submitted: submitted}, now, cal)
	if len(o.History) != 3 {
		t.Fatalf("history %v", o.History)
	}
	if h := o.History[1]; !h.At.Equal(submitted) || h.Duration != 0 || !h.Met {
		t.Errorf("form row = %+v", h)
	}
	if h := o.History[2]; !h.At.Equal(now) || h.Duration != 45*time.Minute || h.Met || h.Standard != rules.MustSpan("30m") {
		t.Errorf("forward row = %+v, want 45 min over a 30 min standard", h)
	}
	if o.Flow.Step != rules.StepAnswer || !o.Flow.Due.Equal(cal.AddSpan(now, rules.MustSpan("1d"))) {
		t.Errorf("flow = %+v", o.Flow)
	}
}

// TestKOPIFlowOf: a row kopi kept no flow for starts at the step its
// status shows; the status kopi writes for its own steps comes back.
func TestKOPIFlowOf(t *testing.T) {
	cfg := rules.DefaultConfig()
	cal, loc := jakartaCalendar(t, cfg)
	def := sop.KOPI()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, loc)
	for _, tc := range []struct {
		status rules.Status
		step   int
		done   bool
	}{
		{rules.StatusKurangLengkap, 1, false}, {rules.StatusBaru, 2, false}, {rules.StatusDitugaskan, 3, false},
		{rules.StatusDijawab, 4, false}, {rules.StatusDisetujui, 4, false}, {rules.StatusTerkirim, 5, false},
		{rules.StatusKirimUlang, 5, false}, {rules.StatusSelesai, 0, true},
	} {
		f := rules.KOPIFlowOf(def, rules.Case{Status: tc.status}, now, cal)
		if f.Step != tc.step || f.Done != tc.done || f.SOP != "kopi" || !f.EnteredAt.Equal(now) {
			t.Errorf("%s: flow %+v", tc.status, f)
		}
		st, ok := rules.KOPIStatusAt(f)
		if ok != (tc.step >= 1 && tc.step <= 3) || (ok && st != tc.status) {
			t.Errorf("%s: KOPIStatusAt = %q, %v", tc.status, st, ok)
		}
	}
}
