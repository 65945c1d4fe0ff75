package main

import (
	"context"
	"strings"
	"testing"

	"google.golang.org/api/forms/v1"
	"google.golang.org/api/option"

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
	o := newOffice(t)
	if r := kopi(t, "init", "--config", o.config, "--create-intake-form"); r.err != nil {
		t.Fatalf("init: %v", r.err)
	}
	q := rules.DefaultQuestionTitles
	o.submit(t, map[string]string{
		q.Nama: "Sri Wahyuni", q.Instansi: "Pemerintah Desa Sukamaju",
		q.Email: "sri.wahyuni@desa-sukamaju.example.id", q.WhatsApp: "0812-3456-7890",
		q.Topik: rules.TopicAudit, q.Pertanyaan: "Dokumen apa yang diminta saat audit ketaatan?",
	})
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
