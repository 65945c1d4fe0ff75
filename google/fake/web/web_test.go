package web_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"google.golang.org/api/forms/v1"
	"google.golang.org/api/gmail/v1"
	"google.golang.org/api/option"
	"google.golang.org/api/sheets/v4"

	"kopi/google/fake"
	"kopi/google/fake/web"
)

type bundle struct {
	srv    *fake.Server
	web    *httptest.Server
	sheets *sheets.Service
	gmail  *gmail.Service
	client *http.Client
}

func setup(t *testing.T, opts web.Options) *bundle {
	t.Helper()
	srv, err := fake.New(fake.Options{NoListener: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	co := []option.ClientOption{option.WithEndpoint(srv.URL() + "/"), option.WithHTTPClient(srv.HTTPClient())}
	b := &bundle{srv: srv}
	if b.sheets, err = sheets.NewService(ctx, co...); err != nil {
		t.Fatal(err)
	}
	if b.gmail, err = gmail.NewService(ctx, co...); err != nil {
		t.Fatal(err)
	}
	b.web = httptest.NewServer(web.New(srv, opts))
	t.Cleanup(b.web.Close)
	b.client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return b
}

func (b *bundle) get(t *testing.T, path string) string {
	t.Helper()
	res, err := http.Get(b.web.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s\n%s", path, res.Status, body)
	}
	return string(body)
}

// post submits a form as the page would (same origin) and returns the
// redirect target.
func (b *bundle) post(t *testing.T, path string, form url.Values) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.web.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.web.URL)
	res, err := b.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if loc := res.Header.Get("Location"); loc != "" {
		return res.StatusCode, loc
	}
	return res.StatusCode, string(body)
}

const hostile = `<script>alert("x")</script>`

func seedIntake(t *testing.T, b *bundle) *forms.Form {
	t.Helper()
	f, err := b.srv.SeedForm(&forms.Form{
		FormId: "intake",
		Info:   &forms.Info{Title: "Konsultasi " + hostile, Description: "Isi dengan lengkap."},
		Items: []*forms.Item{
			{Title: "Nama", QuestionItem: &forms.QuestionItem{Question: &forms.Question{QuestionId: "q1", Required: true, TextQuestion: &forms.TextQuestion{}}}},
			{Title: "Pertanyaan", QuestionItem: &forms.QuestionItem{Question: &forms.Question{QuestionId: "q2", TextQuestion: &forms.TextQuestion{Paragraph: true}}}},
			{Title: "Topik", QuestionItem: &forms.QuestionItem{Question: &forms.Question{QuestionId: "q3", ChoiceQuestion: &forms.ChoiceQuestion{
				Type: "RADIO", Options: []*forms.Option{{Value: "Audit"}, {Value: "Reviu"}, {IsOther: true}},
			}}}},
			{Title: "Tanggal", QuestionItem: &forms.QuestionItem{Question: &forms.Question{QuestionId: "q4", DateQuestion: &forms.DateQuestion{IncludeYear: true}}}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestFormRendersItemsAndEscapesText(t *testing.T) {
	b := setup(t, web.Options{})
	seedIntake(t, b)
	page := b.get(t, "/formulir")
	for _, want := range []string{`name="q.q1"`, `<textarea id="q.q2" name="q.q2"`, `type="radio" name="q.q3" value="Audit"`,
		`value="__lainnya__"`, `type="date" id="q.q4"`, "Konsultasi &lt;script&gt;"} {
		if !strings.Contains(page, want) {
			t.Errorf("form page lacks %q", want)
		}
	}
	if strings.Contains(page, hostile) {
		t.Error("the form title's <script> reached the page unescaped")
	}
}

func TestFormSubmitCreatesResponse(t *testing.T) {
	b := setup(t, web.Options{})
	seedIntake(t, b)
	code, loc := b.post(t, "/formulir/intake", url.Values{
		"q.q1": {"Budi"}, "q.q2": {hostile + "\r\nbaris dua"}, "q.q3": {"__lainnya__"}, "q.q3.lainnya": {"Tindak lanjut"}, "q.q4": {"2026-03-02"},
	})
	if code != http.StatusSeeOther || !strings.Contains(loc, "terkirim=") {
		t.Fatalf("submit: %d %s", code, loc)
	}
	rs := b.srv.Responses("intake")
	if len(rs) != 1 {
		t.Fatalf("responses = %d, want 1", len(rs))
	}
	got := map[string]string{}
	for qid, a := range rs[0].Answers {
		got[qid] = a.TextAnswers.Answers[0].Value
	}
	want := map[string]string{"q1": "Budi", "q2": hostile + "\nbaris dua", "q3": "Tindak lanjut", "q4": "2026-03-02"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("answer %s = %q, want %q", k, got[k], v)
		}
	}
	if page := b.get(t, loc); !strings.Contains(page, "Jawaban Anda sudah terkirim") {
		t.Error("no confirmation after submitting")
	}
}

func TestFormSubmitRefusedShowsTheReason(t *testing.T) {
	b := setup(t, web.Options{})
	seedIntake(t, b)
	code, body := b.post(t, "/formulir/intake", url.Values{"q.q2": {"tanpa nama"}})
	if code != http.StatusOK || !strings.Contains(body, "Jawaban ditolak oleh Formulir") || !strings.Contains(body, "required") {
		t.Fatalf("missing required answer: %d, page lacks the refusal", code)
	}
	if n := len(b.srv.Responses("intake")); n != 0 {
		t.Errorf("a refused submission stored %d responses", n)
	}
}

func seedTracker(t *testing.T, b *bundle) (string, int64) {
	t.Helper()
	id, err := b.srv.SeedSpreadsheet("Pelacak KOPI", "Konsultasi", "Data")
	if err != nil {
		t.Fatal(err)
	}
	ss, err := b.sheets.Spreadsheets.Get(id).Do()
	if err != nil {
		t.Fatal(err)
	}
	dataID := ss.Sheets[1].Properties.SheetId
	if err := b.srv.SetValues(id, "Konsultasi!A1:C3", [][]any{
		{"No. Tiket", "Pertanyaan", "Status"},
		{"KOPI-1", hostile, "Baru"},
		{"KOPI-2", "=1+2", ""},
	}, true); err != nil {
		t.Fatal(err)
	}
	_, err = b.sheets.Spreadsheets.BatchUpdate(id, &sheets.BatchUpdateSpreadsheetRequest{Requests: []*sheets.Request{
		{UpdateSheetProperties: &sheets.UpdateSheetPropertiesRequest{
			Properties: &sheets.SheetProperties{SheetId: 0, GridProperties: &sheets.GridProperties{FrozenRowCount: 1}},
			Fields:     "gridProperties.frozenRowCount",
		}},
		{UpdateSheetProperties: &sheets.UpdateSheetPropertiesRequest{
			Properties: &sheets.SheetProperties{SheetId: dataID, Hidden: true}, Fields: "hidden",
		}},
		{SetDataValidation: &sheets.SetDataValidationRequest{
			Range: &sheets.GridRange{SheetId: 0, StartRowIndex: 1, EndRowIndex: 10, StartColumnIndex: 2, EndColumnIndex: 3},
			Rule: &sheets.DataValidationRule{Condition: &sheets.BooleanCondition{Type: "ONE_OF_LIST", Values: []*sheets.ConditionValue{
				{UserEnteredValue: "Baru"}, {UserEnteredValue: "Disetujui"},
			}}, Strict: true, ShowCustomUi: true},
		}},
		{AddProtectedRange: &sheets.AddProtectedRangeRequest{ProtectedRange: &sheets.ProtectedRange{
			Range: &sheets.GridRange{SheetId: 0, StartColumnIndex: 0, EndColumnIndex: 1}, Description: "Kolom No. Tiket diisi oleh kopi", WarningOnly: true,
		}}},
	}}).Do()
	if err != nil {
		t.Fatal(err)
	}
	return id, dataID
}

func TestSheetGrid(t *testing.T) {
	b := setup(t, web.Options{})
	id, _ := seedTracker(t, b)
	page := b.get(t, "/lembar?id="+id)
	for _, want := range []string{
		`<tr class="beku">`,                                                // frozen header row
		`data-a1="&#39;Konsultasi&#39;!B2"`,                                // cells carry their A1
		"&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;",                  // hostile text shown as text
		`<option value="Disetujui">Disetujui</option>`,                     // dropdown from validation
		`<option value="Baru" selected>Baru</option>`,                      // current value selected
		`data-lindung="Kolom No. Tiket diisi oleh kopi (peringatan saja)"`, // protected cells marked
		"Kolom No. Tiket diisi oleh kopi",                                  // and listed
		`Data <span class="tersembunyi">(tersembunyi)</span>`,              // hidden tab marked
		`title="=1&#43;2"`,                                                 // a formula shows its formula
	} {
		if !strings.Contains(page, want) {
			t.Errorf("sheet page lacks %s", want)
		}
	}
	if strings.Contains(page, hostile) {
		t.Error("a cell's <script> reached the page unescaped")
	}
	if !regexp.MustCompile(`data-a1="&#39;Konsultasi&#39;!B3"[^>]*>3<`).MatchString(page) {
		t.Error("B3 does not show the formula's value 3")
	}
}

func TestCellEditIsUserEntered(t *testing.T) {
	b := setup(t, web.Options{})
	id, _ := seedTracker(t, b)
	for _, c := range []struct {
		typed   string
		formula string
		text    string
	}{
		{typed: "=SUM(1,2)", formula: "=SUM(1,2)"},
		{typed: "'=IMPORTDATA(\"x\")", text: `=IMPORTDATA("x")`},
		{typed: hostile, text: hostile},
	} {
		code, loc := b.post(t, "/lembar/"+id+"/sel", url.Values{"a1": {"'Konsultasi'!B4"}, "nilai": {c.typed}, "tab": {"Konsultasi"}})
		if code != http.StatusSeeOther || !strings.Contains(loc, "tersimpan=") {
			t.Fatalf("write %q: %d %s", c.typed, code, loc)
		}
		v, err := b.srv.CellUserEnteredValue(id, "Konsultasi!B4")
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case c.formula != "":
			if v.FormulaValue == nil || *v.FormulaValue != c.formula {
				t.Errorf("typed %q: stored %+v, want the formula", c.typed, v)
			}
		default:
			if v.StringValue == nil || *v.StringValue != c.text {
				t.Errorf("typed %q: stored %+v, want text %q", c.typed, v, c.text)
			}
		}
		// The editor loads it back as it must be typed to stay the same.
		res, err := http.Get(b.web.URL + "/lembar/" + id + "/sel?a1=" + url.QueryEscape("Konsultasi!B4"))
		if err != nil {
			t.Fatal(err)
		}
		var got struct{ Nilai string }
		_ = json.NewDecoder(res.Body).Decode(&got)
		res.Body.Close()
		if got.Nilai != c.typed {
			t.Errorf("editor loads %q, want %q", got.Nilai, c.typed)
		}
	}
	code, loc := b.post(t, "/lembar/"+id+"/sel", url.Values{"a1": {"Nope!A1"}, "nilai": {"x"}, "tab": {"Konsultasi"}})
	if code != http.StatusSeeOther || !strings.Contains(loc, "galat=") {
		t.Errorf("write to an unknown tab: %d %s, want a redirect with the error", code, loc)
	}
}

func TestCrossSitePostRefused(t *testing.T) {
	b := setup(t, web.Options{})
	id, _ := seedTracker(t, b)
	req, _ := http.NewRequest(http.MethodPost, b.web.URL+"/lembar/"+id+"/sel", strings.NewReader("a1=Konsultasi!B2&nilai=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	res, err := b.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site post: %s, want 403", res.Status)
	}
	if v, _ := b.srv.CellUserEnteredValue(id, "Konsultasi!B2"); v == nil || v.StringValue == nil || *v.StringValue != hostile {
		t.Error("the cross-site post changed the cell")
	}
}

func TestGmailThreadsSandboxAndRecipientInbox(t *testing.T) {
	b := setup(t, web.Options{})
	raw := "From: kopi@example.go.id\r\nTo: Budi <budi@example.id>\r\nSubject: Tanda terima KOPI-1\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/alternative; boundary=b1\r\n\r\n--b1\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nTeks polos\r\n" +
		"--b1\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n<p>Halo " + hostile + "</p>\r\n--b1--\r\n"
	first, err := b.gmail.Users.Messages.Send("me", &gmail.Message{Raw: base64.URLEncoding.EncodeToString([]byte(raw))}).Do()
	if err != nil {
		t.Fatal(err)
	}
	got, err := b.gmail.Users.Messages.Get("me", first.Id).Format("metadata").Do()
	if err != nil {
		t.Fatal(err)
	}
	msgID := ""
	for _, h := range got.Payload.Headers {
		if strings.EqualFold(h.Name, "Message-ID") {
			msgID = h.Value
		}
	}
	reply := "From: kopi@example.go.id\r\nTo: budi@example.id\r\nSubject: Re: Tanda terima KOPI-1\r\nIn-Reply-To: " + msgID +
		"\r\nReferences: " + msgID + "\r\n\r\nJawaban atas pertanyaan Anda."
	if _, err := b.gmail.Users.Messages.Send("me", &gmail.Message{Raw: base64.URLEncoding.EncodeToString([]byte(reply)), ThreadId: first.ThreadId}).Do(); err != nil {
		t.Fatal(err)
	}
	draft := "To: sri@example.id\r\nSubject: Draf belum terkirim\r\n\r\nisi draf"
	if _, err := b.gmail.Users.Drafts.Create("me", &gmail.Draft{Message: &gmail.Message{Raw: base64.URLEncoding.EncodeToString([]byte(draft))}}).Do(); err != nil {
		t.Fatal(err)
	}
	page := b.get(t, "/surel")
	if n := strings.Count(page, `<article class="utas" data-utas="`+first.ThreadId+`"`); n != 1 {
		t.Errorf("thread articles = %d, want the two messages grouped in 1", n)
	}
	if !strings.Contains(page, "2 pesan") {
		t.Error("the thread does not count its two messages")
	}
	if !regexp.MustCompile(`<iframe class="isi-surel" sandbox="" [^>]*srcdoc="&lt;p&gt;Halo &lt;script&gt;`).MatchString(page) {
		t.Error("the HTML part is not in a sandboxed iframe's escaped srcdoc")
	}
	if strings.Contains(page, hostile) {
		t.Error("the email's <script> reached the page unescaped")
	}
	if !strings.Contains(page, "Draf belum terkirim") || !strings.Contains(page, "Tampilkan header") {
		t.Error("drafts or the headers toggle are missing")
	}
	inbox := b.get(t, "/surel?kotak=budi@example.id")
	if !strings.Contains(inbox, "Jawaban atas pertanyaan Anda.") || strings.Contains(inbox, "Draf belum terkirim") {
		t.Error("Budi's inbox should hold the thread sent to him and no draft")
	}
}

func TestClockStepsAndLiveFragment(t *testing.T) {
	clk := fake.NewClock(time.Date(2026, 3, 2, 0, 45, 0, 0, time.UTC))
	var steps []web.Step
	loc := time.FixedZone("WIB", 7*3600)
	b := setup(t, web.Options{Now: clk.Now, Location: loc, Advance: func(ctx context.Context, s web.Step) ([]string, error) {
		steps = append(steps, s)
		clk.Advance(10 * time.Minute)
		return []string{clk.Now().In(loc).Format("15:04") + " siklus: 1 kasus baru"}, nil
	}})
	page := b.get(t, "/lembar")
	if !strings.Contains(page, "Senin, 2 Maret 2026 07:45 WIB") || !strings.Contains(page, `value="buka"`) {
		t.Fatal("the header lacks the simulated time or the clock buttons")
	}
	code, loc2 := b.post(t, "/jam", url.Values{"langkah": {"siklus"}, "kembali": {"/surel"}})
	if code != http.StatusSeeOther || loc2 != "/surel" || len(steps) != 1 || steps[0] != web.StepCycle {
		t.Fatalf("clock step: %d %s, steps %v", code, loc2, steps)
	}
	if _, loc3 := b.post(t, "/jam", url.Values{"langkah": {"jam"}, "kembali": {"//evil.example/"}}); loc3 != "/lembar" {
		t.Errorf("redirect after a step went to %q, want a local page", loc3)
	}
	if code, _ := b.post(t, "/jam", url.Values{"langkah": {"minggu"}}); code != http.StatusBadRequest {
		t.Errorf("unknown step: %d, want 400", code)
	}
	req, _ := http.NewRequest(http.MethodGet, b.web.URL+"/lembar", nil)
	req.Header.Set("X-Kopi-Bagian", "hidup")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	frag, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.Header.Get("X-Kopi-Versi") == "" || strings.Contains(string(frag), "<html") {
		t.Error("the live fragment should come without the layout and with a version")
	}
	if !strings.Contains(string(frag), "07:55 siklus: 1 kasus baru") {
		t.Errorf("the live fragment lacks the clock log:\n%s", frag)
	}
	// The page's own script polls and loads cells with fetch: connect-src
	// must allow it, or live updates and the cell editor silently break.
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "connect-src 'self'") {
		t.Errorf("CSP = %q", csp)
	}
}

// TestFormChoiceKinds answers every kind of choice question the view
// renders, and a date without the year, and checks what Forms stored.
func TestFormChoiceKinds(t *testing.T) {
	b := setup(t, web.Options{})
	q := func(id string, qq *forms.Question) *forms.Item {
		qq.QuestionId = id
		return &forms.Item{Title: id, QuestionItem: &forms.QuestionItem{Question: qq}}
	}
	if _, err := b.srv.SeedForm(&forms.Form{FormId: "kinds", Info: &forms.Info{Title: "Jenis"}, Items: []*forms.Item{
		q("kotak", &forms.Question{ChoiceQuestion: &forms.ChoiceQuestion{Type: "CHECKBOX", Options: []*forms.Option{{Value: "A"}, {Value: "B"}, {Value: "C"}}}}),
		q("daftar", &forms.Question{ChoiceQuestion: &forms.ChoiceQuestion{Type: "DROP_DOWN", Options: []*forms.Option{{Value: "Satu"}, {Value: "Dua"}}}}),
		q("skala", &forms.Question{ScaleQuestion: &forms.ScaleQuestion{Low: 1, High: 5, LowLabel: "buruk", HighLabel: "baik"}}),
		q("tgl", &forms.Question{DateQuestion: &forms.DateQuestion{}}),
		q("waktu", &forms.Question{TimeQuestion: &forms.TimeQuestion{}}),
		{Title: "Bagian dua", PageBreakItem: &forms.PageBreakItem{}},
	}}); err != nil {
		t.Fatal(err)
	}
	page := b.get(t, "/formulir?id=kinds")
	for _, want := range []string{`type="checkbox" name="q.kotak" value="B"`, `<option value="Dua">Dua</option>`,
		`type="radio" name="q.skala" value="5"`, `<span class="kecil">buruk</span>`, `type="date" id="q.tgl"`, `type="time" id="q.waktu"`,
		`<h2>Bagian dua</h2>`} {
		if !strings.Contains(page, want) {
			t.Errorf("form page lacks %s", want)
		}
	}
	code, loc := b.post(t, "/formulir/kinds", url.Values{
		"q.kotak": {"A", "C"}, "q.daftar": {"Dua"}, "q.skala": {"4"}, "q.tgl": {"2026-03-02"}, "q.waktu": {"09:30"},
	})
	if code != http.StatusSeeOther {
		t.Fatalf("submit: %d %s", code, loc)
	}
	rs := b.srv.Responses("kinds")
	if len(rs) != 1 {
		t.Fatalf("responses = %d", len(rs))
	}
	got := map[string][]string{}
	for qid, a := range rs[0].Answers {
		for _, v := range a.TextAnswers.Answers {
			got[qid] = append(got[qid], v.Value)
		}
	}
	want := map[string][]string{"kotak": {"A", "C"}, "daftar": {"Dua"}, "skala": {"4"}, "tgl": {"03-02"}, "waktu": {"09:30"}}
	for k, v := range want {
		if strings.Join(got[k], ",") != strings.Join(v, ",") {
			t.Errorf("answer %s = %v, want %v", k, got[k], v)
		}
	}
	// A value the question does not offer is refused by the fake, and the
	// page says so.
	if code, body := b.post(t, "/formulir/kinds", url.Values{"q.daftar": {"Tiga"}}); code != http.StatusOK || !strings.Contains(body, "Jawaban ditolak") {
		t.Errorf("an option the question lacks: %d, want the refusal on the page", code)
	}
}

func TestSheetDropdownFromRange(t *testing.T) {
	b := setup(t, web.Options{})
	id, _ := seedTracker(t, b)
	if err := b.srv.SetValues(id, "Data!A1:A2", [][]any{{"Auditor Satu"}, {"Auditor Dua"}}, false); err != nil {
		t.Fatal(err)
	}
	_, err := b.sheets.Spreadsheets.BatchUpdate(id, &sheets.BatchUpdateSpreadsheetRequest{Requests: []*sheets.Request{
		{SetDataValidation: &sheets.SetDataValidationRequest{
			Range: &sheets.GridRange{SheetId: 0, StartRowIndex: 1, EndRowIndex: 3, StartColumnIndex: 1, EndColumnIndex: 2},
			Rule: &sheets.DataValidationRule{Condition: &sheets.BooleanCondition{Type: "ONE_OF_RANGE", Values: []*sheets.ConditionValue{
				{UserEnteredValue: "=Data!A1:A2"},
			}}},
		}},
	}}).Do()
	if err != nil {
		t.Fatal(err)
	}
	page := b.get(t, "/lembar?id="+id+"&tab=Konsultasi")
	if !strings.Contains(page, `<option value="Auditor Dua">Auditor Dua</option>`) {
		t.Error("a ONE_OF_RANGE dropdown does not list the range's values")
	}
	if !strings.Contains(b.get(t, "/lembar?id="+id+"&tab=Data"), "Auditor Satu") {
		t.Error("a hidden tab can still be opened")
	}
}
