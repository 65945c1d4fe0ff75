package fake

import (
	"slices"

	"google.golang.org/api/sheets/v4"
)

// A commit that reads its layout back (kopi's last commit of a cycle)
// asks for the header row and the whole ticket column with every row's
// anchors, under a field mask: at 50,000 rows, building that grid as the
// API's types (a CellData, RowData, DimensionProperties and a located
// copy of each anchor per row), encoding all of it and then trimming the
// bytes to the mask cost the fake some 270 MB of garbage for a body of
// a few. lazyGrids writes the grid data straight from the model instead,
// row by row, leaving out of the encoding only what the mask leaves out
// anyway: the response is then trimmed to the mask as before
// (trimToFields), and the trimmed bytes are the same as the whole
// encoding's. A row the shortcut does not cover (a cell with more than
// plain text, metadata with ForceSendFields) is rendered as before.

// lazyGrids are the grid blocks of a response's sheets, by sheet index,
// and what of a cell and of a row's properties the mask lets the
// encoding leave out.
type lazyGrids struct {
	ss     *spreadsheet
	blocks [][]gridBlock
	// plainCells: a plain text cell may be written with its
	// userEnteredValue alone (the mask selects neither its effective
	// nor its formatted value).
	plainCells bool
	// rowMeta: a row's properties may be written as its developer
	// metadata alone, each without its location (the mask selects the
	// rows' developer metadata and nothing else, and of it no location).
	rowMeta bool
}

// newLazyGrids returns the blocks to encode under data, the mask below
// the response's sheets.data.
func newLazyGrids(ss *spreadsheet, blocks [][]gridBlock, data fieldMask) *lazyGrids {
	l := &lazyGrids{ss: ss, blocks: blocks}
	if data == nil {
		return l // everything is selected
	}
	if cells, ok := data.child("rowData", "values"); !ok {
		l.plainCells = true
	} else if cells != nil {
		_, all := cells["*"]
		_, ev := cells["effectiveValue"]
		_, fv := cells["formattedValue"]
		l.plainCells = !all && !ev && !fv
	}
	if rows, ok := data.child("rowMetadata"); !ok {
		l.rowMeta = true
	} else if dm, only := rows["developerMetadata"]; len(rows) == 1 && only && dm != nil {
		_, all := dm["*"]
		_, loc := dm["location"]
		l.rowMeta = !all && !loc
	}
	return l
}

// of returns the blocks of the sheet at index i (none when l is nil).
func (l *lazyGrids) of(i int) []gridBlock {
	if l == nil || i >= len(l.blocks) {
		return nil
	}
	return l.blocks[i]
}

// appendBlock writes one block's grid data as appendGridData writes
// t.gridData's, less what the mask leaves out.
func (l *lazyGrids) appendBlock(buf []byte, b gridBlock) ([]byte, error) {
	ss, t := l.ss, b.t
	shell, err := openObject(&sheets.GridData{StartRow: b.r0, StartColumn: b.c0})
	if err != nil {
		return nil, err
	}
	buf = append(buf, shell...)
	// A row of a plain ticket cell and one anchor is some 190 bytes:
	// room for them at once, not by doubling.
	buf = slices.Grow(buf, int(b.r1-b.r0)*192)
	if b.r1 > b.r0 {
		buf = appendKey(buf, "rowData")
		buf = append(buf, '[')
		for r := b.r0; r < b.r1; r++ {
			if r > b.r0 {
				buf = append(buf, ',')
			}
			if buf, err = l.appendRow(buf, t, r, b.c0, b.c1); err != nil {
				return nil, err
			}
		}
		buf = append(buf, ']')
		buf = appendKey(buf, "rowMetadata")
		buf = append(buf, '[')
		for r := b.r0; r < b.r1; r++ {
			if r > b.r0 {
				buf = append(buf, ',')
			}
			if buf, err = l.appendRowProps(buf, t, r); err != nil {
				return nil, err
			}
		}
		buf = append(buf, ']')
	}
	if b.c1 > b.c0 {
		buf = appendKey(buf, "columnMetadata")
		buf = append(buf, '[')
		for c := b.c0; c < b.c1; c++ {
			if c > b.c0 {
				buf = append(buf, ',')
			}
			if buf, err = appendDimension(buf, ss.dimProps(t, t.cols[c].props, t.cols[c].meta, "COLUMNS", c)); err != nil {
				return nil, err
			}
		}
		buf = append(buf, ']')
	}
	return closeObject(buf), nil
}

// appendRow writes row r's cells c0..c1-1 as t.gridData renders them:
// trailing empty cells left out, an empty cell as {}, a plain text cell
// by its userEnteredValue when the mask allows.
func (l *lazyGrids) appendRow(buf []byte, t *tab, r, c0, c1 int64) ([]byte, error) {
	last := int64(-1) // the last cell written
	for c := c0; c < c1 && l.plainCells; c++ {
		v := t.stored(r, c)
		if v.data() != nil {
			return l.appendRendered(buf, t, r, c0, c1)
		}
		if !v.empty() {
			last = c
		}
	}
	if !l.plainCells {
		return l.appendRendered(buf, t, r, c0, c1)
	}
	if last < 0 {
		return append(buf, '{', '}'), nil
	}
	buf = append(buf, `{"values":[`...)
	for c := c0; c <= last; c++ {
		if c > c0 {
			buf = append(buf, ',')
		}
		if text := t.stored(r, c).text(); text != "" {
			buf = append(buf, `{"userEnteredValue":{"stringValue":`...)
			buf = appendString(buf, text)
			buf = append(buf, '}', '}')
		} else {
			buf = append(buf, '{', '}')
		}
	}
	return append(buf, ']', '}'), nil
}

// appendRendered writes row r as t.gridData renders it, through the
// API's types.
func (l *lazyGrids) appendRendered(buf []byte, t *tab, r, c0, c1 int64) ([]byte, error) {
	rd := &sheets.RowData{}
	for c := c0; c < c1; c++ {
		rd.Values = append(rd.Values, l.ss.renderCellData(t, r, c))
	}
	for len(rd.Values) > 0 && isEmptyCell(rd.Values[len(rd.Values)-1]) {
		rd.Values = rd.Values[:len(rd.Values)-1]
	}
	return appendRowData(buf, rd)
}

// appendRowProps writes row r's properties as dimProps renders them, or
// when the mask allows its developer metadata alone, without locations.
func (l *lazyGrids) appendRowProps(buf []byte, t *tab, r int64) ([]byte, error) {
	row := t.rows[r]
	plain := l.rowMeta && (row.props == nil || row.props.DeveloperMetadata == nil)
	for _, m := range row.meta {
		plain = plain && m != nil && m.ForceSendFields == nil && m.NullFields == nil
	}
	if !plain {
		return appendDimension(buf, l.ss.dimProps(t, row.props, row.meta, "ROWS", r))
	}
	if len(row.meta) == 0 {
		return append(buf, '{', '}'), nil
	}
	buf = append(buf, `{"developerMetadata":[`...)
	for i, m := range row.meta {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, '{')
		buf = appendMetadataFields(buf, m)
		buf = append(buf, '}')
	}
	return append(buf, ']', '}'), nil
}
