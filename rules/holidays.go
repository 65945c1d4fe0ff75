package rules

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// builtinHolidaysCSV is Indonesia's 2026 table of national holidays and
// cuti bersama (SKB 3 Menteri No. 1497/2025, 2/2025, 5/2025; Keppres
// 42/2025), the default holiday list of every office.
//
//go:embed libur-2026.csv
var builtinHolidaysCSV []byte

// HolidayKind tells a national holiday from a joint leave day; offices
// are closed on both.
type HolidayKind string

// The kinds of days off in the decree, as written in the CSV "jenis" column.
const (
	HolidayNational   HolidayKind = "libur"        // libur nasional
	HolidayJointLeave HolidayKind = "cuti_bersama" // cuti bersama ASN
	HolidayLocal      HolidayKind = "lokal"        // a day the office itself closes (e.g. the regency's anniversary)
)

// Holiday is one day the office is closed.
type Holiday struct {
	Date Date        `yaml:"date"`
	Name string      `yaml:"name"`
	Kind HolidayKind `yaml:"kind,omitempty"`
}

// BuiltinHolidays returns the embedded 2026 table (a fresh copy).
func BuiltinHolidays() []Holiday {
	hs, err := ParseHolidayCSV("libur-2026.csv", builtinHolidaysCSV)
	if err != nil {
		panic("rules: embedded holiday table: " + err.Error())
	}
	return hs
}

var indonesianWeekdays = []string{"minggu", "senin", "selasa", "rabu", "kamis", "jumat", "sabtu"}

// ParseHolidayCSV reads a holiday table in the format of the shipped
// libur-2026.csv: a header "tanggal,hari,jenis,keterangan", then one day
// per line. The "hari" column, when filled, must match the date (it
// catches typos when an office types next year's decree); "jenis" is
// libur, cuti_bersama or lokal; a line starting with "#" is a comment.
// name labels the source in errors. Every
// bad line is reported, each with its line number, in Indonesian.
func ParseHolidayCSV(name string, data []byte) ([]Holiday, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	r.Comment = '#' // notes and unconfirmed lines of `kopi holidays template`
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf(msgHolidayCSVEmpty, name)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	ti, ok := col["tanggal"]
	if !ok {
		return nil, fmt.Errorf(msgHolidayCSVHeader, name)
	}
	field := func(rec []string, key string) string {
		if i, ok := col[key]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	var out []Holiday
	var errs []error
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			// A record that does not parse has no fields to ask FieldPos
			// about (an unclosed quote at the end made it panic).
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			if errors.Is(err, csv.ErrQuote) || errors.Is(err, csv.ErrBareQuote) {
				err = errors.New(msgHolidayCSVQuote)
			}
			errs = append(errs, fmt.Errorf(msgHolidayCSVLine, name, line, err))
			continue
		}
		line, _ := r.FieldPos(0)
		if ti >= len(rec) || strings.TrimSpace(strings.Join(rec, "")) == "" {
			continue
		}
		d, err := ParseDate(rec[ti])
		if err != nil {
			errs = append(errs, fmt.Errorf(msgHolidayCSVLine, name, line, err))
			continue
		}
		if day := strings.ToLower(strings.ReplaceAll(field(rec, "hari"), "'", "")); day != "" && day != indonesianWeekdays[d.Weekday()] {
			errs = append(errs, fmt.Errorf(msgHolidayCSVWeekday, name, line, d, field(rec, "hari"), weekdayNameID(d.Weekday())))
			continue
		}
		kind := HolidayKind(strings.ToLower(field(rec, "jenis")))
		switch kind {
		case "":
			kind = HolidayNational
		case HolidayNational, HolidayJointLeave, HolidayLocal:
		default:
			errs = append(errs, fmt.Errorf(msgHolidayCSVKind, name, line, kind))
			continue
		}
		out = append(out, Holiday{Date: d, Name: field(rec, "keterangan"), Kind: kind})
	}
	if len(errs) > 0 {
		return out, errors.Join(errs...)
	}
	return out, nil
}

// weekdayNameID is the Indonesian name of a weekday, capitalised.
func weekdayNameID(w time.Weekday) string {
	s := indonesianWeekdays[w]
	if s == "jumat" {
		return "Jumat"
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
