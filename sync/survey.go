package sync

import (
	"context"
	"fmt"
	"time"

	"kopi/rules"
)

// SurveyForm reads the satisfaction survey's responses.
type SurveyForm interface {
	// SurveyResponses streams responses submitted or edited since the
	// cursor (the zero time reads all); order is not trusted.
	SurveyResponses(ctx context.Context, since time.Time, fn func(rules.SurveyResponse) error) error
}

// SurveyLog keeps survey responses in the tracker's Survei tab.
type SurveyLog interface {
	// AppendSurveys writes new survey rows in one atomic write.
	AppendSurveys(ctx context.Context, recs []rules.SurveyRecord) error
}

// listSurveys lists the survey responses submitted since the Survei
// tab's cursor (the latest lastSubmittedTime it keeps, or the archived
// surveys' when later). It runs before the cycle decides, so that a
// survey reminder is neither queued nor sent to a requester whose survey
// is already listed (surveyed); takeSurveys writes them after the
// deliveries. Surveys the nightly archive took from the tab are known by
// the survey horizon the state tab keeps (rules.PlanSurveyArchive): an
// edit of one, listed again, is not a new survey. An idle cycle costs
// one forms.responses.list.
func (e *Engine) listSurveys(ctx context.Context, snap *rules.Snapshot) ([]rules.SurveyResponse, error) {
	if e.o.Survey == nil || e.o.Surveys == nil {
		return nil, nil
	}
	var listed []rules.SurveyResponse
	// Archived surveys left the tab: the listing continues after them,
	// and an edit of one (listed again) is not a new survey.
	archive := snap.State.Archive
	err := e.o.Survey.SurveyResponses(ctx, archive.SurveyListFrom(snap.Surveys), func(r rules.SurveyResponse) error {
		if !archive.SurveyArchived(r) {
			listed = append(listed, r)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list survey responses: %w", err)
	}
	return listed, nil
}

// takeSurveys takes in the listed survey responses, exactly once: the
// Survei tab read with the tracker is the ledger (response ids) and the
// cursor; new responses are joined to their cases and written in one
// atomic batchUpdate. A crash before that write lists them again; one
// after it finds them in the tab. Unknown tickets, second surveys and
// surveys before the answer are written with their flag, never dropped.
// "Before the answer" is decided on the first send of the case's answer
// in the outbox journal as this cycle's deliveries left it (outbox), and
// that time is written with the survey, so the report decides the same
// after a Kirim Ulang or the nightly archive.
func (e *Engine) takeSurveys(ctx context.Context, snap *rules.Snapshot, listed []rules.SurveyResponse, outbox []*rules.Delivery, rep *Report) error {
	if len(listed) == 0 {
		return nil
	}
	cases := make([]rules.Case, len(snap.Cases))
	for i, c := range snap.Cases {
		cases[i] = c.Case
	}
	recs := rules.NewSurveyRecords(snap.Surveys, listed, cases, rules.FirstAnswerSends(outbox))
	if len(recs) == 0 {
		return nil
	}
	if err := e.o.Surveys.AppendSurveys(ctx, recs); err != nil {
		return fmt.Errorf("write surveys: %w", err)
	}
	rep.Surveys = len(recs)
	for _, r := range recs {
		if r.Flag != rules.SurveyOK {
			e.log.Warn("survei ditandai", "tiket", ticketOrDash(r.TicketText), "catatan", string(r.Flag))
		} else {
			e.log.Info("survei diterima", "tiket", ticketOrDash(r.TicketText))
		}
	}
	return nil
}

// ticketOrDash logs a survey's ticket only when it is a ticket number:
// a respondent may type anything in that field.
func ticketOrDash(s string) string {
	if t, err := rules.ParseTicket(s); err == nil {
		return t.String()
	}
	return "-"
}
