package fake_test

import (
	"strings"
	"testing"

	"google.golang.org/api/sheets/v4"
)

// TestCopyPaste: copyPaste copies cells across tabs — values, formats
// and notes with PASTE_NORMAL, values only with PASTE_VALUES — reads the
// source before writing (overlap), copies no row metadata, and refuses a
// paste that leaves the grid.
func TestCopyPaste(t *testing.T) {
	b := setup(t)
	id := seed(t, b, "Hidup", "Arsip")
	ss, err := b.sheets.Spreadsheets.Get(id).Do()
	if err != nil {
		t.Fatal(err)
	}
	live, arch := ss.Sheets[0].Properties.SheetId, ss.Sheets[1].Properties.SheetId
	bold := strCell("KOPI-2026-0001")
	bold.UserEnteredFormat = &sheets.CellFormat{TextFormat: &sheets.TextFormat{Bold: true}}
	bold.Note = "catatan staf"
	mustBatch(t, b, id,
		&sheets.Request{UpdateCells: &sheets.UpdateCellsRequest{
			Start:  &sheets.GridCoordinate{SheetId: live, RowIndex: 1},
			Rows:   []*sheets.RowData{{Values: []*sheets.CellData{bold, {UserEnteredValue: &sheets.ExtendedValue{FormulaValue: str("=SUM(1,2)")}}}}, {Values: []*sheets.CellData{strCell("b")}}},
			Fields: "userEnteredValue,userEnteredFormat,note",
		}},
		&sheets.Request{CreateDeveloperMetadata: &sheets.CreateDeveloperMetadataRequest{DeveloperMetadata: &sheets.DeveloperMetadata{
			MetadataId: 7, MetadataKey: "kopi.baris", MetadataValue: "KOPI-2026-0001", Visibility: "DOCUMENT",
			Location: &sheets.DeveloperMetadataLocation{DimensionRange: &sheets.DimensionRange{SheetId: live, Dimension: "ROWS", StartIndex: 1, EndIndex: 2}},
		}}},
	)
	mustBatch(t, b, id, &sheets.Request{CopyPaste: &sheets.CopyPasteRequest{
		Source:      &sheets.GridRange{SheetId: live, StartRowIndex: 1, EndRowIndex: 3, StartColumnIndex: 0, EndColumnIndex: 2},
		Destination: &sheets.GridRange{SheetId: arch, StartRowIndex: 4, EndRowIndex: 6, StartColumnIndex: 0, EndColumnIndex: 2},
		PasteType:   "PASTE_NORMAL",
	}})
	got, err := b.sheets.Spreadsheets.Get(id).Ranges("Arsip!A5:B6").IncludeGridData(true).
		Fields("sheets(data(rowData(values(userEnteredValue,userEnteredFormat/textFormat/bold,note)),rowMetadata(developerMetadata)))").Do()
	if err != nil {
		t.Fatal(err)
	}
	rd := got.Sheets[0].Data[0].RowData
	c := rd[0].Values[0]
	if c.UserEnteredValue == nil || *c.UserEnteredValue.StringValue != "KOPI-2026-0001" || c.Note != "catatan staf" ||
		c.UserEnteredFormat == nil || !c.UserEnteredFormat.TextFormat.Bold {
		t.Errorf("copied cell = %+v", c)
	}
	if f := rd[0].Values[1].UserEnteredValue; f == nil || f.FormulaValue == nil || !strings.HasPrefix(*f.FormulaValue, "=SUM") {
		t.Errorf("formula not copied as a formula: %+v", f)
	}
	if v := rd[1].Values[0].UserEnteredValue; v == nil || *v.StringValue != "b" {
		t.Errorf("second row = %+v", v)
	}
	for _, m := range got.Sheets[0].Data[0].RowMetadata {
		if len(m.DeveloperMetadata) > 0 {
			t.Errorf("row metadata was copied: %+v", m.DeveloperMetadata)
		}
	}

	// PASTE_VALUES keeps the destination's format.
	mustBatch(t, b, id, &sheets.Request{CopyPaste: &sheets.CopyPasteRequest{
		Source:      &sheets.GridRange{SheetId: live, StartRowIndex: 2, EndRowIndex: 3, StartColumnIndex: 0, EndColumnIndex: 1},
		Destination: &sheets.GridRange{SheetId: arch, StartRowIndex: 4, EndRowIndex: 5, StartColumnIndex: 0, EndColumnIndex: 1},
		PasteType:   "PASTE_VALUES",
	}})
	got, err = b.sheets.Spreadsheets.Get(id).Ranges("Arsip!A5").IncludeGridData(true).
		Fields("sheets(data(rowData(values(userEnteredValue,userEnteredFormat/textFormat/bold))))").Do()
	if err != nil {
		t.Fatal(err)
	}
	c = got.Sheets[0].Data[0].RowData[0].Values[0]
	if *c.UserEnteredValue.StringValue != "b" || c.UserEnteredFormat == nil || !c.UserEnteredFormat.TextFormat.Bold {
		t.Errorf("PASTE_VALUES cell = %+v", c)
	}

	// PASTE_VALUES pastes a formula's value, not the formula ("Paste
	// the values ONLY without formats, formulas, or merges").
	mustBatch(t, b, id, &sheets.Request{CopyPaste: &sheets.CopyPasteRequest{
		Source:      &sheets.GridRange{SheetId: live, StartRowIndex: 1, EndRowIndex: 2, StartColumnIndex: 1, EndColumnIndex: 2},
		Destination: &sheets.GridRange{SheetId: arch, StartRowIndex: 7, EndRowIndex: 8, StartColumnIndex: 0, EndColumnIndex: 1},
		PasteType:   "PASTE_VALUES",
	}})
	got, err = b.sheets.Spreadsheets.Get(id).Ranges("Arsip!A8").IncludeGridData(true).
		Fields("sheets(data(rowData(values(userEnteredValue))))").Do()
	if err != nil {
		t.Fatal(err)
	}
	if v := got.Sheets[0].Data[0].RowData[0].Values[0].UserEnteredValue; v == nil || v.FormulaValue != nil || v.NumberValue == nil || *v.NumberValue != 3 {
		t.Errorf("PASTE_VALUES of =SUM(1,2) = %+v, want the number 3", v)
	}

	// Overlapping source and destination: the source as it was.
	mustBatch(t, b, id, &sheets.Request{CopyPaste: &sheets.CopyPasteRequest{
		Source:      &sheets.GridRange{SheetId: live, StartRowIndex: 1, EndRowIndex: 3, StartColumnIndex: 0, EndColumnIndex: 1},
		Destination: &sheets.GridRange{SheetId: live, StartRowIndex: 2, EndRowIndex: 4, StartColumnIndex: 0, EndColumnIndex: 1},
	}})
	vals, err := b.srv.SpreadsheetValues(id, "Hidup")
	if err != nil {
		t.Fatal(err)
	}
	if vals[2][0] != "KOPI-2026-0001" || vals[3][0] != "b" {
		t.Errorf("overlapping paste: %q", vals)
	}

	// Beyond the grid: refused, nothing applied.
	_, err = batch(b, id, &sheets.Request{CopyPaste: &sheets.CopyPasteRequest{
		Source:      &sheets.GridRange{SheetId: live, StartRowIndex: 1, EndRowIndex: 3},
		Destination: &sheets.GridRange{SheetId: arch, StartRowIndex: ss.Sheets[1].Properties.GridProperties.RowCount - 1, EndRowIndex: ss.Sheets[1].Properties.GridProperties.RowCount},
	}})
	if err == nil || !strings.Contains(err.Error(), "exceeds grid limits") {
		t.Errorf("paste beyond the grid: %v", err)
	}
}
