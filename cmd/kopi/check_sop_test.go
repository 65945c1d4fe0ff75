package main

import (
	"os"
	"strings"
	"testing"

	"google.golang.org/api/sheets/v4"
)

// sopOffice is a fake Workspace after `kopi init` with Bimtek in the
// config's sops list; fill says whether the office has filled the Peran
// tab (init seeds only the roles).
func sopOffice(t *testing.T, fill bool) *office {
	t.Helper()
	o := newOffice(t)
	f, err := os.OpenFile(o.config, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("\nsops:\n  - bimtek\n"); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if r := kopi(t, "init", "--config", o.config, "--create-intake-form"); r.err != nil {
		t.Fatalf("init: %v\n%s", r.err, r.stderr)
	}
	if fill {
		rows := [][]any{
			{"Sekretaris", "Sri", "sekretaris@example.go.id"},
			{"Inspektur Pembantu", "Ilham", "irban@example.go.id"},
			{"Subkel Kepegawaian", "Kiki", "kepegawaian@example.go.id"},
			{"Inspektur", "Indra", "inspektur@example.go.id"},
			{"Subbag Umum", "Umi", "umum@example.go.id"},
		}
		if err := o.srv.SetValues(o.value(t, keySpreadsheetID), "Peran!A2:C6", rows, false); err != nil {
			t.Fatal(err)
		}
	}
	return o
}

// TestCheckSOPTabs: with an SOP in the config, `kopi check` checks its
// tab (headers present), the Peran tab (every role has a person with an
// email) and the Riwayat tab (present and protected as a whole), each
// problem in Indonesian with its fix.
func TestCheckSOPTabs(t *testing.T) {
	t.Parallel()
	t.Run("all good", func(t *testing.T) {
		o := sopOffice(t, true)
		r := runChecks(t, checkOptions{configPath: o.config})
		if r.err != nil {
			t.Fatalf("check failed: %v\n%s", r.err, r.stdout)
		}
		assertLines(t, r.stdout)
		for _, want := range []string{
			"OK: spreadsheet pelacakan: 9 tab kopi ada",
			`OK: SOP bimtek: tab "Bimtek", "Peran" dan "Riwayat" ada, 5 peran terisi di tab "Peran"`,
		} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("output lacks %q:\n%s", want, r.stdout)
			}
		}
	})
	for _, tc := range []struct {
		name   string
		fill   bool
		break_ func(t *testing.T, o *office)
		want   []string
		count  int
	}{
		{
			name: "roles not filled",
			want: []string{
				`MASALAH: peran "Sekretaris" SOP bimtek belum punya orang dengan email di tab "Peran"`,
				`cara memperbaiki: isi satu baris di tab Peran: Peran "Subbag Umum", Nama, dan Email orangnya`,
			},
			count: 5,
		},
		{
			name: "bad email",
			fill: true,
			break_: func(t *testing.T, o *office) {
				if err := o.srv.SetValues(o.value(t, keySpreadsheetID), "Peran!C5", [][]any{{"indra di kantor"}}, false); err != nil {
					t.Fatal(err)
				}
			},
			want: []string{
				`MASALAH: email "indra di kantor" untuk peran "Inspektur" di tab Peran baris 5 tidak dapat dipakai`,
				`MASALAH: peran "Inspektur" SOP bimtek belum punya orang dengan email`,
			},
			count: 2,
		},
		{
			name: "SOP column deleted",
			fill: true,
			break_: func(t *testing.T, o *office) {
				o.batch(t, &sheets.Request{DeleteDimension: &sheets.DeleteDimensionRequest{Range: &sheets.DimensionRange{
					SheetId: o.sheetID(t, "Bimtek"), Dimension: "COLUMNS", StartIndex: 7, EndIndex: 8,
				}}})
			},
			want:  []string{`MASALAH: kolom "Keputusan" tidak ditemukan di tab "Bimtek"`},
			count: 1,
		},
		{
			name: "Riwayat deleted",
			fill: true,
			break_: func(t *testing.T, o *office) {
				o.batch(t, &sheets.Request{DeleteSheet: &sheets.DeleteSheetRequest{SheetId: o.sheetID(t, "Riwayat")}})
			},
			want:  []string{`MASALAH: tab "Riwayat" tidak ada di spreadsheet pelacakan`, "jalankan `kopi init`"},
			count: 1,
		},
		{
			name: "Riwayat unprotected",
			fill: true,
			break_: func(t *testing.T, o *office) {
				ss, err := o.services(t).Sheets.Spreadsheets.Get(o.value(t, keySpreadsheetID)).Fields("sheets(properties(title),protectedRanges(protectedRangeId))").Do()
				if err != nil {
					t.Fatal(err)
				}
				for _, sh := range ss.Sheets {
					if sh.Properties.Title != "Riwayat" {
						continue
					}
					if len(sh.ProtectedRanges) == 0 {
						t.Fatal("Riwayat has no protection to remove")
					}
					for _, p := range sh.ProtectedRanges {
						o.batch(t, &sheets.Request{DeleteProtectedRange: &sheets.DeleteProtectedRangeRequest{ProtectedRangeId: p.ProtectedRangeId}})
					}
				}
			},
			want:  []string{`MASALAH: tab "Riwayat" (jejak audit, hanya kopi yang boleh menulis) tidak dilindungi`, "hanya Anda yang dapat mengedit"},
			count: 1,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := sopOffice(t, tc.fill)
			if tc.break_ != nil {
				tc.break_(t, o)
			}
			r := runChecks(t, checkOptions{configPath: o.config})
			if r.err == nil {
				t.Fatalf("check passed on a broken setup:\n%s", r.stdout)
			}
			assertLines(t, r.stdout)
			for _, want := range tc.want {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("output lacks %q:\n%s", want, r.stdout)
				}
			}
			if n := strings.Count(r.stdout, "MASALAH: "); n != tc.count {
				t.Errorf("%d problems, want %d:\n%s", n, tc.count, r.stdout)
			}
		})
	}
}
