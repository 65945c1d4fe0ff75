package google_test

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"kopi/google"
	"kopi/rules"
)

func TestCreateSurveyForm(t *testing.T) {
	e := setupReport(t)
	ctx := context.Background()
	e.srv.ResetCalls()
	got, err := google.CreateSurveyForm(ctx, e.svc.Forms, nil, "Survei KOPI")
	if err != nil {
		t.Fatal(err)
	}
	if c := e.srv.Calls(); c["forms.forms.create"] != 1 || c["forms.forms.batchUpdate"] != 1 || c["forms.forms.setPublishSettings"] != 1 || e.srv.TotalCalls() != 3 {
		t.Fatalf("calls %v", c)
	}
	f, err := e.svc.Forms.Forms.Get(got.ID).Do()
	if err != nil {
		t.Fatal(err)
	}
	if f.ResponderUri != got.ResponderURI || f.PublishSettings == nil || !f.PublishSettings.PublishState.IsPublished {
		t.Fatalf("form not published: %+v", f.PublishSettings)
	}
	// Ticket, U1…U9 in the regulation's order, profile, suggestion.
	want := []string{rules.SurveyTicketTitle}
	for i := range rules.SKMElements {
		want = append(want, rules.SurveyQuestionTitle(i))
	}
	want = append(want, rules.SurveyGenderTitle, rules.SurveyEducationTitle, rules.SurveyOccupationTitle, rules.SurveySuggestionTitle)
	if len(f.Items) != len(want) {
		t.Fatalf("%d items, want %d", len(f.Items), len(want))
	}
	for i, it := range f.Items {
		if it.Title != want[i] {
			t.Errorf("item %d %q, want %q", i, it.Title, want[i])
		}
		q := it.QuestionItem.Question
		if required := i <= rules.SKMElementCount; q.Required != required {
			t.Errorf("item %q required %v, want %v", it.Title, q.Required, required)
		}
		if i >= 1 && i <= rules.SKMElementCount {
			el := rules.SKMElements[i-1]
			for v, o := range q.ChoiceQuestion.Options {
				if o.Value != el.Choices[v] {
					t.Errorf("%s choice %d %q, want %q", el.Code, v+1, o.Value, el.Choices[v])
				}
			}
		}
	}
	// The prefilled link's entry number leads back to the ticket question.
	link := rules.SurveyLink(rules.SurveyConfig{URL: got.ResponderURI, TicketQuestionID: got.TicketQuestionID}, "KOPI-2026-0042")
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	var entry string
	for k, v := range u.Query() {
		if strings.HasPrefix(k, "entry.") {
			entry = strings.TrimPrefix(k, "entry.")
			if v[0] != "KOPI-2026-0042" {
				t.Errorf("prefilled %q", v[0])
			}
		}
	}
	n, err := strconv.ParseUint(entry, 10, 64)
	if err != nil {
		t.Fatalf("entry %q in %s", entry, link)
	}
	if id := fmt.Sprintf("%0*x", len(got.TicketQuestionID), n); id != f.Items[0].QuestionItem.Question.QuestionId {
		t.Fatalf("entry.%d → %s, but the ticket question is %s", n, id, f.Items[0].QuestionItem.Question.QuestionId)
	}
}
