package fake_test

import (
	"errors"
	"regexp"
	"testing"

	"google.golang.org/api/forms/v1"
	"google.golang.org/api/googleapi"
)

var (
	formIDRE   = regexp.MustCompile(`^[A-Za-z0-9_-]{40,50}$`)
	hex8RE     = regexp.MustCompile(`^[0-9a-f]{8}$`)
	viewformRE = regexp.MustCompile(`^https://docs\.google\.com/forms/d/e/[A-Za-z0-9_-]+/viewform$`)
)

func newForm(t *testing.T, b *bundle, title string) *forms.Form {
	t.Helper()
	f, err := b.forms.Forms.Create(&forms.Form{Info: &forms.Info{Title: title}}).Do()
	if err != nil {
		t.Fatalf("create form: %v", err)
	}
	return f
}

func formsBatch(b *bundle, formID string, reqs ...*forms.Request) (*forms.BatchUpdateFormResponse, error) {
	return b.forms.Forms.BatchUpdate(formID, &forms.BatchUpdateFormRequest{Requests: reqs}).Do()
}

func createAt(index int64, item *forms.Item) *forms.Request {
	return &forms.Request{CreateItem: &forms.CreateItemRequest{Item: item, Location: &forms.Location{Index: index}}}
}

func textItem(title string) *forms.Item {
	return &forms.Item{Title: title, QuestionItem: &forms.QuestionItem{Question: &forms.Question{TextQuestion: &forms.TextQuestion{}}}}
}

func apiError(t *testing.T, err error, code int, status string) *googleapi.Error {
	t.Helper()
	assertCode(t, err, code)
	var ge *googleapi.Error
	errors.As(err, &ge)
	if status != "" && !regexp.MustCompile(`"status":\s*"`+status+`"`).MatchString(ge.Body) {
		t.Fatalf("error body %s, want status %s", ge.Body, status)
	}
	return ge
}

func TestFormsCreateAssignsIdentifiers(t *testing.T) {
	b := setup(t)
	f, err := b.forms.Forms.Create(&forms.Form{Info: &forms.Info{Title: "Survei Kepuasan", DocumentTitle: "SKM 2026"}}).Do()
	if err != nil {
		t.Fatal(err)
	}
	if !formIDRE.MatchString(f.FormId) {
		t.Errorf("formId %q does not look like a Drive id", f.FormId)
	}
	if !viewformRE.MatchString(f.ResponderUri) {
		t.Errorf("responderUri = %q", f.ResponderUri)
	}
	if f.RevisionId == "" || f.LinkedSheetId != "" || len(f.Items) != 0 {
		t.Errorf("revisionId %q linkedSheetId %q items %d", f.RevisionId, f.LinkedSheetId, len(f.Items))
	}
	if f.Info.Title != "Survei Kepuasan" || f.Info.DocumentTitle != "SKM 2026" {
		t.Errorf("info = %+v", f.Info)
	}
	ps := f.PublishSettings
	if ps == nil || ps.PublishState == nil || !ps.PublishState.IsPublished || !ps.PublishState.IsAcceptingResponses {
		t.Errorf("a form created without unpublished must be published and accepting: %+v", ps)
	}
	got, err := b.forms.Forms.Get(f.FormId).Do()
	if err != nil {
		t.Fatal(err)
	}
	if got.FormId != f.FormId || got.RevisionId != f.RevisionId || got.Info.Title != f.Info.Title {
		t.Errorf("get = %+v, want the created form", got)
	}
	other := newForm(t, b, "Other")
	if other.FormId == f.FormId || other.ResponderUri == f.ResponderUri {
		t.Errorf("two forms share ids: %s", other.FormId)
	}
}

func TestFormsCreateUnpublished(t *testing.T) {
	b := setup(t)
	f, err := b.forms.Forms.Create(&forms.Form{Info: &forms.Info{Title: "Draft"}}).Unpublished(true).Do()
	if err != nil {
		t.Fatal(err)
	}
	if ps := f.PublishSettings; ps == nil || ps.PublishState == nil || ps.PublishState.IsPublished || ps.PublishState.IsAcceptingResponses {
		t.Fatalf("unpublished form: %+v", ps)
	}
	_, err = b.srv.SubmitResponse(f.FormId, nil, "")
	if err == nil {
		t.Fatal("an unpublished form accepted a response")
	}
}

func TestFormsCreateAcceptsOnlyTitles(t *testing.T) {
	b := setup(t)
	for name, f := range map[string]*forms.Form{
		"description": {Info: &forms.Info{Title: "T", Description: "d"}},
		"items":       {Info: &forms.Info{Title: "T"}, Items: []*forms.Item{textItem("Q")}},
		"settings":    {Info: &forms.Info{Title: "T"}, Settings: &forms.FormSettings{EmailCollectionType: "VERIFIED"}},
		"linkedSheet": {Info: &forms.Info{Title: "T"}, LinkedSheetId: "abc"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := b.forms.Forms.Create(f).Do()
			apiError(t, err, 400, "INVALID_ARGUMENT")
		})
	}
}

func TestFormsGetUnknownIsNotFound(t *testing.T) {
	b := setup(t)
	_, err := b.forms.Forms.Get("1nope").Do()
	ge := apiError(t, err, 404, "NOT_FOUND")
	if ge.Message != "Requested entity was not found." {
		t.Fatalf("message = %q", ge.Message)
	}
	_, err = formsBatch(b, "1nope", createAt(0, textItem("Q")))
	assertCode(t, err, 404)
	_, err = b.forms.Forms.SetPublishSettings("1nope", &forms.SetPublishSettingsRequest{PublishSettings: &forms.PublishSettings{}}).Do()
	assertCode(t, err, 404)
}

func TestFormsBatchUpdateCreatesEachItemType(t *testing.T) {
	b := setup(t)
	f := newForm(t, b, "Items")
	q := func(q *forms.Question) *forms.Item {
		return &forms.Item{Title: "q", QuestionItem: &forms.QuestionItem{Question: q}}
	}
	opts := []*forms.Option{{Value: "Ya"}, {Value: "Tidak"}}
	cases := []struct {
		name      string
		item      *forms.Item
		questions int
		check     func(*forms.Item) bool
	}{
		{"short text", q(&forms.Question{TextQuestion: &forms.TextQuestion{}}), 1,
			func(it *forms.Item) bool { return !it.QuestionItem.Question.TextQuestion.Paragraph }},
		{"paragraph", q(&forms.Question{Required: true, TextQuestion: &forms.TextQuestion{Paragraph: true}}), 1,
			func(it *forms.Item) bool {
				return it.QuestionItem.Question.TextQuestion.Paragraph && it.QuestionItem.Question.Required
			}},
		{"radio", q(&forms.Question{ChoiceQuestion: &forms.ChoiceQuestion{Type: "RADIO", Options: opts}}), 1,
			func(it *forms.Item) bool { return len(it.QuestionItem.Question.ChoiceQuestion.Options) == 2 }},
		{"checkbox", q(&forms.Question{ChoiceQuestion: &forms.ChoiceQuestion{Type: "CHECKBOX", Options: opts}}), 1,
			func(it *forms.Item) bool { return it.QuestionItem.Question.ChoiceQuestion.Type == "CHECKBOX" }},
		{"drop down", q(&forms.Question{ChoiceQuestion: &forms.ChoiceQuestion{Type: "DROP_DOWN", Options: opts}}), 1,
			func(it *forms.Item) bool { return it.QuestionItem.Question.ChoiceQuestion.Type == "DROP_DOWN" }},
		{"scale", q(&forms.Question{ScaleQuestion: &forms.ScaleQuestion{Low: 1, High: 4, LowLabel: "Tidak puas", HighLabel: "Sangat puas"}}), 1,
			func(it *forms.Item) bool {
				s := it.QuestionItem.Question.ScaleQuestion
				return s.Low == 1 && s.High == 4 && s.LowLabel == "Tidak puas" && s.HighLabel == "Sangat puas"
			}},
		{"date", q(&forms.Question{DateQuestion: &forms.DateQuestion{IncludeYear: true}}), 1,
			func(it *forms.Item) bool { return it.QuestionItem.Question.DateQuestion.IncludeYear }},
		{"page break", &forms.Item{Title: "Bagian 2", PageBreakItem: &forms.PageBreakItem{}}, 0,
			func(it *forms.Item) bool { return it.PageBreakItem != nil }},
		{"text item", &forms.Item{Title: "Petunjuk", Description: "Isi semua", TextItem: &forms.TextItem{}}, 0,
			func(it *forms.Item) bool { return it.TextItem != nil && it.Description == "Isi semua" }},
		{"grid", &forms.Item{Title: "Grid", QuestionGroupItem: &forms.QuestionGroupItem{
			Grid:      &forms.Grid{Columns: &forms.ChoiceQuestion{Type: "RADIO", Options: opts}},
			Questions: []*forms.Question{{RowQuestion: &forms.RowQuestion{Title: "a"}}, {RowQuestion: &forms.RowQuestion{Title: "b"}}},
		}}, 2, func(it *forms.Item) bool { return len(it.QuestionGroupItem.Questions) == 2 }},
	}
	var reqs []*forms.Request
	for i, c := range cases {
		reqs = append(reqs, createAt(int64(i), c.item))
	}
	resp, err := formsBatch(b, f.FormId, reqs...)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Replies) != len(cases) {
		t.Fatalf("%d replies for %d requests", len(resp.Replies), len(cases))
	}
	got, err := b.forms.Forms.Get(f.FormId).Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Items) != len(cases) {
		t.Fatalf("form has %d items, want %d", len(got.Items), len(cases))
	}
	seen := map[string]bool{}
	for i, c := range cases {
		r := resp.Replies[i].CreateItem
		if r == nil || !hex8RE.MatchString(r.ItemId) {
			t.Errorf("%s: reply %+v, want an 8-hex-digit itemId", c.name, r)
			continue
		}
		if len(r.QuestionId) != c.questions {
			t.Errorf("%s: questionIds %v, want %d", c.name, r.QuestionId, c.questions)
		}
		for _, id := range append([]string{r.ItemId}, r.QuestionId...) {
			if !hex8RE.MatchString(id) || seen[id] {
				t.Errorf("%s: id %q is malformed or reused", c.name, id)
			}
			seen[id] = true
		}
		it := got.Items[i]
		if it.ItemId != r.ItemId || !c.check(it) {
			t.Errorf("%s: stored item %+v does not match", c.name, it)
		}
		if c.questions == 1 && it.QuestionItem.Question.QuestionId != r.QuestionId[0] {
			t.Errorf("%s: stored questionId %q, reply %q", c.name, it.QuestionItem.Question.QuestionId, r.QuestionId[0])
		}
	}
}

func TestFormsBatchUpdateRejectsInvalidRequests(t *testing.T) {
	b := setup(t)
	f := newForm(t, b, "Invalid")
	resp, err := formsBatch(b, f.FormId, createAt(0, textItem("existing")))
	if err != nil {
		t.Fatal(err)
	}
	existing := resp.Replies[0].CreateItem.ItemId
	q := func(q *forms.Question) *forms.Item {
		return &forms.Item{Title: "q", QuestionItem: &forms.QuestionItem{Question: q}}
	}
	cases := map[string]*forms.Request{
		"no request kind":        {},
		"no item kind":           createAt(0, &forms.Item{Title: "nothing"}),
		"two item kinds":         createAt(0, &forms.Item{TextItem: &forms.TextItem{}, PageBreakItem: &forms.PageBreakItem{}}),
		"no question kind":       createAt(0, q(&forms.Question{})),
		"choice without options": createAt(0, q(&forms.Question{ChoiceQuestion: &forms.ChoiceQuestion{Type: "RADIO"}})),
		"choice without type":    createAt(0, q(&forms.Question{ChoiceQuestion: &forms.ChoiceQuestion{Options: []*forms.Option{{Value: "a"}}}})),
		"scale low 2":            createAt(0, q(&forms.Question{ScaleQuestion: &forms.ScaleQuestion{Low: 2, High: 5}})),
		"scale high 11":          createAt(0, q(&forms.Question{ScaleQuestion: &forms.ScaleQuestion{Low: 1, High: 11}})),
		"file upload":            createAt(0, q(&forms.Question{FileUploadQuestion: &forms.FileUploadQuestion{FolderId: "x"}})),
		"index past end":         createAt(2, textItem("q")),
		"negative index":         createAt(-1, textItem("q")),
		"missing location":       {CreateItem: &forms.CreateItemRequest{Item: textItem("q")}},
		"item id in use":         createAt(0, &forms.Item{ItemId: existing, TextItem: &forms.TextItem{}}),
		"delete out of range":    {DeleteItem: &forms.DeleteItemRequest{Location: &forms.Location{Index: 1}}},
		"move out of range": {MoveItem: &forms.MoveItemRequest{
			OriginalLocation: &forms.Location{Index: 0}, NewLocation: &forms.Location{Index: 1}}},
		"two request kinds": {CreateItem: &forms.CreateItemRequest{Item: textItem("q"), Location: &forms.Location{}},
			DeleteItem: &forms.DeleteItemRequest{Location: &forms.Location{}}},
		"grading outside a quiz": createAt(0, q(&forms.Question{TextQuestion: &forms.TextQuestion{},
			Grading: &forms.Grading{PointValue: 1}})),
	}
	for name, r := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := formsBatch(b, f.FormId, r)
			apiError(t, err, 400, "INVALID_ARGUMENT")
		})
	}
	_, err = formsBatch(b, f.FormId)
	assertCode(t, err, 400)
}

func TestFormsBatchUpdateIsAllOrNothing(t *testing.T) {
	b := setup(t)
	f := newForm(t, b, "Atomic")
	_, err := formsBatch(b, f.FormId,
		createAt(0, textItem("valid")),
		&forms.Request{UpdateFormInfo: &forms.UpdateFormInfoRequest{Info: &forms.Info{Title: "changed"}, UpdateMask: "title"}},
		createAt(5, textItem("index out of range")),
	)
	apiError(t, err, 400, "INVALID_ARGUMENT")
	got, err := b.forms.Forms.Get(f.FormId).Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Items) != 0 || got.Info.Title != "Atomic" || got.RevisionId != f.RevisionId {
		t.Fatalf("failed batch left changes: items %d title %q revision %q→%q",
			len(got.Items), got.Info.Title, f.RevisionId, got.RevisionId)
	}
	// Later requests see the effects of earlier ones in the same batch.
	resp, err := formsBatch(b, f.FormId, createAt(0, textItem("first")), createAt(1, textItem("second")))
	if err != nil {
		t.Fatalf("index 1 after creating index 0 in the same batch: %v", err)
	}
	if len(resp.Replies) != 2 {
		t.Fatalf("replies = %d", len(resp.Replies))
	}
}

func TestFormsWriteControlAndRevisions(t *testing.T) {
	b := setup(t)
	f := newForm(t, b, "Rev")
	resp, err := formsBatch(b, f.FormId, createAt(0, textItem("q")))
	if err != nil {
		t.Fatal(err)
	}
	rev1 := resp.WriteControl.RequiredRevisionId
	if rev1 == "" || rev1 == f.RevisionId {
		t.Fatalf("revision after update %q, before %q: want a new one", rev1, f.RevisionId)
	}
	if resp.Form != nil {
		t.Fatal("form returned without includeFormInResponse")
	}
	// A stale required revision is refused and changes nothing.
	_, err = b.forms.Forms.BatchUpdate(f.FormId, &forms.BatchUpdateFormRequest{
		Requests:     []*forms.Request{createAt(0, textItem("stale"))},
		WriteControl: &forms.WriteControl{RequiredRevisionId: f.RevisionId},
	}).Do()
	apiError(t, err, 400, "FAILED_PRECONDITION")
	_, err = b.forms.Forms.BatchUpdate(f.FormId, &forms.BatchUpdateFormRequest{
		Requests:     []*forms.Request{createAt(0, textItem("stale"))},
		WriteControl: &forms.WriteControl{TargetRevisionId: "99999999"},
	}).Do()
	assertCode(t, err, 400)
	_, err = b.forms.Forms.BatchUpdate(f.FormId, &forms.BatchUpdateFormRequest{
		Requests:     []*forms.Request{createAt(0, textItem("both"))},
		WriteControl: &forms.WriteControl{RequiredRevisionId: rev1, TargetRevisionId: rev1},
	}).Do()
	assertCode(t, err, 400)
	// The current revision is accepted; includeFormInResponse returns the form.
	resp, err = b.forms.Forms.BatchUpdate(f.FormId, &forms.BatchUpdateFormRequest{
		Requests:              []*forms.Request{createAt(1, textItem("fresh"))},
		WriteControl:          &forms.WriteControl{RequiredRevisionId: rev1},
		IncludeFormInResponse: true,
	}).Do()
	if err != nil {
		t.Fatal(err)
	}
	if resp.Form == nil || len(resp.Form.Items) != 2 || resp.Form.RevisionId != resp.WriteControl.RequiredRevisionId || resp.Form.RevisionId == rev1 {
		t.Fatalf("form in response = %+v, writeControl %+v", resp.Form, resp.WriteControl)
	}
}

func TestFormsUpdateFormInfo(t *testing.T) {
	b := setup(t)
	f := newForm(t, b, "Judul")
	info := func(mask string, in *forms.Info) *forms.Request {
		return &forms.Request{UpdateFormInfo: &forms.UpdateFormInfoRequest{Info: in, UpdateMask: mask}}
	}
	for name, r := range map[string]*forms.Request{
		"missing mask":  info("", &forms.Info{Title: "x"}),
		"document":      info("documentTitle", &forms.Info{DocumentTitle: "x"}),
		"unknown field": info("colour", &forms.Info{Title: "x"}),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := formsBatch(b, f.FormId, r)
			assertCode(t, err, 400)
		})
	}
	if _, err := formsBatch(b, f.FormId, info("description", &forms.Info{Title: "ignored", Description: "Deskripsi"})); err != nil {
		t.Fatal(err)
	}
	got, _ := b.forms.Forms.Get(f.FormId).Do()
	if got.Info.Title != "Judul" || got.Info.Description != "Deskripsi" {
		t.Fatalf("mask description: info = %+v", got.Info)
	}
	if _, err := formsBatch(b, f.FormId, info("*", &forms.Info{Title: "Baru"})); err != nil {
		t.Fatal(err)
	}
	got, _ = b.forms.Forms.Get(f.FormId).Do()
	if got.Info.Title != "Baru" || got.Info.Description != "" || got.Info.DocumentTitle != "Judul" {
		t.Fatalf("mask *: info = %+v", got.Info)
	}
}

func TestFormsUpdateSettings(t *testing.T) {
	b := setup(t)
	f := newForm(t, b, "Settings")
	_, err := formsBatch(b, f.FormId, &forms.Request{UpdateSettings: &forms.UpdateSettingsRequest{
		Settings: &forms.FormSettings{EmailCollectionType: "VERIFIED"}}})
	assertCode(t, err, 400)
	_, err = formsBatch(b, f.FormId, &forms.Request{UpdateSettings: &forms.UpdateSettingsRequest{
		Settings: &forms.FormSettings{EmailCollectionType: "VERIFIED"}, UpdateMask: "nothing"}})
	assertCode(t, err, 400)
	_, err = formsBatch(b, f.FormId, &forms.Request{UpdateSettings: &forms.UpdateSettingsRequest{
		Settings:   &forms.FormSettings{EmailCollectionType: "VERIFIED", QuizSettings: &forms.QuizSettings{IsQuiz: true}},
		UpdateMask: "email_collection_type"}})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := b.forms.Forms.Get(f.FormId).Do()
	if got.Settings.EmailCollectionType != "VERIFIED" || (got.Settings.QuizSettings != nil && got.Settings.QuizSettings.IsQuiz) {
		t.Fatalf("settings = %+v; only the masked field may change", got.Settings)
	}
}

func TestFormsMoveDeleteAndUpdateItems(t *testing.T) {
	b := setup(t)
	f := newForm(t, b, "Order")
	resp, err := formsBatch(b, f.FormId, createAt(0, textItem("A")), createAt(1, textItem("B")), createAt(2, textItem("C")))
	if err != nil {
		t.Fatal(err)
	}
	idA := resp.Replies[0].CreateItem.ItemId
	qA := resp.Replies[0].CreateItem.QuestionId[0]
	titles := func() []string {
		got, err := b.forms.Forms.Get(f.FormId).Do()
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, it := range got.Items {
			out = append(out, it.Title)
		}
		return out
	}
	// Index 0 is sent as an empty location by the client: absent means 0.
	if _, err := formsBatch(b, f.FormId, &forms.Request{MoveItem: &forms.MoveItemRequest{
		OriginalLocation: &forms.Location{Index: 0}, NewLocation: &forms.Location{Index: 2}}}); err != nil {
		t.Fatal(err)
	}
	if got := titles(); len(got) != 3 || got[0] != "B" || got[1] != "C" || got[2] != "A" {
		t.Fatalf("after move: %v", got)
	}
	if _, err := formsBatch(b, f.FormId, &forms.Request{DeleteItem: &forms.DeleteItemRequest{Location: &forms.Location{Index: 1}}}); err != nil {
		t.Fatal(err)
	}
	if got := titles(); len(got) != 2 || got[0] != "B" || got[1] != "A" {
		t.Fatalf("after delete: %v", got)
	}
	// updateItem changes only the masked fields and keeps the ids.
	_, err = formsBatch(b, f.FormId, &forms.Request{UpdateItem: &forms.UpdateItemRequest{
		Location:   &forms.Location{Index: 1},
		Item:       &forms.Item{Title: "A2", Description: "not masked"},
		UpdateMask: "title",
	}})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := b.forms.Forms.Get(f.FormId).Do()
	it := got.Items[1]
	if it.Title != "A2" || it.Description != "" || it.ItemId != idA || it.QuestionItem.Question.QuestionId != qA {
		t.Fatalf("after updateItem: %+v", it)
	}
	_, err = formsBatch(b, f.FormId, &forms.Request{UpdateItem: &forms.UpdateItemRequest{
		Location: &forms.Location{Index: 1}, Item: &forms.Item{Title: "x"}}})
	assertCode(t, err, 400)
	// "If an ID is blank (and in the field mask) a new ID is generated."
	_, err = formsBatch(b, f.FormId, &forms.Request{UpdateItem: &forms.UpdateItemRequest{
		Location:   &forms.Location{Index: 1},
		Item:       &forms.Item{Title: "A3"},
		UpdateMask: "itemId,title",
	}})
	if err != nil {
		t.Fatal(err)
	}
	got, _ = b.forms.Forms.Get(f.FormId).Do()
	if it := got.Items[1]; it.Title != "A3" || it.ItemId == idA || !hex8RE.MatchString(it.ItemId) || it.QuestionItem.Question.QuestionId != qA {
		t.Fatalf("blank masked itemId: %+v", it)
	}
}

func TestFormsSetPublishSettings(t *testing.T) {
	b := setup(t)
	f := newForm(t, b, "Publish")
	set := func(published, accepting bool, mask string) (*forms.SetPublishSettingsResponse, error) {
		return b.forms.Forms.SetPublishSettings(f.FormId, &forms.SetPublishSettingsRequest{
			PublishSettings: &forms.PublishSettings{PublishState: &forms.PublishState{IsPublished: published, IsAcceptingResponses: accepting}},
			UpdateMask:      mask,
		}).Do()
	}
	resp, err := set(true, false, "publishState")
	if err != nil {
		t.Fatal(err)
	}
	if resp.FormId != f.FormId || !resp.PublishSettings.PublishState.IsPublished || resp.PublishSettings.PublishState.IsAcceptingResponses {
		t.Fatalf("response = %+v %+v", resp, resp.PublishSettings.PublishState)
	}
	if _, err := b.srv.SubmitResponse(f.FormId, nil, ""); err == nil {
		t.Fatal("a form not accepting responses took one")
	}
	got, _ := b.forms.Forms.Get(f.FormId).Do()
	if got.PublishSettings.PublishState.IsAcceptingResponses || got.RevisionId != f.RevisionId {
		t.Fatalf("publish settings %+v revision %q→%q; publish settings are not content", got.PublishSettings.PublishState, f.RevisionId, got.RevisionId)
	}
	_, err = set(false, true, "*")
	apiError(t, err, 400, "INVALID_ARGUMENT")
	_, err = set(true, true, "publishSettings.nope")
	assertCode(t, err, 400)
	if _, err = set(true, true, "*"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.srv.SubmitResponse(f.FormId, nil, ""); err != nil {
		t.Fatalf("republished form refused a response: %v", err)
	}
}

func TestFormsSeedFormKeepsFileUploadQuestions(t *testing.T) {
	b := setup(t)
	seeded, err := b.srv.SeedForm(&forms.Form{
		Info:     &forms.Info{Title: "Formulir Konsultasi"},
		Settings: &forms.FormSettings{EmailCollectionType: "RESPONDER_INPUT"},
		Items: []*forms.Item{
			textItem("Nama"),
			{Title: "Lampiran", QuestionItem: &forms.QuestionItem{Question: &forms.Question{
				FileUploadQuestion: &forms.FileUploadQuestion{FolderId: "folder", MaxFiles: 5}}}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := b.forms.Forms.Get(seeded.FormId).Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Items) != 2 || !hex8RE.MatchString(got.Items[1].QuestionItem.Question.QuestionId) {
		t.Fatalf("seeded form = %+v", got.Items)
	}
	if f, ok := b.srv.Form(seeded.FormId); !ok || f.Info.Title != "Formulir Konsultasi" {
		t.Fatalf("Form() = %+v, %v", f, ok)
	}
	if _, ok := b.srv.Form("missing"); ok {
		t.Fatal("Form(missing) reported a form")
	}
}
