package fake_test

import (
	"context"
	"slices"
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
