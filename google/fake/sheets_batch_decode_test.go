package fake

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"

	"google.golang.org/api/sheets/v4"
)

// decodeBodies are batchUpdate bodies whose cells take the hand-read path
// and the encoding/json one, and shapes at the edge between them.
var decodeBodies = []string{
	`{"requests":[{"updateCells":{"start":{"sheetId":3,"rowIndex":1},"rows":[{"values":[{"userEnteredValue":{"stringValue":"KOPI-2025-00001"}},{},null,{"userEnteredValue":{"numberValue":-1.5e3}},{"userEnteredValue":{"boolValue":false}},{"userEnteredValue":{"formulaValue":"=A1"}},{"userEnteredValue":{}}]}],"fields":"userEnteredValue"}}]}`,
	` { "requests" : [ { "appendCells" : { "sheetId" : 7 , "rows" : [ { "values" : [ { "userEnteredValue" : { "stringValue" : "a\"b\u00e9\n<&>" } } ] } , null , { } ], "fields" : "*" } } ] , "includeSpreadsheetInResponse" : true , "responseRanges" : [ "A1" ] } `,
	`{"requests":[{"updateCells":{"range":{"sheetId":0,"startRowIndex":1},"rows":[{"values":[{"userEnteredValue":{"stringValue":"x"},"note":"n"},{"userEnteredValue":{"numberValue":"NaN"}},{"userEnteredValue":{"numberValue":"Infinity"}},{"userEnteredValue":{"stringValue":null}},{"userEnteredValue":null},{"userEnteredValue":{"stringValue":"a","numberValue":2}}]}],"fields":"userEnteredValue,note"}}]}`,
	`{"requests":[{"updateCells":{"rows":[{"values":[{"userEnteredValue":{"stringValue":"a"},"userEnteredValue":{"numberValue":1}}]}]}}]}`,
	`{"requests":[{"updateCells":{"rows":[{"values":[{"userEnteredFormat":{"backgroundColor":{"red":0.5}}},{"dataValidation":{"condition":{"type":"ONE_OF_LIST","values":[{"userEnteredValue":"Baru"}]}}}]},{"values":null},{"values":[]},{}]}}]}`,
	`{"requests":[{"updateCells":{"rows":null,"fields":"note"}},{"appendCells":null},{"appendCells":{"rows":[]}},null,{"insertDimension":{"range":{"sheetId":1,"dimension":"ROWS","startIndex":1,"endIndex":2}}}]}`,
	`{"requests":[{"updateCells":{"rows":[{"values":[{"userEnteredValue":{"numberValue":1e400}}]}]}}]}`,
	`{"requests":[{"updateCells":{"rows":[{"values":[{"userEnteredValue":{"numberValue":0}},{"userEnteredValue":{"numberValue":-0.0}},{"userEnteredValue":{"boolValue":true}}]}]}}],"responseIncludeGridData":true}`,
	`{"requests":[{"createDeveloperMetadata":{"developerMetadata":{"metadataId":9,"metadataKey":"kopi.row","metadataValue":"v","visibility":"DOCUMENT","location":{"dimensionRange":{"sheetId":3,"dimension":"ROWS","startIndex":1,"endIndex":2}}}}}]}`,
	`{}`,
	`null`,
	``,
}

// TestDecodeBatchRequestMatchesUnmarshal: the fake's decoding gives what
// json.Unmarshal into the API types gives, error or value.
func TestDecodeBatchRequestMatchesUnmarshal(t *testing.T) {
	for _, body := range decodeBodies {
		checkBatchDecode(t, []byte(body))
	}
}

func checkBatchDecode(t *testing.T, body []byte) {
	t.Helper()
	got, err := decodeBatchRequest(body)
	var want sheets.BatchUpdateSpreadsheetRequest
	var wantErr error
	if len(body) > 0 {
		wantErr = json.Unmarshal(body, &want)
	}
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("%.200q: error %v, json.Unmarshal's %v", body, err, wantErr)
	}
	if err != nil {
		return
	}
	nanless(reflect.ValueOf(got))
	nanless(reflect.ValueOf(&want))
	if !reflect.DeepEqual(*got, want) {
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(&want)
		t.Fatalf("%.200q decoded as\n%s\njson.Unmarshal gives\n%s", body, g, w)
	}
}

// FuzzDecodeBatchRequest: whatever the body, the fake's decoding agrees
// with json.Unmarshal.
func FuzzDecodeBatchRequest(f *testing.F) {
	for _, body := range decodeBodies {
		f.Add([]byte(body))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		checkBatchDecode(t, body)
	})
}

// nanless replaces every NaN reachable from v by a marker, so that
// reflect.DeepEqual compares "NaN" cells as equal.
func nanless(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			nanless(v.Elem())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				nanless(v.Field(i))
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			nanless(v.Index(i))
		}
	case reflect.Float64:
		if math.IsNaN(v.Float()) && v.CanSet() {
			v.SetFloat(-math.MaxFloat64)
		}
	}
}

// TestPlainRowTakesKopisCells: the rows kopi writes take the hand-read
// path (else the decoding would be correct but no faster).
func TestPlainRowTakesKopisCells(t *testing.T) {
	for raw, want := range map[string]bool{
		`{"values":[{"userEnteredValue":{"stringValue":"x\u003c"}},{},null,{"userEnteredValue":{"numberValue":2}}]}`: true,
		`{ "values" : [ { "userEnteredValue" : { "boolValue" : true } } ] } `:                                        true,
		`{"values":[{"userEnteredValue":{"stringValue":"x"},"note":"n"}]}`:                                           false,
		`{"values":[],"x":1}`: false,
	} {
		if _, ok := (&bodyScan{b: []byte(raw)}).plainRow(); ok != want {
			t.Errorf("plainRow(%s) took the hand-read path: %v, want %v", raw, ok, want)
		}
	}
}

// TestCellIsZeroKnowsEveryField fails when sheets.CellData gains a field
// that cellIsZero and plainText do not name.
func TestCellIsZeroKnowsEveryField(t *testing.T) {
	typ := reflect.TypeFor[sheets.CellData]()
	for i := range typ.NumField() {
		cd := &sheets.CellData{}
		f := reflect.ValueOf(cd).Elem().Field(i)
		switch f.Kind() {
		case reflect.Pointer:
			f.Set(reflect.New(f.Type().Elem()))
		case reflect.Slice:
			f.Set(reflect.MakeSlice(f.Type(), 1, 1))
		case reflect.String:
			f.SetString("x")
		default:
			t.Fatalf("CellData.%s is a %s: teach cellIsZero", typ.Field(i).Name, f.Kind())
		}
		if cellIsZero(cd) {
			t.Errorf("cellIsZero does not look at CellData.%s", typ.Field(i).Name)
		}
		if typ.Field(i).Name == "UserEnteredValue" {
			continue
		}
		text := "x"
		cd.UserEnteredValue = &sheets.ExtendedValue{StringValue: &text}
		if _, ok := plainText(cd); ok {
			t.Errorf("plainText takes a cell with CellData.%s set for plain text", typ.Field(i).Name)
		}
	}
}

// TestWritePlainAsGeneral: the short way for plain cells leaves what the
// general way leaves, for every mask, old cell and new cell.
func TestWritePlainAsGeneral(t *testing.T) {
	a, b, long := "a", "b", strings.Repeat("é", maxCellChars+1)
	num := 2.0
	olds := []*sheets.CellData{nil, {UserEnteredValue: &sheets.ExtendedValue{StringValue: &a}},
		{UserEnteredValue: &sheets.ExtendedValue{StringValue: &a}, Note: "n"}, {Note: "n"}}
	srcs := []*sheets.CellData{nil, {}, {UserEnteredValue: &sheets.ExtendedValue{StringValue: &b}},
		{UserEnteredValue: &sheets.ExtendedValue{StringValue: &b}, Note: "m"},
		{UserEnteredValue: &sheets.ExtendedValue{NumberValue: &num}},
		{UserEnteredValue: &sheets.ExtendedValue{StringValue: &long}}}
	for _, mask := range []string{"userEnteredValue", "*", "userEnteredValue,note", "note"} {
		for i, old := range olds {
			for j, src := range srcs {
				var got [2]*sheets.CellData
				var errs [2]error
				for k := range 2 {
					tb := newTab(&sheets.SheetProperties{Title: "T"})
					tb.setCell(1, 2, old)
					op := &batchOp{kind: "updateCells"}
					w, err := newCellWriter(op, mask)
					if err != nil {
						t.Fatal(err)
					}
					if k == 0 {
						errs[k] = w.write(tb, 1, 2, src)
					} else {
						errs[k] = w.writeGeneral(tb, 1, 2, src)
					}
					got[k] = tb.cell(1, 2)
				}
				if (errs[0] == nil) != (errs[1] == nil) || !reflect.DeepEqual(got[0], got[1]) {
					g0, _ := json.Marshal(got[0])
					g1, _ := json.Marshal(got[1])
					t.Errorf("mask %q, old %d, new %d: write gives %s (%v), the general way %s (%v)", mask, i, j, g0, errs[0], g1, errs[1])
				}
			}
		}
	}
}

// TestPruneUnselectedKeepsBytes: leaving out what a mask does not select
// before encoding gives the bytes the trim of the whole encoding gives.
func TestPruneUnselectedKeepsBytes(t *testing.T) {
	v := "KOPI-2025-00001"
	resp := &sheets.BatchUpdateSpreadsheetResponse{
		SpreadsheetId: "s1",
		Replies: []*sheets.Response{{}, {CreateDeveloperMetadata: &sheets.CreateDeveloperMetadataResponse{
			DeveloperMetadata: &sheets.DeveloperMetadata{MetadataId: 7, MetadataKey: "kopi.row", MetadataValue: v}}}},
		UpdatedSpreadsheet: &sheets.Spreadsheet{
			SpreadsheetId: "s1", Properties: &sheets.SpreadsheetProperties{Title: "Pelacak", Locale: "id_ID"},
			Sheets: []*sheets.Sheet{{Properties: &sheets.SheetProperties{Title: "Konsultasi", SheetId: 3}, Data: []*sheets.GridData{{
				StartRow: 1, RowData: []*sheets.RowData{{Values: []*sheets.CellData{{UserEnteredValue: &sheets.ExtendedValue{StringValue: &v}, Note: "n"}}}},
			}}}},
		},
		ForceSendFields: []string{"Replies"},
	}
	for _, fields := range []string{
		"updatedSpreadsheet(sheets(properties(title),data(startRow,rowData(values(userEnteredValue)))))",
		"replies,spreadsheetId", "replies/createDeveloperMetadata/developerMetadata/metadataId",
		"updatedSpreadsheet/properties/title", "*", "updatedSpreadsheet(*)", "spreadsheetId,updatedSpreadsheet/sheets",
	} {
		got, err := trimToFields(resp, fields)
		if err != nil {
			t.Fatal(err)
		}
		m, _ := parseFields(fields)
		whole, _ := json.Marshal(resp)
		want, _ := m.copyJSON(nil, whole, 0)
		if string(got.(json.RawMessage)) != string(want) {
			t.Errorf("fields %s: pruned and trimmed\n%s\ntrimmed\n%s", fields, got, want)
		}
	}
	if resp.Replies == nil || resp.UpdatedSpreadsheet.Properties == nil {
		t.Fatal("pruning changed the response it was given")
	}
}

// TestBatchEncodedAnswersAsBefore: a commit that reads its layout back is
// answered, mask or not, with what the API types' encoding of the whole
// response trimmed to the mask gives.
func TestBatchEncodedAnswersAsBefore(t *testing.T) {
	srv, err := New(Options{NoListener: true})
	if err != nil {
		t.Fatal(err)
	}
	id, err := srv.SeedSpreadsheet("Pelacak", "Konsultasi")
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.SetValues(id, "Konsultasi!A1:C3", [][]any{{"Nomor Tiket", "Nama", 3}, {"KOPI-2025-00001", "Budi \"B\" <&>", true}, {"KOPI-2025-00002"}}, false); err != nil {
		t.Fatal(err)
	}
	body := `{"requests":[{"createDeveloperMetadata":{"developerMetadata":{"metadataId":9,"metadataKey":"kopi.row","metadataValue":"KOPI-2025-00001","visibility":"DOCUMENT","location":{"dimensionRange":{"sheetId":0,"dimension":"ROWS","startIndex":1,"endIndex":2}}}}},` +
		`{"updateCells":{"start":{"sheetId":0,"rowIndex":2,"columnIndex":1},"rows":[{"values":[{"userEnteredValue":{"stringValue":"Sri"}}]}],"fields":"userEnteredValue"}}],` +
		`"includeSpreadsheetInResponse":true,"responseIncludeGridData":true,"responseRanges":["Konsultasi!A1:C1","Konsultasi!A2:A"]}`
	var replies []*sheets.Response
	for _, fields := range []string{"", "updatedSpreadsheet(sheets(data(startRow,startColumn,rowData(values(userEnteredValue)),rowMetadata(developerMetadata(metadataKey,metadataValue)),columnMetadata(developerMetadata(metadataKey,metadataValue)))))", "replies,updatedSpreadsheet/sheets/properties/title"} {
		srv.mu.Lock()
		before := srv.sheets.byID[id]
		srv.mu.Unlock()
		c := &call{id: "sheets.spreadsheets.batchUpdate", params: map[string]string{"spreadsheetId": id}, query: map[string][]string{}, body: []byte(body)}
		if fields != "" {
			c.query.Set("fields", fields)
		}
		srv.mu.Lock()
		res, err := srv.sheetsBatchUpdate(c)
		after := srv.sheets.byID[id]
		srv.sheets.byID[id] = before // the next mask answers the same commit
		srv.mu.Unlock()
		if err != nil {
			t.Fatal(err)
		}
		view, err := after.batchView([]string{"Konsultasi!A1:C1", "Konsultasi!A2:A"}, true)
		if err != nil {
			t.Fatal(err)
		}
		got := res.(batchEncoded)
		if fields == "" {
			replies = got.Replies // the first mask, none: every reply
		} else if !strings.Contains(fields, "replies") && got.Replies != nil {
			t.Fatalf("fields %s: the replies were not left out", fields)
		}
		want := &sheets.BatchUpdateSpreadsheetResponse{SpreadsheetId: id, Replies: replies, UpdatedSpreadsheet: view}
		wantJSON, _ := json.Marshal(want)
		gotJSON, _ := json.Marshal(res)
		if fields != "" {
			raw, err := trimToFields(res, fields)
			if err != nil {
				t.Fatal(err)
			}
			gotJSON = raw.(json.RawMessage)
			m, _ := parseFields(fields)
			wantJSON, _ = m.copyJSON(nil, wantJSON, 0)
		}
		var g, w any
		if err := json.Unmarshal(gotJSON, &g); err != nil {
			t.Fatal(err)
		}
		_ = json.Unmarshal(wantJSON, &w)
		if !reflect.DeepEqual(g, w) {
			t.Errorf("fields %q: answered\n%s\nthe API types give\n%s", fields, gotJSON, wantJSON)
		}
		// The body is byte for byte what the encoder gave before
		// encodeResponse and trimToFields stopped copying a hand-encoded
		// response through it.
		answered, err := encodeResponse(res, fields)
		if err != nil {
			t.Fatal(err)
		}
		if ref := encoderBody(t, res, fields); !bytes.Equal(answered, ref) {
			t.Errorf("fields %q: body\n%q\nthrough the encoder\n%q", fields, answered, ref)
		}
	}
}

// encoderBody is a response's body as json.Encoder gives it: encoded,
// and with a mask trimmed by copyJSON and encoded again.
func encoderBody(t *testing.T, v any, fields string) []byte {
	t.Helper()
	enc := func(x any) []byte {
		var b bytes.Buffer
		e := json.NewEncoder(&b)
		e.SetEscapeHTML(false)
		if err := e.Encode(x); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	if fields == "" {
		return enc(v)
	}
	m, err := parseFields(fields)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := m.copyJSON(nil, bytes.TrimSpace(enc(pruneUnselected(v, m))), 0)
	return enc(json.RawMessage(out))
}
