package main

import (
	"strings"
	"testing"
)

func TestDemoRunsADayAndPrintsItsSections(t *testing.T) {
	if testing.Short() {
		t.Skip("the demo simulates a whole day")
	}
	r := kopi(t, "demo")
	if r.err != nil {
		t.Fatalf("demo: %v\n%s\n%s", r.err, r.stdout, r.stderr)
	}
	for _, want := range []string{
		"== 1. kopi init --create-intake-form ==",
		"Formulir asupan dibuat: ",
		"== 2. Senin, 2 Maret 2026",
		"formulir disunting: Informasi umum Inspektorat",
		"== 3. Tab Konsultasi di spreadsheet pelacakan ==",
		"KOPI-2026-0012",
		"Kurang Lengkap",
		"== 4. Email terkirim (",
		"Tanda terima konsultasi",
		"== 5. Pemeriksaan ==",
		"12 tanggapan → 12 baris, masing-masing tepat satu: ya",
		"tidak ada email yang terkirim dua kali: ya",
		"tersimpan sebagai teks, bukan rumus: ya",
		"teks 60.000 karakter tersimpan utuh: ya",
		"== 6. Panggilan API",
		"sheets.spreadsheets.get",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
	if strings.Contains(r.stdout, ": TIDAK") {
		t.Errorf("a demo check failed:\n%s", r.stdout)
	}
}
