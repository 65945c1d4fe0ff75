package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kopi/rules"
)

// TestHolidaysTemplateWritesAParsableTable: the template is written once,
// not over an edited file unless --force, and reads back as a table.
func TestHolidaysTemplateWritesAParsableTable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "libur-2027.csv")
	r := kopi(t, "holidays", "template", "2027", "--out", path)
	if r.err != nil || !strings.Contains(r.stdout, "8 hari libur bertanggal pasti") {
		t.Fatalf("err %v\n%s", r.err, r.stdout)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if hs, err := rules.ParseHolidayCSV(path, b); err != nil || len(hs) != 8 {
		t.Fatalf("written table: %d holidays, err %v", len(hs), err)
	}
	r = kopi(t, "holidays", "template", "2027", "--out", path)
	if r.err == nil || !strings.Contains(r.err.Error(), "--force") {
		t.Fatalf("overwrote an existing file: err %v", r.err)
	}
	if r := kopi(t, "holidays", "template", "--out", path, "2027", "--force"); r.err != nil {
		t.Fatalf("--force: %v", r.err)
	}
	if r := kopi(t, "holidays", "template", "dua-ribu"); r.err == nil {
		t.Fatal("a year in words was accepted")
	}
	if r := kopi(t, "holidays", "template", "2027", "--out", "-"); !strings.Contains(r.stdout, "tanggal,hari,jenis,keterangan") {
		t.Fatalf("--out - did not print the table:\n%s", r.stdout)
	}
}

// TestCheckNamesTheHolidayTemplate: a year without a table is a problem
// whose fix is the template command.
func TestCheckNamesTheHolidayTemplate(t *testing.T) {
	o := readyOffice(t)
	r := runChecks(t, checkOptions{configPath: o.config, now: january2027})
	if !strings.Contains(r.stdout, "tabel hari libur tidak memuat tahun 2027") || !strings.Contains(r.stdout, "`kopi holidays template 2027`") {
		t.Errorf("check does not point to the template:\n%s", r.stdout)
	}
}

func january2027() time.Time { return time.Date(2027, time.January, 4, 2, 0, 0, 0, time.UTC) }
