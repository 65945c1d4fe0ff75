package fake_test

import (
	"testing"

	"google.golang.org/api/sheets/v4"
)

// TestLocaleUserEnteredAndFormatted: the same typed text is parsed by the
// spreadsheet's locale (USER_ENTERED "as if the user typed them into the
// UI") and shown by it (FORMATTED_VALUE); serials do not depend on it.
func TestLocaleUserEnteredAndFormatted(t *testing.T) {
	const jan15 = 46037.0 // 2026-01-15: days since 1899-12-30
	type want struct {
		unformatted any    // UNFORMATTED_VALUE, SERIAL_NUMBER
		formatted   string // FORMATTED_VALUE
		numberType  string // userEnteredFormat.numberFormat.type, "" for none
	}
	cases := []struct {
		typed string
		en    want
		id    want
	}{
		{"1.234", want{1.234, "1.234", ""}, want{1234.0, "1234", ""}},
		{"1234,5", want{"1234,5", "1234,5", ""}, want{1234.5, "1234,5", ""}},
		{"1,234.5", want{1234.5, "1234.5", ""}, want{"1,234.5", "1,234.5", ""}},
		{"3", want{3.0, "3", ""}, want{3.0, "3", ""}},
		{"15/01/2026", want{"15/01/2026", "15/01/2026", ""}, want{jan15, "15/01/2026", "DATE"}},
		{"1/15/2026", want{jan15, "1/15/2026", "DATE"}, want{"1/15/2026", "1/15/2026", ""}},
		{"2026-01-15", want{jan15, "2026-01-15", "DATE"}, want{jan15, "2026-01-15", "DATE"}},
		{"16.00", want{16.0, "16", ""}, want{16.0 / 24, "16.00.00", "TIME"}},
		{"16:00", want{16.0 / 24, "16:00:00", "TIME"}, want{16.0 / 24, "16.00.00", "TIME"}},
		{"15/01/2026 16.30", want{"15/01/2026 16.30", "15/01/2026 16.30", ""}, want{jan15 + 16.5/24, "15/01/2026 16.30.00", "DATE_TIME"}},
		{"12,5%", want{"12,5%", "12,5%", ""}, want{0.125, "12,50%", "PERCENT"}},
	}
	for _, loc := range []string{"en_US", "id_ID"} {
		t.Run(loc, func(t *testing.T) {
			b := setup(t)
			ss, err := b.sheets.Spreadsheets.Create(&sheets.Spreadsheet{Properties: &sheets.SpreadsheetProperties{Title: "t", Locale: loc}}).Do()
			if err != nil {
				t.Fatal(err)
			}
			if ss.Properties.Locale != loc {
				t.Fatalf("locale = %q, want %q", ss.Properties.Locale, loc)
			}
			var typed []any
			for _, c := range cases {
				typed = append(typed, c.typed)
			}
			if _, err := b.sheets.Spreadsheets.Values.Update(ss.SpreadsheetId, "A1", &sheets.ValueRange{MajorDimension: "COLUMNS", Values: [][]any{typed}}).ValueInputOption("USER_ENTERED").Do(); err != nil {
				t.Fatal(err)
			}
			raw, err := b.sheets.Spreadsheets.Values.Get(ss.SpreadsheetId, "A1:A").ValueRenderOption("UNFORMATTED_VALUE").Do()
			if err != nil {
				t.Fatal(err)
			}
			shown, err := b.sheets.Spreadsheets.Values.Get(ss.SpreadsheetId, "A1:A").Do()
			if err != nil {
				t.Fatal(err)
			}
			grid, err := b.sheets.Spreadsheets.Get(ss.SpreadsheetId).Ranges("A1:A").IncludeGridData(true).
				Fields("sheets(data(rowData(values(userEnteredFormat/numberFormat,effectiveFormat/numberFormat))))").Do()
			if err != nil {
				t.Fatal(err)
			}
			rows := grid.Sheets[0].Data[0].RowData
			for i, c := range cases {
				w := c.en
				if loc == "id_ID" {
					w = c.id
				}
				got := raw.Values[i][0]
				if f, ok := got.(float64); ok {
					if wf, ok := w.unformatted.(float64); !ok || f-wf > 1e-9 || wf-f > 1e-9 {
						t.Errorf("%q unformatted = %v, want %v", c.typed, got, w.unformatted)
					}
				} else if got != w.unformatted {
					t.Errorf("%q unformatted = %#v, want %#v", c.typed, got, w.unformatted)
				}
				if s := shown.Values[i][0]; s != w.formatted {
					t.Errorf("%q formatted = %q, want %q", c.typed, s, w.formatted)
				}
				typ := ""
				if i < len(rows) && len(rows[i].Values) > 0 {
					if v := rows[i].Values[0]; v.EffectiveFormat != nil && v.EffectiveFormat.NumberFormat != nil {
						typ = v.EffectiveFormat.NumberFormat.Type
					}
				}
				if typ != w.numberType {
					t.Errorf("%q effectiveFormat.numberFormat.type = %q, want %q", c.typed, typ, w.numberType)
				}
			}
		})
	}
}

// TestLocaleChangedByUpdateSpreadsheetProperties: a locale change applies
// to what is typed next and to how stored numbers are shown.
func TestLocaleChangedByUpdateSpreadsheetProperties(t *testing.T) {
	b := setup(t)
	ss, err := b.sheets.Spreadsheets.Create(&sheets.Spreadsheet{Properties: &sheets.SpreadsheetProperties{Title: "t"}}).Do()
	if err != nil {
		t.Fatal(err)
	}
	if ss.Properties.Locale != "en_US" {
		t.Fatalf("default locale = %q, want en_US", ss.Properties.Locale)
	}
	put := func(a1, v string) {
		t.Helper()
		if _, err := b.sheets.Spreadsheets.Values.Update(ss.SpreadsheetId, a1, &sheets.ValueRange{Values: [][]any{{v}}}).ValueInputOption("USER_ENTERED").Do(); err != nil {
			t.Fatal(err)
		}
	}
	put("A1", "1234.5")
	if _, err := b.sheets.Spreadsheets.BatchUpdate(ss.SpreadsheetId, &sheets.BatchUpdateSpreadsheetRequest{Requests: []*sheets.Request{{
		UpdateSpreadsheetProperties: &sheets.UpdateSpreadsheetPropertiesRequest{Properties: &sheets.SpreadsheetProperties{Locale: "id_ID"}, Fields: "locale"},
	}}}).Do(); err != nil {
		t.Fatal(err)
	}
	put("A2", "1.234")
	got, err := b.sheets.Spreadsheets.Values.Get(ss.SpreadsheetId, "A1:A2").Do()
	if err != nil {
		t.Fatal(err)
	}
	if a1, a2 := got.Values[0][0], got.Values[1][0]; a1 != "1234,5" || a2 != "1234" {
		t.Errorf("after id_ID: A1 = %q, A2 = %q; want \"1234,5\" and \"1234\"", a1, a2)
	}
}
