package sync_test

import (
	"strings"
	"testing"
	"time"
)

// TestRemindersAndDigestOverDays runs the daemon every 30 minutes, day
// and night, from Monday to Friday with a case nobody answers: the
// consultant is reminded once, the overdue notice goes to the consultant
// with the admin in Cc, the escalation to the topic's supervisor — each
// once, only while the office is open — and the digest goes once per
// working day at opening.
func TestRemindersAndDigestOverDays(t *testing.T) {
	if testing.Short() {
		t.Skip("a simulated week of cycles")
	}
	t.Parallel()
	e := setup(t)
	e.cfg.Topics[1].Supervisor = "irban1@inspektorat.example.go.id"
	e.submit(complete("ani", e.cfg.TopicNames()[1]))
	end := time.Date(2026, 3, 6, 23, 0, 0, 0, wib)
	digests := map[string]bool{}
	for ; e.clock.Now().Before(end); e.clock.Advance(30 * time.Minute) {
		before := len(e.srv.Sent("me"))
		e.cycle()
		sent := e.srv.Sent("me")[before:]
		for _, m := range sent {
			kind := m.Subject
			if strings.Contains(kind, "Pengingat") || strings.Contains(kind, "Lewat tenggat") || strings.Contains(kind, "Eskalasi") || strings.Contains(kind, "Ringkasan") {
				if !e.cal.IsOpen(e.clock.Now()) {
					t.Errorf("%q sent at %s, office closed", m.Subject, e.clock.Now())
				}
			}
			if strings.Contains(kind, "Ringkasan harian") {
				day := e.clock.Now().Format("2006-01-02")
				if digests[day] {
					t.Errorf("second digest on %s", day)
				}
				digests[day] = true
				if start, _ := e.cal.StartOfDay(e.clock.Now()); e.clock.Now().Sub(start) >= 30*time.Minute {
					t.Errorf("digest at %s, office opened at %s", e.clock.Now(), start)
				}
			}
		}
	}
	if n := len(sentTo(e, "Pengingat")); n != 1 {
		t.Errorf("pre-breach reminders = %d", n)
	}
	over := sentTo(e, "Lewat tenggat")
	if len(over) != 1 || len(over[0].To) != 1 || len(over[0].Cc) != 1 || over[0].Cc[0] != "admin.kopi@example.go.id" {
		t.Errorf("overdue notices = %+v", over)
	}
	esc := sentTo(e, "Eskalasi")
	if len(esc) != 1 || len(esc[0].To) != 1 || esc[0].To[0] != "irban1@inspektorat.example.go.id" {
		t.Errorf("escalations = %+v", esc)
	}
	if len(digests) != 5 {
		t.Errorf("digests on %d days, want 5 (Monday–Friday)", len(digests))
	}
	d := sentTo(e, "Ringkasan harian")
	if len(d) == 0 || !strings.Contains(d[len(d)-1].Text, "Lewat tenggat: 1") || !strings.Contains(d[len(d)-1].Text, "KOPI-2026-0001") {
		t.Errorf("last digest does not list the overdue case:\n%s", d[len(d)-1].Text)
	}
}

// TestDigestWarnsOfMissingHolidayYear: from October the admins' digest
// says the holiday table lacks next year (the rule `kopi check` uses),
// and not before; a daemon that runs into a year without its table says
// so every working day.
func TestDigestWarnsOfMissingHolidayYear(t *testing.T) {
	t.Parallel()
	e := setup(t)
	for _, c := range []struct {
		at   time.Time
		want string
	}{
		{time.Date(2026, 9, 30, 9, 0, 0, 0, wib), ""},
		{time.Date(2026, 10, 1, 9, 0, 0, 0, wib), "Tabel hari libur belum memuat tahun 2027"},
		{time.Date(2027, 1, 4, 9, 0, 0, 0, wib), "Tabel hari libur tidak memuat tahun 2027"},
	} {
		e.clock.Set(c.at)
		before := len(sentTo(e, "Ringkasan harian"))
		e.cycle()
		d := sentTo(e, "Ringkasan harian")
		if len(d) != before+1 {
			t.Fatalf("%s: %d digests, want one more than %d", c.at.Format("2 Jan 2006"), len(d), before)
		}
		text := d[len(d)-1].Text
		switch has := strings.Contains(text, "Tabel hari libur"); {
		case c.want == "" && has:
			t.Errorf("%s: the digest warns of the holiday table before October:\n%s", c.at.Format("2 Jan 2006"), text)
		case c.want != "" && !strings.Contains(text, c.want):
			t.Errorf("%s: the digest lacks %q:\n%s", c.at.Format("2 Jan 2006"), c.want, text)
		case c.want != "" && !strings.Contains(text, "kopi holidays template 2027"):
			t.Errorf("%s: the digest does not say how to add the table:\n%s", c.at.Format("2 Jan 2006"), text)
		}
	}
}
