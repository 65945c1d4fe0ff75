package google

import (
	"context"
	"fmt"
	"strings"

	"google.golang.org/api/sheets/v4"
)

// CreateSpreadsheet creates an empty spreadsheet in the office's locale
// and time zone and returns its id. Ensure then lays out the tabs.
func CreateSpreadsheet(ctx context.Context, svc *sheets.Service, r *Retrier, title, timeZone string) (string, error) {
	if r == nil {
		r = &Retrier{}
	}
	ss, err := DoValue(ctx, r, NonIdempotent("sheets.spreadsheets.create"), func(ctx context.Context) (*sheets.Spreadsheet, error) {
		return svc.Spreadsheets.Create(&sheets.Spreadsheet{Properties: &sheets.SpreadsheetProperties{
			Title: title, Locale: "id_ID", TimeZone: timeZone,
		}}).Context(ctx).Do()
	})
	if err != nil {
		return "", fmt.Errorf("create spreadsheet: %w", err)
	}
	return ss.SpreadsheetId, nil
}

// Seed is rows to put into a tab when Ensure creates it (the example
// roster), by field key.
type Seed map[string][]map[string]string

// Ensure makes the spreadsheet match the schemas in ONE atomic
// batchUpdate: missing tabs are added with their headers, frozen header
// row, column anchors, dropdowns, column widths and protections (a
// warning on daemon columns, full protection of hidden tabs); an existing
// tab is adopted — its columns found by header, missing columns appended,
// anchors added — and nothing staff wrote is touched. It returns what it
// changed, in Indonesian, one line per change; nothing means the sheet
// was already initialised.
func (s *Sheets) Ensure(ctx context.Context, schemas []TabSchema, seed Seed) ([]string, error) {
	meta, err := DoValue(ctx, s.retry, Idempotent("sheets.spreadsheets.get"), func(ctx context.Context) (*sheets.Spreadsheet, error) {
		return s.svc.Spreadsheets.Get(s.id).Fields("sheets(properties,protectedRanges),developerMetadata").Context(ctx).Do()
	})
	if err != nil {
		return nil, fmt.Errorf("read spreadsheet: %w", err)
	}
	existing := map[string]*sheets.Sheet{}
	var ranges []string
	for _, sh := range meta.Sheets {
		existing[sh.Properties.Title] = sh
	}
	for _, sc := range schemas {
		if existing[sc.Title] != nil {
			ranges = append(ranges, QuoteSheetName(sc.Title)+"!1:1")
		}
	}
	headers := map[string]*sheets.Sheet{}
	if len(ranges) > 0 {
		got, err := DoValue(ctx, s.retry, Idempotent("sheets.spreadsheets.get"), func(ctx context.Context) (*sheets.Spreadsheet, error) {
			return s.svc.Spreadsheets.Get(s.id).Ranges(ranges...).IncludeGridData(true).
				Fields("sheets(properties(sheetId,title,gridProperties),data(rowData(values(" + cellFields + ")),columnMetadata(developerMetadata(metadataKey,metadataValue))))").
				Context(ctx).Do()
		})
		if err != nil {
			return nil, fmt.Errorf("read headers: %w", err)
		}
		for _, sh := range got.Sheets {
			headers[sh.Properties.Title] = sh
		}
	}

	var reqs []*sheets.Request
	var changes []string
	nextID := int64(1000)
	for _, sh := range meta.Sheets {
		nextID = max(nextID, sh.Properties.SheetId+1)
	}
	for _, sc := range schemas {
		if sh := existing[sc.Title]; sh != nil {
			r, ch := adoptTab(sc, sh, headers[sc.Title])
			reqs = append(reqs, r...)
			changes = append(changes, ch...)
			continue
		}
		id := nextID
		nextID++
		reqs = append(reqs, newTabRequests(sc, id, seed[sc.Title])...)
		changes = append(changes, fmt.Sprintf("tab %q dibuat", sc.Title))
	}
	if !hasSchemaMeta(meta.DeveloperMetadata) {
		reqs = append(reqs, &sheets.Request{CreateDeveloperMetadata: &sheets.CreateDeveloperMetadataRequest{
			DeveloperMetadata: &sheets.DeveloperMetadata{
				MetadataKey: MetaSchemaKey, MetadataValue: SchemaVersion, Visibility: "DOCUMENT",
				Location: &sheets.DeveloperMetadataLocation{Spreadsheet: true},
			},
		}})
		changes = append(changes, "versi skema "+SchemaVersion+" dicatat")
		// A spreadsheet kopi just created still has Google's default tab.
		if len(meta.Sheets) == 1 && !isSchemaTab(schemas, meta.Sheets[0].Properties.Title) && sheetIsBlank(meta.Sheets[0]) {
			reqs = append(reqs, &sheets.Request{DeleteSheet: &sheets.DeleteSheetRequest{SheetId: meta.Sheets[0].Properties.SheetId}})
			changes = append(changes, fmt.Sprintf("tab bawaan %q dihapus", meta.Sheets[0].Properties.Title))
		}
	}
	if len(reqs) == 0 {
		return nil, nil
	}
	_, err = DoValue(ctx, s.retry, NonIdempotent("sheets.spreadsheets.batchUpdate"), func(ctx context.Context) (*sheets.BatchUpdateSpreadsheetResponse, error) {
		return s.svc.Spreadsheets.BatchUpdate(s.id, &sheets.BatchUpdateSpreadsheetRequest{Requests: reqs}).Context(ctx).Do()
	})
	if err != nil {
		return nil, fmt.Errorf("prepare spreadsheet (%d changes): %w", len(reqs), err)
	}
	return changes, nil
}

func hasSchemaMeta(md []*sheets.DeveloperMetadata) bool {
	for _, m := range md {
		if m.MetadataKey == MetaSchemaKey {
			return true
		}
	}
	return false
}

func isSchemaTab(schemas []TabSchema, title string) bool {
	for _, sc := range schemas {
		if sc.Title == title {
			return true
		}
	}
	return false
}

// sheetIsBlank is true for a tab without protections or charts; its
// cells are not read, so a default tab staff already typed into is kept
// unless it is empty of structure too. Only kopi-created spreadsheets
// reach this check (no schema metadata yet).
func sheetIsBlank(sh *sheets.Sheet) bool {
	return len(sh.ProtectedRanges) == 0 && len(sh.Charts) == 0
}

// newTabRequests adds a tab laid out by the schema.
func newTabRequests(sc TabSchema, id int64, seed []map[string]string) []*sheets.Request {
	cols := int64(len(sc.Columns))
	reqs := []*sheets.Request{{AddSheet: &sheets.AddSheetRequest{Properties: &sheets.SheetProperties{
		SheetId: id, Title: sc.Title, Hidden: sc.Hidden,
		GridProperties: &sheets.GridProperties{RowCount: 1000, ColumnCount: max(cols, 1), FrozenRowCount: 1},
	}}}}
	header := make([]*sheets.CellData, len(sc.Columns))
	for i, c := range sc.Columns {
		header[i] = stringCell(c.Header)
		header[i].UserEnteredFormat = &sheets.CellFormat{TextFormat: &sheets.TextFormat{Bold: true}, WrapStrategy: "WRAP"}
	}
	rows := []*sheets.RowData{{Values: header}}
	for _, r := range seed {
		cells := make([]*sheets.CellData, len(sc.Columns))
		for i, c := range sc.Columns {
			cells[i] = &sheets.CellData{}
			if v := r[c.Key]; v != "" {
				cells[i] = stringCell(v)
			}
		}
		rows = append(rows, &sheets.RowData{Values: cells})
	}
	reqs = append(reqs, &sheets.Request{UpdateCells: &sheets.UpdateCellsRequest{
		Start: &sheets.GridCoordinate{SheetId: id}, Rows: rows, Fields: "userEnteredValue,userEnteredFormat",
	}})
	for i, c := range sc.Columns {
		reqs = append(reqs, columnRequests(sc, id, int64(i), c)...)
	}
	if sc.Hidden || sc.Locked {
		reqs = append(reqs, &sheets.Request{AddProtectedRange: &sheets.AddProtectedRangeRequest{ProtectedRange: &sheets.ProtectedRange{
			Range:       &sheets.GridRange{SheetId: id},
			Description: "Data internal kopi — jangan diubah",
		}}})
	}
	return reqs
}

// columnRequests anchors a column and gives it its dropdown, width and,
// for daemon columns of visible tabs, a warning-only protection.
func columnRequests(sc TabSchema, sheetID, col int64, c ColumnSpec) []*sheets.Request {
	reqs := []*sheets.Request{{CreateDeveloperMetadata: &sheets.CreateDeveloperMetadataRequest{
		DeveloperMetadata: &sheets.DeveloperMetadata{
			MetadataKey: MetaColumnKey, MetadataValue: c.Key, Visibility: "DOCUMENT",
			Location: &sheets.DeveloperMetadataLocation{DimensionRange: &sheets.DimensionRange{
				SheetId: sheetID, Dimension: "COLUMNS", StartIndex: col, EndIndex: col + 1,
			}},
		},
	}}}
	if len(c.Choices) > 0 {
		vals := make([]*sheets.ConditionValue, len(c.Choices))
		for i, ch := range c.Choices {
			vals[i] = &sheets.ConditionValue{UserEnteredValue: ch}
		}
		reqs = append(reqs, &sheets.Request{SetDataValidation: &sheets.SetDataValidationRequest{
			Range: &sheets.GridRange{SheetId: sheetID, StartRowIndex: 1, StartColumnIndex: col, EndColumnIndex: col + 1},
			Rule: &sheets.DataValidationRule{
				Condition:    &sheets.BooleanCondition{Type: "ONE_OF_LIST", Values: vals},
				Strict:       true,
				ShowCustomUi: true,
				InputMessage: "Pilih salah satu: " + strings.Join(c.Choices, ", "),
			},
		}})
	}
	if c.Width > 0 {
		reqs = append(reqs, &sheets.Request{UpdateDimensionProperties: &sheets.UpdateDimensionPropertiesRequest{
			Range:      &sheets.DimensionRange{SheetId: sheetID, Dimension: "COLUMNS", StartIndex: col, EndIndex: col + 1},
			Properties: &sheets.DimensionProperties{PixelSize: c.Width},
			Fields:     "pixelSize",
		}})
	}
	if c.Daemon && !sc.Hidden && !sc.Locked {
		reqs = append(reqs, &sheets.Request{AddProtectedRange: &sheets.AddProtectedRangeRequest{ProtectedRange: &sheets.ProtectedRange{
			Range:       &sheets.GridRange{SheetId: sheetID, StartColumnIndex: col, EndColumnIndex: col + 1},
			Description: "Kolom " + c.Header + " diisi oleh kopi",
			WarningOnly: true,
		}}})
	}
	return reqs
}

// adoptTab checks an existing tab against its schema: columns are found
// by anchor or header; a missing column is appended at the right edge
// with its header, anchor and protection; unanchored columns get their
// anchor. Staff data is never moved or overwritten.
func adoptTab(sc TabSchema, sh, withHeader *sheets.Sheet) ([]*sheets.Request, []string) {
	id := sh.Properties.SheetId
	t := &Table{Schema: sc, Columns: map[string]int{}}
	anchored := map[string]bool{}
	if withHeader != nil {
		t = tableFromGrid(sc, withHeader)
		for _, g := range withHeader.Data {
			for _, cm := range g.ColumnMetadata {
				if v, ok := metaValue(cm, MetaColumnKey); ok {
					anchored[v] = true
				}
			}
		}
	}
	var reqs []*sheets.Request
	var changes []string
	var missing []ColumnSpec
	for _, c := range sc.Columns {
		col, ok := t.Columns[c.Key]
		if !ok {
			missing = append(missing, c)
			continue
		}
		if !anchored[c.Key] {
			reqs = append(reqs, columnRequests(sc, id, int64(col), c)[0])
			changes = append(changes, fmt.Sprintf("kolom %q di tab %q ditandai", c.Header, sc.Title))
		}
	}
	if len(missing) > 0 {
		reqs = append(reqs, &sheets.Request{AppendDimension: &sheets.AppendDimensionRequest{
			SheetId: id, Dimension: "COLUMNS", Length: int64(len(missing)),
		}})
		var gridCols int64
		if gp := sh.Properties.GridProperties; gp != nil {
			gridCols = gp.ColumnCount
		}
		for i, c := range missing {
			col := gridCols + int64(i)
			reqs = append(reqs, &sheets.Request{UpdateCells: &sheets.UpdateCellsRequest{
				Start:  &sheets.GridCoordinate{SheetId: id, ColumnIndex: col},
				Rows:   []*sheets.RowData{{Values: []*sheets.CellData{stringCell(c.Header)}}},
				Fields: "userEnteredValue",
			}})
			reqs = append(reqs, columnRequests(sc, id, col, c)...)
			changes = append(changes, fmt.Sprintf("kolom %q ditambahkan ke tab %q", c.Header, sc.Title))
		}
	}
	return reqs, changes
}
