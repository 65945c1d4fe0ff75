package fake

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"google.golang.org/api/forms/v1"
)

// The Forms API has no way to answer a form: respondents use the web page.
// The control surface stands in for them, and checks each answer the way
// the responder page would (choices from the options, scale values in
// range, required questions answered), so that the responses a test feeds
// the daemon are ones Google could actually return.

func (s *Server) registerFormsControl() {
	s.control.HandleFunc("POST /_fake/forms", func(w http.ResponseWriter, r *http.Request) {
		var f forms.Form
		if err := decodeControl(r, &f); err != nil {
			writeAny(w, err)
			return
		}
		out, err := s.SeedForm(&f)
		if err != nil {
			writeAny(w, err)
			return
		}
		writeJSON(w, http.StatusOK, out)
	})
	s.control.HandleFunc("POST /_fake/forms/{formId}/responses", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Answers         map[string]*forms.Answer `json:"answers"`
			RespondentEmail string                   `json:"respondentEmail"`
		}
		if err := decodeControl(r, &body); err != nil {
			writeAny(w, err)
			return
		}
		out, err := s.SubmitResponse(r.PathValue("formId"), body.Answers, body.RespondentEmail)
		if err != nil {
			writeAny(w, err)
			return
		}
		writeJSON(w, http.StatusOK, out)
	})
	s.control.HandleFunc("PUT /_fake/forms/{formId}/responses/{responseId}", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Answers map[string]*forms.Answer `json:"answers"`
		}
		if err := decodeControl(r, &body); err != nil {
			writeAny(w, err)
			return
		}
		out, err := s.EditResponse(r.PathValue("formId"), r.PathValue("responseId"), body.Answers)
		if err != nil {
			writeAny(w, err)
			return
		}
		writeJSON(w, http.StatusOK, out)
	})
}

// SubmitResponse answers a form as a respondent would (control surface:
// POST /_fake/forms/{formId}/responses). answers is keyed by questionId.
// The fake stamps responseId, createTime and lastSubmittedTime from the
// server clock. respondentEmail is required exactly when the form collects
// email addresses (settings.emailCollectionType VERIFIED or
// RESPONDER_INPUT) and refused otherwise. Errors are *APIError: 404 for an
// unknown form, 400 for invalid answers or a form not accepting responses.
func (s *Server) SubmitResponse(formID string, answers map[string]*forms.Answer, respondentEmail string) (*forms.FormResponse, error) {
	s.mu.lockKeepingSheets()
	defer s.mu.Unlock()
	st, err := s.lookupForm(formID)
	if err != nil {
		return nil, err
	}
	if !st.acceptingResponses() {
		return nil, formFailedPrecondition("The form %s is not accepting responses.", formID)
	}
	checked, err := checkFormAnswers(st.form, answers)
	if err != nil {
		return nil, err
	}
	switch ect := formEmailCollection(st.form); ect {
	case "VERIFIED", "RESPONDER_INPUT":
		if !strings.Contains(respondentEmail, "@") {
			return nil, invalidArgument("The form collects email addresses (%s): respondentEmail must be a valid email address, got %q.", ect, respondentEmail)
		}
	default:
		if respondentEmail != "" {
			return nil, invalidArgument("The form does not collect email addresses (emailCollectionType %s): respondentEmail must be empty.", ect)
		}
	}
	now := s.now().Truncate(time.Microsecond)
	r := &formResponse{created: now, lastSubmitted: now, email: respondentEmail, answers: checked}
	for r.id == "" || st.responses[r.id] != nil {
		// Response ids are long opaque strings; Google's start "ACYDBN".
		r.id = "ACYDBN" + s.randomID(64, base64URL)
	}
	st.responses[r.id] = r
	return r.toAPI(formID), nil
}

// EditResponse replaces a response's answers as a respondent editing it
// would (control surface: PUT /_fake/forms/{formId}/responses/{responseId}).
// lastSubmittedTime becomes now; createTime and the email stay.
func (s *Server) EditResponse(formID, responseID string, answers map[string]*forms.Answer) (*forms.FormResponse, error) {
	s.mu.lockKeepingSheets()
	defer s.mu.Unlock()
	st, err := s.lookupForm(formID)
	if err != nil {
		return nil, err
	}
	r, ok := st.responses[responseID]
	if !ok {
		return nil, notFound(formNotFoundMessage)
	}
	if !st.acceptingResponses() {
		return nil, formFailedPrecondition("The form %s is not accepting responses.", formID)
	}
	checked, err := checkFormAnswers(st.form, answers)
	if err != nil {
		return nil, err
	}
	r.answers = checked
	r.lastSubmitted = s.now().Truncate(time.Microsecond)
	return r.toAPI(formID), nil
}

// Form returns a copy of a form, as forms.get would.
func (s *Server) Form(formID string) (*forms.Form, bool) {
	s.mu.lockKeepingSheets()
	defer s.mu.Unlock()
	st, ok := s.forms.byID[formID]
	if !ok {
		return nil, false
	}
	return cloneForm(st.form), true
}

// Responses returns copies of a form's responses (with formId set, as
// responses.get returns them) in the order responses.list uses. An unknown
// form has none.
func (s *Server) Responses(formID string) []*forms.FormResponse {
	s.mu.lockKeepingSheets()
	defer s.mu.Unlock()
	st, ok := s.forms.byID[formID]
	if !ok {
		return nil
	}
	ids := make([]string, 0, len(st.responses))
	for id := range st.responses {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	out := make([]*forms.FormResponse, 0, len(ids))
	for _, id := range ids {
		out = append(out, st.responses[id].toAPI(formID))
	}
	return out
}

// SeedForm stores a complete form in one step (control surface: POST
// /_fake/forms), for forms that in reality were built in the Forms UI —
// such as an office's existing intake form, which may hold file upload
// questions the API cannot create. Missing item and question ids are
// generated; a given formId is kept when free. Settings default to
// DO_NOT_COLLECT and publish settings to published and accepting.
func (s *Server) SeedForm(f *forms.Form) (*forms.Form, error) {
	if f == nil {
		return nil, invalidArgument("seed form: form is required")
	}
	s.mu.lockKeepingSheets()
	defer s.mu.Unlock()
	f = cloneForm(f)
	if f.FormId != "" && s.forms.byID[f.FormId] != nil {
		return nil, newError(http.StatusConflict, "seed form: form %s already exists", f.FormId)
	}
	if f.Info == nil {
		f.Info = &forms.Info{}
	}
	if f.Info.DocumentTitle == "" {
		f.Info.DocumentTitle = f.Info.Title
	}
	if f.Settings == nil {
		f.Settings = &forms.FormSettings{}
	}
	if f.Settings.EmailCollectionType == "" || f.Settings.EmailCollectionType == "EMAIL_COLLECTION_TYPE_UNSPECIFIED" {
		f.Settings.EmailCollectionType = "DO_NOT_COLLECT"
	}
	if f.PublishSettings == nil || f.PublishSettings.PublishState == nil {
		f.PublishSettings = &forms.PublishSettings{PublishState: &forms.PublishState{IsPublished: true, IsAcceptingResponses: true}}
	}
	quiz := f.Settings.QuizSettings != nil && f.Settings.QuizSettings.IsQuiz
	tmp := &formState{form: &forms.Form{}, usedIDs: map[string]bool{}}
	taken := map[string]bool{}
	for i, it := range f.Items {
		if it == nil {
			return nil, invalidArgument("seed form: items[%d] is empty", i)
		}
		if err := validateFormItem(it, quiz, true); err != nil {
			return nil, invalidArgument("seed form: items[%d]: %v", i, err)
		}
		if err := s.assignFormIDs(tmp, it, taken); err != nil {
			return nil, invalidArgument("seed form: items[%d]: %v", i, err)
		}
	}
	f.RevisionId = ""
	st := s.storeForm(f)
	st.usedIDs = tmp.usedIDs
	return cloneForm(st.form), nil
}

func formEmailCollection(f *forms.Form) string {
	if f.Settings == nil || f.Settings.EmailCollectionType == "" {
		return "DO_NOT_COLLECT"
	}
	return f.Settings.EmailCollectionType
}

var (
	formTimeAnswerRE = regexp.MustCompile(`^([01]\d|2[0-3]):[0-5]\d$`)
	formDurationRE   = regexp.MustCompile(`^\d{1,3}:[0-5]\d(:[0-5]\d)?$`)
)

// checkFormAnswers validates answers against the form's questions and
// returns them keyed by questionId with questionId filled in.
func checkFormAnswers(f *forms.Form, answers map[string]*forms.Answer) (map[string]forms.Answer, error) {
	type located struct {
		q    *forms.Question
		grid *forms.ChoiceQuestion
	}
	questions := map[string]located{}
	for _, it := range f.Items {
		var grid *forms.ChoiceQuestion
		if it.QuestionGroupItem != nil && it.QuestionGroupItem.Grid != nil {
			grid = it.QuestionGroupItem.Grid.Columns
		}
		for _, q := range formItemQuestions(it) {
			questions[q.QuestionId] = located{q: q, grid: grid}
		}
	}
	out := map[string]forms.Answer{}
	for qid, a := range answers {
		loc, ok := questions[qid]
		if !ok {
			return nil, invalidArgument("Answer for question %q: the form has no such question.", qid)
		}
		if a == nil {
			return nil, invalidArgument("Answer for question %q is empty.", qid)
		}
		if a.QuestionId != "" && a.QuestionId != qid {
			return nil, invalidArgument("Answer keyed %q names question %q.", qid, a.QuestionId)
		}
		if a.Grade != nil {
			return nil, invalidArgument("Answer for question %q: grades are computed by Forms, not submitted.", qid)
		}
		if err := checkFormAnswer(loc.q, loc.grid, a); err != nil {
			return nil, invalidArgument("Answer for question %q: %v", qid, err)
		}
		ans := cloneAnswer(*a)
		ans.QuestionId = qid
		out[qid] = ans
	}
	for qid, loc := range questions {
		if _, ok := out[qid]; !ok && loc.q.Required {
			return nil, invalidArgument("Question %q is required and has no answer.", qid)
		}
	}
	return out, nil
}

func checkFormAnswer(q *forms.Question, grid *forms.ChoiceQuestion, a *forms.Answer) error {
	if q.FileUploadQuestion != nil {
		if a.TextAnswers != nil || a.FileUploadAnswers == nil || len(a.FileUploadAnswers.Answers) == 0 {
			return fmt.Errorf("a file upload question takes fileUploadAnswers only")
		}
		if q.FileUploadQuestion.MaxFiles > 0 && int64(len(a.FileUploadAnswers.Answers)) > q.FileUploadQuestion.MaxFiles {
			return fmt.Errorf("at most %d files are allowed", q.FileUploadQuestion.MaxFiles)
		}
		for _, fa := range a.FileUploadAnswers.Answers {
			if fa == nil || fa.FileId == "" {
				return fmt.Errorf("every file upload answer needs a fileId")
			}
		}
		return nil
	}
	if a.FileUploadAnswers != nil || a.TextAnswers == nil || len(a.TextAnswers.Answers) == 0 {
		return fmt.Errorf("textAnswers with at least one value is required")
	}
	var vals []string
	for _, ta := range a.TextAnswers.Answers {
		if ta == nil || ta.Value == "" {
			return fmt.Errorf("answer values must not be empty")
		}
		vals = append(vals, ta.Value)
	}
	single := func() error {
		if len(vals) != 1 {
			return fmt.Errorf("this question takes exactly one value, got %d", len(vals))
		}
		return nil
	}
	switch {
	case grid != nil:
		return checkChoiceValues(grid, vals)
	case q.ChoiceQuestion != nil:
		return checkChoiceValues(q.ChoiceQuestion, vals)
	case q.TextQuestion != nil:
		return single()
	case q.ScaleQuestion != nil:
		if err := single(); err != nil {
			return err
		}
		n, err := strconv.ParseInt(vals[0], 10, 64)
		if err != nil || n < q.ScaleQuestion.Low || n > q.ScaleQuestion.High {
			return fmt.Errorf("scale value %q is not an integer in %d..%d", vals[0], q.ScaleQuestion.Low, q.ScaleQuestion.High)
		}
	case q.RatingQuestion != nil:
		if err := single(); err != nil {
			return err
		}
		n, err := strconv.ParseInt(vals[0], 10, 64)
		if err != nil || n < 1 || n > q.RatingQuestion.RatingScaleLevel {
			return fmt.Errorf("rating value %q is not an integer in 1..%d", vals[0], q.RatingQuestion.RatingScaleLevel)
		}
	case q.DateQuestion != nil:
		if err := single(); err != nil {
			return err
		}
		layout := "01-02"
		if q.DateQuestion.IncludeYear {
			layout = "2006-01-02"
		}
		if q.DateQuestion.IncludeTime {
			layout += " 15:04"
		}
		if _, err := time.Parse(layout, vals[0]); err != nil {
			return fmt.Errorf("date value %q does not have the form %s", vals[0], layout)
		}
	case q.TimeQuestion != nil:
		if err := single(); err != nil {
			return err
		}
		re := formTimeAnswerRE
		if q.TimeQuestion.Duration {
			re = formDurationRE
		}
		if !re.MatchString(vals[0]) {
			return fmt.Errorf("time value %q is not in HH:MM form", vals[0])
		}
	}
	return nil
}

// checkChoiceValues accepts option values; with an "other" option any
// value is accepted, since the respondent typed it.
func checkChoiceValues(cq *forms.ChoiceQuestion, vals []string) error {
	if cq.Type != "CHECKBOX" && len(vals) != 1 {
		return fmt.Errorf("a %s question takes exactly one value, got %d", cq.Type, len(vals))
	}
	other := false
	opts := map[string]bool{}
	for _, o := range cq.Options {
		if o.IsOther {
			other = true
		}
		opts[o.Value] = true
	}
	seen := map[string]bool{}
	for _, v := range vals {
		if seen[v] {
			return fmt.Errorf("value %q is given twice", v)
		}
		seen[v] = true
		if !opts[v] && !other {
			return fmt.Errorf("value %q is not one of the question's options", v)
		}
	}
	return nil
}
