package rules

import (
	"fmt"
	"net/url"
)

// validateSurvey checks the survey and report sections.
func (c *Config) validateSurvey(v *validator) {
	s := c.Survey
	if u := s.URL; u != "" {
		if pu, err := url.Parse(u); err != nil || (pu.Scheme != "https" && pu.Scheme != "http") || pu.Host == "" {
			v.add("survey.url", 0, msgURL, u)
		}
	}
	if s.TicketQuestionID != "" {
		if _, err := EntryNumber(s.TicketQuestionID); err != nil {
			v.add("survey.ticket_question_id", 0, msgSurveyQuestionID, s.TicketQuestionID)
		}
	}
	if v.span("survey.follow_up_after", s.FollowUpAfter, false) && !s.FollowUpAfter.IsZero() && s.URL == "" {
		v.add("survey.follow_up_after", 0, msgSurveyFollowUpNoURL)
	}
	for i, a := range c.Report.Secretariat {
		v.email(fmt.Sprintf("report.sekretariat[%d]", i), a, true, "alamat email sekretariat")
	}
}
