package fake_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/api/forms/v1"
	"google.golang.org/api/gmail/v1"
	"google.golang.org/api/option"
	"google.golang.org/api/sheets/v4"

	"kopi/google/fake"
)

// office is what TestCloneIsIndependent looks at in one server: the
// responses, the tab's values, the sent mail, the drafts and the calls.
type office struct {
	responses []string
	values    [][]string
	sent      []string
	drafts    int
	calls     int
}

func look(t *testing.T, srv *fake.Server, formID, sheetID string) office {
	t.Helper()
	var o office
	for _, r := range srv.Responses(formID) {
		o.responses = append(o.responses, r.ResponseId+"@"+r.LastSubmittedTime)
	}
	v, err := srv.SpreadsheetValues(sheetID, "Konsultasi")
	if err != nil {
		t.Fatal(err)
	}
	o.values = v
	for _, m := range srv.Sent("me") {
		o.sent = append(o.sent, m.ID+" "+m.Subject)
	}
	msgs, err := srv.MailboxMessages("me")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if slices.Contains(m.LabelIds, "DRAFT") {
			o.drafts++
		}
	}
	o.calls = srv.TotalCalls()
	return o
}

func sameOffice(a, b office) bool {
	return slices.Equal(a.responses, b.responses) && slices.Equal(a.sent, b.sent) &&
		a.drafts == b.drafts && a.calls == b.calls &&
		slices.EqualFunc(a.values, b.values, func(x, y []string) bool { return slices.Equal(x, y) })
}

// clients are the official clients on one server.
type clients struct {
	sheets *sheets.Service
	gmail  *gmail.Service
}

func connectTo(t *testing.T, srv *fake.Server) clients {
	t.Helper()
	ctx := context.Background()
	o := []option.ClientOption{option.WithEndpoint(srv.URL() + "/"), option.WithHTTPClient(srv.HTTPClient())}
	sh, err := sheets.NewService(ctx, o...)
	if err != nil {
		t.Fatal(err)
	}
	gm, err := gmail.NewService(ctx, o...)
	if err != nil {
		t.Fatal(err)
	}
	return clients{sh, gm}
}

// change does one of everything to a server: a new response and an edit,
// a row written and a row inserted through the Sheets API, a mail sent and
// a draft created through the Gmail API.
func change(t *testing.T, srv *fake.Server, c clients, r *responsesForm, respID, sheetID, name string) {
	t.Helper()
	formID := r.formID
	if _, err := srv.SubmitResponse(formID, map[string]*forms.Answer{r.text: textAnswer(name), r.radio: textAnswer("Pengawasan")}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.EditResponse(formID, respID, map[string]*forms.Answer{r.text: textAnswer(name + " (ubah)"), r.radio: textAnswer("Keuangan")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.sheets.Spreadsheets.Values.Update(sheetID, "Konsultasi!A2", &sheets.ValueRange{Values: [][]any{{name}}}).
		ValueInputOption("RAW").Do(); err != nil {
		t.Fatal(err)
	}
	ss, err := c.sheets.Spreadsheets.Get(sheetID).Do()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.sheets.Spreadsheets.BatchUpdate(sheetID, &sheets.BatchUpdateSpreadsheetRequest{Requests: []*sheets.Request{{
		InsertDimension: &sheets.InsertDimensionRequest{Range: &sheets.DimensionRange{
			SheetId: ss.Sheets[0].Properties.SheetId, Dimension: "ROWS", StartIndex: 1, EndIndex: 2}},
	}}}).Do(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.gmail.Users.Messages.Send("me", &gmail.Message{Raw: b64(plainMail("a@desa.example.id", "Surat "+name, "Isi."))}).Do(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.gmail.Users.Drafts.Create("me", &gmail.Draft{Message: &gmail.Message{Raw: b64(plainMail("b@desa.example.id", "Draf "+name, "Isi."))}}).Do(); err != nil {
		t.Fatal(err)
	}
}

// TestCloneIsIndependent: a clone starts equal to its original — the same
// responses, cells, sent mail, drafts and call count, and the same next
// generated ids — and from then on a change to either is invisible in the
// other, through every API.
func TestCloneIsIndependent(t *testing.T) {
	r := newResponsesForm(t)
	srv := r.b.srv
	first := r.submit(t, t0.Add(time.Minute), "Ani")
	sheetID, err := srv.SeedSpreadsheet("Pelacak", "Konsultasi")
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.SetValues(sheetID, "Konsultasi!A1:B2", [][]any{{"Nama", "Jumlah"}, {"Budi", "=1+2"}}, true); err != nil {
		t.Fatal(err)
	}
	orig := connectTo(t, srv)
	sendRaw(t, &bundle{gmail: orig.gmail}, plainMail("c@desa.example.id", "Sebelum", "Isi."), "")
	if err := srv.AddFault(fake.Fault{Method: "sheets.spreadsheets.get", Status: 503, Times: 1}); err != nil {
		t.Fatal(err)
	}

	cloneClock := fake.NewClock(t0.Add(time.Hour))
	cl, err := srv.Clone(cloneClock.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cl.Close() })
	if cl.URL() == srv.URL() {
		t.Errorf("the clone of a listening server serves at the original's address %s", cl.URL())
	}
	before := look(t, srv, r.formID, sheetID)
	if got := look(t, cl, r.formID, sheetID); !sameOffice(got, before) {
		t.Fatalf("clone starts as\n%+v\nwant the original's\n%+v", got, before)
	}

	// The queued fault was copied: each server answers it once.
	cc := connectTo(t, cl)
	for name, c := range map[string]clients{"original": orig, "clone": cc} {
		if _, err := c.sheets.Spreadsheets.Get(sheetID).Do(); err == nil {
			t.Errorf("%s: the queued 503 was not answered", name)
		}
	}
	srv.ResetCalls()
	cl.ResetCalls()
	before = look(t, srv, r.formID, sheetID)

	// Changing the clone leaves the original as it was.
	change(t, cl, cc, r, first.ResponseId, sheetID, "Citra")
	afterClone := look(t, cl, r.formID, sheetID)
	if got := look(t, srv, r.formID, sheetID); !sameOffice(got, before) {
		t.Fatalf("changing the clone changed the original:\n%+v\nwas\n%+v", got, before)
	}
	if sameOffice(afterClone, before) {
		t.Fatal("the changes to the clone did not show in the clone")
	}
	if got := cl.Responses(r.formID); got[len(got)-1].LastSubmittedTime < t0.Add(time.Hour).Format(time.RFC3339) {
		t.Errorf("the clone's response is stamped %s, want the clone's clock (%s)", got[len(got)-1].LastSubmittedTime, t0.Add(time.Hour))
	}

	// The same changes to the original: it reaches what the clone did
	// (same generated ids), and the clone does not move.
	r.clock.Set(t0.Add(time.Hour))
	change(t, srv, orig, r, first.ResponseId, sheetID, "Citra")
	if got := look(t, cl, r.formID, sheetID); !sameOffice(got, afterClone) {
		t.Fatalf("changing the original changed the clone:\n%+v\nwas\n%+v", got, afterClone)
	}
	if got := look(t, srv, r.formID, sheetID); !sameOffice(got, afterClone) {
		t.Errorf("the original after the same changes\n%+v\ndiffers from the clone\n%+v\n(ids or state not carried over)", got, afterClone)
	}
}

// TestCloneInMemory: the clone of an in-memory server stays in memory and
// keeps the original's clock when given none.
func TestCloneInMemory(t *testing.T) {
	clock := fake.NewClock(t0)
	srv, err := fake.New(fake.Options{NoListener: true, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	cl, err := srv.Clone(nil)
	if err != nil {
		t.Fatal(err)
	}
	if cl.URL() != srv.URL() {
		t.Errorf("clone URL %s, want the in-memory placeholder %s", cl.URL(), srv.URL())
	}
	id, err := cl.SeedSpreadsheet("Pelacak", "Konsultasi")
	if err != nil {
		t.Fatal(err)
	}
	if ids := srv.SpreadsheetIDs(); len(ids) != 0 {
		t.Errorf("the original holds %v after the clone seeded %s", ids, id)
	}
	clock.Advance(time.Hour)
	c := connectTo(t, cl)
	sent, err := c.gmail.Users.Messages.Send("me", &gmail.Message{Raw: b64(plainMail("a@desa.example.id", "Jam", "Isi."))}).Do()
	if err != nil {
		t.Fatal(err)
	}
	m, err := c.gmail.Users.Messages.Get("me", sent.Id).Format("minimal").Do()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := m.InternalDate, t0.Add(time.Hour).UnixMilli(); got != want {
		t.Errorf("clone's mail dated %d, want the original's clock %d", got, want)
	}
}

// TestCloneSpreadsheetsIndependent: the original and its clone share the
// spreadsheet's rows, columns, cells and metadata until one changes them
// (TestCloneSharesNothing); every kind of change — cells written over,
// formatted and sorted, rows and columns inserted, deleted, moved and
// resized, metadata created, moved, updated and deleted, a filter hiding
// rows, sheet and spreadsheet properties, protected ranges, merges, values
// updated, appended and cleared — made to one leaves the other's
// spreadsheet byte for byte as it was, and a clone of the clone is
// independent of both.
func TestCloneSpreadsheetsIndependent(t *testing.T) {
	srv, err := fake.New(fake.Options{NoListener: true, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	id, err := srv.SeedSpreadsheet("Pelacak", "Konsultasi", "Riwayat")
	if err != nil {
		t.Fatal(err)
	}
	rows := [][]any{{"Nomor Tiket", "Nama", "Jumlah", "Status"}}
	for i := 1; i <= 12; i++ {
		rows = append(rows, []any{fmt.Sprintf("KOPI-2025-%05d", i), fmt.Sprint("Nama ", 13-i), i * 7 % 5, "=C" + fmt.Sprint(i+1) + "*2"})
	}
	if err := srv.SetValues(id, "Konsultasi!A1:D13", rows, true); err != nil {
		t.Fatal(err)
	}
	batch := func(srv *fake.Server, reqs ...string) {
		t.Helper()
		post(t, srv, "/v4/spreadsheets/"+id+":batchUpdate", `{"requests":[`+strings.Join(reqs, ",")+`]}`)
	}
	meta := func(mid int, dim string, at int) string {
		return fmt.Sprintf(`{"createDeveloperMetadata":{"developerMetadata":{"metadataId":%d,"metadataKey":"kopi.row","metadataValue":"v%d","visibility":"DOCUMENT",`+
			`"location":{"dimensionRange":{"sheetId":0,"dimension":%q,"startIndex":%d,"endIndex":%d}}}}}`, mid, mid, dim, at, at+1)
	}
	batch(srv, meta(1, "ROWS", 1), meta(2, "ROWS", 2), meta(3, "ROWS", 5), meta(4, "COLUMNS", 0),
		`{"updateDimensionProperties":{"range":{"sheetId":0,"dimension":"ROWS","startIndex":3,"endIndex":4},"properties":{"pixelSize":40},"fields":"pixelSize"}}`,
		`{"addProtectedRange":{"protectedRange":{"range":{"sheetId":0,"startRowIndex":0,"endRowIndex":1},"description":"kepala"}}}`)

	snapshot := func(srv *fake.Server) string {
		t.Helper()
		return get(t, srv, "/v4/spreadsheets/"+id+"?includeGridData=true") + "\n" +
			get(t, srv, "/v4/spreadsheets/"+id+"/developerMetadata/2")
	}
	// change makes every kind of change, n telling two runs apart.
	change := func(srv *fake.Server, n int) {
		t.Helper()
		batch(srv,
			fmt.Sprintf(`{"updateCells":{"start":{"sheetId":0,"rowIndex":2,"columnIndex":1},"fields":"userEnteredValue,note","rows":[{"values":[{"userEnteredValue":{"numberValue":%d},"note":"n"},{"userEnteredValue":{"stringValue":"x%d"}}]}]}}`, n, n),
			`{"repeatCell":{"range":{"sheetId":0,"startRowIndex":1,"endRowIndex":4,"startColumnIndex":0,"endColumnIndex":2},"cell":{"userEnteredFormat":{"textFormat":{"bold":true}}},"fields":"userEnteredFormat"}}`,
			`{"sortRange":{"range":{"sheetId":0,"startRowIndex":1,"endRowIndex":13,"startColumnIndex":0,"endColumnIndex":4},"sortSpecs":[{"dimensionIndex":1,"sortOrder":"ASCENDING"}]}}`,
			`{"insertDimension":{"range":{"sheetId":0,"dimension":"ROWS","startIndex":2,"endIndex":3}}}`,
			`{"insertDimension":{"range":{"sheetId":0,"dimension":"COLUMNS","startIndex":1,"endIndex":2}}}`,
			`{"moveDimension":{"source":{"sheetId":0,"dimension":"ROWS","startIndex":4,"endIndex":6},"destinationIndex":9}}`,
			`{"moveDimension":{"source":{"sheetId":0,"dimension":"COLUMNS","startIndex":3,"endIndex":4},"destinationIndex":1}}`,
			`{"deleteDimension":{"range":{"sheetId":0,"dimension":"ROWS","startIndex":7,"endIndex":8}}}`,
			`{"updateDimensionProperties":{"range":{"sheetId":0,"dimension":"ROWS","startIndex":3,"endIndex":5},"properties":{"pixelSize":60},"fields":"pixelSize"}}`,
			`{"updateDimensionProperties":{"range":{"sheetId":0,"dimension":"COLUMNS","startIndex":0,"endIndex":1},"properties":{"hiddenByUser":true},"fields":"hiddenByUser"}}`,
			meta(10+n, "ROWS", 4),
			fmt.Sprintf(`{"updateDeveloperMetadata":{"dataFilters":[{"developerMetadataLookup":{"metadataId":2}}],"developerMetadata":{"metadataValue":"ubah%d","location":{"dimensionRange":{"sheetId":0,"dimension":"ROWS","startIndex":8,"endIndex":9}}},"fields":"metadataValue,location"}}`, n),
			`{"deleteDeveloperMetadata":{"dataFilter":{"developerMetadataLookup":{"metadataId":3}}}}`,
			`{"setBasicFilter":{"filter":{"range":{"sheetId":0,"startRowIndex":0,"endRowIndex":13,"startColumnIndex":0,"endColumnIndex":5},"filterSpecs":[{"columnIndex":0,"filterCriteria":{"hiddenValues":["KOPI-2025-00004"]}}]}}}`,
			fmt.Sprintf(`{"updateSheetProperties":{"properties":{"sheetId":0,"title":"Konsultasi %d","gridProperties":{"frozenRowCount":1}},"fields":"title,gridProperties.frozenRowCount"}}`, n),
			fmt.Sprintf(`{"updateSpreadsheetProperties":{"properties":{"title":"Pelacak %d"},"fields":"title"}}`, n),
			fmt.Sprintf(`{"mergeCells":{"range":{"sheetId":0,"startRowIndex":%d,"endRowIndex":%d,"startColumnIndex":0,"endColumnIndex":2},"mergeType":"MERGE_ALL"}}`, 20+n, 21+n),
		)
		tab := fmt.Sprintf("'Konsultasi %d'", n)
		put(t, srv, "/v4/spreadsheets/"+id+"/values/"+tab+"!C5:D6?valueInputOption=USER_ENTERED", fmt.Sprintf(`{"values":[["=1+%d","b"],["c","d"]]}`, n))
		post(t, srv, "/v4/spreadsheets/"+id+"/values/"+tab+"!A1:E1:append?valueInputOption=RAW", fmt.Sprintf(`{"values":[["KOPI-2025-%05d","baru"]]}`, 90+n))
		post(t, srv, "/v4/spreadsheets/"+id+"/values/"+tab+"!B8:C9:clear", `{}`)
	}

	before := snapshot(srv)
	cl, err := srv.Clone(nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := snapshot(cl); got != before {
		t.Fatalf("the clone starts as\n%s\nnot as the original\n%s", got, before)
	}
	change(cl, 1)
	afterClone := snapshot(cl)
	if afterClone == before {
		t.Fatal("the changes did not show in the clone")
	}
	if got := snapshot(srv); got != before {
		t.Fatalf("changing the clone changed the original:\n%s\nwas\n%s", got, before)
	}
	change(srv, 2)
	afterOrig := snapshot(srv)
	if got := snapshot(cl); got != afterClone {
		t.Fatalf("changing the original changed the clone:\n%s\nwas\n%s", got, afterClone)
	}
	// A clone of the clone, changed, and its parent changed again.
	cl2, err := cl.Clone(nil)
	if err != nil {
		t.Fatal(err)
	}
	change(cl2, 3)
	if got := snapshot(cl); got != afterClone {
		t.Fatalf("changing the clone's clone changed the clone:\n%s\nwas\n%s", got, afterClone)
	}
	after2 := snapshot(cl2)
	change(cl, 4)
	if got := snapshot(cl2); got != after2 {
		t.Fatalf("changing the clone changed its clone:\n%s\nwas\n%s", got, after2)
	}
	if got := snapshot(srv); got != afterOrig {
		t.Fatalf("changing the clones changed the original:\n%s\nwas\n%s", got, afterOrig)
	}
}

// get, post and put call the fake's API and fail the test unless it
// answers 200; get returns the body.
func get(t *testing.T, srv *fake.Server, path string) string {
	t.Helper()
	return call(t, srv, "GET", path, "")
}

func post(t *testing.T, srv *fake.Server, path, body string) {
	t.Helper()
	call(t, srv, "POST", path, body)
}

func put(t *testing.T, srv *fake.Server, path, body string) {
	t.Helper()
	call(t, srv, "PUT", path, body)
}

func call(t *testing.T, srv *fake.Server, method, path, body string) string {
	t.Helper()
	code, got := rawCall(t, srv, method, path, body)
	if code != http.StatusOK {
		t.Fatalf("%s %s: %d %s", method, path, code, got)
	}
	return string(got)
}

// rawCall sends one request to the fake (a JSON body when body is not
// empty) and returns the status and the body as served.
func rawCall(t *testing.T, srv *fake.Server, method, path, body string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := srv.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	got, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, got
}
