package sync_test

import (
	"strings"
	"testing"
	"time"

	"kopi/google/fake"
	"kopi/rules"
)

// answerRow writes the consultant's answer and a status into a ticket's
// row, as staff do in the Sheet.
func answerRow(e *env, ticket, answer string, status rules.Status) {
	e.t.Helper()
	st := newStaff(e)
	rows := e.rows()
	r := rowOf(rows, ticket)
	if r < 0 {
		e.t.Fatalf("no row for %s", ticket)
	}
	if answer != "" {
		st.set(a1(column(rows, "Jawaban"), r), answer)
	}
	st.set(a1(column(rows, "Status"), r), string(status))
}

func sentTo(e *env, subjectPart string) []fake.SentMessage {
	var out []fake.SentMessage
	for _, m := range e.srv.Sent("me") {
		if strings.Contains(m.Subject, subjectPart) {
			out = append(out, m)
		}
	}
	return out
}

const answerText = "Terima kasih atas pertanyaannya.\nTindak lanjut rekomendasi dilaporkan paling lambat 60 hari.\nLihat https://jdih.bpk.go.id/peraturan, pasal 20."

// TestAnswerApprovedIsSentOnceInThread: answer → approve → exactly one
// answer email, in the receipt's Gmail thread and replying to its real
// Message-ID, quoting the question, with the survey link; the row is
// stamped and marked Terkirim; later cycles send nothing more.
func TestAnswerApprovedIsSentOnceInThread(t *testing.T) {
	t.Parallel()
	underEach(t, oneSortVariant, testAnswerApprovedIsSentOnceInThread)
}

func testAnswerApprovedIsSentOnceInThread(t *testing.T) {
	e := setupUnsorted(t)
	e.cfg.Survey.URL = "https://forms.gle/skm-kopi"
	e.submit(complete("ani", e.cfg.TopicNames()[0]))
	e.cycle()
	receipts := sentTo(e, "Tanda terima")
	if len(receipts) != 1 {
		t.Fatalf("receipts = %d", len(receipts))
	}

	e.clock.Advance(time.Hour)
	answerRow(e, "KOPI-2026-0001", answerText, rules.StatusDijawab)
	rep := e.cycle()
	if n := len(sentTo(e, "Re: ")); n != 0 || rep.AnswersQueued != 0 {
		t.Fatalf("answer sent without approval: %d emails, report %+v", n, rep)
	}
	rows := e.rows()
	r := rowOf(rows, "KOPI-2026-0001")
	if cell(rows, r, "Dijawab Oleh") == "" || cell(rows, r, "Dijawab Pada") == "" {
		t.Fatalf("answer not stamped: %q / %q", cell(rows, r, "Dijawab Oleh"), cell(rows, r, "Dijawab Pada"))
	}
	if !strings.Contains(cell(rows, r, "Tautan WhatsApp"), "text=") || !strings.Contains(cell(rows, r, "Tautan WhatsApp"), "60%20hari") {
		t.Fatalf("WhatsApp link has no answer: %q", cell(rows, r, "Tautan WhatsApp"))
	}

	e.clock.Advance(10 * time.Minute)
	answerRow(e, "KOPI-2026-0001", "", rules.StatusDisetujui)
	approvedAt := e.clock.Now()
	e.srv.ResetCalls()
	rep = e.cycle()
	answers := sentTo(e, "Re: ")
	if len(answers) != 1 {
		t.Fatalf("answers sent = %d, want 1", len(answers))
	}
	a := answers[0]
	if a.ThreadID != receipts[0].ThreadID {
		t.Errorf("answer thread %s, receipt thread %s", a.ThreadID, receipts[0].ThreadID)
	}
	if !strings.Contains(string(a.Raw), "In-Reply-To: <"+receipts[0].MessageID+">") {
		t.Errorf("answer does not reply to the receipt's Message-ID %s", receipts[0].MessageID)
	}
	if a.Subject != "Re: "+receipts[0].Subject || !strings.Contains(a.Subject, "KOPI-2026-0001") {
		t.Errorf("subject %q", a.Subject)
	}
	if len(a.To) != 1 || a.To[0] != "pemohon.ani@desa.example.id" {
		t.Errorf("to = %v", a.To)
	}
	for _, want := range []string{"> Bagaimana tata cara tindak lanjut", "60 hari", "https://forms.gle/skm-kopi", "Dijawab oleh"} {
		if !strings.Contains(a.Text, want) {
			t.Errorf("answer text lacks %q:\n%s", want, a.Text)
		}
	}
	t.Logf("answer cycle: %d API calls for %d email(s) (approved at %s, sent in the next cycle)", totalCalls(e), rep.Sent, approvedAt.Format("15:04"))

	// The next cycle records the send in the row, from the journal.
	e.clock.Advance(time.Minute)
	rep = e.cycle()
	rows = e.rows()
	r = rowOf(rows, "KOPI-2026-0001")
	if got := cell(rows, r, "Status"); got != string(rules.StatusTerkirim) {
		t.Fatalf("status after send = %q (report %+v)", got, rep)
	}
	if cell(rows, r, "Terkirim Pada") == "" {
		t.Fatal("Terkirim Pada empty")
	}
	for i := 0; i < 3; i++ {
		e.clock.Advance(time.Minute)
		e.cycle()
	}
	if n := len(sentTo(e, "Re: ")); n != 1 {
		t.Fatalf("answers sent = %d after more cycles", n)
	}
}

// TestAnswerEditedAfterSendIsFlaggedNotResent: an answer changed after it
// went out is flagged in the row and not sent again, until the admin sets
// Kirim Ulang; then exactly one more email, with the new text.
func TestAnswerEditedAfterSendIsFlaggedNotResent(t *testing.T) {
	t.Parallel()
	underEach(t, oneSortVariant, testAnswerEditedAfterSendIsFlaggedNotResent)
}

func testAnswerEditedAfterSendIsFlaggedNotResent(t *testing.T) {
	e := setupUnsorted(t)
	e.submit(complete("budi", e.cfg.TopicNames()[1]))
	e.cycle()
	answerRow(e, "KOPI-2026-0001", answerText, rules.StatusDisetujui)
	e.cycle()
	e.cycle()
	if n := len(sentTo(e, "Re: ")); n != 1 {
		t.Fatalf("answers = %d", n)
	}
	answerRow(e, "KOPI-2026-0001", answerText+"\nTambahan: batas waktu diperpanjang.", rules.StatusTerkirim)
	e.cycle()
	e.cycle()
	rows := e.rows()
	r := rowOf(rows, "KOPI-2026-0001")
	if n := strings.Count(cell(rows, r, "Catatan Sistem"), "Jawaban diubah setelah terkirim"); n != 1 {
		t.Fatalf("flag written %d times: %q", n, cell(rows, r, "Catatan Sistem"))
	}
	if n := len(sentTo(e, "Re: ")); n != 1 {
		t.Fatalf("changed answer re-sent silently: %d answers", n)
	}
	answerRow(e, "KOPI-2026-0001", "", rules.StatusKirimUlang)
	e.cycle()
	e.cycle()
	e.cycle()
	answers := sentTo(e, "Re: ")
	if len(answers) != 2 || !strings.Contains(answers[1].Text, "diperpanjang") {
		t.Fatalf("after Kirim Ulang: %d answers", len(answers))
	}
	rows = e.rows()
	if got := cell(rows, rowOf(rows, "KOPI-2026-0001"), "Status"); got != string(rules.StatusTerkirim) {
		t.Fatalf("status after re-send = %q", got)
	}
}

// TestAnswerWithoutApprovalWhenConfigured: offices that turned approval
// off send on Dijawab.
func TestAnswerWithoutApprovalWhenConfigured(t *testing.T) {
	t.Parallel()
	underEach(t, oneSortVariant, testAnswerWithoutApprovalWhenConfigured)
}

func testAnswerWithoutApprovalWhenConfigured(t *testing.T) {
	e := setupUnsorted(t)
	e.cfg.Answers.ApprovalRequired = false
	e.submit(complete("citra", e.cfg.TopicNames()[2]))
	e.cycle()
	answerRow(e, "KOPI-2026-0001", answerText, rules.StatusDijawab)
	e.cycle()
	if n := len(sentTo(e, "Re: ")); n != 1 {
		t.Fatalf("answers = %d", n)
	}
}

// TestAnswerUnapprovedBeforeSendIsHeld: an empty answer is flagged, never
// sent; an answer approved and then sent back to Dijawab is not sent.
func TestAnswerEmptyIsFlagged(t *testing.T) {
	t.Parallel()
	underEach(t, oneSortVariant, testAnswerEmptyIsFlagged)
}

func testAnswerEmptyIsFlagged(t *testing.T) {
	e := setupUnsorted(t)
	e.submit(complete("dedi", e.cfg.TopicNames()[0]))
	e.cycle()
	answerRow(e, "KOPI-2026-0001", "", rules.StatusDisetujui)
	e.cycle()
	rows := e.rows()
	if !strings.Contains(cell(rows, rowOf(rows, "KOPI-2026-0001"), "Catatan Sistem"), "Jawaban kosong") {
		t.Fatalf("notes = %q", cell(rows, rowOf(rows, "KOPI-2026-0001"), "Catatan Sistem"))
	}
	if n := len(sentTo(e, "Re: ")); n != 0 {
		t.Fatalf("empty answer sent")
	}
}

// TestAnswerHTMLIsInert: markup in an answer is escaped, links are kept
// as links, and a javascript: URL never becomes one.
func TestAnswerHTMLIsInert(t *testing.T) {
	t.Parallel()
	underEach(t, oneSortVariant, testAnswerHTMLIsInert)
}

func testAnswerHTMLIsInert(t *testing.T) {
	e := setupUnsorted(t)
	e.submit(complete("eka", e.cfg.TopicNames()[0]))
	e.cycle()
	answerRow(e, "KOPI-2026-0001", "<script>alert(1)</script> lihat https://example.go.id/a?b=1&c=2. javascript:alert(2)", rules.StatusDisetujui)
	e.cycle()
	a := sentTo(e, "Re: ")
	if len(a) != 1 {
		t.Fatalf("answers = %d", len(a))
	}
	raw := string(a[0].Raw)
	_, raw, _ = strings.Cut(raw, "text/html") // the plain-text part may say <script> verbatim
	if !strings.Contains(raw, "&lt;script&gt;") || !strings.Contains(raw, `<a href=3D"https://example.go.id/a?b=3D1&amp;c=3D2">`) {
		t.Fatalf("HTML part lacks escaped markup or the link:\n%s", raw)
	}
	if strings.Contains(raw, "<script>") || strings.Contains(raw, `href=3D"javascript`) || strings.Contains(raw, `href="javascript`) {
		t.Fatalf("markup not escaped:\n%s", raw)
	}
}

// totalCalls is the number of API calls the fake served since ResetCalls.
func totalCalls(e *env) int {
	n := 0
	for _, c := range e.srv.Calls() {
		n += c
	}
	return n
}
