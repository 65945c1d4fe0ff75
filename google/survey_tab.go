package google

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"kopi/rules"
)

// Field keys of the survey tab.
const (
	ColSvResponseID = "response_id"
	ColSvVersion    = "response_version"
	ColSvSubmitted  = "submitted"
	ColSvTicket     = "ticket"
	ColSvFlag       = "flag"
	ColSvGender     = "gender"
	ColSvEducation  = "education"
	ColSvOccupation = "occupation"
	ColSvSuggestion = "suggestion"
	ColSvAnswerSent = "answer_sent"
)

// svAnswerNotSent is the answer-sent cell of a survey the intake joined
// to a case whose answer had not gone out yet; an empty cell is a survey
// the intake joined to no case (or one kept before kopi recorded sends).
const svAnswerNotSent = "belum"

// colSvElement is the key of SKM element i's column (u1…u9).
func colSvElement(i int) string { return "u" + strconv.Itoa(i+1) }

// SurveyTab keeps one row per satisfaction survey response, written
// once by the daemon (anchored, protected with a warning): the ticket it
// names, the nine values 1–4, the optional profile, the suggestion and
// the flag of its join, and the first send of the case's answer the join
// was decided on (full precision, from the outbox journal: the report
// decides "before the answer" from it, not from the case row's
// "Terkirim Pada" a Kirim Ulang overwrites). The response id column is
// the ledger: a response whose id is in the tab is never written again.
var SurveyTab = func() TabSchema {
	cols := []ColumnSpec{
		{Key: ColSvSubmitted, Header: "Diisi Pada", Daemon: true, Width: 130},
		{Key: ColSvTicket, Header: "Nomor Tiket", Daemon: true, Width: 130},
		{Key: ColSvFlag, Header: "Catatan", Daemon: true, Width: 200},
	}
	for i, e := range rules.SKMElements {
		cols = append(cols, ColumnSpec{Key: colSvElement(i), Header: e.Code + " " + e.Name, Daemon: true, Width: 90})
	}
	cols = append(cols,
		ColumnSpec{Key: ColSvGender, Header: "Jenis Kelamin", Daemon: true},
		ColumnSpec{Key: ColSvEducation, Header: "Pendidikan", Daemon: true},
		ColumnSpec{Key: ColSvOccupation, Header: "Pekerjaan", Daemon: true},
		ColumnSpec{Key: ColSvSuggestion, Header: "Saran dan Masukan", Daemon: true, Width: 300},
		ColumnSpec{Key: ColSvResponseID, Header: "ID Respons", Daemon: true},
		ColumnSpec{Key: ColSvVersion, Header: "Versi Respons", Daemon: true},
		ColumnSpec{Key: ColSvAnswerSent, Header: "Jawaban Pertama Terkirim", Daemon: true, Width: 200},
	)
	return TabSchema{Title: "Survei", Columns: cols, Anchored: true}
}()

// surveysFromTable decodes the survey tab. A row without a response id
// is staff's own and skipped.
func (t *Tracker) surveysFromTable(tb *Table) []rules.SurveyRecord {
	if tb == nil {
		return nil
	}
	var out []rules.SurveyRecord
	for _, r := range tb.Rows {
		id := strings.TrimSpace(r.Get(ColSvResponseID))
		if id == "" {
			continue
		}
		rec := rules.SurveyRecord{Flag: rules.SurveyFlag(r.Get(ColSvFlag))}
		rec.ResponseID = id
		rec.SubmittedAt = t.parseTime(r.Get(ColSvSubmitted))
		if v, err := time.Parse(time.RFC3339Nano, r.Get(ColSvVersion)); err == nil {
			rec.LastSubmittedAt = v
			// "Diisi Pada" keeps minutes for people; the version is the
			// response's last submission at full precision. In the same
			// minute it is the better reading of the submission, so the
			// report decides "before the answer" as the intake did
			// (which saw the response's own time) when the answer went
			// out in the minute of the survey.
			if rec.SubmittedAt.IsZero() || v.Truncate(time.Minute).Equal(rec.SubmittedAt) {
				rec.SubmittedAt = v
			}
		}
		rec.TicketText = r.Get(ColSvTicket)
		switch v := strings.TrimSpace(r.Get(ColSvAnswerSent)); v {
		case "":
		case svAnswerNotSent:
			rec.AnswerSeen = true
		default:
			if at, err := time.Parse(time.RFC3339Nano, v); err == nil {
				rec.AnswerSeen, rec.AnswerSentAt = true, at
			}
		}
		for i := range rules.SKMElements {
			if v, err := strconv.Atoi(strings.TrimSpace(r.Get(colSvElement(i)))); err == nil && v >= 1 && v <= 4 {
				rec.Scores[i] = v
			}
		}
		rec.Gender, rec.Education, rec.Occupation = r.Get(ColSvGender), r.Get(ColSvEducation), r.Get(ColSvOccupation)
		rec.Suggestion = r.Get(ColSvSuggestion)
		if r.Anchor != "" {
			rec.AnchorID, _ = strconv.ParseInt(strings.TrimPrefix(r.Anchor, surveyAnchorPrefix), 10, 64)
		}
		out = append(out, rec)
	}
	return out
}

// surveyAnchorPrefix marks survey row anchors (the case rows' anchors
// are ticket numbers).
const surveyAnchorPrefix = "survei:"

// AppendSurveys writes new survey rows in ONE atomic
// spreadsheets.batchUpdate: rows, anchors and any overflow of a long
// suggestion land together or not at all. After an ambiguous failure
// the next cycle's read shows whether they landed (the response ids).
func (t *Tracker) AppendSurveys(ctx context.Context, recs []rules.SurveyRecord) error {
	if len(recs) == 0 {
		return nil
	}
	// The rows are inserted after the Survei tab's last row as the
	// cycle's read found it.
	if t.current == nil {
		return fmt.Errorf("append %d surveys: the tracker was not read", len(recs))
	}
	tb, err := t.current.table(SurveyTab.Title)
	if err != nil {
		return err
	}
	c := &Commit{Inserts: map[*Table][]NewRow{}, Overflow: t.current.tables[OverflowTab.Title]}
	for _, r := range recs {
		v := map[string]string{
			ColSvResponseID: r.ResponseID,
			ColSvVersion:    r.LastSubmittedAt.UTC().Format(time.RFC3339Nano),
			ColSvSubmitted:  t.formatTime(r.SubmittedAt),
			ColSvTicket:     r.TicketText,
			ColSvFlag:       string(r.Flag),
			ColSvGender:     r.Gender, ColSvEducation: r.Education, ColSvOccupation: r.Occupation,
			ColSvSuggestion: r.Suggestion,
		}
		switch _, col := tb.Columns[ColSvAnswerSent]; {
		case !r.AnswerSeen || !col:
			// A Survei tab made before the column existed takes the
			// survey without it (`kopi init` appends the column): the
			// report then reads the first send off the journal while
			// the case is live.
		case r.AnswerSentAt.IsZero():
			v[ColSvAnswerSent] = svAnswerNotSent
		default:
			v[ColSvAnswerSent] = r.AnswerSentAt.UTC().Format(time.RFC3339Nano)
		}
		for i, s := range r.Scores {
			if s > 0 {
				v[colSvElement(i)] = strconv.Itoa(s)
			}
		}
		c.Inserts[tb] = append(c.Inserts[tb], NewRow{Anchor: surveyAnchorPrefix + strconv.FormatInt(r.AnchorID, 10), AnchorID: r.AnchorID, Values: v})
	}
	if err := t.sheets.Apply(ctx, c); err != nil {
		return fmt.Errorf("append %d surveys: %w", len(recs), err)
	}
	return nil
}
