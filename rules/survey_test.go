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
	js := JoinSurveys(rs, cases, AnswerSends{{2026, 1}: at(9)})
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
	sent := AnswerSends{{2026, 1}: at(9)}
	got := NewSurveyRecords(kept, listed, cases, sent)
	if len(got) != 2 || got[0].ResponseID != "b" || got[1].ResponseID != "c" {
		t.Fatalf("new records %+v", got)
	}
	if got[0].Flag != SurveyDuplicate || got[1].Flag != SurveyUnknownTicket {
		t.Errorf("flags %q %q: a second survey across cycles is a duplicate", got[0].Flag, got[1].Flag)
	}
	if got[0].AnchorID != SurveyAnchorBase+5 || got[1].AnchorID != SurveyAnchorBase+6 {
		t.Errorf("anchors %d %d", got[0].AnchorID, got[1].AnchorID)
	}
	if !got[0].AnswerSeen || !got[0].AnswerSentAt.Equal(at(9)) || got[1].AnswerSeen {
		t.Errorf("recorded sends %v %v, %v: a joined survey keeps the first send it was decided on, an unknown ticket none", got[0].AnswerSeen, got[0].AnswerSentAt, got[1].AnswerSeen)
	}
	if NewSurveyRecords(append(kept, got...), listed, cases, sent) != nil {
		t.Error("listing the same responses again must add nothing")
	}
	if c := SurveyCursor(kept); !c.Equal(at(10)) {
		t.Errorf("cursor %v", c)
	}
	if SurveyAnchorBase <= AnchorID(Ticket{9999, 99999}) || SurveyAnchorBase+1_000_000 > 1<<31-1 {
		t.Error("survey anchors must not meet case anchors and must fit int32")
	}
}

// TestSurveyPrecedesAnswer is the one rule the intake and the report
// share: a survey rates the answer only when submitted strictly after
// its first send, to the nanosecond.
func TestSurveyPrecedesAnswer(t *testing.T) {
	sent := time.Date(2026, 11, 2, 8, 0, 1, 0, time.UTC)
	for _, tc := range []struct {
		name          string
		submitted, at time.Time
		precedes      bool
	}{
		{"never sent", sent, time.Time{}, true},
		{"a second before", sent.Add(-time.Second), sent, true},
		{"the same instant: the link comes with the email", sent, sent, true},
		{"a nanosecond after", sent.Add(time.Nanosecond), sent, false},
		{"same minute, after", sent.Add(30 * time.Second), sent, false},
		{"days after", sent.AddDate(0, 0, 3), sent, false},
	} {
		if got := SurveyPrecedesAnswer(tc.submitted, tc.at); got != tc.precedes {
			t.Errorf("%s: precedes = %v, want %v", tc.name, got, tc.precedes)
		}
	}
}

// TestJoinSurveysFirstSend: the join decides on the answer's first send
// as kopi recorded it, not on the row's "Terkirim Pada" (a Kirim Ulang
// overwrites it; it holds minutes only).
func TestJoinSurveysFirstSend(t *testing.T) {
	first := time.Date(2026, 11, 2, 12, 51, 0, 0, time.UTC)
	resent := first.AddDate(0, 0, 1)
	rated := first.Add(94 * time.Minute)
	tk := Ticket{2026, 2}
	rs := []SurveyResponse{{ResponseID: "a", SubmittedAt: rated, TicketText: tk.String()}}
	// The row shows the resend; the journal the first send.
	cases := []Case{{Ticket: tk, SentAt: resent}}
	if j := JoinSurveys(rs, cases, AnswerSends{tk: first}); j[0].Flag != SurveyOK {
		t.Errorf("rated after the first send, resent later: flag %q, want counted", j[0].Flag)
	}
	// Same minute: the survey at 08:00:01, the send at 08:00:01 (the row
	// shows 08:00, which the survey is not before).
	send := time.Date(2026, 11, 2, 8, 0, 1, 0, time.UTC)
	rs = []SurveyResponse{{ResponseID: "b", SubmittedAt: send, TicketText: tk.String()}}
	cases = []Case{{Ticket: tk, SentAt: send.Truncate(time.Minute)}}
	if j := JoinSurveys(rs, cases, AnswerSends{tk: send}); j[0].Flag != SurveyBeforeAnswer {
		t.Errorf("survey at the send's instant: flag %q, want %q", j[0].Flag, SurveyBeforeAnswer)
	}
	if j := JoinSurveys(rs, cases, nil); j[0].Flag != SurveyBeforeAnswer {
		t.Errorf("no send recorded: flag %q, want %q (the row's cell is not a send)", j[0].Flag, SurveyBeforeAnswer)
	}
}

// TestFirstAnswerSends reads the first sent answer of each case off the
// journal: a resend and a pending email do not move it.
func TestFirstAnswerSends(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2026, 11, 2, h, 0, 0, 0, time.UTC) }
	a, b := Ticket{2026, 1}, Ticket{2026, 2}
	out := []*Delivery{
		{Ticket: a, Kind: KindAnswer, State: DeliverySent, At: at(15)},
		{Ticket: a, Kind: KindAnswer, State: DeliverySent, At: at(9)},
		{Ticket: a, Kind: "tanda-terima", State: DeliverySent, At: at(7)},
		{Ticket: b, Kind: KindAnswer, State: DeliveryDrafted, At: at(8)},
	}
	got := FirstAnswerSends(out)
	if len(got) != 1 || !got[a].Equal(at(9)) {
		t.Errorf("first sends %v, want only %s at 09:00", got, a)
	}
}

// TestReportAnswerSends: the report's first sends are the journal's; for
// a case the archive compacted, what the intake recorded with its first
// joined survey (zero too: not sent then); the row's cell only for a
// case with no send in the journal and no survey the intake joined.
func TestReportAnswerSends(t *testing.T) {
	at := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, time.UTC) }
	live, early, late, legacy := Ticket{2026, 1}, Ticket{2026, 2}, Ticket{2026, 3}, Ticket{2026, 4}
	rec := func(tk Ticket, sub time.Time, seen bool, sent time.Time) SurveyRecord {
		return SurveyRecord{SurveyResponse: SurveyResponse{SubmittedAt: sub, TicketText: tk.String()}, AnswerSeen: seen, AnswerSentAt: sent}
	}
	kept := []SurveyRecord{
		rec(live, at(2, 10), true, at(1, 9)),
		// early: rated after its first send (recorded), resent since.
		rec(early, at(2, 14), true, at(2, 12)),
		// late: the first survey came before the answer, a second after.
		rec(late, at(3, 9), true, time.Time{}),
		rec(late, at(4, 9), true, at(3, 12)),
		// legacy: taken in before kopi recorded sends with surveys.
		rec(legacy, at(5, 9), false, time.Time{}),
	}
	cases := []Case{
		{Ticket: live, SentAt: at(1, 9)},  // a resend: the journal wins
		{Ticket: early, SentAt: at(3, 8)}, // archived: the resend, to the minute
		{Ticket: late, SentAt: at(3, 12)},
		{Ticket: legacy, SentAt: at(4, 9)},
	}
	got := ReportAnswerSends(AnswerSends{live: at(1, 8)}, kept, cases)
	want := AnswerSends{live: at(1, 8), early: at(2, 12), legacy: at(4, 9)}
	if len(got) != len(want) {
		t.Errorf("sends %v, want %v", got, want)
	}
	for tk, w := range want {
		if !got[tk].Equal(w) {
			t.Errorf("%s: first send %v, want %v", tk, got[tk], w)
		}
	}
	if !got[late].IsZero() {
		t.Errorf("%s: first send %v, want none: its first survey was taken in before the answer", late, got[late])
	}
}
