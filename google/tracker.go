package google

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"google.golang.org/api/googleapi"
	"google.golang.org/api/sheets/v4"
)

// Sheets is kopi's adapter over the tracking spreadsheet: one batched read
// per cycle, one atomic write for new rows and state, and position-free
// updates of existing rows through their developer-metadata anchors.
type Sheets struct {
	svc   *sheets.Service
	retry *Retrier
	id    string
}

// NewSheets returns the adapter for one spreadsheet.
func NewSheets(svc *sheets.Service, r *Retrier, spreadsheetID string) *Sheets {
	if r == nil {
		r = &Retrier{}
	}
	return &Sheets{svc: svc, retry: r, id: spreadsheetID}
}

// SpreadsheetID is the id of the tracking spreadsheet.
func (s *Sheets) SpreadsheetID() string { return s.id }

// readFields limits spreadsheets.get to what Read decodes.
const readFields = "sheets(properties(sheetId,title,index,hidden,gridProperties(rowCount,columnCount,frozenRowCount))," +
	"data(startRow,startColumn,rowData(values(" + cellFields + "))," +
	"rowMetadata(developerMetadata(metadataId,metadataKey,metadataValue))," +
	"columnMetadata(developerMetadata(metadataId,metadataKey,metadataValue))))"

// ErrTabMissing reports a tab kopi expects that the spreadsheet lacks.
type ErrTabMissing struct{ Title string }

func (e *ErrTabMissing) Error() string {
	return fmt.Sprintf("tab %q tidak ada di spreadsheet; jalankan `kopi init`", e.Title)
}

// Read returns the given tabs in ONE spreadsheets.get call: cell values,
// row anchors and column anchors. Overflow text of long cells is joined
// back when the schema list includes the overflow tab.
func (s *Sheets) Read(ctx context.Context, schemas ...TabSchema) (map[string]*Table, error) {
	ranges := make([]string, len(schemas))
	for i, sc := range schemas {
		ranges[i] = QuoteSheetName(sc.Title)
		if sc.HeaderOnly {
			ranges[i] += "!1:1"
		}
	}
	ss, err := DoValue(ctx, s.retry, Idempotent("sheets.spreadsheets.get"), func(ctx context.Context) (*gridSpreadsheet, error) {
		ctx, body := withRawBody(ctx)
		if _, err := s.svc.Spreadsheets.Get(s.id).Ranges(ranges...).IncludeGridData(true).Fields(readFields).Context(ctx).Do(); err != nil {
			return nil, err
		}
		return decodeGrid(body)
	})
	if err != nil {
		if StatusCode(err) == 400 && strings.Contains(err.Error(), "Unable to parse range") {
			return nil, s.missingTab(ctx, schemas, err)
		}
		return nil, fmt.Errorf("read spreadsheet: %w", err)
	}
	out := map[string]*Table{}
	for _, sc := range schemas {
		for i := range ss.Sheets {
			if sh := &ss.Sheets[i]; sh.Properties != nil && sh.Properties.Title == sc.Title {
				out[sc.Title] = sh.table(sc)
			}
		}
		if out[sc.Title] == nil {
			return nil, &ErrTabMissing{Title: sc.Title}
		}
	}
	joinOverflow(out)
	return out, nil
}

// missingTab names the first expected tab the spreadsheet lacks, so the
// operator reads which one instead of Google's range error.
func (s *Sheets) missingTab(ctx context.Context, schemas []TabSchema, cause error) error {
	titles, err := s.TabTitles(ctx)
	if err != nil {
		return fmt.Errorf("read spreadsheet: %w", cause)
	}
	have := map[string]bool{}
	for _, t := range titles {
		have[t] = true
	}
	for _, sc := range schemas {
		if !have[sc.Title] {
			return &ErrTabMissing{Title: sc.Title}
		}
	}
	return fmt.Errorf("read spreadsheet: %w", cause)
}

// TabTitles lists the spreadsheet's tabs (one cheap call).
func (s *Sheets) TabTitles(ctx context.Context) ([]string, error) {
	ss, err := DoValue(ctx, s.retry, Idempotent("sheets.spreadsheets.get"), func(ctx context.Context) (*sheets.Spreadsheet, error) {
		return s.svc.Spreadsheets.Get(s.id).Fields("sheets(properties(title))").Context(ctx).Do()
	})
	if err != nil {
		return nil, fmt.Errorf("list tabs: %w", err)
	}
	var out []string
	for _, sh := range ss.Sheets {
		if sh.Properties != nil {
			out = append(out, sh.Properties.Title)
		}
	}
	return out, nil
}

// QuoteSheetName returns a tab title as an A1 range: quoted with doubled
// single quotes, so titles with spaces or apostrophes parse.
func QuoteSheetName(title string) string {
	return "'" + strings.ReplaceAll(title, "'", "''") + "'"
}

// NewRow is a row kopi adds to an anchored tab.
type NewRow struct {
	// Anchor is the row identity stored as MetaRowKey metadata (the
	// ticket number for the consultation tab).
	Anchor string
	// AnchorID is the metadata id of the anchor: unique in the
	// spreadsheet, so later writes find the row by id wherever it is.
	AnchorID int64
	Values   map[string]string
}

// StateWrite replaces one row of a tab only kopi writes (the hidden
// state tab), at its read-time index; Index < 0 appends a new row.
type StateWrite struct {
	Index  int64
	Values map[string]string
}

// Commit is one atomic spreadsheets.batchUpdate: either every new row,
// anchor, overflow chunk and state record lands, or none does.
type Commit struct {
	// Inserts adds anchored rows to a table, after its last row with data.
	Inserts map[*Table][]NewRow
	// State writes records of daemon-only tabs.
	State map[*Table][]StateWrite
	// Overflow is the tab that receives the tail of over-long values; it
	// must be set when any value exceeds MaxCellChars.
	Overflow *Table
	// Before requests open the batch (the row-write journal's copy and
	// the writes of existing rows: google/row_write.go).
	Before []*sheets.Request
	// Extra requests join the same batch, after the others (the SOP
	// cases' row anchors and history rows).
	Extra []*sheets.Request
}

// Empty reports whether the commit would write nothing.
func (c *Commit) Empty() bool {
	for _, rows := range c.Inserts {
		if len(rows) > 0 {
			return false
		}
	}
	for _, ws := range c.State {
		if len(ws) > 0 {
			return false
		}
	}
	return len(c.Before)+len(c.Extra) == 0
}

// Apply performs the commit in ONE spreadsheets.batchUpdate. The call is
// not idempotent (it inserts rows): after an ambiguous failure the caller
// re-reads the sheet, where the anchors tell whether it landed.
func (s *Sheets) Apply(ctx context.Context, c *Commit) error {
	_, err := s.apply(ctx, c, nil)
	return err
}

// readBack asks a commit to return ranges of the spreadsheet as they
// stand after its writes (includeSpreadsheetInResponse with
// responseRanges), limited by a field mask on the response.
type readBack struct {
	Ranges []string
	Fields string
}

// apply is Apply, returning the updated spreadsheet's layout ranges when
// back asks for them (nil otherwise, or when the commit was empty).
func (s *Sheets) apply(ctx context.Context, c *Commit, back *readBack) (*layoutSpreadsheet, error) {
	if c.Empty() {
		return nil, nil
	}
	reqs := append([]*sheets.Request(nil), c.Before...)
	var overflow []StateWrite
	// grown counts the rows inserted per table; every insert lands at the
	// table's last row with data + 1 as read, shifted by earlier inserts
	// of this commit.
	grown := map[*Table]int64{}
	// Deterministic order keeps request lists reproducible.
	tables := make([]*Table, 0, len(c.Inserts))
	for t := range c.Inserts {
		tables = append(tables, t)
	}
	sort.Slice(tables, func(i, j int) bool { return tables[i].Schema.Title < tables[j].Schema.Title })
	for _, t := range tables {
		rows := c.Inserts[t]
		if len(rows) == 0 {
			continue
		}
		at := t.LastRow + 1
		data := make([]*sheets.RowData, len(rows))
		for i, r := range rows {
			vals, spill := splitLong(r.Anchor, r.Values)
			overflow = append(overflow, spill...)
			cells, err := t.rowCells(vals)
			if err != nil {
				return nil, err
			}
			data[i] = &sheets.RowData{Values: cells}
		}
		reqs = append(reqs, insertRows(t, data)...)
		grown[t] += int64(len(rows))
		for i, r := range rows {
			reqs = append(reqs, &sheets.Request{CreateDeveloperMetadata: &sheets.CreateDeveloperMetadataRequest{
				DeveloperMetadata: &sheets.DeveloperMetadata{
					MetadataId:    r.AnchorID,
					MetadataKey:   MetaRowKey,
					MetadataValue: r.Anchor,
					Visibility:    "DOCUMENT",
					Location: &sheets.DeveloperMetadataLocation{DimensionRange: &sheets.DimensionRange{
						SheetId: t.SheetID, Dimension: "ROWS", StartIndex: at + int64(i), EndIndex: at + int64(i) + 1,
					}},
				},
			}})
		}
	}
	writes := make(map[*Table][]StateWrite, len(c.State)+1)
	for t, ws := range c.State {
		writes[t] = ws
	}
	if len(overflow) > 0 {
		if c.Overflow == nil {
			return nil, fmt.Errorf("a value is longer than %d characters and no overflow tab was given", MaxCellChars)
		}
		writes[c.Overflow] = append(append([]StateWrite(nil), writes[c.Overflow]...), overflow...)
	}
	state := make([]*Table, 0, len(writes))
	for t := range writes {
		state = append(state, t)
	}
	sort.Slice(state, func(i, j int) bool { return state[i].Schema.Title < state[j].Schema.Title })
	for _, t := range state {
		r, n, err := stateRequests(t, writes[t])
		if err != nil {
			return nil, err
		}
		reqs = append(reqs, r...)
		grown[t] += n
	}
	reqs = append(reqs, c.Extra...)
	req := &sheets.BatchUpdateSpreadsheetRequest{Requests: reqs}
	if back != nil {
		// "responseIncludeGridData ... is ignored if a field mask was set
		// in the request": the mask, which names the grid data, decides.
		req.IncludeSpreadsheetInResponse = true
		req.ResponseRanges = back.Ranges
		req.ResponseIncludeGridData = true
	}
	resp, err := DoValue(ctx, s.retry, NonIdempotent("sheets.spreadsheets.batchUpdate"), func(ctx context.Context) (*layoutResponse, error) {
		call := s.svc.Spreadsheets.BatchUpdate(s.id, req)
		if back == nil {
			// Nothing of the response is read. "Field masks are a way
			// for API callers to list the fields that a request should
			// return" (Sheets guide, Use field masks): the id alone
			// spares the replies — one per row anchor created, a
			// commit's thousand metadata echoed back.
			_, err := call.Fields("spreadsheetId").Context(ctx).Do()
			return nil, err
		}
		// The read-back (the ticket column of every row with its
		// anchors) is decoded by kopi's own grid decoder, as the
		// cycle's read is, not into the API types.
		ctx, body := withRawBody(ctx)
		if _, err := call.Fields(googleapi.Field(back.Fields)).Context(ctx).Do(); err != nil {
			return nil, err
		}
		return decodeLayoutResponse(body)
	})
	if err != nil {
		return nil, fmt.Errorf("commit %d requests: %w", len(reqs), err)
	}
	for t, n := range grown {
		t.LastRow += n
	}
	if back == nil {
		return nil, nil
	}
	return resp.UpdatedSpreadsheet, nil
}

// appendRecord appends one record to a daemon-only tab with appendCells:
// Sheets places it after the last row with data when it applies the
// request, whatever was appended since the tab was read.
func (s *Sheets) appendRecord(ctx context.Context, t *Table, values map[string]string) error {
	cells, err := t.fullRowCells(values)
	if err != nil {
		return err
	}
	req := &sheets.BatchUpdateSpreadsheetRequest{Requests: []*sheets.Request{{AppendCells: &sheets.AppendCellsRequest{
		SheetId: t.SheetID, Rows: []*sheets.RowData{{Values: cells}}, Fields: "userEnteredValue",
	}}}}
	_, err = DoValue(ctx, s.retry, NonIdempotent("sheets.spreadsheets.batchUpdate"), func(ctx context.Context) (*sheets.BatchUpdateSpreadsheetResponse, error) {
		return s.svc.Spreadsheets.BatchUpdate(s.id, req).Context(ctx).Do()
	})
	if err != nil {
		return fmt.Errorf("append to %q: %w", t.Schema.Title, err)
	}
	return nil
}

// insertRows inserts rows right after a table's last row with data and
// writes them, in one place of one atomic batch: the rows land exactly
// there (and a new record's index is known) even if someone appended to
// the tab since it was read.
func insertRows(t *Table, rows []*sheets.RowData) []*sheets.Request {
	at := t.LastRow + 1
	return []*sheets.Request{
		{InsertDimension: &sheets.InsertDimensionRequest{
			Range: &sheets.DimensionRange{SheetId: t.SheetID, Dimension: "ROWS", StartIndex: at, EndIndex: at + int64(len(rows))},
		}},
		{UpdateCells: &sheets.UpdateCellsRequest{
			Start:  &sheets.GridCoordinate{SheetId: t.SheetID, RowIndex: at},
			Rows:   rows,
			Fields: "userEnteredValue",
		}},
	}
}

// stateRequests writes records of a daemon-only tab: updates in place by
// index, new records inserted after the last row with data (in the order
// given, so the i-th new record lands at LastRow+1+i). It returns how
// many rows it inserts.
func stateRequests(t *Table, ws []StateWrite) ([]*sheets.Request, int64, error) {
	var reqs []*sheets.Request
	var appends []*sheets.RowData
	for _, w := range ws {
		cells, err := t.fullRowCells(w.Values)
		if err != nil {
			return nil, 0, err
		}
		if w.Index < 0 {
			appends = append(appends, &sheets.RowData{Values: cells})
			continue
		}
		reqs = append(reqs, &sheets.Request{UpdateCells: &sheets.UpdateCellsRequest{
			Start:  &sheets.GridCoordinate{SheetId: t.SheetID, RowIndex: w.Index},
			Rows:   []*sheets.RowData{{Values: cells}},
			Fields: "userEnteredValue",
		}})
	}
	if len(appends) > 0 {
		reqs = append(reqs, insertRows(t, appends)...)
	}
	return reqs, int64(len(appends)), nil
}

// fullRowCells lays out every schema column of a daemon-only tab, so an
// update rewrites the whole record (absent values become empty).
func (t *Table) fullRowCells(values map[string]string) ([]*sheets.CellData, error) {
	for key := range values {
		if _, ok := t.Columns[key]; !ok {
			return nil, fmt.Errorf("tab %q has no column for %q", t.Schema.Title, key)
		}
	}
	width := 0
	for _, col := range t.Columns {
		width = max(width, col+1)
	}
	cells := make([]*sheets.CellData, width)
	for i := range cells {
		cells[i] = emptyCell
	}
	for key, col := range t.Columns {
		if v, ok := values[key]; ok && v != "" {
			cells[col] = stringCell(v)
		}
	}
	return cells, nil
}

// RowUpdate sets some cells of an existing anchored row.
type RowUpdate struct {
	AnchorID int64
	Anchor   string // for long-value overflow records
	Values   map[string]string
}
