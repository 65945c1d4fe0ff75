package google

import (
	"context"
	"fmt"
	"slices"

	"google.golang.org/api/sheets/v4"

	"kopi/rules"
)

// New rows and changed cells of existing rows are written inside the
// commit at the rows and columns kopi's read found (google/row_write.go):
// the Sheets API has no write that locates a cell by both a row anchor and
// a column anchor. If staff sort, insert, delete or move a column in that
// window, VerifyLayout notices it afterwards from the commit's read-back
// and puts every value back where it belongs.

// writtenRow remembers one row kopi wrote in this cycle.
type writtenRow struct {
	anchorID int64
	anchor   string
	values   cellPack // field key → value written
	raw      []string // the row's cells at read time (nil: new row)
	// placed: written by position in an existing row, checked and put
	// right cell by cell (repairPlaced), not by repairs.
	placed bool
}

// maxRepairs bounds the verify-and-repair loop: each kind of repair
// (cells written by position put right, a column move, anchors moved
// back) takes a round, and the round after it checks it.
const maxRepairs = 5

// VerifyLayout checks the consultation tab's header, column anchors and
// ticket column after a cycle that wrote rows: from the commit's own
// response when the commit was the last write to the tab (no call), else
// with one read. A cell written by position in an existing row that
// landed on another row or column is put right from the row-write
// journal's copy (repairPlaced); when the columns moved since the read,
// every new row is rewritten by anchor: kopi's values under their own
// headers, and each cell kopi may have written by mistake cleared. It
// returns how many rows it repaired.
func (tx *TrackerTx) VerifyLayout(ctx context.Context) (int, error) {
	n, err := tx.verifyLayout(ctx)
	n += tx.repaired
	tx.repaired = 0
	if err == nil && tx.journal.open {
		// Every write stood on its row: nothing in flight is left to
		// put back. The journal closes with the cycle's next write.
		tx.journal.checked = true
	}
	return n, err
}

func (tx *TrackerTx) verifyLayout(ctx context.Context) (int, error) {
	t := tx.t
	ct := tx.tables[t.cases.Title]
	seen := tx.committed
	tx.committed = nil
	if ct == nil || len(tx.written) == 0 {
		return 0, nil
	}
	defer func() { tx.written = nil }()
	repaired := 0
	for round := 0; round < maxRepairs; round++ {
		var l layout
		if seen != nil {
			// Every write this cycle made to the tab came before or in
			// the commit, and the commit read the layout back after them:
			// a move since then carries the written cells along.
			l, seen = *seen, nil
		} else {
			var err error
			if l, err = t.readLayout(ctx, ct); err != nil {
				return repaired, err
			}
		}
		if len(tx.placed) > 0 {
			// Rows written by position: each cell must have landed on
			// its case's row and its field's column. The layout after a
			// repair is its own read-back (or the read it made).
			n, after, err := tx.repairPlaced(ctx, l)
			if err != nil {
				return repaired, err
			}
			repaired += n
			l = after
		}
		ids := l.ids
		if slices.Equal(ids, ct.ColIDs) {
			if !l.offRow {
				return repaired, nil
			}
			// A sort left anchors off their rows since the read: they
			// are moved back onto the rows showing their tickets.
			if err := tx.moveAnchorsBack(ctx); err != nil {
				return repaired, err
			}
			continue
		}
		ups := tx.repairs(ct, ids)
		if err := t.sheets.writeByIndex(ctx, ups); err != nil {
			return repaired, fmt.Errorf("repair rows after a column move: %w", err)
		}
		repaired += len(ups)
		// The repair wrote at the positions just read: they are now the
		// reference, and the written rows' read-time values stay as they
		// were.
		next := *ct
		next.ColIDs = ids
		next.Columns = columnsFromIDs(ct.Schema, ids)
		for i := range tx.written {
			tx.written[i].raw = remap(tx.written[i].raw, ct.ColIDs, ids)
		}
		*ct = next
	}
	return repaired, fmt.Errorf("kolom tab %q terus berpindah; periksa baris yang baru ditulis", ct.Schema.Title)
}

// layout is what a layout check sees of the consultation tab: the
// column identities of its header row, whether an anchor stands on a
// row whose ticket cell names another ticket, the ticket each row shows
// (rows showing none left out; nil when the ticket column moved since
// the read, so the column read back was another), and where each
// ticket shown once is.
type layout struct {
	ids     []string
	offRow  bool
	tickets map[int64]string
	at      map[string]int64
}

// layoutFields is the field mask of a layout read: the grid data of the
// header row and ticket column with their dimension metadata.
const layoutFields = "sheets(data(startRow,startColumn,rowData(values(" + cellFields + ")),rowMetadata(developerMetadata(metadataKey,metadataValue)),columnMetadata(developerMetadata(metadataKey,metadataValue))))"

// layoutRanges are the ranges of a layout read: the header row, and the
// ticket column (as the read found it) when the tab has one.
func (t *Tracker) layoutRanges(ct *Table) (ranges []string, hasTicket bool) {
	title := QuoteSheetName(t.cases.Title)
	ranges = []string{title + "!1:1"}
	tcol, hasTicket := ct.Columns[string(rules.CFTicket)]
	if hasTicket {
		l := colLetters(tcol)
		ranges = append(ranges, title+"!"+l+":"+l)
	}
	return ranges, hasTicket
}

// readLayout reads the header row with the column anchors, and the
// ticket column with the row anchors, in one call.
func (t *Tracker) readLayout(ctx context.Context, ct *Table) (layout, error) {
	ranges, _ := t.layoutRanges(ct)
	ss, err := DoValue(ctx, t.sheets.retry, Idempotent("sheets.spreadsheets.get"), func(ctx context.Context) (*layoutSpreadsheet, error) {
		ctx, body := withRawBody(ctx)
		if _, err := t.sheets.svc.Spreadsheets.Get(t.sheets.id).Ranges(ranges...).IncludeGridData(true).
			Fields(layoutFields).Context(ctx).Do(); err != nil {
			return nil, err
		}
		return decodeLayout(body)
	})
	if err != nil {
		return layout{}, fmt.Errorf("verify layout: %w", err)
	}
	return t.parseLayout(ct, ss)
}

// parseLayout reads a layout out of the grid data of layoutRanges,
// whether a get or a commit's response returned it.
func (t *Tracker) parseLayout(ct *Table, ss *layoutSpreadsheet) (layout, error) {
	_, hasTicket := t.layoutRanges(ct)
	// One GridData per requested range, in the order requested.
	if ss != nil {
		for _, sh := range ss.Sheets {
			if len(sh.Data) == 0 {
				continue
			}
			var l layout
			var header []string
			if h := sh.Data[0]; len(h.RowData) > 0 {
				header = h.RowData[0].texts()
			}
			l.ids = columnIDs(header, sh.Data[0].ColumnMetadata)
			if hasTicket && len(sh.Data) > 1 {
				l = ticketLayout(l.ids, ticketColumn(&sh.Data[1]))
				if tcol := ct.Columns[string(rules.CFTicket)]; tcol >= len(l.ids) || tcol >= len(ct.ColIDs) || l.ids[tcol] != ct.ColIDs[tcol] {
					// Staff moved the ticket column: the column read back
					// is another one, and tells no row's ticket.
					l.tickets, l.at = nil, nil
				}
			}
			return l, nil
		}
	}
	return layout{}, fmt.Errorf("verify layout: tab %q returned no data", t.cases.Title)
}

// ticketColumn reads a one-column grid block of the ticket column as
// rows carrying their anchor and ticket.
func ticketColumn(g *layoutGrid) []ticketRow {
	n := max(len(g.RowData), len(g.RowMetadata))
	rows := make([]ticketRow, 0, max(n-1, 0))
	for i := 1; i < n; i++ {
		r := ticketRow{Index: int64(i)}
		if i < len(g.RowData) && len(g.RowData[i].Values) > 0 {
			r.Ticket = string(g.RowData[i].Values[0])
		}
		if i < len(g.RowMetadata) {
			r.Anchor, _ = g.RowMetadata[i].value(MetaRowKey)
			r.Anchors = g.RowMetadata[i].values(MetaRowKey)
		}
		rows = append(rows, r)
	}
	return rows
}

// columnsFromIDs maps schema fields to indexes of a layout.
func columnsFromIDs(schema TabSchema, ids []string) map[string]int {
	out := map[string]int{}
	for _, c := range schema.Columns {
		if i := slices.Index(ids, "k:"+c.Key); i >= 0 {
			out[c.Key] = i
		} else if i := slices.Index(ids, "h:"+c.Header); i >= 0 {
			out[c.Key] = i
		}
	}
	return out
}

// remap reorders a row's read-time cells from one layout to another.
func remap(raw []string, from, to []string) []string {
	if raw == nil {
		return nil
	}
	out := make([]string, len(to))
	for j, id := range to {
		if i := slices.Index(from, id); i >= 0 && i < len(raw) {
			out[j] = raw[i]
		}
	}
	return out
}

// indexUpdate is a row rewrite by column index.
type indexUpdate struct {
	anchorID int64
	cells    map[int]string
}

// repairs computes the rewrites for a moved layout: each written value
// at its field's new index, and each index kopi wrote at the old layout
// restored to what the read saw there for the column now standing in it.
func (tx *TrackerTx) repairs(ct *Table, ids []string) []indexUpdate {
	now := columnsFromIDs(ct.Schema, ids)
	var ups []indexUpdate
	for _, w := range tx.written {
		if w.placed {
			continue
		}
		cells := map[int]string{}
		written := w.values.cells()
		values, _ := splitLong(w.anchor, written) // the tails are stored already
		for key, v := range values {
			if i, ok := now[key]; ok {
				cells[i] = v
			}
		}
		for key := range written {
			i0, ok := ct.Columns[key]
			if !ok || i0 >= len(ids) {
				continue
			}
			if _, mine := cells[i0]; mine {
				continue
			}
			restore := ""
			if j := slices.Index(ct.ColIDs, ids[i0]); j >= 0 && j < len(w.raw) {
				restore = w.raw[j]
			}
			cells[i0] = restore
		}
		ups = append(ups, indexUpdate{anchorID: w.anchorID, cells: cells})
	}
	return ups
}

// writeByIndex rewrites cells of anchored rows by column index (one
// values.batchUpdateByDataFilter; cells not named are sent as null).
func (s *Sheets) writeByIndex(ctx context.Context, ups []indexUpdate) error {
	lups := make([]lookupUpdate, len(ups))
	for i, u := range ups {
		lups[i] = lookupUpdate{lookup: &sheets.DeveloperMetadataLookup{MetadataId: u.anchorID}, cells: u.cells}
	}
	return s.writeByLookup(ctx, lups)
}

// lookupUpdate is a row rewrite by column index, the row found by a
// developer-metadata lookup.
type lookupUpdate struct {
	lookup *sheets.DeveloperMetadataLookup
	// row, set instead of lookup, names the row by position (a row
	// kopi has no anchor on: google/journal.go).
	row   *sheets.GridRange
	cells map[int]string
}

// writeByLookup rewrites cells of rows found by their metadata (one
// values.batchUpdateByDataFilter; cells not named are sent as null).
func (s *Sheets) writeByLookup(ctx context.Context, ups []lookupUpdate) error {
	if len(ups) == 0 {
		return nil
	}
	data := make([]*sheets.DataFilterValueRange, 0, len(ups))
	for _, u := range ups {
		width := 0
		for i := range u.cells {
			width = max(width, i+1)
		}
		row := make([]any, width)
		for i, v := range u.cells {
			row[i] = v
		}
		f := &sheets.DataFilter{DeveloperMetadataLookup: u.lookup}
		if u.row != nil {
			g := *u.row
			g.StartColumnIndex, g.EndColumnIndex = 0, int64(width)
			f = &sheets.DataFilter{GridRange: &g}
		}
		data = append(data, &sheets.DataFilterValueRange{
			DataFilter:     f,
			MajorDimension: "ROWS",
			Values:         [][]any{row},
		})
	}
	req := &sheets.BatchUpdateValuesByDataFilterRequest{ValueInputOption: "RAW", Data: data}
	_, err := DoValue(ctx, s.retry, Idempotent("sheets.spreadsheets.values.batchUpdateByDataFilter"), func(ctx context.Context) (*sheets.BatchUpdateValuesByDataFilterResponse, error) {
		return s.svc.Spreadsheets.Values.BatchUpdateByDataFilter(s.id, req).Context(ctx).Do()
	})
	return err
}

// moveAnchorsBack answers a layout that shows anchors off their rows
// after this cycle's writes, which all stood on their rows: the anchors
// are moved back onto the rows showing their tickets (one read, one
// batchUpdate).
func (tx *TrackerTx) moveAnchorsBack(ctx context.Context) error {
	t := tx.t
	tables, err := t.sheets.Read(ctx, t.cases)
	if err != nil {
		return fmt.Errorf("re-read rows after a sort: %w", err)
	}
	fresh := tables[t.cases.Title]
	tr := ticketRows(fresh.Rows)
	return t.sheets.moveAnchors(ctx, fresh.SheetID, anchorMoves(tr), lostAnchors(tr))
}
