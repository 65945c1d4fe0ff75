package sync_test

import (
	"strings"
	"testing"
	"time"

	"kopi/google/fake"
	"kopi/rules"
)

// draftsLeft counts the drafts in the mailbox.
func draftsLeft(e *env) int {
	e.t.Helper()
	list, err := e.gmail().Users.Drafts.List("me").Do()
	if err != nil {
		e.t.Fatal(err)
	}
	return len(list.Drafts)
}

// TestFailedDeliveryLeavesNoDraft is issue #10's reproduction: an
// incomplete response with a usable address; drafts.create is applied but
// its answer lost; the requester edits the address to one that cannot be
// used; three more cycles. No email reaches the requester and no draft
// with their data stays in the mailbox.
func TestFailedDeliveryLeavesNoDraft(t *testing.T) {
	t.Parallel()
	e := setup(t)
	s := complete("budi", e.cfg.TopicNames()[0])
	s[rules.FieldWhatsApp] = "12345" // incomplete
	id := e.submit(s)
	if err := e.srv.AddFault(fake.Fault{Method: "gmail.users.drafts.create", DropAfterHandling: true, Times: -1}); err != nil {
		t.Fatal(err)
	}
	e.cycle()
	e.srv.ClearFaults()
	if n := draftsLeft(e); n == 0 {
		t.Fatal("the lost drafts.create left no draft: the test reproduces nothing")
	}
	e.clock.Advance(time.Minute)
	s[rules.FieldEmail] = "not-an-email"
	if _, err := e.srv.EditResponse(e.formID, id, e.answers(s)); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		e.clock.Advance(time.Minute)
		e.cycle()
	}
	for _, m := range e.srv.Sent("me") {
		if !strings.Contains(m.Subject, "Ringkasan harian") {
			t.Errorf("email sent: %q", m.Subject)
		}
	}
	if n := draftsLeft(e); n != 0 {
		t.Errorf("%d drafts left in the mailbox, want 0", n)
	}
	rows := e.rows()
	if notes := cell(rows, rowOf(rows, "KOPI-2026-0001"), "Catatan Sistem"); !strings.Contains(notes, "tidak terkirim") {
		t.Errorf("notes = %q, want the failure noted", notes)
	}
}

// TestRefusedSendLeavesNoDraft: Gmail refuses a draft for good at
// drafts.send; the delivery is marked failed and its draft deleted.
func TestRefusedSendLeavesNoDraft(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.submit(complete("ani", e.cfg.TopicNames()[0]))
	if err := e.srv.AddFault(fake.Fault{Method: "gmail.users.drafts.send", Status: 400, Times: -1}); err != nil {
		t.Fatal(err)
	}
	rep := e.cycle()
	e.srv.ClearFaults()
	if rep.Failed == 0 || rep.Sent != 0 {
		t.Fatalf("report = %+v", rep)
	}
	if n := draftsLeft(e); n != 0 {
		t.Errorf("%d drafts left after Gmail refused them, want 0", n)
	}
}

// TestChangedAnswerLeavesNoDraft: the approved answer's drafts.create is
// applied but its answer lost; the consultant then edits the answer. The
// email goes out once, with the new text, and the draft of the old text
// is deleted, not left behind.
func TestChangedAnswerLeavesNoDraft(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.submit(complete("ani", e.cfg.TopicNames()[0]))
	e.cycle()
	e.clock.Advance(time.Hour)
	answerRow(e, "KOPI-2026-0001", "Jawaban pertama.", rules.StatusDisetujui)
	if err := e.srv.AddFault(fake.Fault{Method: "gmail.users.drafts.create", DropAfterHandling: true, Times: -1}); err != nil {
		t.Fatal(err)
	}
	e.cycle()
	e.srv.ClearFaults()
	if n := draftsLeft(e); n != 1 {
		t.Fatalf("drafts after the lost create = %d, want 1", n)
	}
	e.clock.Advance(time.Minute)
	answerRow(e, "KOPI-2026-0001", "Jawaban kedua yang sudah diperbaiki.", rules.StatusDisetujui)
	for i := 0; i < 3; i++ {
		e.clock.Advance(time.Minute)
		e.cycle()
	}
	answers := sentTo(e, "Re: ")
	if len(answers) != 1 || !strings.Contains(answers[0].Text, "Jawaban kedua") {
		t.Fatalf("answers sent = %d, want 1 with the new text", len(answers))
	}
	if n := draftsLeft(e); n != 0 {
		t.Errorf("%d drafts left, want 0", n)
	}
}
