package fake

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"

	"google.golang.org/api/sheets/v4"
)

// TestGetGridsAnswerAsTheRender: spreadsheets.get and getByDataFilter,
// which write the grid straight from the model (getGrids), answer byte
// for byte what rendering the grid as the API's types answered — render,
// pruneGrid under the mask for get, encode, trim — over random
// spreadsheets (every kind of cell, formats, notes, validation, text
// runs, metadata on rows and columns, sized and hidden ones, two
// locales), random ranges and random masks besides kopi's own.
func TestGetGridsAnswerAsTheRender(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 3))
	masks := []string{
		"",
		"sheets(properties(sheetId,title,index,hidden,gridProperties(rowCount,columnCount,frozenRowCount)),data(startRow,startColumn,rowData(values(userEnteredValue,effectiveFormat/numberFormat/type)),rowMetadata(developerMetadata(metadataId,metadataKey,metadataValue)),columnMetadata(developerMetadata(metadataId,metadataKey,metadataValue))))",
		"sheets(data(startRow,startColumn,rowData(values(userEnteredValue,effectiveFormat/numberFormat/type)),rowMetadata(developerMetadata(metadataKey,metadataValue)),columnMetadata(developerMetadata(metadataKey,metadataValue))))",
		"sheets(properties(title),data(startRow,startColumn,rowData(values(userEnteredValue))))",
		"sheets(data(rowData(values(*)),rowMetadata(*),columnMetadata(developerMetadata(*))))",
		"sheets(data(rowData,rowMetadata(developerMetadata(location)),columnMetadata(pixelSize)))",
		"sheets(data(rowData(values(foo)),rowMetadata(developerMetadata)))",
		"sheets(data)",
		"sheets(*)",
		"*",
		"sheets/properties/title,spreadsheetId",
		"sheets(data(rowData(values(userEnteredValue)),rowMetadata(developerMetadata(metadataKey))", // does not parse
	}
	fieldNames := []string{"userEnteredValue", "effectiveValue", "formattedValue", "userEnteredFormat", "effectiveFormat",
		"effectiveFormat/numberFormat/type", "dataValidation", "note", "hyperlink", "textFormatRuns", "pivotTable", "*"}
	dimMasks := []string{"", "developerMetadata", "developerMetadata(metadataKey,metadataValue)", "developerMetadata(location,metadataId)",
		"developerMetadata(*)", "pixelSize", "pixelSize,developerMetadata(metadataValue)", "*"}
	randomMask := func() string {
		var cells []string
		for _, f := range fieldNames {
			if rng.IntN(3) == 0 {
				cells = append(cells, f)
			}
		}
		parts := []string{"startRow"}
		if len(cells) > 0 {
			parts = append(parts, "rowData(values("+strings.Join(cells, ",")+"))")
		} else if rng.IntN(2) == 0 {
			parts = append(parts, "rowData")
		}
		for _, key := range []string{"rowMetadata", "columnMetadata"} {
			switch d := dimMasks[rng.IntN(len(dimMasks))]; d {
			case "":
			case "*":
				parts = append(parts, key)
			default:
				parts = append(parts, key+"("+d+")")
			}
		}
		return "sheets(properties/title,data(" + strings.Join(parts, ",") + "))"
	}
	for round := range 24 {
		srv, err := New(Options{NoListener: true, Seed: uint64(round) + 1})
		if err != nil {
			t.Fatal(err)
		}
		id, err := srv.SeedSpreadsheet("Acak", "Satu", "Dua")
		if err != nil {
			t.Fatal(err)
		}
		ss := srv.sheets.byID[id]
		if rng.IntN(2) == 0 {
			p := *ss.props
			p.Locale = "id_ID"
			ss.props = &p
		}
		for _, tb := range ss.tabs {
			fillRandomTab(rng, tb)
		}
		for range 8 {
			var ranges []string
			for range rng.IntN(3) {
				ranges = append(ranges, randomRange(rng, ss))
			}
			fields := masks[rng.IntN(len(masks))]
			if rng.IntN(2) == 0 {
				fields = randomMask()
			}
			grid := rng.IntN(5) > 0
			checkGetGrids(t, srv, ss, ranges, grid, fields)
		}
	}
}

// checkGetGrids compares one read's answers with the rendered ones.
func checkGetGrids(t *testing.T, srv *Server, ss *spreadsheet, ranges []string, grid bool, fields string) {
	t.Helper()
	q := url.Values{"ranges": ranges}
	if grid {
		q.Set("includeGridData", "true")
	}
	if fields != "" {
		q.Set("fields", fields)
	}
	var brs []boundRange
	for _, a1 := range ranges {
		br, err := ss.parseA1(a1)
		if err != nil {
			t.Fatal(err)
		}
		brs = append(brs, br)
	}
	// spreadsheets.get: the render pruned to the mask, encoded, trimmed.
	out := ss.render(brs, grid)
	if m, err := parseFields(fields); fields != "" && err == nil {
		pruneGrid(out, m)
	}
	want, wantErr := encodeResponse(gridEncoded{Spreadsheet: out}, fields)
	res, err := srv.sheetsGet(&call{id: cachedRead, params: map[string]string{"spreadsheetId": ss.id}, query: q})
	if err != nil {
		t.Fatal(err)
	}
	got, gotErr := encodeResponse(res, fields)
	if !bytes.Equal(got, want) || fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
		t.Fatalf("get %s: answered\n%s (%v)\nthe render gives\n%s (%v)", q.Encode(), got, gotErr, want, wantErr)
	}
	// getByDataFilter: the same without pruning.
	var filters []string
	for _, a1 := range ranges {
		filters = append(filters, `{"a1Range":"`+a1+`"}`)
	}
	body := fmt.Sprintf(`{"dataFilters":[%s],"includeGridData":%v}`, strings.Join(filters, ","), grid)
	want, wantErr = encodeResponse(gridEncoded{Spreadsheet: ss.render(brs, grid)}, fields)
	res, err = srv.sheetsGetByDataFilter(&call{id: "sheets.spreadsheets.getByDataFilter", params: map[string]string{"spreadsheetId": ss.id},
		query: url.Values{"fields": {fields}}, body: []byte(body)})
	if err != nil {
		t.Fatal(err)
	}
	got, gotErr = encodeResponse(res, fields)
	if !bytes.Equal(got, want) || fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
		t.Fatalf("getByDataFilter %s, fields %s: answered\n%s (%v)\nthe render gives\n%s (%v)", body, fields, got, gotErr, want, wantErr)
	}
}

// randomRange is an A1 range over one of the spreadsheet's tabs, inside
// or partly outside what holds data.
func randomRange(rng *rand.Rand, ss *spreadsheet) string {
	tb := ss.tabs[rng.IntN(len(ss.tabs))]
	name := tb.props.Title
	r0, c0 := rng.IntN(12), rng.IntN(8)
	switch rng.IntN(4) {
	case 0:
		return name
	case 1:
		return fmt.Sprintf("%s!%s%d:%s", name, columnLetters(int64(c0)), r0+1, columnLetters(int64(c0+rng.IntN(4))))
	case 2:
		return fmt.Sprintf("%s!%d:%d", name, r0+1, r0+1+rng.IntN(5))
	}
	return fmt.Sprintf("%s!%s%d:%s%d", name, columnLetters(int64(c0)), r0+1, columnLetters(int64(c0+rng.IntN(5))), r0+1+rng.IntN(8))
}

// fillRandomTab fills the top of a tab with cells of every kind, some
// row and column metadata and properties.
func fillRandomTab(rng *rand.Rand, tb *tab) {
	str := func(s string) *string { return &s }
	num := func(n float64) *float64 { return &n }
	yes := rng.IntN(2) == 0
	formats := []*sheets.CellFormat{
		{NumberFormat: &sheets.NumberFormat{Type: "DATE", Pattern: "dd/mm/yyyy"}},
		{NumberFormat: &sheets.NumberFormat{Type: "PERCENT"}},
		{NumberFormat: &sheets.NumberFormat{Type: "NUMBER", Pattern: "#,##0.00"}},
		{NumberFormat: &sheets.NumberFormat{Type: "TEXT"}},
		{BackgroundColor: &sheets.Color{Red: 1}},
	}
	texts := []string{"KOPI-2025-00001", "1 < 2", "2 > 1", "a & b", "Budi \"B\" <&> é\n\t\u0001", "Sri — \u2028", "12", "=not a formula"}
	kinds := []func() *sheets.CellData{
		func() *sheets.CellData { return nil },
		func() *sheets.CellData {
			return &sheets.CellData{UserEnteredValue: &sheets.ExtendedValue{StringValue: str(texts[rng.IntN(len(texts))])}}
		},
		func() *sheets.CellData {
			return &sheets.CellData{UserEnteredValue: &sheets.ExtendedValue{NumberValue: num(float64(rng.IntN(100000)) / 8)}}
		},
		func() *sheets.CellData {
			n := []float64{46023.25, 1234567.891, 1e21, 1e-7, -0.5, 0, 3}[rng.IntN(7)]
			return &sheets.CellData{UserEnteredValue: &sheets.ExtendedValue{NumberValue: num(n)}, UserEnteredFormat: formats[rng.IntN(len(formats))]}
		},
		func() *sheets.CellData {
			return &sheets.CellData{UserEnteredValue: &sheets.ExtendedValue{StringValue: str(texts[rng.IntN(len(texts))])}, UserEnteredFormat: formats[rng.IntN(len(formats))]}
		},
		func() *sheets.CellData {
			f := []string{"=A1", "=1/0", `=A1&"<x>"`, "=C1*1000000"}[rng.IntN(4)]
			return &sheets.CellData{UserEnteredValue: &sheets.ExtendedValue{FormulaValue: &f}, UserEnteredFormat: formats[rng.IntN(len(formats))]}
		},
		func() *sheets.CellData {
			return &sheets.CellData{UserEnteredValue: &sheets.ExtendedValue{BoolValue: &yes}}
		},
		func() *sheets.CellData {
			f := []string{"=A1", "=1/0", `=A1&"x"`, "=SUM(A1:C3)", "=B2*2"}[rng.IntN(5)]
			return &sheets.CellData{UserEnteredValue: &sheets.ExtendedValue{FormulaValue: &f}}
		},
		func() *sheets.CellData { return &sheets.CellData{Note: "catatan"} },
		func() *sheets.CellData { return &sheets.CellData{UserEnteredFormat: formats[rng.IntN(len(formats))]} },
		func() *sheets.CellData {
			return &sheets.CellData{UserEnteredValue: &sheets.ExtendedValue{StringValue: str("Baru")}, DataValidation: &sheets.DataValidationRule{
				Condition: &sheets.BooleanCondition{Type: "ONE_OF_LIST", Values: []*sheets.ConditionValue{{UserEnteredValue: "Baru"}}}}}
		},
		func() *sheets.CellData {
			return &sheets.CellData{UserEnteredValue: &sheets.ExtendedValue{StringValue: str("tebal")}, TextFormatRuns: []*sheets.TextFormatRun{{Format: &sheets.TextFormat{Bold: true}}}}
		},
		func() *sheets.CellData {
			return &sheets.CellData{Hyperlink: "https://example.go.id", UserEnteredValue: &sheets.ExtendedValue{StringValue: str("tautan")}}
		},
		func() *sheets.CellData {
			return &sheets.CellData{UserEnteredValue: &sheets.ExtendedValue{StringValue: str("x")}, EffectiveFormat: &sheets.CellFormat{WrapStrategy: "WRAP"}}
		},
		func() *sheets.CellData {
			return &sheets.CellData{PivotTable: &sheets.PivotTable{ValueLayout: "HORIZONTAL"}}
		},
	}
	rows, cols := 4+rng.IntN(10), 2+rng.IntN(6)
	// A small grid: the reference renders every row's properties.
	tb.deleteRows(int64(rows+6), tb.rowCount())
	tb.deleteCols(int64(cols+3), tb.colCount())
	for r := range rows {
		for c := range cols {
			if rng.IntN(3) == 0 {
				continue
			}
			k := 1 // mostly plain text, as a tracker
			if rng.IntN(2) == 0 {
				k = rng.IntN(len(kinds))
			}
			tb.setCell(int64(r), int64(c), kinds[k]())
		}
	}
	key := uint64(0)
	for r := range rows + 3 {
		row := tb.mutRow(int64(r))
		for range rng.IntN(3) / 2 * (1 + rng.IntN(2)) {
			key++
			row.meta = append(row.meta, &sheets.DeveloperMetadata{MetadataId: int64(key), MetadataKey: "kopi.row", MetadataValue: fmt.Sprint("KOPI-", key), Visibility: "DOCUMENT"})
		}
		switch rng.IntN(6) {
		case 0:
			row.props = &sheets.DimensionProperties{PixelSize: 40}
		case 1:
			row.props = &sheets.DimensionProperties{HiddenByUser: true}
		}
	}
	for c := range cols + 2 {
		col := tb.mutCol(int64(c))
		if rng.IntN(3) == 0 {
			key++
			col.meta = append(col.meta, &sheets.DeveloperMetadata{MetadataId: int64(key), MetadataKey: "kopi.kolom", MetadataValue: "k", Visibility: "PROJECT"})
		}
		if rng.IntN(4) == 0 {
			col.props = &sheets.DimensionProperties{PixelSize: 120, HiddenByUser: rng.IntN(2) == 0}
		}
	}
}

// The way spreadsheets.get pruned its rendered grid before getGrids: the
// reference TestGetGridsAnswerAsTheRender compares with.

// pruneGrid drops, before encoding, the cell and dimension parts of a
// spreadsheet that a fields mask does not select. The generic trim after
// encoding gives the same bytes; this only spares the fake from encoding
// thousands of unwanted data-validation rules and formats.
func pruneGrid(ss *sheets.Spreadsheet, m fieldMask) {
	cells, ok := m.child("sheets", "data", "rowData", "values")
	if !ok || cells == nil {
		return
	}
	keep := func(name string) bool { _, ok := cells.child(name); return ok }
	// The mask is the same for every cell: look it up once, not nine
	// times per cell (a tracker read prunes tens of thousands).
	uev, ev, fv := keep("userEnteredValue"), keep("effectiveValue"), keep("formattedValue")
	uef, ef, dv := keep("userEnteredFormat"), keep("effectiveFormat"), keep("dataValidation")
	note, link, runs := keep("note"), keep("hyperlink"), keep("textFormatRuns")
	for _, sh := range ss.Sheets {
		for _, g := range sh.Data {
			for _, rd := range g.RowData {
				var outs []sheets.CellData // one allocation per row, not per cell
				for i, cd := range rd.Values {
					if cd == nil {
						continue
					}
					if outs == nil {
						outs = make([]sheets.CellData, len(rd.Values))
					}
					out := &outs[i]
					if uev {
						out.UserEnteredValue = cd.UserEnteredValue
					}
					if ev {
						out.EffectiveValue = cd.EffectiveValue
					}
					if fv {
						out.FormattedValue = cd.FormattedValue
					}
					if uef {
						out.UserEnteredFormat = cd.UserEnteredFormat
					}
					if ef {
						out.EffectiveFormat = cd.EffectiveFormat
					}
					if dv {
						out.DataValidation = cd.DataValidation
					}
					if note {
						out.Note = cd.Note
					}
					if link {
						out.Hyperlink = cd.Hyperlink
					}
					if runs {
						out.TextFormatRuns = cd.TextFormatRuns
					}
					rd.Values[i] = out
				}
				// Trailing cells with nothing selected carry no
				// information and shift no index: leave them out.
				n := len(rd.Values)
				for n > 0 && unselectedCell(rd.Values[n-1]) {
					n--
				}
				rd.Values = rd.Values[:n]
			}
			n := len(g.RowData)
			for n > 0 && len(g.RowData[n-1].Values) == 0 {
				n--
			}
			g.RowData = g.RowData[:n]
			if dm, ok := m.child("sheets", "data", "rowMetadata"); ok && dm != nil {
				g.RowMetadata = pruneDims(g.RowMetadata, dm)
			}
			if dm, ok := m.child("sheets", "data", "columnMetadata"); ok && dm != nil {
				g.ColumnMetadata = pruneDims(g.ColumnMetadata, dm)
			}
		}
	}
}

// pruneDims keeps only the developer metadata of row or column
// properties when that is all the mask selects, and drops trailing
// entries left empty.
func pruneDims(dims []*sheets.DimensionProperties, m fieldMask) []*sheets.DimensionProperties {
	if len(m) != 1 {
		return dims
	}
	if _, ok := m["developerMetadata"]; !ok {
		return dims
	}
	out := make([]*sheets.DimensionProperties, len(dims))
	last := -1
	for i, d := range dims {
		out[i] = &sheets.DimensionProperties{DeveloperMetadata: d.DeveloperMetadata}
		if len(d.DeveloperMetadata) > 0 {
			last = i
		}
	}
	return out[:last+1]
}
