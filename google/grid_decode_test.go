package google

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"google.golang.org/api/sheets/v4"

	"kopi/rules"
)

// gridCells are cells of every shape the read meets: strings (escaped,
// multi-line, looking like formulas or numbers), formulas, numbers under
// each number format type, booleans, empty cells and cells with a format
// but no value.
func gridCells() []*sheets.CellData {
	str := func(s string) *sheets.CellData {
		return &sheets.CellData{UserEnteredValue: &sheets.ExtendedValue{StringValue: &s}}
	}
	num := func(v float64, typ string) *sheets.CellData {
		c := &sheets.CellData{UserEnteredValue: &sheets.ExtendedValue{NumberValue: &v}}
		if typ != "" {
			c.EffectiveFormat = &sheets.CellFormat{NumberFormat: &sheets.NumberFormat{Type: typ}}
		}
		return c
	}
	formula, yes, no := "=SUM(A1:A3)", true, false
	return []*sheets.CellData{
		str("KOPI-2026-0001"), str(`kutip "ganda" \ garis miring`), str("baris\r\nkedua\tdan tab"), str("=IMPORTDATA(\"x\")"),
		str("\u202eملف \u0000 \U0001F600 <b>&amp;</b>"), str("2026-03-02 09:15"), str(""), str("}}"),
		{UserEnteredValue: &sheets.ExtendedValue{FormulaValue: &formula}},
		num(46083.5, "DATE_TIME"), num(46083, "DATE"), num(0.25, "TIME"), num(1234.5, ""), num(3, "NUMBER"),
		{UserEnteredValue: &sheets.ExtendedValue{BoolValue: &yes}}, {UserEnteredValue: &sheets.ExtendedValue{BoolValue: &no}},
		{}, {EffectiveFormat: &sheets.CellFormat{}}, {EffectiveFormat: &sheets.CellFormat{NumberFormat: &sheets.NumberFormat{Type: "DATE"}}},
		nil,
	}
}

// gridSheetJSON is a spreadsheets.get response of two tabs as Google
// encodes it (the API types' own encoding): a header, rows of every
// cell shape, rows with and without anchors, an anchor on a row with no
// cell, and a block that does not start at 0,0.
func gridSheetJSON(t *testing.T, indent bool) []byte {
	t.Helper()
	cells := gridCells()
	anchor := func(v string) *sheets.DimensionProperties {
		return &sheets.DimensionProperties{DeveloperMetadata: []*sheets.DeveloperMetadata{
			{MetadataId: 7, MetadataKey: MetaRowKey, MetadataValue: v}, {MetadataKey: "lain", MetadataValue: "x"}}}
	}
	// a sort can leave a second anchor on a row, after other metadata
	twoAnchors := &sheets.DimensionProperties{DeveloperMetadata: []*sheets.DeveloperMetadata{
		{MetadataKey: "lain", MetadataValue: "y"}, {MetadataKey: MetaRowKey, MetadataValue: "KOPI-2026-0004"}, {MetadataKey: MetaRowKey, MetadataValue: "KOPI-2026-0005"}}}
	h1, h2 := "No. Tiket", "Nama"
	header := &sheets.RowData{Values: []*sheets.CellData{
		{UserEnteredValue: &sheets.ExtendedValue{StringValue: &h1}, EffectiveFormat: &sheets.CellFormat{}},
		{UserEnteredValue: &sheets.ExtendedValue{StringValue: &h2}}}}
	var rows []*sheets.RowData
	rows = append(rows, header, &sheets.RowData{Values: cells}, &sheets.RowData{}, &sheets.RowData{Values: cells[3:9]})
	for i := range cells {
		rows = append(rows, &sheets.RowData{Values: cells[i : i+1]})
	}
	ss := &sheets.Spreadsheet{Sheets: []*sheets.Sheet{
		{Properties: &sheets.SheetProperties{SheetId: 11, Title: "Konsultasi", GridProperties: &sheets.GridProperties{RowCount: 1000, ColumnCount: 26}},
			Data: []*sheets.GridData{{
				RowData:        rows,
				RowMetadata:    []*sheets.DimensionProperties{{}, anchor("KOPI-2026-0001"), anchor("KOPI-2026-0002"), {}, anchor("KOPI-2026-0003"), twoAnchors, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, anchor("KOPI-2026-0009")},
				ColumnMetadata: []*sheets.DimensionProperties{{DeveloperMetadata: []*sheets.DeveloperMetadata{{MetadataKey: MetaColumnKey, MetadataValue: "ticket"}}}, {}},
			}, {StartRow: 5, StartColumn: 2, RowData: []*sheets.RowData{{Values: cells[:2]}}}}},
		{Properties: &sheets.SheetProperties{SheetId: 12, Title: "_kopi"},
			Data: []*sheets.GridData{{RowData: []*sheets.RowData{header, {Values: cells[:4]}}}}},
	}}
	b, err := json.Marshal(ss)
	if err != nil {
		t.Fatal(err)
	}
	if indent {
		var buf bytes.Buffer
		if err := json.Indent(&buf, b, "", "  "); err != nil {
			t.Fatal(err)
		}
		b = buf.Bytes()
	}
	return b
}

// TestGridDecodeMatchesClient: the read's own decoding of a
// spreadsheets.get body gives the tables the official client's decoding
// gives — every cell's text, anchors, columns, header, last row —,
// compact or indented.
func TestGridDecodeMatchesClient(t *testing.T) {
	schemas := map[string]TabSchema{
		"Konsultasi": {Title: "Konsultasi", Anchored: true, Columns: []ColumnSpec{{Key: "ticket", Header: "No. Tiket"}, {Key: "name", Header: "Nama"}, {Key: "gone", Header: "Hilang"}}},
		"_kopi":      StateTab,
	}
	for _, indent := range []bool{false, true} {
		body := gridSheetJSON(t, indent)
		var ss sheets.Spreadsheet
		if err := json.Unmarshal(body, &ss); err != nil {
			t.Fatal(err)
		}
		got, err := decodeGrid(&rawBody{data: body})
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Sheets) != len(ss.Sheets) {
			t.Fatalf("%d sheets decoded, want %d", len(got.Sheets), len(ss.Sheets))
		}
		for i, sh := range ss.Sheets {
			sc := schemas[sh.Properties.Title]
			want, have := tableFromGrid(sc, sh), got.Sheets[i].table(sc)
			if !reflect.DeepEqual(have, want) {
				t.Errorf("indent %v, tab %q:\n got %+v\nwant %+v", indent, sc.Title, have, want)
			}
		}
	}
}

// FuzzGridCell: any JSON value decodes to a cell's text exactly when the
// official client's CellData decodes, and to cellText of that CellData.
func FuzzGridCell(f *testing.F) {
	for _, c := range gridCells() {
		b, err := json.Marshal(c)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	for _, s := range []string{
		`{"userEnteredValue":{"stringValue":"a","stringValue":"b"}}`, `{"userEnteredValue":{"stringValue":"a"},"x":{"y":"b"}}`,
		`{"userEnteredValue":{"stringValue":"a"}} `, `{"userEnteredValue":{"stringValue": "a\u00e9\ud83d\ude00" }}`,
		`{"USERENTEREDVALUE":{"stringvalue":"a"}}`, `{"userEnteredValue":{"stringValue":null}}`, `{"userEnteredValue":{"stringValue":"\ud800"}}`,
		`{"userEnteredValue":{"numberValue":"NaN"}}`, `{"userEnteredValue":{"stringValue":3}}`, `null`, `"x"`, `[]`, `{}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if !json.Valid([]byte(in)) {
			return
		}
		var cd *sheets.CellData
		errClient := json.Unmarshal([]byte(in), &cd)
		var c gridCell
		err := json.Unmarshal([]byte(in), &c)
		if (err == nil) != (errClient == nil) {
			t.Fatalf("%s: decoded with error %v, the client's decoding with %v", in, err, errClient)
		}
		if err == nil && string(c) != cellText(cd) {
			t.Fatalf("%s: decoded as %q, the client's as %q", in, c, cellText(cd))
		}
	})
}

// TestLayoutDecodeMatchesClient: a layout read (a get, or a commit's
// read-back) decoded by kopi's own decoder gives what the official
// client's decoding gave parseLayout — each block's header texts, column
// identities and ticket column (row, ticket, anchor, every anchor) —,
// compact or indented.
func TestLayoutDecodeMatchesClient(t *testing.T) {
	for _, indent := range []bool{false, true} {
		body := gridSheetJSON(t, indent)
		var ss sheets.Spreadsheet
		if err := json.Unmarshal(body, &ss); err != nil {
			t.Fatal(err)
		}
		got, err := decodeLayout(&rawBody{data: body})
		if err != nil {
			t.Fatal(err)
		}
		resp, err := decodeLayoutResponse(&rawBody{data: append(append([]byte(`{"updatedSpreadsheet":`), body...), '}')})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(resp.UpdatedSpreadsheet, got) {
			t.Errorf("indent %v: the commit's read-back decodes otherwise than the get", indent)
		}
		if len(got.Sheets) != len(ss.Sheets) {
			t.Fatalf("%d sheets decoded, want %d", len(got.Sheets), len(ss.Sheets))
		}
		for i, sh := range ss.Sheets {
			for j, g := range sh.Data {
				have := &got.Sheets[i].Data[j]
				var wantHeader, haveHeader []string
				if len(g.RowData) > 0 {
					wantHeader, haveHeader = rowTexts(g.RowData[0]), have.RowData[0].texts()
				}
				if !reflect.DeepEqual(haveHeader, wantHeader) {
					t.Errorf("indent %v, sheet %d block %d: header %q, want %q", indent, i, j, haveHeader, wantHeader)
				}
				if w, h := columnIDs(wantHeader, g.ColumnMetadata), columnIDs(haveHeader, have.ColumnMetadata); !reflect.DeepEqual(h, w) {
					t.Errorf("indent %v, sheet %d block %d: columns %q, want %q", indent, i, j, h, w)
				}
				want, rows := clientTicketColumn(g), ticketColumn(have)
				if len(rows) != len(want) {
					t.Fatalf("indent %v, sheet %d block %d: %d ticket rows, want %d", indent, i, j, len(rows), len(want))
				}
				for k, w := range want {
					r := rows[k]
					if r.Index != w.Index || r.Anchor != w.Anchor || !reflect.DeepEqual(r.Anchors, w.Anchors) || r.Ticket != w.Get(string(rules.CFTicket)) {
						t.Errorf("indent %v, sheet %d block %d row %d: %+v, want %+v", indent, i, j, k, r, w)
					}
				}
			}
		}
	}
}

// clientTicketColumn is ticketColumn as it read the official client's
// decoding.
func clientTicketColumn(g *sheets.GridData) []Row {
	var rows []Row
	for i := 1; i < max(len(g.RowData), len(g.RowMetadata)); i++ {
		r := Row{Index: int64(i), Cells: map[string]string{}}
		if i < len(g.RowData) {
			if texts := rowTexts(g.RowData[i]); len(texts) > 0 {
				r.Cells[string(rules.CFTicket)] = texts[0]
			}
		}
		if i < len(g.RowMetadata) {
			r.Anchor, _ = metaValue(g.RowMetadata[i], MetaRowKey)
			r.Anchors = metaValues(g.RowMetadata[i], MetaRowKey)
		}
		rows = append(rows, r)
	}
	return rows
}
