package sync_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"kopi/google/fake"
	"kopi/rules"
	"kopi/sop"
)

// TestMonthReportEmailOnce: on the first office hours of April the
// secretariat gets March's figures and the report link, once.
func TestMonthReportEmailOnce(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.cfg.Report.Secretariat = []string{"sekretariat@example.go.id"}
	e.submit(complete("ani", e.cfg.TopicNames()[0]))
	e.submit(complete("budi", e.cfg.TopicNames()[1]))
	e.cycle()
	e.clock.Advance(time.Hour)
	answerRow(e, "KOPI-2026-0001", answerText, rules.StatusDisetujui)
	e.cycle()
	// Wednesday 1 April 2026, 06:00 (closed), then 07:40 and later.
	e.clock.Set(time.Date(2026, 4, 1, 6, 0, 0, 0, wib))
	e.cycle()
	if n := len(sentTo(e, "Laporan bulanan layanan KOPI: Maret 2026")); n != 0 {
		t.Fatalf("sent before office hours: %d", n)
	}
	// Installed on 2 March, kopi reports no February it did not serve.
	if n := len(sentTo(e, "Laporan bulanan")); n != 0 {
		t.Fatalf("month reports before April: %d", n)
	}
	for _, at := range []time.Time{time.Date(2026, 4, 1, 7, 40, 0, 0, wib), time.Date(2026, 4, 1, 8, 0, 0, 0, wib), time.Date(2026, 4, 2, 9, 0, 0, 0, wib)} {
		e.clock.Set(at)
		e.cycle()
	}
	got := sentTo(e, "Laporan bulanan layanan KOPI: Maret 2026")
	if len(got) != 1 {
		t.Fatalf("month reports sent %d, want 1", len(got))
	}
	m := got[0]
	if len(m.To) != 1 || m.To[0] != "sekretariat@example.go.id" {
		t.Errorf("to %v", m.To)
	}
	// March's KOPI history: two cases -→1 1→2 2→3, one of them 3→4
	// (answered) and 4→5 (approved) — 8 Riwayat rows.
	for _, want := range []string{"Jumlah konsultasi diterima: 2", "Langkah 3", "Indeks Kepuasan Masyarakat", e.workspace().SheetURL,
		"Sumber: tab Riwayat"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("month report lacks %q:\n%s", want, m.Text)
		}
	}
	if strings.Contains(m.Text, "pemohon.ani") {
		t.Error("the month report names a requester")
	}
}

// TestSurveyFollowUpOnce: one working day after the answer, a requester
// who has not filled the survey gets one reminder with the prefilled
// link; one who has, gets none.
func TestSurveyFollowUpOnce(t *testing.T) {
	t.Parallel()
	e := setup(t)
	withSurvey(e)
	e.cfg.Survey.FollowUpAfter = rules.MustSpan("1d")
	e.submit(complete("ani", e.cfg.TopicNames()[0]))
	e.submit(complete("budi", e.cfg.TopicNames()[1]))
	e.cycle()
	e.clock.Advance(time.Hour)
	answerRow(e, "KOPI-2026-0001", answerText, rules.StatusDisetujui)
	answerRow(e, "KOPI-2026-0002", answerText, rules.StatusDisetujui)
	e.cycle()
	e.clock.Advance(time.Minute)
	e.cycle()
	rate(e, "KOPI-2026-0002", 4, "")
	for range 3 {
		e.clock.Advance(4 * time.Hour)
		e.cycle()
	}
	if n := len(sentTo(e, "Survei kepuasan")); n != 0 {
		t.Fatalf("reminders before a working day: %d", n)
	}
	for _, at := range []time.Time{time.Date(2026, 3, 3, 11, 0, 0, 0, wib), time.Date(2026, 3, 3, 12, 0, 0, 0, wib), time.Date(2026, 3, 4, 9, 0, 0, 0, wib)} {
		e.clock.Set(at)
		e.cycle()
	}
	got := sentTo(e, "Survei kepuasan layanan KOPI")
	if len(got) != 1 || !strings.Contains(got[0].Subject, "KOPI-2026-0001") {
		t.Fatalf("survey reminders %d, want one for KOPI-2026-0001", len(got))
	}
	if !strings.Contains(got[0].Text, "usp=pp_url&entry.") || !strings.Contains(got[0].Text, "=KOPI-2026-0001") {
		t.Errorf("reminder lacks the prefilled link:\n%s", got[0].Text)
	}
}

// TestMonthReportEmailPerSOP: with Bimtek run besides KOPI, the
// month-end email lists each SOP's compliance from the Riwayat tab; a
// cycle that cannot read Riwayat defers the email (no draft, nothing
// recorded) and the next cycle sends it once.
func TestMonthReportEmailPerSOP(t *testing.T) {
	t.Parallel()
	s := setupSOPs(t, bimtekPeople, "bimtek")
	s.cfg.Report.Secretariat = []string{"sekretariat@example.go.id"}
	s.submit(complete("ani", s.cfg.TopicNames()[0]))
	s.cycle()
	s.setCells("Bimtek", s.firstEmpty("Bimtek"), map[string]string{"Judul": "Bimtek Reviu LKPD 2026", "Pilihan Waktu": "3 hari kerja"})
	s.cycle()
	s.clock.Advance(5 * time.Minute)
	s.setCells("Bimtek", caseRow(s.tab("Bimtek"), "BIMTEK-0001"), map[string]string{"Keputusan": "Selesai"})
	s.cycle()
	// Wednesday 1 April 2026, 08:00: the first try cannot read Riwayat.
	s.clock.Set(time.Date(2026, 4, 1, 8, 0, 0, 0, wib))
	failed := 0
	s.transport.before = func(req *http.Request) bool {
		if rs := req.URL.Query()["ranges"]; len(rs) == 1 && strings.Contains(rs[0], "Riwayat") {
			failed++
			if err := s.srv.AddFault(fake.Fault{Method: "sheets.spreadsheets.get", Status: http.StatusForbidden}); err != nil {
				t.Error(err)
			}
			return false
		}
		return true
	}
	rep := s.cycle()
	if failed != 1 || rep.Deferred == 0 || len(sentTo(s.env, "Laporan bulanan")) != 0 {
		t.Fatalf("with Riwayat unreadable: %d failed reads, %d deferred, %d sent; want the email deferred", failed, rep.Deferred, len(sentTo(s.env, "Laporan bulanan")))
	}
	if !strings.Contains(s.logs.String(), "laporan bulanan ditunda") {
		t.Errorf("the deferral is not logged:\n%s", s.logs.String())
	}
	s.clock.Advance(time.Minute)
	s.cycle()
	s.clock.Advance(time.Minute)
	s.cycle()
	got := sentTo(s.env, "Laporan bulanan layanan KOPI: Maret 2026")
	if len(got) != 1 {
		t.Fatalf("month reports sent %d, want 1", len(got))
	}
	bimtek, _ := sop.Load("bimtek")
	// By hand: KOPI -→1 1→2 2→3 (3 rows), Bimtek -→1 1→2 (2 rows).
	text := strings.ReplaceAll(got[0].Text, "\r\n", "\n")
	for _, want := range []string{sop.KOPI().Name + "\nSumber: tab Riwayat (3 baris", bimtek.Name + "\nSumber: tab Riwayat (2 baris",
		"- Langkah 1 (Sekretaris): 1 dari 1 sesuai standar 10 menit"} {
		if !strings.Contains(text, want) {
			t.Errorf("month report lacks %q:\n%s", want, text)
		}
	}
	if n := draftsLeft(s.env); n != 0 {
		t.Errorf("%d drafts left behind", n)
	}
}

// TestSurveyFollowUpTimedFromTheSend: the survey reminder is due a
// working day after the answer went out, to the second the journal
// recorded — not from the row's "Terkirim Pada", which keeps minutes
// and would let it go up to a minute early (the simulation's seed 187).
func TestSurveyFollowUpTimedFromTheSend(t *testing.T) {
	t.Parallel()
	e := setup(t)
	withSurvey(e)
	e.cfg.Survey.FollowUpAfter = rules.MustSpan("1d")
	e.submit(complete("ani", e.cfg.TopicNames()[0]))
	e.cycle()
	sent := time.Date(2026, 3, 2, 10, 0, 30, 0, wib)
	e.clock.Set(sent)
	answerRow(e, "KOPI-2026-0001", answerText, rules.StatusDisetujui)
	e.cycle()
	if len(sentTo(e, "Re: ")) != 1 {
		t.Fatal("the answer did not go out")
	}
	e.clock.Advance(time.Minute)
	e.cycle()
	rows := e.rows()
	if got := cell(rows, rowOf(rows, "KOPI-2026-0001"), "Terkirim Pada"); got != "2026-03-02 10:00" {
		t.Fatalf("Terkirim Pada = %q, want the minute of the send", got)
	}
	due := e.cal.AddSpan(sent, rules.MustSpan("1d"))
	e.clock.Set(due.Truncate(time.Minute))
	e.cycle()
	if n := len(sentTo(e, "Survei kepuasan")); n != 0 {
		t.Fatalf("survey reminder at %s, before a working day after the send at %s", e.clock.Now().Format("15:04:05"), sent.Format("15:04:05"))
	}
	e.clock.Set(due)
	e.cycle()
	if n := len(sentTo(e, "Survei kepuasan")); n != 1 {
		t.Fatalf("survey reminders at %s: %d, want 1", due.Format("Mon 15:04:05"), n)
	}
}

// answeredWithFollowUp is an office with the survey and its reminder a
// working day after the answer, whose one requester's answer went out a
// minute ago.
func answeredWithFollowUp(t *testing.T) *env {
	t.Helper()
	e := setup(t)
	withSurvey(e)
	e.cfg.Survey.FollowUpAfter = rules.MustSpan("1d")
	e.submit(complete("ani", e.cfg.TopicNames()[0]))
	e.cycle()
	e.clock.Advance(time.Hour)
	answerRow(e, "KOPI-2026-0001", answerText, rules.StatusDisetujui)
	e.cycle()
	e.clock.Advance(time.Minute)
	e.cycle()
	if n := len(sentTo(e, "Re: ")); n != 1 {
		t.Fatalf("%d answers sent, want 1", n)
	}
	return e
}

// TestSurveyFollowUpNotBesideTheSurvey: the requester rates in the
// minute before the cycle in which the survey reminder falls due. The
// cycle lists the survey before it decides: no reminder is queued or
// sent, the survey is taken in.
func TestSurveyFollowUpNotBesideTheSurvey(t *testing.T) {
	t.Parallel()
	e := answeredWithFollowUp(t)
	e.clock.Set(e.cal.AddSpan(e.clock.Now(), rules.MustSpan("1d")))
	rate(e, "KOPI-2026-0001", 4, "")
	e.clock.Advance(time.Minute)
	rep := e.cycle()
	if rep.Surveys != 1 {
		t.Errorf("the cycle took %d surveys, want 1", rep.Surveys)
	}
	for range 3 {
		e.clock.Advance(30 * time.Minute)
		e.cycle()
	}
	if n := len(sentTo(e, "Survei kepuasan")); n != 0 {
		t.Errorf("%d survey reminders sent beside the survey", n)
	}
	if recs := reminderRecords(e, "KOPI-2026-0001", "survei-pengingat"); len(recs) != 0 {
		t.Errorf("survey reminder records %v, want none", recs)
	}
}

// TestSurveyFollowUpWithdrawnWhenRated: the survey reminder is queued
// but held back (Gmail's sending limit) and the requester rates
// meanwhile: the reminder is withdrawn, its draft deleted, and nothing
// asks them again.
func TestSurveyFollowUpWithdrawnWhenRated(t *testing.T) {
	t.Parallel()
	e := answeredWithFollowUp(t)
	e.clock.Set(e.cal.AddSpan(e.clock.Now(), rules.MustSpan("1d")).Add(time.Minute))
	if err := e.srv.AddFault(gmailCap()); err != nil {
		t.Fatal(err)
	}
	e.cycle()
	if recs := reminderRecords(e, "KOPI-2026-0001", "survei-pengingat"); len(recs) != 1 || recs[0]["nilai"] != string(rules.DeliveryDrafted) {
		t.Fatalf("survey reminder records %v, want one drafted", recs)
	}
	rate(e, "KOPI-2026-0001", 4, "")
	e.clock.Advance(time.Minute)
	e.cycle() // lists the survey: withdraws the reminder, takes the survey in
	e.srv.ClearFaults()
	for range 3 {
		e.clock.Advance(30 * time.Minute)
		e.cycle()
	}
	if n := len(sentTo(e, "Survei kepuasan")); n != 0 {
		t.Errorf("%d survey reminders sent to a requester who rated", n)
	}
	recs := reminderRecords(e, "KOPI-2026-0001", "survei-pengingat")
	if len(recs) != 1 || recs[0]["nilai"] != string(rules.DeliveryWithdrawn) || !strings.Contains(recs[0]["keterangan"], "sudah mengisi survei") {
		t.Errorf("survey reminder records %v, want one withdrawn", recs)
	}
	if n := draftsLeft(e); n != 0 {
		t.Errorf("%d drafts left", n)
	}
}

// TestMonthReportEmailCountsArchivedCases: with the archive's shortest
// period (30 days), March's first cases closed on 2 March; the March
// report is queued on the evening of 1 April (the server was off all
// day) and held for office hours, the archive moves those cases that
// night, and the report goes out on 2 April. It still counts them and their surveys: it reads the
// archive, as `kopi report` does.
func TestMonthReportEmailCountsArchivedCases(t *testing.T) {
	t.Parallel()
	e := setupWith(t, func(c *rules.Config) { c.Archive.AfterDays = new(30) })
	withSurvey(e)
	e.cfg.Report.Secretariat = []string{"sekretariat@example.go.id"}
	e.submit(complete("ani", e.cfg.TopicNames()[0]))
	e.submit(complete("budi", e.cfg.TopicNames()[1]))
	e.cycle()
	e.clock.Advance(time.Hour)
	for _, tk := range []string{"KOPI-2026-0001", "KOPI-2026-0002"} {
		answerRow(e, tk, answerText, rules.StatusDisetujui)
	}
	e.cycle()
	e.clock.Advance(time.Minute)
	e.cycle()
	for _, tk := range []string{"KOPI-2026-0001", "KOPI-2026-0002"} {
		rate(e, tk, 4, "")
		answerRow(e, tk, "", rules.StatusSelesai)
	}
	e.clock.Advance(time.Minute)
	if rep := e.cycle(); rep.Surveys != 2 {
		t.Fatalf("surveys taken %d, want 2", rep.Surveys)
	}
	// Wednesday 1 April 2026: the office's server is off until the
	// evening; its first cycle queues the report (held for office hours)
	// and runs the archive; Thursday morning the report goes out.
	for _, at := range []time.Time{time.Date(2026, 4, 1, 19, 0, 0, 0, wib),
		time.Date(2026, 4, 2, 7, 40, 0, 0, wib), time.Date(2026, 4, 2, 8, 0, 0, 0, wib)} {
		e.clock.Set(at)
		e.cycle()
	}
	if arch := e.tabRows(rules.ArchiveTitle(2026)); arch == nil || len(dataRows(arch)) != 2 {
		t.Fatalf("the archive holds %d rows, want both March cases", len(arch))
	}
	got := sentTo(e, "Laporan bulanan layanan KOPI: Maret 2026")
	if len(got) != 1 {
		t.Fatalf("month reports sent %d, want 1", len(got))
	}
	for _, want := range []string{"Jumlah konsultasi diterima: 2", "2 responden"} {
		if !strings.Contains(got[0].Text, want) {
			t.Errorf("the month report lacks %q for the archived cases:\n%s", want, got[0].Text)
		}
	}
}
