package sync_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"google.golang.org/api/sheets/v4"

	"kopi/rules"
	"kopi/sop"
)

// history is the Riwayat tab as staff see it.
func (e *env) history() [][]string {
	e.t.Helper()
	v, err := e.srv.SpreadsheetValues(e.sheetID, "Riwayat")
	if err != nil {
		e.t.Fatal(err)
	}
	return v
}

// kopiPath is a KOPI case's transitions in the Riwayat tab, "from→to"
// each, in the order they were written.
func (e *env) kopiPath(ticket string) string {
	hist := e.history()
	var out []string
	for i := 1; i < len(hist); i++ {
		if cell(hist, i, "No. Kasus") == ticket {
			if cell(hist, i, "SOP") != "kopi" {
				e.t.Fatalf("Riwayat row %d of %s names SOP %q", i, ticket, cell(hist, i, "SOP"))
			}
			out = append(out, cell(hist, i, "Dari Langkah")+"→"+cell(hist, i, "Ke Langkah"))
		}
	}
	return strings.Join(out, " ")
}

// historyRow is the last Riwayat row of ticket from→to.
func (e *env) historyRow(ticket, from, to string) (hist [][]string, row int) {
	e.t.Helper()
	hist = e.history()
	row = -1
	for i := 1; i < len(hist); i++ {
		if cell(hist, i, "No. Kasus") == ticket && cell(hist, i, "Dari Langkah") == from && cell(hist, i, "Ke Langkah") == to {
			row = i
		}
	}
	if row < 0 {
		e.t.Fatalf("no Riwayat row %s %s→%s in %v", ticket, from, to, hist)
	}
	return hist, row
}

// subjects counts the sent emails whose subject contains each part; an
// answer ("Re: " and the receipt's subject) counts only as "Re: ".
func (e *env) subjects(parts ...string) map[string]int {
	out := map[string]int{}
	for _, m := range e.srv.Sent("me") {
		for _, p := range parts {
			if strings.HasPrefix(m.Subject, "Re: ") == (p == "Re: ") && strings.Contains(m.Subject, p) {
				out[p]++
			}
		}
	}
	return out
}

// TestKOPIHistoryFollowsTheCase runs one consultation through every
// step of sop/kopi.yaml — an incomplete form sent back, completed,
// assigned, answered, returned to the consultant (Ditugaskan), answered
// again, approved, sent, archived — and checks that the Riwayat tab has
// one row per transition, in order, with decision, correction, note,
// actor and the step's time standard, that each email went out once,
// and that idle cycles add nothing.
func TestKOPIHistoryFollowsTheCase(t *testing.T) {
	t.Parallel()
	e := setup(t)
	const tk = "KOPI-2026-0001"
	bad := complete("ani", e.cfg.TopicNames()[0])
	bad[rules.FieldWhatsApp] = "12345"
	id := e.submit(bad)
	e.clock.Advance(time.Minute)
	if rep := e.cycle(); rep.KOPITransitions != 3 {
		t.Fatalf("intake of an incomplete form: %d transitions, want 3 (start, form, back to the requester)", rep.KOPITransitions)
	}
	if got := e.kopiPath(tk); got != "-→1 1→2 2→1" {
		t.Fatalf("Riwayat after an incomplete form = %s", got)
	}
	hist, r := e.historyRow(tk, "2", "1")
	if cell(hist, r, "Keputusan") != rules.DecisionIncomplete || cell(hist, r, "Koreksi") != "Ya" || !strings.Contains(cell(hist, r, "Catatan"), "WhatsApp") {
		t.Errorf("correction row = %v", hist[r])
	}
	if n := e.subjects("belum lengkap", "Tanda terima"); n["belum lengkap"] != 1 || n["Tanda terima"] != 0 {
		t.Fatalf("after an incomplete form: %v, want one notice and no receipt", n)
	}

	// The requester completes the form: checked, forwarded, assigned.
	if _, err := e.srv.EditResponse(e.formID, id, e.answers(complete("ani", e.cfg.TopicNames()[0]))); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Minute)
	e.cycle()
	if got := e.kopiPath(tk); got != "-→1 1→2 2→1 1→2 2→3" {
		t.Fatalf("Riwayat after the completed form = %s", got)
	}
	rows := e.rows()
	consultant := cell(rows, rowOf(rows, tk), "Konsuler")
	if st := cell(rows, rowOf(rows, tk), "Status"); st != string(rules.StatusDitugaskan) || consultant == "" {
		t.Fatalf("status %q, consultant %q after assignment", st, consultant)
	}
	hist, r = e.historyRow(tk, "2", "3")
	if cell(hist, r, "Keputusan") != rules.DecisionForward || cell(hist, r, "Waktu Baku") == "" || cell(hist, r, "Sesuai Waktu Baku") != "Ya" {
		t.Errorf("forward row = %v", hist[r])
	}

	// The consultant answers; the admin sends it back; answered again.
	e.clock.Advance(time.Hour)
	answerRow(e, tk, "Jawaban pertama.", rules.StatusDijawab)
	e.cycle()
	hist, r = e.historyRow(tk, "3", "4")
	if cell(hist, r, "Keputusan") != "Dijawab" || !strings.Contains(cell(hist, r, "Pelaksana"), consultant) {
		t.Errorf("answer row = %v (consultant %s)", hist[r], consultant)
	}
	e.clock.Advance(10 * time.Minute)
	answerRow(e, tk, "", rules.StatusDitugaskan)
	e.cycle()
	hist, r = e.historyRow(tk, "4", "3")
	if cell(hist, r, "Keputusan") != "Ditugaskan" || cell(hist, r, "Koreksi") != "Ya" || cell(hist, r, "Catatan") == "" {
		t.Errorf("return row = %v", hist[r])
	}
	e.clock.Advance(30 * time.Minute)
	answerRow(e, tk, answerText, rules.StatusDijawab)
	e.cycle()

	// Approved: the answer goes out; the next cycle sees it sent.
	e.clock.Advance(10 * time.Minute)
	answerRow(e, tk, "", rules.StatusDisetujui)
	e.cycle()
	e.clock.Advance(time.Minute)
	e.cycle()
	rows = e.rows()
	if st := cell(rows, rowOf(rows, tk), "Status"); st != string(rules.StatusTerkirim) {
		t.Fatalf("status after the send = %q", st)
	}
	e.clock.Advance(time.Hour)
	answerRow(e, tk, "", rules.StatusSelesai)
	e.cycle()
	want := "-→1 1→2 2→1 1→2 2→3 3→4 4→3 3→4 4→6 6→5 5→-"
	if got := e.kopiPath(tk); got != want {
		t.Fatalf("Riwayat = %s\nwant      %s", got, want)
	}
	hist, r = e.historyRow(tk, "6", "5")
	if cell(hist, r, "Keputusan") != "" || !strings.Contains(cell(hist, r, "Pelaksana"), "email") {
		t.Errorf("sent row = %v", hist[r])
	}
	for i := 0; i < 3; i++ {
		e.clock.Advance(time.Hour)
		if rep := e.cycle(); rep.KOPITransitions != 0 {
			t.Fatalf("idle cycle %d took %d transitions", i, rep.KOPITransitions)
		}
	}
	if got := e.kopiPath(tk); got != want {
		t.Fatalf("Riwayat after idle cycles = %s", got)
	}
	n := e.subjects("belum lengkap", "Tanda terima", "Penugasan", "Re: ")
	if n["belum lengkap"] != 1 || n["Tanda terima"] != 1 || n["Penugasan"] != 1 || n["Re: "] != 1 {
		t.Errorf("emails = %v, want each once (no second assignment on the correction loop)", n)
	}
	// Compliance per step over the history as read back from the tab:
	// step k left twice at 1–4 (two forms, two checks, two answers, two
	// reviews), once at 6 and 5; one correction loop at 2 and at 4.
	read, err := e.workspace().Tracker.History(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range rules.Compliance(sop.KOPI(), read) {
		got = append(got, fmt.Sprintf("%d:%d/%d", c.Step, c.Done, c.Corrections))
	}
	if g := strings.Join(got, " "); g != "1:2/0 2:2/1 3:2/0 4:2/1 5:1/0 6:1/0" {
		t.Errorf("compliance (step:done/corrections) = %s", g)
	}
}

// TestKOPIHistoryWithoutApproval: with answers.approval_required off,
// the answer needs no Disetujui; the history says kopi approved it by
// the setting, and the send follows.
func TestKOPIHistoryWithoutApproval(t *testing.T) {
	t.Parallel()
	e := setupWith(t, func(c *rules.Config) { c.Answers.ApprovalRequired = false })
	const tk = "KOPI-2026-0001"
	e.submit(complete("ani", e.cfg.TopicNames()[0]))
	e.clock.Advance(time.Minute)
	e.cycle()
	answerRow(e, tk, answerText, rules.StatusDijawab)
	e.clock.Advance(time.Minute)
	e.cycle()
	e.clock.Advance(time.Minute)
	e.cycle()
	if got := e.kopiPath(tk); got != "-→1 1→2 2→3 3→4 4→6 6→5" {
		t.Fatalf("Riwayat = %s", got)
	}
	hist, r := e.historyRow(tk, "4", "6")
	if cell(hist, r, "Keputusan") != "Disetujui" || !strings.Contains(cell(hist, r, "Pelaksana"), "tidak diwajibkan") {
		t.Errorf("approval row = %v", hist[r])
	}
}

// kopiCrash runs a KOPI transition's cycle with the daemon killed after
// call k (or call k applied and its answer lost), then clean cycles, for
// every k of the clean run: the Riwayat path and the emails must be
// exactly those of a run without a crash.
func kopiCrash(t *testing.T, prepare func(e *env), cleanAfter int, wantPath string, wantMails map[string]int) {
	t.Helper()
	parts := make([]string, 0, len(wantMails))
	for p := range wantMails {
		parts = append(parts, p)
	}
	check := func(t *testing.T, e *env, label string) {
		t.Helper()
		if got := e.kopiPath("KOPI-2026-0001"); got != wantPath {
			t.Fatalf("%s: Riwayat = %s, want %s", label, got, wantPath)
		}
		got := e.subjects(parts...)
		for p, n := range wantMails {
			if got[p] != n {
				t.Errorf("%s: %q emails = %d, want %d", label, p, got[p], n)
			}
		}
		drafts, err := e.gmail().Users.Drafts.List("me").Do()
		if err != nil {
			t.Fatal(err)
		}
		if len(drafts.Drafts) != 0 {
			t.Errorf("%s: %d drafts left", label, len(drafts.Drafts))
		}
	}
	// The office before the transition, built once; the clean run and
	// every crash point start from a copy of it.
	office := setup(t)
	prepare(office)
	clean := office.fork(t)
	clean.transport.arm(0, 0)
	clean.cycle()
	calls := clean.transport.count()
	for i := 0; i < cleanAfter; i++ {
		clean.clock.Advance(time.Minute)
		clean.cycle()
	}
	check(t, clean, "no crash")
	eachCrashPoint(t, calls, func(t *testing.T, label string, crash func(*env)) {
		e := office.fork(t)
		crash(e)
		e.settle(cleanAfter+2, nil)
		check(t, e, label)
	})
	t.Logf("%d calls in the transition's cycle, %d crash points", calls, 2*calls)
}

// TestKOPIIntakeCrashAtEveryCall: the intake of a complete form (start,
// form, forwarded and assigned: three history rows, a receipt and an
// assignment) interrupted at every call.
func TestKOPIIntakeCrashAtEveryCall(t *testing.T) {
	t.Parallel()
	kopiCrash(t, func(e *env) {
		e.submit(complete("ani", e.cfg.TopicNames()[0]))
		e.clock.Advance(time.Minute)
	}, 0, "-→1 1→2 2→3", map[string]int{"Tanda terima": 1, "Penugasan": 1})
}

// TestKOPIApprovalCrashAtEveryCall: the approval's cycle (4→6, the
// answer email) interrupted at every call, then the send's record
// (6→5): each history row and the answer exactly once.
func TestKOPIApprovalCrashAtEveryCall(t *testing.T) {
	t.Parallel()
	kopiCrash(t, func(e *env) {
		e.submit(complete("ani", e.cfg.TopicNames()[0]))
		e.clock.Advance(time.Minute)
		e.cycle()
		answerRow(e, "KOPI-2026-0001", answerText, rules.StatusDijawab)
		e.clock.Advance(time.Minute)
		e.cycle()
		answerRow(e, "KOPI-2026-0001", "", rules.StatusDisetujui)
		e.clock.Advance(time.Minute)
		e.transport.arm(0, 0)
	}, 1, "-→1 1→2 2→3 3→4 4→6 6→5", map[string]int{"Tanda terima": 1, "Penugasan": 1, "Re: ": 1})
}

// TestKOPISentCrashAtEveryCall: the cycle that sees the answer sent
// (6→5, status Terkirim) interrupted at every call.
func TestKOPISentCrashAtEveryCall(t *testing.T) {
	t.Parallel()
	kopiCrash(t, func(e *env) {
		e.submit(complete("ani", e.cfg.TopicNames()[0]))
		e.clock.Advance(time.Minute)
		e.cycle()
		answerRow(e, "KOPI-2026-0001", answerText, rules.StatusDisetujui)
		e.clock.Advance(time.Minute)
		e.cycle()
		e.clock.Advance(time.Minute)
		e.transport.arm(0, 0)
	}, 0, "-→1 1→2 2→3 3→4 4→6 6→5", map[string]int{"Re: ": 1})
}

// kopiFlowRows are the state tab's rows holding KOPI flow records.
func (e *env) kopiFlowRows() []int {
	e.t.Helper()
	rows, err := e.srv.SpreadsheetValues(e.sheetID, "_kopi")
	if err != nil {
		e.t.Fatal(err)
	}
	var out []int
	for i := 1; i < len(rows); i++ {
		if cell(rows, i, "jenis") == "alur" && strings.HasPrefix(cell(rows, i, "kunci"), "kopi/") {
			out = append(out, i)
		}
	}
	return out
}

// dropKOPIFlows clears the state tab's KOPI flow records, as a tracker
// from before kopi kept them (or one whose closed flows were compacted)
// has none.
func (e *env) dropKOPIFlows() {
	e.t.Helper()
	st := newStaff(e)
	for _, i := range e.kopiFlowRows() {
		if _, err := st.svc.Spreadsheets.Values.Clear(e.sheetID, fmt.Sprintf("_kopi!A%d:Z%d", i+1, i+1), &sheets.ClearValuesRequest{}).Do(); err != nil {
			e.t.Fatal(err)
		}
	}
}

// TestKOPIFlowAdoptedFromStatus: cases kopi keeps no flow for start at
// the step their status shows, with no history row and no email. The
// open one is recorded at once and moves on from there with its Riwayat
// row; the sent one is not recorded (old closed cases cost no state
// rows), so its archiving is no transition either — its history before
// was never observed.
func TestKOPIFlowAdoptedFromStatus(t *testing.T) {
	t.Parallel()
	e := setup(t)
	const open, sent = "KOPI-2026-0001", "KOPI-2026-0002"
	e.submit(complete("ani", e.cfg.TopicNames()[0]))
	e.submit(complete("budi", e.cfg.TopicNames()[1]))
	e.clock.Advance(time.Minute)
	e.cycle()
	if n := len(e.kopiFlowRows()); n != 2 {
		t.Fatalf("%d KOPI flow records, want 2", n)
	}
	answerRow(e, sent, answerText, rules.StatusDisetujui)
	e.clock.Advance(time.Minute)
	e.cycle()
	e.clock.Advance(time.Minute)
	e.cycle()
	e.dropKOPIFlows()
	hist, mails := len(e.history()), len(e.srv.Sent("me"))
	for i := 0; i < 2; i++ {
		e.clock.Advance(time.Minute)
		if rep := e.cycle(); rep.KOPITransitions != 0 {
			t.Fatalf("adoption took %d transitions", rep.KOPITransitions)
		}
	}
	if len(e.history()) != hist || len(e.srv.Sent("me")) != mails {
		t.Fatalf("adoption wrote history or sent email")
	}
	if n := len(e.kopiFlowRows()); n != 1 {
		t.Fatalf("%d KOPI flow records after adoption, want 1 (the open case's)", n)
	}
	answerRow(e, open, "Jawaban.", rules.StatusDijawab)
	answerRow(e, sent, "", rules.StatusSelesai)
	e.clock.Advance(time.Minute)
	e.cycle()
	if got := e.kopiPath(open); got != "-→1 1→2 2→3 3→4" {
		t.Errorf("open case's Riwayat = %s", got)
	}
	if got := e.kopiPath(sent); got != "-→1 1→2 2→3 3→4 4→6 6→5" {
		t.Errorf("sent case's Riwayat = %s", got)
	}
	if n := len(e.kopiFlowRows()); n != 1 {
		t.Errorf("%d KOPI flow records, want 1", n)
	}
}
