package sync_test

import (
	"strings"
	"testing"
	"time"

	"google.golang.org/api/forms/v1"

	"kopi/google"
	"kopi/rules"
)

// withSurvey creates the survey form on the fake and names it in the
// config, as `kopi init --create-survey-form` does.
func withSurvey(e *env) {
	e.t.Helper()
	svc, err := google.NewServices(e.ctx, google.Options{Endpoint: e.srv.URL(), HTTPClient: e.srv.HTTPClient()})
	if err != nil {
		e.t.Fatal(err)
	}
	f, err := google.CreateSurveyForm(e.ctx, svc.Forms, &google.Retrier{Clock: e.clock}, "Survei KOPI")
	if err != nil {
		e.t.Fatal(err)
	}
	e.cfg.Survey = rules.SurveyConfig{FormID: f.ID, URL: f.ResponderURI, TicketQuestionID: f.TicketQuestionID}
	e.srv.ResetCalls()
}

// rate submits a survey naming ticket with every element at v.
func rate(e *env, ticket string, v int, suggestion string) string {
	e.t.Helper()
	r, err := e.srv.SubmitResponse(e.cfg.Survey.FormID, surveyAnswers(e, ticket, v, suggestion), "")
	if err != nil {
		e.t.Fatalf("submit survey: %v", err)
	}
	return r.ResponseId
}

// surveyAnswers are a survey's answers naming ticket with every element
// at v.
func surveyAnswers(e *env, ticket string, v int, suggestion string) map[string]*forms.Answer {
	e.t.Helper()
	f, ok := e.srv.Form(e.cfg.Survey.FormID)
	if !ok {
		e.t.Fatal("no survey form")
	}
	text := func(s string) *forms.Answer {
		return &forms.Answer{TextAnswers: &forms.TextAnswers{Answers: []*forms.TextAnswer{{Value: s}}}}
	}
	ans := map[string]*forms.Answer{}
	for _, it := range f.Items {
		q := it.QuestionItem.Question
		switch {
		case it.Title == rules.SurveyTicketTitle:
			ans[q.QuestionId] = text(ticket)
		case it.Title == rules.SurveySuggestionTitle && suggestion != "":
			ans[q.QuestionId] = text(suggestion)
		case q.ChoiceQuestion != nil && q.Required:
			ans[q.QuestionId] = text(q.ChoiceQuestion.Options[v-1].Value)
		}
	}
	return ans
}

// surveyRows returns the Survei tab's data rows keyed by response id.
func surveyRows(e *env) map[string]map[string]string {
	e.t.Helper()
	v, err := e.srv.SpreadsheetValues(e.sheetID, "Survei")
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[string]map[string]string{}
	for _, r := range v[1:] {
		row := map[string]string{}
		for i, h := range v[0] {
			if i < len(r) {
				row[h] = r[i]
			}
		}
		if id := row["ID Respons"]; id != "" {
			if out[id] != nil {
				e.t.Fatalf("response %s has two rows in Survei", id)
			}
			out[id] = row
		}
	}
	return out
}

// sendAnswer takes a submission through to the sent answer.
func sendAnswer(e *env, ticket string) {
	e.t.Helper()
	answerRow(e, ticket, answerText, rules.StatusDisetujui)
	e.cycle()
	e.clock.Advance(time.Minute)
	e.cycle()
}

func TestSurveyJoinsAndFlagsNoneLost(t *testing.T) {
	t.Parallel()
	e := setup(t)
	withSurvey(e)
	e.submit(complete("ani", e.cfg.TopicNames()[0]))
	e.submit(complete("budi", e.cfg.TopicNames()[1]))
	e.cycle()
	e.clock.Advance(time.Hour)
	sendAnswer(e, "KOPI-2026-0001")

	ok := rate(e, "KOPI-2026-0001", 4, "Sangat membantu")
	e.clock.Advance(time.Minute)
	dup := rate(e, "kopi-2026-0001", 3, "")
	early := rate(e, "KOPI-2026-0002", 2, "")
	unknown := rate(e, "KOPI-2026-0999", 1, "=IMPORTDATA(\"x\")")
	e.clock.Advance(time.Minute)
	rep := e.cycle()
	if rep.Surveys != 4 {
		t.Fatalf("surveys taken %d, want 4", rep.Surveys)
	}
	rows := surveyRows(e)
	want := map[string]rules.SurveyFlag{ok: rules.SurveyOK, dup: rules.SurveyDuplicate, early: rules.SurveyBeforeAnswer, unknown: rules.SurveyUnknownTicket}
	for id, flag := range want {
		r := rows[id]
		if r == nil {
			t.Fatalf("response %s lost", id)
		}
		if r["Catatan"] != string(flag) {
			t.Errorf("response %s flag %q, want %q", id, r["Catatan"], flag)
		}
	}
	if rows[ok]["U1 Persyaratan"] != "4" || rows[ok]["Saran dan Masukan"] != "Sangat membantu" {
		t.Errorf("row %v", rows[ok])
	}
	if got := rows[unknown]["Saran dan Masukan"]; got != "=IMPORTDATA(\"x\")" {
		t.Errorf("suggestion %q must stay text", got)
	}
	// Later cycles take nothing again.
	e.clock.Advance(time.Minute)
	e.cycle()
	e.clock.Advance(time.Minute)
	if rep := e.cycle(); rep.Surveys != 0 {
		t.Fatalf("a second cycle took %d surveys", rep.Surveys)
	}
	if n := len(surveyRows(e)); n != 4 {
		t.Fatalf("rows %d after more cycles, want 4", n)
	}
	if strings.Contains(e.logs.String(), "Sangat membantu") {
		t.Error("a suggestion reached the logs")
	}
}
