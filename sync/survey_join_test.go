package sync_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/api/sheets/v4"

	"kopi/rules"
)

// The intake and the report decide "a survey before the answer" by one
// rule (rules.SurveyPrecedesAnswer) on the first send of the answer as
// kopi recorded it — the outbox journal, and with each survey the send
// it was decided on — never on the row's "Terkirim Pada", which a Kirim
// Ulang overwrites and which holds minutes only.

// answersSent counts the answer emails of a ticket in the Sent folder.
func answersSent(e *env, ticket string) int {
	n := 0
	for _, m := range e.srv.Sent("me") {
		if emailKind(m.Subject, headerOf(m.Raw, "X-Kopi-Ref")) == ticket+" answer" {
			n++
		}
	}
	return n
}

// yearReport rebuilds the 2026 report as `kopi report 2026` does.
func yearReport(e *env) rules.Report {
	e.t.Helper()
	r, err := e.engine().RebuildReport(e.ctx, rules.YearPeriod(2026, wib))
	if err != nil {
		e.t.Fatalf("rebuild the 2026 report: %v", err)
	}
	return r
}

// ratedThenResent: KOPI-2026-0001's answer goes out, its requester
// rates it 94 minutes later, and staff send the answer again the next
// day (Kirim Ulang). It returns the survey's response id.
func ratedThenResent(e *env) string {
	e.t.Helper()
	sendAnswer(e, "KOPI-2026-0001")
	if answersSent(e, "KOPI-2026-0001") != 1 {
		e.t.Fatalf("answer not sent")
	}
	e.clock.Advance(94 * time.Minute)
	id := rate(e, "KOPI-2026-0001", 4, "")
	e.clock.Advance(time.Minute)
	e.cycle()
	e.clock.Advance(22 * time.Hour)
	answerRow(e, "KOPI-2026-0001", "", rules.StatusKirimUlang)
	e.cycle()
	e.clock.Advance(time.Minute)
	e.cycle()
	if n := answersSent(e, "KOPI-2026-0001"); n != 2 {
		e.t.Fatalf("answer emails %d after Kirim Ulang, want 2", n)
	}
	return id
}

// sentAtSurvey: KOPI-2026-0002's requester submits the survey at the
// very instant the cycle that sends the answer runs (in the same second
// as the send, the row showing its minute), rating every element 1. It
// returns the response id.
func sentAtSurvey(e *env) string {
	e.t.Helper()
	answerRow(e, "KOPI-2026-0002", answerText, rules.StatusDisetujui)
	id := rate(e, "KOPI-2026-0002", 1, "")
	for range 3 {
		if answersSent(e, "KOPI-2026-0002") > 0 {
			break
		}
		e.cycle()
	}
	if answersSent(e, "KOPI-2026-0002") != 1 {
		e.t.Fatalf("answer not sent")
	}
	// The next cycle shows the send in the row (Terkirim Pada, to the
	// minute: the survey's own minute).
	e.clock.Advance(time.Minute)
	e.cycle()
	if c := cell(e.rows(), rowOf(e.rows(), "KOPI-2026-0002"), "Terkirim Pada"); c == "" {
		e.t.Fatalf("the row does not show the send")
	}
	return id
}

func TestSurveyCountsAfterKirimUlang(t *testing.T) {
	t.Parallel()
	e := setup(t)
	withSurvey(e)
	e.submit(complete("ani", e.cfg.TopicNames()[0]))
	e.cycle()
	e.clock.Advance(time.Hour)
	id := ratedThenResent(e)
	if f := surveyRows(e)[id]["Catatan"]; f != "" {
		t.Fatalf("intake flagged the rating %q, want counted", f)
	}
	r := yearReport(e)
	if r.IKM.IKM.Respondents != 1 || !r.IKM.IKM.Valid {
		t.Fatalf("report counts %d respondents (valid %v) after a Kirim Ulang; the intake counted the rating given after the first send", r.IKM.IKM.Respondents, r.IKM.IKM.Valid)
	}
}

func TestSurveyAtTheSendInstantFlaggedByBoth(t *testing.T) {
	t.Parallel()
	e := setup(t)
	withSurvey(e)
	e.submit(complete("ani", e.cfg.TopicNames()[0]))
	e.submit(complete("budi", e.cfg.TopicNames()[1]))
	e.cycle()
	e.clock.Advance(time.Hour + time.Second)
	id := sentAtSurvey(e)
	row := surveyRows(e)[id]
	if row["Catatan"] != string(rules.SurveyBeforeAnswer) {
		t.Fatalf("intake flag %q, want %q: the survey was in before the answer email", row["Catatan"], rules.SurveyBeforeAnswer)
	}
	r := yearReport(e)
	if r.IKM.IKM.Respondents != 0 {
		t.Fatalf("report counts %d respondents; the intake flagged the only survey as before the answer", r.IKM.IKM.Respondents)
	}
	if !strings.Contains(strings.Join(r.Flags, "\n"), string(rules.SurveyBeforeAnswer)) {
		t.Errorf("report flags %q, want the survey before the answer", r.Flags)
	}
}

// TestSurveySameMinuteAfterSendCounted: a survey in the answer's minute
// but after it counts for both.
func TestSurveySameMinuteAfterSendCounted(t *testing.T) {
	t.Parallel()
	e := setup(t)
	withSurvey(e)
	e.submit(complete("ani", e.cfg.TopicNames()[0]))
	e.cycle()
	e.clock.Advance(time.Hour)
	sendAnswer(e, "KOPI-2026-0001")
	e.clock.Advance(30 * time.Second)
	id := rate(e, "KOPI-2026-0001", 4, "")
	e.cycle()
	if f := surveyRows(e)[id]["Catatan"]; f != "" {
		t.Fatalf("intake flag %q, want counted", f)
	}
	if r := yearReport(e); r.IKM.IKM.Respondents != 1 {
		t.Fatalf("report counts %d respondents, want 1", r.IKM.IKM.Respondents)
	}
}

// TestSurveyJoinAcrossArchiveNight: once the nightly archive moved both
// cases (their journal entries leave the state tab with them), the
// report still decides as the intake did: the rating before a Kirim
// Ulang counts, the survey at the send's instant does not.
func TestSurveyJoinAcrossArchiveNight(t *testing.T) {
	t.Parallel()
	e := setupWith(t, func(c *rules.Config) { c.Archive.AfterDays = new(30) })
	withSurvey(e)
	e.submit(complete("ani", e.cfg.TopicNames()[0]))
	e.submit(complete("budi", e.cfg.TopicNames()[1]))
	e.cycle()
	e.clock.Advance(time.Hour + time.Second)
	early := sentAtSurvey(e)
	e.clock.Advance(time.Hour)
	rated := ratedThenResent(e)
	rows := surveyRows(e)
	if rows[rated]["Catatan"] != "" || rows[early]["Catatan"] != string(rules.SurveyBeforeAnswer) {
		t.Fatalf("intake flags %q, %q", rows[rated]["Catatan"], rows[early]["Catatan"])
	}
	// Each survey keeps the first send it was decided on, to the second.
	for _, id := range []string{rated, early} {
		if _, err := time.Parse(time.RFC3339Nano, rows[id]["Jawaban Pertama Terkirim"]); err != nil {
			t.Fatalf("survey %s keeps first send %q: %v", id, rows[id]["Jawaban Pertama Terkirim"], err)
		}
	}
	e.clock.Set(e.clock.Now().AddDate(0, 0, 40))
	for e.cal.IsOpen(e.clock.Now()) {
		e.clock.Advance(time.Hour)
	}
	e.cycle()
	arch := e.tabRows(rules.ArchiveTitle(2026))
	for _, tk := range []string{"KOPI-2026-0001", "KOPI-2026-0002"} {
		if rowOf(arch, tk) < 0 {
			t.Fatalf("%s not archived", tk)
		}
		if rowOf(e.rows(), tk) >= 0 {
			t.Fatalf("%s still live", tk)
		}
	}
	r := yearReport(e)
	if r.IKM.IKM.Respondents != 1 || r.IKM.IKM.Sum[0] != 4 {
		t.Fatalf("report after the archive counts %d respondents, U1 sum %d; want 1 and 4 (the rating before the Kirim Ulang, not the survey at the send's instant)", r.IKM.IKM.Respondents, r.IKM.IKM.Sum[0])
	}
	if !strings.Contains(strings.Join(r.Flags, "\n"), "1 survei ditandai: "+string(rules.SurveyBeforeAnswer)) {
		t.Errorf("report flags %q, want the survey at the send's instant", r.Flags)
	}
}

// TestSurveyTabWithoutAnswerSentColumn: a Survei tab made before kopi
// kept the first send with each survey still takes surveys in (no
// failed cycle), and the report reads the first send off the journal.
func TestSurveyTabWithoutAnswerSentColumn(t *testing.T) {
	t.Parallel()
	e := setup(t)
	withSurvey(e)
	st := newStaff(e)
	ss, err := st.svc.Spreadsheets.Get(e.sheetID).Do()
	if err != nil {
		t.Fatal(err)
	}
	head := e.tabRows("Survei")[0]
	col := slices.Index(head, "Jawaban Pertama Terkirim")
	if col < 0 {
		t.Fatalf("Survei has no first-send column: %q", head)
	}
	for _, sh := range ss.Sheets {
		if sh.Properties.Title == "Survei" {
			st.batch(&sheets.Request{DeleteDimension: &sheets.DeleteDimensionRequest{Range: &sheets.DimensionRange{
				SheetId: sh.Properties.SheetId, Dimension: "COLUMNS", StartIndex: int64(col), EndIndex: int64(col) + 1}}})
		}
	}
	e.submit(complete("ani", e.cfg.TopicNames()[0]))
	e.cycle()
	e.clock.Advance(time.Hour)
	id := ratedThenResent(e)
	if f, ok := surveyRows(e)[id]["Catatan"]; !ok || f != "" {
		t.Fatalf("survey %s: row %v, want taken in unflagged", id, surveyRows(e)[id])
	}
	if r := yearReport(e); r.IKM.IKM.Respondents != 1 {
		t.Fatalf("report counts %d respondents, want 1", r.IKM.IKM.Respondents)
	}
}
