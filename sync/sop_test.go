package sync_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"google.golang.org/api/sheets/v4"

	"kopi/rules"
	"kopi/sop"
	"kopi/sync"
)

// sopEnv is the harness with SOPs besides KOPI and the staff who work
// their tabs.
type sopEnv struct {
	*env
	st *staff
}

// bimtekPeople are the Peran tab's rows: one person per Bimtek role.
var bimtekPeople = [][]string{
	{"Sekretaris", "Sri Sekretaris", "sekretaris@example.go.id"},
	{"Inspektur Pembantu", "Ilham Irban", "irban@example.go.id"},
	{"Subkel Kepegawaian", "Kiki Kepegawaian", "kepegawaian@example.go.id"},
	{"Inspektur", "Indra Inspektur", "inspektur@example.go.id"},
	{"Subbag Umum", "Umi Umum", "umum@example.go.id"},
}

func setupSOPs(t *testing.T, people [][]string, sops ...string) *sopEnv {
	t.Helper()
	return setupSOPsWith(t, people, func(*rules.Config) {}, sops...)
}

// setupSOPsWith is setupSOPs with the configuration changed by cfg.
func setupSOPsWith(t *testing.T, people [][]string, cfg func(*rules.Config), sops ...string) *sopEnv {
	t.Helper()
	e := setupWith(t, func(c *rules.Config) { c.SOPs = sops; cfg(c) })
	s := &sopEnv{env: e, st: newStaff(e)}
	// The office fills the Peran tab (init seeded one line per role).
	rows := make([][]any, 0, len(people))
	for _, p := range people {
		rows = append(rows, []any{p[0], p[1], p[2]})
	}
	if _, err := s.st.svc.Spreadsheets.Values.Update(e.sheetID, fmt.Sprintf("Peran!A2:C%d", len(people)+1),
		&sheets.ValueRange{Values: rows}).ValueInputOption("RAW").Do(); err != nil {
		t.Fatal(err)
	}
	e.srv.ResetCalls()
	return s
}

// tab reads a tab's values as staff see them.
func (s *sopEnv) tab(title string) [][]string {
	s.t.Helper()
	v, err := s.srv.SpreadsheetValues(s.sheetID, title)
	if err != nil {
		s.t.Fatal(err)
	}
	return v
}

// setCells types cells of a tab's row by header.
func (s *sopEnv) setCells(title string, row int, byHeader map[string]string) {
	s.t.Helper()
	rows := s.tab(title)
	var data []*sheets.ValueRange
	for h, v := range byHeader {
		c := column(rows, h)
		if c < 0 {
			s.t.Fatalf("tab %s has no column %q", title, h)
		}
		addr := strings.TrimPrefix(a1(c, row), "Konsultasi!")
		data = append(data, &sheets.ValueRange{Range: "'" + title + "'!" + addr, Values: [][]any{{v}}})
	}
	if _, err := s.st.svc.Spreadsheets.Values.BatchUpdate(s.sheetID, &sheets.BatchUpdateValuesRequest{ValueInputOption: "RAW", Data: data}).Do(); err != nil {
		s.t.Fatalf("staff types into %s: %v", title, err)
	}
}

// firstEmpty is the index of the first row below the last one with data.
func (s *sopEnv) firstEmpty(title string) int {
	rows := s.tab(title)
	n := 0
	for i, r := range rows {
		for _, c := range r {
			if c != "" {
				n = i + 1
				break
			}
		}
	}
	return n
}

// caseRow is the row of an SOP case by its number.
func caseRow(rows [][]string, id string) int {
	c := column(rows, "No. Kasus")
	for i, r := range rows {
		if c >= 0 && c < len(r) && r[c] == id {
			return i
		}
	}
	return -1
}

// sentAbout lists the recipients of the step emails sent about a case
// (reminders left out).
func (s *sopEnv) sentAbout(id string) []string {
	var out []string
	for _, m := range s.srv.Sent("me") {
		reminder := strings.Contains(m.Text, "Pengingat:") || strings.Contains(m.Text, "telah melewati batas waktu") || strings.Contains(m.Text, "Eskalasi:")
		if strings.Contains(m.Subject, "["+id+"]") && !reminder {
			out = append(out, strings.Join(m.To, ","))
		}
	}
	return out
}

// TestBimtekEndToEnd: a training case through all ten steps of the
// Bimtek SOP on the fake, with one Koreksi at each of the four review
// steps. The row shows each step, its actor and due time; the decision
// cell is consumed; the next actor gets one email per entry into a step,
// all in the case's thread; the Riwayat tab holds one row per
// transition, in order; repeating cycles changes nothing.
func TestBimtekEndToEnd(t *testing.T) {
	t.Parallel()
	s := setupSOPs(t, bimtekPeople, "bimtek")
	// Monday 2 March 2026, 08:00: staff add a training event.
	s.setCells("Bimtek", s.firstEmpty("Bimtek"), map[string]string{"Judul": "Bimtek Reviu LKPD 2026", "Pilihan Waktu": "3 hari kerja"})
	rep := s.cycle()
	if rep.SOPStarted != 1 {
		t.Fatalf("report = %+v", rep)
	}
	rows := s.tab("Bimtek")
	r := caseRow(rows, "BIMTEK-0001")
	if r < 0 {
		t.Fatalf("no case row: %v", rows)
	}
	if got := cell(rows, r, "Langkah"); got != "1" || cell(rows, r, "Pelaksana") != "Sekretaris" || cell(rows, r, "Status") != "Berjalan" {
		t.Fatalf("row after start: %v", rows[r])
	}
	if got := cell(rows, r, "Batas Waktu"); got != "2026-03-02 08:10" {
		t.Fatalf("due = %q, want 10 minutes of office time after 08:00", got)
	}
	steps := []struct {
		decision, note string
		next           int // 0: done
		actor          string
	}{
		{"Selesai", "", 2, "irban@example.go.id"},
		{"Selesai", "", 3, "kepegawaian@example.go.id"},
		{"Selesai", "", 4, "sekretaris@example.go.id"},
		{"Koreksi", "Lampirkan KAK.", 3, "kepegawaian@example.go.id"},
		{"Selesai", "", 4, "sekretaris@example.go.id"},
		{"Setuju", "", 5, "inspektur@example.go.id"},
		{"Koreksi", "Dasar hukum SPT keliru.", 3, "kepegawaian@example.go.id"},
		{"Selesai", "", 4, "sekretaris@example.go.id"},
		{"Setuju", "", 5, "inspektur@example.go.id"},
		{"Setuju", "", 6, "irban@example.go.id"},
		{"Selesai", "", 7, "kepegawaian@example.go.id"},
		{"Selesai", "", 8, "sekretaris@example.go.id"},
		{"Koreksi", "Foto kegiatan kurang.", 7, "kepegawaian@example.go.id"},
		{"Selesai", "", 8, "sekretaris@example.go.id"},
		{"Setuju", "", 9, "inspektur@example.go.id"},
		{"Koreksi", "Tanda tangan belum lengkap.", 7, "kepegawaian@example.go.id"},
		{"Selesai", "", 8, "sekretaris@example.go.id"},
		{"Setuju", "", 9, "inspektur@example.go.id"},
		{"Setuju", "", 10, "umum@example.go.id"},
		{"Selesai", "", 0, ""},
	}
	for i, st := range steps {
		s.clock.Advance(5 * time.Minute)
		cells := map[string]string{"Keputusan": st.decision}
		if st.note != "" {
			cells["Catatan Keputusan"] = st.note
		}
		s.setCells("Bimtek", r, cells)
		before := len(s.sentAbout("BIMTEK-0001"))
		rep := s.cycle()
		if rep.SOPTransitions != 1 {
			t.Fatalf("decision %d (%s): report %+v", i, st.decision, rep)
		}
		rows = s.tab("Bimtek")
		want := fmt.Sprint(st.next)
		if st.next == 0 {
			want = ""
		}
		if got := cell(rows, r, "Langkah"); got != want {
			t.Fatalf("decision %d (%s): step %q, want %q", i, st.decision, got, want)
		}
		if cell(rows, r, "Keputusan") != "" || cell(rows, r, "Catatan Keputusan") != "" {
			t.Fatalf("decision %d not consumed: %v", i, rows[r])
		}
		mails := s.sentAbout("BIMTEK-0001")
		if st.next == 0 {
			if len(mails) != before {
				t.Fatalf("an email after the last step: %v", mails[before:])
			}
			continue
		}
		if len(mails) != before+1 || mails[before] != st.actor {
			t.Fatalf("decision %d: emails %v, want one more to %s", i, mails[before:], st.actor)
		}
	}
	if got := cell(rows, r, "Status"); got != "Selesai" || cell(rows, r, "Koreksi") != "4" {
		t.Fatalf("final row: %v", rows[r])
	}
	// A correction email quotes its note; all emails are one thread.
	thread := ""
	corrections := 0
	for _, m := range s.srv.Sent("me") {
		if !strings.Contains(m.Subject, "[BIMTEK-0001]") {
			continue
		}
		if thread == "" {
			thread = m.ThreadID
		}
		if m.ThreadID != thread {
			t.Errorf("email %q in thread %s, want %s", m.Subject, m.ThreadID, thread)
		}
		if strings.Contains(m.Text, "dikembalikan untuk perbaikan") {
			corrections++
			if !strings.Contains(m.Text, "Catatan koreksi:") {
				t.Errorf("correction email without its note: %s", m.Text)
			}
		}
	}
	if corrections != 4 {
		t.Errorf("%d correction emails, want 4", corrections)
	}
	// Riwayat: the start and twenty decisions, in order.
	hist := s.tab("Riwayat")[:s.firstEmpty("Riwayat")]
	wantPath := []string{"-→1", "1→2", "2→3", "3→4", "4→3", "3→4", "4→5", "5→3", "3→4", "4→5", "5→6",
		"6→7", "7→8", "8→7", "7→8", "8→9", "9→7", "7→8", "8→9", "9→10", "10→-"}
	if len(hist)-1 != len(wantPath) {
		t.Fatalf("Riwayat has %d rows, want %d:\n%v", len(hist)-1, len(wantPath), hist)
	}
	for i, w := range wantPath {
		h := hist[i+1]
		got := cell(hist, i+1, "Dari Langkah") + "→" + cell(hist, i+1, "Ke Langkah")
		if got != w || cell(hist, i+1, "No. Kasus") != "BIMTEK-0001" || cell(hist, i+1, "SOP") != "bimtek" {
			t.Errorf("Riwayat row %d = %v, want %s", i+1, h, w)
		}
		if d := cell(hist, i+1, "Keputusan"); (d == "Koreksi") != (cell(hist, i+1, "Koreksi") == "Ya") {
			t.Errorf("Riwayat row %d: decision %q, correction %q", i+1, d, cell(hist, i+1, "Koreksi"))
		}
	}
	if got := cell(hist, 5, "Pelaksana"); got != "Sri Sekretaris (Sekretaris)" {
		t.Errorf("the review's actor = %q, want the Sekretaris from the Peran tab", got)
	}
	if got := cell(hist, 11, "Waktu Baku"); got != "20 menit" {
		t.Errorf("step 5's standard as recorded = %q", got)
	}
	// Riwayat is protected as a whole, not with a mere warning.
	ss, err := s.st.svc.Spreadsheets.Get(s.sheetID).Do()
	if err != nil {
		t.Fatal(err)
	}
	locked := false
	for _, sh := range ss.Sheets {
		if sh.Properties.Title != "Riwayat" {
			continue
		}
		for _, pr := range sh.ProtectedRanges {
			g := pr.Range
			locked = locked || (!pr.WarningOnly && g != nil && g.StartColumnIndex == 0 && g.EndColumnIndex == 0 && g.StartRowIndex == 0 && g.EndRowIndex == 0)
		}
	}
	if !locked {
		t.Error("the Riwayat tab is not protected")
	}
	// Compliance per step from the history as the tab holds it: one
	// correction loop at each review step.
	entries, err := s.workspace().Tracker.History(s.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(wantPath) {
		t.Fatalf("History read %d entries, want %d", len(entries), len(wantPath))
	}
	def, _ := sop.Load("bimtek")
	for _, c := range rules.Compliance(def, entries) {
		wantLoops := 0
		if c.Step == 4 || c.Step == 5 || c.Step == 8 || c.Step == 9 {
			wantLoops = 1
		}
		if c.Corrections != wantLoops || c.Done == 0 || c.Within > c.Done || c.Median <= 0 {
			t.Errorf("compliance of step %d = %+v", c.Step, c)
		}
	}
	// Nothing more happens.
	sent := len(s.srv.Sent("me"))
	s.clock.Advance(time.Minute)
	if rep := s.cycle(); rep.SOPTransitions != 0 || rep.SOPStarted != 0 || rep.Updated != 0 {
		t.Fatalf("idle cycle: %+v", rep)
	}
	if len(s.srv.Sent("me")) != sent || s.firstEmpty("Riwayat") != len(hist) {
		t.Fatal("an idle cycle sent email or wrote history")
	}
}

// decide has staff pick a decision on a case's row, then runs a cycle.
func (s *sopEnv) decide(tab, id, decision, note string) *sync.Report {
	s.t.Helper()
	r := caseRow(s.tab(tab), id)
	if r < 0 {
		s.t.Fatalf("no row for %s in %s", id, tab)
	}
	cells := map[string]string{"Keputusan": decision}
	if note != "" {
		cells["Catatan Keputusan"] = note
	}
	s.setCells(tab, r, cells)
	s.clock.Advance(5 * time.Minute)
	return s.cycle()
}

// start has staff add a case row to an SOP tab, then runs a cycle.
func (s *sopEnv) start(tab, title string) *sync.Report {
	s.t.Helper()
	s.setCells(tab, s.firstEmpty(tab), map[string]string{"Judul": title})
	s.clock.Advance(time.Minute)
	return s.cycle()
}

// path is a case's transitions in the Riwayat tab, "from→to" each.
func (s *sopEnv) path(id string) []string {
	hist := s.tab("Riwayat")
	var out []string
	for i := 1; i < len(hist); i++ {
		if cell(hist, i, "No. Kasus") == id {
			out = append(out, cell(hist, i, "Dari Langkah")+"→"+cell(hist, i, "Ke Langkah"))
		}
	}
	return out
}

// TestThirdSOPFromFileAlongsideBimtek: a complaint-handling SOP that
// exists only as a file in testdata runs in the same daemon and
// spreadsheet as Bimtek, through both branches of its "atau" step and a
// correction loop, with no code written for it.
func TestThirdSOPFromFileAlongsideBimtek(t *testing.T) {
	t.Parallel()
	people := append([][]string{{"Admin Pengaduan", "Ayu Admin", "pengaduan@example.go.id"}}, bimtekPeople...)
	s := setupSOPs(t, people, "bimtek", "../rules/testdata/sopok/pengaduan.yaml")
	s.start("Bimtek", "Bimtek Audit Kinerja")
	s.start("Pengaduan", "Dugaan pungli di kecamatan")
	s.start("Pengaduan", "Keluhan layanan PDAM")
	for _, d := range [][3]string{
		{"PENGADUAN-0001", "Selesai", ""},
		{"PENGADUAN-0001", "Diteruskan", ""},
		{"PENGADUAN-0001", "Selesai", ""},
		{"PENGADUAN-0001", "Koreksi", "Bukti transfer belum dilampirkan."},
		{"PENGADUAN-0001", "Selesai", ""},
		{"PENGADUAN-0001", "Setuju", ""},
		{"PENGADUAN-0002", "Selesai", ""},
		{"BIMTEK-0001", "Selesai", ""},
		{"PENGADUAN-0002", "Di Luar Kewenangan", ""},
		{"PENGADUAN-0001", "Selesai", ""},
		{"PENGADUAN-0002", "Selesai", ""},
	} {
		tab := "Pengaduan"
		if strings.HasPrefix(d[0], "BIMTEK") {
			tab = "Bimtek"
		}
		if rep := s.decide(tab, d[0], d[1], d[2]); rep.SOPTransitions != 1 {
			t.Fatalf("%s %s: %+v", d[0], d[1], rep)
		}
	}
	if got := strings.Join(s.path("PENGADUAN-0001"), " "); got != "-→1 1→2 2→3 3→4 4→3 3→4 4→6 6→-" {
		t.Errorf("within remit: %s", got)
	}
	if got := strings.Join(s.path("PENGADUAN-0002"), " "); got != "-→1 1→2 2→5 5→-" {
		t.Errorf("outside remit: %s", got)
	}
	if got := strings.Join(s.path("BIMTEK-0001"), " "); got != "-→1 1→2" {
		t.Errorf("bimtek alongside: %s", got)
	}
	rows := s.tab("Pengaduan")
	for _, id := range []string{"PENGADUAN-0001", "PENGADUAN-0002"} {
		if got := cell(rows, caseRow(rows, id), "Status"); got != "Selesai" {
			t.Errorf("%s status = %q", id, got)
		}
	}
	// Entries into steps 1, 2, 3, 4, 3, 4, 6 and 1, 2, 5 each emailed
	// their actor once.
	if got := len(s.sentAbout("PENGADUAN-0001")); got != 7 {
		t.Errorf("PENGADUAN-0001: %d emails, want 7", got)
	}
	if got := len(s.sentAbout("PENGADUAN-0002")); got != 3 {
		t.Errorf("PENGADUAN-0002: %d emails, want 3", got)
	}
}

// TestSOPDecisionRefusedIsFlagged: an unknown decision and a Koreksi
// without a note leave the case where it is, flagged in the row's notes
// (rendered from typed flags); fixing the decision moves it on.
func TestSOPDecisionRefusedIsFlagged(t *testing.T) {
	t.Parallel()
	s := setupSOPs(t, bimtekPeople, "bimtek")
	s.start("Bimtek", "Bimtek SAKIP")
	for _, d := range []string{"Selesai", "Selesai", "Selesai"} {
		s.decide("Bimtek", "BIMTEK-0001", d, "")
	}
	if rep := s.decide("Bimtek", "BIMTEK-0001", "Koreksi", ""); rep.SOPTransitions != 0 {
		t.Fatalf("a correction without a note moved the case: %+v", rep)
	}
	rows := s.tab("Bimtek")
	r := caseRow(rows, "BIMTEK-0001")
	if cell(rows, r, "Langkah") != "4" || !strings.Contains(cell(rows, r, "Catatan Sistem"), "perlu catatan koreksi") {
		t.Fatalf("row = %v", rows[r])
	}
	if rep := s.decide("Bimtek", "BIMTEK-0001", "Oke", ""); rep.SOPTransitions != 0 {
		t.Fatalf("an unknown decision moved the case: %+v", rep)
	}
	rows = s.tab("Bimtek")
	if !strings.Contains(cell(rows, r, "Catatan Sistem"), `"Oke" tidak dikenal`) {
		t.Fatalf("notes = %q", cell(rows, r, "Catatan Sistem"))
	}
	if rep := s.decide("Bimtek", "BIMTEK-0001", "Setuju", ""); rep.SOPTransitions != 1 {
		t.Fatalf("%+v", rep)
	}
	rows = s.tab("Bimtek")
	if cell(rows, r, "Langkah") != "5" || cell(rows, r, "Catatan Sistem") != "" {
		t.Fatalf("row after the fix = %v", rows[r])
	}
}

// TestSOPStepRemindersInWorkingTime: a step past its time standard
// reminds its actor near and at the due time and escalates to the admins
// later, each once, in working time only; the digest lists the overdue
// step.
func TestSOPStepRemindersInWorkingTime(t *testing.T) {
	t.Parallel()
	s := setupSOPs(t, bimtekPeople, "bimtek")
	s.start("Bimtek", "Bimtek Pengawasan Dana Desa")
	s.decide("Bimtek", "BIMTEK-0001", "Selesai", "")
	s.decide("Bimtek", "BIMTEK-0001", "Selesai", "")
	// Step 3 (Subkel Kepegawaian, 1 hour) entered now.
	count := func(to, part string) int {
		n := 0
		for _, m := range s.srv.Sent("me") {
			if strings.Contains(m.Subject, "[BIMTEK-0001]") && strings.Join(m.To, ",") == to && strings.Contains(m.Text, part) {
				n++
			}
		}
		return n
	}
	for i := 0; i < 6*12; i++ { // six office hours in 5-minute cycles
		s.clock.Advance(5 * time.Minute)
		s.cycle()
	}
	if n := count("kepegawaian@example.go.id", "mendekati batas waktu"); n != 1 {
		t.Errorf("pre-breach reminders: %d", n)
	}
	if n := count("kepegawaian@example.go.id", "telah melewati batas waktu"); n != 1 {
		t.Errorf("overdue notices: %d", n)
	}
	if n := count("admin.kopi@example.go.id", "Eskalasi"); n != 1 {
		t.Errorf("escalations: %d", n)
	}
	// The next working day's digest lists the overdue step.
	s.clock.Set(time.Date(2026, 3, 3, 9, 0, 0, 0, wib))
	s.cycle()
	digest := ""
	for _, m := range s.srv.Sent("me") {
		if strings.Contains(m.Subject, "Ringkasan harian") {
			digest = m.Text
		}
	}
	if !strings.Contains(digest, "Langkah SOP lewat waktu baku") || !strings.Contains(digest, "BIMTEK-0001 · Bimtek Pengawasan Dana Desa · langkah 3") {
		t.Errorf("digest lacks the overdue step:\n%s", digest)
	}
}
