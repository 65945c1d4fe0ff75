package main

import (
	"context"
	"fmt"
	"io"

	"kopi/google"
)

// The configuration keys `kopi init --create-survey-form` writes.
const (
	keySurveyFormID     = "survey.form_id"
	keySurveyURL        = "survey.url"
	keySurveyQuestionID = "survey.ticket_question_id"
)

// initSurvey creates and publishes the satisfaction survey form when
// asked and the config names none, then records its id, link and
// ticket question id. A config that already names a survey form is
// left alone, and init says so.
func initSurvey(ctx context.Context, out io.Writer, svc *google.Services, s initSetup, save func(key, id string) error) error {
	if !s.createSurvey {
		return nil
	}
	cfg := s.cfg
	if cfg.Survey.FormID != "" {
		fmt.Fprintf(out, msgSurveyExists+"\n", cfg.Survey.FormID)
		return nil
	}
	f, err := google.CreateSurveyForm(ctx, svc.Forms, s.retrier, s.title+" — Survei Kepuasan Masyarakat")
	if err != nil {
		return fmt.Errorf(msgCreateSurvey, err)
	}
	cfg.Survey.FormID, cfg.Survey.URL, cfg.Survey.TicketQuestionID = f.ID, f.ResponderURI, f.TicketQuestionID
	fmt.Fprintf(out, msgSurveyCreated+"\n", f.ID)
	fmt.Fprintf(out, msgSurveyLink+"\n", f.ResponderURI)
	// The link and question id first: a survey form id without them
	// would make the next init skip the form and leave no link.
	for _, kv := range [][2]string{{keySurveyURL, f.ResponderURI}, {keySurveyQuestionID, f.TicketQuestionID}, {keySurveyFormID, f.ID}} {
		if err := save(kv[0], kv[1]); err != nil {
			return err
		}
	}
	return nil
}
