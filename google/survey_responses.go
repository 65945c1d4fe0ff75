package google

import (
	"context"
	"fmt"
	"strings"
	"time"

	"google.golang.org/api/forms/v1"

	"kopi/rules"
)

// SurveyForm reads the satisfaction survey's responses, decoded by the
// question titles `kopi init --create-survey-form` gave the form.
type SurveyForm struct {
	forms  *Forms
	formID string
	// titles maps question ids to titles, read once at start or cached.
	titles map[string]string
}

// ConnectSurvey reads the survey form's questions once (forms.get), so
// that cycles only list responses.
func ConnectSurvey(ctx context.Context, f *Forms, formID string) (*SurveyForm, error) {
	info, err := f.Form(ctx, formID)
	if err != nil {
		return nil, fmt.Errorf("survey form: %w", err)
	}
	return newSurveyForm(f, formID, *info)
}

// newSurveyForm maps the survey form's question ids to titles; the form
// must ask for the ticket.
func newSurveyForm(f *Forms, formID string, info FormInfo) (*SurveyForm, error) {
	s := &SurveyForm{forms: f, formID: formID, titles: map[string]string{}}
	for _, q := range info.Questions {
		s.titles[q.ID] = q.Title
	}
	found := false
	for _, t := range s.titles {
		found = found || t == rules.SurveyTicketTitle
	}
	if !found {
		return nil, fmt.Errorf("formulir survei %s tidak memuat pertanyaan %q — buat ulang dengan `kopi init --create-survey-form` setelah mengosongkan survey.form_id", formID, rules.SurveyTicketTitle)
	}
	return s, nil
}

// SurveyResponses streams the survey's responses since the cursor (one
// forms.responses.list per 5,000 responses; order not trusted).
func (s *SurveyForm) SurveyResponses(ctx context.Context, since time.Time, fn func(rules.SurveyResponse) error) error {
	return s.forms.eachResponse(ctx, s.formID, since, func(r *forms.FormResponse) error {
		created, err := time.Parse(time.RFC3339Nano, r.CreateTime)
		if err != nil {
			return fmt.Errorf("survey response %s: createTime %q: %w", r.ResponseId, r.CreateTime, err)
		}
		last, err := time.Parse(time.RFC3339Nano, r.LastSubmittedTime)
		if err != nil {
			return fmt.Errorf("survey response %s: lastSubmittedTime %q: %w", r.ResponseId, r.LastSubmittedTime, err)
		}
		byTitle := map[string]string{}
		for id, a := range r.Answers {
			if _, ok := s.titles[id]; !ok {
				return ErrSurveyFormChanged
			}
			if a.TextAnswers == nil {
				continue
			}
			var vs []string
			for _, t := range a.TextAnswers.Answers {
				vs = append(vs, t.Value)
			}
			byTitle[s.titles[id]] = strings.Join(vs, ", ")
		}
		sr := rules.DecodeSurvey(r.ResponseId, created, byTitle)
		sr.LastSubmittedAt = last
		return fn(sr)
	})
}
