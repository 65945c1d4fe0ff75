package sync_test

import (
	"strings"
	"testing"
	"time"

	"kopi/rules"
)

func sentWith(e *env, part string) int {
	n := 0
	for _, m := range e.srv.Sent("me") {
		if strings.Contains(m.Subject, part) {
			n++
		}
	}
	return n
}

// TestIncompleteThenCompleted: an incomplete request gets a notice and no
// deadline; completing the form restarts the clock, assigns a consultant
// and sends the receipt.
func TestIncompleteThenCompleted(t *testing.T) {
	t.Parallel()
	e := setup(t)
	topic := e.cfg.TopicNames()[3] // follow-up of findings: needs a document
	s := complete("eka", topic)
	delete(s, rules.FieldLampiran)
	id := e.submit(s)
	e.cycle()
	rows := e.rows()
	r := rowOf(rows, "KOPI-2026-0001")
	if got := cell(rows, r, "Status"); got != string(rules.StatusKurangLengkap) {
		t.Fatalf("status = %q", got)
	}
	if got := cell(rows, r, "Tenggat"); got != "" {
		t.Fatalf("deadline while waiting = %q", got)
	}
	if !strings.Contains(cell(rows, r, "Kelengkapan"), "Dokumen pendukung") {
		t.Fatalf("completeness = %q", cell(rows, r, "Kelengkapan"))
	}
	if sentWith(e, "belum lengkap") != 1 || sentWith(e, "Tanda terima") != 0 {
		t.Fatalf("emails: %d notices, %d receipts", sentWith(e, "belum lengkap"), sentWith(e, "Tanda terima"))
	}

	// Wednesday 10:00: the requester adds the document.
	e.clock.Set(time.Date(2026, 3, 4, 10, 0, 0, 0, wib))
	if _, err := e.srv.EditResponse(e.formID, id, e.answers(complete("eka", topic))); err != nil {
		t.Fatal(err)
	}
	e.cycle()
	rows = e.rows()
	r = rowOf(rows, "KOPI-2026-0001")
	if got := cell(rows, r, "Status"); got != string(rules.StatusDitugaskan) {
		t.Fatalf("status after edit = %q", got)
	}
	// 30 minutes (step 2) + 1 working day (step 3) from Wednesday 10:00.
	if got := cell(rows, r, "Tenggat"); got != "2026-03-05 10:30" {
		t.Fatalf("deadline = %q, want 2026-03-05 10:30", got)
	}
	if cell(rows, r, "Lampiran") == "" || cell(rows, r, "Kelengkapan") != "Lengkap" {
		t.Fatalf("row not updated: %q / %q", cell(rows, r, "Lampiran"), cell(rows, r, "Kelengkapan"))
	}
	if sentWith(e, "Tanda terima") != 1 || sentWith(e, "Penugasan") != 1 || sentWith(e, "belum lengkap") != 1 {
		t.Fatalf("emails after edit: %d receipts, %d assignments, %d notices", sentWith(e, "Tanda terima"), sentWith(e, "Penugasan"), sentWith(e, "belum lengkap"))
	}
}

// TestEditAfterAssignmentIsNoted: once a case is with its consultant, a
// requester's edit does not rewrite the row; it is noted for the admin.
func TestEditAfterAssignmentIsNoted(t *testing.T) {
	t.Parallel()
	e := setup(t)
	topic := e.cfg.TopicNames()[0]
	id := e.submit(complete("fajar", topic))
	e.cycle()
	sent := len(e.srv.Sent("me"))
	e.clock.Advance(time.Hour)
	changed := complete("fajar", topic)
	changed[rules.FieldPertanyaan] = "Pertanyaan yang diganti setelah ditugaskan."
	if _, err := e.srv.EditResponse(e.formID, id, e.answers(changed)); err != nil {
		t.Fatal(err)
	}
	rep := e.cycle()
	if rep.EditsNoted != 1 {
		t.Fatalf("report = %+v", rep)
	}
	rows := e.rows()
	r := rowOf(rows, "KOPI-2026-0001")
	if strings.Contains(cell(rows, r, "Pertanyaan"), "diganti") {
		t.Fatal("question rewritten after assignment")
	}
	if !strings.Contains(cell(rows, r, "Catatan Sistem"), "tidak diterapkan") {
		t.Fatalf("notes = %q", cell(rows, r, "Catatan Sistem"))
	}
	e.cycle()
	if n := strings.Count(cell(e.rows(), r, "Catatan Sistem"), "tidak diterapkan"); n != 1 {
		t.Fatalf("note written %d times", n)
	}
	if len(e.srv.Sent("me")) != sent {
		t.Fatal("an edit after assignment sent email")
	}
}

// TestDeletedRowIsNotRecreated: staff delete a case's row; the ledger
// keeps kopi from re-creating it and from reusing its number.
func TestDeletedRowIsNotRecreated(t *testing.T) {
	t.Parallel()
	e := setup(t)
	topic := e.cfg.TopicNames()[1]
	id := e.submit(complete("gita", topic))
	e.cycle()
	st := newStaff(e)
	rows := e.rows()
	r := rowOf(rows, "KOPI-2026-0001")
	st.batch(deleteRow(st.sheetID(), r))
	e.clock.Advance(time.Minute)
	if _, err := e.srv.EditResponse(e.formID, id, e.answers(complete("gita", topic))); err != nil {
		t.Fatal(err)
	}
	e.submit(complete("hadi", topic))
	rep := e.cycle()
	if rep.Deleted != 1 {
		t.Fatalf("report = %+v", rep)
	}
	rows = e.rows()
	if rowOf(rows, "KOPI-2026-0001") >= 0 {
		t.Fatal("deleted row re-created")
	}
	if r := rowOf(rows, "KOPI-2026-0002"); r < 0 || cell(rows, r, "Nama") != "hadi" {
		t.Fatal("the next request did not get the next number")
	}
}

// TestNobodyAvailable: when no consultant can take a topic, the case
// waits as Baru with the reason, the admin is told once, and the case is
// assigned as soon as the roster allows.
func TestNobodyAvailable(t *testing.T) {
	t.Parallel()
	e := setup(t)
	st := newStaff(e)
	roster, err := e.srv.SpreadsheetValues(e.sheetID, "Konsuler")
	if err != nil {
		t.Fatal(err)
	}
	active := column(roster, "Aktif")
	for i := 1; i < len(roster); i++ {
		if len(roster[i]) > active && roster[i][active] != "" {
			st.set("Konsuler!"+a1(active, i)[len("Konsultasi!"):], "Tidak")
		}
	}
	e.submit(complete("indah", e.cfg.TopicNames()[0]))
	e.cycle()
	e.cycle()
	rows := e.rows()
	r := rowOf(rows, "KOPI-2026-0001")
	if got := cell(rows, r, "Status"); got != string(rules.StatusBaru) {
		t.Fatalf("status = %q", got)
	}
	if !strings.Contains(cell(rows, r, "Catatan Sistem"), "Belum ditugaskan") {
		t.Fatalf("notes = %q", cell(rows, r, "Catatan Sistem"))
	}
	if sentWith(e, "belum dapat ditugaskan") != 1 || sentWith(e, "Tanda terima") != 1 {
		t.Fatalf("emails: %d admin notices, %d receipts", sentWith(e, "belum dapat ditugaskan"), sentWith(e, "Tanda terima"))
	}
	st.set("Konsuler!"+a1(active, 4)[len("Konsultasi!"):], "Ya")
	e.cycle()
	rows = e.rows()
	if got := cell(rows, r, "Status"); got != string(rules.StatusDitugaskan) {
		t.Fatalf("status after roster change = %q", got)
	}
	if sentWith(e, "Penugasan") != 1 {
		t.Fatal("no assignment email")
	}
}

// TestUndeliverableIsNoted: an email that cannot go out (the requester's
// address is unusable) is never retried blindly; its reason is noted in
// the case's row for the admin, once.
func TestUndeliverableIsNoted(t *testing.T) {
	t.Parallel()
	e := setup(t)
	s := complete("joko", e.cfg.TopicNames()[0])
	s[rules.FieldEmail] = "joko-at-desa"
	e.submit(s)
	rep := e.cycle()
	// The only email that goes out is the admins' daily digest.
	if rep.Failed != 1 || rep.Sent != sentWith(e, "Ringkasan harian") {
		t.Fatalf("report = %+v", rep)
	}
	e.cycle()
	e.cycle()
	rows := e.rows()
	notes := cell(rows, rowOf(rows, "KOPI-2026-0001"), "Catatan Sistem")
	if strings.Count(notes, "tidak terkirim") != 1 {
		t.Fatalf("notes = %q", notes)
	}
	if len(e.srv.Sent("me")) != sentWith(e, "Ringkasan harian") {
		t.Fatal("email sent to an unusable address")
	}
}
