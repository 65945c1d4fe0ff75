package google

import (
	"context"
	"fmt"
	"strings"
	"time"

	"google.golang.org/api/forms/v1"

	"kopi/rules"
)

// Forms is kopi's adapter over the Forms API: the intake form's questions
// and its responses, decoded into rules types.
type Forms struct {
	svc   *forms.Service
	retry *Retrier
	// known, when set, are the question ids of the form as cached: a
	// response answering any other question means the form changed
	// since (see ErrFormChanged).
	known map[string]bool
}

// NewForms returns the adapter.
func NewForms(svc *forms.Service, r *Retrier) *Forms {
	if r == nil {
		r = &Retrier{}
	}
	return &Forms{svc: svc, retry: r}
}

// FormInfo is what kopi needs to know of a form.
type FormInfo struct {
	Title        string
	ResponderURI string
	Questions    []rules.FormQuestion
	// RevisionID is the form's revision (forms.get revisionId); it
	// changes whenever the form's content does.
	RevisionID string
}

// Form reads a form's questions (forms.get).
func (f *Forms) Form(ctx context.Context, formID string) (*FormInfo, error) {
	fm, err := DoValue(ctx, f.retry, Idempotent("forms.forms.get"), func(ctx context.Context) (*forms.Form, error) {
		return f.svc.Forms.Get(formID).Context(ctx).Do()
	})
	if err != nil {
		return nil, fmt.Errorf("read form: %w", err)
	}
	info := &FormInfo{ResponderURI: fm.ResponderUri, RevisionID: fm.RevisionId}
	if fm.Info != nil {
		info.Title = fm.Info.Title
	}
	for _, it := range fm.Items {
		if it.QuestionItem != nil && it.QuestionItem.Question != nil {
			info.Questions = append(info.Questions, rules.FormQuestion{Title: it.Title, ID: it.QuestionItem.Question.QuestionId})
		}
	}
	return info, nil
}

// responseOverlap re-reads responses submitted shortly before the cursor:
// the Forms API does not document how its timestamp filter treats
// responses still being written, so kopi reads a little back and
// de-duplicates by response id.
const responseOverlap = 10 * time.Minute

// pageSize is the largest page the Forms API serves.
const pageSize = 5000

// Responses streams the responses submitted or edited since the cursor
// (minus a safety overlap; the zero cursor reads all) to fn, page by page,
// decoded with the field → question id mapping. Order is not trusted:
// callers de-duplicate by ResponseID and compare LastSubmittedAt.
func (f *Forms) Responses(ctx context.Context, formID string, ids map[rules.Field]string, since time.Time, fn func(rules.Submission) error) error {
	return f.eachResponse(ctx, formID, since, func(r *forms.FormResponse) error {
		if err := f.checkKnown(r); err != nil {
			return err
		}
		s, err := decodeResponse(r, ids)
		if err != nil {
			return err
		}
		return fn(s)
	})
}

// eachResponse pages through a form's responses since the cursor (minus
// the overlap; the zero cursor reads all).
func (f *Forms) eachResponse(ctx context.Context, formID string, since time.Time, fn func(*forms.FormResponse) error) error {
	filter := ""
	if !since.IsZero() {
		filter = "timestamp >= " + since.Add(-responseOverlap).UTC().Format(time.RFC3339)
	}
	token := ""
	for {
		page, err := DoValue(ctx, f.retry, Idempotent("forms.forms.responses.list"), func(ctx context.Context) (*forms.ListFormResponsesResponse, error) {
			call := f.svc.Forms.Responses.List(formID).PageSize(pageSize).Context(ctx)
			if filter != "" {
				call = call.Filter(filter)
			}
			if token != "" {
				call = call.PageToken(token)
			}
			return call.Do()
		})
		if err != nil {
			return fmt.Errorf("list responses: %w", err)
		}
		for _, r := range page.Responses {
			if err := fn(r); err != nil {
				return err
			}
		}
		if page.NextPageToken == "" {
			return nil
		}
		token = page.NextPageToken
	}
}

// decodeResponse turns a FormResponse into a Submission. Text is kept as
// typed; file uploads become Drive links.
func decodeResponse(r *forms.FormResponse, ids map[rules.Field]string) (rules.Submission, error) {
	s := rules.Submission{ResponseID: r.ResponseId}
	var err error
	if s.SubmittedAt, err = time.Parse(time.RFC3339Nano, r.CreateTime); err != nil {
		return s, fmt.Errorf("response %s: createTime %q: %w", r.ResponseId, r.CreateTime, err)
	}
	if s.LastSubmittedAt, err = time.Parse(time.RFC3339Nano, r.LastSubmittedTime); err != nil {
		return s, fmt.Errorf("response %s: lastSubmittedTime %q: %w", r.ResponseId, r.LastSubmittedTime, err)
	}
	get := func(f rules.Field) []string {
		a, ok := r.Answers[ids[f]]
		if ids[f] == "" || !ok {
			return nil
		}
		var out []string
		if a.TextAnswers != nil {
			for _, t := range a.TextAnswers.Answers {
				out = append(out, t.Value)
			}
		}
		if a.FileUploadAnswers != nil {
			for _, fu := range a.FileUploadAnswers.Answers {
				out = append(out, "https://drive.google.com/open?id="+fu.FileId)
			}
		}
		return out
	}
	one := func(f rules.Field) string { return strings.Join(get(f), ", ") }
	s.Name = one(rules.FieldNama)
	s.Unit = one(rules.FieldInstansi)
	s.Email = one(rules.FieldEmail)
	if s.Email == "" {
		s.Email = r.RespondentEmail
	}
	s.WhatsApp = one(rules.FieldWhatsApp)
	s.Topic = one(rules.FieldTopik)
	s.Question = strings.Join(get(rules.FieldPertanyaan), "\n")
	for _, v := range get(rules.FieldLampiran) {
		s.Attachments = append(s.Attachments, strings.Fields(v)...)
	}
	return s, nil
}
