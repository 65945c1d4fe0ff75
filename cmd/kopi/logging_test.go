package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"kopi/rules"
)

func TestRedactText(t *testing.T) {
	for _, tc := range []struct {
		in, want string
	}{
		// What must go.
		{"kirim ke budi.santoso@cibeber.example.go.id gagal", "kirim ke " + redactedEmail + " gagal"},
		{"Invalid To header: <a+b@x.co>", "Invalid To header: <" + redactedEmail + ">"},
		{"0812-3456-7890", redactedPhone},
		{"hubungi 0812 3456 7890.", "hubungi " + redactedPhone + "."},
		{"wa: +62 812-3456-7890", "wa: " + redactedPhone},
		{"wa=6281234567890", "wa=" + redactedPhone},
		{"(0812) 3456-7890", redactedPhone},
		{"+1 415 555 0100", redactedPhone},
		{"081311223344 dan 0821-7788-9900", redactedPhone + " dan " + redactedPhone},
		{"kantor 031-7312345 atau 0274 512345", "kantor " + redactedPhone + " atau " + redactedPhone}, // fixed lines
		{"KOPI-2026-0042 0 03100000 , 0 0", "KOPI-2026-0042 0 " + redactedPhone + " , 0 0"},           // fuzz: Surabaya, 8 digits
		// What must stay.
		{"KOPI-2026-0001", "KOPI-2026-0001"},
		{"tiket KOPI-2026-0812 terkirim", "tiket KOPI-2026-0812 terkirim"},
		{"2026-03-02 08:12:34", "2026-03-02 08:12:34"},
		{"anchor 202600001", "anchor 202600001"},
		{"response ACYDBNj0812345678901", "response ACYDBNj0812345678901"},
		{"draft r-08123456789", "draft r-08123456789"},
		{"0813-1122", "0813-1122"},                           // too short to be a number anyone can call
		{"dihitung 00000000 kali", "dihitung 00000000 kali"}, // eight digits intake would refuse
		{"total 12345678901", "total 12345678901"},
		{"id 08123456789012345678", "id 08123456789012345678"},
		{"sheets.spreadsheets.get 3 panggilan", "sheets.spreadsheets.get 3 panggilan"},
		{"", ""},
	} {
		if got := redactText(tc.in); got != tc.want {
			t.Errorf("redactText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

type stringer string

func (s stringer) String() string { return string(s) }

func TestLoggerRedactsEveryKindOfValue(t *testing.T) {
	var buf bytes.Buffer
	log, err := newLogger(&buf, rules.LogConfig{Format: "json", Level: "debug"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	log.With("dari", "sri@desa.example.id").WithGroup("g").Debug("surel ke sri@desa.example.id",
		"tiket", "KOPI-2026-0001",
		"galat", errors.New("400: invalid recipient 0812-3456-7890"),
		"nilai", stringer("+62 812 3456 7890"),
		"daftar", []string{"a@b.example"},
		slog.Group("dalam", "wa", "6281234567890", "n", 3),
	)
	var got map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("not one JSON line: %v\n%s", err, buf.String())
	}
	line := buf.String()
	for _, leak := range []string{"sri@", "0812", "812 3456", "6281234567890", "a@b"} {
		if strings.Contains(line, leak) {
			t.Errorf("log line leaks %q: %s", leak, line)
		}
	}
	for _, keep := range []string{`"tiket":"KOPI-2026-0001"`, `"n":3`, redactedEmail, redactedPhone, `"level":"DEBUG"`} {
		if !strings.Contains(line, keep) {
			t.Errorf("log line lacks %s: %s", keep, line)
		}
	}
}

func TestLoggerFormatsAndLevels(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		lc       rules.LogConfig
		wantErr  bool
		want     string // in the output of an info line
		infoSeen bool
	}{
		{lc: rules.LogConfig{Format: "text", Level: "info"}, want: "level=INFO msg=halo tiket=KOPI-2026-0001", infoSeen: true},
		{lc: rules.LogConfig{Format: "json", Level: "debug"}, want: `"msg":"halo","tiket":"KOPI-2026-0001"`, infoSeen: true},
		{lc: rules.LogConfig{}, want: "time=2026-03-02T09:30:00.000Z", infoSeen: true},
		{lc: rules.LogConfig{Format: "text", Level: "warn"}},
		{lc: rules.LogConfig{Format: "xml"}, wantErr: true},
		{lc: rules.LogConfig{Level: "loud"}, wantErr: true},
	} {
		var buf bytes.Buffer
		log, err := newLoggerAt(&buf, tc.lc, func() time.Time { return at }, nil)
		if (err != nil) != tc.wantErr {
			t.Errorf("%+v: err = %v", tc.lc, err)
			continue
		}
		if err != nil {
			continue
		}
		log.Info("halo", "tiket", "KOPI-2026-0001")
		if tc.infoSeen != (buf.Len() > 0) || !strings.Contains(buf.String(), tc.want) {
			t.Errorf("%+v: output %q, want %q", tc.lc, buf.String(), tc.want)
		}
	}
}

// TestLogTimesInOfficeZone: log lines carry the office's time with its
// offset, whatever zone the machine runs in.
func TestLogTimesInOfficeZone(t *testing.T) {
	wib, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 2, 15, 0, 0, time.UTC)
	for _, format := range []string{"text", "json"} {
		var buf bytes.Buffer
		log, err := newLoggerAt(&buf, rules.LogConfig{Format: format}, func() time.Time { return at }, wib)
		if err != nil {
			t.Fatal(err)
		}
		log.Info("siklus selesai")
		if !strings.Contains(buf.String(), "2026-03-02T09:15:00") || !strings.Contains(buf.String(), "+07:00") {
			t.Errorf("%s: no WIB time with offset: %s", format, buf.String())
		}
	}
}
