package google

import (
	"context"
	"fmt"

	"google.golang.org/api/forms/v1"

	"kopi/rules"
)

// IntakeEmailCollection is the intake form's emailCollectionType: the
// form collects no email of its own (no sign-in; kopi's own question
// asks for the address).
const IntakeEmailCollection = "DO_NOT_COLLECT"

// CreatedForm is a form kopi created.
type CreatedForm struct {
	ID           string
	ResponderURI string
}

// CreateIntakeForm creates the KOPI intake form with the SOP's fields —
// name, unit, email, WhatsApp number, topic (a choice of the configured
// topics), question and an optional document link — titled as the
// config's question titles, sets it to collect no email (no sign-in) and
// publishes it: forms the API creates after 30 June 2026 start
// unpublished. forms.create accepts only a title, so the questions and
// settings are added with one batchUpdate.
func CreateIntakeForm(ctx context.Context, svc *forms.Service, r *Retrier, cfg *rules.Config, title string) (*CreatedForm, error) {
	if r == nil {
		r = &Retrier{}
	}
	f, err := DoValue(ctx, r, NonIdempotent("forms.forms.create"), func(ctx context.Context) (*forms.Form, error) {
		return svc.Forms.Create(&forms.Form{Info: &forms.Info{Title: title, DocumentTitle: title}}).Context(ctx).Do()
	})
	if err != nil {
		return nil, fmt.Errorf("create form: %w", err)
	}
	q := cfg.Intake.Questions
	text := func(title string, required, paragraph bool) *forms.Item {
		return &forms.Item{Title: title, QuestionItem: &forms.QuestionItem{Question: &forms.Question{
			Required: required, TextQuestion: &forms.TextQuestion{Paragraph: paragraph},
		}}}
	}
	var options []*forms.Option
	for _, t := range cfg.Topics {
		options = append(options, &forms.Option{Value: t.Name})
	}
	items := []*forms.Item{
		text(q.Nama, true, false),
		text(q.Instansi, true, false),
		text(q.Email, true, false),
		text(q.WhatsApp, true, false),
		{Title: q.Topik, QuestionItem: &forms.QuestionItem{Question: &forms.Question{
			Required: true, ChoiceQuestion: &forms.ChoiceQuestion{Type: "RADIO", Options: options},
		}}},
		text(q.Pertanyaan, true, true),
	}
	if q.Lampiran != "" {
		link := text(q.Lampiran, false, false)
		link.Description = "Tautan Google Drive atau tautan lain ke dokumen pendukung (opsional)."
		items = append(items, link)
	}
	reqs := []*forms.Request{{UpdateFormInfo: &forms.UpdateFormInfoRequest{
		Info: &forms.Info{
			Title:       title,
			Description: "Layanan Konsultasi Online Pengawasan Intern (KOPI Terintegrasi). Isi formulir ini; nomor tiket dan jawaban dikirim ke email Anda.",
		},
		UpdateMask: "description",
	}}}
	// The public must not be asked to sign in: a form a Workspace account
	// creates collects *verified* emails by default, which requires a
	// Google account. kopi asks the email as a question of its own, so
	// the form collects none (DO_NOT_COLLECT; RESPONDER_INPUT would add a
	// second email field to the form).
	reqs = append(reqs, &forms.Request{UpdateSettings: &forms.UpdateSettingsRequest{
		Settings:   &forms.FormSettings{EmailCollectionType: IntakeEmailCollection},
		UpdateMask: "emailCollectionType",
	}})
	for i, it := range items {
		reqs = append(reqs, &forms.Request{CreateItem: &forms.CreateItemRequest{
			Item: it, Location: &forms.Location{Index: int64(i), ForceSendFields: []string{"Index"}},
		}})
	}
	_, err = DoValue(ctx, r, NonIdempotent("forms.forms.batchUpdate"), func(ctx context.Context) (*forms.BatchUpdateFormResponse, error) {
		return svc.Forms.BatchUpdate(f.FormId, &forms.BatchUpdateFormRequest{Requests: reqs}).Context(ctx).Do()
	})
	if err != nil {
		return nil, fmt.Errorf("add questions to form %s: %w", f.FormId, err)
	}
	_, err = DoValue(ctx, r, Idempotent("forms.forms.setPublishSettings"), func(ctx context.Context) (*forms.SetPublishSettingsResponse, error) {
		return svc.Forms.SetPublishSettings(f.FormId, &forms.SetPublishSettingsRequest{
			PublishSettings: &forms.PublishSettings{PublishState: &forms.PublishState{IsPublished: true, IsAcceptingResponses: true}},
			UpdateMask:      "publishState",
		}).Context(ctx).Do()
	})
	if err != nil {
		return nil, fmt.Errorf("publish form %s: %w", f.FormId, err)
	}
	return &CreatedForm{ID: f.FormId, ResponderURI: f.ResponderUri}, nil
}
