package fake

import (
	"context"
	"testing"
	"unsafe"

	"google.golang.org/api/option"
	"google.golang.org/api/sheets/v4"
)

// TestAppendInsertRowsMovesRowMetadata seeds row metadata straight into
// the model (no batchUpdate needed) and checks that values.append with
// INSERT_ROWS moves it with its row, and that spreadsheets.get reports it
// at the row's new index in data[].rowMetadata.
func TestAppendInsertRowsMovesRowMetadata(t *testing.T) {
	srv, err := New(Options{NoListener: true})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := sheets.NewService(context.Background(), option.WithEndpoint(srv.URL()+"/"), option.WithHTTPClient(srv.HTTPClient()))
	if err != nil {
		t.Fatal(err)
	}
	created, err := svc.Spreadsheets.Create(&sheets.Spreadsheet{}).Do()
	if err != nil {
		t.Fatal(err)
	}
	id := created.SpreadsheetId
	if err := srv.SetValues(id, "A1", [][]any{{"h"}, {"r1"}, {}, {"below"}}, false); err != nil {
		t.Fatal(err)
	}
	srv.mu.Lock()
	below := srv.sheets.byID[id].tabs[0].rows[3]
	below.meta = append(below.meta, &sheets.DeveloperMetadata{MetadataId: 7, MetadataKey: "row", Visibility: "DOCUMENT"})
	srv.mu.Unlock()

	if _, err := svc.Spreadsheets.Values.Append(id, "A1", &sheets.ValueRange{Values: [][]any{{"new1"}, {"new2"}}}).
		ValueInputOption("RAW").InsertDataOption("INSERT_ROWS").Do(); err != nil {
		t.Fatal(err)
	}
	got, err := svc.Spreadsheets.Get(id).Ranges("A4:A6").IncludeGridData(true).Do()
	if err != nil {
		t.Fatal(err)
	}
	gd := got.Sheets[0].Data[0]
	if len(gd.RowMetadata) != 3 || len(gd.RowMetadata[0].DeveloperMetadata) != 0 || len(gd.RowMetadata[2].DeveloperMetadata) != 1 {
		t.Fatalf("row metadata = %+v, want the metadata on row 6", gd.RowMetadata)
	}
	md := gd.RowMetadata[2].DeveloperMetadata[0]
	if md.MetadataId != 7 || md.Location.LocationType != "ROW" || md.Location.DimensionRange.StartIndex != 5 || md.Location.DimensionRange.EndIndex != 6 {
		t.Errorf("metadata = %+v at %+v", md, md.Location.DimensionRange)
	}
	if v := gd.RowData[2].Values[0].FormattedValue; v != "below" {
		t.Errorf("row 6 = %q, want the row that was below", v)
	}
}

// TestStoredCellIsTwoWords: a tracker's cells are a sixth of what the
// fake holds; a cell is kept in a pointer and a length.
func TestStoredCellIsTwoWords(t *testing.T) {
	if got := unsafe.Sizeof(storedCell{}); got != 2*unsafe.Sizeof(uintptr(0)) {
		t.Errorf("storedCell takes %d bytes, want two words", got)
	}
	cd := &sheets.CellData{Note: "catatan"}
	for _, c := range []struct {
		v    storedCell
		text string
		cd   *sheets.CellData
	}{{storedCell{}, "", nil}, {textCell(""), "", nil}, {textCell("KOPI-2025-00001"), "KOPI-2025-00001", nil}, {dataCell(cd), "", cd}} {
		if c.v.text() != c.text || c.v.data() != c.cd || c.v.empty() != (c.text == "" && c.cd == nil) {
			t.Errorf("stored %+v: text %q, data %p, empty %v; want %q, %p", c.v, c.v.text(), c.v.data(), c.v.empty(), c.text, c.cd)
		}
	}
}
