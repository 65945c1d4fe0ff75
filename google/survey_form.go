package google

import (
	"context"
	"fmt"

	"google.golang.org/api/forms/v1"

	"kopi/rules"
)

// CreatedSurveyForm is the satisfaction survey form kopi created.
type CreatedSurveyForm struct {
	ID           string
	ResponderURI string
	// TicketQuestionID is the ticket question's id, for prefilled links.
	TicketQuestionID string
}

// CreateSurveyForm creates the satisfaction survey (SKM, PermenPANRB
// 14/2017) and publishes it: the ticket number (prefilled by the link in
// the answer email), the nine elements in the regulation's order as 1–4
// choices, the optional respondent profile (gender, education,
// occupation) and a free-text suggestion. Like the intake form:
// forms.create with the title only, one batchUpdate for the items, then
// setPublishSettings. The ticket question's id comes from the
// batchUpdate's reply (createItem returns the new item's question ids).
func CreateSurveyForm(ctx context.Context, svc *forms.Service, r *Retrier, title string) (*CreatedSurveyForm, error) {
	choice := func(title, desc string, required bool, values []string) *forms.Item {
		var opts []*forms.Option
		for _, v := range values {
			opts = append(opts, &forms.Option{Value: v})
		}
		return &forms.Item{Title: title, Description: desc, QuestionItem: &forms.QuestionItem{Question: &forms.Question{
			Required: required, ChoiceQuestion: &forms.ChoiceQuestion{Type: "RADIO", Options: opts},
		}}}
	}
	items := []*forms.Item{{
		Title:       rules.SurveyTicketTitle,
		Description: "Terisi otomatis dari tautan di email jawaban; bila kosong, salin dari email tanda terima (mis. KOPI-2026-0042).",
		QuestionItem: &forms.QuestionItem{Question: &forms.Question{
			Required: true, TextQuestion: &forms.TextQuestion{},
		}},
	}}
	for i, e := range rules.SKMElements {
		items = append(items, choice(rules.SurveyQuestionTitle(i), "", true, e.Choices[:]))
	}
	items = append(items,
		choice(rules.SurveyGenderTitle, "Opsional.", false, rules.SurveyGenders),
		choice(rules.SurveyEducationTitle, "Opsional.", false, rules.SurveyEducations),
		choice(rules.SurveyOccupationTitle, "Opsional.", false, rules.SurveyOccupations),
		&forms.Item{Title: rules.SurveySuggestionTitle, Description: "Opsional: kendala yang Anda alami dan saran perbaikan layanan.",
			QuestionItem: &forms.QuestionItem{Question: &forms.Question{TextQuestion: &forms.TextQuestion{Paragraph: true}}}},
	)
	f, res, err := buildForm(ctx, svc, r, "survey form", title, "Survei Kepuasan Masyarakat (PermenPANRB No. 14 Tahun 2017) atas layanan Konsultasi Online "+
		"Pengawasan Intern (KOPI Terintegrasi). Pilih satu jawaban untuk setiap unsur; identitas Anda tidak ditanyakan.", items)
	if err != nil {
		return nil, err
	}
	// Replies map 1:1 to requests: the ticket question is the first item.
	var ticketQ string
	if rep := res.Replies; len(rep) > firstItemReply && rep[firstItemReply].CreateItem != nil && len(rep[firstItemReply].CreateItem.QuestionId) == 1 {
		ticketQ = rep[firstItemReply].CreateItem.QuestionId[0]
	}
	if _, err := rules.EntryNumber(ticketQ); err != nil {
		return nil, fmt.Errorf("survey form %s: the ticket question's id %q is not a hex id: %w", f.FormId, ticketQ, err)
	}
	return &CreatedSurveyForm{ID: f.FormId, ResponderURI: f.ResponderUri, TicketQuestionID: ticketQ}, nil
}
