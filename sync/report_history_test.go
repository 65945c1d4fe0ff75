package sync_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"kopi/google/fake"
	"kopi/rules"
	"kopi/sop"
)

// laporanTable finds an SOP's compliance table on the Laporan tab: the
// heading row naming it, the source line under it, and its step rows by
// "Langkah n" (columns: step, share, action, standard, done, within,
// median, p90, corrections).
func laporanTable(t *testing.T, rows [][]string, heading string) (source string, steps map[string][]string) {
	t.Helper()
	for i, r := range rows {
		if len(r) == 0 || r[0] != heading {
			continue
		}
		if i+2 >= len(rows) || len(rows[i+2]) < 9 || rows[i+2][0] != "Langkah" || rows[i+2][8] != "Koreksi" {
			t.Fatalf("table %q has no header row under its source line: %v", heading, rows[i:min(i+3, len(rows))])
		}
		steps = map[string][]string{}
		for _, s := range rows[i+3:] {
			if len(s) == 0 || !strings.HasPrefix(s[0], "Langkah ") {
				break
			}
			steps[s[0]] = s
		}
		return strings.Join(rows[i+1], ""), steps
	}
	t.Fatalf("the Laporan tab has no table %q", heading)
	return "", nil
}

// TestReportComplianceFromHistory: a month with a KOPI consultation
// (an incomplete form sent back, completed, assigned) and a Bimtek case
// (three steps done, one correction back to step 3) shows one table per
// SOP on the Laporan tab, each counted from its Riwayat rows, and the
// rebuild costs one spreadsheets.get more than before history was read.
func TestReportComplianceFromHistory(t *testing.T) {
	t.Parallel()
	s := setupSOPs(t, bimtekPeople, "bimtek")
	bad := complete("ani", s.cfg.TopicNames()[0])
	bad[rules.FieldWhatsApp] = "12345"
	id := s.submit(bad)
	s.clock.Advance(time.Minute)
	s.cycle()
	if _, err := s.srv.EditResponse(s.formID, id, s.answers(complete("ani", s.cfg.TopicNames()[0]))); err != nil {
		t.Fatal(err)
	}
	s.clock.Advance(time.Minute)
	s.cycle()
	if got := s.kopiPath("KOPI-2026-0001"); got != "-→1 1→2 2→1 1→2 2→3" {
		t.Fatalf("KOPI path %s", got)
	}
	s.setCells("Bimtek", s.firstEmpty("Bimtek"), map[string]string{"Judul": "Bimtek Reviu LKPD 2026", "Pilihan Waktu": "3 hari kerja"})
	s.cycle()
	r := caseRow(s.tab("Bimtek"), "BIMTEK-0001")
	for _, d := range []string{"Selesai", "Selesai", "Selesai", "Koreksi"} {
		s.clock.Advance(5 * time.Minute)
		cells := map[string]string{"Keputusan": d}
		if d == "Koreksi" {
			cells["Catatan Keputusan"] = "Lampirkan KAK."
		}
		s.setCells("Bimtek", r, cells)
		s.cycle()
	}
	// Riwayat now holds, by hand: KOPI -→1 1→2 2→1 1→2 2→3 (5 rows;
	// step 1 left twice, step 2 twice of which one correction) and Bimtek
	// -→1 1→2 2→3 3→4 4→3 (5 rows; steps 1 to 4 left once, the
	// correction at step 4).
	now := s.clock.Now()
	period := rules.MonthPeriod(now.Year(), now.Month(), wib)
	eng := s.engine()
	s.srv.ResetCalls()
	rep, err := eng.RebuildReport(s.ctx, period)
	if err != nil {
		t.Fatal(err)
	}
	calls := s.srv.Calls()
	// Tracker read, history read, the layout's get: three gets, one write.
	if calls["sheets.spreadsheets.get"] != 3 || calls["sheets.spreadsheets.batchUpdate"] != 1 || s.srv.TotalCalls() != 4 {
		t.Errorf("report rebuild calls %v, want 3 gets and 1 batchUpdate", calls)
	}
	if len(rep.Compliance) != 2 {
		t.Fatalf("compliance tables %d, want KOPI and Bimtek", len(rep.Compliance))
	}
	rows, err := s.srv.SpreadsheetValues(s.sheetID, "Laporan")
	if err != nil {
		t.Fatal(err)
	}
	bimtek, _ := sop.Load("bimtek")
	type want struct{ done, corrections string }
	for _, tc := range []struct {
		heading, source string
		steps           map[string]want
	}{
		{"H.1 " + sop.KOPI().Name, "tab Riwayat (5 baris", map[string]want{"Langkah 1": {"2", "0"}, "Langkah 2": {"2", "1"}, "Langkah 3": {"0", "0"}}},
		{"H.2 " + bimtek.Name, "tab Riwayat (5 baris", map[string]want{"Langkah 1": {"1", "0"}, "Langkah 2": {"1", "0"}, "Langkah 3": {"1", "0"},
			"Langkah 4": {"1", "1"}, "Langkah 5": {"0", "0"}}},
	} {
		src, steps := laporanTable(t, rows, tc.heading)
		if !strings.Contains(src, tc.source) {
			t.Errorf("%s: source %q, want %q", tc.heading, src, tc.source)
		}
		for step, w := range tc.steps {
			got := steps[step]
			if got == nil || got[4] != w.done || got[8] != w.corrections {
				t.Errorf("%s %s = %v, want %s done, %s corrections", tc.heading, step, got, w.done, w.corrections)
			}
		}
	}
}

// TestReportHistoryUnreadable: when the Riwayat tab cannot be read the
// rebuild fails with an Indonesian error that says what to do, and the
// Laporan tab is not written.
func TestReportHistoryUnreadable(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.submit(complete("ani", e.cfg.TopicNames()[0]))
	e.clock.Advance(time.Minute)
	e.cycle()
	eng := e.engine()
	// The history read is the get whose only range is the Riwayat tab.
	e.transport.before = func(req *http.Request) bool {
		rs := req.URL.Query()["ranges"]
		if len(rs) == 1 && strings.Contains(rs[0], "Riwayat") {
			if err := e.srv.AddFault(fake.Fault{Method: "sheets.spreadsheets.get", Status: http.StatusForbidden}); err != nil {
				t.Error(err)
			}
			return false
		}
		return true
	}
	e.srv.ResetCalls()
	now := e.clock.Now()
	_, err := eng.RebuildReport(e.ctx, rules.MonthPeriod(now.Year(), now.Month(), wib))
	if err == nil {
		t.Fatal("a rebuild without its history succeeded")
	}
	if msg := err.Error(); !strings.Contains(msg, "baca tab Riwayat") || !strings.Contains(msg, "jalankan lagi `kopi report`") {
		t.Errorf("error %q must say, in Indonesian, that Riwayat could not be read and what to do", msg)
	}
	if n := e.srv.Calls()["sheets.spreadsheets.batchUpdate"]; n != 0 {
		t.Errorf("the Laporan tab was written (%d batchUpdate) without the history", n)
	}
}
