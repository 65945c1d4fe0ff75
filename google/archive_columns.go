package google

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"google.golang.org/api/sheets/v4"
)

// An archive tab gets its header from the live tab the night it is
// created; staff may then move, insert or delete columns in either tab.
// A move therefore places each live column under the archive column of
// the same name, never by position:
//
//   - a column's name is the field kopi knows it as (its anchor in the
//     live tab, its schema header in the archive) or, for staff's own
//     columns, its header text — the n-th of a repeated text matching
//     the n-th;
//   - a live column the archive lacks (staff's new column) gets a new
//     column at the archive's end, its header copied from the live tab,
//     so no staff data is lost;
//   - an archive column the live tab no longer has stays empty for the
//     new rows;
//   - runs of live columns whose places follow each other in the
//     archive are one copyPaste per block of rows: when nobody moved a
//     column, a block of rows is still one request.

// columnNames names every grid column of a consultation tab (width
// columns) for matching across tabs: "k:" and the field key for a
// column kopi finds as one of its fields, "h:" and the header text
// (trimmed, lower case) otherwise; a repeated name gets a counter.
func columnNames(tb *Table, width int64) []string {
	byCol := map[int]string{}
	for key, col := range tb.Columns {
		byCol[col] = key
	}
	names := make([]string, width)
	seen := map[string]int{}
	for i := range names {
		name := ""
		if key, ok := byCol[i]; ok {
			name = "k:" + key
		} else {
			name = "h:" + headerName(tb, i)
		}
		seen[name]++
		if n := seen[name]; n > 1 {
			name += "#" + strconv.Itoa(n)
		}
		names[i] = name
	}
	return names
}

// headerName is a column's header text as names compare it.
func headerName(tb *Table, col int) string {
	if col >= len(tb.Header) {
		return ""
	}
	return strings.ToLower(strings.TrimSpace(tb.Header[col]))
}

// columnPlacement is where a move puts each live column in one archive
// tab.
type columnPlacement struct {
	// dest is the archive column of each live column.
	dest []int64
	// added are the live columns the archive lacked, in order: they
	// land in new columns appended to the archive (dest says which).
	added []int64
	// names are the archive's column names once the move landed.
	names []string
}

// placeColumns places the live columns (live, their names; liveHeader,
// the live tab's header texts by the same index) in an archive tab whose
// columns have the names arch. A kopi column the archive knows only by
// the live header text (staff renamed it in the live tab before the
// archive was made) is matched by that text.
func placeColumns(live []string, liveTable *Table, arch []string) columnPlacement {
	at := map[string]int64{}
	for j, n := range arch {
		at[n] = int64(j)
	}
	claimed := map[int64]bool{}
	p := columnPlacement{dest: make([]int64, len(live)), names: append([]string(nil), arch...)}
	var unmatched []int
	for i, n := range live {
		if j, ok := at[n]; ok && !claimed[j] {
			p.dest[i], claimed[j] = j, true
			continue
		}
		unmatched = append(unmatched, i)
	}
	for _, i := range unmatched {
		if strings.HasPrefix(live[i], "k:") {
			if j, ok := at["h:"+headerName(liveTable, i)]; ok && !claimed[j] {
				p.dest[i], claimed[j] = j, true
				continue
			}
		}
		p.dest[i] = int64(len(p.names))
		p.added = append(p.added, int64(i))
		p.names = append(p.names, live[i])
	}
	return p
}

// colRun is a run of adjacent live columns that lands on adjacent
// archive columns: one copyPaste per block of rows.
type colRun struct {
	from, to, n int64
}

// runs groups the placement into runs, in live column order.
func (p columnPlacement) runs() []colRun {
	var out []colRun
	for i := 0; i < len(p.dest); {
		j := i + 1
		for j < len(p.dest) && p.dest[j] == p.dest[j-1]+1 {
			j++
		}
		out = append(out, colRun{from: int64(i), to: p.dest[i], n: int64(j - i)})
		i = j
	}
	return out
}

// addedRuns groups the added columns into runs, for copying their
// header cells.
func (p columnPlacement) addedRuns() []colRun {
	var out []colRun
	for i := 0; i < len(p.added); {
		j := i + 1
		for j < len(p.added) && p.added[j] == p.added[j-1]+1 {
			j++
		}
		out = append(out, colRun{from: p.added[i], to: p.dest[p.added[i]], n: int64(j - i)})
		i = j
	}
	return out
}

// copyBlock copies n rows × the columns of each run with PASTE_NORMAL
// (values, formulas, formats and notes), each run under its own place.
func copyBlock(fromSheet, fromRow, toSheet, toRow, n int64, runs []colRun) []*sheets.Request {
	reqs := make([]*sheets.Request, 0, len(runs))
	for _, r := range runs {
		reqs = append(reqs, &sheets.Request{CopyPaste: &sheets.CopyPasteRequest{
			Source:           &sheets.GridRange{SheetId: fromSheet, StartRowIndex: fromRow, EndRowIndex: fromRow + n, StartColumnIndex: r.from, EndColumnIndex: r.from + r.n},
			Destination:      &sheets.GridRange{SheetId: toSheet, StartRowIndex: toRow, EndRowIndex: toRow + n, StartColumnIndex: r.to, EndColumnIndex: r.to + r.n},
			PasteType:        "PASTE_NORMAL",
			PasteOrientation: "NORMAL",
		}})
	}
	return reqs
}

// back is the runs the other way: from the archive's places to the
// live columns (returning a row a raced move put in the archive).
func back(runs []colRun) []colRun {
	out := make([]colRun, len(runs))
	for i, r := range runs {
		out[i] = colRun{from: r.to, to: r.from, n: r.n}
	}
	return out
}

// archiveHeaders reads the header rows of existing archive tabs (each by
// its schema) in ONE spreadsheets.get and names their columns (width:
// each tab's grid columns). A night that moves rows only into new tabs,
// or into tabs this transaction already moved to, makes no call.
func (tx *TrackerTx) archiveHeaders(ctx context.Context, tabs map[string]TabSchema) (map[string][]string, error) {
	out := map[string][]string{}
	var schemas []TabSchema
	titles := make([]string, 0, len(tabs))
	for title := range tabs {
		titles = append(titles, title)
	}
	sort.Strings(titles)
	for _, title := range titles {
		if names, ok := tx.archiveCols[title]; ok {
			out[title] = names
			continue
		}
		sc := tabs[title]
		sc.Title, sc.HeaderOnly = title, true
		schemas = append(schemas, sc)
	}
	if len(schemas) == 0 {
		return out, nil
	}
	heads, err := tx.t.sheets.Read(ctx, schemas...)
	if err != nil {
		return nil, fmt.Errorf("read the archive's header: %w", err)
	}
	for _, sc := range schemas {
		h := heads[sc.Title]
		out[sc.Title] = columnNames(h, h.ColCount)
	}
	return out, nil
}
