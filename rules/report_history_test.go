package rules

import (
	"os"
	"strings"
	"testing"
	"time"
)

// testSOP reads a shipped SOP definition (sop/*.yaml).
func testSOP(t *testing.T, file string) *SOPDef {
	t.Helper()
	data, err := os.ReadFile("../sop/" + file)
	if err != nil {
		t.Fatal(err)
	}
	def, err := ParseSOP(file, data)
	if err != nil {
		t.Fatal(err)
	}
	return def
}

// TestBuildReportComplianceFromHistory: with KOPI and Bimtek history in
// the period, each SOP gets its table from its own history rows of the
// period (October's rows and the other SOP's are left out), KOPI's
// history wins over the cases' timestamps, and the obstacles name the
// SOP of a late step. Expectations are counted by hand below.
func TestBuildReportComplianceFromHistory(t *testing.T) {
	cal := testCalendar(t)
	loc := cal.Location()
	kopi, bimtek := testKOPISOP(t), testSOP(t, "bimtek.yaml")
	nov := func(d, h int) time.Time { return time.Date(2026, time.November, d, h, 0, 0, 0, loc) }
	oct := time.Date(2026, time.October, 30, 9, 0, 0, 0, loc)
	m := time.Minute
	hist := []HistoryEntry{
		// KOPI, November: a start, case A through steps 1, 2, 3, case B at step 2.
		{SOP: kopi.ID, Case: "A", From: 0, To: 1, At: nov(2, 8)},
		{SOP: kopi.ID, Case: "A", From: 1, To: 2, At: nov(2, 9), Duration: 10 * m, Met: true},
		{SOP: kopi.ID, Case: "A", From: 2, To: 3, At: nov(2, 10), Duration: 20 * m, Met: true},
		{SOP: kopi.ID, Case: "A", From: 3, To: 4, At: nov(3, 10), Duration: 9 * time.Hour, Met: false},
		{SOP: kopi.ID, Case: "B", From: 2, To: 3, At: nov(4, 10), Duration: 60 * m, Met: false},
		// KOPI, October: not in the period.
		{SOP: kopi.ID, Case: "C", From: 2, To: 3, At: oct, Duration: 5 * m, Met: true},
		// Bimtek, November: step 1 twice (once late), step 2 returned for correction once.
		{SOP: bimtek.ID, Case: "X", From: 1, To: 2, At: nov(5, 9), Duration: 5 * m, Met: true},
		{SOP: bimtek.ID, Case: "X", From: 2, To: 1, At: nov(5, 10), Duration: 10 * m, Met: true, Correction: true},
		{SOP: bimtek.ID, Case: "X", From: 1, To: 2, At: nov(6, 10), Duration: 30 * m, Met: false},
		// Bimtek, October.
		{SOP: bimtek.ID, Case: "Y", From: 1, To: 2, At: oct, Duration: 5 * m, Met: true},
	}
	// One sent case whose timestamps alone would give step 2 one case.
	cases := []Case{reportCase(1, TopicAudit, "Budi", nov(2, 9), StatusTerkirim, true)}
	r := BuildReport(ReportInput{Period: MonthPeriod(2026, time.November, loc), Calendar: cal, SOP: kopi, SOPs: []*SOPDef{bimtek},
		Topics: []string{TopicAudit}, Cases: cases, History: hist})
	if len(r.Compliance) != 2 || r.Compliance[0].SOP != kopi.ID || r.Compliance[1].SOP != bimtek.ID {
		t.Fatalf("want KOPI then Bimtek, got %+v", r.Compliance)
	}
	k, b := r.Compliance[0], r.Compliance[1]
	if !k.FromHistory || k.Entries != 5 || len(k.Steps) != len(kopi.Steps) {
		t.Fatalf("KOPI table: from history %v, %d entries (want 5), %d steps (want %d)", k.FromHistory, k.Entries, len(k.Steps), len(kopi.Steps))
	}
	if s := k.Steps[0]; s.Done != 1 || s.Within != 1 {
		t.Errorf("KOPI step 1: %+v", s)
	}
	if s := k.Steps[1]; s.Done != 2 || s.Within != 1 || s.Share != 0.5 || s.Median != 20*m || s.P90 != 60*m {
		t.Errorf("KOPI step 2: %+v (want 2 done, 1 within, median 20m, p90 1h)", s)
	}
	if s := k.Steps[2]; s.Done != 1 || s.Within != 0 {
		t.Errorf("KOPI step 3: %+v", s)
	}
	if !b.FromHistory || b.Entries != 3 || len(b.Steps) != len(bimtek.Steps) || b.Name != bimtek.Name {
		t.Fatalf("Bimtek table: %+v", b)
	}
	if s := b.Steps[0]; s.Done != 2 || s.Within != 1 || s.Corrections != 0 || s.Median != 5*m || s.P90 != 30*m {
		t.Errorf("Bimtek step 1: %+v", s)
	}
	if s := b.Steps[1]; s.Done != 1 || s.Within != 1 || s.Corrections != 1 {
		t.Errorf("Bimtek step 2: %+v", s)
	}
	if s := b.Steps[2]; s.Done != 0 {
		t.Errorf("Bimtek step 3: %+v", s)
	}
	if !strings.Contains(k.Source(), "tab Riwayat (5 baris") || !strings.Contains(b.Source(), "tab Riwayat (3 baris") {
		t.Errorf("sources %q / %q", k.Source(), b.Source())
	}
	obs := strings.Join(r.Obstacles(), "\n")
	if !strings.Contains(obs, bimtek.Name+", Langkah 1 (") || !strings.Contains(obs, "\nLangkah 2 (") && !strings.HasPrefix(obs, "Langkah 2 (") {
		t.Errorf("obstacles must name late steps, Bimtek's with its SOP: %q", obs)
	}
}

// TestBuildReportKOPIHistoryOutsidePeriod: KOPI history from another
// period does not count; the KOPI table falls back to the cases'
// timestamps and says so, while another SOP without history in the
// period shows an empty table from the history.
func TestBuildReportKOPIHistoryOutsidePeriod(t *testing.T) {
	cal := testCalendar(t)
	loc := cal.Location()
	kopi, bimtek := testKOPISOP(t), testSOP(t, "bimtek.yaml")
	hist := []HistoryEntry{{SOP: kopi.ID, Case: "C", From: 2, To: 3, At: time.Date(2026, time.December, 1, 9, 0, 0, 0, loc), Met: true}}
	cases := []Case{reportCase(1, TopicAudit, "Budi", time.Date(2026, time.November, 2, 9, 0, 0, 0, loc), StatusTerkirim, true)}
	r := BuildReport(ReportInput{Period: MonthPeriod(2026, time.November, loc), Calendar: cal, SOP: kopi, SOPs: []*SOPDef{bimtek},
		Topics: []string{TopicAudit}, Cases: cases, History: hist})
	k, b := r.Compliance[0], r.Compliance[1]
	if k.FromHistory || len(k.Steps) != 3 || k.Steps[0].Step != StepCheck || k.Steps[0].Done != 1 || k.Steps[2].Done != 1 {
		t.Fatalf("KOPI fallback: %+v", k)
	}
	if !b.FromHistory || b.Entries != 0 || b.Steps[0].Done != 0 {
		t.Fatalf("Bimtek without history: %+v", b)
	}
}
