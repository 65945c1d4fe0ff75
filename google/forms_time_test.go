package google_test

import (
	"context"
	"testing"
	"time"

	"google.golang.org/api/forms/v1"

	"kopi/google"
	"kopi/google/fake"
	"kopi/rules"
)

// TestResponsesDecodeEveryTimestampPrecision: Google writes response
// timestamps with 0, 3, 6 or 9 fractional digits; kopi reads each to the
// exact instant (edits are told apart by lastSubmittedTime).
func TestResponsesDecodeEveryTimestampPrecision(t *testing.T) {
	clock := fake.NewClock(time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC))
	srv, err := fake.New(fake.Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	b := setupWith(t, srv, google.Options{Endpoint: srv.URL(), HTTPClient: srv.HTTPClient()})
	ctx := context.Background()
	cfg := rules.DefaultConfig()
	created, err := google.CreateIntakeForm(ctx, b.svc.Forms, b.r, cfg, "Formulir KOPI")
	if err != nil {
		t.Fatal(err)
	}
	f, _ := srv.Form(created.ID)
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
	want := map[string]time.Time{}
	for _, step := range []time.Duration{0, 250 * time.Millisecond, 1250 * time.Microsecond} {
		clock.Advance(time.Second + step)
		r, err := srv.SubmitResponse(created.ID, answers, "")
		if err != nil {
			t.Fatal(err)
		}
		want[r.ResponseId] = clock.Now()
	}
	fm := google.NewForms(b.svc.Forms, b.r)
	seen := 0
	err = fm.Responses(ctx, created.ID, map[rules.Field]string{}, time.Time{}, func(s rules.Submission) error {
		seen++
		if w := want[s.ResponseID]; !s.SubmittedAt.Equal(w) || !s.LastSubmittedAt.Equal(w) {
			t.Errorf("response %s: submitted %v / %v, want %v", s.ResponseID, s.SubmittedAt, s.LastSubmittedAt, w)
		}
		return nil
	})
	if err != nil || seen != 3 {
		t.Fatalf("responses: %d, %v", seen, err)
	}
}
