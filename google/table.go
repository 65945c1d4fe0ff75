package google

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"google.golang.org/api/sheets/v4"
)

// Developer metadata keys kopi attaches to what it manages. Metadata on a
// row or column moves with it when staff sort, insert, delete or move, so
// these anchors — not positions — say which row is which case and which
// column is which field.
const (
	// MetaRowKey anchors a data row; its value is the row's identity
	// (the form response id for the consultation tab).
	MetaRowKey = "kopi.baris"
	// MetaColumnKey anchors a column; its value is the field key.
	MetaColumnKey = "kopi.kolom"
	// MetaSchemaKey sits on the spreadsheet; its value is the schema version.
	MetaSchemaKey = "kopi.skema"
)

// ColumnSpec is one column of a managed tab.
type ColumnSpec struct {
	// Key is the stable field name (English, never shown to staff).
	Key string
	// Header is the Indonesian header text staff see.
	Header string
	// Daemon marks a column only kopi writes: it is protected with a
	// warning so staff do not type over it by accident.
	Daemon bool
	// Choices, when set, become the column's dropdown (data validation).
	Choices []string
	// Width is the column's pixel width in a new sheet (0: Sheets' default).
	Width int64
}

// TabSchema describes a tab kopi creates and reads by header name.
type TabSchema struct {
	Title   string
	Columns []ColumnSpec
	// Hidden tabs are hidden from staff and fully protected (the state tab).
	Hidden bool
	// Anchored tabs carry a MetaRowKey anchor on every data row.
	Anchored bool
	// Locked tabs are visible but fully protected: only kopi's account
	// may edit them (the history tab).
	Locked bool
	// HeaderOnly tabs are read by their header row alone: kopi only
	// appends to them (the history tab), so a cycle need not read them.
	HeaderOnly bool
}

// Column returns the spec of a field key.
func (t TabSchema) Column(key string) (ColumnSpec, bool) {
	for _, c := range t.Columns {
		if c.Key == key {
			return c, true
		}
	}
	return ColumnSpec{}, false
}

// Table is one tab as read at the start of a cycle.
type Table struct {
	Schema   TabSchema
	SheetID  int64
	RowCount int64 // grid rows
	ColCount int64 // grid columns
	// Columns maps a field key to its column index at read time, found by
	// column anchor first, then by header text.
	Columns map[string]int
	// Missing lists the headers of schema columns not found in the tab.
	Missing []string
	// Header is the header row's text by column index (trailing empty
	// cells left out).
	Header []string
	// Rows are the non-empty data rows below the header, in sheet order.
	Rows []Row
	// ColIDs names every column of the grid at read time by its anchor
	// ("k:" + field key) or, for columns kopi does not anchor, its header
	// ("h:" + text): what verifying a write compares.
	ColIDs []string
	// LastRow is the index of the last row holding any value (0 when only
	// the header row has data).
	LastRow int64
}

// Row is one data row as read.
type Row struct {
	Index  int64  // 0-based grid index at read time
	Anchor string // MetaRowKey value, "" when the row has none
	// Anchors are all the row's MetaRowKey values: a sort that leaves
	// metadata behind, or an anchor placed by a stale position, can put
	// a second one on a row.
	Anchors []string
	Cells   map[string]string // field key → value as text
	Raw     []string          // every cell's text by read-time column index
	// packed are the cells of a record this transaction wrote
	// (noteWrites), when Cells is nil: kept compactly until the cycle
	// ends.
	packed cellPack
}

// Get returns a row's value for a field key ("" when absent).
func (r Row) Get(key string) string {
	if r.Cells == nil && r.packed != "" {
		v, _ := r.packed.get(key)
		return v
	}
	return r.Cells[key]
}

// values are a row's cells by field key, packed or not.
func (r Row) values() map[string]string {
	if r.Cells == nil && r.packed != "" {
		return r.packed.cells()
	}
	return r.Cells
}

// tableFromGrid decodes a sheet returned by spreadsheets.get with grid
// data into a Table.
func tableFromGrid(schema TabSchema, sh *sheets.Sheet) *Table {
	// A sheet read with one range has one GridData block starting at 0,0.
	var rows [][]string
	var rowMeta, colMeta []*sheets.DimensionProperties
	for _, g := range sh.Data {
		if g.StartRow != 0 || g.StartColumn != 0 {
			continue
		}
		rows = make([][]string, len(g.RowData))
		for i, rd := range g.RowData {
			rows[i] = rowTexts(rd)
		}
		rowMeta, colMeta = g.RowMetadata, g.ColumnMetadata
	}
	return tableFromRows(schema, sh.Properties, rows, rowMeta, colMeta)
}

// tableFromRows builds a Table from a sheet's properties and the cell
// texts, row and column metadata of its block at 0,0.
func tableFromRows(schema TabSchema, props *sheets.SheetProperties, rows [][]string, rowMeta, colMeta []*sheets.DimensionProperties) *Table {
	t := &Table{Schema: schema, Columns: map[string]int{}}
	if props != nil {
		t.SheetID = props.SheetId
		if gp := props.GridProperties; gp != nil {
			t.RowCount, t.ColCount = gp.RowCount, gp.ColumnCount
		}
	}
	var header []string
	if len(rows) > 0 {
		header = rows[0]
	}
	t.Header = header
	t.ColIDs = columnIDs(header, colMeta)
	for i, cm := range colMeta {
		if v, ok := metaValue(cm, MetaColumnKey); ok {
			if _, known := schema.Column(v); known {
				t.Columns[v] = i
			}
		}
	}
	for _, c := range schema.Columns {
		if _, ok := t.Columns[c.Key]; ok {
			continue
		}
		found := false
		for i, h := range header {
			if strings.EqualFold(strings.TrimSpace(h), c.Header) {
				t.Columns[c.Key] = i
				found = true
				break
			}
		}
		if !found {
			t.Missing = append(t.Missing, c.Header)
		}
	}
	// A row may carry an anchor and no value (staff cleared it): walk
	// as far as either the cells or the row metadata reach.
	for i := 1; i < max(len(rows), len(rowMeta)); i++ {
		var texts []string
		if i < len(rows) {
			texts = rows[i]
		}
		anchor := ""
		var anchors []string
		if i < len(rowMeta) {
			anchor, _ = metaValue(rowMeta[i], MetaRowKey)
			anchors = metaValues(rowMeta[i], MetaRowKey)
		}
		if anchor == "" && allEmpty(texts) {
			continue
		}
		if !allEmpty(texts) {
			t.LastRow = int64(i)
		}
		r := Row{Index: int64(i), Anchor: anchor, Anchors: anchors, Cells: map[string]string{}, Raw: texts}
		for key, col := range t.Columns {
			if col < len(texts) && texts[col] != "" {
				r.Cells[key] = texts[col]
			}
		}
		t.Rows = append(t.Rows, r)
	}
	return t
}

// columnIDs names each column by anchor or header text; a repeated
// header text gets a counter so every id is unique.
func columnIDs(header []string, colMeta []*sheets.DimensionProperties) []string {
	n := max(len(header), len(colMeta))
	ids := make([]string, n)
	seen := map[string]int{}
	for i := 0; i < n; i++ {
		id := ""
		if i < len(colMeta) {
			if v, ok := metaValue(colMeta[i], MetaColumnKey); ok {
				id = "k:" + v
			}
		}
		if id == "" {
			h := ""
			if i < len(header) {
				h = strings.TrimSpace(header[i])
			}
			id = "h:" + h
		}
		seen[id]++
		if seen[id] > 1 {
			id += "#" + strconv.Itoa(seen[id])
		}
		ids[i] = id
	}
	return ids
}

func metaValue(dp *sheets.DimensionProperties, key string) (string, bool) {
	if dp == nil {
		return "", false
	}
	for _, m := range dp.DeveloperMetadata {
		if m.MetadataKey == key {
			return m.MetadataValue, true
		}
	}
	return "", false
}

// metaValues returns every value of a key's metadata on a dimension.
func metaValues(dp *sheets.DimensionProperties, key string) []string {
	if dp == nil {
		return nil
	}
	var out []string
	for _, m := range dp.DeveloperMetadata {
		if m.MetadataKey == key {
			out = append(out, m.MetadataValue)
		}
	}
	return out
}

func allEmpty(texts []string) bool {
	for _, s := range texts {
		if s != "" {
			return false
		}
	}
	return true
}

func rowTexts(rd *sheets.RowData) []string {
	if rd == nil {
		return nil
	}
	out := make([]string, len(rd.Values))
	for i, c := range rd.Values {
		out[i] = cellText(c)
	}
	return out
}

// cellFields is the part of a cell kopi reads: what was entered and the
// type of the number format in effect (effectiveFormat, documented to
// carry "the computed number format"), never formattedValue, whose
// separators and date order follow the spreadsheet's locale.
const cellFields = "userEnteredValue,effectiveFormat/numberFormat/type"

// cellText is a cell's value as kopi reads it, the same under every
// spreadsheet locale: what the user entered for text (so a string that
// looks like a formula stays that string), the formula text for formulas,
// and for numbers the value itself — a date serial as YYYY-MM-DD, a
// date-time as YYYY-MM-DD HH:MM, a time as HH:MM, any other number in
// Go's shortest form ("3", "1234.5").
func cellText(c *sheets.CellData) string {
	if c == nil || c.UserEnteredValue == nil {
		return ""
	}
	v := c.UserEnteredValue
	switch {
	case v.StringValue != nil:
		return *v.StringValue
	case v.FormulaValue != nil:
		return *v.FormulaValue
	case v.BoolValue != nil:
		if *v.BoolValue {
			return "TRUE"
		}
		return "FALSE"
	case v.NumberValue != nil:
		return numberText(*v.NumberValue, numberType(c))
	}
	return ""
}

// numberType is the type of the cell's number format in effect ("DATE",
// "TIME", ...), or "" for the automatic format.
func numberType(c *sheets.CellData) string {
	for _, f := range []*sheets.CellFormat{c.EffectiveFormat, c.UserEnteredFormat} {
		if f != nil && f.NumberFormat != nil && f.NumberFormat.Type != "" {
			return f.NumberFormat.Type
		}
	}
	return ""
}

// sheetsEpoch is day 0 of Sheets' serial numbers: "the whole number
// portion of the value (left of the decimal) counts the days since
// December 30th 1899. The fractional portion (right of the decimal)
// counts the time as a fraction of the day" (DateTimeRenderOption). A
// serial is a wall-clock reading in the spreadsheet's time zone (the
// office's), so it is converted without any zone.
var sheetsEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// numberText renders a number by its format type, independent of locale.
func numberText(n float64, typ string) string {
	at := func() time.Time {
		return sheetsEpoch.Add(time.Duration(math.Round(n*86400)) * time.Second)
	}
	switch typ {
	case "DATE":
		return at().Format("2006-01-02")
	case "DATE_TIME":
		return at().Format(cellTime)
	case "TIME":
		return at().Format("15:04")
	}
	return strconv.FormatFloat(n, 'f', -1, 64)
}

// stringCell is an inert text cell: a value starting with "=", "+", "-" or
// "@" is stored as that text, never as a formula.
func stringCell(s string) *sheets.CellData {
	// One allocation for the cell, its value and the string's header: a
	// commit of a backlog lays out tens of thousands of cells.
	b := &struct {
		cell  sheets.CellData
		value sheets.ExtendedValue
		text  string
	}{text: s}
	b.value.StringValue = &b.text
	b.cell.UserEnteredValue = &b.value
	return &b.cell
}

// emptyCell is the cell a request writes as {}: shared by every empty
// cell kopi sends (requests are only encoded, never changed after they
// are built), so a wide record costs no allocation per empty column.
var emptyCell = &sheets.CellData{}

// rowCells lays out values by the table's read-time column positions.
// Cells not named stay nil (unchanged by updateCells with a field mask).
func (t *Table) rowCells(values map[string]string) ([]*sheets.CellData, error) {
	width := 0
	for key := range values {
		col, ok := t.Columns[key]
		if !ok {
			return nil, fmt.Errorf("tab %q has no column for %q", t.Schema.Title, key)
		}
		width = max(width, col+1)
	}
	cells := make([]*sheets.CellData, width)
	for key, v := range values {
		cells[t.Columns[key]] = stringCell(v)
	}
	for i := range cells {
		if cells[i] == nil {
			cells[i] = emptyCell
		}
	}
	return cells, nil
}
