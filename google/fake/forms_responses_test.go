package fake_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"google.golang.org/api/forms/v1"

	"kopi/google/fake"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// responsesForm sets up a published form with a short text question, a
// required radio question and a 1–4 scale, on a server whose clock the
// test controls.
type responsesForm struct {
	b                *bundle
	clock            *fake.Clock
	formID           string
	text, radio, ikm string
}

func newResponsesForm(t *testing.T) *responsesForm {
	t.Helper()
	return newResponsesFormWith(t, fake.Options{})
}

func newResponsesFormWith(t *testing.T, opts fake.Options) *responsesForm {
	t.Helper()
	clock := fake.NewClock(t0)
	opts.Now = clock.Now
	b := setupWith(t, opts)
	f := newForm(t, b, "Konsultasi")
	resp, err := formsBatch(b, f.FormId,
		createAt(0, textItem("Nama")),
		createAt(1, &forms.Item{Title: "Topik", QuestionItem: &forms.QuestionItem{Question: &forms.Question{
			Required: true,
			ChoiceQuestion: &forms.ChoiceQuestion{Type: "RADIO", Options: []*forms.Option{
				{Value: "Pengawasan"}, {Value: "Keuangan"}}}}}}),
		createAt(2, &forms.Item{Title: "Kepuasan", QuestionItem: &forms.QuestionItem{Question: &forms.Question{
			ScaleQuestion: &forms.ScaleQuestion{Low: 1, High: 4}}}}),
	)
	if err != nil {
		t.Fatal(err)
	}
	return &responsesForm{b: b, clock: clock, formID: f.FormId,
		text:  resp.Replies[0].CreateItem.QuestionId[0],
		radio: resp.Replies[1].CreateItem.QuestionId[0],
		ikm:   resp.Replies[2].CreateItem.QuestionId[0]}
}

func textAnswer(values ...string) *forms.Answer {
	a := &forms.Answer{TextAnswers: &forms.TextAnswers{}}
	for _, v := range values {
		a.TextAnswers.Answers = append(a.TextAnswers.Answers, &forms.TextAnswer{Value: v})
	}
	return a
}

// submit answers the form at the given time.
func (r *responsesForm) submit(t *testing.T, at time.Time, name string) *forms.FormResponse {
	t.Helper()
	r.clock.Set(at)
	resp, err := r.b.srv.SubmitResponse(r.formID, map[string]*forms.Answer{
		r.text: textAnswer(name), r.radio: textAnswer("Keuangan"),
	}, "")
	if err != nil {
		t.Fatalf("submit: %v", err)
	}
	return resp
}

func (r *responsesForm) list(filter string, pageSize int64, token string) (*forms.ListFormResponsesResponse, error) {
	call := r.b.forms.Forms.Responses.List(r.formID)
	if filter != "" {
		call = call.Filter(filter)
	}
	if pageSize != 0 {
		call = call.PageSize(pageSize)
	}
	if token != "" {
		call = call.PageToken(token)
	}
	return call.Do()
}

func responseIDs(l *forms.ListFormResponsesResponse) map[string]bool {
	ids := map[string]bool{}
	for _, r := range l.Responses {
		ids[r.ResponseId] = true
	}
	return ids
}

func TestFormsSubmitResponseAndGet(t *testing.T) {
	r := newResponsesForm(t)
	sub := r.submit(t, t0, "Ani")
	if sub.ResponseId == "" || sub.FormId != r.formID || sub.CreateTime != "2026-01-02T03:04:05Z" || sub.LastSubmittedTime != sub.CreateTime {
		t.Fatalf("submitted = %+v", sub)
	}
	if sub.RespondentEmail != "" || sub.TotalScore != 0 {
		t.Fatalf("email %q score %v on a form that collects neither", sub.RespondentEmail, sub.TotalScore)
	}
	got, err := r.b.forms.Forms.Responses.Get(r.formID, sub.ResponseId).Do()
	if err != nil {
		t.Fatal(err)
	}
	a := got.Answers[r.text]
	if got.FormId != r.formID || a.QuestionId != r.text || len(a.TextAnswers.Answers) != 1 || a.TextAnswers.Answers[0].Value != "Ani" {
		t.Fatalf("get = %+v, answer %+v", got, a)
	}
	if _, ok := got.Answers[r.ikm]; ok {
		t.Fatal("an unanswered question has an answer")
	}
	l, err := r.list("", 0, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Responses) != 1 || l.Responses[0].ResponseId != sub.ResponseId || l.Responses[0].FormId != "" {
		t.Fatalf("list = %+v (formId is not returned by list)", l.Responses)
	}
	if rs := r.b.srv.Responses(r.formID); len(rs) != 1 || rs[0].ResponseId != sub.ResponseId {
		t.Fatalf("Responses() = %+v", rs)
	}
}

func TestFormsResponsesGetUnknownIsNotFound(t *testing.T) {
	r := newResponsesForm(t)
	_, err := r.b.forms.Forms.Responses.Get(r.formID, "ACYDBNnope").Do()
	apiError(t, err, 404, "NOT_FOUND")
	_, err = r.b.forms.Forms.Responses.Get("1nope", "x").Do()
	assertCode(t, err, 404)
	_, err = r.b.forms.Forms.Responses.List("1nope").Do()
	assertCode(t, err, 404)
}

func TestFormsSubmitResponseValidatesAnswers(t *testing.T) {
	r := newResponsesForm(t)
	radio := textAnswer("Keuangan")
	cases := map[string]map[string]*forms.Answer{
		"unknown question":       {"deadbeef": textAnswer("x"), r.radio: radio},
		"required missing":       {r.text: textAnswer("Ani")},
		"radio not an option":    {r.radio: textAnswer("Lainnya")},
		"radio two values":       {r.radio: textAnswer("Keuangan", "Pengawasan")},
		"scale out of range":     {r.radio: radio, r.ikm: textAnswer("5")},
		"scale not a number":     {r.radio: radio, r.ikm: textAnswer("empat")},
		"empty value":            {r.radio: radio, r.text: textAnswer("")},
		"mismatched question id": {r.radio: {QuestionId: r.text, TextAnswers: radio.TextAnswers}},
	}
	for name, answers := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := r.b.srv.SubmitResponse(r.formID, answers, "")
			assertFakeCode(t, err, 400)
		})
	}
	_, err := r.b.srv.SubmitResponse(r.formID, map[string]*forms.Answer{r.radio: radio}, "ani@example.go.id")
	assertFakeCode(t, err, 400) // the form does not collect email addresses
	_, err = r.b.srv.SubmitResponse("1nope", nil, "")
	assertFakeCode(t, err, 404)
	if n := len(r.b.srv.Responses(r.formID)); n != 0 {
		t.Fatalf("%d responses stored by failed submissions", n)
	}

	// Once the form collects addresses, an address is required.
	if _, err := formsBatch(r.b, r.formID, &forms.Request{UpdateSettings: &forms.UpdateSettingsRequest{
		Settings: &forms.FormSettings{EmailCollectionType: "VERIFIED"}, UpdateMask: "emailCollectionType"}}); err != nil {
		t.Fatal(err)
	}
	_, err = r.b.srv.SubmitResponse(r.formID, map[string]*forms.Answer{r.radio: radio}, "")
	assertFakeCode(t, err, 400)
	sub, err := r.b.srv.SubmitResponse(r.formID, map[string]*forms.Answer{r.radio: radio, r.ikm: textAnswer("4")}, "ani@example.go.id")
	if err != nil {
		t.Fatal(err)
	}
	if sub.RespondentEmail != "ani@example.go.id" {
		t.Fatalf("respondentEmail = %q", sub.RespondentEmail)
	}
}

// assertFakeCode checks an error returned by a *fake.Server Go method.
func assertFakeCode(t *testing.T, err error, code int) {
	t.Helper()
	var ae *fake.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want a *fake.APIError %d", err, code)
	}
	if ae.Code != code {
		t.Fatalf("code = %d (%s), want %d", ae.Code, ae.Message, code)
	}
}

func postJSON(t *testing.T, method, url string, body any) (*http.Response, []byte) {
	t.Helper()
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, url, bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	return resp, buf.Bytes()
}

func TestFormsControlSurfaceSubmitAndEdit(t *testing.T) {
	r := newResponsesForm(t)
	base := r.b.srv.URL() + "/_fake/forms/" + r.formID + "/responses"
	resp, body := postJSON(t, "POST", base, map[string]any{
		"answers": map[string]any{
			r.radio: map[string]any{"textAnswers": map[string]any{"answers": []any{map[string]any{"value": "Pengawasan"}}}},
		},
	})
	if resp.StatusCode != 200 {
		t.Fatalf("submit: %d %s", resp.StatusCode, body)
	}
	var sub forms.FormResponse
	if err := json.Unmarshal(body, &sub); err != nil {
		t.Fatal(err)
	}
	got, err := r.b.forms.Forms.Responses.Get(r.formID, sub.ResponseId).Do()
	if err != nil {
		t.Fatal(err)
	}
	if got.Answers[r.radio].TextAnswers.Answers[0].Value != "Pengawasan" {
		t.Fatalf("stored = %+v", got.Answers)
	}

	resp, body = postJSON(t, "POST", base, map[string]any{"answers": map[string]any{"nope": map[string]any{}}})
	if resp.StatusCode != 400 {
		t.Fatalf("unknown question: %d %s", resp.StatusCode, body)
	}
	resp, _ = postJSON(t, "POST", base, map[string]any{"answers": map[string]any{}, "colour": "red"})
	if resp.StatusCode != 400 {
		t.Fatalf("unknown body field: %d", resp.StatusCode)
	}
	resp, _ = postJSON(t, "POST", r.b.srv.URL()+"/_fake/forms/1nope/responses", map[string]any{"answers": map[string]any{}})
	if resp.StatusCode != 404 {
		t.Fatalf("unknown form: %d", resp.StatusCode)
	}

	r.clock.Set(t0.Add(time.Hour))
	resp, body = postJSON(t, "PUT", base+"/"+sub.ResponseId, map[string]any{
		"answers": map[string]any{
			r.radio: map[string]any{"textAnswers": map[string]any{"answers": []any{map[string]any{"value": "Keuangan"}}}},
		},
	})
	if resp.StatusCode != 200 {
		t.Fatalf("edit: %d %s", resp.StatusCode, body)
	}
	got, _ = r.b.forms.Forms.Responses.Get(r.formID, sub.ResponseId).Do()
	if got.Answers[r.radio].TextAnswers.Answers[0].Value != "Keuangan" || got.CreateTime != sub.CreateTime ||
		got.LastSubmittedTime != "2026-01-02T04:04:05Z" {
		t.Fatalf("after edit = %+v", got)
	}
	resp, _ = postJSON(t, "PUT", base+"/ACYDBNnope", map[string]any{"answers": map[string]any{}})
	if resp.StatusCode != 404 {
		t.Fatalf("edit unknown response: %d", resp.StatusCode)
	}
}

func TestFormsListFilterBoundary(t *testing.T) {
	r := newResponsesForm(t)
	a := r.submit(t, t0, "A")
	b := r.submit(t, t0.Add(time.Second), "B")
	c := r.submit(t, t0.Add(1500*time.Millisecond), "C")
	cases := []struct {
		filter string
		want   []string
	}{
		{"timestamp > 2026-01-02T03:04:05Z", []string{b.ResponseId, c.ResponseId}},
		{"timestamp >= 2026-01-02T03:04:05Z", []string{a.ResponseId, b.ResponseId, c.ResponseId}},
		{"timestamp > 2026-01-02T03:04:06Z", []string{c.ResponseId}},
		{"timestamp >= 2026-01-02T03:04:06Z", []string{b.ResponseId, c.ResponseId}},
		{"timestamp > 2026-01-02T03:04:06.5Z", nil},
		{"timestamp >= 2026-01-02T03:04:06.500000000Z", []string{c.ResponseId}},
		{"timestamp > 2026-01-02T03:04:04.999999999Z", []string{a.ResponseId, b.ResponseId, c.ResponseId}},
		{"timestamp>2026-01-02T03:04:05Z", []string{b.ResponseId, c.ResponseId}},
	}
	for _, tc := range cases {
		t.Run(tc.filter, func(t *testing.T) {
			l, err := r.list(tc.filter, 0, "")
			if err != nil {
				t.Fatal(err)
			}
			got := responseIDs(l)
			if len(got) != len(tc.want) || len(l.Responses) != len(tc.want) {
				t.Fatalf("got %d responses, want %d", len(l.Responses), len(tc.want))
			}
			for _, id := range tc.want {
				if !got[id] {
					t.Fatalf("missing response %s", id)
				}
			}
		})
	}
}

func TestFormsListRejectsUnsupportedFilters(t *testing.T) {
	r := newResponsesForm(t)
	for _, f := range []string{
		"timestamp < 2026-01-02T03:04:05Z",
		"timestamp <= 2026-01-02T03:04:05Z",
		"timestamp = 2026-01-02T03:04:05Z",
		"timestamp > 2026-01-02T10:04:05+07:00",
		"timestamp > 2026-01-02 03:04:05",
		"timestamp > 2026-01-02",
		"timestamp > yesterday",
		"timestamp >",
		"createTime > 2026-01-02T03:04:05Z",
		"foo",
	} {
		t.Run(f, func(t *testing.T) {
			_, err := r.list(f, 0, "")
			apiError(t, err, 400, "INVALID_ARGUMENT")
		})
	}
}

func TestFormsListPagingReturnsEachResponseOnce(t *testing.T) {
	r := newResponsesForm(t)
	want := map[string]bool{}
	for i := range 7 {
		want[r.submit(t, t0.Add(time.Duration(i)*time.Minute), fmt.Sprint("R", i)).ResponseId] = true
	}
	seen := map[string]int{}
	token, pages := "", 0
	filter := "timestamp >= 2026-01-02T03:04:05Z"
	for {
		l, err := r.list(filter, 3, token)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if len(l.Responses) > 3 {
			t.Fatalf("page of %d responses with pageSize 3", len(l.Responses))
		}
		for _, resp := range l.Responses {
			seen[resp.ResponseId]++
		}
		if l.NextPageToken == "" {
			break
		}
		if token = l.NextPageToken; pages > 10 {
			t.Fatal("paging does not end")
		}
	}
	if pages != 3 || len(seen) != len(want) {
		t.Fatalf("%d pages, %d distinct responses; want 3 pages, %d", pages, len(seen), len(want))
	}
	for id, n := range seen {
		if !want[id] || n != 1 {
			t.Fatalf("response %s seen %d times", id, n)
		}
	}

	first, err := r.list(filter, 3, "")
	if err != nil {
		t.Fatal(err)
	}
	// The token is bound to the form and the filter.
	_, err = r.list("timestamp > 2026-01-02T03:04:05Z", 3, first.NextPageToken)
	assertCode(t, err, 400)
	_, err = r.list(filter, 3, "not-a-token")
	assertCode(t, err, 400)
	_, err = r.list(filter, -1, "")
	assertCode(t, err, 400)
}

func TestFormsListPageSizeIsCappedAt5000(t *testing.T) {
	r := newResponsesForm(t)
	for range 5002 {
		if _, err := r.b.srv.SubmitResponse(r.formID, map[string]*forms.Answer{r.radio: textAnswer("Keuangan")}, ""); err != nil {
			t.Fatal(err)
		}
	}
	for _, size := range []int64{0, 6000} {
		l, err := r.list("", size, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(l.Responses) != 5000 || l.NextPageToken == "" {
			t.Fatalf("pageSize %d: %d responses, next %q; want 5000 and a token", size, len(l.Responses), l.NextPageToken)
		}
		rest, err := r.list("", size, l.NextPageToken)
		if err != nil {
			t.Fatal(err)
		}
		if len(rest.Responses) != 2 || rest.NextPageToken != "" {
			t.Fatalf("pageSize %d second page: %d responses, next %q", size, len(rest.Responses), rest.NextPageToken)
		}
	}
}

func TestFormsEditedResponseIsListedAgain(t *testing.T) {
	r := newResponsesForm(t)
	sub := r.submit(t, t0, "Ani")
	r.submit(t, t0.Add(time.Minute), "Budi")
	cursor := "timestamp > 2026-01-02T03:05:05Z" // after both submissions
	l, err := r.list(cursor, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Responses) != 0 {
		t.Fatalf("before the edit: %d responses after the cursor", len(l.Responses))
	}
	r.clock.Set(t0.Add(2 * time.Minute))
	edited, err := r.b.srv.EditResponse(r.formID, sub.ResponseId, map[string]*forms.Answer{
		r.text: textAnswer("Ani Lestari"), r.radio: textAnswer("Pengawasan"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if edited.CreateTime != "2026-01-02T03:04:05Z" || edited.LastSubmittedTime != "2026-01-02T03:06:05Z" {
		t.Fatalf("edited times: create %s last %s", edited.CreateTime, edited.LastSubmittedTime)
	}
	l, err = r.list(cursor, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Responses) != 1 || l.Responses[0].ResponseId != sub.ResponseId || l.Responses[0].Answers[r.text].TextAnswers.Answers[0].Value != "Ani Lestari" {
		t.Fatalf("after the edit: %+v", l.Responses)
	}
	_, err = r.b.srv.EditResponse(r.formID, "ACYDBNnope", nil)
	assertFakeCode(t, err, 404)
	_, err = r.b.srv.EditResponse(r.formID, sub.ResponseId, map[string]*forms.Answer{r.text: textAnswer("no topic")})
	assertFakeCode(t, err, 400) // the required radio question is missing
}
