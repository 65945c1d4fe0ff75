package google

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestJSONStringBytes: the size estimate counts a string exactly as
// encoding/json (the official client's encoder) writes it.
func TestJSONStringBytes(t *testing.T) {
	for _, s := range []string{
		"", "plain ascii", "Apakah <belanja> & modal?", "quote \" and \\ backslash",
		"lines\nand\ttabs\r", "\x00\x01\x1f control", "bahasa — “kutip” 😀", "sep\u2028\u2029",
		"invalid \xff\xfe bytes", strings.Repeat("<&>", 1000),
	} {
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := jsonStringBytes(s), len(b)-2; got != want {
			t.Errorf("jsonStringBytes(%q) = %d, encoding/json writes %d", s, got, want)
		}
	}
}
