package fake

import (
	"math"
	"strconv"

	"google.golang.org/api/sheets/v4"
)

// spreadsheets.get with grid data is most of what kopi's tests spend in
// the fake: every cycle reads its tracker. Rendering the grid as the
// API's types first — a CellData per cell, evaluated (effective and
// formatted value, effective format) whether the field mask asks for
// them or not, then pruned to the mask (pruneGrid, in the tests now),
// encoded and trimmed — cost a crash test a fifth of its CPU under
// -race. getGrids writes each block's GridData straight from the model
// instead, under the server's lock: a cell is evaluated only when the
// mask selects what evaluation gives, and what the trim would drop
// anyway (a part of data[] the mask does not name, a row's location
// when only its metadata's keys and values are asked for) is not
// written. The body, after the same trim (trimToFields), is the one the
// rendered grid gave, byte for byte: TestSpreadsheetsGetGolden and
// TestGetGridsAnswerAsTheRender hold it so.

// getGrids are the grid blocks of a spreadsheets.get or getByDataFilter
// response, by sheet index, and what of them the mask lets the encoding
// leave out.
type getGrids struct {
	ss     *spreadsheet
	blocks [][]gridBlock
	// prune is spreadsheets.get's pruning under a mask that names the
	// cells' fields: each cell keeps only the nine fields pruneGrid
	// copies (those selected), trailing cells left with nothing and
	// then trailing rows left with no cells are dropped, and a row's or
	// column's properties are cut to their metadata when that is all
	// the mask names, trailing ones without metadata dropped.
	prune bool
	// cell is what of a cell is written under prune.
	cell cellFieldSel
	// rowData, rowMeta and colMeta say whether the mask keeps that part
	// of a GridData at all (the trim would drop it whole).
	rowData, rowMeta, colMeta bool
	// efType: the mask selects of a cell's effective format its
	// number format's type alone (appendTypedCell).
	efType bool
	// rowDims and colDims are how rows' and columns' properties are
	// written.
	rowDims, colDims dimWrite
}

// cellFieldSel is what pruneGrid keeps of a cell: the selected ones of
// the nine fields it copies.
type cellFieldSel struct {
	uev, ev, fv, uef, ef, dv, note, link, runs bool
}

// dimWrite is how a row's or column's properties are written.
type dimWrite int

const (
	// dimsWhole: every entry, whole (the trim cuts it to the mask).
	dimsWhole dimWrite = iota
	// dimsMeta: pruneDims' cut, each entry its located metadata alone.
	dimsMeta
	// dimsMetaBare: dimsMeta, the metadata written without a location
	// (the mask does not ask for one).
	dimsMetaBare
)

// newGetGrids returns the grid writer for blocks under the response's
// field mask m (nil: no mask, everything is written), with
// spreadsheets.get's pruning when prune (getByDataFilter does not prune).
func newGetGrids(ss *spreadsheet, blocks [][]gridBlock, m fieldMask, prune bool) *getGrids {
	g := &getGrids{ss: ss, blocks: blocks, rowData: true, rowMeta: true, colMeta: true}
	if m == nil {
		return g
	}
	data, ok := m.child("sheets", "data")
	if !ok {
		g.blocks = nil // the trim drops data[]
		return g
	}
	_, g.rowData = data.child("rowData")
	_, g.rowMeta = data.child("rowMetadata")
	_, g.colMeta = data.child("columnMetadata")
	cells, ok := data.child("rowData", "values")
	if !prune || !ok || cells == nil {
		return g // pruneGrid leaves such a response whole
	}
	g.prune = true
	keep := func(name string) bool { _, ok := cells.child(name); return ok }
	g.cell = cellFieldSel{
		uev: keep("userEnteredValue"), ev: keep("effectiveValue"), fv: keep("formattedValue"),
		uef: keep("userEnteredFormat"), ef: keep("effectiveFormat"), dv: keep("dataValidation"),
		note: keep("note"), link: keep("hyperlink"), runs: keep("textFormatRuns"),
	}
	if ef, ok := cells.child("effectiveFormat"); ok && len(ef) == 1 {
		nf, ok := ef["numberFormat"]
		typ, only := nf["type"]
		g.efType = ok && len(nf) == 1 && only && typ == nil
	}
	g.rowDims, g.colDims = dimsCut(data, "rowMetadata"), dimsCut(data, "columnMetadata")
	return g
}

// dimsCut is how pruneGrid leaves the properties under data's key.
func dimsCut(data fieldMask, key string) dimWrite {
	dm, ok := data.child(key)
	if !ok || dm == nil || len(dm) != 1 {
		return dimsWhole
	}
	sub, only := dm["developerMetadata"]
	if !only {
		return dimsWhole
	}
	if sub == nil {
		return dimsMeta
	}
	_, all := sub["*"]
	_, loc := sub["location"]
	if all || loc {
		return dimsMeta
	}
	return dimsMetaBare
}

// of returns the blocks of the sheet at index i.
func (g *getGrids) of(i int) []gridBlock {
	if i >= len(g.blocks) {
		return nil
	}
	return g.blocks[i]
}

// appendBlock writes one block's GridData as appendGridData writes the
// rendered one (pruned under g.prune).
func (g *getGrids) appendBlock(buf []byte, b gridBlock) ([]byte, error) {
	buf = append(buf, '{')
	buf = appendIntField(buf, "startColumn", b.c0)
	buf = appendIntField(buf, "startRow", b.r0)
	var err error
	if g.rowData {
		if buf, err = g.appendRows(buf, b); err != nil {
			return nil, err
		}
	}
	if g.rowMeta {
		if buf, err = g.appendDims(buf, "rowMetadata", g.rowDims, b.t, "ROWS", b.r0, b.r1); err != nil {
			return nil, err
		}
	}
	if g.colMeta {
		if buf, err = g.appendDims(buf, "columnMetadata", g.colDims, b.t, "COLUMNS", b.c0, b.c1); err != nil {
			return nil, err
		}
	}
	return closeObject(buf), nil
}

// appendRows writes rowData: the rows up to the last one with a cell
// written, an empty row as {}; none, no rowData.
func (g *getGrids) appendRows(buf []byte, b gridBlock) ([]byte, error) {
	lastRow := b.r1 - 1
	for lastRow >= b.r0 && g.lastCell(b, lastRow) < b.c0 {
		lastRow--
	}
	start := len(buf)
	buf = append(appendKey(buf, "rowData"), '[')
	keep := -1 // len(buf) after the last row with a cell written
	for r := b.r0; r <= lastRow; r++ {
		if r > b.r0 {
			buf = append(buf, ',')
		}
		last := g.lastCell(b, r)
		if last < b.c0 {
			buf = append(buf, '{', '}')
			continue
		}
		var written bool
		var err error
		if buf, written, err = g.appendRow(buf, b.t, r, b.c0, last); err != nil {
			return nil, err
		}
		if written {
			keep = len(buf)
		}
	}
	if keep < 0 {
		return buf[:start], nil
	}
	return append(buf[:keep], ']'), nil
}

// lastCell is the column of row r's last non-empty cell in the block,
// below b.c0 when there is none.
func (g *getGrids) lastCell(b gridBlock, r int64) int64 {
	cells := b.t.rows[r].cells
	last := min(int64(len(cells)), b.c1) - 1
	for last >= b.c0 && cells[last].empty() {
		last--
	}
	return last
}

// appendRow writes row r's cells c0..last (the last non-empty one) and
// says whether any was written: under prune a row whose cells keep
// nothing is {} and trailing cells that keep nothing are left out.
func (g *getGrids) appendRow(buf []byte, t *tab, r, c0, last int64) ([]byte, bool, error) {
	start := len(buf)
	buf = append(buf, `{"values":[`...)
	keep := -1 // len(buf) after the last cell that keeps something
	cells := t.rows[r].cells
	for c := c0; c <= last; c++ {
		if c > c0 {
			buf = append(buf, ',')
		}
		v := cells[c]
		kept := !g.prune
		switch {
		case v.empty():
			buf = append(buf, '{', '}')
		case v.data() == nil:
			buf, kept = g.appendText(buf, v.text())
		default:
			var err error
			if buf, kept, err = g.appendData(buf, t, r, c, v.data()); err != nil {
				return nil, false, err
			}
		}
		if kept || !g.prune {
			keep = len(buf)
		}
	}
	if keep < 0 {
		return append(buf[:start], '{', '}'), false, nil
	}
	return append(buf[:keep], ']', '}'), true, nil
}

// appendText writes a cell holding text alone as appendCell writes its
// rendered form (the text is its effective and its formatted value),
// under prune only the selected parts of it; kept says whether any was.
func (g *getGrids) appendText(buf []byte, text string) (_ []byte, kept bool) {
	uev, ev, fv := true, true, true
	if g.prune {
		uev, ev, fv = g.cell.uev, g.cell.ev, g.cell.fv
	}
	buf = append(buf, '{')
	if uev {
		buf = append(appendString(append(appendKey(buf, "userEnteredValue"), `{"stringValue":`...), text), '}')
	}
	if ev {
		buf = append(appendString(append(appendKey(buf, "effectiveValue"), `{"stringValue":`...), text), '}')
	}
	if fv {
		buf = appendString(appendKey(buf, "formattedValue"), text)
	}
	return closeObject(buf), uev || ev || fv
}

// appendData writes any other cell: rendered (renderCellData), under
// prune pruned as pruneGrid prunes it and evaluated only when the mask
// selects its effective or formatted value.
func (g *getGrids) appendData(buf []byte, t *tab, r, c int64, cd *sheets.CellData) ([]byte, bool, error) {
	if !g.prune {
		buf, err := appendCell(buf, g.ss.renderCellData(t, r, c))
		return buf, true, err
	}
	sel := g.cell
	var out sheets.CellData
	if sel.uev {
		out.UserEnteredValue = cd.UserEnteredValue
	}
	if sel.ev || sel.fv {
		ev, fv := cd.EffectiveValue, cd.FormattedValue
		if cd.UserEnteredValue != nil {
			e := g.ss.evalCell(t, r, c)
			ev, fv = e.value, e.formatted
		}
		if sel.ev {
			out.EffectiveValue = ev
		}
		if sel.fv {
			out.FormattedValue = fv
		}
	}
	if sel.uef {
		out.UserEnteredFormat = cd.UserEnteredFormat
	}
	if sel.ef {
		out.EffectiveFormat = effectiveFormat(cd)
	}
	if sel.dv {
		out.DataValidation = cd.DataValidation
	}
	if sel.note {
		out.Note = cd.Note
	}
	if sel.link {
		out.Hyperlink = cd.Hyperlink
	}
	if sel.runs {
		out.TextFormatRuns = cd.TextFormatRuns
	}
	kept := !unselectedCell(&out)
	if g.efType && out.EffectiveFormat != nil {
		if b, ok := appendTypedCell(buf, &out); ok {
			return b, kept, nil
		}
	}
	buf, err := appendCell(buf, &out)
	return buf, kept, err
}

// appendTypedCell writes a pruned cell holding values and an effective
// format, as appendCell writes it (through the API types' MarshalJSON:
// keys in order, encoding/json's numbers and escaping) less what of the
// format the mask "effectiveFormat/numberFormat/type" drops — kopi's
// read of a formatted cell. ok is false, nothing written, for any other
// cell.
func appendTypedCell(buf []byte, cd *sheets.CellData) (_ []byte, ok bool) {
	f := cd.EffectiveFormat
	rest := *cd
	rest.EffectiveFormat, rest.EffectiveValue, rest.FormattedValue, rest.UserEnteredValue = nil, nil, "", nil
	if !cellIsZero(&rest) || !plainValue(cd.EffectiveValue) || !plainValue(cd.UserEnteredValue) ||
		f.ForceSendFields != nil || f.NullFields != nil ||
		f.NumberFormat != nil && (f.NumberFormat.ForceSendFields != nil || f.NumberFormat.NullFields != nil) {
		return buf, false
	}
	start := len(buf)
	buf = append(buf, `{"effectiveFormat":{`...)
	if nf := f.NumberFormat; nf != nil {
		buf = append(buf, `"numberFormat":{`...)
		if nf.Type != "" {
			if buf, ok = appendMarshalString(append(buf, `"type":`...), nf.Type); !ok {
				return buf[:start], false
			}
		}
		buf = append(buf, '}')
	}
	buf = append(buf, '}')
	if cd.EffectiveValue != nil {
		if buf, ok = appendMarshalValue(append(buf, `,"effectiveValue":`...), cd.EffectiveValue); !ok {
			return buf[:start], false
		}
	}
	if cd.FormattedValue != "" {
		if buf, ok = appendMarshalString(append(buf, `,"formattedValue":`...), cd.FormattedValue); !ok {
			return buf[:start], false
		}
	}
	if cd.UserEnteredValue != nil {
		if buf, ok = appendMarshalValue(append(buf, `,"userEnteredValue":`...), cd.UserEnteredValue); !ok {
			return buf[:start], false
		}
	}
	return append(buf, '}'), true
}

// appendMarshalValue writes a plain value (plainValue) as its own
// MarshalJSON does; ok is false for a string appendMarshalString cannot
// write (what was written is then to be dropped).
func appendMarshalValue(buf []byte, v *sheets.ExtendedValue) (_ []byte, ok bool) {
	buf = append(buf, '{')
	ok = true
	switch {
	case v.BoolValue != nil:
		buf = strconv.AppendBool(append(buf, `"boolValue":`...), *v.BoolValue)
	case v.FormulaValue != nil:
		buf, ok = appendMarshalString(append(buf, `"formulaValue":`...), *v.FormulaValue)
	case v.NumberValue != nil:
		buf = appendMarshalFloat(append(buf, `"numberValue":`...), *v.NumberValue)
	case v.StringValue != nil:
		buf, ok = appendMarshalString(append(buf, `"stringValue":`...), *v.StringValue)
	}
	return append(buf, '}'), ok
}

// appendMarshalFloat writes a finite float64 as encoding/json does.
func appendMarshalFloat(buf []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	buf = strconv.AppendFloat(buf, f, format, -1, 64)
	if n := len(buf); format == 'e' && n >= 4 && buf[n-4] == 'e' && buf[n-3] == '-' && buf[n-2] == '0' {
		// e-09 is written e-9
		buf[n-2] = buf[n-1]
		buf = buf[:n-1]
	}
	return buf
}

// appendMarshalString writes s as encoding/json.Marshal does when s is
// printable ASCII that json.Marshal leaves unescaped; ok is false,
// nothing written, for any other string.
func appendMarshalString(buf []byte, s string) (_ []byte, ok bool) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x80 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return buf, false
		}
	}
	buf = append(buf, '"')
	buf = append(buf, s...)
	return append(buf, '"'), true
}

// appendDims writes a block's row (dim "ROWS") or column properties,
// indexes i0..i1-1, under key: whole as dimensionProps renders them, or
// cut to their metadata (trailing entries without any left out; none
// left, no key).
func (g *getGrids) appendDims(buf []byte, key string, how dimWrite, t *tab, dim string, i0, i1 int64) ([]byte, error) {
	if i1 <= i0 {
		return buf, nil
	}
	start := len(buf)
	buf = append(appendKey(buf, key), '[')
	keep := -1 // len(buf) after the last entry kept
	for i := i0; i < i1; i++ {
		if i > i0 {
			buf = append(buf, ',')
		}
		var props *sheets.DimensionProperties
		var meta []*sheets.DeveloperMetadata
		pixels := int64(defaultRowPixels)
		if dim == "ROWS" {
			props, meta = t.rows[i].props, t.rows[i].meta
		} else {
			props, meta, pixels = t.cols[i].props, t.cols[i].meta, defaultColumnPixels
		}
		if how == dimsWhole {
			if props == nil {
				buf = strconv.AppendInt(append(buf, `{"pixelSize":`...), pixels, 10)
			} else {
				p := *props
				p.DeveloperMetadata = nil
				if p.PixelSize == 0 {
					p.PixelSize = pixels
				}
				b, err := openObject(&p)
				if err != nil {
					return nil, err
				}
				buf = append(buf, b...)
			}
			if len(meta) > 0 {
				buf = append(appendKey(buf, "developerMetadata"), '[')
			}
		} else {
			if len(meta) == 0 {
				buf = append(buf, '{', '}')
				continue
			}
			buf = append(buf, `{"developerMetadata":[`...)
		}
		for j, m := range meta {
			if j > 0 {
				buf = append(buf, ',')
			}
			if how == dimsMetaBare && m.ForceSendFields == nil && m.NullFields == nil {
				buf = append(appendMetadataFields(append(buf, '{'), m), '}')
				continue
			}
			var err error
			if buf, err = appendMetadata(buf, locatedMeta(m, dimLocation(t, dim, i))); err != nil {
				return nil, err
			}
		}
		if len(meta) > 0 {
			buf = append(buf, ']')
		}
		buf = closeObject(buf)
		keep = len(buf)
	}
	if keep < 0 {
		return buf[:start], nil
	}
	return append(buf[:keep], ']'), nil
}
