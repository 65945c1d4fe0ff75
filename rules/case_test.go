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

func TestCanTransition(t *testing.T) {
	tests := []struct {
		from, to Status
		approval bool
		want     bool
	}{
		{StatusBaru, StatusDitugaskan, true, true},
		{StatusBaru, StatusKurangLengkap, true, true},
		{StatusKurangLengkap, StatusDitugaskan, true, true},
		{StatusDitugaskan, StatusDitugaskan, true, true}, // reassignment
		{StatusDitugaskan, StatusDijawab, true, true},
		{StatusDijawab, StatusDisetujui, true, true},
		{StatusDijawab, StatusTerkirim, true, false},
		{StatusDijawab, StatusTerkirim, false, true},
		{StatusDisetujui, StatusTerkirim, true, true},
		{StatusTerkirim, StatusSelesai, true, true},
		{StatusTerkirim, StatusKirimUlang, true, true},
		{StatusKirimUlang, StatusTerkirim, true, true},
		{StatusSelesai, StatusDitugaskan, true, false},
		{StatusBaru, StatusTerkirim, true, false},
		{StatusKurangLengkap, StatusDijawab, true, false},
		{StatusTerkirim, StatusDijawab, true, false},
	}
	for _, tt := range tests {
		if got := CanTransition(tt.from, tt.to, tt.approval); got != tt.want {
			t.Errorf("CanTransition(%s → %s, approval %v) = %v, want %v", tt.from, tt.to, tt.approval, got, tt.want)
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
	if len(StatusTerkirim.Next()) != 2 {
		t.Errorf("Terkirim.Next() = %v", StatusTerkirim.Next())
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

func TestNextTicket(t *testing.T) {
	tests := []struct {
		name     string
		year     int
		existing []string
		want     string
	}{
		{"first of the year", 2026, nil, "KOPI-2026-0001"},
		{"after the highest, gaps are not refilled", 2026, []string{"KOPI-2026-0001", "KOPI-2026-0007", "KOPI-2026-0003"}, "KOPI-2026-0008"},
		{"other years do not count", 2027, []string{"KOPI-2026-0150"}, "KOPI-2027-0001"},
		{"garbage ignored", 2026, []string{"", "abc", "KOPI-2026-0002"}, "KOPI-2026-0003"},
		{"grows past 9999", 2026, []string{"KOPI-2026-9999"}, "KOPI-2026-10000"},
	}
	for _, tt := range tests {
		if got := NextTicket(tt.year, tt.existing).String(); got != tt.want {
			t.Errorf("%s: NextTicket = %s, want %s", tt.name, got, tt.want)
		}
	}
	// 00:30 WIB on 1 January 2027 is still 2026 in UTC.
	ts := time.Date(2026, 12, 31, 17, 30, 0, 0, time.UTC)
	if y := TicketYear(ts, wib); y != 2027 {
		t.Errorf("TicketYear = %d, want 2027", y)
	}
}
