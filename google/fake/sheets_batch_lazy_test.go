package fake

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"google.golang.org/api/sheets/v4"
)

// TestLazyGridAnswersAsTheView: a commit's read-back encoded straight
// from the model (lazyGrids) is byte for byte the body the grid rendered
// as the API's types, encoded and trimmed to the mask gives — under
// kopi's layout mask and masks that select what the shortcut leaves out
// (effective and formatted values, locations, row sizes, everything),
// over plain text, escaped text, numbers, booleans, formulas, a
// formatted text cell, empty and trailing cells, rows with one anchor,
// two, or none, and a sized row.
func TestLazyGridAnswersAsTheView(t *testing.T) {
	srv, err := New(Options{NoListener: true})
	if err != nil {
		t.Fatal(err)
	}
	id, err := srv.SeedSpreadsheet("Pelacak", "Konsultasi")
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.SetValues(id, "Konsultasi!A1:D7", [][]any{
		{"Nomor Tiket", "Nama", 3, "Catatan"},
		{"KOPI-2025-00001", "Budi \"B\" <&> é\n\t", true},
		{"KOPI-2025-00002", "", "", "akhir"},
		{"", "=1+2", 4.5},
		{},
		{"KOPI-2025-00003"},
		{"KOPI-2025-00004", "Sri \"S\" <&> é\n\t\u0001"},
	}, true); err != nil {
		t.Fatal(err)
	}
	meta := func(id int, key, value string, row int) string {
		return `{"createDeveloperMetadata":{"developerMetadata":{"metadataId":` + itoa(id) + `,"metadataKey":"` + key + `","metadataValue":"` + value + `","visibility":"DOCUMENT","location":{"dimensionRange":{"sheetId":0,"dimension":"ROWS","startIndex":` + itoa(row) + `,"endIndex":` + itoa(row+1) + `}}}}}`
	}
	reqs := []string{
		meta(9, "kopi.row", "KOPI-2025-00001", 1),
		meta(10, "kopi.row", "KOPI-2025-00002", 2),
		meta(11, "kopi.row", "KOPI-2025-00003", 2), // a second anchor on a row
		meta(12, "lain", `x\\\"y`, 5),
		`{"createDeveloperMetadata":{"developerMetadata":{"metadataId":13,"metadataKey":"kopi.kolom","metadataValue":"tiket","visibility":"DOCUMENT","location":{"dimensionRange":{"sheetId":0,"dimension":"COLUMNS","startIndex":0,"endIndex":1}}}}}`,
		`{"updateCells":{"start":{"sheetId":0,"rowIndex":2,"columnIndex":1},"rows":[{"values":[{"userEnteredValue":{"stringValue":"Sri"},"userEnteredFormat":{"numberFormat":{"type":"TEXT"}}}]}],"fields":"userEnteredValue,userEnteredFormat"}}`,
		`{"updateDimensionProperties":{"range":{"sheetId":0,"dimension":"ROWS","startIndex":3,"endIndex":4},"properties":{"pixelSize":40},"fields":"pixelSize"}}`,
	}
	masks := []string{
		"updatedSpreadsheet(sheets(data(startRow,startColumn,rowData(values(userEnteredValue,effectiveFormat/numberFormat/type)),rowMetadata(developerMetadata(metadataKey,metadataValue)),columnMetadata(developerMetadata(metadataKey,metadataValue)))))",
		"updatedSpreadsheet/sheets/data/rowData/values/userEnteredValue,updatedSpreadsheet/sheets/data/rowMetadata/developerMetadata/metadataValue",
		"updatedSpreadsheet(sheets(data(rowData(values(effectiveValue,formattedValue)),rowMetadata(developerMetadata))))",
		"updatedSpreadsheet(sheets(data(rowData,rowMetadata(developerMetadata(location,metadataValue)))))",
		"updatedSpreadsheet(sheets(data(rowData(values(userEnteredValue)),rowMetadata(pixelSize,developerMetadata(metadataId)))))",
		"updatedSpreadsheet(sheets(data(startRow,columnMetadata)))",
		"replies,updatedSpreadsheet(sheets(properties/title,data(rowData(values(*)),rowMetadata(developerMetadata(*)))))",
		"updatedSpreadsheet",
		"updatedSpreadsheet(sheets(data(rowData(values(formattedValue)),rowMetadata(*))))",
	}
	for _, ranges := range []string{`"Konsultasi!A1:D1","Konsultasi!A2:A"`, `"Konsultasi!B2:D7"`, ``} {
		body := `{"requests":[` + strings.Join(reqs, ",") + `],"includeSpreadsheetInResponse":true,"responseIncludeGridData":true,"responseRanges":[` + ranges + `]}`
		for _, fields := range masks {
			srv.mu.Lock()
			before := srv.sheets.byID[id]
			c := &call{id: "sheets.spreadsheets.batchUpdate", params: map[string]string{"spreadsheetId": id}, query: map[string][]string{"fields": {fields}}, body: []byte(body)}
			res, err := srv.sheetsBatchUpdate(c)
			after := srv.sheets.byID[id]
			srv.sheets.byID[id] = before // every mask answers the same commit
			srv.mu.Unlock()
			if err != nil {
				t.Fatalf("ranges %s: %v", ranges, err)
			}
			got := res.(batchEncoded)
			if got.grid == nil {
				t.Fatalf("ranges %s, fields %s: the grid was not encoded from the model", ranges, fields)
			}
			// The way before lazyGrids: the view as the API's types,
			// the response pruned and encoded, then trimmed.
			m, _ := parseFields(fields)
			_, gridData := m.child("updatedSpreadsheet", "sheets", "data")
			var rs []string
			if ranges != "" {
				rs = strings.Split(strings.ReplaceAll(ranges, `"`, ""), ",")
			}
			view, err := after.batchView(rs, gridData)
			if err != nil {
				t.Fatal(err)
			}
			full := &sheets.BatchUpdateSpreadsheetResponse{SpreadsheetId: id, Replies: got.Replies, UpdatedSpreadsheet: view}
			ref := batchEncoded{BatchUpdateSpreadsheetResponse: pruneUnselected(full, m).(*sheets.BatchUpdateSpreadsheetResponse)}
			want, err := encodeResponse(ref, fields)
			if err != nil {
				t.Fatal(err)
			}
			answered, err := encodeResponse(res, fields)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(answered, want) {
				t.Errorf("ranges %s, fields %s: answered\n%s\nthe view gives\n%s", ranges, fields, answered, want)
			}
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
