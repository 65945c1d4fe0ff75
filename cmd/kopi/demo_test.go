package main

import (
	"bytes"
	"strings"
	"sync"
	"testing"
)

// sharedDemo is one run of `kopi demo` at debug level with text logs,
// shared by the tests that read its output and by
// TestDemoDayLogsNoPersonalData, which scans its log in both formats:
// the run writes its log records as JSON too (environment.demoLogJSON).
// The demo is deterministic (a simulated clock, a fake Workspace of its
// own), so a second run would print the same day and cost the same
// minute under -race. The log flags choose only the logger: what the
// demo prints on stdout is the same at every level and in either format.
var sharedDemo struct {
	once sync.Once
	r    result
	// json is the run's log in JSON.
	json string
	// rows is the Konsultasi tab when the day ended, and rowsErr the
	// error reading it.
	rows    [][]string
	rowsErr error
}

// demoDebugText runs `kopi demo --log-level debug --log-format text` on
// first need and returns what it printed and the tracker it left.
func demoDebugText(t *testing.T) (result, [][]string) {
	t.Helper()
	sharedDemo.once.Do(func() {
		var json bytes.Buffer
		hooks := environment{demoLogJSON: &json, demoFinished: func(d *demoRun) {
			sharedDemo.rows, sharedDemo.rowsErr = d.srv.SpreadsheetValues(d.cfg.Tracker.SpreadsheetID, "Konsultasi")
		}}
		sharedDemo.r = kopiWith(t, hooks, "demo", "--log-level", "debug", "--log-format", "text")
		sharedDemo.json = json.String()
	})
	if sharedDemo.rowsErr != nil {
		t.Fatalf("read tracker: %v", sharedDemo.rowsErr)
	}
	return sharedDemo.r, sharedDemo.rows
}

// demoJSONLog is the shared demo run's log in JSON.
func demoJSONLog(t *testing.T) string {
	t.Helper()
	demoDebugText(t)
	return sharedDemo.json
}

// demoOutput is what the shared demo run printed.
func demoOutput(t *testing.T) result {
	t.Helper()
	r, _ := demoDebugText(t)
	return r
}

func TestDemoRunsADayAndPrintsItsSections(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("the demo simulates a whole day")
	}
	r := demoOutput(t)
	if r.err != nil {
		t.Fatalf("demo: %v\n%s\n%s", r.err, r.stdout, r.stderr)
	}
	for _, want := range []string{
		"== 1. kopi init --create-intake-form ==",
		"Formulir asupan dibuat: ",
		"== 2. Senin–Selasa, 2–3 Maret 2026",
		"-- Senin, 2 Maret 2026",
		"-- Selasa, 3 Maret 2026",
		"konsuler KOPI-2026-0001 menulis jawaban",
		"admin KOPI-2026-0001: Status → Disetujui",
		"1 jawaban disetujui diantrekan",
		"1 baris ditandai Terkirim",
		"formulir disunting: Informasi umum Inspektorat",
		"== 3. Tab Konsultasi di spreadsheet pelacakan ==",
		"KOPI-2026-0012",
		"Kurang Lengkap",
		"== 4. Email terkirim (",
		"Tanda terima konsultasi",
		"Re: [KOPI-2026-0001] Tanda terima konsultasi",
		"Re: [KOPI-2026-0002] Tanda terima konsultasi",
		"Re: [KOPI-2026-0003] Tanda terima konsultasi",
		"Ringkasan harian KOPI: Selasa, 3 Maret 2026",
		"Lewat tenggat: konsultasi belum dijawab",
		"== 5. Pemeriksaan ==",
		"12 tanggapan → 12 baris, masing-masing tepat satu: ya",
		"tidak ada email yang terkirim dua kali: ya",
		"tersimpan sebagai teks, bukan rumus: ya",
		"teks 60.000 karakter tersimpan utuh: ya",
		"3 jawaban yang disetujui terkirim tepat sekali ke pemohon, dalam utas Gmail tanda terimanya, baris berstatus Terkirim: ya",
		"1 jawaban yang belum disetujui tidak dikirim (baris tetap Dijawab): ya",
		"ringkasan harian terkirim tepat sekali tiap hari kerja (Senin dan Selasa): ya",
		"pemberitahuan lewat tenggat terkirim; tidak ada pengingat untuk kasus yang sudah dijawab: ya",
		"== 6. Panggilan API",
		"sheets.spreadsheets.get",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
	if strings.Contains(r.stdout, "Re: [KOPI-2026-0008]") {
		t.Errorf("the answer of KOPI-2026-0008, never approved, was sent:\n%s", r.stdout)
	}
	if strings.Contains(r.stdout, ": TIDAK") {
		t.Errorf("a demo check failed:\n%s", r.stdout)
	}
	// The log's times are the simulated office's (WIB), in both formats.
	for format, log := range map[string]string{"text": r.stderr, "json": demoJSONLog(t)} {
		lines := strings.Split(strings.TrimSpace(log), "\n")
		for _, line := range lines {
			if !strings.Contains(line, "2026-03-0") || !strings.Contains(line, "+07:00") {
				t.Errorf("%s log line not in office time (WIB): %s", format, line)
				break
			}
		}
		if len(lines) < 10 {
			t.Errorf("%s log has %d lines", format, len(lines))
		}
	}
}

// TestDemoExplainsItsLines: every cycle that changed rows names them,
// each cycle's emails are named by kind, the failed email is explained,
// and the tracker's Konsuler column shows people, not job titles.
func TestDemoExplainsItsLines(t *testing.T) {
	t.Parallel()
	r := demoOutput(t)
	if r.err != nil {
		t.Fatalf("demo: %v\n%s", r.err, r.stderr)
	}
	lines := strings.Split(r.stdout, "\n")
	for i, l := range lines {
		if strings.Contains(l, " baris diperbarui") && strings.Contains(l, "siklus:") {
			if i+1 >= len(lines) || !strings.Contains(strings.Join(lines[i+1:min(i+4, len(lines))], "\n"), "baris diubah: KOPI-") {
				t.Errorf("cycle line without the rows it changed: %q", l)
			}
		}
		if strings.Contains(l, "email terkirim") && strings.Contains(l, "siklus:") {
			if i+1 >= len(lines) || !strings.Contains(lines[i+1], "email: ") {
				t.Errorf("cycle line without the kinds of its emails: %q", l)
			}
		}
		if strings.Contains(l, "email gagal") && strings.Contains(l, "siklus:") {
			if !strings.Contains(strings.Join(lines[i+1:min(i+4, len(lines))], "\n"), "Gmail menolak alamatnya") {
				t.Errorf("failed email not explained: %q", l)
			}
		}
	}
	for _, title := range []string{"Irban Wilayah I", "Auditor Ahli Muda", "Kasubbag Umum"} {
		if strings.Contains(r.stdout, title) {
			t.Errorf("the demo still shows the job title %q as a consultant's name", title)
		}
	}
	if !strings.Contains(r.stdout, "Rudi Hartono, S.E.") {
		t.Errorf("the tracker does not show the consultants' names:\n%s", r.stdout)
	}
}
