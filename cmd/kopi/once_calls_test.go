package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"google.golang.org/api/forms/v1"
	"google.golang.org/api/option"
	"google.golang.org/api/sheets/v4"

	"kopi/google"
	"kopi/rules"
)

func callTotal(calls map[string]int) int {
	n := 0
	for _, c := range calls {
		n += c
	}
	return n
}

// TestOnceIdleCostsTwoCalls: an idle `kopi once` makes two API calls —
// the tracker read (which also serves the lock check and the cached
// form) and responses.list. Before the form cache it made four
// (forms.get, two spreadsheets.get, responses.list).
func TestOnceIdleCostsTwoCalls(t *testing.T) {
	o := newOffice(t)
	if r := kopi(t, "init", "--config", o.config, "--create-intake-form"); r.err != nil {
		t.Fatalf("init: %v", r.err)
	}
	o.srv.ResetCalls()
	if r := kopi(t, "once", "--config", o.config); r.err != nil {
		t.Fatalf("first once: %v\n%s", r.err, r.stderr)
	}
	first := o.srv.Calls()
	if first["forms.forms.get"] != 1 {
		t.Errorf("first once: forms.get = %d, want 1 (the form is cached then)", first["forms.forms.get"])
	}
	t.Logf("first once: %d calls %v", callTotal(first), first)
	o.srv.ResetCalls()
	if r := kopi(t, "once", "--config", o.config); r.err != nil {
		t.Fatalf("idle once: %v\n%s", r.err, r.stderr)
	}
	calls := o.srv.Calls()
	if callTotal(calls) != 2 || calls["sheets.spreadsheets.get"] != 1 || calls["forms.forms.responses.list"] != 1 {
		t.Errorf("idle once made %d calls %v, want spreadsheets.get + responses.list", callTotal(calls), calls)
	}
}

// TestOnceNoticesAChangedForm: staff add a question to the form after
// kopi cached it; a response answering it shows the cache is stale, so
// kopi reads the form again and processes the response on the fresh
// questions.
func TestOnceNoticesAChangedForm(t *testing.T) {
	o := newOffice(t)
	if r := kopi(t, "init", "--config", o.config, "--create-intake-form"); r.err != nil {
		t.Fatalf("init: %v", r.err)
	}
	if r := kopi(t, "once", "--config", o.config); r.err != nil {
		t.Fatalf("first once: %v", r.err)
	}
	svc, err := forms.NewService(context.Background(), option.WithEndpoint(o.srv.URL()+"/"), option.WithHTTPClient(o.srv.HTTPClient()))
	if err != nil {
		t.Fatal(err)
	}
	_, err = svc.Forms.BatchUpdate(o.value(t, keyFormID), &forms.BatchUpdateFormRequest{Requests: []*forms.Request{{
		CreateItem: &forms.CreateItemRequest{
			Item:     &forms.Item{Title: "Jabatan", QuestionItem: &forms.QuestionItem{Question: &forms.Question{TextQuestion: &forms.TextQuestion{}}}},
			Location: &forms.Location{Index: 0, ForceSendFields: []string{"Index"}},
		},
	}}}).Do()
	if err != nil {
		t.Fatalf("add a question: %v", err)
	}
	q := rules.DefaultQuestionTitles
	o.submit(t, map[string]string{
		"Jabatan": "Sekretaris Desa",
		q.Nama:    "Sri Wahyuni", q.Instansi: "Pemerintah Desa Sukamaju",
		q.Email: "sri.wahyuni@desa-sukamaju.example.id", q.WhatsApp: "0812-3456-7890",
		q.Topik: rules.TopicAudit, q.Pertanyaan: "Dokumen apa yang diminta saat audit ketaatan?",
	})
	o.srv.ResetCalls()
	r := kopi(t, "once", "--config", o.config)
	if r.err != nil {
		t.Fatalf("once: %v\n%s", r.err, r.stderr)
	}
	if !strings.Contains(r.stdout, "1 kasus baru") {
		t.Errorf("once summary:\n%s", r.stdout)
	}
	if n := o.srv.Calls()["forms.forms.get"]; n != 1 {
		t.Errorf("forms.get = %d, want 1 (the stale cache refreshed)", n)
	}
	o.srv.ResetCalls()
	if r := kopi(t, "once", "--config", o.config); r.err != nil {
		t.Fatal(r.err)
	}
	if calls := o.srv.Calls(); callTotal(calls) != 2 {
		t.Errorf("idle once after the refresh: %d calls %v", callTotal(calls), calls)
	}
}

// TestOnceReconcileListsEveryResponse: `kopi once --reconcile` lists the
// responses without a filter (one call for up to 5,000), where a plain
// run filters from the cursor.
func TestOnceReconcileListsEveryResponse(t *testing.T) {
	o := submittedOffice(t)
	if r := kopi(t, "once", "--config", o.config); r.err != nil {
		t.Fatal(r.err)
	}
	r := kopi(t, "once", "--config", o.config, "--reconcile")
	if r.err != nil {
		t.Fatal(r.err)
	}
	if !strings.Contains(r.stdout, "1 tanggapan dibaca, 0 kasus baru") || !strings.Contains(r.stderr, "rekonsiliasi") {
		t.Errorf("reconciliation run:\n%s\n%s", r.stdout, r.stderr)
	}
}

// TestOnceWithSurveyIdleCostsThreeCalls: with a survey form configured,
// an idle `kopi once` makes three API calls — the tracker read and one
// responses.list per form. The survey form's questions are cached in the
// state tab like the intake form's; before, every run read the survey
// form (forms.get), four calls.
func TestOnceWithSurveyIdleCostsThreeCalls(t *testing.T) {
	o := newOffice(t)
	if r := kopi(t, "init", "--config", o.config, "--create-intake-form", "--create-survey-form"); r.err != nil {
		t.Fatalf("init: %v\n%s", r.err, r.stderr)
	}
	o.srv.ResetCalls()
	if r := kopi(t, "once", "--config", o.config); r.err != nil {
		t.Fatalf("first once: %v\n%s", r.err, r.stderr)
	}
	first := o.srv.Calls()
	if first["forms.forms.get"] != 2 {
		t.Errorf("first once: forms.get = %d, want 2 (both forms are cached then)", first["forms.forms.get"])
	}
	t.Logf("first once: %d calls %v", callTotal(first), first)
	for run := 1; run <= 2; run++ {
		o.srv.ResetCalls()
		if r := kopi(t, "once", "--config", o.config); r.err != nil {
			t.Fatalf("idle once %d: %v\n%s", run, r.err, r.stderr)
		}
		calls := o.srv.Calls()
		if callTotal(calls) != 3 || calls["sheets.spreadsheets.get"] != 1 || calls["forms.forms.responses.list"] != 2 {
			t.Errorf("idle once %d made %d calls %v, want spreadsheets.get + 2 responses.list", run, callTotal(calls), calls)
		}
	}
}

// TestOnceNoticesAChangedSurveyForm: staff add a question to the survey
// form after kopi cached it; a survey response answering it shows the
// cache is stale, so kopi reads the survey form again and takes the
// response in on the fresh questions, then is idle at three calls again.
func TestOnceNoticesAChangedSurveyForm(t *testing.T) {
	t.Parallel()
	o := newOffice(t)
	if r := kopi(t, "init", "--config", o.config, "--create-intake-form", "--create-survey-form"); r.err != nil {
		t.Fatalf("init: %v\n%s", r.err, r.stderr)
	}
	if r := kopi(t, "once", "--config", o.config); r.err != nil {
		t.Fatalf("first once: %v\n%s", r.err, r.stderr)
	}
	svc, err := forms.NewService(context.Background(), option.WithEndpoint(o.srv.URL()+"/"), option.WithHTTPClient(o.srv.HTTPClient()))
	if err != nil {
		t.Fatal(err)
	}
	surveyID := o.value(t, keySurveyFormID)
	_, err = svc.Forms.BatchUpdate(surveyID, &forms.BatchUpdateFormRequest{Requests: []*forms.Request{{
		CreateItem: &forms.CreateItemRequest{
			Item:     &forms.Item{Title: "Kecamatan", QuestionItem: &forms.QuestionItem{Question: &forms.Question{TextQuestion: &forms.TextQuestion{}}}},
			Location: &forms.Location{Index: 1, ForceSendFields: []string{"Index"}},
		},
	}}}).Do()
	if err != nil {
		t.Fatalf("add a question: %v", err)
	}
	answers := map[string]string{rules.SurveyTicketTitle: "KOPI-2026-0099", "Kecamatan": "Sukamaju"}
	f, _ := o.srv.Form(surveyID)
	for _, it := range f.Items {
		q := it.QuestionItem
		if q == nil || answers[it.Title] != "" {
			continue
		}
		if c := q.Question.ChoiceQuestion; c != nil {
			answers[it.Title] = c.Options[0].Value // the first choice of every required question
		} else {
			answers[it.Title] = "Lebih cepat"
		}
	}
	o.submitTo(t, surveyID, answers)
	// An intake response in the same cycle: the survey is taken in after
	// the intake work is committed, so the rerun must find that work done
	// (one case, one receipt), not do it twice.
	q := rules.DefaultQuestionTitles
	o.submit(t, map[string]string{
		q.Nama: "Sri Wahyuni", q.Instansi: "Pemerintah Desa Sukamaju",
		q.Email: "sri.wahyuni@desa-sukamaju.example.id", q.WhatsApp: "0812-3456-7890",
		q.Topik: rules.TopicAudit, q.Pertanyaan: "Dokumen apa yang diminta saat audit ketaatan?",
	})
	o.srv.ResetCalls()
	r := kopi(t, "once", "--config", o.config)
	if r.err != nil {
		t.Fatalf("once: %v\n%s", r.err, r.stderr)
	}
	if n := strings.Count(r.stderr, "kasus baru"); n != 1 {
		t.Errorf("the new case logged %d times, want once:\n%s", n, r.stderr)
	}
	cases, err := o.srv.SpreadsheetValues(o.value(t, keySpreadsheetID), "Konsultasi")
	if err != nil {
		t.Fatal(err)
	}
	var tickets []string
	for _, row := range cases[1:] {
		if len(row) > 0 && row[0] != "" {
			tickets = append(tickets, row[0])
		}
	}
	if len(tickets) != 1 || tickets[0] != "KOPI-2026-0001" {
		t.Errorf("Konsultasi tab after the rerun holds tickets %q, want one case", tickets)
	}
	receipts := 0
	for _, m := range o.srv.Sent("me") {
		if len(m.To) > 0 && m.To[0] == "sri.wahyuni@desa-sukamaju.example.id" {
			receipts++
		}
	}
	if receipts != 1 {
		t.Errorf("%d emails to the requester, want 1 receipt", receipts)
	}
	calls := o.srv.Calls()
	if calls["forms.forms.get"] != 1 {
		t.Errorf("forms.get = %d, want 1 (the stale survey cache refreshed)", calls["forms.forms.get"])
	}
	t.Logf("once on the changed survey form: %d calls %v", callTotal(calls), calls)
	rows, err := o.srv.SpreadsheetValues(o.value(t, keySpreadsheetID), google.SurveyTab.Title)
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, row := range rows {
		for _, c := range row {
			if c == "KOPI-2026-0099" {
				found++
			}
		}
	}
	if found != 1 {
		t.Errorf("Survei tab holds the survey response %d times, want once:\n%v", found, rows)
	}
	o.srv.ResetCalls()
	if r := kopi(t, "once", "--config", o.config); r.err != nil {
		t.Fatal(r.err)
	}
	if calls := o.srv.Calls(); callTotal(calls) != 3 || calls["forms.forms.get"] != 0 {
		t.Errorf("idle once after the refresh: %d calls %v", callTotal(calls), calls)
	}
}

// TestOnceReadsADayOldSurveyFormAgain: the cached survey form is trusted
// for a day; a record last checked two days ago is still used by an idle
// `kopi once` (three calls, no forms.get: the idle budget holds however
// old the cache), and the first busy run reads the survey form (and only
// it) again after its emails and rewrites its record in place.
func TestOnceReadsADayOldSurveyFormAgain(t *testing.T) {
	o := newOffice(t)
	if r := kopi(t, "init", "--config", o.config, "--create-intake-form", "--create-survey-form"); r.err != nil {
		t.Fatalf("init: %v\n%s", r.err, r.stderr)
	}
	if r := kopi(t, "once", "--config", o.config); r.err != nil {
		t.Fatalf("first once: %v\n%s", r.err, r.stderr)
	}
	sheetID := o.value(t, keySpreadsheetID)
	rows, err := o.srv.SpreadsheetValues(sheetID, google.StateTab.Title)
	if err != nil || len(rows) == 0 {
		t.Fatalf("state tab: %v %v", rows, err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	kindCol, timeCol := col[stateHeader(t, google.ColStateKind)], col[stateHeader(t, google.ColStateTime)]
	records := 0
	cell := ""
	for i, r := range rows {
		if kindCol < len(r) && r[kindCol] == "formulir-survei" {
			records++
			cell = fmt.Sprintf("%s!%c%d", google.StateTab.Title, 'A'+timeCol, i+1)
		}
	}
	if records != 1 {
		t.Fatalf("%d survey form records in the state tab, want 1", records)
	}
	old := march3().Add(-48 * time.Hour).UTC().Format(time.RFC3339Nano) // two days before the office clock kopi(t, …) runs on
	if _, err := o.services(t).Sheets.Spreadsheets.Values.Update(sheetID, cell, &sheets.ValueRange{Values: [][]any{{old}}}).ValueInputOption("RAW").Do(); err != nil {
		t.Fatalf("age the survey form record: %v", err)
	}
	o.srv.ResetCalls()
	if r := kopi(t, "once", "--config", o.config); r.err != nil {
		t.Fatalf("idle once: %v\n%s", r.err, r.stderr)
	}
	if calls := o.srv.Calls(); callTotal(calls) != 3 || calls["forms.forms.get"] != 0 {
		t.Errorf("idle once on a day-old survey cache: %d calls %v, want 3 and no forms.get", callTotal(calls), calls)
	}
	q := rules.DefaultQuestionTitles
	o.submit(t, map[string]string{
		q.Nama: "Sri Wahyuni", q.Instansi: "Pemerintah Desa Sukamaju",
		q.Email: "sri.wahyuni@desa-sukamaju.example.id", q.WhatsApp: "0812-3456-7890",
		q.Topik: rules.TopicAudit, q.Pertanyaan: "Dokumen apa yang diminta saat audit ketaatan?",
	})
	o.srv.ResetCalls()
	if r := kopi(t, "once", "--config", o.config); r.err != nil {
		t.Fatalf("busy once: %v\n%s", r.err, r.stderr)
	}
	calls := o.srv.Calls()
	if calls["forms.forms.get"] != 1 || calls["gmail.users.messages.send"]+calls["gmail.users.drafts.send"] == 0 {
		t.Errorf("busy once on a day-old survey cache: %v, want its emails and one forms.get (the survey form's)", calls)
	}
	t.Logf("busy once on a day-old survey cache: %d calls %v", callTotal(calls), calls)
	rows, err = o.srv.SpreadsheetValues(sheetID, google.StateTab.Title)
	if err != nil {
		t.Fatal(err)
	}
	records = 0
	for _, r := range rows {
		if kindCol < len(r) && r[kindCol] == "formulir-survei" {
			records++
			if r[timeCol] == old {
				t.Errorf("survey form record still dated %s", old)
			}
		}
	}
	if records != 1 {
		t.Errorf("%d survey form records after the refresh, want 1 (rewritten in place)", records)
	}
	o.srv.ResetCalls()
	if r := kopi(t, "once", "--config", o.config); r.err != nil {
		t.Fatal(r.err)
	}
	if calls := o.srv.Calls(); callTotal(calls) != 3 {
		t.Errorf("idle once after the refresh: %d calls %v", callTotal(calls), calls)
	}
}

// stateHeader is the state tab's header of a column key.
func stateHeader(t *testing.T, key string) string {
	t.Helper()
	for _, c := range google.StateTab.Columns {
		if c.Key == key {
			return c.Header
		}
	}
	t.Fatalf("state tab has no column %q", key)
	return ""
}
