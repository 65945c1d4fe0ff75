package google_test

import (
	"context"
	"errors"
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
