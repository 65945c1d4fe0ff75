package fake_test

import (
	"errors"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"google.golang.org/api/googleapi"
	"google.golang.org/api/sheets/v4"

	"kopi/google/fake"
)

func assertValuesMessage(t *testing.T, err error, want string) {
	t.Helper()
	var ge *googleapi.Error
	if !errors.As(err, &ge) || !strings.Contains(ge.Message, want) {
		t.Fatalf("err = %v, want message containing %q", err, want)
	}
}

func update(t *testing.T, b *bundle, id, a1, input string, values [][]any) *sheets.UpdateValuesResponse {
	t.Helper()
	res, err := b.sheets.Spreadsheets.Values.Update(id, a1, &sheets.ValueRange{Values: values}).ValueInputOption(input).Do()
	if err != nil {
		t.Fatalf("update %s: %v", a1, err)
	}
	return res
}

func getValues(t *testing.T, b *bundle, id, a1 string) [][]any {
	t.Helper()
	vr, err := b.sheets.Spreadsheets.Values.Get(id, a1).Do()
	if err != nil {
		t.Fatalf("get %s: %v", a1, err)
	}
	return vr.Values
}

func TestCreateSpreadsheetDefaults(t *testing.T) {
	b := setup(t)
	ss, err := b.sheets.Spreadsheets.Create(&sheets.Spreadsheet{}).Do()
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[A-Za-z0-9_-]{44}$`).MatchString(ss.SpreadsheetId) {
		t.Errorf("spreadsheetId = %q, want 44 base64url characters", ss.SpreadsheetId)
	}
	if ss.SpreadsheetUrl != "https://docs.google.com/spreadsheets/d/"+ss.SpreadsheetId+"/edit" {
		t.Errorf("spreadsheetUrl = %q", ss.SpreadsheetUrl)
	}
	if ss.Properties.Title != "Untitled spreadsheet" || ss.Properties.Locale != "en_US" {
		t.Errorf("properties = %+v", ss.Properties)
	}
	if len(ss.Sheets) != 1 {
		t.Fatalf("sheets = %d, want 1", len(ss.Sheets))
	}
	p := ss.Sheets[0].Properties
	if p.Title != "Sheet1" || p.SheetId != 0 || p.Index != 0 || p.SheetType != "GRID" ||
		p.GridProperties.RowCount != 1000 || p.GridProperties.ColumnCount != 26 {
		t.Errorf("default sheet = %+v grid %+v", p, p.GridProperties)
	}
}

func TestCreateSpreadsheetWithSheets(t *testing.T) {
	b := setup(t)
	req := &sheets.Spreadsheet{
		Properties: &sheets.SpreadsheetProperties{Title: "KOPI", Locale: "id_ID", TimeZone: "Asia/Jakarta"},
		Sheets: []*sheets.Sheet{
			{Properties: &sheets.SheetProperties{Title: "Konsultasi", SheetId: 0, ForceSendFields: []string{"SheetId"}}},
			{Properties: &sheets.SheetProperties{Title: "Konsuler", SheetId: 42,
				GridProperties: &sheets.GridProperties{RowCount: 10, ColumnCount: 5}}},
			{Properties: &sheets.SheetProperties{Title: "Laporan"}},
			{
				Properties: &sheets.SheetProperties{Title: "Seeded"},
				Data: []*sheets.GridData{{StartRow: 1, StartColumn: 1, RowData: []*sheets.RowData{{Values: []*sheets.CellData{
					{UserEnteredValue: &sheets.ExtendedValue{StringValue: ptr("hello")}},
					{UserEnteredValue: &sheets.ExtendedValue{FormulaValue: ptr("=2*21")}},
				}}}}},
			},
		},
	}
	ss, err := b.sheets.Spreadsheets.Create(req).Do()
	if err != nil {
		t.Fatal(err)
	}
	if ss.Properties.Title != "KOPI" || ss.Properties.Locale != "id_ID" || ss.Properties.TimeZone != "Asia/Jakarta" {
		t.Errorf("properties = %+v", ss.Properties)
	}
	ids := map[string]int64{}
	for i, sh := range ss.Sheets {
		ids[sh.Properties.Title] = sh.Properties.SheetId
		if sh.Properties.Index != int64(i) {
			t.Errorf("%s index = %d, want %d", sh.Properties.Title, sh.Properties.Index, i)
		}
	}
	if ids["Konsultasi"] != 0 || ids["Konsuler"] != 42 {
		t.Errorf("explicit sheet ids = %v", ids)
	}
	if ids["Laporan"] <= 0 || ids["Laporan"] == 42 || ids["Seeded"] <= 0 || ids["Seeded"] == ids["Laporan"] {
		t.Errorf("generated sheet ids = %v, want distinct positive ids", ids)
	}
	if gp := ss.Sheets[1].Properties.GridProperties; gp.RowCount != 10 || gp.ColumnCount != 5 {
		t.Errorf("Konsuler grid = %+v", gp)
	}
	got := getValues(t, b, ss.SpreadsheetId, "Seeded!A1:C2")
	if want := [][]any{{}, {"", "hello", "42"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("seeded data = %#v, want %#v", got, want)
	}

	for name, sheetsReq := range map[string][]*sheets.Sheet{
		"duplicate title": {{Properties: &sheets.SheetProperties{Title: "A"}}, {Properties: &sheets.SheetProperties{Title: "a"}}},
		"duplicate id":    {{Properties: &sheets.SheetProperties{Title: "A", SheetId: 7}}, {Properties: &sheets.SheetProperties{Title: "B", SheetId: 7}}},
	} {
		_, err := b.sheets.Spreadsheets.Create(&sheets.Spreadsheet{Sheets: sheetsReq}).Do()
		if err == nil {
			t.Errorf("%s: created", name)
			continue
		}
		assertCode(t, err, 400)
	}
}

func ptr[T any](v T) *T { return &v }

// TestValueInputOption pins how RAW and USER_ENTERED store typed text:
// invariant 4 of the SPEC (input stays inert) is tested against this.
func TestValueInputOption(t *testing.T) {
	b := setup(t)
	ss := newSpreadsheet(t, b)
	id := ss.SpreadsheetId
	inputs := []any{"=1+1", `=IMPORTDATA("http://x")`, "+62812", "0012", "@SUM(A1)", "'quoted", "TRUE", "12%", "+62 812-3456", "hello", 7.5, true}
	update(t, b, id, "A1", "RAW", [][]any{inputs})
	update(t, b, id, "A2", "USER_ENTERED", [][]any{inputs})
	type stored struct {
		kind  string // stringValue, numberValue, boolValue, formulaValue
		value any
		shown string // FORMATTED_VALUE
	}
	want := map[string][]stored{
		"RAW": {
			{"stringValue", "=1+1", "=1+1"},
			{"stringValue", `=IMPORTDATA("http://x")`, `=IMPORTDATA("http://x")`},
			{"stringValue", "+62812", "+62812"},
			{"stringValue", "0012", "0012"},
			{"stringValue", "@SUM(A1)", "@SUM(A1)"},
			{"stringValue", "'quoted", "'quoted"},
			{"stringValue", "TRUE", "TRUE"},
			{"stringValue", "12%", "12%"},
			{"stringValue", "+62 812-3456", "+62 812-3456"},
			{"stringValue", "hello", "hello"},
			{"numberValue", 7.5, "7.5"},
			{"boolValue", true, "TRUE"},
		},
		"USER_ENTERED": {
			{"formulaValue", "=1+1", "2"},
			{"formulaValue", `=IMPORTDATA("http://x")`, "#N/A"},
			{"numberValue", 62812.0, "62812"},
			{"numberValue", 12.0, "12"},
			{"stringValue", "@SUM(A1)", "@SUM(A1)"},
			{"stringValue", "quoted", "quoted"},
			{"boolValue", true, "TRUE"},
			{"numberValue", 0.12, "12%"},
			{"formulaValue", "=+62 812-3456", "#ERROR!"},
			{"stringValue", "hello", "hello"},
			{"numberValue", 7.5, "7.5"},
			{"boolValue", true, "TRUE"},
		},
	}
	shown, err := b.srv.SpreadsheetValues(id, "A1:L2")
	if err != nil {
		t.Fatal(err)
	}
	for row, mode := range []string{"RAW", "USER_ENTERED"} {
		for col, w := range want[mode] {
			a1 := string(rune('A'+col)) + string(rune('1'+row))
			v, err := b.srv.CellUserEnteredValue(id, a1)
			if err != nil {
				t.Fatal(err)
			}
			kind, value := extended(v)
			if kind != w.kind || !reflect.DeepEqual(value, w.value) {
				t.Errorf("%s %v → %s %#v, want %s %#v", mode, inputs[col], kind, value, w.kind, w.value)
			}
			if shown[row][col] != w.shown {
				t.Errorf("%s %v shows %q, want %q", mode, inputs[col], shown[row][col], w.shown)
			}
		}
	}
	// The same through spreadsheets.get with grid data.
	got, err := b.sheets.Spreadsheets.Get(id).Ranges("A2:B2").IncludeGridData(true).Do()
	if err != nil {
		t.Fatal(err)
	}
	cells := got.Sheets[0].Data[0].RowData[0].Values
	if f := cells[0].UserEnteredValue.FormulaValue; f == nil || *f != "=1+1" ||
		cells[0].EffectiveValue.NumberValue == nil || *cells[0].EffectiveValue.NumberValue != 2 || cells[0].FormattedValue != "2" {
		t.Errorf("formula cell = %+v / %+v", cells[0].UserEnteredValue, cells[0].EffectiveValue)
	}
	if e := cells[1].EffectiveValue.ErrorValue; e == nil || e.Type != "N_A" {
		t.Errorf("IMPORTDATA effective value = %+v, want an N_A error", cells[1].EffectiveValue)
	}
}

func extended(v *sheets.ExtendedValue) (string, any) {
	switch {
	case v == nil:
		return "empty", nil
	case v.FormulaValue != nil:
		return "formulaValue", *v.FormulaValue
	case v.StringValue != nil:
		return "stringValue", *v.StringValue
	case v.NumberValue != nil:
		return "numberValue", *v.NumberValue
	case v.BoolValue != nil:
		return "boolValue", *v.BoolValue
	}
	return "other", nil
}

func TestValuesUpdateCellCharacterLimit(t *testing.T) {
	b := setup(t)
	ss := newSpreadsheet(t, b)
	id := ss.SpreadsheetId
	update(t, b, id, "A1", "RAW", [][]any{{strings.Repeat("x", 50000)}})
	_, err := b.sheets.Spreadsheets.Values.Update(id, "A2", &sheets.ValueRange{Values: [][]any{{"ok", strings.Repeat("é", 50001)}}}).
		ValueInputOption("USER_ENTERED").Do()
	assertCode(t, err, 400)
	assertValuesMessage(t, err, "Your input contains more than the maximum of 50000 characters in a single cell.")
	got, _ := b.srv.SpreadsheetValues(id, "A1:A2")
	if len(got[0][0]) != 50000 || got[1][0] != "" {
		t.Errorf("after the refused write: A1 %d chars, A2 %q (the request must change nothing)", len(got[0][0]), got[1][0])
	}
}

func TestValuesUpdateNullSkipsEmptyClears(t *testing.T) {
	b := setup(t)
	ss := newSpreadsheet(t, b)
	id := ss.SpreadsheetId
	update(t, b, id, "A1", "RAW", [][]any{{"a", "b", "c"}})
	res := update(t, b, id, "A1", "RAW", [][]any{{nil, "", "C"}})
	if got := getValues(t, b, id, "A1:C1"); !reflect.DeepEqual(got, [][]any{{"a", "", "C"}}) {
		t.Errorf("values = %#v, want a kept, b cleared, C written", got)
	}
	if res.UpdatedCells != 2 || res.UpdatedRows != 1 || res.UpdatedColumns != 2 || res.UpdatedRange != "Sheet1!A1:C1" {
		t.Errorf("response = %+v", res)
	}
	if v, _ := b.srv.CellUserEnteredValue(id, "B1"); v != nil {
		t.Errorf("B1 = %+v, want empty", v)
	}
}

func TestValuesUpdateRangeAndGridLimits(t *testing.T) {
	b := setup(t)
	ss := newSpreadsheet(t, b)
	id := ss.SpreadsheetId
	// A single cell anchors values of any size.
	res, err := b.sheets.Spreadsheets.Values.Update(id, "Sheet1!B2", &sheets.ValueRange{Values: [][]any{{1, 2, 3}, {4}}}).
		ValueInputOption("RAW").IncludeValuesInResponse(true).ResponseValueRenderOption("UNFORMATTED_VALUE").Do()
	if err != nil {
		t.Fatal(err)
	}
	if res.UpdatedRange != "Sheet1!B2:D3" || res.UpdatedCells != 4 || res.UpdatedRows != 2 || res.UpdatedColumns != 3 {
		t.Errorf("response = %+v", res)
	}
	if res.UpdatedData == nil || !reflect.DeepEqual(res.UpdatedData.Values, [][]any{{1.0, 2.0, 3.0}, {4.0}}) {
		t.Errorf("updatedData = %+v", res.UpdatedData)
	}
	// A larger range limits them.
	_, err = b.sheets.Spreadsheets.Values.Update(id, "A1:B1", &sheets.ValueRange{Values: [][]any{{1, 2, 3}}}).ValueInputOption("RAW").Do()
	assertCode(t, err, 400)
	assertValuesMessage(t, err, "tried writing to column [C]")
	_, err = b.sheets.Spreadsheets.Values.Update(id, "A1:B1", &sheets.ValueRange{Values: [][]any{{1}, {2}}}).ValueInputOption("RAW").Do()
	assertCode(t, err, 400)
	// Writes beyond the grid are refused (only append grows it).
	_, err = b.sheets.Spreadsheets.Values.Update(id, "Z1000", &sheets.ValueRange{Values: [][]any{{1, 2}}}).ValueInputOption("RAW").Do()
	assertCode(t, err, 400)
	assertValuesMessage(t, err, "exceeds grid limits")
	_, err = b.sheets.Spreadsheets.Values.Update(id, "A1001", &sheets.ValueRange{Values: [][]any{{1}}}).ValueInputOption("RAW").Do()
	assertCode(t, err, 400)
	assertValuesMessage(t, err, "Range ('Sheet1'!A1001) exceeds grid limits. Max rows: 1000, max columns: 26")
	// valueInputOption is required.
	_, err = b.sheets.Spreadsheets.Values.Update(id, "A1", &sheets.ValueRange{Values: [][]any{{1}}}).Do()
	assertCode(t, err, 400)
	// The body's range must be the URL's.
	_, err = b.sheets.Spreadsheets.Values.Update(id, "A1", &sheets.ValueRange{Range: "B1", Values: [][]any{{1}}}).ValueInputOption("RAW").Do()
	assertCode(t, err, 400)
	// COLUMNS writes down the columns.
	update(t, b, id, "F1", "RAW", nil)
	_, err = b.sheets.Spreadsheets.Values.Update(id, "F1:G3", &sheets.ValueRange{MajorDimension: "COLUMNS", Values: [][]any{{"a", "b", "c"}, {"d"}}}).ValueInputOption("RAW").Do()
	if err != nil {
		t.Fatal(err)
	}
	if got := getValues(t, b, id, "F1:G3"); !reflect.DeepEqual(got, [][]any{{"a", "d"}, {"b"}, {"c"}}) {
		t.Errorf("COLUMNS write = %#v", got)
	}
}

func TestValuesBatchGetRenderOptions(t *testing.T) {
	b := setup(t)
	ss := newSpreadsheet(t, b, "Data")
	id := ss.SpreadsheetId
	update(t, b, id, "A1", "USER_ENTERED", [][]any{
		{"name", "count", "total"},
		{"x", "2", "=B2*10"},
		{},
		{"y", "", "", ""},
		{"", "3", "2024-05-01"},
	})
	res, err := b.sheets.Spreadsheets.Values.BatchGet(id).Ranges("A1:D10", "Data!B1:C10", "A3:D3").Do()
	if err != nil {
		t.Fatal(err)
	}
	want := [][][]any{
		{{"name", "count", "total"}, {"x", "2", "20"}, {}, {"y"}, {"", "3", "2024-05-01"}},
		{{"count", "total"}, {"2", "20"}, {}, {}, {"3", "2024-05-01"}},
		nil, // an empty range has no values at all
	}
	for i, vr := range res.ValueRanges {
		if !reflect.DeepEqual(vr.Values, want[i]) {
			t.Errorf("range %s = %#v, want %#v", vr.Range, vr.Values, want[i])
		}
	}
	if res.ValueRanges[0].Range != "Data!A1:D10" {
		t.Errorf("range = %q", res.ValueRanges[0].Range)
	}

	cols, err := b.sheets.Spreadsheets.Values.BatchGet(id).Ranges("A1:D10").MajorDimension("COLUMNS").Do()
	if err != nil {
		t.Fatal(err)
	}
	wantCols := [][]any{{"name", "x", "", "y"}, {"count", "2", "", "", "3"}, {"total", "20", "", "", "2024-05-01"}}
	if vr := cols.ValueRanges[0]; vr.MajorDimension != "COLUMNS" || !reflect.DeepEqual(vr.Values, wantCols) {
		t.Errorf("COLUMNS = %s %#v, want %#v", vr.MajorDimension, vr.Values, wantCols)
	}

	un, err := b.sheets.Spreadsheets.Values.Get(id, "B2:C5").ValueRenderOption("UNFORMATTED_VALUE").Do()
	if err != nil {
		t.Fatal(err)
	}
	if want := [][]any{{2.0, 20.0}, {}, {}, {3.0, 45413.0}}; !reflect.DeepEqual(un.Values, want) {
		t.Errorf("UNFORMATTED_VALUE = %#v, want %#v", un.Values, want)
	}
	un, err = b.sheets.Spreadsheets.Values.Get(id, "C5").ValueRenderOption("UNFORMATTED_VALUE").DateTimeRenderOption("FORMATTED_STRING").Do()
	if err != nil || !reflect.DeepEqual(un.Values, [][]any{{"2024-05-01"}}) {
		t.Errorf("FORMATTED_STRING date = %#v, %v", un, err)
	}
	fo, err := b.sheets.Spreadsheets.Values.Get(id, "A2:C2").ValueRenderOption("FORMULA").Do()
	if err != nil || !reflect.DeepEqual(fo.Values, [][]any{{"x", 2.0, "=B2*10"}}) {
		t.Errorf("FORMULA = %#v, %v", fo, err)
	}
}

func TestValuesBatchUpdateIsAtomic(t *testing.T) {
	b := setup(t)
	ss := newSpreadsheet(t, b, "A", "B")
	id := ss.SpreadsheetId
	res, err := b.sheets.Spreadsheets.Values.BatchUpdate(id, &sheets.BatchUpdateValuesRequest{
		ValueInputOption: "RAW",
		Data: []*sheets.ValueRange{
			{Range: "A!A1", Values: [][]any{{"a1", "b1"}}},
			{Range: "B!C3", Values: [][]any{{"c3"}, {"c4"}}},
		},
	}).Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Responses) != 2 || res.TotalUpdatedCells != 4 || res.TotalUpdatedSheets != 2 ||
		res.TotalUpdatedRows != 3 || res.Responses[1].UpdatedRange != "B!C3:C4" {
		t.Errorf("response = %+v, %+v", res, res.Responses)
	}
	_, err = b.sheets.Spreadsheets.Values.BatchUpdate(id, &sheets.BatchUpdateValuesRequest{
		ValueInputOption: "RAW",
		Data: []*sheets.ValueRange{
			{Range: "A!A1", Values: [][]any{{"changed"}}},
			{Range: "Nope!A1", Values: [][]any{{"x"}}},
		},
	}).Do()
	assertCode(t, err, 400)
	if got := getValues(t, b, id, "A!A1"); got[0][0] != "a1" {
		t.Errorf("A1 = %v: a failed batchUpdate must change nothing", got)
	}
}

func TestValuesClear(t *testing.T) {
	b := setup(t)
	ss := newSpreadsheet(t, b)
	id := ss.SpreadsheetId
	update(t, b, id, "A1", "RAW", [][]any{{"a", "b", "c"}, {"d", "e", "f"}})
	res, err := b.sheets.Spreadsheets.Values.Clear(id, "B1:B", &sheets.ClearValuesRequest{}).Do()
	if err != nil || res.ClearedRange != "Sheet1!B1:B1000" {
		t.Fatalf("clear = %+v, %v", res, err)
	}
	bres, err := b.sheets.Spreadsheets.Values.BatchClear(id, &sheets.BatchClearValuesRequest{Ranges: []string{"C2", "A1"}}).Do()
	if err != nil || !reflect.DeepEqual(bres.ClearedRanges, []string{"Sheet1!C2", "Sheet1!A1"}) {
		t.Fatalf("batchClear = %+v, %v", bres, err)
	}
	if got := getValues(t, b, id, "A1:C2"); !reflect.DeepEqual(got, [][]any{{"", "", "c"}, {"d"}}) {
		t.Errorf("after clear = %#v", got)
	}
}

func appendRows(t *testing.T, b *bundle, id, a1, insert string, values [][]any) *sheets.AppendValuesResponse {
	t.Helper()
	call := b.sheets.Spreadsheets.Values.Append(id, a1, &sheets.ValueRange{Values: values}).ValueInputOption("RAW")
	if insert != "" {
		call = call.InsertDataOption(insert)
	}
	res, err := call.Do()
	if err != nil {
		t.Fatalf("append %s: %v", a1, err)
	}
	return res
}

func TestValuesAppendOverwriteAndInsertRows(t *testing.T) {
	b := setup(t)
	ss := newSpreadsheet(t, b)
	id := ss.SpreadsheetId
	// An empty sheet has no table: values go to the range's first cell.
	res := appendRows(t, b, id, "Sheet1!A:C", "", [][]any{{"h1", "h2", "h3"}})
	if res.TableRange != "" || res.Updates.UpdatedRange != "Sheet1!A1:C1" {
		t.Errorf("first append = table %q updates %+v", res.TableRange, res.Updates)
	}
	res = appendRows(t, b, id, "Sheet1!A1", "", [][]any{{"r1", "x", "y"}, {"r2"}})
	if res.TableRange != "Sheet1!A1:C1" || res.Updates.UpdatedRange != "Sheet1!A2:C3" || res.Updates.UpdatedCells != 4 {
		t.Errorf("second append = table %q updates %+v", res.TableRange, res.Updates)
	}
	// Something below the table, after a gap row.
	update(t, b, id, "A5", "RAW", [][]any{{"below"}})
	// OVERWRITE (the default) writes into the gap and over what follows.
	res = appendRows(t, b, id, "A:C", "OVERWRITE", [][]any{{"r3"}, {"r4"}})
	if res.TableRange != "Sheet1!A1:C3" || res.Updates.UpdatedRange != "Sheet1!A4:A5" {
		t.Errorf("overwrite append = table %q updates %+v", res.TableRange, res.Updates)
	}
	if got := getValues(t, b, id, "A1:A6"); !reflect.DeepEqual(got, [][]any{{"h1"}, {"r1"}, {"r2"}, {"r3"}, {"r4"}}) {
		t.Errorf("after OVERWRITE = %#v", got)
	}
	// INSERT_ROWS inserts new rows: what was below moves down and the grid grows.
	update(t, b, id, "A7", "RAW", [][]any{{"footer"}})
	res = appendRows(t, b, id, "A1:C1", "INSERT_ROWS", [][]any{{"r5"}, {"r6"}})
	if res.TableRange != "Sheet1!A1:C5" || res.Updates.UpdatedRange != "Sheet1!A6:A7" {
		t.Errorf("insert append = table %q updates %+v", res.TableRange, res.Updates)
	}
	if got := getValues(t, b, id, "A6:A9"); !reflect.DeepEqual(got, [][]any{{"r5"}, {"r6"}, {}, {"footer"}}) {
		t.Errorf("after INSERT_ROWS = %#v", got)
	}
	got, err := b.sheets.Spreadsheets.Get(id).Do()
	if err != nil {
		t.Fatal(err)
	}
	if n := got.Sheets[0].Properties.GridProperties.RowCount; n != 1002 {
		t.Errorf("rowCount = %d, want 1002 after inserting 2 rows", n)
	}
}

func TestValuesAppendGrowsGrid(t *testing.T) {
	b := setup(t)
	ss, err := b.sheets.Spreadsheets.Create(&sheets.Spreadsheet{Sheets: []*sheets.Sheet{{Properties: &sheets.SheetProperties{
		Title: "Small", GridProperties: &sheets.GridProperties{RowCount: 2, ColumnCount: 2},
	}}}}).Do()
	if err != nil {
		t.Fatal(err)
	}
	id := ss.SpreadsheetId
	update(t, b, id, "A1", "RAW", [][]any{{"a", "b"}, {"c", "d"}})
	res := appendRows(t, b, id, "Small", "", [][]any{{1, 2, 3}, {4, 5, 6}})
	if res.TableRange != "Small!A1:B2" || res.Updates.UpdatedRange != "Small!A3:C4" {
		t.Errorf("append = table %q updates %+v", res.TableRange, res.Updates)
	}
	got, _ := b.sheets.Spreadsheets.Get(id).Do()
	if gp := got.Sheets[0].Properties.GridProperties; gp.RowCount != 4 || gp.ColumnCount != 3 {
		t.Errorf("grid = %+v, want 4×3", gp)
	}
}

func TestValuesAppendFindsTableBeyondRange(t *testing.T) {
	b := setup(t)
	ss := newSpreadsheet(t, b)
	id := ss.SpreadsheetId
	update(t, b, id, "B3", "RAW", [][]any{{"k", "v"}, {"k2", ""}, {"k3", "v3"}})
	// The data starts in B: the table is B3:C5 and appending starts in B.
	res := appendRows(t, b, id, "A1:B1000", "", [][]any{{"k4", "v4"}})
	if res.TableRange != "Sheet1!B3:C5" || res.Updates.UpdatedRange != "Sheet1!B6:C6" {
		t.Errorf("append = table %q updates %+v", res.TableRange, res.Updates)
	}
}

func TestSpreadsheetGetRangesAndGridData(t *testing.T) {
	b := setup(t)
	ss := newSpreadsheet(t, b, "One", "Two", "Three")
	id := ss.SpreadsheetId
	update(t, b, id, "Two!B2", "USER_ENTERED", [][]any{{"x", "=1/4"}, {"", "5"}})

	plain, err := b.sheets.Spreadsheets.Get(id).Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(plain.Sheets) != 3 || plain.Sheets[1].Data != nil {
		t.Fatalf("get without grid data: %d sheets, data %v", len(plain.Sheets), plain.Sheets[1].Data)
	}
	limited, err := b.sheets.Spreadsheets.Get(id).Ranges("Two!B2:D4").Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(limited.Sheets) != 1 || limited.Sheets[0].Properties.Title != "Two" || limited.Sheets[0].Data != nil {
		t.Fatalf("ranges without grid data: %+v", limited.Sheets)
	}
	full, err := b.sheets.Spreadsheets.Get(id).Ranges("Two!B2:D4", "Three!A1").IncludeGridData(true).Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(full.Sheets) != 2 {
		t.Fatalf("sheets = %d, want Two and Three", len(full.Sheets))
	}
	gd := full.Sheets[0].Data[0]
	if gd.StartRow != 1 || gd.StartColumn != 1 || len(gd.RowMetadata) != 3 || len(gd.ColumnMetadata) != 3 {
		t.Fatalf("grid data start %d,%d metadata %d×%d", gd.StartRow, gd.StartColumn, len(gd.RowMetadata), len(gd.ColumnMetadata))
	}
	if gd.RowMetadata[0].PixelSize != 21 || gd.ColumnMetadata[0].PixelSize != 100 {
		t.Errorf("pixel sizes %d/%d", gd.RowMetadata[0].PixelSize, gd.ColumnMetadata[0].PixelSize)
	}
	if len(gd.RowData) != 2 || len(gd.RowData[0].Values) != 2 || len(gd.RowData[1].Values) != 2 {
		t.Fatalf("rowData = %+v (trailing empty rows and cells are omitted)", gd.RowData)
	}
	x, quarter, five := gd.RowData[0].Values[0], gd.RowData[0].Values[1], gd.RowData[1].Values[1]
	if *x.UserEnteredValue.StringValue != "x" || *x.EffectiveValue.StringValue != "x" || x.FormattedValue != "x" {
		t.Errorf("B2 = %+v", x)
	}
	if *quarter.UserEnteredValue.FormulaValue != "=1/4" || *quarter.EffectiveValue.NumberValue != 0.25 || quarter.FormattedValue != "0.25" {
		t.Errorf("C2 = %+v", quarter)
	}
	if *five.UserEnteredValue.NumberValue != 5 || five.FormattedValue != "5" {
		t.Errorf("C3 = %+v", five)
	}
	if empty := gd.RowData[1].Values[0]; empty.UserEnteredValue != nil || empty.FormattedValue != "" {
		t.Errorf("B3 = %+v, want an empty cell", empty)
	}
	if d := full.Sheets[1].Data; len(d) != 1 || len(d[0].RowData) != 0 || len(d[0].RowMetadata) != 1 {
		t.Errorf("empty range data = %+v", d)
	}
	_, err = b.sheets.Spreadsheets.Get(id).Ranges("Nope!A1").Do()
	assertCode(t, err, 400)
}

func TestValuesByDataFilter(t *testing.T) {
	b := setup(t)
	ss := newSpreadsheet(t, b, "Main", "Side")
	id := ss.SpreadsheetId
	side := ss.Sheets[1].Properties.SheetId
	update(t, b, id, "Main!A1", "RAW", [][]any{{"a", "b"}, {"c", "d"}})

	aFilter := &sheets.DataFilter{A1Range: "Main!A1:B2"}
	gFilter := &sheets.DataFilter{GridRange: &sheets.GridRange{SheetId: ss.Sheets[0].Properties.SheetId, EndRowIndex: 2, EndColumnIndex: 2}}
	got, err := b.sheets.Spreadsheets.Values.BatchGetByDataFilter(id, &sheets.BatchGetValuesByDataFilterRequest{
		DataFilters: []*sheets.DataFilter{aFilter, gFilter, {A1Range: "Main!B2"}},
	}).Do()
	if err != nil {
		t.Fatal(err)
	}
	// The two filters select the same range: it is returned once, with both.
	if len(got.ValueRanges) != 2 {
		t.Fatalf("valueRanges = %d, want 2", len(got.ValueRanges))
	}
	first := got.ValueRanges[0]
	if first.ValueRange.Range != "Main!A1:B2" || len(first.DataFilters) != 2 ||
		!reflect.DeepEqual(first.ValueRange.Values, [][]any{{"a", "b"}, {"c", "d"}}) {
		t.Errorf("first match = %+v filters %d", first.ValueRange, len(first.DataFilters))
	}
	if second := got.ValueRanges[1]; second.ValueRange.Range != "Main!B2" || second.DataFilters[0].A1Range != "Main!B2" {
		t.Errorf("second match = %+v", second.ValueRange)
	}

	up, err := b.sheets.Spreadsheets.Values.BatchUpdateByDataFilter(id, &sheets.BatchUpdateValuesByDataFilterRequest{
		ValueInputOption: "USER_ENTERED",
		Data: []*sheets.DataFilterValueRange{
			{DataFilter: &sheets.DataFilter{GridRange: &sheets.GridRange{SheetId: side, StartRowIndex: 1, EndRowIndex: 2}}, Values: [][]any{{"=1+1", "x"}}},
			{DataFilter: &sheets.DataFilter{A1Range: "Main!C1:C2"}, Values: [][]any{{"e"}, {"f"}}},
		},
		IncludeValuesInResponse: true,
	}).Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(up.Responses) != 2 || up.Responses[0].UpdatedRange != "Side!A2:B2" || up.Responses[0].DataFilter.GridRange == nil ||
		up.TotalUpdatedCells != 4 || up.TotalUpdatedSheets != 2 {
		t.Errorf("batchUpdateByDataFilter = %+v %+v", up, up.Responses)
	}
	if d := up.Responses[0].UpdatedData; d == nil || !reflect.DeepEqual(d.Values, [][]any{{"2", "x"}}) {
		t.Errorf("updatedData = %+v", d)
	}
	if got := getValues(t, b, id, "Main!A1:C2"); !reflect.DeepEqual(got, [][]any{{"a", "b", "e"}, {"c", "d", "f"}}) {
		t.Errorf("Main = %#v", got)
	}
	// Values larger than a matched range fail, even for a single cell.
	_, err = b.sheets.Spreadsheets.Values.BatchUpdateByDataFilter(id, &sheets.BatchUpdateValuesByDataFilterRequest{
		ValueInputOption: "RAW",
		Data:             []*sheets.DataFilterValueRange{{DataFilter: &sheets.DataFilter{A1Range: "Main!A1"}, Values: [][]any{{"1", "2"}}}},
	}).Do()
	assertCode(t, err, 400)
	_, err = b.sheets.Spreadsheets.Values.BatchGetByDataFilter(id, &sheets.BatchGetValuesByDataFilterRequest{
		DataFilters: []*sheets.DataFilter{{GridRange: &sheets.GridRange{SheetId: 999}}},
	}).Do()
	assertCode(t, err, 400)

	cl, err := b.sheets.Spreadsheets.Values.BatchClearByDataFilter(id, &sheets.BatchClearValuesByDataFilterRequest{
		DataFilters: []*sheets.DataFilter{{A1Range: "Main!A1:A2"}},
	}).Do()
	if err != nil || !reflect.DeepEqual(cl.ClearedRanges, []string{"Main!A1:A2"}) {
		t.Fatalf("batchClearByDataFilter = %+v, %v", cl, err)
	}
	byFilter, err := b.sheets.Spreadsheets.GetByDataFilter(id, &sheets.GetSpreadsheetByDataFilterRequest{
		DataFilters: []*sheets.DataFilter{{A1Range: "Main!A1:C2"}}, IncludeGridData: true,
	}).Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(byFilter.Sheets) != 1 || byFilter.Sheets[0].Data[0].RowData[0].Values[0].UserEnteredValue != nil ||
		byFilter.Sheets[0].Data[0].RowData[0].Values[1].FormattedValue != "b" {
		t.Errorf("getByDataFilter = %+v", byFilter.Sheets)
	}
}

// TestValuesByMetadataFilter: values read and written through a
// developer-metadata lookup follow the row the metadata moved with.
func TestValuesByMetadataFilter(t *testing.T) {
	b := setup(t)
	ss := newSpreadsheet(t, b, "Konsultasi")
	id := ss.SpreadsheetId
	sheetID := ss.Sheets[0].Properties.SheetId
	update(t, b, id, "A1", "RAW", [][]any{{"tiket"}, {"KOPI-1", "x"}, {}, {"KOPI-2", "y"}})
	_, err := b.sheets.Spreadsheets.BatchUpdate(id, &sheets.BatchUpdateSpreadsheetRequest{Requests: []*sheets.Request{{
		CreateDeveloperMetadata: &sheets.CreateDeveloperMetadataRequest{DeveloperMetadata: &sheets.DeveloperMetadata{
			MetadataKey: "ticket", MetadataValue: "KOPI-2", Visibility: "DOCUMENT",
			Location: &sheets.DeveloperMetadataLocation{DimensionRange: &sheets.DimensionRange{
				SheetId: sheetID, Dimension: "ROWS", StartIndex: 3, EndIndex: 4,
			}},
		}},
	}}}).Do()
	if err != nil {
		t.Fatalf("createDeveloperMetadata: %v", err)
	}
	// Appending with INSERT_ROWS to the table above (A1:B2, ended by the
	// gap) inserts a row: the KOPI-2 row and its metadata move down to 5.
	appendRows(t, b, id, "A1", "INSERT_ROWS", [][]any{{"KOPI-3", "z"}})
	lookup := &sheets.DataFilter{DeveloperMetadataLookup: &sheets.DeveloperMetadataLookup{MetadataKey: "ticket", MetadataValue: "KOPI-2"}}
	got, err := b.sheets.Spreadsheets.Values.BatchGetByDataFilter(id, &sheets.BatchGetValuesByDataFilterRequest{
		DataFilters: []*sheets.DataFilter{lookup},
	}).Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(got.ValueRanges) != 1 || got.ValueRanges[0].ValueRange.Range != "Konsultasi!A5:Z5" ||
		!reflect.DeepEqual(got.ValueRanges[0].ValueRange.Values, [][]any{{"KOPI-2", "y"}}) {
		t.Fatalf("metadata filter read = %+v", got.ValueRanges)
	}
	if _, err := b.sheets.Spreadsheets.Values.BatchUpdateByDataFilter(id, &sheets.BatchUpdateValuesByDataFilterRequest{
		ValueInputOption: "RAW",
		Data:             []*sheets.DataFilterValueRange{{DataFilter: lookup, Values: [][]any{{nil, nil, "answered"}}}},
	}).Do(); err != nil {
		t.Fatal(err)
	}
	if v := getValues(t, b, id, "A3:C5"); !reflect.DeepEqual(v, [][]any{{"KOPI-3", "z"}, {}, {"KOPI-2", "y", "answered"}}) {
		t.Errorf("A3:C5 = %#v", v)
	}
	full, err := b.sheets.Spreadsheets.Get(id).Ranges("A5").IncludeGridData(true).Do()
	if err != nil {
		t.Fatal(err)
	}
	md := full.Sheets[0].Data[0].RowMetadata[0].DeveloperMetadata
	if len(md) != 1 || md[0].MetadataKey != "ticket" || md[0].Location.DimensionRange.StartIndex != 4 {
		t.Errorf("row metadata in grid data = %+v", md)
	}
}

// TestDataFilterMatchingNothing: a write or clear whose data filter
// matches no range (the lookup's row was deleted), and a metadata delete
// or update matching no metadata — Google does not say; by default the
// rest applies and the request succeeds, with
// Options.DataFilterMissFails the request fails and nothing applies.
func TestDataFilterMatchingNothing(t *testing.T) {
	for _, fails := range []bool{false, true} {
		b := setupWith(t, fake.Options{DataFilterMissFails: fails})
		ss := newSpreadsheet(t, b, "Main")
		id, sheetID := ss.SpreadsheetId, ss.Sheets[0].Properties.SheetId
		update(t, b, id, "Main!A1", "RAW", [][]any{{"a"}, {"b"}})
		gone := &sheets.DataFilter{DeveloperMetadataLookup: &sheets.DeveloperMetadataLookup{MetadataId: 4242}}
		up, err := b.sheets.Spreadsheets.Values.BatchUpdateByDataFilter(id, &sheets.BatchUpdateValuesByDataFilterRequest{
			ValueInputOption: "RAW",
			Data: []*sheets.DataFilterValueRange{
				{DataFilter: &sheets.DataFilter{A1Range: "Main!B1"}, Values: [][]any{{"x"}}},
				{DataFilter: gone, Values: [][]any{{"y"}}},
			},
		}).Do()
		want := [][]any{{"a", "x"}, {"b"}}
		if fails {
			assertCode(t, err, 400)
			want = [][]any{{"a"}, {"b"}}
		} else if err != nil || len(up.Responses) != 1 || up.TotalUpdatedCells != 1 {
			t.Fatalf("fails=%v: batchUpdateByDataFilter = %+v, %v", fails, up, err)
		}
		if got := getValues(t, b, id, "Main!A1:B2"); !reflect.DeepEqual(got, want) {
			t.Errorf("fails=%v: after the write Main = %#v, want %#v", fails, got, want)
		}
		_, err = b.sheets.Spreadsheets.Values.BatchClearByDataFilter(id, &sheets.BatchClearValuesByDataFilterRequest{
			DataFilters: []*sheets.DataFilter{{A1Range: "Main!A2"}, gone},
		}).Do()
		want = [][]any{{"a"}}
		if fails {
			assertCode(t, err, 400)
			want = [][]any{{"a"}, {"b"}}
		} else if err != nil {
			t.Fatalf("batchClearByDataFilter: %v", err)
		}
		if got := getValues(t, b, id, "Main!A1:A2"); !reflect.DeepEqual(got, want) {
			t.Errorf("fails=%v: after the clear Main = %#v, want %#v", fails, got, want)
		}
		// A batchUpdate deleting or moving metadata that is gone.
		for _, req := range []*sheets.Request{
			{DeleteDeveloperMetadata: &sheets.DeleteDeveloperMetadataRequest{DataFilter: gone}},
			{UpdateDeveloperMetadata: &sheets.UpdateDeveloperMetadataRequest{DataFilters: []*sheets.DataFilter{gone},
				DeveloperMetadata: &sheets.DeveloperMetadata{MetadataValue: "v"}, Fields: "metadataValue"}},
		} {
			_, err := b.sheets.Spreadsheets.BatchUpdate(id, &sheets.BatchUpdateSpreadsheetRequest{Requests: []*sheets.Request{
				{UpdateSheetProperties: &sheets.UpdateSheetPropertiesRequest{Properties: &sheets.SheetProperties{SheetId: sheetID, Title: "Renamed"}, Fields: "title"}},
				req,
			}}).Do()
			title := "Renamed"
			if fails {
				assertCode(t, err, 400)
				title = "Main"
			} else if err != nil {
				t.Fatalf("fails=%v: batchUpdate: %v", fails, err)
			}
			got, err := b.sheets.Spreadsheets.Get(id).Do()
			if err != nil {
				t.Fatal(err)
			}
			if got.Sheets[0].Properties.Title != title {
				t.Errorf("fails=%v: title = %q, want %q (atomic batch)", fails, got.Sheets[0].Properties.Title, title)
			}
			if !fails {
				req := &sheets.Request{UpdateSheetProperties: &sheets.UpdateSheetPropertiesRequest{Properties: &sheets.SheetProperties{SheetId: sheetID, Title: "Main"}, Fields: "title"}}
				if _, err := b.sheets.Spreadsheets.BatchUpdate(id, &sheets.BatchUpdateSpreadsheetRequest{Requests: []*sheets.Request{req}}).Do(); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}
