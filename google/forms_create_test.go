package google_test

import (
	"context"
	"testing"

	"google.golang.org/api/forms/v1"

	"kopi/google"
	"kopi/google/fake"
	"kopi/rules"
)

// TestIntakeFormAsksNoSignIn: whatever a new form's defaults are (a
// Workspace account's forms collect verified emails and start
// unpublished), the intake form kopi creates collects no email of its
// own, is published and accepts a response from someone not signed in.
func TestIntakeFormAsksNoSignIn(t *testing.T) {
	for _, ws := range []bool{false, true} {
		srv, err := fake.New(fake.Options{WorkspaceFormDefaults: ws})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = srv.Close() })
		b := setupWith(t, srv, google.Options{Endpoint: srv.URL(), HTTPClient: srv.HTTPClient()})
		cfg := rules.DefaultConfig()
		created, err := google.CreateIntakeForm(context.Background(), b.svc.Forms, b.r, cfg, "Formulir KOPI")
		if err != nil {
			t.Fatal(err)
		}
		f, ok := srv.Form(created.ID)
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
			if c := it.QuestionItem.Question.ChoiceQuestion; c != nil {
				v = c.Options[0].Value
			}
			answers[it.QuestionItem.Question.QuestionId] = &forms.Answer{TextAnswers: &forms.TextAnswers{Answers: []*forms.TextAnswer{{Value: v}}}}
		}
		if _, err := srv.SubmitResponse(created.ID, answers, ""); err != nil {
			t.Errorf("workspace=%v: a response without sign-in was refused: %v", ws, err)
		}
	}
}
