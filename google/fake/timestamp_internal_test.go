package fake

import (
	"testing"
	"time"
)

// TestFormTimeUses0369Digits: response timestamps follow the JSON
// mapping of google.protobuf.Timestamp — Z-normalized, 0, 3, 6 or 9
// fractional digits, never another count.
func TestFormTimeUses0369Digits(t *testing.T) {
	base := time.Date(2026, 1, 2, 10, 4, 5, 0, time.FixedZone("WIB", 7*3600))
	cases := []struct {
		offset time.Duration
		want   string
	}{
		{0, "2026-01-02T03:04:05Z"},
		{500 * time.Millisecond, "2026-01-02T03:04:05.500Z"},
		{1500 * time.Microsecond, "2026-01-02T03:04:05.001500Z"},
		{1500 * time.Nanosecond, "2026-01-02T03:04:05.000001500Z"},
		{123456789 * time.Nanosecond, "2026-01-02T03:04:05.123456789Z"},
	}
	for _, c := range cases {
		if got := formTime(base.Add(c.offset)); got != c.want {
			t.Errorf("offset %v: %q, want %q", c.offset, got, c.want)
		}
	}
}
