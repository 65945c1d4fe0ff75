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

// TestDailyLimitDefersInDeadlineOrder: more approved answers than the
// account may send in a day → the limit today, the ones with the latest
// deadlines tomorrow morning, none lost, none twice. The limit is the
// config's, so a small one proves what Gmail's 500 would: the issue's
// first version sent 600 against 500 and took 52 s under -race.
func TestDailyLimitDefersInDeadlineOrder(t *testing.T) {
	t.Parallel()
	const limit, cases = 10, 13
	e := setup(t)
	e.cfg.Mail.DailyLimit = 100000
	topic := e.cfg.TopicNames()[0]
	for i := 0; i < cases; i++ {
		e.submit(complete(fmt.Sprintf("p%03d", i), topic))
		e.clock.Advance(time.Second)
	}
	e.cycle()

	// Tuesday 08:00: the admin approves all of them; the account sends
	// limit a day.
	e.clock.Set(time.Date(2026, 3, 3, 8, 0, 0, 0, wib))
	e.cfg.Mail.DailyLimit = limit
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
	if len(today) != limit {
		t.Fatalf("answers sent on Tuesday = %d, want %d", len(today), limit)
	}
	if n := len(e.srv.Sent("me")) - before; n != limit {
		t.Fatalf("emails sent on Tuesday = %d, want %d (the limit)", n, limit)
	}
	t.Logf("busy cycle: %d emails, %d API calls (%.2f per email)", rep.Sent, calls, float64(calls)/float64(rep.Sent))
	for _, m := range today {
		var seq int
		if _, err := fmt.Sscanf(m.Subject[strings.Index(m.Subject, "KOPI-2026-")+len("KOPI-2026-"):], "%04d", &seq); err != nil || seq > limit {
			t.Fatalf("Tuesday sent %q: not in deadline order", m.Subject)
		}
	}

	// Overnight cycles send nothing; Wednesday morning the rest go.
	e.clock.Set(time.Date(2026, 3, 3, 22, 0, 0, 0, wib))
	e.cycle()
	if n := len(sentTo(e, "Re: ")); n != limit {
		t.Fatalf("answers after Tuesday night = %d, want %d", n, limit)
	}
	e.clock.Set(time.Date(2026, 3, 4, 7, 30, 0, 0, wib))
	e.cycle()
	e.clock.Advance(time.Minute)
	e.cycle()
	count := map[string]int{}
	for _, m := range sentTo(e, "Re: ") {
		count[m.Subject]++
	}
	if len(count) != cases {
		t.Fatalf("answers for %d cases after Wednesday morning, want %d", len(count), cases)
	}
	for s, n := range count {
		if n != 1 {
			t.Fatalf("%q sent %d times", s, n)
		}
	}
}
