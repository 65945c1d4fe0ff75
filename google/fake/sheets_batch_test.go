package fake_test

import (
	"strconv"
	"strings"
	"testing"

	"google.golang.org/api/googleapi"
	"google.golang.org/api/sheets/v4"

	"kopi/google/fake"
)

// seed creates a spreadsheet with the given tabs through the fake's seed
// helper and returns its id.
func seed(t *testing.T, b *bundle, tabs ...string) string {
	t.Helper()
	id, err := b.srv.SeedSpreadsheet("Tracker", tabs...)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func batch(b *bundle, id string, reqs ...*sheets.Request) (*sheets.BatchUpdateSpreadsheetResponse, error) {
	return b.sheets.Spreadsheets.BatchUpdate(id, &sheets.BatchUpdateSpreadsheetRequest{Requests: reqs}).Do()
}

func mustBatch(t *testing.T, b *bundle, id string, reqs ...*sheets.Request) *sheets.BatchUpdateSpreadsheetResponse {
	t.Helper()
	resp, err := batch(b, id, reqs...)
	if err != nil {
		t.Fatalf("batchUpdate: %v", err)
	}
	return resp
}

func str(s string) *string   { return &s }
func num(f float64) *float64 { return &f }
func strCell(s string) *sheets.CellData {
	return &sheets.CellData{UserEnteredValue: &sheets.ExtendedValue{StringValue: str(s)}}
}
func numCell(f float64) *sheets.CellData {
	return &sheets.CellData{UserEnteredValue: &sheets.ExtendedValue{NumberValue: num(f)}}
}

// rows builds RowData from strings ("" is an empty cell).
func rows(vals ...[]string) []*sheets.RowData {
	var out []*sheets.RowData
	for _, r := range vals {
		rd := &sheets.RowData{}
		for _, v := range r {
			if v == "" {
				rd.Values = append(rd.Values, &sheets.CellData{})
			} else {
				rd.Values = append(rd.Values, strCell(v))
			}
		}
		out = append(out, rd)
	}
	return out
}

// writeColumn writes one string per row into column A of sheet 0 from row 0.
func writeColumn(t *testing.T, b *bundle, id string, vals ...string) {
	t.Helper()
	var rs [][]string
	for _, v := range vals {
		rs = append(rs, []string{v})
	}
	mustBatch(t, b, id, &sheets.Request{UpdateCells: &sheets.UpdateCellsRequest{
		Start: &sheets.GridCoordinate{SheetId: 0}, Rows: rows(rs...), Fields: "userEnteredValue",
	}})
}

func cellString(b *bundle, id string, sheetID, row, col int64) string {
	v := b.srv.CellValue(id, sheetID, row, col)
	if v == nil || v.StringValue == nil {
		return ""
	}
	return *v.StringValue
}

func column(b *bundle, id string, n int64) []string {
	var out []string
	for r := int64(0); r < n; r++ {
		out = append(out, cellString(b, id, 0, r, 0))
	}
	return out
}

func assertMessage(t *testing.T, err error, code int, part string) {
	t.Helper()
	assertCode(t, err, code)
	if ge := err.(*googleapi.Error); !strings.Contains(ge.Message, part) {
		t.Fatalf("message %q does not contain %q", ge.Message, part)
	}
}

func rowMeta(id int64, key, value string, sheetID, row int64) *sheets.Request {
	return &sheets.Request{CreateDeveloperMetadata: &sheets.CreateDeveloperMetadataRequest{
		DeveloperMetadata: &sheets.DeveloperMetadata{
			MetadataId: id, MetadataKey: key, MetadataValue: value, Visibility: "DOCUMENT",
			Location: &sheets.DeveloperMetadataLocation{DimensionRange: &sheets.DimensionRange{
				SheetId: sheetID, Dimension: "ROWS", StartIndex: row, EndIndex: row + 1,
			}},
		},
	}}
}

// metaRow returns the current row of the metadata with id, or -1 if gone.
func metaRow(b *bundle, ssID string, id int64) int64 {
	for _, m := range b.srv.DeveloperMetadata(ssID) {
		if m.MetadataId == id {
			return m.Location.DimensionRange.StartIndex
		}
	}
	return -1
}

func TestBatchUpdateIsAtomic(t *testing.T) {
	b := setup(t)
	id := seed(t, b)
	_, err := batch(b, id,
		&sheets.Request{AddSheet: &sheets.AddSheetRequest{Properties: &sheets.SheetProperties{Title: "Arsip"}}},
		&sheets.Request{UpdateCells: &sheets.UpdateCellsRequest{
			Start: &sheets.GridCoordinate{SheetId: 0}, Rows: rows([]string{"x"}), Fields: "userEnteredValue"}},
		&sheets.Request{DeleteSheet: &sheets.DeleteSheetRequest{SheetId: 999}},
	)
	assertMessage(t, err, 400, "requests[2].deleteSheet")
	// Neither the new tab nor the cell exists: adding "Arsip" again works.
	if v := b.srv.CellValue(id, 0, 0, 0); v != nil {
		t.Fatalf("cell written by a failed batch: %+v", v)
	}
	resp := mustBatch(t, b, id, &sheets.Request{AddSheet: &sheets.AddSheetRequest{Properties: &sheets.SheetProperties{Title: "Arsip"}}})
	if resp.Replies[0].AddSheet.Properties.Index != 1 {
		t.Fatalf("index = %d, want 1 (only one tab before)", resp.Replies[0].AddSheet.Properties.Index)
	}
}

func TestBatchUpdateRequestNeedsExactlyOneKind(t *testing.T) {
	b := setup(t)
	id := seed(t, b)
	_, err := batch(b, id, &sheets.Request{})
	assertCode(t, err, 400)
	_, err = batch(b, id, &sheets.Request{
		AddSheet:    &sheets.AddSheetRequest{},
		DeleteSheet: &sheets.DeleteSheetRequest{SheetId: 0},
	})
	assertMessage(t, err, 400, "oneof")
	_, err = batch(b, id)
	assertCode(t, err, 400)
}

func TestBatchUpdateUnsupportedKindIs400(t *testing.T) {
	b := setup(t)
	id := seed(t, b)
	_, err := batch(b, id, &sheets.Request{FindReplace: &sheets.FindReplaceRequest{Find: "a", AllSheets: true}})
	assertMessage(t, err, 400, "findReplace")
}

func TestBatchUpdateUnknownSpreadsheetIs404(t *testing.T) {
	b := setup(t)
	_, err := batch(b, "nope", &sheets.Request{AddSheet: &sheets.AddSheetRequest{}})
	assertCode(t, err, 404)
}

func TestBatchUpdateRepliesOnePerRequest(t *testing.T) {
	b := setup(t)
	id := seed(t, b)
	resp := mustBatch(t, b, id,
		&sheets.Request{AppendDimension: &sheets.AppendDimensionRequest{SheetId: 0, Dimension: "ROWS", Length: 1}},
		&sheets.Request{AddSheet: &sheets.AddSheetRequest{Properties: &sheets.SheetProperties{Title: "B"}}},
	)
	if resp.SpreadsheetId != id || len(resp.Replies) != 2 || resp.Replies[0].AddSheet != nil || resp.Replies[1].AddSheet == nil {
		t.Fatalf("replies = %+v", resp.Replies)
	}
	if resp.UpdatedSpreadsheet != nil {
		t.Fatal("spreadsheet included without includeSpreadsheetInResponse")
	}
}

func TestBatchUpdateIncludeSpreadsheetInResponse(t *testing.T) {
	b := setup(t)
	id := seed(t, b)
	resp, err := b.sheets.Spreadsheets.BatchUpdate(id, &sheets.BatchUpdateSpreadsheetRequest{
		Requests:                     []*sheets.Request{{AddSheet: &sheets.AddSheetRequest{Properties: &sheets.SheetProperties{Title: "B"}}}},
		IncludeSpreadsheetInResponse: true,
	}).Do()
	if err != nil {
		t.Fatal(err)
	}
	u := resp.UpdatedSpreadsheet
	if u == nil || len(u.Sheets) != 2 || u.Sheets[1].Properties.Title != "B" || u.Sheets[0].Data != nil {
		t.Fatalf("updatedSpreadsheet = %+v", u)
	}
}

// TestBatchUpdateResponseRangesWithFieldMask: a write can read back a
// range (the header row) in its own response — responseRanges limits the
// tabs and rows, and a fields mask selecting grid data returns it even
// without responseIncludeGridData, which Google ignores when a mask is
// set.
func TestBatchUpdateResponseRangesWithFieldMask(t *testing.T) {
	b := setup(t)
	id := seed(t, b, "Data", "Other")
	resp, err := b.sheets.Spreadsheets.BatchUpdate(id, &sheets.BatchUpdateSpreadsheetRequest{
		Requests: []*sheets.Request{{UpdateCells: &sheets.UpdateCellsRequest{
			Rows:   []*sheets.RowData{{Values: []*sheets.CellData{strCell("Tiket"), strCell("Nama")}}, {Values: []*sheets.CellData{strCell("T-1")}}},
			Fields: "userEnteredValue", Start: &sheets.GridCoordinate{SheetId: 0},
		}}},
		IncludeSpreadsheetInResponse: true,
		ResponseRanges:               []string{"Data!1:1"},
	}).Fields("updatedSpreadsheet(sheets(properties(title),data(rowData(values(userEnteredValue)))))").Do()
	if err != nil {
		t.Fatal(err)
	}
	u := resp.UpdatedSpreadsheet
	if u == nil || len(u.Sheets) != 1 || u.Sheets[0].Properties.Title != "Data" || len(u.Sheets[0].Data) != 1 {
		t.Fatalf("updatedSpreadsheet = %+v", u)
	}
	rows := u.Sheets[0].Data[0].RowData
	if len(rows) != 1 || len(rows[0].Values) != 2 || *rows[0].Values[1].UserEnteredValue.StringValue != "Nama" {
		t.Fatalf("header read back = %+v", rows)
	}
}

func TestAddSheet(t *testing.T) {
	b := setup(t)
	id := seed(t, b)
	resp := mustBatch(t, b, id, &sheets.Request{AddSheet: &sheets.AddSheetRequest{Properties: &sheets.SheetProperties{
		Title: "Kasus", GridProperties: &sheets.GridProperties{RowCount: 10, ColumnCount: 5},
	}}})
	p := resp.Replies[0].AddSheet.Properties
	if p.SheetId <= 0 || p.Title != "Kasus" || p.Index != 1 || p.SheetType != "GRID" ||
		p.GridProperties.RowCount != 10 || p.GridProperties.ColumnCount != 5 {
		t.Fatalf("properties = %+v grid %+v", p, p.GridProperties)
	}
	// Explicit index 0 (sent with ForceSendFields) inserts at the front.
	resp = mustBatch(t, b, id, &sheets.Request{AddSheet: &sheets.AddSheetRequest{Properties: &sheets.SheetProperties{
		Title: "Depan", SheetId: 77, Index: 0, ForceSendFields: []string{"Index"},
	}}})
	if p := resp.Replies[0].AddSheet.Properties; p.Index != 0 || p.SheetId != 77 || p.GridProperties.RowCount != 1000 {
		t.Fatalf("properties = %+v", p)
	}
}

func TestAddSheetDuplicates(t *testing.T) {
	b := setup(t)
	id := seed(t, b)
	_, err := batch(b, id, &sheets.Request{AddSheet: &sheets.AddSheetRequest{Properties: &sheets.SheetProperties{Title: "Sheet1"}}})
	assertMessage(t, err, 400, `A sheet with the name "Sheet1" already exists`)
	_, err = batch(b, id, &sheets.Request{AddSheet: &sheets.AddSheetRequest{Properties: &sheets.SheetProperties{
		Title: "Other", SheetId: 0, ForceSendFields: []string{"SheetId"}}}})
	assertCode(t, err, 400)
}

func TestDeleteSheet(t *testing.T) {
	b := setup(t)
	id := seed(t, b, "A", "B")
	mustBatch(t, b, id, rowMeta(5, "k", "v", 0, 1))
	mustBatch(t, b, id, &sheets.Request{DeleteSheet: &sheets.DeleteSheetRequest{SheetId: 0}})
	if md := b.srv.DeveloperMetadata(id); len(md) != 0 {
		t.Fatalf("metadata of a deleted sheet survives: %+v", md)
	}
	_, err := batch(b, id, &sheets.Request{DeleteSheet: &sheets.DeleteSheetRequest{SheetId: 0}})
	assertCode(t, err, 400)
}

func TestDeleteLastSheetIs400(t *testing.T) {
	b := setup(t)
	id := seed(t, b)
	_, err := batch(b, id, &sheets.Request{DeleteSheet: &sheets.DeleteSheetRequest{SheetId: 0}})
	assertMessage(t, err, 400, "remove all the visible sheets")
}

func TestUpdateSheetProperties(t *testing.T) {
	b := setup(t)
	id := seed(t, b, "A", "B", "C")
	resp, err := b.sheets.Spreadsheets.BatchUpdate(id, &sheets.BatchUpdateSpreadsheetRequest{
		Requests: []*sheets.Request{{UpdateSheetProperties: &sheets.UpdateSheetPropertiesRequest{
			Properties: &sheets.SheetProperties{SheetId: 0, Title: "Kasus", Index: 2,
				GridProperties: &sheets.GridProperties{FrozenRowCount: 1, RowCount: 50}},
			Fields: "title,index,gridProperties.frozenRowCount,gridProperties.rowCount",
		}}},
		IncludeSpreadsheetInResponse: true,
	}).Do()
	if err != nil {
		t.Fatal(err)
	}
	// Index is "before the move": moving A to 2 puts it between B and C.
	var titles []string
	for _, s := range resp.UpdatedSpreadsheet.Sheets {
		titles = append(titles, s.Properties.Title)
	}
	if strings.Join(titles, ",") != "B,Kasus,C" {
		t.Fatalf("order = %v", titles)
	}
	gp := resp.UpdatedSpreadsheet.Sheets[1].Properties.GridProperties
	if gp.FrozenRowCount != 1 || gp.RowCount != 50 || gp.ColumnCount != 26 {
		t.Fatalf("grid = %+v", gp)
	}
	_, err = batch(b, id, &sheets.Request{UpdateSheetProperties: &sheets.UpdateSheetPropertiesRequest{
		Properties: &sheets.SheetProperties{SheetId: 0, Title: "x"}}})
	assertMessage(t, err, 400, "At least one field")
	_, err = batch(b, id, &sheets.Request{UpdateSheetProperties: &sheets.UpdateSheetPropertiesRequest{
		Properties: &sheets.SheetProperties{SheetId: 0, Title: "B"}, Fields: "title"}})
	assertMessage(t, err, 400, "already exists")
	_, err = batch(b, id, &sheets.Request{UpdateSheetProperties: &sheets.UpdateSheetPropertiesRequest{
		Properties: &sheets.SheetProperties{SheetId: 0, Title: "Z"}, Fields: "bogus"}})
	assertCode(t, err, 400)
}

func TestUpdateCellsKeepsStringsAndFormulas(t *testing.T) {
	b := setup(t)
	id := seed(t, b)
	mustBatch(t, b, id, &sheets.Request{UpdateCells: &sheets.UpdateCellsRequest{
		Start: &sheets.GridCoordinate{SheetId: 0, RowIndex: 1, ColumnIndex: 1},
		Rows: []*sheets.RowData{{Values: []*sheets.CellData{
			strCell("=1+1"),
			{UserEnteredValue: &sheets.ExtendedValue{FormulaValue: str("=1+1")}},
			numCell(42),
		}}},
		Fields: "userEnteredValue",
	}})
	if v := b.srv.CellValue(id, 0, 1, 1); v == nil || v.StringValue == nil || *v.StringValue != "=1+1" || v.FormulaValue != nil {
		t.Fatalf("B2 = %+v, want the string =1+1", v)
	}
	if v := b.srv.CellValue(id, 0, 1, 2); v == nil || v.FormulaValue == nil || *v.FormulaValue != "=1+1" {
		t.Fatalf("C2 = %+v, want the formula", v)
	}
	if v := b.srv.CellValue(id, 0, 1, 3); v == nil || v.NumberValue == nil || *v.NumberValue != 42 {
		t.Fatalf("D2 = %+v", v)
	}
}

func TestUpdateCellsFieldMask(t *testing.T) {
	b := setup(t)
	id := seed(t, b)
	red := &sheets.CellFormat{BackgroundColor: &sheets.Color{Red: 1}}
	mustBatch(t, b, id, &sheets.Request{UpdateCells: &sheets.UpdateCellsRequest{
		Start:  &sheets.GridCoordinate{SheetId: 0},
		Rows:   []*sheets.RowData{{Values: []*sheets.CellData{{UserEnteredValue: &sheets.ExtendedValue{StringValue: str("a")}, UserEnteredFormat: red, Note: "n"}}}},
		Fields: "*",
	}})
	// Only the note is masked: value and format stay.
	mustBatch(t, b, id, &sheets.Request{UpdateCells: &sheets.UpdateCellsRequest{
		Range:  &sheets.GridRange{SheetId: 0, EndRowIndex: 1, EndColumnIndex: 1},
		Rows:   []*sheets.RowData{{Values: []*sheets.CellData{{Note: "baru"}}}},
		Fields: "note",
	}})
	c := b.srv.Cell(id, 0, 0, 0)
	if c == nil || c.Note != "baru" || c.UserEnteredFormat == nil || c.UserEnteredValue == nil {
		t.Fatalf("cell = %+v", c)
	}
	// A masked field the rows leave unset is cleared over the range.
	mustBatch(t, b, id, &sheets.Request{UpdateCells: &sheets.UpdateCellsRequest{
		Range: &sheets.GridRange{SheetId: 0, EndRowIndex: 2, EndColumnIndex: 2}, Fields: "userEnteredValue",
	}})
	c = b.srv.Cell(id, 0, 0, 0)
	if c == nil || c.UserEnteredValue != nil || c.Note != "baru" {
		t.Fatalf("cell after clear = %+v", c)
	}
}

func TestUpdateCellsValidation(t *testing.T) {
	b := setup(t)
	id := seed(t, b)
	cases := map[string]*sheets.UpdateCellsRequest{
		"no fields":   {Start: &sheets.GridCoordinate{}, Rows: rows([]string{"a"})},
		"no area":     {Rows: rows([]string{"a"}), Fields: "*"},
		"no grid":     {Start: &sheets.GridCoordinate{SheetId: 9}, Rows: rows([]string{"a"}), Fields: "*"},
		"beyond grid": {Start: &sheets.GridCoordinate{RowIndex: 1000}, Rows: rows([]string{"a"}), Fields: "*"},
		"too long":    {Start: &sheets.GridCoordinate{}, Rows: rows([]string{strings.Repeat("x", 50001)}), Fields: "*"},
		"bad range":   {Range: &sheets.GridRange{StartRowIndex: 5, EndRowIndex: 2}, Fields: "*"},
	}
	for name, req := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := batch(b, id, &sheets.Request{UpdateCells: req})
			assertCode(t, err, 400)
		})
	}
	// Exactly 50,000 characters is allowed.
	mustBatch(t, b, id, &sheets.Request{UpdateCells: &sheets.UpdateCellsRequest{
		Start: &sheets.GridCoordinate{}, Rows: rows([]string{strings.Repeat("x", 50000)}), Fields: "*"}})
	_, err := batch(b, id, &sheets.Request{UpdateCells: &sheets.UpdateCellsRequest{
		Start: &sheets.GridCoordinate{SheetId: 9}, Rows: rows([]string{"a"}), Fields: "*"}})
	assertMessage(t, err, 400, "No grid with id: 9")
}

func TestAppendCells(t *testing.T) {
	b := setup(t)
	id := seed(t, b)
	mustBatch(t, b, id, &sheets.Request{UpdateSheetProperties: &sheets.UpdateSheetPropertiesRequest{
		Properties: &sheets.SheetProperties{Title: "Sheet1", GridProperties: &sheets.GridProperties{RowCount: 3, ColumnCount: 2}},
		Fields:     "gridProperties.rowCount,gridProperties.columnCount",
	}})
	writeColumn(t, b, id, "h", "", "x")
	resp, err := b.sheets.Spreadsheets.BatchUpdate(id, &sheets.BatchUpdateSpreadsheetRequest{
		Requests: []*sheets.Request{{AppendCells: &sheets.AppendCellsRequest{
			SheetId: 0, Rows: rows([]string{"a", "b", "c"}, []string{"d"}), Fields: "userEnteredValue",
		}}},
		IncludeSpreadsheetInResponse: true,
	}).Do()
	if err != nil {
		t.Fatal(err)
	}
	if got := column(b, id, 5); strings.Join(got, ",") != "h,,x,a,d" {
		t.Fatalf("column A = %v", got)
	}
	if cellString(b, id, 0, 3, 2) != "c" {
		t.Fatal("C4 not written")
	}
	gp := resp.UpdatedSpreadsheet.Sheets[0].Properties.GridProperties
	if gp.RowCount != 5 || gp.ColumnCount != 3 {
		t.Fatalf("grid grew to %dx%d, want 5x3", gp.RowCount, gp.ColumnCount)
	}
}

func TestRepeatCellAndSetDataValidation(t *testing.T) {
	b := setup(t)
	id := seed(t, b)
	rule := &sheets.DataValidationRule{Strict: true, Condition: &sheets.BooleanCondition{
		Type: "ONE_OF_LIST", Values: []*sheets.ConditionValue{{UserEnteredValue: "Baru"}, {UserEnteredValue: "Selesai"}},
	}}
	mustBatch(t, b, id,
		&sheets.Request{RepeatCell: &sheets.RepeatCellRequest{
			Range: &sheets.GridRange{SheetId: 0, StartRowIndex: 1, EndRowIndex: 3, StartColumnIndex: 1, EndColumnIndex: 2},
			Cell:  strCell("Baru"), Fields: "userEnteredValue"}},
		&sheets.Request{SetDataValidation: &sheets.SetDataValidationRequest{
			Range: &sheets.GridRange{SheetId: 0, StartRowIndex: 1, EndRowIndex: 3, StartColumnIndex: 1, EndColumnIndex: 2},
			Rule:  rule}},
	)
	for r := int64(1); r < 3; r++ {
		c := b.srv.Cell(id, 0, r, 1)
		if c == nil || c.DataValidation == nil || c.DataValidation.Condition.Type != "ONE_OF_LIST" || *c.UserEnteredValue.StringValue != "Baru" {
			t.Fatalf("row %d cell = %+v", r, c)
		}
	}
	if c := b.srv.Cell(id, 0, 3, 1); c != nil {
		t.Fatalf("B4 touched: %+v", c)
	}
	// No rule clears the validation and keeps the value.
	mustBatch(t, b, id, &sheets.Request{SetDataValidation: &sheets.SetDataValidationRequest{
		Range: &sheets.GridRange{SheetId: 0, StartRowIndex: 1, EndRowIndex: 2, StartColumnIndex: 1, EndColumnIndex: 2}}})
	if c := b.srv.Cell(id, 0, 1, 1); c.DataValidation != nil || c.UserEnteredValue == nil {
		t.Fatalf("after clear = %+v", c)
	}
	_, err := batch(b, id, &sheets.Request{SetDataValidation: &sheets.SetDataValidationRequest{
		Range: &sheets.GridRange{SheetId: 0}, Rule: &sheets.DataValidationRule{Condition: &sheets.BooleanCondition{Type: "ONE_OF_LIST"}}}})
	assertCode(t, err, 400)
}

func TestInsertDimensionMovesMetadata(t *testing.T) {
	b := setup(t)
	id := seed(t, b)
	writeColumn(t, b, id, "h", "a", "b")
	mustBatch(t, b, id, rowMeta(11, "caseId", "A-1", 0, 1))
	mustBatch(t, b, id, &sheets.Request{InsertDimension: &sheets.InsertDimensionRequest{
		Range: &sheets.DimensionRange{SheetId: 0, Dimension: "ROWS", StartIndex: 1, EndIndex: 3}, InheritFromBefore: true}})
	if got := metaRow(b, id, 11); got != 3 {
		t.Fatalf("metadata at row %d, want 3", got)
	}
	if got := column(b, id, 5); strings.Join(got, ",") != "h,,,a,b" {
		t.Fatalf("column = %v", got)
	}
	// Inserting at index == rowCount appends.
	resp, err := b.sheets.Spreadsheets.BatchUpdate(id, &sheets.BatchUpdateSpreadsheetRequest{
		Requests: []*sheets.Request{{InsertDimension: &sheets.InsertDimensionRequest{
			Range: &sheets.DimensionRange{SheetId: 0, Dimension: "ROWS", StartIndex: 1002, EndIndex: 1003}}}},
		IncludeSpreadsheetInResponse: true,
	}).Do()
	if err != nil {
		t.Fatal(err)
	}
	if n := resp.UpdatedSpreadsheet.Sheets[0].Properties.GridProperties.RowCount; n != 1003 {
		t.Fatalf("rowCount = %d", n)
	}
	for _, r := range []*sheets.InsertDimensionRequest{
		{Range: &sheets.DimensionRange{SheetId: 0, Dimension: "ROWS", StartIndex: 1004, EndIndex: 1005}},
		{Range: &sheets.DimensionRange{SheetId: 0, Dimension: "ROWS", StartIndex: 0, EndIndex: 1}, InheritFromBefore: true},
		{Range: &sheets.DimensionRange{SheetId: 0, Dimension: "ROWS", StartIndex: 3}},
	} {
		_, err := batch(b, id, &sheets.Request{InsertDimension: r})
		assertCode(t, err, 400)
	}
}

func TestInsertColumnsMovesColumnMetadata(t *testing.T) {
	b := setup(t)
	id := seed(t, b)
	mustBatch(t, b, id, &sheets.Request{CreateDeveloperMetadata: &sheets.CreateDeveloperMetadataRequest{
		DeveloperMetadata: &sheets.DeveloperMetadata{MetadataId: 3, MetadataKey: "col", Visibility: "PROJECT",
			Location: &sheets.DeveloperMetadataLocation{DimensionRange: &sheets.DimensionRange{Dimension: "COLUMNS", StartIndex: 2, EndIndex: 3}}}}})
	mustBatch(t, b, id, &sheets.Request{InsertDimension: &sheets.InsertDimensionRequest{
		Range: &sheets.DimensionRange{SheetId: 0, Dimension: "COLUMNS", StartIndex: 0, EndIndex: 1}}})
	md := b.srv.DeveloperMetadata(id)
	if len(md) != 1 || md[0].Location.LocationType != "COLUMN" || md[0].Location.DimensionRange.StartIndex != 3 {
		t.Fatalf("metadata = %+v", md[0].Location.DimensionRange)
	}
}

func TestDeleteDimensionMovesAndDeletesMetadata(t *testing.T) {
	b := setup(t)
	id := seed(t, b)
	writeColumn(t, b, id, "h", "a", "b", "c")
	mustBatch(t, b, id, rowMeta(1, "caseId", "a", 0, 1), rowMeta(2, "caseId", "c", 0, 3))
	mustBatch(t, b, id, &sheets.Request{DeleteDimension: &sheets.DeleteDimensionRequest{
		Range: &sheets.DimensionRange{SheetId: 0, Dimension: "ROWS", StartIndex: 1, EndIndex: 2}}})
	if metaRow(b, id, 1) != -1 {
		t.Fatal("metadata of the deleted row survives")
	}
	if got := metaRow(b, id, 2); got != 2 {
		t.Fatalf("metadata below moved to row %d, want 2", got)
	}
	if got := column(b, id, 3); strings.Join(got, ",") != "h,b,c" {
		t.Fatalf("column = %v", got)
	}
	_, err := batch(b, id, &sheets.Request{DeleteDimension: &sheets.DeleteDimensionRequest{
		Range: &sheets.DimensionRange{SheetId: 0, Dimension: "ROWS"}}})
	assertMessage(t, err, 400, "non-frozen rows")
}

func TestMoveDimensionMovesMetadata(t *testing.T) {
	b := setup(t)
	id := seed(t, b)
	writeColumn(t, b, id, "0", "1", "2", "3", "4")
	mustBatch(t, b, id, rowMeta(7, "k", "row1", 0, 1))
	// The documented example: move rows [1,3) to destination 4 gives 0,3,1,2,4.
	mustBatch(t, b, id, &sheets.Request{MoveDimension: &sheets.MoveDimensionRequest{
		Source: &sheets.DimensionRange{SheetId: 0, Dimension: "ROWS", StartIndex: 1, EndIndex: 3}, DestinationIndex: 4}})
	if got := column(b, id, 5); strings.Join(got, ",") != "0,3,1,2,4" {
		t.Fatalf("column = %v", got)
	}
	if got := metaRow(b, id, 7); got != 2 {
		t.Fatalf("metadata at row %d, want 2", got)
	}
}

func TestAppendDimensionAndUpdateDimensionProperties(t *testing.T) {
	b := setup(t)
	id := seed(t, b)
	resp, err := b.sheets.Spreadsheets.BatchUpdate(id, &sheets.BatchUpdateSpreadsheetRequest{
		Requests: []*sheets.Request{
			{AppendDimension: &sheets.AppendDimensionRequest{SheetId: 0, Dimension: "COLUMNS", Length: 4}},
			{UpdateDimensionProperties: &sheets.UpdateDimensionPropertiesRequest{
				Range:      &sheets.DimensionRange{SheetId: 0, Dimension: "COLUMNS", StartIndex: 0, EndIndex: 2},
				Properties: &sheets.DimensionProperties{PixelSize: 250, HiddenByUser: true}, Fields: "pixelSize"}},
		},
		IncludeSpreadsheetInResponse: true, ResponseIncludeGridData: true,
	}).Do()
	if err != nil {
		t.Fatal(err)
	}
	sh := resp.UpdatedSpreadsheet.Sheets[0]
	if sh.Properties.GridProperties.ColumnCount != 30 {
		t.Fatalf("columns = %d", sh.Properties.GridProperties.ColumnCount)
	}
	cm := sh.Data[0].ColumnMetadata
	if cm[1].PixelSize != 250 || cm[1].HiddenByUser || cm[2].PixelSize == 250 {
		t.Fatalf("column metadata = %+v %+v", cm[1], cm[2])
	}
	_, err = batch(b, id, &sheets.Request{AppendDimension: &sheets.AppendDimensionRequest{SheetId: 0, Dimension: "ROWS"}})
	assertCode(t, err, 400)
}

func sortRows(t *testing.T, leave bool) (*bundle, string) {
	t.Helper()
	b := setupWith(t, fake.Options{SortLeavesMetadata: leave})
	id := seed(t, b)
	mustBatch(t, b, id, &sheets.Request{UpdateCells: &sheets.UpdateCellsRequest{
		Start: &sheets.GridCoordinate{SheetId: 0},
		Rows: []*sheets.RowData{
			{Values: []*sheets.CellData{strCell("header")}},
			{Values: []*sheets.CellData{strCell("banana")}},
			{Values: []*sheets.CellData{{}}},
			{Values: []*sheets.CellData{numCell(10)}},
			{Values: []*sheets.CellData{strCell("Apple")}},
			{Values: []*sheets.CellData{numCell(2)}},
		},
		Fields: "userEnteredValue",
	}})
	mustBatch(t, b, id, rowMeta(100, "caseId", "banana", 0, 1))
	return b, id
}

func sortReq(order string) *sheets.Request {
	return &sheets.Request{SortRange: &sheets.SortRangeRequest{
		Range:     &sheets.GridRange{SheetId: 0, StartRowIndex: 1, EndRowIndex: 6},
		SortSpecs: []*sheets.SortSpec{{DimensionIndex: 0, SortOrder: order}},
	}}
}

func numOrStr(b *bundle, id string, r int64) string {
	v := b.srv.CellValue(id, 0, r, 0)
	switch {
	case v == nil:
		return ""
	case v.NumberValue != nil:
		return strconv.FormatFloat(*v.NumberValue, 'f', -1, 64)
	}
	return *v.StringValue
}

func TestSortRangeMovesMetadataWithRow(t *testing.T) {
	b, id := sortRows(t, false)
	mustBatch(t, b, id, sortReq("ASCENDING"))
	var got []string
	for r := int64(0); r < 6; r++ {
		got = append(got, numOrStr(b, id, r))
	}
	// Numbers before text, text case-insensitive, empty cells last.
	if strings.Join(got, ",") != "header,2,10,Apple,banana," {
		t.Fatalf("sorted = %v", got)
	}
	if r := metaRow(b, id, 100); r != 4 {
		t.Fatalf("metadata at row %d, want 4 (with banana)", r)
	}
	mustBatch(t, b, id, sortReq("DESCENDING"))
	got = got[:0]
	for r := int64(0); r < 6; r++ {
		got = append(got, numOrStr(b, id, r))
	}
	if strings.Join(got, ",") != "header,banana,Apple,10,2," {
		t.Fatalf("sorted descending = %v", got)
	}
}

// TestSortsApplied: every sortRange applied counts, one in a batch that
// fails does not, other requests do not, and a clone keeps the count.
func TestSortsApplied(t *testing.T) {
	b, id := sortRows(t, false)
	sorts := func(srv *fake.Server) int {
		t.Helper()
		n, err := srv.SortsApplied(id)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := sorts(b.srv); n != 0 {
		t.Fatalf("sorts before any sortRange = %d", n)
	}
	mustBatch(t, b, id, sortReq("ASCENDING"), sortReq("DESCENDING"))
	mustBatch(t, b, id, &sheets.Request{AppendDimension: &sheets.AppendDimensionRequest{SheetId: 0, Dimension: "ROWS", Length: 1}})
	_, err := batch(b, id, sortReq("ASCENDING"), &sheets.Request{DeleteSheet: &sheets.DeleteSheetRequest{SheetId: 99}})
	assertCode(t, err, 400)
	if n := sorts(b.srv); n != 2 {
		t.Fatalf("sorts = %d, want 2 (the failed batch's not counted)", n)
	}
	c, err := b.srv.Clone(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if n := sorts(c); n != 2 {
		t.Fatalf("clone's sorts = %d, want 2", n)
	}
	if _, err := b.srv.SortsApplied("nope"); err == nil {
		t.Fatal("SortsApplied of an unknown spreadsheet: no error")
	}
}

func TestSortRangeLeavesMetadataWhenConfigured(t *testing.T) {
	b, id := sortRows(t, true)
	mustBatch(t, b, id, sortReq("ASCENDING"))
	if r := metaRow(b, id, 100); r != 1 {
		t.Fatalf("metadata at row %d, want 1 (left at its index)", r)
	}
	if numOrStr(b, id, 1) != "2" {
		t.Fatalf("row 1 = %q, want 2 (data sorted)", numOrStr(b, id, 1))
	}
}

func TestProtectedRanges(t *testing.T) {
	b := setup(t)
	id := seed(t, b)
	resp := mustBatch(t, b, id, &sheets.Request{AddProtectedRange: &sheets.AddProtectedRangeRequest{
		ProtectedRange: &sheets.ProtectedRange{Range: &sheets.GridRange{SheetId: 0, EndRowIndex: 1}, WarningOnly: true,
			Editors: &sheets.Editors{Users: []string{"x@example.com"}}, Description: "header"}}})
	pr := resp.Replies[0].AddProtectedRange.ProtectedRange
	if pr.ProtectedRangeId == 0 || !pr.WarningOnly || pr.Editors != nil || pr.Description != "header" {
		t.Fatalf("protected range = %+v", pr)
	}
	mustBatch(t, b, id, &sheets.Request{UpdateProtectedRange: &sheets.UpdateProtectedRangeRequest{
		ProtectedRange: &sheets.ProtectedRange{ProtectedRangeId: pr.ProtectedRangeId, Description: "kepala"}, Fields: "description"}})
	mustBatch(t, b, id, &sheets.Request{DeleteProtectedRange: &sheets.DeleteProtectedRangeRequest{ProtectedRangeId: pr.ProtectedRangeId}})
	_, err := batch(b, id, &sheets.Request{DeleteProtectedRange: &sheets.DeleteProtectedRangeRequest{ProtectedRangeId: pr.ProtectedRangeId}})
	assertCode(t, err, 400)
	_, err = batch(b, id, &sheets.Request{AddProtectedRange: &sheets.AddProtectedRangeRequest{
		ProtectedRange: &sheets.ProtectedRange{Range: &sheets.GridRange{SheetId: 5}}}})
	assertMessage(t, err, 400, "No grid with id: 5")
}

func TestAddChart(t *testing.T) {
	b := setup(t)
	id := seed(t, b)
	spec := func(sheetID int64) *sheets.ChartSpec {
		return &sheets.ChartSpec{Title: "Kasus", BasicChart: &sheets.BasicChartSpec{ChartType: "COLUMN",
			Domains: []*sheets.BasicChartDomain{{Domain: &sheets.ChartData{SourceRange: &sheets.ChartSourceRange{
				Sources: []*sheets.GridRange{{SheetId: sheetID, EndRowIndex: 5, EndColumnIndex: 1}}}}}}}}
	}
	pos := &sheets.EmbeddedObjectPosition{OverlayPosition: &sheets.OverlayPosition{AnchorCell: &sheets.GridCoordinate{SheetId: 0, RowIndex: 2}}}
	resp := mustBatch(t, b, id, &sheets.Request{AddChart: &sheets.AddChartRequest{Chart: &sheets.EmbeddedChart{Spec: spec(0), Position: pos}}})
	if c := resp.Replies[0].AddChart.Chart; c.ChartId == 0 || c.Spec.Title != "Kasus" {
		t.Fatalf("chart = %+v", c)
	}
	_, err := batch(b, id, &sheets.Request{AddChart: &sheets.AddChartRequest{Chart: &sheets.EmbeddedChart{Spec: spec(42), Position: pos}}})
	assertMessage(t, err, 400, "No grid with id: 42")
}

func TestMergeAndUnmergeCells(t *testing.T) {
	b := setup(t)
	id := seed(t, b)
	rng := &sheets.GridRange{SheetId: 0, StartRowIndex: 0, EndRowIndex: 2, StartColumnIndex: 0, EndColumnIndex: 2}
	view := func() []*sheets.GridRange {
		resp, err := b.sheets.Spreadsheets.BatchUpdate(id, &sheets.BatchUpdateSpreadsheetRequest{
			Requests:                     []*sheets.Request{{AppendDimension: &sheets.AppendDimensionRequest{SheetId: 0, Dimension: "ROWS", Length: 1}}},
			IncludeSpreadsheetInResponse: true}).Do()
		if err != nil {
			t.Fatal(err)
		}
		return resp.UpdatedSpreadsheet.Sheets[0].Merges
	}
	mustBatch(t, b, id, &sheets.Request{MergeCells: &sheets.MergeCellsRequest{Range: rng, MergeType: "MERGE_ROWS"}})
	if m := view(); len(m) != 2 {
		t.Fatalf("merges = %d, want 2 (one per row)", len(m))
	}
	_, err := batch(b, id, &sheets.Request{UnmergeCells: &sheets.UnmergeCellsRequest{
		Range: &sheets.GridRange{SheetId: 0, EndRowIndex: 1, EndColumnIndex: 1}}})
	assertCode(t, err, 400)
	mustBatch(t, b, id, &sheets.Request{UnmergeCells: &sheets.UnmergeCellsRequest{Range: rng}})
	if m := view(); len(m) != 0 {
		t.Fatalf("merges left: %+v", m)
	}
}

func TestAddConditionalFormatRule(t *testing.T) {
	b := setup(t)
	id := seed(t, b)
	rule := &sheets.ConditionalFormatRule{
		Ranges: []*sheets.GridRange{{SheetId: 0, StartColumnIndex: 3, EndColumnIndex: 4}},
		BooleanRule: &sheets.BooleanRule{Condition: &sheets.BooleanCondition{Type: "TEXT_EQ",
			Values: []*sheets.ConditionValue{{UserEnteredValue: "Terlambat"}}},
			Format: &sheets.CellFormat{BackgroundColor: &sheets.Color{Red: 1}}},
	}
	resp, err := b.sheets.Spreadsheets.BatchUpdate(id, &sheets.BatchUpdateSpreadsheetRequest{
		Requests:                     []*sheets.Request{{AddConditionalFormatRule: &sheets.AddConditionalFormatRuleRequest{Rule: rule}}},
		IncludeSpreadsheetInResponse: true}).Do()
	if err != nil {
		t.Fatal(err)
	}
	if cf := resp.UpdatedSpreadsheet.Sheets[0].ConditionalFormats; len(cf) != 1 {
		t.Fatalf("conditional formats = %+v", cf)
	}
	_, err = batch(b, id, &sheets.Request{AddConditionalFormatRule: &sheets.AddConditionalFormatRuleRequest{Rule: rule, Index: 5}})
	assertCode(t, err, 400)
}

func TestFieldMaskSubSelection(t *testing.T) {
	b := setup(t)
	id := seed(t, b)
	resp, err := b.sheets.Spreadsheets.BatchUpdate(id, &sheets.BatchUpdateSpreadsheetRequest{
		Requests: []*sheets.Request{{UpdateSheetProperties: &sheets.UpdateSheetPropertiesRequest{
			Properties: &sheets.SheetProperties{Title: "ignored", GridProperties: &sheets.GridProperties{RowCount: 7, ColumnCount: 4}},
			Fields:     "gridProperties(rowCount,columnCount)",
		}}},
		IncludeSpreadsheetInResponse: true,
	}).Do()
	if err != nil {
		t.Fatal(err)
	}
	p := resp.UpdatedSpreadsheet.Sheets[0].Properties
	if p.Title != "Sheet1" || p.GridProperties.RowCount != 7 || p.GridProperties.ColumnCount != 4 {
		t.Fatalf("properties = %+v grid %+v", p, p.GridProperties)
	}
	_, err = batch(b, id, &sheets.Request{UpdateSheetProperties: &sheets.UpdateSheetPropertiesRequest{
		Properties: &sheets.SheetProperties{Title: "x"}, Fields: "gridProperties(rowCount"}})
	assertCode(t, err, 400)
}
