package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"google.golang.org/api/forms/v1"

	"kopi/google/fake"
)

// formView is one form as the respondent's page shows it.
type formView struct {
	ID          string
	Title       string
	Description string
	Email       bool // the form collects the respondent's email
	Accepting   bool
	Items       []itemView
	Responses   int
}

// itemView is one item of a form: a question, a grid of questions, or
// text between them.
type itemView struct {
	Title       string
	Description string
	Kind        string // "teks", "paragraf", "pilihan", "kotak", "daftar", "skala", "tanggal", "waktu", "grid", "info", "bagian", "tidak-didukung"
	Questions   []questionView
}

// questionView is one answerable question of an item.
type questionView struct {
	ID        string
	Name      string // form field name
	Label     string // grid row title
	Required  bool
	Options   []string
	Other     bool
	Low, High int64
	LowLabel  string
	HighLabel string
	InputType string // for date and time questions
	NoYear    bool   // a date question without the year: answered as MM-DD
	Multi     bool   // a grid row of checkboxes takes several values
	Paragraph bool
}

// formsPage lists the fake's forms and shows the chosen one.
func (h *Handler) formsPage(w http.ResponseWriter, r *http.Request) {
	flash := ""
	if r.URL.Query().Get("terkirim") != "" {
		flash = msgFormSent
	}
	h.renderForms(w, r, r.URL.Query().Get("id"), flash, "")
}

func (h *Handler) renderForms(w http.ResponseWriter, r *http.Request, chosen, flash, errText string) {
	ids := h.srv.FormIDs()
	type link struct {
		ID, Title string
		Active    bool
	}
	var links []link
	var shown *formView
	for _, id := range ids {
		f, ok := h.srv.Form(id)
		if !ok {
			continue
		}
		if chosen == "" {
			chosen = id
		}
		links = append(links, link{ID: id, Title: formTitle(f), Active: id == chosen})
		if id == chosen {
			shown = viewForm(f)
			shown.Responses = len(h.srv.Responses(id))
		}
	}
	h.render(w, r, "forms", &page{
		Title: "Formulir", Nav: "formulir", Flash: flash, Error: errText,
		Data: struct {
			Forms []link
			Form  *formView
		}{links, shown},
	})
}

func formTitle(f *forms.Form) string {
	if f.Info != nil && f.Info.Title != "" {
		return f.Info.Title
	}
	if f.Info != nil && f.Info.DocumentTitle != "" {
		return f.Info.DocumentTitle
	}
	return msgUntitledForm
}

// viewForm shapes a form's items for the template.
func viewForm(f *forms.Form) *formView {
	v := &formView{ID: f.FormId, Title: formTitle(f), Accepting: true}
	if f.Info != nil {
		v.Description = f.Info.Description
	}
	if f.Settings != nil {
		ect := f.Settings.EmailCollectionType
		v.Email = ect == "VERIFIED" || ect == "RESPONDER_INPUT"
	}
	if f.PublishSettings != nil && f.PublishSettings.PublishState != nil {
		ps := f.PublishSettings.PublishState
		v.Accepting = ps.IsPublished && ps.IsAcceptingResponses
	}
	for _, it := range f.Items {
		if it == nil {
			continue
		}
		iv := itemView{Title: it.Title, Description: it.Description}
		switch {
		case it.QuestionItem != nil && it.QuestionItem.Question != nil:
			q := it.QuestionItem.Question
			qv := questionView{ID: q.QuestionId, Name: "q." + q.QuestionId, Required: q.Required}
			iv.Kind = questionKind(q, &qv)
			iv.Questions = []questionView{qv}
		case it.QuestionGroupItem != nil && it.QuestionGroupItem.Grid != nil && it.QuestionGroupItem.Grid.Columns != nil:
			iv.Kind = "grid"
			cols := it.QuestionGroupItem.Grid.Columns
			for _, q := range it.QuestionGroupItem.Questions {
				qv := questionView{ID: q.QuestionId, Name: "q." + q.QuestionId, Required: q.Required}
				if q.RowQuestion != nil {
					qv.Label = q.RowQuestion.Title
				}
				for _, o := range cols.Options {
					qv.Options = append(qv.Options, o.Value)
				}
				qv.Multi = cols.Type == "CHECKBOX"
				iv.Questions = append(iv.Questions, qv)
			}
		case it.PageBreakItem != nil:
			iv.Kind = "bagian"
		case it.TextItem != nil, it.ImageItem != nil, it.VideoItem != nil:
			iv.Kind = "info"
		default:
			iv.Kind = "tidak-didukung"
		}
		v.Items = append(v.Items, iv)
	}
	return v
}

// questionKind names the input a question needs and fills qv's options.
func questionKind(q *forms.Question, qv *questionView) string {
	switch {
	case q.TextQuestion != nil:
		qv.Paragraph = q.TextQuestion.Paragraph
		if qv.Paragraph {
			return "paragraf"
		}
		return "teks"
	case q.ChoiceQuestion != nil:
		for _, o := range q.ChoiceQuestion.Options {
			if o.IsOther {
				qv.Other = true
				continue
			}
			qv.Options = append(qv.Options, o.Value)
		}
		switch q.ChoiceQuestion.Type {
		case "CHECKBOX":
			return "kotak"
		case "DROP_DOWN":
			return "daftar"
		}
		return "pilihan"
	case q.ScaleQuestion != nil:
		qv.Low, qv.High = q.ScaleQuestion.Low, q.ScaleQuestion.High
		qv.LowLabel, qv.HighLabel = q.ScaleQuestion.LowLabel, q.ScaleQuestion.HighLabel
		for n := qv.Low; n <= qv.High && n-qv.Low < 20; n++ {
			qv.Options = append(qv.Options, strconv.FormatInt(n, 10))
		}
		return "skala"
	case q.RatingQuestion != nil:
		for n := int64(1); n <= q.RatingQuestion.RatingScaleLevel && n <= 20; n++ {
			qv.Options = append(qv.Options, strconv.FormatInt(n, 10))
		}
		return "skala"
	case q.DateQuestion != nil:
		qv.InputType = "date"
		qv.NoYear = !q.DateQuestion.IncludeYear
		if q.DateQuestion.IncludeTime {
			qv.InputType = "datetime-local"
		}
		return "tanggal"
	case q.TimeQuestion != nil:
		if q.TimeQuestion.Duration {
			qv.InputType = "text"
		} else {
			qv.InputType = "time"
		}
		return "waktu"
	}
	return "tidak-didukung"
}

// formSubmit answers a form as a respondent, through the same
// fake.Server.SubmitResponse the control surface uses, so the fake checks
// the answers exactly as it checks a test's.
func (h *Handler) formSubmit(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("formId")
	if err := r.ParseForm(); err != nil {
		h.renderForms(w, r, id, "", msgFormUnreadable+err.Error())
		return
	}
	f, ok := h.srv.Form(id)
	if !ok {
		h.renderForms(w, r, "", "", fmt.Sprintf(msgNoForm, id))
		return
	}
	answers := formAnswers(f, r.PostForm)
	resp, err := h.srv.SubmitResponse(id, answers, strings.TrimSpace(r.PostForm.Get("email")))
	if err != nil {
		msg := err.Error()
		var ae *fake.APIError
		if errors.As(err, &ae) {
			msg = ae.Message
		}
		h.renderForms(w, r, id, "", msgFormRefused+msg+msgFormRefusedFix)
		return
	}
	http.Redirect(w, r, "/formulir?id="+url.QueryEscape(id)+"&terkirim="+url.QueryEscape(resp.ResponseId), http.StatusSeeOther)
}

// otherValue is the value of the "Lainnya" choice; the typed text is in
// the field named after the question with ".lainnya".
const otherValue = "__lainnya__"

// formAnswers turns the posted fields into Forms answers keyed by
// question id: empty fields are unanswered; an "other" choice takes the
// typed text; dates and times take the Forms answer layout.
func formAnswers(f *forms.Form, posted url.Values) map[string]*forms.Answer {
	out := map[string]*forms.Answer{}
	v := viewForm(f)
	for _, it := range v.Items {
		for _, q := range it.Questions {
			var vals []string
			for _, s := range posted[q.Name] {
				if s == otherValue {
					s = posted.Get(q.Name + ".lainnya")
				}
				s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
				if s == "" {
					continue
				}
				if q.InputType == "datetime-local" {
					s = strings.Replace(s, "T", " ", 1)
				}
				if q.NoYear && len(s) >= len("2006-01-02") && s[4] == '-' {
					s = s[5:]
				}
				vals = append(vals, s)
			}
			if len(vals) == 0 {
				continue
			}
			a := &forms.Answer{TextAnswers: &forms.TextAnswers{}}
			for _, s := range vals {
				a.TextAnswers.Answers = append(a.TextAnswers.Answers, &forms.TextAnswer{Value: s})
			}
			out[q.ID] = a
		}
	}
	return out
}
