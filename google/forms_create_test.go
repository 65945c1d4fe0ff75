package google_test

import (
	"context"
	"fmt"
	"testing"

	"google.golang.org/api/forms/v1"

	"kopi/google"
	"kopi/google/fake"
	"kopi/rules"
)

// TestIntakeFormAsksNoSignIn: for the intake and the survey form, whatever a new form's defaults are (a
// Workspace account's forms collect verified emails and start
// unpublished), the intake form kopi creates collects no email of its
// own, is published and accepts a response from someone not signed in.
func TestIntakeFormAsksNoSignIn(t *testing.T) {
	create := map[string]func(b *bundle) (string, error){
		"asupan": func(b *bundle) (string, error) {
			c, err := google.CreateIntakeForm(context.Background(), b.svc.Forms, b.r, rules.DefaultConfig(), "Formulir KOPI")
			if err != nil {
				return "", err
			}
			return c.ID, nil
		},
		"survei": func(b *bundle) (string, error) {
			c, err := google.CreateSurveyForm(context.Background(), b.svc.Forms, b.r, "Survei KOPI")
			if err != nil {
				return "", err
			}
			return c.ID, nil
		},
	}
	for kind, build := range create {
		for _, ws := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/workspace=%v", kind, ws), func(t *testing.T) { formAsksNoSignIn(t, ws, build) })
		}
	}
}

func formAsksNoSignIn(t *testing.T, ws bool, build func(b *bundle) (string, error)) {
	{
		srv, err := fake.New(fake.Options{WorkspaceFormDefaults: ws})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = srv.Close() })
		b := setupWith(t, srv, google.Options{Endpoint: srv.URL(), HTTPClient: srv.HTTPClient()})
		id, err := build(b)
		if err != nil {
			t.Fatal(err)
		}
		f, ok := srv.Form(id)
		if !ok {
			t.Fatal("form not on the fake")
		}
		if got := f.Settings.EmailCollectionType; got != "DO_NOT_COLLECT" {
			t.Errorf("workspace=%v: emailCollectionType %q", ws, got)
		}
		if ps := f.PublishSettings.PublishState; !ps.IsPublished || !ps.IsAcceptingResponses {
			t.Errorf("workspace=%v: publish state %+v", ws, ps)
		}
		answers := map[string]*forms.Answer{}
		for _, it := range f.Items {
			if it.QuestionItem == nil {
				continue
			}
			v := "warga@desa.example.id"
			if it.Title == rules.SurveyTicketTitle {
				v = "KOPI-2026-0001"
			}
			if c := it.QuestionItem.Question.ChoiceQuestion; c != nil {
				v = c.Options[0].Value
			}
			answers[it.QuestionItem.Question.QuestionId] = &forms.Answer{TextAnswers: &forms.TextAnswers{Answers: []*forms.TextAnswer{{Value: v}}}}
		}
		if _, err := srv.SubmitResponse(id, answers, ""); err != nil {
			t.Errorf("workspace=%v: a response without sign-in was refused: %v", ws, err)
		}
	}
}
