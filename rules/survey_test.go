package rules

import (
	"fmt"
	"net/url"
	"testing"
	"time"
)

func TestEntryNumberRoundTrip(t *testing.T) {
	for _, id := range []string{"00000001", "1a2b3c4d", "7fffffff", "ffffffff", "0abc1234"} {
		n, err := EntryNumber(id)
		if err != nil {
			t.Fatal(err)
		}
		if back := fmt.Sprintf("%0*x", len(id), n); back != id {
			t.Errorf("%s → %d → %s", id, n, back)
		}
	}
	if n, _ := EntryNumber("1a2b3c4d"); n != 439041101 {
		t.Errorf("1a2b3c4d = %d, want 439041101", n)
	}
	for _, bad := range []string{"", "xyz", "12 34", "-1"} {
		if _, err := EntryNumber(bad); err == nil {
			t.Errorf("EntryNumber(%q) accepted", bad)
		}
	}
}

func TestSurveyLink(t *testing.T) {
	s := SurveyConfig{URL: "https://docs.google.com/forms/d/e/1FAIpQL/viewform", TicketQuestionID: "1a2b3c4d"}
	got := SurveyLink(s, "KOPI-2026-0042")
	if got != "https://docs.google.com/forms/d/e/1FAIpQL/viewform?usp=pp_url&entry.439041101=KOPI-2026-0042" {
		t.Fatalf("link %s", got)
	}
	// A ticket that needs escaping (a hand-typed one) stays one value.
	got = SurveyLink(s, "A&B=C #1")
	u, err := url.Parse(got)
	if err != nil || u.Query().Get("entry.439041101") != "A&B=C #1" || u.Query().Get("usp") != "pp_url" || u.Fragment != "" {
		t.Fatalf("escaped link %s → %v", got, u.Query())
	}
	// Parameters the configured link carried are kept; a stale usp is replaced.
	s.URL = "https://docs.google.com/forms/d/e/1FAIpQL/viewform?usp=sf_link&hl=id"
	if got := SurveyLink(s, "KOPI-2026-0001"); got != "https://docs.google.com/forms/d/e/1FAIpQL/viewform?usp=pp_url&entry.439041101=KOPI-2026-0001&hl=id" {
		t.Fatalf("link with params %s", got)
	}
	if got := SurveyLink(SurveyConfig{URL: "https://x.example/f"}, "KOPI-2026-0001"); got != "https://x.example/f" {
		t.Errorf("without question id: %s", got)
	}
	if SurveyLink(SurveyConfig{}, "KOPI-2026-0001") != "" {
		t.Error("without a survey there is no link")
	}
}

func TestDecodeSurvey(t *testing.T) {
	ans := map[string]string{SurveyTicketTitle: " kopi-2026-0001 ", SurveySuggestionTitle: "Lebih cepat"}
	for i, e := range SKMElements {
		ans[SurveyQuestionTitle(i)] = e.Choices[i%4]
	}
	r := DecodeSurvey("r1", time.Time{}, ans)
	if r.TicketText != "kopi-2026-0001" || r.Suggestion != "Lebih cepat" {
		t.Errorf("decoded %+v", r)
	}
	for i := range SKMElements {
		if r.Scores[i] != i%4+1 {
			t.Errorf("U%d = %d, want %d", i+1, r.Scores[i], i%4+1)
		}
	}
}

func TestJoinSurveys(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2026, 11, 2, h, 0, 0, 0, time.UTC) }
	cases := []Case{
		{Ticket: Ticket{2026, 1}, SentAt: at(9), Consultant: "Budi", Submission: Submission{Topic: TopicAudit}},
		{Ticket: Ticket{2026, 2}}, // not answered yet
	}
	rs := []SurveyResponse{
		{ResponseID: "a", SubmittedAt: at(10), TicketText: "KOPI-2026-0001"},
		{ResponseID: "b", SubmittedAt: at(11), TicketText: "KOPI-2026-0001"},
		{ResponseID: "c", SubmittedAt: at(11), TicketText: "KOPI-2026-0002"},
		{ResponseID: "d", SubmittedAt: at(11), TicketText: "KOPI-2026-0099"},
		{ResponseID: "e", SubmittedAt: at(11), TicketText: "tidak tahu"},
	}
	js := JoinSurveys(rs, cases)
	want := []SurveyFlag{SurveyOK, SurveyDuplicate, SurveyBeforeAnswer, SurveyUnknownTicket, SurveyUnknownTicket}
	if len(js) != len(rs) {
		t.Fatalf("%d joined of %d: none may be dropped", len(js), len(rs))
	}
	for i, j := range js {
		if j.ResponseID != rs[i].ResponseID || j.Flag != want[i] {
			t.Errorf("%s: flag %q, want %q", j.ResponseID, j.Flag, want[i])
		}
		if j.Counted() != (want[i] == SurveyOK) {
			t.Errorf("%s: counted %v", j.ResponseID, j.Counted())
		}
	}
	if s := js[0].Scored(); s.Topic != TopicAudit || s.Consultant != "Budi" || s.Ticket != "KOPI-2026-0001" {
		t.Errorf("scored %+v", s)
	}
}

func TestNewSurveyRecords(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2026, 11, 2, h, 0, 0, 0, time.UTC) }
	cases := []Case{{Ticket: Ticket{2026, 1}, SentAt: at(9)}}
	kept := []SurveyRecord{{SurveyResponse: SurveyResponse{ResponseID: "a", SubmittedAt: at(10), LastSubmittedAt: at(10), TicketText: "KOPI-2026-0001"}, AnchorID: SurveyAnchorBase + 4}}
	listed := []SurveyResponse{
		{ResponseID: "a", SubmittedAt: at(10), TicketText: "KOPI-2026-0001"},
		{ResponseID: "c", SubmittedAt: at(12), TicketText: "KOPI-2026-0009"},
		{ResponseID: "b", SubmittedAt: at(11), TicketText: "KOPI-2026-0001"},
		{ResponseID: "c", SubmittedAt: at(12), TicketText: "KOPI-2026-0009"},
	}
	got := NewSurveyRecords(kept, listed, cases)
	if len(got) != 2 || got[0].ResponseID != "b" || got[1].ResponseID != "c" {
		t.Fatalf("new records %+v", got)
	}
	if got[0].Flag != SurveyDuplicate || got[1].Flag != SurveyUnknownTicket {
		t.Errorf("flags %q %q: a second survey across cycles is a duplicate", got[0].Flag, got[1].Flag)
	}
	if got[0].AnchorID != SurveyAnchorBase+5 || got[1].AnchorID != SurveyAnchorBase+6 {
		t.Errorf("anchors %d %d", got[0].AnchorID, got[1].AnchorID)
	}
	if NewSurveyRecords(append(kept, got...), listed, cases) != nil {
		t.Error("listing the same responses again must add nothing")
	}
	if c := SurveyCursor(kept); !c.Equal(at(10)) {
		t.Errorf("cursor %v", c)
	}
	if SurveyAnchorBase <= AnchorID(Ticket{9999, 99999}) || SurveyAnchorBase+1_000_000 > 1<<31-1 {
		t.Error("survey anchors must not meet case anchors and must fit int32")
	}
}
