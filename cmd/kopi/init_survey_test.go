package main

import (
	"strings"
	"testing"

	"kopi/rules"
)

func TestInitCreatesSurveyFormOnceAndWritesIDs(t *testing.T) {
	o := newOffice(t)
	r := kopi(t, "init", "--config", o.config, "--create-intake-form", "--create-survey-form")
	if r.err != nil {
		t.Fatalf("init: %v\n%s", r.err, r.stderr)
	}
	formID, link, qid := o.value(t, keySurveyFormID), o.value(t, keySurveyURL), o.value(t, keySurveyQuestionID)
	if formID == "" || !strings.HasPrefix(link, "http") || qid == "" {
		t.Fatalf("survey ids not written:\n%s", o.read(t))
	}
	if _, err := rules.EntryNumber(qid); err != nil {
		t.Errorf("ticket question id %q: %v", qid, err)
	}
	f, ok := o.srv.Form(formID)
	if !ok {
		t.Fatalf("survey form %s is not on the fake", formID)
	}
	if f.Items[0].QuestionItem.Question.QuestionId != qid {
		t.Errorf("ticket question id %s, form's first question %s", qid, f.Items[0].QuestionItem.Question.QuestionId)
	}
	for _, want := range []string{"Formulir Survei Kepuasan Masyarakat dibuat: " + formID, "Tautan publik survei: " + link} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("init output lacks %q:\n%s", want, r.stdout)
		}
	}
	after := o.read(t)
	o.srv.ResetCalls()

	r = kopi(t, "init", "--config", o.config, "--create-intake-form", "--create-survey-form")
	if r.err != nil {
		t.Fatalf("second init: %v", r.err)
	}
	if !strings.Contains(r.stdout, "Formulir survei sudah ada (survey.form_id = "+formID+"); tidak dibuat lagi.") {
		t.Errorf("second init does not say the survey exists:\n%s", r.stdout)
	}
	if again := o.read(t); again != after {
		t.Errorf("second init rewrote the config:\n%s", again)
	}
	if n := o.srv.Calls()["forms.forms.create"]; n != 0 {
		t.Errorf("second init created %d forms", n)
	}
}
