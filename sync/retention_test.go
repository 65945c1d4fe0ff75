package sync_test

import (
	"strings"
	"testing"
	"time"

	"google.golang.org/api/sheets/v4"

	"kopi/google"
	"kopi/rules"
	"kopi/sync"
)

// The tracker clears long-value parts of anonymised rows.
var _ sync.OverflowPurger = (*google.TrackerTx)(nil)

// setRaw writes cells of a case row as kopi and staff would leave them
// after the answer went out (RAW: a time stays the text kopi writes).
func (s *staff) setRaw(ticket string, byHeader map[string]string) {
	s.e.t.Helper()
	rows := s.e.rows()
	r := rowOf(rows, ticket)
	if r < 0 {
		s.e.t.Fatalf("no row for %s", ticket)
	}
	var data []*sheets.ValueRange
	for h, v := range byHeader {
		c := column(rows, h)
		if c < 0 {
			s.e.t.Fatalf("no column %q", h)
		}
		data = append(data, &sheets.ValueRange{Range: a1(c, r), Values: [][]any{{v}}})
	}
	req := &sheets.BatchUpdateValuesRequest{ValueInputOption: "RAW", Data: data}
	if _, err := s.svc.Spreadsheets.Values.BatchUpdate(s.e.sheetID, req).Do(); err != nil {
		s.e.t.Fatalf("staff closes %s: %v", ticket, err)
	}
}

// retentionOffice has three cases after the first day: KOPI-2026-0001
// (with a question too long for a cell) answered and sent on 3 March,
// KOPI-2026-0002 sent on 20 April, KOPI-2026-0003 still with its
// consultant.
func retentionOffice(t *testing.T, days int) (*env, string) {
	e := setup(t)
	e.cfg.Retention.AnonymizeAfterDays = days
	topics := e.cfg.TopicNames()
	long := complete("ani", topics[0])
	long[rules.FieldPertanyaan] = strings.Repeat("Rincian belanja modal desa Sukamaju tahap kedua. ", 1200) // 60,000 characters
	e.submit(long)
	e.clock.Advance(time.Minute)
	e.submit(complete("budi", topics[1]))
	e.clock.Advance(time.Minute)
	e.submit(complete("citra", topics[2]))
	e.cycle()
	st := newStaff(e)
	st.setRaw("KOPI-2026-0001", map[string]string{
		"Status": "Terkirim", "Jawaban": "Ibu Ani, pengembalian dapat diangsur.", "Terkirim Pada": "2026-03-03 10:00",
		"Tautan WhatsApp": "https://wa.me/6281234567890?text=Ibu%20Ani", "Catatan Sistem": "Email jawaban tidak terkirim: pemohon.ani@desa.example.id",
	})
	st.setRaw("KOPI-2026-0002", map[string]string{
		"Status": "Selesai", "Jawaban": "Pak Budi, silakan datang.", "Terkirim Pada": "2026-04-20 09:00",
	})
	// The answer flow stamps who answered and prefills the WhatsApp
	// link of rows closed by hand; let it settle before retention.
	e.cycle()
	return e, long[rules.FieldPertanyaan]
}

// TestRetentionAnonymisesOldClosedCasesOnce: with a 30-day retention, on
// 10 May the case sent on 3 March loses its requester's data (long
// question parts included) and keeps what reports count; the recent and
// the open case are untouched; later cycles leave it alone.
func TestRetentionAnonymisesOldClosedCasesOnce(t *testing.T) {
	t.Parallel()
	e, longQuestion := retentionOffice(t, 30)
	overflow := func() string {
		v, err := e.srv.SpreadsheetValues(e.sheetID, google.OverflowTab.Title)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, r := range v {
			b.WriteString(strings.Join(r, "\t") + "\n")
		}
		return b.String()
	}
	if !strings.Contains(overflow(), "KOPI-2026-0001") {
		t.Fatal("setup: the long question has no overflow parts")
	}
	before := e.rows()

	e.clock.Set(time.Date(2026, 5, 11, 9, 0, 0, 0, wib))
	eng := e.engine()
	rep, err := eng.RunCycle(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Anonymized != 1 {
		t.Fatalf("anonymised %d cases, want 1", rep.Anonymized)
	}
	after := e.rows()
	r := rowOf(after, "KOPI-2026-0001")
	for h, want := range map[string]string{
		"Nama": "[dianonimkan 2026-05-11]", "Instansi": "", "Email": "", "WhatsApp": "", "Pertanyaan": "",
		"Lampiran": "", "Jawaban": "", "Tautan WhatsApp": "", "Catatan Sistem": "",
	} {
		if got := cell(after, r, h); got != want {
			t.Errorf("%s = %.80q, want %q", h, got, want)
		}
	}
	for _, h := range []string{"No. Tiket", "Diterima", "Topik", "Kelengkapan", "Konsuler", "Email Konsuler", "Ditugaskan Pada", "Tenggat", "Status", "Terkirim Pada", "ID Respons", "Versi Respons"} {
		if got, was := cell(after, r, h), cell(before, rowOf(before, "KOPI-2026-0001"), h); got != was || got == "" {
			t.Errorf("%s changed or empty: %q → %q", h, was, got)
		}
	}
	for _, tk := range []string{"KOPI-2026-0002", "KOPI-2026-0003"} {
		if got, was := strings.Join(after[rowOf(after, tk)], "|"), strings.Join(before[rowOf(before, tk)], "|"); got != was {
			t.Errorf("%s touched:\n was %s\n now %s", tk, was, got)
		}
	}
	ov := overflow()
	if strings.Contains(ov, "KOPI-2026-0001") || strings.Contains(ov, longQuestion[:200]) {
		t.Errorf("overflow tab still holds the anonymised question:\n%.300s", ov)
	}
	logs := e.logs.String()
	if !strings.Contains(logs, `msg="kasus dianonimkan (retensi data)" tiket=KOPI-2026-0001`) {
		t.Errorf("anonymisation not logged by ticket:\n%s", logs)
	}
	for _, leak := range []string{"ani", "Ani", "6281234567890", "Sukamaju"} {
		if strings.Contains(logs, leak) {
			t.Errorf("log leaks %q", leak)
		}
	}

	// Idempotent: the next cycles recognise the row and write nothing.
	calls := e.srv.TotalCalls()
	rep, err = eng.RunCycle(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Anonymized != 0 || rep.Updated != 0 {
		t.Errorf("second cycle: %+v", rep)
	}
	if n := e.srv.TotalCalls() - calls; n > 2 {
		t.Errorf("an idle cycle after retention made %d API calls, want at most 2", n)
	}
	e.clock.Set(time.Date(2026, 6, 1, 9, 0, 0, 0, wib))
	rep = e.cycle()
	if rep.Anonymized != 1 { // now KOPI-2026-0002 (sent 20 April) is due, and only it
		t.Errorf("on 1 June anonymised %d, want 1 (KOPI-2026-0002)", rep.Anonymized)
	}
	final := e.rows()
	if got := cell(final, rowOf(final, "KOPI-2026-0001"), "Nama"); got != "[dianonimkan 2026-05-11]" {
		t.Errorf("KOPI-2026-0001 rewritten: name %q", got)
	}
	if got := cell(final, rowOf(final, "KOPI-2026-0003"), "Nama"); got != "citra" {
		t.Errorf("open case touched: name %q", got)
	}
}

// TestRetentionIsOffByDefault: the default configuration keeps every
// row as it is, however old.
func TestRetentionIsOffByDefault(t *testing.T) {
	t.Parallel()
	if rules.DefaultConfig().Retention.AnonymizeAfterDays != 0 {
		t.Fatal("retention is on by default")
	}
	e, _ := retentionOffice(t, rules.DefaultConfig().Retention.AnonymizeAfterDays)
	before := e.rows()
	e.clock.Set(time.Date(2028, 3, 1, 9, 0, 0, 0, wib))
	rep := e.cycle()
	if rep.Anonymized != 0 {
		t.Fatalf("anonymised %d with retention off", rep.Anonymized)
	}
	after := e.rows()
	for _, tk := range []string{"KOPI-2026-0001", "KOPI-2026-0002", "KOPI-2026-0003"} {
		if got, was := strings.Join(after[rowOf(after, tk)], "|"), strings.Join(before[rowOf(before, tk)], "|"); got != was {
			t.Errorf("%s changed with retention off", tk)
		}
	}
}
