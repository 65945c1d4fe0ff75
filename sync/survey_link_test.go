package sync_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"kopi/rules"
)

// TestAnswerCarriesPrefilledSurveyLink: the answer email's survey link
// names the ticket (usp=pp_url&entry.<decimal question id>=ticket), so
// the requester never types it.
func TestAnswerCarriesPrefilledSurveyLink(t *testing.T) {
	t.Parallel()
	e := setup(t)
	withSurvey(e)
	e.cfg.Survey.URL = "https://docs.google.com/forms/d/e/1FAIpQLskm/viewform"
	n, err := strconv.ParseUint(e.cfg.Survey.TicketQuestionID, 16, 64)
	if err != nil {
		t.Fatal(err)
	}
	e.submit(complete("ani", e.cfg.TopicNames()[0]))
	e.cycle()
	e.clock.Advance(time.Hour)
	answerRow(e, "KOPI-2026-0001", answerText, rules.StatusDisetujui)
	e.cycle()
	answers := sentTo(e, "Re: ")
	if len(answers) != 1 {
		t.Fatalf("answers sent = %d", len(answers))
	}
	want := fmt.Sprintf("https://docs.google.com/forms/d/e/1FAIpQLskm/viewform?usp=pp_url&entry.%d=KOPI-2026-0001", n)
	if !strings.Contains(answers[0].Text, want) {
		t.Fatalf("answer lacks the prefilled link %s:\n%s", want, answers[0].Text)
	}
}
