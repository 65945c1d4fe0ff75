package fake_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"testing"
)

// TestGzipOnlyWhenAskedAsGoogleDocuments: a response is gzip-compressed
// when the request both accepts gzip and names gzip in its User-Agent
// (Google's "Improve performance" guides), and only then; the body is
// the same JSON either way, and Bytes counts what was sent.
func TestGzipOnlyWhenAskedAsGoogleDocuments(t *testing.T) {
	b := setup(t)
	id, err := b.srv.SeedSpreadsheet("Pelacak", "Konsultasi")
	if err != nil {
		t.Fatal(err)
	}
	const get = "sheets.spreadsheets.get"
	var plain []byte
	for _, tc := range []struct {
		name, accept, agent string
		gzip                bool
	}{
		{"neither", "identity", "kopi/test", false},
		{"Accept-Encoding alone", "gzip", "kopi/test", false},
		{"User-Agent alone", "identity", "kopi/test (gzip)", false},
		{"both", "gzip", "kopi/test (gzip)", true},
	} {
		b.srv.ResetCalls()
		req, _ := http.NewRequest("GET", b.srv.URL()+"/v4/spreadsheets/"+id+"?includeGridData=true", nil)
		req.Header.Set("Accept-Encoding", tc.accept)
		req.Header.Set("User-Agent", tc.agent)
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		wire, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s: status %d, %v", tc.name, resp.StatusCode, err)
		}
		if got := resp.Header.Get("Content-Encoding") == "gzip"; got != tc.gzip {
			t.Fatalf("%s: gzip-encoded %v, want %v", tc.name, got, tc.gzip)
		}
		if n := b.srv.Bytes()[get]; n != int64(len(wire)) {
			t.Errorf("%s: Bytes counts %d, %d were sent", tc.name, n, len(wire))
		}
		body := wire
		if tc.gzip {
			zr, err := gzip.NewReader(bytes.NewReader(wire))
			if err != nil {
				t.Fatal(err)
			}
			if body, err = io.ReadAll(zr); err != nil {
				t.Fatal(err)
			}
		}
		if !json.Valid(body) {
			t.Fatalf("%s: body is not JSON: %.80q", tc.name, body)
		}
		if plain == nil {
			plain = body
		} else if string(body) != string(plain) {
			t.Errorf("%s: body differs from the uncompressed one", tc.name)
		}
	}
}
