package rules

import (
	"errors"
	"strings"
	"testing"
)

func TestValidateSurveyAndReport(t *testing.T) {
	c := validConfig(t)
	c.Survey = SurveyConfig{URL: "ftp://x", TicketQuestionID: "zz", FollowUpAfter: MustSpan("1d")}
	c.Report.Secretariat = []string{"bukan email"}
	err := c.Validate()
	var ce *ConfigError
	if !errors.As(err, &ce) {
		t.Fatalf("got %v", err)
	}
	keys := map[string]bool{}
	for _, p := range ce.Problems {
		keys[p.Key] = true
	}
	for _, k := range []string{"survey.url", "survey.ticket_question_id", "report.sekretariat[0]"} {
		if !keys[k] {
			t.Errorf("no problem reported for %s: %v", k, err)
		}
	}
	c = validConfig(t)
	c.Survey = SurveyConfig{FollowUpAfter: MustSpan("1d")}
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "survey.follow_up_after") {
		t.Errorf("a follow-up without a link: %v", err)
	}
	c = validConfig(t)
	c.Survey = SurveyConfig{FormID: "f", URL: "https://docs.google.com/forms/d/e/x/viewform", TicketQuestionID: "1a2b3c4d", FollowUpAfter: MustSpan("2d")}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestParseReportSection(t *testing.T) {
	cfg, err := ParseConfig([]byte("report:\n  dasar: Perbup 12/2021\n  sekretariat: [sekretariat@example.go.id]\n  email_akhir_bulan: false\nsurvey:\n  follow_up_after: 2d\n"))
	var ce *ConfigError
	if err != nil && !errors.As(err, &ce) {
		t.Fatal(err)
	}
	if cfg.Report.Text.Basis != "Perbup 12/2021" || cfg.Report.MonthEndEmail || cfg.Survey.FollowUpAfter != MustSpan("2d") {
		t.Fatalf("parsed %+v %+v", cfg.Report, cfg.Survey)
	}
}
