package rules

import (
	"testing"
	"time"
)

func TestLockHolder(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	stale := 15 * time.Minute
	hb := func(id string, row int, ago time.Duration, stopped bool) Heartbeat {
		return Heartbeat{Instance: id, Order: row, Beat: now.Add(-ago), Stopped: stopped}
	}
	tests := []struct {
		name  string
		beats []Heartbeat
		want  string // "" = nobody
	}{
		{"none", nil, ""},
		{"one alive", []Heartbeat{hb("a", 3, time.Minute, false)}, "a"},
		{"one stale", []Heartbeat{hb("a", 3, stale, false)}, ""},
		{"one just fresh", []Heartbeat{hb("a", 3, stale-time.Second, false)}, "a"},
		{"stopped is not alive", []Heartbeat{hb("a", 3, 0, true)}, ""},
		{"earlier row wins", []Heartbeat{hb("b", 9, 0, false), hb("a", 4, 0, false)}, "a"},
		{"stale earlier row loses to a later alive one", []Heartbeat{hb("a", 4, time.Hour, false), hb("b", 9, 0, false)}, "b"},
		{"beat from a clock ahead counts", []Heartbeat{hb("a", 4, -5*time.Minute, false)}, "a"},
		{"record without a row is ignored", []Heartbeat{hb("a", 0, 0, false)}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := LockHolder(tt.beats, now, stale)
			if tt.want == "" {
				if ok {
					t.Fatalf("holder %q, want none", got.Instance)
				}
				return
			}
			if !ok || got.Instance != tt.want {
				t.Fatalf("holder %q (found %v), want %q", got.Instance, ok, tt.want)
			}
		})
	}
}
