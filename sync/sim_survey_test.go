package sync_test

import (
	"fmt"
	"math/big"
	"strings"
	"time"

	"google.golang.org/api/forms/v1"

	"kopi/rules"
)

// The satisfaction survey in the simulation: requesters answer the
// Survei Kepuasan Masyarakat naming their ticket (as the link in the
// answer email fills it, typed by hand in lower case, or a ticket that
// does not exist), before or after their answer went out, once or twice.
// At the end every survey response must have exactly one row in the
// Survei tab, and the IKM the Laporan tab shows must equal the one
// computed here from PermenPANRB 14/2017 (/work/shared/data/
// skm-permenpanrb-14-2017.md) over what the respondents typed — never
// through rules.ComputeIKM or the join kopi uses.

// simSurvey is one survey response as the respondent gave it.
type simSurvey struct {
	id     string
	ticket string // the case meant ("" for a ticket that names no case)
	typed  string // what the ticket field holds
	scores [rules.SKMElementCount]int
	// answered: the case's answer email was in the Sent folder when the
	// respondent submitted.
	answered bool
}

// simScores are a respondent's nine values from v: mostly 3s and 4s, as
// real surveys go, with some 1s and 2s, so that every grade occurs.
func simScores(v int) [rules.SKMElementCount]int {
	var s [rules.SKMElementCount]int
	low := v%5 == 0
	for i := range s {
		x := (v >> (2 * i)) & 3
		if !low && x < 2 {
			x += 2
		}
		s[i] = x + 1
	}
	return s
}

// survey is a requester answering the survey: A picks the case among the
// tickets the tabs show (live and archived), B the values, C how the
// ticket is typed (0–3: as the link fills it; 4: lower case with spaces;
// 5: a ticket no case has).
func (r *simRun) survey(a simAction) error {
	e := r.e
	var tickets []string
	for _, title := range []string{"Konsultasi", rules.ArchiveTitle(2026)} {
		rows, err := e.srv.SpreadsheetValues(e.sheetID, title)
		if err != nil {
			continue // no archive yet
		}
		for _, i := range caseRows(rows) {
			tickets = append(tickets, cell(rows, i, "No. Tiket"))
		}
	}
	s := simSurvey{scores: simScores(a.B)}
	switch {
	case a.C%6 == 5 || len(tickets) == 0:
		s.typed = []string{"KOPI-2026-9999", "tidak tahu", "=HYPERLINK(\"x\")"}[a.A%3]
	case a.C%6 == 4:
		s.ticket = tickets[a.A%len(tickets)]
		s.typed = "  " + strings.ToLower(s.ticket) + " "
	default:
		s.ticket = tickets[a.A%len(tickets)]
		s.typed = s.ticket
	}
	if s.ticket != "" {
		r.surveyed[s.ticket] = true
		for _, m := range e.srv.Sent("me") {
			s.answered = s.answered || emailKind(m.Subject, headerOf(m.Raw, "X-Kopi-Ref")) == s.ticket+" answer"
		}
	}
	// Respondents do not submit in the same second.
	e.clock.Advance(time.Second)
	f, ok := e.srv.Form(e.cfg.Survey.FormID)
	if !ok {
		return fmt.Errorf("no survey form")
	}
	text := func(v string) *forms.Answer {
		return &forms.Answer{TextAnswers: &forms.TextAnswers{Answers: []*forms.TextAnswer{{Value: v}}}}
	}
	ans := map[string]*forms.Answer{}
	for _, it := range f.Items {
		q := it.QuestionItem.Question
		switch {
		case it.Title == rules.SurveyTicketTitle:
			ans[q.QuestionId] = text(s.typed)
		case it.Title == rules.SurveySuggestionTitle:
			ans[q.QuestionId] = text(simHostile[a.B%len(simHostile)])
		case q.ChoiceQuestion != nil:
			for i := range rules.SKMElements {
				if it.Title == rules.SurveyQuestionTitle(i) {
					ans[q.QuestionId] = text(q.ChoiceQuestion.Options[s.scores[i]-1].Value)
				}
			}
		}
	}
	resp, err := e.srv.SubmitResponse(e.cfg.Survey.FormID, ans, "")
	if err != nil {
		return fmt.Errorf("submit survey: %w", err)
	}
	s.id = resp.ResponseId
	r.surveys = append(r.surveys, s)
	if _, ok := r.surveyedAt[s.ticket]; s.ticket != "" && !ok {
		r.surveyedAt[s.ticket] = e.clock.Now()
	}
	return nil
}

// simIKM is the satisfaction index by the regulation, computed here:
// per element the mean of the values given, the index the sum of the
// means over 9, converted ×25 and rounded half up to two decimals before
// grading (A 88.31–100, B 76.61–88.30, C 65.00–76.60, D below).
type simIKM struct {
	respondents int
	text, grade string
}

func simComputeIKM(all [][rules.SKMElementCount]int) simIKM {
	k := simIKM{respondents: len(all), text: "-", grade: "belum dapat dihitung"}
	if len(all) == 0 {
		return k
	}
	total := new(big.Rat)
	for i := range rules.SKMElementCount {
		sum := 0
		for _, s := range all {
			sum += s[i]
		}
		total.Add(total, big.NewRat(int64(sum), int64(len(all))))
	}
	// converted × 100 = Σ NRR / 9 × 25 × 100, rounded half up.
	x := new(big.Rat).Mul(total, big.NewRat(2500, 9))
	x.Add(x, big.NewRat(1, 2))
	cents := new(big.Int).Quo(x.Num(), x.Denom()).Int64()
	k.text = fmt.Sprintf("%d,%02d", cents/100, cents%100)
	switch {
	case cents >= 8831:
		k.grade = "A (Sangat Baik)"
	case cents >= 7661:
		k.grade = "B (Baik)"
	case cents >= 6500:
		k.grade = "C (Kurang Baik)"
	default:
		k.grade = "D (Tidak Baik)"
	}
	return k
}

// checkSurveys compares the Survei tab and the Laporan tab's IKM with
// what the respondents gave. A case's survey is its first one; it counts
// when the case's answer had gone out before it, and a ticket that names
// no case counts nothing.
func (r *simRun) checkSurveys() {
	e := r.e
	if !r.sc.survey {
		return
	}
	tab, err := e.srv.SpreadsheetValues(e.sheetID, "Survei")
	if err != nil {
		r.violate("harness", "read Survei: %v", err)
		return
	}
	rowsOf := map[string]int{}
	for i := 1; i < len(tab); i++ {
		if id := cell(tab, i, "ID Respons"); id != "" {
			rowsOf[id]++
		}
	}
	// The nightly archive moves the surveys of archived cases (and of
	// no live case) to the survey archive: a survey is one row across
	// the two.
	if arch, err := e.srv.SpreadsheetValues(e.sheetID, rules.SurveyArchiveTitle(2026)); err == nil && len(arch) > 0 {
		for i := 1; i < len(arch); i++ {
			if id := cell(arch, i, "ID Respons"); id != "" {
				rowsOf[id]++
				r.archivedSurveys++
			}
		}
	}
	known := map[string]bool{}
	for _, s := range r.surveys {
		known[s.id] = true
		if n := rowsOf[s.id]; n != 1 {
			r.violate("survey", "survey response %s (ticket %q) has %d rows in Survei and its archive, want exactly 1", s.id, s.typed, n)
		}
	}
	for id := range rowsOf {
		if !known[id] {
			r.violate("survey", "Survei holds response %s no respondent submitted", id)
		}
	}

	// The report, rebuilt as `kopi report 2026` does, read off the tab.
	ws, err := r.connect()
	if err != nil {
		r.violate("harness", "connect: %v", err)
		return
	}
	eng, err := r.engine(ws)
	if err != nil {
		r.violate("harness", "engine: %v", err)
		return
	}
	if _, err := eng.RebuildReport(e.ctx, rules.YearPeriod(2026, wib)); err != nil {
		r.violate("report", "rebuild the 2026 report: %v", err)
		return
	}
	rep, err := e.srv.SpreadsheetValues(e.sheetID, "Laporan")
	if err != nil {
		r.violate("harness", "read Laporan: %v", err)
		return
	}
	r.checkNoFormulas(r.spreadsheet(), "Laporan")
	var gotText, gotGrade, gotN string
	for i, row := range rep {
		if len(row) > 0 && row[0] == "IKM (konversi × 25)" {
			gotText, gotGrade = at(row, 1), at(row, 2)
			if i+1 < len(rep) {
				gotN = at(rep[i+1], 1)
			}
			break
		}
	}
	seen := map[string]bool{}
	var counted [][rules.SKMElementCount]int
	for _, s := range r.surveys {
		if s.ticket == "" || seen[s.ticket] {
			continue
		}
		seen[s.ticket] = true
		if s.answered {
			counted = append(counted, s.scores)
		}
	}
	want := simComputeIKM(counted)
	if gotText != want.text || gotGrade != want.grade || gotN != fmt.Sprint(want.respondents) {
		r.violate("ikm", "Laporan shows IKM %q, %q, %q respondents; the regulation over what %d respondents gave: %q, %q, %d counted", gotText, gotGrade, gotN, len(r.surveys), want.text, want.grade, want.respondents)
	}
}

func at(row []string, i int) string {
	if i < len(row) {
		return row[i]
	}
	return ""
}
