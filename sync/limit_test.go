package sync_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"google.golang.org/api/sheets/v4"

	"kopi/rules"
)

// approveAll writes an answer and Disetujui into every row in one batch,
// as an admin pasting a column would.
func approveAll(e *env) {
	e.t.Helper()
	st := newStaff(e)
	rows := e.rows()
	ac, sc := column(rows, "Jawaban"), column(rows, "Status")
	var data []*sheets.ValueRange
	for r := 1; r < len(rows); r++ {
		tk := cell(rows, r, "No. Tiket")
		if tk == "" {
			continue
		}
		data = append(data,
			&sheets.ValueRange{Range: a1(ac, r), Values: [][]any{{"Jawaban untuk " + tk + "."}}},
			&sheets.ValueRange{Range: a1(sc, r), Values: [][]any{{string(rules.StatusDisetujui)}}})
	}
	if _, err := st.svc.Spreadsheets.Values.BatchUpdate(e.sheetID, &sheets.BatchUpdateValuesRequest{ValueInputOption: "RAW", Data: data}).Do(); err != nil {
		e.t.Fatal(err)
	}
}

// TestDailyLimitDefersInDeadlineOrder: 600 approved answers on an account
// that may send 500 a day → 500 today, the 100 with the latest deadlines
// tomorrow morning, none lost, none twice.
func TestDailyLimitDefersInDeadlineOrder(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("600 cases")
	}
	e := setup(t)
	e.cfg.Mail.DailyLimit = 100000
	topic := e.cfg.TopicNames()[0]
	for i := 0; i < 600; i++ {
		e.submit(complete(fmt.Sprintf("p%03d", i), topic))
		e.clock.Advance(time.Second)
	}
	e.cycle()

	// Tuesday 08:00: the admin approves all 600; the account sends 500 a day.
	e.clock.Set(time.Date(2026, 3, 3, 8, 0, 0, 0, wib))
	e.cfg.Mail.DailyLimit = 500
	approveAll(e)
	before := len(e.srv.Sent("me"))
	e.srv.ResetCalls()
	rep := e.cycle()
	calls := totalCalls(e)
	for i := 0; i < 3; i++ {
		e.clock.Advance(15 * time.Minute)
		e.cycle()
	}
	today := sentTo(e, "Re: ")
	if len(today) != 500 {
		t.Fatalf("answers sent on Tuesday = %d, want 500", len(today))
	}
	if n := len(e.srv.Sent("me")) - before; n != 500 {
		t.Fatalf("emails sent on Tuesday = %d, want 500 (the limit)", n)
	}
	t.Logf("busy cycle: %d emails, %d API calls (%.2f per email)", rep.Sent, calls, float64(calls)/float64(rep.Sent))
	for _, m := range today {
		var seq int
		if _, err := fmt.Sscanf(m.Subject[strings.Index(m.Subject, "KOPI-2026-")+len("KOPI-2026-"):], "%04d", &seq); err != nil || seq > 500 {
			t.Fatalf("Tuesday sent %q: not in deadline order", m.Subject)
		}
	}

	// Overnight cycles send nothing; Wednesday morning the rest go.
	e.clock.Set(time.Date(2026, 3, 3, 22, 0, 0, 0, wib))
	e.cycle()
	if n := len(sentTo(e, "Re: ")); n != 500 {
		t.Fatalf("answers after Tuesday night = %d", n)
	}
	e.clock.Set(time.Date(2026, 3, 4, 7, 30, 0, 0, wib))
	e.cycle()
	e.clock.Advance(time.Minute)
	e.cycle()
	count := map[string]int{}
	for _, m := range sentTo(e, "Re: ") {
		count[m.Subject]++
	}
	if len(count) != 600 {
		t.Fatalf("answers for %d cases after Wednesday morning, want 600", len(count))
	}
	for s, n := range count {
		if n != 1 {
			t.Fatalf("%q sent %d times", s, n)
		}
	}
}
