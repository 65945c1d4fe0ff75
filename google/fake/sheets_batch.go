package fake

import (
	"encoding/json"
	"fmt"
	"sort"

	"google.golang.org/api/sheets/v4"
)

// registerSheetsBatch registers spreadsheets.batchUpdate and the
// developerMetadata methods.
func (s *Server) registerSheetsBatch() {
	s.handle("sheets.spreadsheets.batchUpdate", s.sheetsBatchUpdate)
	s.handle("sheets.spreadsheets.developerMetadata.get", s.sheetsMetadataGet)
	s.handle("sheets.spreadsheets.developerMetadata.search", s.sheetsMetadataSearch)
}

// batchOp is one request of a batchUpdate, applied to the working copy.
type batchOp struct {
	s    *Server
	ss   *spreadsheet    // the working copy, swapped in only on success
	i    int             // position in requests, for error messages
	kind string          // JSON name of the request kind, e.g. "addSheet"
	raw  json.RawMessage // the kind's raw JSON, to tell absent from zero
}

// fail builds the 400 Google returns for an invalid request inside a
// batch: the message names the request's position and kind.
func (op *batchOp) fail(format string, args ...any) error {
	return invalidArgument("Invalid requests[%d].%s: %s", op.i, op.kind, fmt.Sprintf(format, args...))
}

// has reports whether the raw request JSON sets the dotted path, which the
// official clients omit for zero values (sheetId 0, index 0, false).
func (op *batchOp) has(path ...string) bool {
	return rawHas(op.raw, path...)
}

// rawHas reports whether the JSON object raw has the nested key path
// (raw is part of a checked body: valid JSON).
func rawHas(raw json.RawMessage, path ...string) bool {
	for _, key := range path {
		v := jsonMemberValue(raw, key)
		if v == nil || isJSONNull(v) {
			return false
		}
		raw = v
	}
	return true
}

type batchKind func(op *batchOp, r *sheets.Request) (*sheets.Response, error)

// batchKinds maps a Request's JSON field to its implementation. Kinds not
// listed are refused with 400 rather than silently ignored.
var batchKinds map[string]batchKind

func init() {
	batchKinds = map[string]batchKind{
		"addSheet":                    batchAddSheet,
		"deleteSheet":                 batchDeleteSheet,
		"updateSheetProperties":       batchUpdateSheetProperties,
		"updateSpreadsheetProperties": batchUpdateSpreadsheetProperties,
		"appendCells":                 batchAppendCells,
		"copyPaste":                   batchCopyPaste,
		"updateCells":                 batchUpdateCells,
		"repeatCell":                  batchRepeatCell,
		"setDataValidation":           batchSetDataValidation,
		"insertDimension":             batchInsertDimension,
		"deleteDimension":             batchDeleteDimension,
		"moveDimension":               batchMoveDimension,
		"appendDimension":             batchAppendDimension,
		"updateDimensionProperties":   batchUpdateDimensionProperties,
		"sortRange":                   batchSortRange,
		"createDeveloperMetadata":     batchCreateMetadata,
		"updateDeveloperMetadata":     batchUpdateMetadata,
		"deleteDeveloperMetadata":     batchDeleteMetadata,
		"addProtectedRange":           batchAddProtectedRange,
		"updateProtectedRange":        batchUpdateProtectedRange,
		"deleteProtectedRange":        batchDeleteProtectedRange,
		"addChart":                    batchAddChart,
		"mergeCells":                  batchMergeCells,
		"unmergeCells":                batchUnmergeCells,
		"addConditionalFormatRule":    batchAddConditionalFormatRule,
		"setBasicFilter":              batchSetBasicFilter,
		"clearBasicFilter":            batchClearBasicFilter,
	}
}

// sheetsBatchUpdate applies every request to a copy of the spreadsheet and
// keeps the copy only when all of them succeeded: Google documents that if
// any request is not valid, no request is applied.
func (s *Server) sheetsBatchUpdate(c *call) (any, error) {
	id := c.params["spreadsheetId"]
	ss := s.sheets.byID[id]
	if ss == nil {
		return nil, notFound("Requested entity was not found.")
	}
	req, err := decodeBatchRequest(c.body)
	if err != nil {
		return nil, err
	}
	// The body is checked JSON: each request's kinds are read from its
	// bytes (to tell absent from zero) without decoding it again.
	rawRequests := jsonItems(jsonMemberValue(c.body, "requests"))
	if len(req.Requests) == 0 {
		return nil, invalidArgument("Must specify at least one request.")
	}
	work := ss.clone()
	committed := false
	defer func() {
		if !committed {
			ss.metaIdx = nil // the failed copy may have changed the shared index
		}
	}()
	replies := make([]*sheets.Response, len(req.Requests))
	for i, r := range req.Requests {
		if i >= len(rawRequests) {
			return nil, invalidArgument("Invalid requests[%d]: No request set.", i)
		}
		var names []string
		kinds := map[string][]byte{}
		for _, m := range jsonMembers(rawRequests[i]) {
			if !isJSONNull(m.val) {
				names = append(names, m.key)
				kinds[m.key] = m.val
			}
		}
		sort.Strings(names)
		switch len(names) {
		case 0:
			return nil, invalidArgument("Invalid requests[%d]: No request set.", i)
		case 1:
		default:
			return nil, invalidArgument("Invalid value at 'requests[%d]' (oneof), oneof field 'kind' is already set. Cannot set '%s'", i, names[1])
		}
		fn := batchKinds[names[0]]
		if fn == nil {
			return nil, invalidArgument("Invalid requests[%d].%s: this request kind is not supported by kopi's fake Workspace.", i, names[0])
		}
		op := &batchOp{s: s, ss: work, i: i, kind: names[0], raw: kinds[names[0]]}
		reply, err := fn(op, r)
		if err != nil {
			return nil, err
		}
		work.reindex()
		if reply == nil {
			reply = &sheets.Response{}
		}
		replies[i] = reply
	}
	if err := work.checkCellLimit(); err != nil {
		return nil, err
	}
	s.sheets.byID[id] = work
	committed = true
	resp := &sheets.BatchUpdateSpreadsheetResponse{SpreadsheetId: id, Replies: replies}
	if req.IncludeSpreadsheetInResponse {
		// "responseIncludeGridData ... is ignored if a field mask was
		// set in the request": the mask decides whether grid data comes.
		gridData := req.ResponseIncludeGridData
		var mask fieldMask
		if f := c.query.Get("fields"); f != "" {
			if m, err := parseFields(f); err == nil {
				mask = m
				_, gridData = m.child("updatedSpreadsheet", "sheets", "data")
			}
		}
		view, blocks, err := work.batchViewBlocks(req.ResponseRanges, gridData)
		if err != nil {
			return nil, err
		}
		resp.UpdatedSpreadsheet = view
		if mask == nil {
			attachGrids(work, view, blocks)
			return batchEncoded{BatchUpdateSpreadsheetResponse: resp}, nil
		}
		// The fields the mask leaves out are not encoded (the replies of
		// a commit that reads its layout back), and the grid data is
		// encoded straight from the model, not built as the API's types
		// first (lazyGrids) — here, under the server's lock, while the
		// model is the one this commit left.
		resp = pruneUnselected(resp, mask).(*sheets.BatchUpdateSpreadsheetResponse)
		data, _ := mask.child("updatedSpreadsheet", "sheets", "data")
		grid, err := gridEncoded{Spreadsheet: view, lazy: newLazyGrids(work, blocks, data)}.MarshalJSON()
		if err != nil {
			return nil, err
		}
		return batchEncoded{BatchUpdateSpreadsheetResponse: resp, grid: grid}, nil
	}
	return resp, nil
}

// batchEncoded is a batchUpdate response whose updatedSpreadsheet is
// encoded with hand-written grids, as spreadsheets.get's (gridEncoded).
type batchEncoded struct {
	*sheets.BatchUpdateSpreadsheetResponse
	// grid, when set, is the updatedSpreadsheet encoded already.
	grid []byte
}

// MarshalJSON implements json.Marshaler.
func (b batchEncoded) MarshalJSON() ([]byte, error) {
	shell := *b.BatchUpdateSpreadsheetResponse
	shell.UpdatedSpreadsheet = nil
	buf, err := openObject(&shell)
	if err != nil || b.UpdatedSpreadsheet == nil {
		return closeObject(buf), err
	}
	grid := b.grid
	if grid == nil {
		if grid, err = (gridEncoded{Spreadsheet: b.UpdatedSpreadsheet}).MarshalJSON(); err != nil {
			return nil, err
		}
	}
	buf = appendKey(buf, "updatedSpreadsheet")
	return closeObject(append(buf, grid...)), nil
}

// checkCellLimit enforces Google's 10 million cells per spreadsheet.
func (ss *spreadsheet) checkCellLimit() error {
	var n int64
	for _, t := range ss.tabs {
		n += t.rowCount() * t.colCount()
	}
	if n > maxGridCells {
		return invalidArgument("This action would increase the number of cells in the workbook above the limit of %d cells.", maxGridCells)
	}
	return nil
}

// randomInt31 returns a positive id such as Google generates for sheets,
// metadata, charts and protected ranges, drawn from the seeded generator.
func (s *Server) randomInt31() int64 {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	return 1 + s.rng.Int64N(1<<31-1)
}

// batchView renders the spreadsheet for includeSpreadsheetInResponse:
// properties, tabs with their objects and developer metadata, and grid
// data when asked for. Response ranges need A1 parsing.
func (ss *spreadsheet) batchView(ranges []string, gridData bool) (*sheets.Spreadsheet, error) {
	out, blocks, err := ss.batchViewBlocks(ranges, gridData)
	if err != nil {
		return nil, err
	}
	attachGrids(ss, out, blocks)
	return out, nil
}

// gridBlock is one range of a tab whose grid data a response returns.
type gridBlock struct {
	t              *tab
	r0, r1, c0, c1 int64
}

// batchViewBlocks is batchView with the grid data left in the model:
// the blocks each sheet of the view returns, by sheet index.
func (ss *spreadsheet) batchViewBlocks(ranges []string, gridData bool) (*sheets.Spreadsheet, [][]gridBlock, error) {
	out := &sheets.Spreadsheet{
		SpreadsheetId:  ss.id,
		SpreadsheetUrl: "https://docs.google.com/spreadsheets/d/" + ss.id + "/edit",
	}
	if ss.props != nil {
		p := *ss.props
		out.Properties = &p
	}
	// The spreadsheet's and the sheets' own metadata, located as
	// allMetadata locates them (not every row's, only to drop them).
	for _, m := range ss.meta {
		out.DeveloperMetadata = append(out.DeveloperMetadata, locatedMeta(m, &sheets.DeveloperMetadataLocation{LocationType: "SPREADSHEET", Spreadsheet: true}))
	}
	want := map[*tab][]gridBlock{}
	for _, a1 := range ranges {
		br, err := ss.parseA1(a1)
		if err != nil {
			return nil, nil, invalidArgument("Unable to parse range: %s", a1)
		}
		want[br.tab] = append(want[br.tab], gridBlock{br.tab, br.row0, br.row1, br.col0, br.col1})
	}
	var blocks [][]gridBlock
	for _, t := range ss.tabs {
		if len(ranges) > 0 && want[t] == nil {
			continue
		}
		p := *t.props
		sh := &sheets.Sheet{
			Properties:         &p,
			ProtectedRanges:    t.protected,
			Charts:             t.charts,
			Merges:             t.merges,
			ConditionalFormats: t.conditions,
			BasicFilter:        t.filter,
		}
		for _, m := range t.meta {
			sh.DeveloperMetadata = append(sh.DeveloperMetadata, locatedMeta(m, &sheets.DeveloperMetadataLocation{LocationType: "SHEET", SheetId: t.props.SheetId}))
		}
		var bs []gridBlock
		if gridData {
			bs = want[t]
			if len(bs) == 0 {
				bs = []gridBlock{{t, 0, t.rowCount(), 0, t.colCount()}}
			}
		}
		out.Sheets = append(out.Sheets, sh)
		blocks = append(blocks, bs)
	}
	return out, blocks, nil
}

// attachGrids renders the blocks of batchViewBlocks into the view's
// sheets as the API's types.
func attachGrids(ss *spreadsheet, out *sheets.Spreadsheet, blocks [][]gridBlock) {
	for i, bs := range blocks {
		for _, b := range bs {
			out.Sheets[i].Data = append(out.Sheets[i].Data, b.t.gridData(ss, b.r0, b.r1, b.c0, b.c1))
		}
	}
}

// gridData renders the cells and row/column metadata of one block.
func (t *tab) gridData(ss *spreadsheet, r0, r1, c0, c1 int64) *sheets.GridData {
	gd := &sheets.GridData{StartRow: r0, StartColumn: c0}
	for r := r0; r < r1; r++ {
		rd := &sheets.RowData{}
		for c := c0; c < c1; c++ {
			rd.Values = append(rd.Values, ss.renderCellData(t, r, c))
		}
		for len(rd.Values) > 0 && isEmptyCell(rd.Values[len(rd.Values)-1]) {
			rd.Values = rd.Values[:len(rd.Values)-1]
		}
		gd.RowData = append(gd.RowData, rd)
		gd.RowMetadata = append(gd.RowMetadata, ss.dimProps(t, t.rows[r].props, t.rows[r].meta, "ROWS", r))
	}
	for c := c0; c < c1; c++ {
		gd.ColumnMetadata = append(gd.ColumnMetadata, ss.dimProps(t, t.cols[c].props, t.cols[c].meta, "COLUMNS", c))
	}
	return gd
}

// dimProps renders a row's or column's properties with its metadata
// located at its current index.
func (ss *spreadsheet) dimProps(t *tab, props *sheets.DimensionProperties, meta []*sheets.DeveloperMetadata, dim string, at int64) *sheets.DimensionProperties {
	out := &sheets.DimensionProperties{PixelSize: 21}
	if dim == "COLUMNS" {
		out.PixelSize = 100
	}
	if props != nil {
		p := *props
		out = &p
	}
	for _, m := range meta {
		out.DeveloperMetadata = append(out.DeveloperMetadata, locatedMeta(m, dimLocation(t, dim, at)))
	}
	return out
}

func isEmptyCell(cd *sheets.CellData) bool {
	if cd == nil || cellIsZero(cd) {
		return true
	}
	if cd.UserEnteredValue != nil || cd.EffectiveValue != nil || cd.FormattedValue != "" ||
		cd.UserEnteredFormat != nil || cd.Note != "" || cd.DataValidation != nil {
		return false // the usual cell, told without encoding it
	}
	b, _ := json.Marshal(cd)
	return string(b) == "{}"
}

// SeedSpreadsheet creates a spreadsheet with the given tab titles (one
// "Sheet1" when none) without going through spreadsheets.create, so tests
// of other methods can start from a known state. The first tab has
// sheetId 0, as on a new Google spreadsheet; later ones get generated ids.
func (s *Server) SeedSpreadsheet(title string, tabs ...string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(tabs) == 0 {
		tabs = []string{"Sheet1"}
	}
	ss := &spreadsheet{
		id: s.randomID(44, base64URL),
		props: &sheets.SpreadsheetProperties{
			Title: title, Locale: "en_US", AutoRecalc: "ON_CHANGE", TimeZone: "Etc/GMT",
		},
	}
	for i, name := range tabs {
		if ss.tabByTitle(name) != nil {
			return "", fmt.Errorf("seed spreadsheet %q: duplicate tab %q", title, name)
		}
		id := int64(0)
		if i > 0 {
			id = ss.newSheetID(s)
		}
		ss.tabs = append(ss.tabs, newTab(&sheets.SheetProperties{SheetId: id, Title: name, Index: int64(i)}))
	}
	s.sheets.byID[ss.id] = ss
	return ss.id, nil
}

// DeveloperMetadata returns every developer metadata entry of a
// spreadsheet with its current location, for tests to inspect without
// spreadsheets.get. Nil when the spreadsheet does not exist.
func (s *Server) DeveloperMetadata(spreadsheetID string) []*sheets.DeveloperMetadata {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.sheets.byID[spreadsheetID]
	if ss == nil {
		return nil
	}
	all, _ := ss.lookupMetadata(&sheets.DeveloperMetadataLookup{})
	out := make([]*sheets.DeveloperMetadata, len(all))
	for i, m := range all {
		out[i] = m.meta
	}
	return out
}

// CellValue returns the user-entered value of one cell (nil when empty or
// out of the grid), for tests to inspect without spreadsheets.get.
func (s *Server) CellValue(spreadsheetID string, sheetID int64, row, col int64) *sheets.ExtendedValue {
	cd := s.Cell(spreadsheetID, sheetID, row, col)
	if cd == nil || cd.UserEnteredValue == nil {
		return nil
	}
	v := *cd.UserEnteredValue
	return &v
}

// Cell returns a copy of one stored cell (nil when empty), for tests that
// check formats, notes and data validation.
func (s *Server) Cell(spreadsheetID string, sheetID int64, row, col int64) *sheets.CellData {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.sheets.byID[spreadsheetID]
	if ss == nil {
		return nil
	}
	t := ss.tabByID(sheetID)
	if t == nil {
		return nil
	}
	cd := t.cell(row, col)
	if cd == nil {
		return nil
	}
	c := *cd
	return &c
}
