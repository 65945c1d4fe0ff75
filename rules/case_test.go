package rules

import (
	"testing"
	"time"
)

func TestParseStatus(t *testing.T) {
	for _, s := range Statuses {
		got, err := ParseStatus(" " + string(s) + " ")
		if err != nil || got != s {
			t.Errorf("ParseStatus(%q) = %q, %v", s, got, err)
		}
	}
	if got, err := ParseStatus("kurang  lengkap"); err != nil || got != StatusKurangLengkap {
		t.Errorf("lenient parse = %q, %v", got, err)
	}
	for _, bad := range []string{"", "Done", "Terkirim!"} {
		if _, err := ParseStatus(bad); err == nil {
			t.Errorf("ParseStatus(%q): want error", bad)
		}
	}
}

func TestStatusPredicates(t *testing.T) {
	if !StatusDisetujui.ReadyToSend(true) || StatusDijawab.ReadyToSend(true) || !StatusDijawab.ReadyToSend(false) ||
		!StatusKirimUlang.ReadyToSend(true) || StatusTerkirim.ReadyToSend(false) {
		t.Error("ReadyToSend")
	}
	if !StatusDitugaskan.Open() || StatusTerkirim.Open() || !StatusSelesai.Final() {
		t.Error("Open/Final")
	}
}

func TestTickets(t *testing.T) {
	tests := []struct {
		t    Ticket
		want string
	}{
		{Ticket{2026, 1}, "KOPI-2026-0001"},
		{Ticket{2026, 42}, "KOPI-2026-0042"},
		{Ticket{2026, 9999}, "KOPI-2026-9999"},
		{Ticket{2026, 10000}, "KOPI-2026-10000"},
		{Ticket{}, ""},
	}
	for _, tt := range tests {
		if got := tt.t.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.t, got, tt.want)
		}
		if tt.want == "" {
			continue
		}
		if back, err := ParseTicket(tt.want); err != nil || back != tt.t {
			t.Errorf("ParseTicket(%q) = %+v, %v", tt.want, back, err)
		}
	}
	if got, err := ParseTicket(" kopi-2026-0007 "); err != nil || got != (Ticket{2026, 7}) {
		t.Errorf("lenient parse = %+v, %v", got, err)
	}
	for _, bad := range []string{"", "KOPI-2026-1", "KOPI-26-0001", "TIKET-2026-0001", "KOPI-2026-00x1", "KOPI-2026-0000", "KOPI-2026-0001-2"} {
		if _, err := ParseTicket(bad); err == nil {
			t.Errorf("ParseTicket(%q): want error", bad)
		}
	}
}

func TestTicketCounter(t *testing.T) {
	tests := []struct {
		name     string
		year     int
		existing []Ticket
		want     string
	}{
		{"first of the year", 2026, nil, "KOPI-2026-0001"},
		{"after the highest, gaps are not refilled", 2026, []Ticket{{2026, 1}, {2026, 7}, {2026, 3}}, "KOPI-2026-0008"},
		{"other years do not count", 2027, []Ticket{{2026, 150}}, "KOPI-2027-0001"},
		{"grows past 9999", 2026, []Ticket{{2026, 9999}}, "KOPI-2026-10000"},
	}
	for _, tt := range tests {
		var tc TicketCounter
		for _, e := range tt.existing {
			tc.See(e)
		}
		if got := tc.Next(tt.year).String(); got != tt.want {
			t.Errorf("%s: Next = %s, want %s", tt.name, got, tt.want)
		}
		if again := tc.Next(tt.year); again.String() == tt.want {
			t.Errorf("%s: the same number was handed out twice", tt.name)
		}
	}
	// 00:30 WIB on 1 January 2027 is still 2026 in UTC.
	ts := time.Date(2026, 12, 31, 17, 30, 0, 0, time.UTC)
	if y := TicketYear(ts, wib); y != 2027 {
		t.Errorf("TicketYear = %d, want 2027", y)
	}
}
