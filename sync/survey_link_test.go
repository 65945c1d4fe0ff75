package sync_test

import (
	"strings"
	"testing"
	"time"

	"kopi/rules"
)

// TestAnswerCarriesPrefilledSurveyLink: the answer email's survey link
// names the ticket (usp=pp_url&entry.<decimal question id>=ticket), so
// the requester never types it.
func TestAnswerCarriesPrefilledSurveyLink(t *testing.T) {
	e := setup(t)
	e.cfg.Survey = rules.SurveyConfig{FormID: "skm", URL: "https://docs.google.com/forms/d/e/1FAIpQLskm/viewform", TicketQuestionID: "1a2b3c4d"}
	e.submit(complete("ani", e.cfg.TopicNames()[0]))
	e.cycle()
	e.clock.Advance(time.Hour)
	answerRow(e, "KOPI-2026-0001", answerText, rules.StatusDisetujui)
	e.cycle()
	answers := sentTo(e, "Re: ")
	if len(answers) != 1 {
		t.Fatalf("answers sent = %d", len(answers))
	}
	want := "https://docs.google.com/forms/d/e/1FAIpQLskm/viewform?usp=pp_url&entry.439041101=KOPI-2026-0001"
	if !strings.Contains(answers[0].Text, want) {
		t.Fatalf("answer lacks the prefilled link %s:\n%s", want, answers[0].Text)
	}
}
