package fake

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"google.golang.org/api/sheets/v4"
)

// decodeValid is validateBody's judgement without the one-pass scan: the
// body decoded into a generic tree and validated, as before the scan.
func decodeValid(m *dMethod, body []byte) bool {
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if dec.Decode(&v) != nil || dec.More() {
		return false
	}
	return m.doc.validate(m.Request, v, "") == nil
}

// scanBodies are request bodies for the scan's differential test: valid
// ones of each shape kopi sends, and invalid ones near them.
var scanBodies = []struct{ id, body string }{
	{"sheets.spreadsheets.batchUpdate", `{"requests":[{"updateCells":{"start":{"sheetId":0,"rowIndex":0,"columnIndex":0},"rows":[{"values":[{"userEnteredValue":{"stringValue":"=1"}},{"userEnteredValue":{"numberValue":1.5e3}},{},{"userEnteredValue":{"boolValue":true}}]}],"fields":"userEnteredValue"}}]}`},
	{"sheets.spreadsheets.batchUpdate", ` { "requests" : [ { "insertDimension" : { "range" : { "sheetId" : 7 , "dimension" : "ROWS" , "startIndex" : "1", "endIndex" : 3 } } } ] , "includeSpreadsheetInResponse" : true } `},
	{"sheets.spreadsheets.batchUpdate", `{"requests":[{"insertDimension":{"range":{"sheetId":0,"dimension":"ROWZ","startIndex":1,"endIndex":3}}}]}`},
	{"sheets.spreadsheets.batchUpdate", `{"requests":[{"insertDimension":{"range":{"sheetId":0,"dimension":"ROWS","startIndex":1.5}}}]}`},
	{"sheets.spreadsheets.batchUpdate", `{"requests":[{"insertDimension":{"range":{"sheetId":"x"}}}]}`},
	{"sheets.spreadsheets.batchUpdate", `{"requests":[{"insertDimension":{"range":{"sheetId":true}}}]}`},
	{"sheets.spreadsheets.batchUpdate", `{"requests":[{"insertDimension":{"range":{"nope":1}}}]}`},
	{"sheets.spreadsheets.batchUpdate", `{"requests":[{"createDeveloperMetadata":{"developerMetadata":{"metadataId":7,"metadataKey":"kopi.row","metadataValue":"KOPI-2026-0001 \"x\" \u00e9","location":{"dimensionRange":{"sheetId":0,"dimension":"ROWS","startIndex":1,"endIndex":2}},"visibility":"DOCUMENT"}}}]}`},
	{"sheets.spreadsheets.batchUpdate", `{"requests":[{"createDeveloperMetadata":{"developerMetadata":{"visibility":"DOC\u0055MENT"}}}]}`},
	{"sheets.spreadsheets.batchUpdate", `{"requests":[null,{"updateCells":null}],"responseRanges":["A1",null]}`},
	{"sheets.spreadsheets.batchUpdate", `{"requests":[]} ]`},
	{"sheets.spreadsheets.batchUpdate", `{"requests":[]} x`},
	{"sheets.spreadsheets.batchUpdate", `{"requests":[}`},
	{"sheets.spreadsheets.batchUpdate", `{"requests":[{"updateCells":{"rows":[{"values":[{"userEnteredValue":{"numberValue":01}}]}]}}]}`},
	{"sheets.spreadsheets.batchUpdate", `{"requests":[{"updateCells":{"rows":[{"values":[{"userEnteredValue":{"numberValue":"NaN"}}]}]}}]}`},
	{"sheets.spreadsheets.batchUpdate", `{"requests":[{"updateCells":{"rows":[{"values":[{"userEnteredValue":{"numberValue":"1x"}}]}]}}]}`},
	{"sheets.spreadsheets.batchUpdate", `{"requests":[{"updateCells":{"rows":[{"values":[{"userEnteredValue":{"stringValue":1}}]}]}}]}`},
	{"sheets.spreadsheets.batchUpdate", `{"requests":[{"updateCells":{"rows":[{"values":[{"userEnteredValue":{"stringValue":"a` + "\x01" + `"}}]}]}}]}`},
	{"sheets.spreadsheets.batchUpdate", `{"requests":[{"updateCells":{"rows":{}}}]}`},
	{"sheets.spreadsheets.batchUpdate", `{"requests":[{"addChart":{"chart":{"spec":{"basicChart":{"chartType":"COLUMN"}},"position":{"newSheet":tru}}}}]}`},
	{"sheets.spreadsheets.batchUpdate", `{"re\u0071uests":[]}`},
	{"sheets.spreadsheets.values.update", `{"range":"A1","values":[["x",1,true,null,{"a":[1,{"b":"c"}]},-0.5e-7]]}`},
	{"sheets.spreadsheets.values.update", `{"range":"A1","values":[["x",1,true,null,{"a":[1,{"b":"c"}]},-.5]]}`},
	{"sheets.spreadsheets.values.update", `{"values":[[1e]]}`},
	{"gmail.users.messages.send", `{"raw":"abc","threadId":"t","internalDate":"123"}`},
	{"gmail.users.messages.send", `{"raw":"abc","internalDate":123}`},
	{"gmail.users.messages.send", `{"raw":"abc","internalDate":"12x"}`},
	{"gmail.users.messages.send", `{"raw":"abc","internalDate":1.5}`},
	{"forms.forms.batchUpdate", `{"includeFormInResponse":true,"requests":[{"createItem":{"item":{"title":"Nama","questionItem":{"question":{"required":true,"textQuestion":{}}}},"location":{"index":0}}}]}`},
	{"forms.forms.batchUpdate", `{"includeFormInResponse":"true"}`},
	{"", strings.Repeat("[", 600) + strings.Repeat("]", 600)},
	{"", ""},
	{"", "   "},
	{"", `"\uZZZZ"`},
}

// TestScanValidAgreesWithDecoding holds the one-pass scan to the decoding
// path: it never accepts a body the decoding path refuses, and it accepts
// what that path accepts unless the body holds an escape or trails a
// bracket (judged by the decoding path on purpose) — so the fast path cannot change an answer
// and is taken by the bodies the official clients send.
func TestScanValidAgreesWithDecoding(t *testing.T) {
	methods, _ := discovery()
	accepted := 0
	for _, tc := range scanBodies {
		for _, id := range methodIDs(tc.id) {
			m := methods[id]
			if m == nil || m.Request == nil {
				t.Fatalf("no method %s with a request body", id)
			}
			fast, slow := m.doc.scanValid(m.Request, []byte(tc.body)), decodeValid(m, []byte(tc.body))
			if fast && !slow {
				t.Errorf("%s: the scan accepts %.120q, the decoding path refuses it", id, tc.body)
			}
			// Left to the decoding path on purpose: escapes, and a
			// closing bracket after the body (which json.Decoder.More
			// does not see).
			if slow && !fast && !strings.Contains(tc.body, `\`) && !strings.HasSuffix(tc.body, "]} ]") {
				t.Errorf("%s: the scan refuses %.120q, the decoding path accepts it", id, tc.body)
			}
			if fast {
				accepted++
			}
		}
	}
	if accepted < 10 {
		t.Errorf("the scan accepted only %d bodies", accepted)
	}
}

// TestScanValidOfficialClientBody checks the scan on what kopi sends: a
// commit of many rows encoded by the official client.
func TestScanValidOfficialClientBody(t *testing.T) {
	methods, _ := discovery()
	m := methods["sheets.spreadsheets.batchUpdate"]
	text := "Tindak lanjut \"rekomendasi\" <b>&</b>\n\té ✓"
	req := &sheets.BatchUpdateSpreadsheetRequest{IncludeSpreadsheetInResponse: true, ResponseRanges: []string{"'Konsultasi'!A1:Z1"}}
	var rows []*sheets.RowData
	for i := range 50 {
		n := float64(i)
		rows = append(rows, &sheets.RowData{Values: []*sheets.CellData{
			{UserEnteredValue: &sheets.ExtendedValue{StringValue: &text}},
			{UserEnteredValue: &sheets.ExtendedValue{NumberValue: &n}},
			{},
		}})
	}
	req.Requests = []*sheets.Request{
		{InsertDimension: &sheets.InsertDimensionRequest{Range: &sheets.DimensionRange{SheetId: 3, Dimension: "ROWS", StartIndex: 1, EndIndex: 51}}},
		{UpdateCells: &sheets.UpdateCellsRequest{Start: &sheets.GridCoordinate{SheetId: 3, RowIndex: 1}, Rows: rows, Fields: "userEnteredValue"}},
		{CreateDeveloperMetadata: &sheets.CreateDeveloperMetadataRequest{DeveloperMetadata: &sheets.DeveloperMetadata{
			MetadataId: 9, MetadataKey: "kopi.row", MetadataValue: "KOPI-2025-00001", Visibility: "DOCUMENT",
			Location: &sheets.DeveloperMetadataLocation{DimensionRange: &sheets.DimensionRange{SheetId: 3, Dimension: "ROWS", StartIndex: 1, EndIndex: 2}},
		}}},
	}
	body, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	if !decodeValid(m, body) {
		t.Fatal("the decoding path refuses the official client's body")
	}
	if !m.doc.scanValid(m.Request, body) {
		t.Fatalf("the scan refuses the official client's body %.300s", body)
	}
	bad := bytes.Replace(body, []byte(`"DOCUMENT"`), []byte(`"DOCUMENTS"`), 1)
	if m.doc.scanValid(m.Request, bad) || decodeValid(m, bad) {
		t.Fatal("a visibility outside the enum was accepted")
	}
}

// FuzzScanValid: whatever the body, the scan never accepts what the
// decoding path refuses.
func FuzzScanValid(f *testing.F) {
	methods, _ := discovery()
	ids := methodIDs("")
	for _, tc := range scanBodies {
		for i, id := range ids {
			if tc.id == "" || tc.id == id {
				f.Add(uint8(i), []byte(tc.body))
			}
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		m := methods[ids[int(which)%len(ids)]]
		if m.doc.scanValid(m.Request, body) && !decodeValid(m, body) {
			t.Fatalf("%s: the scan accepts %.200q, the decoding path refuses it", m.ID, body)
		}
	})
}

// methodIDs is id alone, or for "" every method the tests above use.
func methodIDs(id string) []string {
	if id != "" {
		return []string{id}
	}
	return []string{"sheets.spreadsheets.batchUpdate", "sheets.spreadsheets.values.update", "gmail.users.messages.send", "forms.forms.batchUpdate"}
}

// TestJSONMembersAndItems: the members and items read from a checked
// body are the values encoding/json sees, white space and escapes
// included.
func TestJSONMembersAndItems(t *testing.T) {
	body := []byte(` { "a" : "x\"}]\\" , "b":[1, {"c":"]"} ,null] ,"d":-1.5e3,"a":{"e":[]}, "f" : true } `)
	var want map[string]json.RawMessage
	if err := json.Unmarshal(body, &want); err != nil {
		t.Fatal(err)
	}
	got := jsonMembers(body)
	if len(got) != len(want) {
		t.Fatalf("%d members, want %d", len(got), len(want))
	}
	for _, m := range got {
		if !bytes.Equal(bytes.TrimSpace(m.val), want[m.key]) {
			t.Errorf("member %s = %s, want %s", m.key, m.val, want[m.key])
		}
	}
	items := jsonItems(jsonMemberValue(body, "b"))
	var wantItems []json.RawMessage
	_ = json.Unmarshal(want["b"], &wantItems)
	if len(items) != len(wantItems) {
		t.Fatalf("%d items, want %d", len(items), len(wantItems))
	}
	for i := range items {
		if !bytes.Equal(bytes.TrimSpace(items[i]), wantItems[i]) {
			t.Errorf("item %d = %s, want %s", i, items[i], wantItems[i])
		}
	}
}
