package google

import (
	"context"
	"errors"
	"fmt"
	"slices"
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
	// stateArchiveSurvey holds the archived surveys' cursor (value) and
	// horizon (time): rules.PlanSurveyArchive.
	stateArchiveSurvey = "arsip-survei"
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
	case stateArchiveSurvey:
		st.SurveyCursor, _ = time.Parse(time.RFC3339Nano, r.Get(ColStateValue))
		st.SurveyHorizon, _ = time.Parse(time.RFC3339Nano, r.Get(ColStateTime))
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
	src     *archiveSource
	sheetID int64
	start   int64 // first row index the move pastes to
	// keys name the rows that land there, in order (tickets,
	// response ids); checked when the commit's answer shows them.
	keys    []string
	checked bool
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
// delivery ID. The same batch takes the move's Survei rows to the
// survey archive of their year ("Arsip Survei 2025", by the same column
// placement) and writes the archived surveys' cursor and horizon
// (rules.PlanSurveyArchive), and takes every long-text tail filed under
// a moved case's or survey's anchor to the hidden "Arsip Teks Panjang"
// tab of its year. Either all of it lands or none does. The transaction's
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
// move goes back to the live tab in a second batchUpdate, with its anchor
// (the same for a sorted Survei tab, by response id), and so does the
// tail of a long text whose row the sort kept live. It returns how many
// cases it archived and how many such rows it returned.
func (tx *TrackerTx) ArchiveCases(ctx context.Context, mv rules.ArchiveMove) (out rules.ArchiveOutcome, err error) {
	moved, sopMoved, returned, err := tx.archiveCases(ctx, mv)
	return rules.ArchiveOutcome{Cases: moved, SOPCases: sopMoved, Returned: returned}, err
}

func (tx *TrackerTx) archiveCases(ctx context.Context, mv rules.ArchiveMove) (moved, sopMoved, returned int, err error) {
	t := tx.t
	ct, err := tx.table(t.cases.Title)
	if err != nil {
		return 0, 0, 0, err
	}
	st, err := tx.table(StateTab.Title)
	if err != nil {
		return 0, 0, 0, err
	}
	// Anchors off their rows would be deleted with the wrong row: put
	// them back first (no call when none moved).
	if err := tx.reanchorBeforeWrite(ctx, ct); err != nil {
		return 0, 0, 0, err
	}
	cases := tx.caseSource(ct, mv)
	srcs := []*archiveSource{cases}
	if len(mv.Surveys) > 0 {
		// The Survei rows of the move (read with the tracker when a
		// survey form is configured).
		sv, err := tx.table(SurveyTab.Title)
		if err != nil {
			return 0, 0, 0, err
		}
		srcs = append(srcs, surveySource(sv, mv))
	}
	// The other SOPs' closed cases (google/archive_sop.go): anchors a
	// sort left off their rows are put back first (no call when none
	// is), since a row's deletion takes the anchor on it.
	var sops []*archiveSource
	if len(mv.SOPCases) > 0 {
		if sops, err = tx.sopSources(mv); err != nil {
			return 0, 0, 0, err
		}
		if err := t.sheets.moveAnchorIDs(ctx, tx.sopMoves); err != nil {
			return 0, 0, 0, err
		}
		tx.sopMoves = nil
		srcs = append(srcs, sops...)
	}
	// The tails of the moved rows' long texts go with them.
	if ov := tx.tables[OverflowTab.Title]; ov != nil {
		if o := overflowSource(ov, srcs); len(o.rows) > 0 {
			srcs = append(srcs, o)
		}
	}
	total := 0
	for _, s := range srcs {
		total += len(s.rows)
	}

	byTitle := map[string]*sheets.SheetProperties{}
	var maxID int64
	if total > 0 {
		// Which archive tabs exist, and their sizes (one cheap call).
		props, err := t.sheets.sheetProps(ctx)
		if err != nil {
			return 0, 0, 0, err
		}
		for _, p := range props {
			byTitle[p.Title] = p
			maxID = max(maxID, p.SheetId)
		}
	}
	var reqs []*sheets.Request
	var dests []*archiveDest
	for _, s := range srcs {
		dests = append(dests, s.group()...)
	}
	// The archive tabs that exist: their columns by name, to place each
	// live column under its own header (one call, none when every tab
	// is new or this transaction's earlier move left it).
	existing := map[string]TabSchema{}
	for _, d := range dests {
		if byTitle[d.title] != nil {
			sc := d.src.schema
			sc.Title = d.title
			existing[d.title] = sc
		}
	}
	archCols, err := tx.archiveHeaders(ctx, existing)
	if err != nil {
		return 0, 0, 0, err
	}
	for _, d := range dests {
		src := d.src.tb
		width := src.ColCount
		n := int64(len(d.keys))
		d.start = 1
		if p := byTitle[d.title]; p != nil {
			// New rows go on top, under the header: index 1 names the
			// same place whatever staff insert or delete meanwhile.
			d.sheetID = p.SheetId
			d.place = placeColumns(d.src.names, src, archCols[d.title])
			d.runs = d.place.runs()
			reqs = append(reqs, &sheets.Request{InsertDimension: &sheets.InsertDimensionRequest{
				Range: &sheets.DimensionRange{SheetId: d.sheetID, Dimension: "ROWS", StartIndex: 1, EndIndex: 1 + n},
			}})
			if extra := int64(len(d.place.added)); extra > 0 {
				// Staff's new columns get a column of their own in the
				// archive, under the live tab's header cell.
				reqs = append(reqs, &sheets.Request{AppendDimension: &sheets.AppendDimensionRequest{SheetId: d.sheetID, Dimension: "COLUMNS", Length: extra}})
				reqs = append(reqs, copyBlock(src.SheetID, 0, d.sheetID, 0, 1, d.place.addedRuns())...)
			}
			continue
		}
		maxID++
		d.sheetID = maxID
		d.place = placeColumns(d.src.names, src, nil)
		d.runs = []colRun{{from: 0, to: 0, n: width}}
		reqs = append(reqs, &sheets.Request{AddSheet: &sheets.AddSheetRequest{Properties: &sheets.SheetProperties{
			SheetId: d.sheetID, Title: d.title, Hidden: d.src.hidden,
			GridProperties: &sheets.GridProperties{RowCount: 1 + n, ColumnCount: width, FrozenRowCount: 1},
		}}})
		// The new tab's header is the live tab's, cell for cell.
		reqs = append(reqs, copyBlock(src.SheetID, 0, d.sheetID, 0, 1, d.runs)...)
		byTitle[d.title] = &sheets.SheetProperties{SheetId: d.sheetID, Title: d.title}
	}
	// Copies first, at the positions as read; then the deletions, from
	// the bottom up so that each index still names the row read there.
	// Adjacent rows of one year are one request each way (one copy per
	// run of columns whose order the archive shares): an office's old
	// cases mostly stand together, so a move is a few requests.
	for _, s := range srcs {
		next := map[*archiveDest]int64{}
		rows := s.rows
		for i := 0; i < len(rows); {
			d := rows[i].dest
			j := i + 1
			for j < len(rows) && rows[j].dest == d && rows[j].index == rows[j-1].index+1 {
				j++
			}
			reqs = append(reqs, copyBlock(s.tb.SheetID, rows[i].index, d.sheetID, d.start+next[d], int64(j-i), d.runs)...)
			next[d] += int64(j - i)
			i = j
		}
	}
	for _, s := range srcs {
		s.spare = len(s.rows) > 0 && s.tb.RowCount-int64(len(s.rows)) <= 1
		if s.spare {
			// Sheets refuses to delete every non-frozen row: keep a blank one.
			reqs = append(reqs, &sheets.Request{AppendDimension: &sheets.AppendDimensionRequest{SheetId: s.tb.SheetID, Dimension: "ROWS", Length: 1}})
		}
		s.deleted = make([]int64, len(s.rows))
		for i, r := range s.rows {
			s.deleted[i] = r.index
		}
		reqs = append(reqs, deleteRows(s.tb.SheetID, s.deleted)...)
	}
	movedSet := make(map[string]bool, len(cases.rows))
	for _, r := range cases.rows {
		movedSet[r.key] = true
	}
	flows := flowRows(st, mv)
	compact, err := tx.archiveStateRequests(st, movedSet, mv)
	if err != nil {
		return 0, 0, 0, err
	}
	reqs = append(reqs, compact.reqs...)

	// The commit's response shows what landed in each archive tab.
	req := &sheets.BatchUpdateSpreadsheetRequest{Requests: reqs}
	for _, d := range dests {
		kcol, ok := d.src.tb.Columns[d.src.keyCol]
		if !ok {
			continue
		}
		req.IncludeSpreadsheetInResponse = true
		req.ResponseIncludeGridData = true
		d.checked = true
		l := colLetters(int(d.place.dest[kcol]))
		req.ResponseRanges = append(req.ResponseRanges, fmt.Sprintf("%s!%s%d:%s%d", QuoteSheetName(d.title), l, d.start+1, l, d.start+int64(len(d.keys))))
	}
	resp, err := DoValue(ctx, t.sheets.retry, NonIdempotent("sheets.spreadsheets.batchUpdate"), func(ctx context.Context) (*sheets.BatchUpdateSpreadsheetResponse, error) {
		call := t.sheets.svc.Spreadsheets.BatchUpdate(t.sheets.id, req).Context(ctx)
		if req.IncludeSpreadsheetInResponse {
			call = call.Fields(googleapi.Field("updatedSpreadsheet(sheets(properties(title),data(startRow,rowData(values(userEnteredValue)))))"))
		}
		return call.Do()
	})
	if err != nil {
		return 0, 0, 0, fmt.Errorf("archive %d cases and %d surveys: %w", len(cases.rows), total-len(cases.rows), err)
	}
	// The tables of the read now describe the tabs as kopi left them:
	// another move of the same run needs no read.
	for _, s := range srcs {
		spare := int64(0)
		if s.spare {
			spare = 1
		}
		s.tb.dropRows(s.deleted, spare)
	}
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
	for _, d := range dests {
		tx.archiveCols[d.title] = d.place.names
	}
	moved = len(cases.rows)
	for _, s := range sops {
		sopMoved += len(s.rows)
	}
	if resp == nil || resp.UpdatedSpreadsheet == nil {
		return moved, sopMoved, 0, nil
	}
	answered := map[string][]*sheets.RowData{}
	for _, sh := range resp.UpdatedSpreadsheet.Sheets {
		if sh.Properties == nil {
			continue
		}
		for _, g := range sh.Data {
			answered[sh.Properties.Title] = append(answered[sh.Properties.Title], g.RowData...)
		}
	}
	// landed are the anchors of the case and survey rows that reached
	// the archive: a long text's tail goes back when its row did not.
	landed := map[string]bool{}
	// sopLanded are the SOP cases ("sop/case") whose rows reached it.
	sopLanded := map[string]bool{}
	var stray []strayRow
	for _, d := range dests {
		if !d.checked {
			for _, k := range d.keys {
				landed[d.src.owner(k)] = true
				sopLanded[d.src.sop+"/"+k] = true
			}
			continue
		}
		intended := map[string]bool{}
		for _, k := range d.keys {
			intended[k] = true
		}
		// Sheets leaves out trailing empty rows: a row missing from
		// the answer has no key (a staff row sorted in) and goes
		// back too.
		got := answered[d.title]
		for i := range d.keys {
			text := ""
			if i < len(got) && got[i] != nil && len(got[i].Values) > 0 {
				text = cellText(got[i].Values[0])
			}
			k := d.src.norm(text)
			if k != "" && intended[k] && (!d.src.tails || landed[k]) {
				landed[d.src.owner(k)] = true
				sopLanded[d.src.sop+"/"+k] = true
				continue
			}
			switch {
			case d.src == cases:
				moved--
			case d.src.sop != "":
				sopMoved--
			}
			sr := strayRow{sheetID: d.sheetID, index: d.start + int64(i), liveID: d.src.tb.SheetID,
				anchor: d.src.anchorOf(k), runs: back(d.runs)}
			if sr.anchor != nil {
				sr.live = d.src.schema
			}
			stray = append(stray, sr)
		}
	}
	// The flows of SOP cases whose rows a sort kept live go back to the
	// state tab with the returned rows.
	var keep []string
	for _, s := range sops {
		for _, r := range s.rows {
			if !sopLanded[s.sop+"/"+r.key] {
				keep = append(keep, s.sop+"/"+r.key)
			}
		}
	}
	if len(stray) == 0 && len(keep) == 0 {
		return moved, sopMoved, 0, nil
	}
	// Rows went back: the tables no longer describe the tabs. The
	// transaction ends here — any later write through it refuses — and
	// the next move starts from a read.
	tx.ended = errArchiveRaced
	restore, err := restoreFlows(st, flows, keep)
	if err != nil {
		return moved, sopMoved, 0, err
	}
	seen, err := t.anchorsOn(ctx, stray)
	if err != nil {
		return moved, sopMoved, 0, err
	}
	if err := t.returnStray(ctx, stray, seen, restore); err != nil {
		return moved, sopMoved, 0, err
	}
	if err := t.repairAnchors(ctx, sops); err != nil {
		return moved, sopMoved, len(stray), err
	}
	return moved, sopMoved, len(stray), nil
}

// archiveSource is a live tab some of whose rows one move takes to the
// archive: the consultations, or the Survei tab.
type archiveSource struct {
	tb *Table
	// keyCol is the field naming a row (the ticket, the survey's
	// response id); norm reads it from a cell.
	keyCol string
	norm   func(string) string
	// schema is the archive tabs' (their header rows are read by it).
	schema TabSchema
	// names are the live tab's column names (google/archive_columns.go).
	names []string
	// rows are the rows that move, in index order.
	rows []srcRow
	// anchorOf gives the requests re-creating a returned row's anchor
	// (seen: the anchors the live tabs carry)
	// on its new place, by the row's key (nil: none).
	anchorOf func(key string) anchorFunc
	// owner is the anchor a row's long texts are filed under in the
	// overflow tab, by the row's key.
	owner func(key string) string
	// tails marks the overflow tab (its rows' keys are their owners'
	// anchors); hidden, its archive tabs are hidden too.
	tails, hidden bool
	// sop names the SOP of an SOP tab's source ("" for the others).
	sop string
	// spare and deleted are the move's own: a blank row appended, the
	// rows deleted (indexes as read).
	spare   bool
	deleted []int64
}

// srcRow is one row that moves, and where it goes.
type srcRow struct {
	index int64
	key   string
	year  int
	title string
	dest  *archiveDest
}

// group gives the source's rows their archive tabs (by title, sorted).
func (s *archiveSource) group() []*archiveDest {
	byTitle := map[string]*archiveDest{}
	var titles []string
	for _, r := range s.rows {
		if byTitle[r.title] == nil {
			byTitle[r.title] = &archiveDest{title: r.title, src: s}
			titles = append(titles, r.title)
		}
	}
	sort.Strings(titles)
	out := make([]*archiveDest, len(titles))
	for i, title := range titles {
		out[i] = byTitle[title]
	}
	for i := range s.rows {
		d := byTitle[s.rows[i].title]
		s.rows[i].dest = d
		d.keys = append(d.keys, s.rows[i].key)
	}
	return out
}

// caseSource is the consultation rows of the move's tickets, each to
// the archive of its ticket's year.
func (tx *TrackerTx) caseSource(ct *Table, mv rules.ArchiveMove) *archiveSource {
	want := map[string]bool{}
	for _, tk := range mv.Tickets {
		want[tk.String()] = true
	}
	s := &archiveSource{tb: ct, keyCol: string(rules.CFTicket), norm: normTicket, schema: tx.t.cases,
		names: columnNames(ct, ct.ColCount), owner: func(key string) string { return key }}
	s.anchorOf = func(key string) anchorFunc {
		tk, err := rules.ParseTicket(key)
		if err != nil {
			return nil
		}
		return func(sheetID, row int64, seen anchorSet) []*sheets.Request {
			return anchorRequests(sheetID, row, tk, seen[anchorAt{sheetID, tk.String()}])
		}
	}
	for _, r := range ct.Rows {
		tk := normTicket(r.Get(string(rules.CFTicket)))
		if tk == "" || !want[tk] {
			continue
		}
		parsed, _ := rules.ParseTicket(tk)
		s.rows = append(s.rows, srcRow{index: r.Index, key: tk, year: parsed.Year, title: rules.ArchiveTitle(parsed.Year)})
		delete(want, tk) // a ticket typed twice moves once
	}
	sort.Slice(s.rows, func(i, j int) bool { return s.rows[i].index < s.rows[j].index })
	return s
}

// surveySource is the Survei rows of the move, each to the survey
// archive of its year (rules.PlanSurveyArchive), by response id; a
// returned row gets its anchor back.
func surveySource(sv *Table, mv rules.ArchiveMove) *archiveSource {
	want := map[string]int{}
	for _, a := range mv.Surveys {
		want[a.ResponseID] = a.Year
	}
	anchors := map[string]int64{}
	s := &archiveSource{tb: sv, keyCol: ColSvResponseID, norm: strings.TrimSpace, schema: SurveyTab,
		names: columnNames(sv, sv.ColCount)}
	for _, r := range sv.Rows {
		id := strings.TrimSpace(r.Get(ColSvResponseID))
		if n, err := strconv.ParseInt(strings.TrimPrefix(r.Anchor, surveyAnchorPrefix), 10, 64); err == nil && id != "" {
			anchors[id] = n
		}
		year, ok := want[id]
		if id == "" || !ok {
			continue
		}
		s.rows = append(s.rows, srcRow{index: r.Index, key: id, year: year, title: rules.SurveyArchiveTitle(year)})
		delete(want, id)
	}
	s.owner = func(key string) string {
		if n, ok := anchors[key]; ok {
			return surveyAnchorPrefix + strconv.FormatInt(n, 10)
		}
		return ""
	}
	s.anchorOf = func(key string) anchorFunc {
		n, ok := anchors[key]
		if !ok {
			return nil
		}
		return func(sheetID, row int64, seen anchorSet) []*sheets.Request {
			value := surveyAnchorPrefix + strconv.FormatInt(n, 10)
			return metaAnchorRequests(sheetID, row, n, value, seen[anchorAt{sheetID, value}])
		}
	}
	sort.Slice(s.rows, func(i, j int) bool { return s.rows[i].index < s.rows[j].index })
	return s
}

// OverflowArchiveTitle is the hidden tab holding the long-text tails of
// a year's archived rows.
func OverflowArchiveTitle(year int) string { return fmt.Sprintf("Arsip Teks Panjang %d", year) }

// overflowSource is the overflow tab's rows filed under the anchor of a
// row the move takes (every part of every version), each to the hidden
// "Arsip Teks Panjang" tab of that row's year: an archived cell keeps
// the first part and the marker naming version and parts, and its tail
// stays beside it in the archive, under the same anchor (the ticket, or
// the survey's anchor) — the cycle reads none of it any more.
func overflowSource(ov *Table, srcs []*archiveSource) *archiveSource {
	owners := map[string]int{}
	for _, src := range srcs {
		for _, r := range src.rows {
			if a := src.owner(r.key); a != "" {
				owners[a] = r.year
			}
		}
	}
	s := &archiveSource{tb: ov, keyCol: "anchor", norm: strings.TrimSpace, schema: OverflowTab,
		names: columnNames(ov, ov.ColCount), tails: true, hidden: true,
		owner:    func(string) string { return "" },
		anchorOf: func(string) anchorFunc { return nil }}
	for _, r := range ov.Rows {
		a := r.Get("anchor")
		if y, ok := owners[a]; ok && a != "" {
			s.rows = append(s.rows, srcRow{index: r.Index, key: a, year: y, title: OverflowArchiveTitle(y)})
		}
	}
	return s
}

// strayRow is a row a raced move put in an archive tab.
type strayRow struct {
	sheetID int64
	index   int64
	// liveID is the live tab the row goes back to.
	liveID int64
	// anchor re-creates the row's anchor on its live place (nil: a row
	// without one, staff's own), in the live tab of schema live.
	anchor anchorFunc
	live   TabSchema
	// runs copy the row's archive columns back to their live columns.
	runs []colRun
}

// returnStray moves rows back from the archive to the top of their live
// tab (under the header: a place no concurrent edit can shift) in ONE
// batchUpdate, re-creating their anchors (the live row's
// anchor was deleted with it); extra (the flows of SOP cases whose rows
// stayed live) goes in the same batch.
func (t *Tracker) returnStray(ctx context.Context, stray []strayRow, seen anchorSet, extra []*sheets.Request) error {
	reqs := append([]*sheets.Request(nil), extra...)
	count := map[int64]int64{}
	var lives []int64
	for _, s := range stray {
		if count[s.liveID] == 0 {
			lives = append(lives, s.liveID)
		}
		count[s.liveID]++
	}
	for _, id := range lives {
		reqs = append(reqs, &sheets.Request{InsertDimension: &sheets.InsertDimensionRequest{
			Range: &sheets.DimensionRange{SheetId: id, Dimension: "ROWS", StartIndex: 1, EndIndex: 1 + count[id]},
		}})
	}
	spare := map[int64]bool{}
	next := map[int64]int64{}
	for _, s := range stray {
		next[s.liveID]++
		at := next[s.liveID]
		if !spare[s.sheetID] {
			// An archive tab must keep a non-frozen row when all of
			// its rows go back.
			spare[s.sheetID] = true
			reqs = append(reqs, &sheets.Request{AppendDimension: &sheets.AppendDimensionRequest{SheetId: s.sheetID, Dimension: "ROWS", Length: 1}})
		}
		reqs = append(reqs, copyBlock(s.sheetID, s.index, s.liveID, at, 1, s.runs)...)
		if s.anchor != nil {
			reqs = append(reqs, s.anchor(s.liveID, at, seen)...)
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
	archiveRow, surveyRow := int64(-1), int64(-1)
	sopCases := map[string]bool{}
	for _, c := range mv.SOPCases {
		sopCases[c.SOP+"/"+c.Case] = true
	}
	sopRow := map[string]int64{}
	for _, r := range st.Rows {
		switch r.Get(ColStateKind) {
		case stateLedger:
			if moved[r.Get(ColStateTicket)] {
				deletes = append(deletes, r.Index)
			}
		case stateMail:
			// An SOP case's deliveries name it "sop/case".
			state := rules.DeliveryState(r.Get(ColStateValue))
			if (moved[r.Get(ColStateTicket)] || sopCases[r.Get(ColStateTicket)]) && !state.Pending() {
				deletes = append(deletes, r.Index)
			}
		case stateFlow:
			// The KOPI flow of an archived case goes with it: kopi
			// runs flows for live rows only, so a record left behind
			// would stay in the state tab for good. So does the flow
			// of another SOP's archived case.
			if mv.FlowSOP != "" && moved[r.Get(ColStateTicket)] && r.Get(ColStateKey) == mv.FlowSOP+"/"+r.Get(ColStateTicket) ||
				sopCases[r.Get(ColStateKey)] {
				deletes = append(deletes, r.Index)
			}
		case stateArchiveSOP:
			sopRow[r.Get(ColStateKey)] = r.Index
		case stateArchive:
			archiveRow = r.Index
		case stateArchiveSurvey:
			surveyRow = r.Index
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
	if !mv.SurveyCursor.IsZero() || !mv.SurveyHorizon.IsZero() {
		if err := put(surveyRow, map[string]string{
			ColStateKind: stateArchiveSurvey, ColStateKey: "survei",
			ColStateValue: mv.SurveyCursor.UTC().Format(time.RFC3339Nano), ColStateTime: mv.SurveyHorizon.UTC().Format(time.RFC3339Nano),
		}); err != nil {
			return nil, err
		}
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
	sops := make([]string, 0, len(mv.SOPHighest))
	for sop := range mv.SOPHighest {
		sops = append(sops, sop)
	}
	sort.Strings(sops)
	for _, sop := range sops {
		idx, ok := sopRow[sop]
		if !ok {
			idx = -1
		}
		if err := put(idx, map[string]string{
			ColStateKind: stateArchiveSOP, ColStateKey: sop, ColStateValue: strconv.Itoa(mv.SOPHighest[sop]),
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
func isArchiveTitle(title string) (int, bool) { return yearOfTitle(title, rules.ArchiveTitle) }

// isSurveyArchiveTitle reports whether a tab title is a yearly survey
// archive's.
func isSurveyArchiveTitle(title string) bool {
	_, ok := yearOfTitle(title, rules.SurveyArchiveTitle)
	return ok
}

// yearOfTitle reads the year of a yearly tab's title as titleOf names it
// ("Arsip 2025", "Arsip Survei 2025"): the title must be exactly
// titleOf's for the year it ends with.
func yearOfTitle(title string, titleOf func(int) string) (int, bool) {
	i := strings.LastIndexByte(title, ' ')
	if i < 0 {
		return 0, false
	}
	n, err := strconv.Atoi(title[i+1:])
	if err != nil || titleOf(n) != title {
		return 0, false
	}
	return n, true
}

// archiveSchemas lists the spreadsheet's tabs (one spreadsheets.get) and
// gives the case table's schema for each yearly archive tab, header row
// only when headerOnly, and with surveys the survey table's for each
// yearly survey archive.
func (t *Tracker) archiveSchemas(ctx context.Context, headerOnly, surveys bool) ([]TabSchema, error) {
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
		if surveys && isSurveyArchiveTitle(p.Title) {
			sc := SurveyTab
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
	schemas, err := t.archiveSchemas(ctx, true, false)
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

// anchorFunc gives the requests (re)creating a row's anchor on row of
// the tab sheetID; seen holds the anchors the live tabs carry as last
// read.
type anchorFunc func(sheetID, row int64, seen anchorSet) []*sheets.Request

// anchorRequests (re)creates a ticket's row anchor on a row (exists: the
// anchor was last read on another row).
func anchorRequests(sheetID, row int64, tk rules.Ticket, exists bool) []*sheets.Request {
	return metaAnchorRequests(sheetID, row, rules.AnchorID(tk), tk.String(), exists)
}

// metaAnchorRequests (re)creates the row anchor id, value on a row. An
// anchor with its id that sits elsewhere (Sheets may leave metadata in
// place when rows are sorted) is deleted first, since ids are unique —
// but only when the last read showed it (exists): Google does not say
// what a deleteDeveloperMetadata matching nothing does, and if it fails
// the request, the whole batch with it would fail every time
// (fake.Options.DataFilterMissFails).
func metaAnchorRequests(sheetID, row, id int64, value string, exists bool) []*sheets.Request {
	create := &sheets.Request{CreateDeveloperMetadata: &sheets.CreateDeveloperMetadataRequest{DeveloperMetadata: &sheets.DeveloperMetadata{
		MetadataId: id, MetadataKey: MetaRowKey, MetadataValue: value, Visibility: "DOCUMENT",
		Location: &sheets.DeveloperMetadataLocation{DimensionRange: &sheets.DimensionRange{
			SheetId: sheetID, Dimension: "ROWS", StartIndex: row, EndIndex: row + 1,
		}},
	}}}
	if !exists {
		return []*sheets.Request{create}
	}
	return []*sheets.Request{
		{DeleteDeveloperMetadata: &sheets.DeleteDeveloperMetadataRequest{DataFilter: &sheets.DataFilter{
			DeveloperMetadataLookup: &sheets.DeveloperMetadataLookup{MetadataId: id},
		}}},
		create,
	}
}

// anchorsOn reads the live tabs the rows going back belong to (one
// read) and gives every anchor value they carry: whether a returned
// row's anchor still sits somewhere (deleted first) or went with the
// rows the move deleted (only created).
func (t *Tracker) anchorsOn(ctx context.Context, stray []strayRow) (anchorSet, error) {
	var schemas []TabSchema
	for _, s := range stray {
		if s.anchor != nil && !slices.ContainsFunc(schemas, func(sc TabSchema) bool { return sc.Title == s.live.Title }) {
			schemas = append(schemas, s.live)
		}
	}
	if len(schemas) == 0 {
		return nil, nil
	}
	tables, err := t.sheets.Read(ctx, schemas...)
	if err != nil {
		return nil, fmt.Errorf("read before returning rows from the archive: %w", err)
	}
	seen := anchorSet{}
	for _, tb := range tables {
		seen.add(tb)
	}
	return seen, nil
}

// anchorAt is a row anchor's value in a tab.
type anchorAt struct {
	sheetID int64
	value   string
}

// anchorSet is the row anchors tabs carry, as read.
type anchorSet map[anchorAt]bool

// add records every row anchor of tb.
func (s anchorSet) add(tb *Table) {
	for _, r := range tb.Rows {
		for _, a := range r.Anchors {
			s[anchorAt{tb.SheetID, a}] = true
		}
	}
}

// repairAnchors gives every live row the anchor of the ticket its cell
// shows, after a raced move: when Sheets leaves metadata in place on a
// sort, the rows the move deleted took other tickets' anchors with them.
// The same holds for the tabs of the SOPs the move took cases from
// (sops): every case row gets the anchor of the case its No. Kasus cell
// names. One read of the live tabs, and one batchUpdate when anything is
// off.
func (t *Tracker) repairAnchors(ctx context.Context, sops []*archiveSource) error {
	schemas := []TabSchema{t.cases}
	for _, s := range sops {
		schemas = append(schemas, s.schema)
	}
	tables, err := t.sheets.Read(ctx, schemas...)
	if err != nil {
		return fmt.Errorf("read after a raced archive move: %w", err)
	}
	seen := anchorSet{}
	for _, tb := range tables {
		seen.add(tb)
	}
	ct := tables[t.cases.Title]
	var reqs []*sheets.Request
	for _, r := range ct.Rows {
		tk, err := rules.ParseTicket(r.Get(string(rules.CFTicket)))
		if err != nil || r.Anchor == tk.String() {
			continue
		}
		reqs = append(reqs, anchorRequests(ct.SheetID, r.Index, tk, seen[anchorAt{ct.SheetID, tk.String()}])...)
	}
	for _, s := range sops {
		tb := tables[s.schema.Title]
		cases, _ := sopCases(tb.Rows)
		for _, r := range tb.Rows {
			rc := cases[r.Index]
			if rc.caseID == "" || rc.copy || slices.Contains(r.Anchors, rc.caseID) {
				continue
			}
			reqs = append(reqs, metaAnchorRequests(tb.SheetID, r.Index, sopAnchorID(s.sop, rc.caseID), rc.caseID, seen[anchorAt{tb.SheetID, rc.caseID}])...)
		}
	}
	if len(reqs) == 0 {
		return nil
	}
	if err := t.sheets.Apply(ctx, &Commit{Extra: reqs}); err != nil {
		return fmt.Errorf("re-anchor rows after a raced archive move: %w", err)
	}
	return nil
}
