package google

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"google.golang.org/api/googleapi"
	"google.golang.org/api/sheets/v4"

	"kopi/rules"
)

// The yearly archive lives in the tracking spreadsheet itself, one
// visible tab per ticket year ("Arsip 2025"), not in a spreadsheet of
// its own:
//
//   - the move is one atomic spreadsheets.batchUpdate (copyPaste of each
//     row to the archive, deleteDimension of the live row, the state
//     records compacted), which Sheets applies to one spreadsheet only —
//     across two spreadsheets it could not be atomic;
//   - staff keep finding and filtering their cases in the file they
//     already have, with no second file to share or permission to grant;
//   - the cycle's spreadsheets.get names its tabs as ranges, so an
//     archive tab is never downloaded by a cycle;
//   - a year of an office (about 7,500 cases × 25 columns, under 200,000
//     cells) is 2% of Sheets' 10 million cells per spreadsheet: decades
//     fit before the file would have to be split.
//
// copyPaste (PASTE_NORMAL) copies the cells as they are when Sheets
// applies the request — values, formulas, formats and notes, staff's
// columns included — so an edit made after kopi's read is moved too.
// The archive's columns are matched by header, not position: staff
// move and add columns in the live tab and in the archive over a year
// (google/archive_columns.go); a night that moves cases into an
// existing archive tab reads its header row first (one call).

// State records of the archive in the hidden tab.
const (
	// stateArchive holds the horizon (value) and the last run (time).
	stateArchive = "arsip"
	// stateArchiveHigh holds the highest archived ticket of a year.
	stateArchiveHigh = "tiket-arsip"
)

// archiveFromRow reads an archive record of the state tab into st, and
// the highest delivery ID the archive record keeps into the
// transaction's.
func (tx *TrackerTx) archiveFromRow(st *rules.ArchiveState, r Row) {
	switch r.Get(ColStateKind) {
	case stateArchive:
		st.Horizon, _ = time.Parse(time.RFC3339Nano, r.Get(ColStateValue))
		st.LastRun, _ = time.Parse(time.RFC3339Nano, r.Get(ColStateTime))
		if n, err := strconv.ParseInt(r.Get(ColStateID), 10, 64); err == nil && n > tx.lastID {
			tx.lastID = n
		}
	case stateArchiveHigh:
		if tk, err := rules.ParseTicket(r.Get(ColStateTicket)); err == nil {
			st.Highest = append(st.Highest, tk)
		}
	}
}

// sheetProps lists every tab's properties (one cheap call).
func (s *Sheets) sheetProps(ctx context.Context) ([]*sheets.SheetProperties, error) {
	ss, err := DoValue(ctx, s.retry, Idempotent("sheets.spreadsheets.get"), func(ctx context.Context) (*sheets.Spreadsheet, error) {
		return s.svc.Spreadsheets.Get(s.id).Fields("sheets(properties(sheetId,title,gridProperties(rowCount,columnCount)))").Context(ctx).Do()
	})
	if err != nil {
		return nil, fmt.Errorf("list tabs: %w", err)
	}
	var out []*sheets.SheetProperties
	for _, sh := range ss.Sheets {
		if sh.Properties != nil {
			out = append(out, sh.Properties)
		}
	}
	return out, nil
}

// archiveDest is where one year's rows land.
type archiveDest struct {
	title   string
	sheetID int64
	start   int64 // first row index the move pastes to
	tickets []string
	// place puts each live column under the archive column of the
	// same name (google/archive_columns.go).
	place columnPlacement
	runs  []colRun
}

// ArchiveCases performs one archive move on the tabs of the
// transaction's read, as its own writes left them: ONE batchUpdate
// copies each case's row to the archive tab of its year (created when
// missing, with the live header), each cell under the archive column of
// its own header whatever columns staff moved, added or deleted in
// either tab since (google/archive_columns.go), deletes the live rows, deletes their
// ledger, finished delivery and KOPI flow records from the state tab,
// and writes the horizon, the highest archived tickets and the highest
// delivery ID. Either all of it lands or none does. The transaction's
// tables and record positions follow the deletions, so a later write of
// the same transaction finds its records; when rows had to go back (a
// raced sort) the transaction ends and later writes refuse. The call is not idempotent (it deletes rows by
// position): after an ambiguous failure the caller reads again, where
// the live tab tells whether it landed.
//
// Rows are located by their position at read time. A sort by staff
// between the read and the write would make the move copy and delete
// another row instead — nothing is lost (that row is copied before it is
// deleted, in the same atomic batch), and the commit's own response shows
// the tickets that landed in the archive: a row that was not meant to
// move goes back to the live tab in a second batchUpdate, with its anchor.
// It returns how many cases it archived and how many such rows it
// returned.
func (tx *TrackerTx) ArchiveCases(ctx context.Context, mv rules.ArchiveMove) (moved, returned int, err error) {
	t := tx.t
	ct, err := tx.table(t.cases.Title)
	if err != nil {
		return 0, 0, err
	}
	st, err := tx.table(StateTab.Title)
	if err != nil {
		return 0, 0, err
	}
	want := map[string]bool{}
	for _, tk := range mv.Tickets {
		want[tk.String()] = true
	}
	// Anchors off their rows would be deleted with the wrong row: put
	// them back first (no call when none moved).
	if err := tx.reanchorBeforeWrite(ctx, ct); err != nil {
		return 0, 0, err
	}
	type liveRow struct {
		index  int64
		ticket rules.Ticket
	}
	var rows []liveRow
	for _, r := range ct.Rows {
		tk := normTicket(r.Get(string(rules.CFTicket)))
		if tk == "" || !want[tk] {
			continue
		}
		parsed, _ := rules.ParseTicket(tk)
		rows = append(rows, liveRow{index: r.Index, ticket: parsed})
		delete(want, tk) // a ticket typed twice moves once
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].index < rows[j].index })

	byTitle := map[string]*sheets.SheetProperties{}
	var maxID int64
	if len(rows) > 0 {
		// Which archive tabs exist, and their sizes (one cheap call).
		props, err := t.sheets.sheetProps(ctx)
		if err != nil {
			return 0, 0, err
		}
		for _, p := range props {
			byTitle[p.Title] = p
			maxID = max(maxID, p.SheetId)
		}
	}
	width := ct.ColCount
	var reqs []*sheets.Request
	dests := map[int]*archiveDest{}
	var years []int
	for _, r := range rows {
		if dests[r.ticket.Year] == nil {
			dests[r.ticket.Year] = &archiveDest{title: rules.ArchiveTitle(r.ticket.Year)}
			years = append(years, r.ticket.Year)
		}
		dests[r.ticket.Year].tickets = append(dests[r.ticket.Year].tickets, r.ticket.String())
	}
	sort.Ints(years)
	// The archive tabs that exist: their columns by name, to place each
	// live column under its own header (one call, none when every tab
	// is new or this transaction's earlier move left it).
	var existing []string
	for _, y := range years {
		if byTitle[dests[y].title] != nil {
			existing = append(existing, dests[y].title)
		}
	}
	archCols, err := tx.archiveHeaders(ctx, existing)
	if err != nil {
		return 0, 0, err
	}
	liveNames := columnNames(ct, width)
	for _, y := range years {
		d := dests[y]
		n := int64(len(d.tickets))
		d.start = 1
		if p := byTitle[d.title]; p != nil {
			// New rows go on top, under the header: index 1 names the
			// same place whatever staff insert or delete meanwhile.
			d.sheetID = p.SheetId
			d.place = placeColumns(liveNames, ct, archCols[d.title])
			d.runs = d.place.runs()
			reqs = append(reqs, &sheets.Request{InsertDimension: &sheets.InsertDimensionRequest{
				Range: &sheets.DimensionRange{SheetId: d.sheetID, Dimension: "ROWS", StartIndex: 1, EndIndex: 1 + n},
			}})
			if extra := int64(len(d.place.added)); extra > 0 {
				// Staff's new columns get a column of their own in the
				// archive, under the live tab's header cell.
				reqs = append(reqs, &sheets.Request{AppendDimension: &sheets.AppendDimensionRequest{SheetId: d.sheetID, Dimension: "COLUMNS", Length: extra}})
				reqs = append(reqs, copyBlock(ct.SheetID, 0, d.sheetID, 0, 1, d.place.addedRuns())...)
			}
			continue
		}
		maxID++
		d.sheetID = maxID
		d.place = placeColumns(liveNames, ct, nil)
		d.runs = []colRun{{from: 0, to: 0, n: width}}
		reqs = append(reqs, &sheets.Request{AddSheet: &sheets.AddSheetRequest{Properties: &sheets.SheetProperties{
			SheetId: d.sheetID, Title: d.title,
			GridProperties: &sheets.GridProperties{RowCount: 1 + n, ColumnCount: width, FrozenRowCount: 1},
		}}})
		// The new tab's header is the live tab's, cell for cell.
		reqs = append(reqs, copyBlock(ct.SheetID, 0, d.sheetID, 0, 1, d.runs)...)
	}
	// Copies first, at the positions as read; then the deletions, from
	// the bottom up so that each index still names the row read there.
	// Adjacent rows of one year are one request each way (one copy per
	// run of columns whose order the archive shares): an office's old
	// cases mostly stand together, so a move is a few requests.
	next := map[int]int64{}
	for i := 0; i < len(rows); {
		y := rows[i].ticket.Year
		j := i + 1
		for j < len(rows) && rows[j].ticket.Year == y && rows[j].index == rows[j-1].index+1 {
			j++
		}
		d := dests[y]
		reqs = append(reqs, copyBlock(ct.SheetID, rows[i].index, d.sheetID, d.start+next[y], int64(j-i), d.runs)...)
		next[y] += int64(j - i)
		i = j
	}
	spare := len(rows) > 0 && ct.RowCount-int64(len(rows)) <= 1
	if spare {
		// Sheets refuses to delete every non-frozen row: keep a blank one.
		reqs = append(reqs, &sheets.Request{AppendDimension: &sheets.AppendDimensionRequest{SheetId: ct.SheetID, Dimension: "ROWS", Length: 1}})
	}
	liveIdx := make([]int64, len(rows))
	for i, r := range rows {
		liveIdx[i] = r.index
	}
	reqs = append(reqs, deleteRows(ct.SheetID, liveIdx)...)
	movedSet := make(map[string]bool, len(rows))
	for _, r := range rows {
		movedSet[r.ticket.String()] = true
	}
	compact, err := tx.archiveStateRequests(st, movedSet, mv)
	if err != nil {
		return 0, 0, err
	}
	reqs = append(reqs, compact.reqs...)

	// The commit's response shows what landed in each archive tab.
	req := &sheets.BatchUpdateSpreadsheetRequest{Requests: reqs}
	tcol, hasTicket := ct.Columns[string(rules.CFTicket)]
	if hasTicket && len(rows) > 0 {
		req.IncludeSpreadsheetInResponse = true
		req.ResponseIncludeGridData = true
		for _, y := range years {
			d := dests[y]
			l := colLetters(int(d.place.dest[tcol]))
			req.ResponseRanges = append(req.ResponseRanges, fmt.Sprintf("%s!%s%d:%s%d", QuoteSheetName(d.title), l, d.start+1, l, d.start+int64(len(d.tickets))))
		}
	}
	resp, err := DoValue(ctx, t.sheets.retry, NonIdempotent("sheets.spreadsheets.batchUpdate"), func(ctx context.Context) (*sheets.BatchUpdateSpreadsheetResponse, error) {
		call := t.sheets.svc.Spreadsheets.BatchUpdate(t.sheets.id, req).Context(ctx)
		if req.IncludeSpreadsheetInResponse {
			call = call.Fields(googleapi.Field("updatedSpreadsheet(sheets(properties(title),data(startRow,rowData(values(userEnteredValue)))))"))
		}
		return call.Do()
	})
	if err != nil {
		return 0, 0, fmt.Errorf("archive %d cases: %w", len(rows), err)
	}
	// The tables of the read now describe the tabs as kopi left them:
	// another move of the same run needs no read.
	liveSpare := int64(0)
	if spare {
		liveSpare = 1
	}
	ct.dropRows(liveIdx, liveSpare)
	st.dropRows(compact.deletes, 0)
	tx.dropRecords(compact.deletes)
	for _, vals := range compact.appended {
		st.LastRow++
		st.Rows = append(st.Rows, Row{Index: st.LastRow, Cells: vals})
		st.RowCount = max(st.RowCount, st.LastRow+1)
	}
	// The live rows' positions changed under the read's layout checks.
	tx.committed = nil
	if tx.archiveCols == nil {
		tx.archiveCols = map[string][]string{}
	}
	for _, y := range years {
		tx.archiveCols[dests[y].title] = dests[y].place.names
	}
	moved = len(rows)
	if resp == nil || resp.UpdatedSpreadsheet == nil {
		return moved, 0, nil
	}
	var stray []strayRow
	for _, sh := range resp.UpdatedSpreadsheet.Sheets {
		if sh.Properties == nil {
			continue
		}
		for _, y := range years {
			d := dests[y]
			if sh.Properties.Title != d.title {
				continue
			}
			intended := map[string]bool{}
			for _, tk := range d.tickets {
				intended[tk] = true
			}
			// Sheets leaves out trailing empty rows: a row missing from
			// the answer has no ticket (a staff row sorted in) and goes
			// back too.
			var got []*sheets.RowData
			for _, g := range sh.Data {
				got = append(got, g.RowData...)
			}
			for i := range d.tickets {
				text := ""
				if i < len(got) && got[i] != nil && len(got[i].Values) > 0 {
					text = cellText(got[i].Values[0])
				}
				if tk := normTicket(text); tk == "" || !intended[tk] {
					stray = append(stray, strayRow{sheetID: d.sheetID, index: d.start + int64(i), ticket: tk, runs: back(d.runs)})
				}
			}
		}
	}
	if len(stray) == 0 {
		return moved, 0, nil
	}
	// Rows went back: the tables no longer describe the tabs. The
	// transaction ends here — any later write through it refuses — and
	// the next move starts from a read.
	tx.ended = errArchiveRaced
	if err := t.returnStray(ctx, ct.SheetID, stray); err != nil {
		return moved, 0, err
	}
	if err := t.repairAnchors(ctx); err != nil {
		return moved - len(stray), len(stray), err
	}
	return moved - len(stray), len(stray), nil
}

// strayRow is a row a raced move put in an archive tab.
type strayRow struct {
	sheetID int64
	index   int64
	ticket  string // "" for a row without a ticket
	// runs copy the row's archive columns back to their live columns.
	runs []colRun
}

// returnStray moves rows back from the archive to the top of the live
// tab (under the header: a place no concurrent edit can shift) in ONE
// batchUpdate, re-creating their anchors (the live row's
// anchor was deleted with it).
func (t *Tracker) returnStray(ctx context.Context, liveID int64, stray []strayRow) error {
	n := int64(len(stray))
	reqs := []*sheets.Request{{InsertDimension: &sheets.InsertDimensionRequest{
		Range: &sheets.DimensionRange{SheetId: liveID, Dimension: "ROWS", StartIndex: 1, EndIndex: 1 + n},
	}}}
	spare := map[int64]bool{}
	for i, s := range stray {
		at := 1 + int64(i)
		if !spare[s.sheetID] {
			// An archive tab must keep a non-frozen row when all of
			// its rows go back.
			spare[s.sheetID] = true
			reqs = append(reqs, &sheets.Request{AppendDimension: &sheets.AppendDimensionRequest{SheetId: s.sheetID, Dimension: "ROWS", Length: 1}})
		}
		reqs = append(reqs, copyBlock(s.sheetID, s.index, liveID, at, 1, s.runs)...)
		if tk, err := rules.ParseTicket(s.ticket); err == nil {
			reqs = append(reqs, anchorRequests(liveID, at, tk)...)
		}
	}
	sort.Slice(stray, func(i, j int) bool {
		if stray[i].sheetID != stray[j].sheetID {
			return stray[i].sheetID < stray[j].sheetID
		}
		return stray[i].index > stray[j].index
	})
	for _, s := range stray {
		reqs = append(reqs, deleteRow(s.sheetID, s.index))
	}
	err := t.sheets.Apply(ctx, &Commit{Extra: reqs})
	if err != nil {
		return fmt.Errorf("return %d rows from the archive: %w", len(stray), err)
	}
	return nil
}

// archiveStateRequests compacts the state tab: the ledger entries and
// finished deliveries of the moved cases are deleted, and the archive
// records (horizon and last run, highest ticket per year) are updated in
// place or appended. Updates come first (positions as read), then the
// deletions from the bottom up, then appends (appendCells lands after
// the last row with data as Sheets applies it).
func (tx *TrackerTx) archiveStateRequests(st *Table, moved map[string]bool, mv rules.ArchiveMove) (*stateCompaction, error) {
	var reqs, appends []*sheets.Request
	var deletes []int64
	var appended []map[string]string
	highRow := map[int]int64{}
	archiveRow := int64(-1)
	for _, r := range st.Rows {
		switch r.Get(ColStateKind) {
		case stateLedger:
			if moved[r.Get(ColStateTicket)] {
				deletes = append(deletes, r.Index)
			}
		case stateMail:
			state := rules.DeliveryState(r.Get(ColStateValue))
			if moved[r.Get(ColStateTicket)] && !state.Pending() {
				deletes = append(deletes, r.Index)
			}
		case stateFlow:
			// The KOPI flow of an archived case goes with it: kopi
			// runs flows for live rows only, so a record left behind
			// would stay in the state tab for good.
			if mv.FlowSOP != "" && moved[r.Get(ColStateTicket)] && r.Get(ColStateKey) == mv.FlowSOP+"/"+r.Get(ColStateTicket) {
				deletes = append(deletes, r.Index)
			}
		case stateArchive:
			archiveRow = r.Index
		case stateArchiveHigh:
			if tk, err := rules.ParseTicket(r.Get(ColStateTicket)); err == nil {
				highRow[tk.Year] = r.Index
			}
		}
	}
	put := func(index int64, values map[string]string) error {
		cells, err := st.fullRowCells(values)
		if err != nil {
			return err
		}
		rows := []*sheets.RowData{{Values: cells}}
		if index < 0 {
			appended = append(appended, values)
			appends = append(appends, &sheets.Request{AppendCells: &sheets.AppendCellsRequest{SheetId: st.SheetID, Rows: rows, Fields: "userEnteredValue"}})
			return nil
		}
		reqs = append(reqs, &sheets.Request{UpdateCells: &sheets.UpdateCellsRequest{
			Start: &sheets.GridCoordinate{SheetId: st.SheetID, RowIndex: index}, Rows: rows, Fields: "userEnteredValue",
		}})
		return nil
	}
	horizon := ""
	if !mv.Horizon.IsZero() {
		horizon = mv.Horizon.UTC().Format(time.RFC3339Nano)
	}
	// The archive record also keeps the highest delivery ID given so
	// far: the deliveries deleted here may include the highest one, and
	// a new delivery's ID is the highest read + 1 — without the mark, an
	// ID could be handed out again.
	if err := put(archiveRow, stateValues(st, map[string]string{
		ColStateKind: stateArchive, ColStateKey: "horizon", ColStateValue: horizon,
		ColStateTime: mv.At.UTC().Format(time.RFC3339Nano), ColStateID: strconv.FormatInt(tx.lastID, 10),
	})); err != nil {
		return nil, err
	}
	for _, tk := range mv.Highest {
		idx, ok := highRow[tk.Year]
		if !ok {
			idx = -1
		}
		if err := put(idx, map[string]string{
			ColStateKind: stateArchiveHigh, ColStateKey: strconv.Itoa(tk.Year), ColStateTicket: tk.String(),
		}); err != nil {
			return nil, err
		}
	}
	reqs = append(reqs, deleteRows(st.SheetID, deletes)...)
	return &stateCompaction{reqs: append(reqs, appends...), deletes: deletes, appended: appended}, nil
}

// stateCompaction is the state tab's part of an archive move: its
// requests, the rows they delete (indexes as read) and the records they
// append, in order.
type stateCompaction struct {
	reqs     []*sheets.Request
	deletes  []int64
	appended []map[string]string
}

// errArchiveRaced ends a transaction whose archive move raced a sort:
// rows went back to the live tab, so its positions no longer hold.
var errArchiveRaced = errors.New("an archive move raced a sort and moved rows back; read the tracker again before writing")

// deletedRows are row indexes (as read) deleted in one batch: which are
// gone, and how far a surviving row moves up.
type deletedRows struct {
	sorted []int64
	gone   map[int64]bool
}

func newDeletedRows(deleted []int64) deletedRows {
	d := deletedRows{sorted: append([]int64(nil), deleted...), gone: map[int64]bool{}}
	sort.Slice(d.sorted, func(i, j int) bool { return d.sorted[i] < d.sorted[j] })
	for _, i := range d.sorted {
		d.gone[i] = true
	}
	return d
}

// below is how many deleted rows stood above index i.
func (d deletedRows) below(i int64) int64 {
	return int64(sort.Search(len(d.sorted), func(k int) bool { return d.sorted[k] >= i }))
}

// dropRecords keeps the transaction's record positions in step with a
// move that deleted state rows (indexes as they stood before it): the
// deleted records are gone, the ones below moved up.
func (tx *TrackerTx) dropRecords(deleted []int64) {
	if len(deleted) == 0 {
		return
	}
	d := newDeletedRows(deleted)
	for id, row := range tx.records {
		if d.gone[row] {
			delete(tx.records, id)
			continue
		}
		tx.records[id] = row - d.below(row)
	}
}

// dropRows makes a table read before a move describe the tab after it:
// the rows at the deleted indexes (as read) are gone, the rows below
// them move up, and spare blank rows were appended at the end.
func (tb *Table) dropRows(deleted []int64, spare int64) {
	if len(deleted) == 0 && spare == 0 {
		return
	}
	d := newDeletedRows(deleted)
	kept := tb.Rows[:0]
	for _, r := range tb.Rows {
		if d.gone[r.Index] {
			continue
		}
		r.Index -= d.below(r.Index)
		kept = append(kept, r)
	}
	tb.Rows = kept
	tb.LastRow -= d.below(tb.LastRow + 1)
	tb.RowCount += spare - int64(len(d.sorted))
}

// deleteRow deletes one row.
func deleteRow(sheetID, index int64) *sheets.Request {
	return deleteRows(sheetID, []int64{index})[0]
}

// deleteRows deletes the rows at the given distinct indexes (as they
// stand before the first deletion): adjacent ones as one range, from the
// bottom up so that each index still names the row it named.
func deleteRows(sheetID int64, indexes []int64) []*sheets.Request {
	idx := append([]int64(nil), indexes...)
	sort.Slice(idx, func(i, j int) bool { return idx[i] > idx[j] })
	var reqs []*sheets.Request
	for i := 0; i < len(idx); {
		j := i + 1
		for j < len(idx) && idx[j] == idx[j-1]-1 {
			j++
		}
		reqs = append(reqs, &sheets.Request{DeleteDimension: &sheets.DeleteDimensionRequest{Range: &sheets.DimensionRange{
			SheetId: sheetID, Dimension: "ROWS", StartIndex: idx[j-1], EndIndex: idx[i] + 1,
		}}})
		i = j
	}
	return reqs
}

// isArchiveTitle reports whether a tab title is a yearly archive's.
func isArchiveTitle(title string) (int, bool) {
	y, ok := strings.CutPrefix(title, "Arsip ")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(y)
	if err != nil || rules.ArchiveTitle(n) != title {
		return 0, false
	}
	return n, true
}

// archiveSchemas lists the spreadsheet's tabs (one spreadsheets.get) and
// gives the case table's schema for each yearly archive tab, header row
// only when headerOnly.
func (t *Tracker) archiveSchemas(ctx context.Context, headerOnly bool) ([]TabSchema, error) {
	props, err := t.sheets.sheetProps(ctx)
	if err != nil {
		return nil, err
	}
	var schemas []TabSchema
	for _, p := range props {
		if _, ok := isArchiveTitle(p.Title); ok {
			sc := t.cases
			sc.Title, sc.HeaderOnly = p.Title, headerOnly
			schemas = append(schemas, sc)
		}
	}
	return schemas, nil
}

// ArchivedResponses reads the archive's ledger — the response id and
// ticket of every archived row — for the daily reconciliation: one call
// for the tabs, one for the archive tabs' header rows, one for their two
// columns (about 60 bytes per archived case). A cycle never calls it.
func (tx *TrackerTx) ArchivedResponses(ctx context.Context) (map[string]rules.Ticket, error) {
	t := tx.t
	schemas, err := t.archiveSchemas(ctx, true)
	if err != nil {
		return nil, err
	}
	out := map[string]rules.Ticket{}
	if len(schemas) == 0 {
		return out, nil
	}
	heads, err := t.sheets.Read(ctx, schemas...)
	if err != nil {
		return nil, fmt.Errorf("read archive headers: %w", err)
	}
	var ranges []string
	type cols struct{ ticket, response int }
	byTitle := map[string]cols{}
	for _, sc := range schemas {
		h := heads[sc.Title]
		tc, ok1 := h.Columns[string(rules.CFTicket)]
		rc, ok2 := h.Columns[string(rules.CFResponseID)]
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("tab %q: kolom tiket atau id tanggapan tidak ditemukan", sc.Title)
		}
		byTitle[sc.Title] = cols{tc, rc}
		q := QuoteSheetName(sc.Title)
		for _, c := range []int{tc, rc} {
			ranges = append(ranges, fmt.Sprintf("%s!%s2:%s", q, colLetters(c), colLetters(c)))
		}
	}
	ss, err := DoValue(ctx, t.sheets.retry, Idempotent("sheets.spreadsheets.get"), func(ctx context.Context) (*sheets.Spreadsheet, error) {
		return t.sheets.svc.Spreadsheets.Get(t.sheets.id).Ranges(ranges...).IncludeGridData(true).
			Fields("sheets(properties(title),data(startRow,startColumn,rowData(values(userEnteredValue))))").Context(ctx).Do()
	})
	if err != nil {
		return nil, fmt.Errorf("read archive ledger: %w", err)
	}
	for _, sh := range ss.Sheets {
		if sh.Properties == nil {
			continue
		}
		c, ok := byTitle[sh.Properties.Title]
		if !ok {
			continue
		}
		tickets := map[int64]rules.Ticket{}
		responses := map[int64]string{}
		for _, g := range sh.Data {
			for i, rd := range g.RowData {
				if rd == nil || len(rd.Values) == 0 {
					continue
				}
				text := strings.TrimSpace(cellText(rd.Values[0]))
				row := g.StartRow + int64(i)
				switch int(g.StartColumn) {
				case c.ticket:
					if tk, err := rules.ParseTicket(text); err == nil {
						tickets[row] = tk
					}
				case c.response:
					responses[row] = text
				}
			}
		}
		for row, id := range responses {
			if tk, ok := tickets[row]; ok && id != "" {
				out[id] = tk
			}
		}
	}
	return out, nil
}

// anchorRequests (re)creates a ticket's row anchor on a row: an anchor
// with its id that sits elsewhere (Sheets may leave metadata in place
// when rows are sorted) is deleted first, since ids are unique.
func anchorRequests(sheetID, row int64, tk rules.Ticket) []*sheets.Request {
	return []*sheets.Request{
		{DeleteDeveloperMetadata: &sheets.DeleteDeveloperMetadataRequest{DataFilter: &sheets.DataFilter{
			DeveloperMetadataLookup: &sheets.DeveloperMetadataLookup{MetadataId: rules.AnchorID(tk)},
		}}},
		{CreateDeveloperMetadata: &sheets.CreateDeveloperMetadataRequest{DeveloperMetadata: &sheets.DeveloperMetadata{
			MetadataId: rules.AnchorID(tk), MetadataKey: MetaRowKey, MetadataValue: tk.String(), Visibility: "DOCUMENT",
			Location: &sheets.DeveloperMetadataLocation{DimensionRange: &sheets.DimensionRange{
				SheetId: sheetID, Dimension: "ROWS", StartIndex: row, EndIndex: row + 1,
			}},
		}}},
	}
}

// repairAnchors gives every live row the anchor of the ticket its cell
// shows, after a raced move: when Sheets leaves metadata in place on a
// sort, the rows the move deleted took other tickets' anchors with them.
// One read of the live tab, and one batchUpdate when anything is off.
func (t *Tracker) repairAnchors(ctx context.Context) error {
	tables, err := t.sheets.Read(ctx, t.cases)
	if err != nil {
		return fmt.Errorf("read after a raced archive move: %w", err)
	}
	ct := tables[t.cases.Title]
	var reqs []*sheets.Request
	for _, r := range ct.Rows {
		tk, err := rules.ParseTicket(r.Get(string(rules.CFTicket)))
		if err != nil || r.Anchor == tk.String() {
			continue
		}
		reqs = append(reqs, anchorRequests(ct.SheetID, r.Index, tk)...)
	}
	if len(reqs) == 0 {
		return nil
	}
	if err := t.sheets.Apply(ctx, &Commit{Extra: reqs}); err != nil {
		return fmt.Errorf("re-anchor rows after a raced archive move: %w", err)
	}
	return nil
}
