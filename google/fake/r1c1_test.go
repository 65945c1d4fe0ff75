package fake_test

import (
	"testing"

	"google.golang.org/api/sheets/v4"
)

// TestValuesInR1C1Notation: the Sheets API takes ranges in A1 or R1C1
// notation; "R2C2:R3C3" is B2:C3, a cell alone is one cell, and a
// relative reference (no current cell in the API) is refused.
func TestValuesInR1C1Notation(t *testing.T) {
	b := setup(t)
	ss, err := b.sheets.Spreadsheets.Create(&sheets.Spreadsheet{Properties: &sheets.SpreadsheetProperties{Title: "R1C1"}}).Do()
	if err != nil {
		t.Fatal(err)
	}
	id := ss.SpreadsheetId
	if _, err := b.sheets.Spreadsheets.Values.Update(id, "Sheet1!R2C2:R3C3", &sheets.ValueRange{Values: [][]any{{"a", "b"}, {"c", "d"}}}).ValueInputOption("RAW").Do(); err != nil {
		t.Fatalf("write R1C1: %v", err)
	}
	got, err := b.sheets.Spreadsheets.Values.Get(id, "Sheet1!B2:C3").Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Values) != 2 || got.Values[0][0] != "a" || got.Values[1][1] != "d" {
		t.Fatalf("B2:C3 = %v", got.Values)
	}
	one, err := b.sheets.Spreadsheets.Values.Get(id, "r3c2").Do()
	if err != nil || len(one.Values) != 1 || one.Values[0][0] != "c" {
		t.Fatalf("r3c2 = %v, %v", one, err)
	}
	if one.Range != "Sheet1!B3" {
		t.Errorf("range echoed as %q, want A1 Sheet1!B3", one.Range)
	}
	if _, err := b.sheets.Spreadsheets.Values.Get(id, "Sheet1!R[1]C[1]").Do(); err == nil {
		t.Error("a relative R1C1 reference was accepted")
	}
}
