package google_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"testing"

	"kopi/google"
	"kopi/google/fake"
	"kopi/rules"
)

// TestReadDecodesAsTheClient: Read, which decodes the response body
// itself, returns the tables the official client's decoding returns —
// for a tracker with staff-typed dates, numbers, booleans, formulas and
// long texts —, and a failed attempt (a 503, a connection closed after
// the read was served) is retried to the same tables; a missing tab is
// still named.
func TestReadDecodesAsTheClient(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	id, err := google.CreateSpreadsheet(ctx, b.svc.Sheets, b.r, "KOPI", "Asia/Jakarta")
	if err != nil {
		t.Fatal(err)
	}
	sh := google.NewSheets(b.svc.Sheets, b.r, id)
	cfg := rules.DefaultConfig()
	tr := google.NewTracker(sh, cfg)
	if _, err := sh.Ensure(ctx, tr.Schemas(), nil); err != nil {
		t.Fatal(err)
	}
	long := make([]byte, 49000)
	for i := range long {
		long[i] = 'a' + byte(i%26)
	}
	for _, w := range []struct {
		a1   string
		rows [][]any
		user bool
	}{
		{"'Konsultasi'!A2:H3", [][]any{{"KOPI-2026-0001", "2026-03-02 09:15", "Ani \"Lestari\"", "Desa\nSukamaju", "ani@x.go.id", "0812", "=1+1", "Pertanyaan ✓ \u202e"}, {"KOPI-2026-0002", 46083.5, true, 12.5, "", "", "", string(long)}}, true},
		{"'Konsultasi'!P2:P3", [][]any{{"=IMPORTDATA(\"x\")"}, {"Jawaban"}}, false},
		{"'Konsuler'!A2:C2", [][]any{{"Budi", "budi@x.go.id", "2026-03-18"}}, true},
	} {
		if err := b.srv.SetValues(id, w.a1, w.rows, w.user); err != nil {
			t.Fatal(err)
		}
	}
	schemas := []google.TabSchema{tr.Schemas()[0], google.RosterTab, google.StateTab, google.OverflowTab}
	want, err := sh.ReadByClient(ctx, schemas...)
	if err != nil {
		t.Fatal(err)
	}
	got, err := sh.Read(ctx, schemas...)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		for title := range want {
			if !reflect.DeepEqual(got[title], want[title]) {
				t.Errorf("tab %q read as\n%+v\nthe client decodes\n%+v", title, got[title], want[title])
			}
		}
	}
	if c := want["Konsultasi"].Rows[0].Get(string(rules.CFName)); c != "Ani \"Lestari\"" {
		t.Fatalf("name cell %q: the test's tracker was not written", c)
	}
	const get = "sheets.spreadsheets.get"
	b.fault(t, fake.Fault{Method: get, Status: 503}, fake.Fault{Method: get, DropAfterHandling: true})
	again, err := sh.Read(ctx, schemas...)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again, want) {
		t.Errorf("read after a 503 and a lost answer differs from the client's decoding")
	}
	_, err = sh.Read(ctx, google.TabSchema{Title: "Tidak Ada"})
	var missing *google.ErrTabMissing
	if !errors.As(err, &missing) || missing.Title != "Tidak Ada" {
		t.Fatalf("read of a missing tab: %v, want ErrTabMissing", err)
	}
}

// countingBody counts the bytes a client reads of response bodies.
type countingBody struct {
	base http.RoundTripper
	n    *int64
}

func (c countingBody) RoundTrip(r *http.Request) (*http.Response, error) {
	res, err := c.base.RoundTrip(r)
	if err == nil {
		b, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			return nil, err
		}
		*c.n += int64(len(b))
		res.Body = io.NopCloser(bytes.NewReader(b))
	}
	return res, err
}

// TestReadAsksForGzip: kopi's clients ask Google for gzip-compressed
// responses as its guides document (Accept-Encoding from Go's transport,
// "gzip" in the User-Agent), so the cycle's read of a tracker comes
// compressed — a small part of the JSON it decodes — and reads the same.
func TestReadAsksForGzip(t *testing.T) {
	srv := newFake(t)
	ctx := context.Background()
	var decoded int64
	svc, err := google.NewServices(ctx, google.Options{Endpoint: srv.URL(), UserAgent: "kopi/test",
		HTTPClient: &http.Client{Transport: countingBody{base: srv.HTTPClient().Transport, n: &decoded}}})
	if err != nil {
		t.Fatal(err)
	}
	id, err := google.CreateSpreadsheet(ctx, svc.Sheets, nil, "KOPI", "Asia/Jakarta")
	if err != nil {
		t.Fatal(err)
	}
	sh := google.NewSheets(svc.Sheets, nil, id)
	tr := google.NewTracker(sh, rules.DefaultConfig())
	if _, err := sh.Ensure(ctx, tr.Schemas(), nil); err != nil {
		t.Fatal(err)
	}
	var rows [][]any
	for i := range 300 {
		rows = append(rows, []any{fmt.Sprintf("KOPI-2026-%04d", i+1), "2026-03-02 09:15", "Pemohon", "Pemerintah Desa Sukamaju", "Pertanyaan tentang tindak lanjut rekomendasi"})
	}
	if err := srv.SetValues(id, "'Konsultasi'!A2:E301", rows, false); err != nil {
		t.Fatal(err)
	}
	schemas := []google.TabSchema{tr.Schemas()[0], google.StateTab}
	want, err := sh.ReadByClient(ctx, schemas...)
	if err != nil {
		t.Fatal(err)
	}
	srv.ResetCalls()
	decoded = 0
	got, err := sh.Read(ctx, schemas...)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) || len(got["Konsultasi"].Rows) != 300 {
		t.Fatalf("the compressed read differs from the client's decoding")
	}
	sent := srv.Bytes()["sheets.spreadsheets.get"]
	if sent == 0 || sent*5 > decoded {
		t.Fatalf("read sent %d bytes for %d bytes of JSON, want gzip (under a fifth)", sent, decoded)
	}
	t.Logf("read: %d bytes of JSON, %d sent", decoded, sent)
}
