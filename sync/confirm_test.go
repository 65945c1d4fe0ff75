package sync_test

import (
	"strings"
	"testing"
	"time"

	"kopi/google/fake"
	"kopi/rules"
)

// holdSends makes every drafts.send fail (503) for one cycle, so the
// drafts stay recorded and unsent.
func holdSends(e *env) {
	e.t.Helper()
	if err := e.srv.AddFault(fake.Fault{Method: "gmail.users.drafts.send", Status: 503, Times: -1}); err != nil {
		e.t.Fatal(err)
	}
	e.cycle()
	e.srv.ClearFaults()
}

// deleteAllDrafts deletes the mailbox's drafts as a person in the Gmail
// UI would.
func deleteAllDrafts(e *env) int {
	e.t.Helper()
	g := e.gmail()
	list, err := g.Users.Drafts.List("me").Do()
	if err != nil {
		e.t.Fatal(err)
	}
	for _, d := range list.Drafts {
		if err := g.Users.Drafts.Delete("me", d.Id).Do(); err != nil {
			e.t.Fatal(err)
		}
	}
	return len(list.Drafts)
}

// TestDeletedDraftIsNotRecordedSent: a person deletes kopi's drafts in
// Gmail before kopi sends them. drafts.send answers 404, as it does for
// a draft sent before a crash; kopi finds no sent email with the
// reference, so it records nothing as sent: the emails are flagged in
// the row and the digest, and never sent behind the admin's back.
func TestDeletedDraftIsNotRecordedSent(t *testing.T) {
	t.Parallel()
	underEach(t, draftIDVariants, func(t *testing.T) {
		e := setup(t)
		e.submit(complete("ani", e.cfg.TopicNames()[0]))
		holdSends(e)
		if n := len(e.srv.Sent("me")); n != 0 {
			t.Fatalf("%d emails sent while sends were refused", n)
		}
		if n := deleteAllDrafts(e); n == 0 {
			t.Fatal("no drafts to delete")
		}
		e.clock.Advance(time.Minute)
		rep := e.cycle()
		if rep.DraftsDeleted == 0 || rep.Sent != 0 {
			t.Fatalf("report = %+v, want the deleted drafts flagged and nothing sent", rep)
		}
		for i := 0; i < 3; i++ {
			e.clock.Advance(time.Hour)
			e.cycle()
		}
		rows := e.rows()
		notes := cell(rows, rowOf(rows, "KOPI-2026-0001"), "Catatan Sistem")
		if !strings.Contains(notes, "Email tanda-terima tidak terkirim: drafnya dihapus") {
			t.Fatalf("notes = %q", notes)
		}
		if n := sentWith(e, "Tanda terima"); n != 0 {
			t.Fatalf("receipts sent = %d, want 0 (the admin decides)", n)
		}
		if c := strings.Count(cell(e.rows(), rowOf(e.rows(), "KOPI-2026-0001"), "Catatan Sistem"), "drafnya dihapus"); c != 2 {
			t.Errorf("flag notes = %d, want one for the receipt and one for the assignment", c)
		}
	})
}

// TestLostSendIsConfirmedSent: drafts.send is applied but its answer
// lost; the next cycle's 404 is checked against the Sent folder, which
// has the email: it is recorded as sent, exactly once, under either
// answer to whether a sent draft keeps its message id.
func TestLostSendIsConfirmedSent(t *testing.T) {
	t.Parallel()
	underEach(t, draftIDVariants, func(t *testing.T) {
		e := setup(t)
		e.submit(complete("ani", e.cfg.TopicNames()[0]))
		if err := e.srv.AddFault(fake.Fault{Method: "gmail.users.drafts.send", DropAfterHandling: true, Times: -1}); err != nil {
			t.Fatal(err)
		}
		e.cycle()
		e.srv.ClearFaults()
		if n := sentWith(e, "Tanda terima"); n != 1 {
			t.Fatalf("receipts sent = %d", n)
		}
		e.clock.Advance(time.Minute)
		e.srv.ResetCalls()
		rep := e.cycle()
		if rep.DraftsDeleted != 0 || rep.Sent == 0 {
			t.Fatalf("report = %+v, want the lost sends confirmed", rep)
		}
		calls := e.srv.Calls()
		if calls["gmail.users.messages.get"] == 0 {
			t.Errorf("no sent mail read: %v", calls)
		}
		e.srv.ResetCalls()
		e.clock.Advance(time.Minute)
		e.cycle()
		if n := e.srv.Calls()["gmail.users.drafts.send"]; n != 0 {
			t.Errorf("confirmed emails sent again: %d drafts.send", n)
		}
		if n := sentWith(e, "Tanda terima"); n != 1 {
			t.Fatalf("receipts sent = %d, want 1", n)
		}
		notes := cell(e.rows(), rowOf(e.rows(), "KOPI-2026-0001"), "Catatan Sistem")
		if strings.Contains(notes, "tidak terkirim") {
			t.Errorf("notes = %q", notes)
		}
	})
}

// TestDeletedAnswerDraftIsResentOnKirimUlang: the approved answer's draft
// is deleted in Gmail; kopi flags it and the row is not marked sent; the
// admin sets Kirim Ulang and the answer goes out once, in the receipt's
// thread.
func TestDeletedAnswerDraftIsResentOnKirimUlang(t *testing.T) {
	t.Parallel()
	underEach(t, draftIDVariants, func(t *testing.T) {
		e := setup(t)
		e.submit(complete("ani", e.cfg.TopicNames()[0]))
		e.cycle()
		e.clock.Advance(time.Hour)
		answerRow(e, "KOPI-2026-0001", answerText, rules.StatusDisetujui)
		holdSends(e)
		deleteAllDrafts(e)
		e.clock.Advance(time.Minute)
		if rep := e.cycle(); rep.DraftsDeleted != 1 {
			t.Fatalf("report = %+v", rep)
		}
		e.clock.Advance(time.Minute)
		e.cycle()
		rows := e.rows()
		r := rowOf(rows, "KOPI-2026-0001")
		if n := len(sentTo(e, "Re: ")); n != 0 || cell(rows, r, "Status") != string(rules.StatusDisetujui) {
			t.Fatalf("answers sent %d, status %q", n, cell(rows, r, "Status"))
		}
		if notes := cell(rows, r, "Catatan Sistem"); !strings.Contains(notes, "Kirim Ulang") {
			t.Fatalf("notes = %q", notes)
		}
		answerRow(e, "KOPI-2026-0001", "", rules.StatusKirimUlang)
		e.clock.Advance(time.Minute)
		e.cycle()
		e.clock.Advance(time.Minute)
		e.cycle()
		answers := sentTo(e, "Re: ")
		if len(answers) != 1 {
			t.Fatalf("answers sent = %d, want 1", len(answers))
		}
		if rt := sentTo(e, "Tanda terima"); answers[0].ThreadID != rt[0].ThreadID {
			t.Error("resent answer is not in the receipt's thread")
		}
		if got := cell(e.rows(), r, "Status"); got != string(rules.StatusTerkirim) {
			t.Errorf("status = %q", got)
		}
	})
}
