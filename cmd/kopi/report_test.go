package main

import (
	"strings"
	"testing"
)

func TestReportCommandRebuildsTheTab(t *testing.T) {
	o := newOffice(t)
	if r := kopi(t, "init", "--config", o.config, "--create-intake-form", "--create-survey-form"); r.err != nil {
		t.Fatalf("init: %v\n%s", r.err, r.stderr)
	}
	o.srv.ResetCalls()
	r := kopi(t, "report", "--config", o.config, "--month", "2026-11")
	if r.err != nil {
		t.Fatalf("report: %v\n%s", r.err, r.stderr)
	}
	// No KOPI history in November: KOPI's table says it measured the
	// cases' timestamps.
	for _, want := range []string{"Laporan November 2026 dibangun ulang di tab Laporan: 0 konsultasi; IKM belum dapat dihitung", "Buka: https://docs.google.com/spreadsheets/d/",
		"Kepatuhan standar waktu Konsultasi Online Pengawasan Intern (KOPI) Terintegrasi — Sumber: stempel waktu kasus"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	if n := o.srv.Calls()["sheets.spreadsheets.batchUpdate"]; n != 1 {
		t.Errorf("report made %d batchUpdates, want 1", n)
	}
	v, err := o.srv.SpreadsheetValues(o.value(t, keySpreadsheetID), "Laporan")
	if err != nil || len(v) == 0 || !strings.Contains(v[0][0], "November 2026") {
		t.Fatalf("Laporan tab: %v %v", v, err)
	}
	for _, bad := range [][]string{{}, {"--month", "2026-11", "--year", "2026"}, {"--month", "2026"}, {"--year", "2026-11"}, {"--month", "November"}} {
		r := kopi(t, append([]string{"report", "--config", o.config}, bad...)...)
		if r.err == nil || !strings.Contains(r.err.Error(), "--month TTTT-BB") {
			t.Errorf("report %v: err %v, want the period usage", bad, r.err)
		}
	}
}
