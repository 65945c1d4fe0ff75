package fake

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"

	"google.golang.org/api/forms/v1"
)

// bodyMethods are the implemented discovery methods that take a JSON
// request body, in a fixed order so a corpus entry's method byte always
// names the same method.
func bodyMethods(s *Server) []*dMethod {
	var out []*dMethod
	for id, m := range s.methods {
		if m.Request != nil && s.handlers[id] != nil {
			out = append(out, m)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// methodIndex is the position of a method id in bodyMethods, for seeds.
func methodIndex(f *testing.F, ms []*dMethod, id string) uint8 {
	for i, m := range ms {
		if m.ID == id {
			return uint8(i)
		}
	}
	f.Fatalf("no body method %s", id)
	return 0
}

const fuzzRawMail = "From: kopi@example.go.id\r\nTo: budi@example.go.id\r\nSubject: Tanda terima\r\n\r\nIsi.\r\n"

// FuzzRequestBody sends arbitrary request bodies, query strings and
// ranges to every implemented method of the fake that takes a body
// (Sheets values and batchUpdate, Forms create and batchUpdate, Gmail
// drafts and messages). Whatever arrives, the fake answers as Google
// does: a success, or a 4xx in Google's JSON error shape (code equal to
// the HTTP status, the canonical status name, a message and a reason);
// never a panic and never a 5xx of its own making.
func FuzzRequestBody(f *testing.F) {
	srv, err := New(Options{NoListener: true})
	if err != nil {
		f.Fatal(err)
	}
	ms := bodyMethods(srv)
	raw := base64.URLEncoding.EncodeToString([]byte(fuzzRawMail))
	seeds := []struct {
		id, query, rng, body string
	}{
		{"sheets.spreadsheets.values.update", "valueInputOption=RAW", "Konsultasi!A2:C2", `{"range":"Konsultasi!A2:C2","values":[["KOPI-2026-0001","=1+1","+62 812"]]}`},
		{"sheets.spreadsheets.values.update", "valueInputOption=USER_ENTERED", "Konsultasi!A1", `{"values":[["=IMPORTDATA(\"http://x\")"]]}`},
		{"sheets.spreadsheets.values.update", "", "Konsultasi!A1", `{"values":[[1,true,null,{"a":1}]]}`},
		{"sheets.spreadsheets.values.append", "valueInputOption=RAW&insertDataOption=INSERT_ROWS", "Konsultasi", `{"values":[["a","b"],["c"]]}`},
		{"sheets.spreadsheets.values.clear", "", "Konsultasi!A1:B2", `{}`},
		{"sheets.spreadsheets.values.batchUpdate", "", "", `{"valueInputOption":"RAW","data":[{"range":"Konsultasi!A1","values":[["x"]]},{"range":"'Konsuler'!B2:C3","majorDimension":"COLUMNS","values":[["y","z"]]}]}`},
		{"sheets.spreadsheets.values.batchClear", "", "", `{"ranges":["Konsultasi!A1:Z","R1C1:R2C2"]}`},
		{"sheets.spreadsheets.values.batchGetByDataFilter", "", "", `{"dataFilters":[{"a1Range":"Konsultasi!A:A"},{"developerMetadataLookup":{"metadataKey":"kopi.row"}}]}`},
		{"sheets.spreadsheets.values.batchUpdateByDataFilter", "", "", `{"valueInputOption":"RAW","data":[{"dataFilter":{"developerMetadataLookup":{"metadataId":7}},"values":[["x"]]}]}`},
		{"sheets.spreadsheets.values.batchClearByDataFilter", "", "", `{"dataFilters":[{"gridRange":{"sheetId":0,"startRowIndex":0,"endRowIndex":2}}]}`},
		{"sheets.spreadsheets.batchUpdate", "", "", `{"requests":[{"addSheet":{"properties":{"title":"Riwayat","hidden":true}}},{"insertDimension":{"range":{"sheetId":0,"dimension":"ROWS","startIndex":1,"endIndex":3}}},{"createDeveloperMetadata":{"developerMetadata":{"metadataId":7,"metadataKey":"kopi.row","metadataValue":"KOPI-2026-0001","location":{"dimensionRange":{"sheetId":0,"dimension":"ROWS","startIndex":1,"endIndex":2}},"visibility":"DOCUMENT"}}}]}`},
		{"sheets.spreadsheets.batchUpdate", "", "", `{"requests":[{"sortRange":{"range":{"sheetId":0,"startRowIndex":1},"sortSpecs":[{"dimensionIndex":0,"sortOrder":"DESCENDING"}]}},{"deleteDimension":{"range":{"sheetId":0,"dimension":"COLUMNS","startIndex":0,"endIndex":1}}}]}`},
		{"sheets.spreadsheets.batchUpdate", "", "", `{"requests":[{"updateCells":{"start":{"sheetId":0,"rowIndex":0,"columnIndex":0},"rows":[{"values":[{"userEnteredValue":{"stringValue":"=1"}}]}],"fields":"userEnteredValue"}},{"addProtectedRange":{"protectedRange":{"range":{"sheetId":0,"startColumnIndex":0,"endColumnIndex":1},"warningOnly":true}}}]}`},
		{"sheets.spreadsheets.batchUpdate", "", "", `{"requests":[{"moveDimension":{"source":{"sheetId":0,"dimension":"ROWS","startIndex":0,"endIndex":1},"destinationIndex":5}},{"setDataValidation":{"range":{"sheetId":0},"rule":{"condition":{"type":"ONE_OF_LIST","values":[{"userEnteredValue":"Baru"}]}}}}]}`},
		{"sheets.spreadsheets.batchUpdate", "", "", `{"requests":[{"addChart":{"chart":{"spec":{"basicChart":{"chartType":"COLUMN"}},"position":{"newSheet":true}}}},{"deleteSheet":{"sheetId":0}}]}`},
		{"sheets.spreadsheets.batchUpdate", "", "", `{"requests":[{}],"includeSpreadsheetInResponse":true,"responseRanges":["Konsultasi!A1"]}`},
		{"sheets.spreadsheets.create", "", "", `{"properties":{"title":"Pelacak KOPI","locale":"id_ID"},"sheets":[{"properties":{"title":"Konsultasi"}}]}`},
		{"sheets.spreadsheets.getByDataFilter", "", "", `{"dataFilters":[{"a1Range":"Konsultasi!1:1"}],"includeGridData":true}`},
		{"sheets.spreadsheets.developerMetadata.search", "", "", `{"dataFilters":[{"developerMetadataLookup":{"metadataKey":"kopi.row","locationType":"ROW"}}]}`},
		{"forms.forms.create", "", "", `{"info":{"title":"Survei Kepuasan Masyarakat"}}`},
		{"forms.forms.batchUpdate", "", "", `{"includeFormInResponse":true,"requests":[{"createItem":{"item":{"title":"Nama","questionItem":{"question":{"required":true,"textQuestion":{}}}},"location":{"index":0}}},{"updateFormInfo":{"info":{"description":"d"},"updateMask":"description"}}]}`},
		{"forms.forms.batchUpdate", "", "", `{"requests":[{"createItem":{"item":{"title":"Unsur","questionItem":{"question":{"choiceQuestion":{"type":"RADIO","options":[{"value":"Sangat baik"},{"value":"Baik"}]}}}},"location":{"index":9}}},{"deleteItem":{"location":{"index":0}}}],"writeControl":{"requiredRevisionId":"00000001"}}`},
		{"forms.forms.setPublishSettings", "", "", `{"publishSettings":{"publishState":{"isPublished":true,"isAcceptingResponses":false}},"updateMask":"publishState"}`},
		{"gmail.users.drafts.create", "", "", `{"message":{"raw":"` + raw + `"}}`},
		{"gmail.users.drafts.update", "", "", `{"id":"$DRAFT","message":{"raw":"` + raw + `","threadId":"nope"}}`},
		{"gmail.users.drafts.send", "", "", `{"id":"$DRAFT"}`},
		{"gmail.users.drafts.send", "", "", `{"id":"$DRAFT","message":{"raw":"` + raw + `"}}`},
		{"gmail.users.messages.send", "", "", `{"raw":"` + raw + `","threadId":"t"}`},
		{"gmail.users.messages.send", "", "", `{"raw":"` + base64.URLEncoding.EncodeToString([]byte("Subject: =?utf-8?q?x?=\r\nTo: a\r\n\r\n")) + `"}`},
		{"gmail.users.messages.insert", "internalDateSource=dateHeader", "", `{"raw":"` + raw + `","labelIds":["INBOX"]}`},
		{"gmail.users.messages.send", "", "", `{"raw":"!!!"}`},
		{"gmail.users.messages.send", "", "", "{\"raw\":\"\x00\xff\"}"},
		{"sheets.spreadsheets.batchUpdate", "", "", `{"requests":[{"updateSheetProperties":{"properties":{"sheetId":0,"gridProperties":{"rowCount":-1}},"fields":"gridProperties.rowCount"}}]}`},
		{"sheets.spreadsheets.values.update", "valueInputOption=RAW", "Konsultasi!A1", `{"values":[["` + strings.Repeat("x", 60000) + `"]]}`},
		{"sheets.spreadsheets.batchUpdate", "", "", `[]`},
		{"sheets.spreadsheets.batchUpdate", "", "", `{"requests":`},
		{"sheets.spreadsheets.batchUpdate", "", "", `{"requests":[{"insertDimension":{"range":{"sheetId":0,"dimension":"ROWS","startIndex":9007199254740993,"endIndex":-5}}}]}`},
	}
	for _, s := range seeds {
		f.Add(methodIndex(f, ms, s.id), s.query, s.rng, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, method uint8, query, rng string, body []byte) {
		m := ms[int(method)%len(ms)]
		ssID, formID, draftID := freshState(t, srv)
		path := m.Path
		for name, v := range map[string]string{
			"spreadsheetId": ssID, "formId": formID, "userId": "me", "id": draftID, "range": url.PathEscape(rng),
		} {
			path = strings.ReplaceAll(path, "{"+name+"}", v)
			path = strings.ReplaceAll(path, "{+"+name+"}", v)
		}
		body = bytes.ReplaceAll(body, []byte("$DRAFT"), []byte(draftID))
		req := httptest.NewRequest(m.HTTPMethod, "http://workspace.fake.invalid/", bytes.NewReader(body))
		req.URL.Path = "/" + path
		req.URL.RawPath = ""
		if u, err := url.Parse("/" + path); err == nil {
			req.URL = u
		}
		req.URL.RawQuery = query
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		checkGoogleAnswer(t, m.ID, rec)
	})
}

// freshState gives each input its own spreadsheet, form and draft, so an
// input's outcome never depends on the inputs before it.
func freshState(t *testing.T, srv *Server) (ssID, formID, draftID string) {
	t.Helper()
	srv.mu.Lock()
	srv.sheets.byID = map[string]*spreadsheet{}
	srv.forms.byID = map[string]*formState{}
	srv.mu.Unlock()
	if err := srv.ResetMailbox("me"); err != nil {
		t.Fatal(err)
	}
	ssID, err := srv.SeedSpreadsheet("Pelacak", "Konsultasi", "Konsuler")
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.SetValues(ssID, "Konsultasi!A1:C2", [][]any{{"Nomor Tiket", "Nama", "WhatsApp"}, {"KOPI-2026-0001", "Budi", "+62 812"}}, false); err != nil {
		t.Fatal(err)
	}
	fm, err := srv.SeedForm(&forms.Form{Info: &forms.Info{Title: "Konsultasi"}, Items: []*forms.Item{
		{Title: "Nama", QuestionItem: &forms.QuestionItem{Question: &forms.Question{TextQuestion: &forms.TextQuestion{}}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	body := `{"message":{"raw":"` + base64.URLEncoding.EncodeToString([]byte(fuzzRawMail)) + `"}}`
	req := httptest.NewRequest(http.MethodPost, "http://workspace.fake.invalid/gmail/v1/users/me/drafts", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	var d struct{ ID string }
	if err := json.Unmarshal(rec.Body.Bytes(), &d); rec.Code != http.StatusOK || err != nil || d.ID == "" {
		t.Fatalf("seed draft: %d %s", rec.Code, rec.Body.String())
	}
	draftID = d.ID
	return ssID, fm.FormId, draftID
}

// checkGoogleAnswer asserts that a response is a success with a JSON
// body, or a 4xx in Google's error shape.
func checkGoogleAnswer(t *testing.T, id string, rec *httptest.ResponseRecorder) {
	t.Helper()
	if rec.Code >= 500 {
		t.Fatalf("%s answered %d: %s", id, rec.Code, rec.Body.String())
	}
	if rec.Code == http.StatusNoContent {
		return
	}
	if rec.Code < 300 {
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("%s answered %d with a body that is not JSON: %.200q", id, rec.Code, rec.Body.String())
		}
		return
	}
	if rec.Code < 400 {
		t.Fatalf("%s answered %d", id, rec.Code)
	}
	var eb errorBody
	if err := json.Unmarshal(rec.Body.Bytes(), &eb); err != nil {
		t.Fatalf("%s answered %d with a body that is not Google's error JSON: %v: %.200q", id, rec.Code, err, rec.Body.String())
	}
	e := eb.Error
	want, known := statusNames[rec.Code]
	switch {
	case e.Code != rec.Code:
		t.Fatalf("%s answered %d with error.code %d", id, rec.Code, e.Code)
	case !known || e.Status != want[0]:
		t.Fatalf("%s answered %d with status %q", id, rec.Code, e.Status)
	case strings.TrimSpace(e.Message) == "":
		t.Fatalf("%s answered %d without a message", id, rec.Code)
	case len(e.Errors) == 0 || e.Errors[0].Reason == "":
		t.Fatalf("%s answered %d without a reason: %s", id, rec.Code, rec.Body.String())
	}
}
