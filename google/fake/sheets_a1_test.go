package fake_test

import (
	"testing"

	"google.golang.org/api/sheets/v4"
)

// newSpreadsheet creates a spreadsheet with the given tab titles (none:
// Google's default "Sheet1") through the official client.
func newSpreadsheet(t *testing.T, b *bundle, titles ...string) *sheets.Spreadsheet {
	t.Helper()
	req := &sheets.Spreadsheet{Properties: &sheets.SpreadsheetProperties{Title: "Tracker"}}
	for _, title := range titles {
		req.Sheets = append(req.Sheets, &sheets.Sheet{Properties: &sheets.SheetProperties{Title: title}})
	}
	ss, err := b.sheets.Spreadsheets.Create(req).Do()
	if err != nil {
		t.Fatalf("create spreadsheet: %v", err)
	}
	return ss
}

func TestValuesGetNormalisesA1(t *testing.T) {
	b := setup(t)
	ss := newSpreadsheet(t, b, "Sheet1", "My Tab", "It's")
	if _, err := b.sheets.Spreadsheets.Values.Update(ss.SpreadsheetId, "'My Tab'!A1",
		&sheets.ValueRange{Values: [][]any{{"x"}}}).ValueInputOption("RAW").Do(); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ in, want string }{
		{"Sheet1!A1:B2", "Sheet1!A1:B2"},
		{"a1:b2", "Sheet1!A1:B2"},
		{"'My Tab'!A:C", "'My Tab'!A1:C1000"},
		{"My Tab!A1", "'My Tab'!A1"},
		{"'It''s'!B3", "'It''s'!B3"},
		{"A2:C", "Sheet1!A2:C1000"},
		{"2:5", "Sheet1!A2:Z5"},
		{"Sheet1", "Sheet1!A1:Z1000"},
		{"'My Tab'", "'My Tab'!A1:Z1000"},
		{"Sheet1!A990:B2000", "Sheet1!A990:B1000"}, // reads are clipped to the grid
	}
	for _, tc := range tests {
		vr, err := b.sheets.Spreadsheets.Values.Get(ss.SpreadsheetId, tc.in).Do()
		if err != nil {
			t.Errorf("get %q: %v", tc.in, err)
			continue
		}
		if vr.Range != tc.want || vr.MajorDimension != "ROWS" {
			t.Errorf("get %q: range %q major %q, want %q ROWS", tc.in, vr.Range, vr.MajorDimension, tc.want)
		}
	}
	vr, err := b.sheets.Spreadsheets.Values.Get(ss.SpreadsheetId, "'my tab'!A1").Do()
	if err != nil || len(vr.Values) != 1 || vr.Values[0][0] != "x" {
		t.Fatalf("case-insensitive sheet name: %+v, %v", vr, err)
	}
}

func TestValuesGetBadRange(t *testing.T) {
	b := setup(t)
	ss := newSpreadsheet(t, b)
	for _, r := range []string{"Nope!A1", "'Nope'!A:C", "A1:", "1A", "ABCD1"} {
		_, err := b.sheets.Spreadsheets.Values.Get(ss.SpreadsheetId, r).Do()
		assertCode(t, err, 400)
		assertValuesMessage(t, err, "Unable to parse range: "+r)
	}
	// A range starting outside the grid cannot be read.
	_, err := b.sheets.Spreadsheets.Values.Get(ss.SpreadsheetId, "Sheet1!A1001:B1002").Do()
	assertCode(t, err, 400)
}

func TestValuesUnknownSpreadsheetIs404(t *testing.T) {
	b := setup(t)
	_, err := b.sheets.Spreadsheets.Values.Get("nope", "A1").Do()
	assertCode(t, err, 404)
	_, err = b.sheets.Spreadsheets.Values.Update("nope", "A1", &sheets.ValueRange{Values: [][]any{{"x"}}}).ValueInputOption("RAW").Do()
	assertCode(t, err, 404)
	_, err = b.sheets.Spreadsheets.Values.Append("nope", "A1", &sheets.ValueRange{Values: [][]any{{"x"}}}).ValueInputOption("RAW").Do()
	assertCode(t, err, 404)
	_, err = b.sheets.Spreadsheets.Get("nope").Do()
	assertCode(t, err, 404)
}
