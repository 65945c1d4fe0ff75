package google

import (
	"context"

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
	f, _, err := buildForm(ctx, svc, r, "form", title,
		"Layanan Konsultasi Online Pengawasan Intern (KOPI Terintegrasi). Isi formulir ini; nomor tiket dan jawaban dikirim ke email Anda.", items)
	if err != nil {
		return nil, err
	}
	return &CreatedForm{ID: f.FormId, ResponderURI: f.ResponderUri}, nil
}
