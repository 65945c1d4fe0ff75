package fake_test

import (
	"testing"

	"google.golang.org/api/sheets/v4"
)

// TestPartialResponseFields: the fields parameter trims responses as
// Google's partial-response syntax says (nesting, "/" paths, lists).
func TestPartialResponseFields(t *testing.T) {
	b := setup(t)
	ss, err := b.sheets.Spreadsheets.Create(&sheets.Spreadsheet{
		Properties: &sheets.SpreadsheetProperties{Title: "Uji"},
		Sheets:     []*sheets.Sheet{{Properties: &sheets.SheetProperties{Title: "A"}}, {Properties: &sheets.SheetProperties{Title: "B"}}},
	}).Do()
	if err != nil {
		t.Fatal(err)
	}
	got, err := b.sheets.Spreadsheets.Get(ss.SpreadsheetId).Fields("sheets(properties(title)),properties/title").Do()
	if err != nil {
		t.Fatal(err)
	}
	if got.SpreadsheetId != "" || got.SpreadsheetUrl != "" {
		t.Errorf("unselected fields returned: id %q url %q", got.SpreadsheetId, got.SpreadsheetUrl)
	}
	if got.Properties == nil || got.Properties.Title != "Uji" || got.Properties.Locale != "" {
		t.Errorf("properties = %+v", got.Properties)
	}
	if len(got.Sheets) != 2 || got.Sheets[1].Properties.Title != "B" || got.Sheets[1].Properties.GridProperties != nil {
		t.Errorf("sheets = %+v", got.Sheets)
	}
	if _, err := b.sheets.Spreadsheets.Get(ss.SpreadsheetId).Fields("sheets(properties").Do(); err == nil {
		t.Error("a malformed selection was accepted")
	}
}
