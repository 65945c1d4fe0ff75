package rules

import (
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The survey form's non-SKM questions, titled as `kopi init
// --create-survey-form` creates them; responses are decoded by these
// titles.
const (
	SurveyTicketTitle     = "Nomor Tiket Konsultasi"
	SurveyGenderTitle     = "Jenis Kelamin"
	SurveyEducationTitle  = "Pendidikan Terakhir"
	SurveyOccupationTitle = "Pekerjaan"
	SurveySuggestionTitle = "Saran dan Masukan"
)

// The respondent profile's choices, as the regulation's template lists
// them (all optional on the form).
var (
	SurveyGenders     = []string{"Laki-laki", "Perempuan"}
	SurveyEducations  = []string{"SD", "SMP", "SMA/SMK", "D1/D2/D3", "D4/S1", "S2", "S3"}
	SurveyOccupations = []string{"PNS", "TNI", "POLRI", "Swasta", "Wirausaha", "Lainnya"}
)

// SurveyQuestionTitle is the form title of SKM element i (0-based):
// its code and name, so the form reads like the regulation's template.
func SurveyQuestionTitle(i int) string {
	e := SKMElements[i]
	return fmt.Sprintf("%s. %s — %s", e.Code, e.Name, e.Question)
}

// EntryNumber is the prefill parameter number of a Forms API question
// id: the hex questionId read as a number, written in decimal
// (entry.<N> in a prefilled link).
func EntryNumber(questionID string) (uint64, error) {
	id := strings.TrimSpace(questionID)
	n, err := strconv.ParseUint(id, 16, 64)
	if err != nil || id == "" {
		return 0, fmt.Errorf(msgSurveyQuestionID, questionID)
	}
	return n, nil
}

// SurveyLink is the survey link for one ticket: the form's public link
// with the ticket question prefilled (usp=pp_url&entry.N=ticket, the
// ticket query-escaped), so nobody types it. Without a ticket question
// id it is the plain link; without a link, "". Opening it records
// nothing: only submitting the form does.
func SurveyLink(s SurveyConfig, ticket string) string {
	if s.URL == "" {
		return ""
	}
	n, err := EntryNumber(s.TicketQuestionID)
	if err != nil || ticket == "" {
		return s.URL
	}
	u, err := url.Parse(s.URL)
	if err != nil {
		return s.URL
	}
	entry := "entry." + strconv.FormatUint(n, 10)
	q := u.Query()
	q.Del("usp")
	q.Del(entry)
	u.RawQuery = "usp=pp_url&" + entry + "=" + url.QueryEscape(ticket)
	if rest := q.Encode(); rest != "" {
		u.RawQuery += "&" + rest
	}
	return u.String()
}

// SurveyResponse is one survey form response, decoded.
type SurveyResponse struct {
	// ResponseID is the Forms API responseId.
	ResponseID string
	// SubmittedAt is the response's first submission.
	SubmittedAt time.Time
	// LastSubmittedAt is the response's lastSubmittedTime (the cursor).
	LastSubmittedAt time.Time
	// TicketText is the ticket as the respondent left it.
	TicketText string
	// Scores are the nine SKM values (0 = not answered or unknown answer).
	Scores                        SKMScores
	Gender, Education, Occupation string
	Suggestion                    string
}

// DecodeSurvey reads a response's answers, given by question title.
func DecodeSurvey(id string, at time.Time, byTitle map[string]string) SurveyResponse {
	r := SurveyResponse{ResponseID: id, SubmittedAt: at,
		TicketText: strings.TrimSpace(byTitle[SurveyTicketTitle]),
		Gender:     byTitle[SurveyGenderTitle], Education: byTitle[SurveyEducationTitle],
		Occupation: byTitle[SurveyOccupationTitle], Suggestion: strings.TrimSpace(byTitle[SurveySuggestionTitle])}
	for i := range SKMElements {
		r.Scores[i] = SKMScore(i, byTitle[SurveyQuestionTitle(i)])
	}
	return r
}

// SurveyFlag says why a survey response needs a person's look; the
// response is kept and counted either way.
type SurveyFlag string

// The flags of a survey join.
const (
	SurveyOK SurveyFlag = ""
	// SurveyUnknownTicket: no case has the ticket (or it is unreadable).
	SurveyUnknownTicket SurveyFlag = "tiket tidak dikenal"
	// SurveyDuplicate: an earlier survey was already joined to the ticket.
	SurveyDuplicate SurveyFlag = "survei kedua untuk tiket ini"
	// SurveyBeforeAnswer: the survey came before the answer was sent.
	SurveyBeforeAnswer SurveyFlag = "survei sebelum jawaban dikirim"
)

// JoinedSurvey is a survey response joined to its case.
type JoinedSurvey struct {
	SurveyResponse
	// Ticket is the parsed ticket (zero when unreadable).
	Ticket Ticket
	// Case is the joined case, nil when the ticket is unknown.
	Case *Case
	Flag SurveyFlag
}

// SurveyPrecedesAnswer is the one rule for "a survey before the answer",
// used by the intake when it takes a survey in and by the report when
// it joins the surveys again: a survey rates the answer only when it was
// submitted strictly after the answer email first went out (firstSent,
// at full precision, from kopi's own record of the send; zero when none
// went out). The survey link reaches the requester inside the answer
// email, so no survey of that answer can carry the same instant as its
// send: kopi records a send at its cycle's time, read before the email
// leaves, and a survey stamped at that instant was submitted before the
// email was in the Sent folder. A later Kirim Ulang never moves the
// first send, so a rating given before it keeps counting.
func SurveyPrecedesAnswer(submitted, firstSent time.Time) bool {
	return firstSent.IsZero() || !submitted.After(firstSent)
}

// AnswerSends is, per case, when its answer email first went out, at
// full precision, from kopi's own records (the outbox journal, or what
// a survey's record kept of it): never the row's "Terkirim Pada" cell,
// which a Kirim Ulang overwrites and which holds minutes only.
type AnswerSends map[Ticket]time.Time

// FirstAnswerSends reads the first send of each case's answer off the
// outbox journal.
func FirstAnswerSends(outbox []*Delivery) AnswerSends {
	out := AnswerSends{}
	for t, h := range AnswerHistories(outbox) {
		if len(h.Sent) > 0 {
			out[t] = h.Sent[0].At
		}
	}
	return out
}

// ReportAnswerSends is what the report joins the surveys with: the
// journal's first sends (the live cases'); for a case whose journal the
// nightly archive compacted, what the intake recorded with its first
// joined survey (AnswerSeen: the first send as the journal showed it
// then, zero when the answer had not gone out), so the report decides
// as the intake did; and only for a case kopi keeps no record of
// sending and no survey of which the intake joined — an archived case
// rated after the move (the intake saw an unknown ticket), or surveys
// kept before kopi recorded sends with them — the row's "Terkirim
// Pada": the archive moves a case a month or more after it closed with
// no email pending, so no Kirim Ulang overwrites it any more and such a
// survey came days after the send.
func ReportAnswerSends(journal AnswerSends, kept []SurveyRecord, cases []Case) AnswerSends {
	out := make(AnswerSends, len(journal))
	for t, at := range journal {
		out[t] = at
	}
	seen := map[Ticket]bool{}
	for t := range journal {
		seen[t] = true
	}
	rs := slices.Clone(kept)
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].SubmittedAt.Before(rs[j].SubmittedAt) })
	for _, r := range rs {
		if !r.AnswerSeen {
			continue
		}
		t, err := ParseTicket(r.TicketText)
		if err != nil || seen[t] {
			continue
		}
		seen[t] = true
		if !r.AnswerSentAt.IsZero() {
			out[t] = r.AnswerSentAt
		}
	}
	for _, c := range cases {
		if !seen[c.Ticket] && !c.SentAt.IsZero() {
			seen[c.Ticket] = true
			out[c.Ticket] = c.SentAt
		}
	}
	return out
}

// JoinSurveys joins responses to cases by ticket, in submission order:
// the first survey of a sent case is the one counted as the case's;
// unknown tickets, later surveys of the same ticket and surveys before
// the answer (SurveyPrecedesAnswer against sent) are flagged but kept
// (never dropped): they stay in the Survei tab and the report lists
// them, but only unflagged surveys — one per served case — count in the
// index (Counted), so that a ticket cannot be rated twice and a rating
// always follows the service it rates.
func JoinSurveys(responses []SurveyResponse, cases []Case, sent AnswerSends) []JoinedSurvey {
	byTicket := map[Ticket]*Case{}
	for i := range cases {
		byTicket[cases[i].Ticket] = &cases[i]
	}
	seen := map[Ticket]bool{}
	out := make([]JoinedSurvey, 0, len(responses))
	for _, r := range responses {
		j := JoinedSurvey{SurveyResponse: r}
		t, err := ParseTicket(r.TicketText)
		switch c := byTicket[t]; {
		case err != nil || c == nil:
			j.Flag = SurveyUnknownTicket
		case seen[t]:
			j.Ticket, j.Case, j.Flag = t, c, SurveyDuplicate
		case SurveyPrecedesAnswer(r.SubmittedAt, sent[t]):
			j.Ticket, j.Case, j.Flag = t, c, SurveyBeforeAnswer
		default:
			j.Ticket, j.Case = t, c
		}
		if j.Case != nil {
			seen[t] = true
		}
		out = append(out, j)
	}
	return out
}

// Counted reports whether the survey counts in the index.
func (j JoinedSurvey) Counted() bool { return j.Flag == SurveyOK }

// Scored turns a joined survey into what the report groups.
func (j JoinedSurvey) Scored() ScoredSurvey {
	s := ScoredSurvey{Ticket: j.Ticket.String(), At: j.SubmittedAt, Scores: j.Scores}
	if j.Case != nil {
		s.Topic, s.Consultant = j.Case.Topic, j.Case.Consultant
	}
	return s
}

// SurveyRecord is a survey response as the Survei tab keeps it: the
// response, the flag it got when it was taken in, and its row anchor.
type SurveyRecord struct {
	SurveyResponse
	Flag SurveyFlag
	// AnswerSeen is set when the intake joined the survey to a case:
	// AnswerSentAt is then the first send of that case's answer as
	// kopi's journal showed it (zero: not sent yet), kept with the
	// survey so that the report decides as the intake did after the
	// nightly archive compacted the journal.
	AnswerSeen   bool
	AnswerSentAt time.Time
	// AnchorID is the row's developer-metadata id.
	AnchorID int64
}

// SurveyAnchorBase starts the anchor ids of survey rows, far above the
// case anchors (AnchorID(ticket) < 10⁹) and within the API's int32 ids.
const SurveyAnchorBase = 1_000_000_000

// SurveyCursor is the latest lastSubmittedTime among the kept surveys:
// where the next listing starts (zero reads all).
func SurveyCursor(kept []SurveyRecord) time.Time {
	var c time.Time
	for _, r := range kept {
		if r.LastSubmittedAt.After(c) {
			c = r.LastSubmittedAt
		}
	}
	return c
}

// NewSurveyRecords decides which listed responses are new — not kept
// yet, by response id; a response listed twice (overlapping pages, the
// cursor's overlap) is taken once — joins them to the cases with the
// answers' first sends (flags against the kept surveys too, so a second
// survey of a ticket is flagged even across cycles), records with each
// joined survey the first send it was decided on, and numbers their
// anchors after the highest one kept.
func NewSurveyRecords(kept []SurveyRecord, listed []SurveyResponse, cases []Case, sent AnswerSends) []SurveyRecord {
	known := map[string]bool{}
	next := int64(SurveyAnchorBase)
	prior := make([]SurveyResponse, 0, len(kept))
	for _, r := range kept {
		known[r.ResponseID] = true
		next = max(next, r.AnchorID+1)
		prior = append(prior, r.SurveyResponse)
	}
	var fresh []SurveyResponse
	for _, r := range listed {
		if r.ResponseID == "" || known[r.ResponseID] {
			continue
		}
		known[r.ResponseID] = true
		fresh = append(fresh, r)
	}
	if len(fresh) == 0 {
		return nil
	}
	sort.SliceStable(fresh, func(i, j int) bool {
		if !fresh[i].SubmittedAt.Equal(fresh[j].SubmittedAt) {
			return fresh[i].SubmittedAt.Before(fresh[j].SubmittedAt)
		}
		return fresh[i].ResponseID < fresh[j].ResponseID
	})
	joined := JoinSurveys(append(prior, fresh...), cases, sent)[len(prior):]
	out := make([]SurveyRecord, len(joined))
	for i, j := range joined {
		out[i] = SurveyRecord{SurveyResponse: j.SurveyResponse, Flag: j.Flag, AnchorID: next + int64(i)}
		if j.Case != nil {
			out[i].AnswerSeen, out[i].AnswerSentAt = true, sent[j.Ticket]
		}
	}
	return out
}
