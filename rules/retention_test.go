package rules

import (
	"reflect"
	"testing"
	"time"
)

func TestDueForAnonymization(t *testing.T) {
	wib := time.FixedZone("WIB", 7*3600)
	now := time.Date(2026, 11, 21, 2, 0, 0, 0, wib) // 02:00 WIB: the date is WIB's, not UTC's
	day := func(d string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", d, wib)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tc := func(seq int, status Status, sent, answered, received string) TrackedCase {
		c := TrackedCase{}
		c.Ticket = Ticket{Year: 2026, Seq: seq}
		c.Status = status
		c.Name = "Sri Wahyuni"
		if sent != "" {
			c.SentAt = day(sent)
		}
		if answered != "" {
			c.AnsweredAt = day(answered)
		}
		if received != "" {
			c.SubmittedAt = day(received)
		}
		return c
	}
	anon := tc(9, StatusSelesai, "2026-01-02 10:00", "", "")
	anon.Name = AnonymizedName(day("2026-10-01 09:00"))

	cases := []TrackedCase{
		tc(1, StatusTerkirim, "2026-08-23 01:59", "", ""),       // exactly 90 days at 02:00 → due
		tc(2, StatusTerkirim, "2026-08-23 02:01", "", ""),       // 90 days minus a minute → not yet
		tc(3, StatusSelesai, "2026-03-02 10:00", "", ""),        // long closed → due
		tc(4, StatusDitugaskan, "", "", "2026-01-05 08:00"),     // open, however old → kept
		tc(5, StatusKirimUlang, "2026-01-05 08:00", "", ""),     // being resent → kept
		tc(6, StatusSelesai, "", "2026-02-01 09:00", ""),        // closed by hand: answered time
		tc(7, StatusSelesai, "", "", "2026-02-01 09:00"),        // closed by hand: received time
		tc(8, StatusSelesai, "", "", ""),                        // no time at all → kept
		anon,                                                    // already anonymised → kept
		tc(10, StatusTerkirim, "2026-01-02 10:00", "", ""),      // an email still pending → kept
		tc(11, StatusKurangLengkap, "", "", "2025-01-02 10:00"), // incomplete is not closed
	}
	busy := map[Ticket]bool{{Year: 2026, Seq: 10}: true}
	seqs := func(ts []Ticket) []int {
		var out []int
		for _, t := range ts {
			out = append(out, t.Seq)
		}
		return out
	}
	for _, c := range []struct {
		days int
		want []int
	}{
		{0, nil},
		{-1, nil},
		{90, []int{1, 3, 6, 7}},
		{365, nil},
		{1, []int{1, 2, 3, 6, 7}},
	} {
		got := seqs(DueForAnonymization(cases, c.days, now, busy))
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("days=%d: due %v, want %v", c.days, got, c.want)
		}
	}
}

func TestAnonymizeKeepsWhatReportsNeed(t *testing.T) {
	now := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	c := Case{
		Ticket: Ticket{Year: 2026, Seq: 7},
		Submission: Submission{
			ResponseID: "ACYDBN1", SubmittedAt: now.AddDate(0, -6, 0), LastSubmittedAt: now.AddDate(0, -6, 0),
			Name: "Sri Wahyuni", Unit: "Desa Sukamaju", Email: "sri@desa.example.id", WhatsApp: "0812-3456-7890",
			Topic: TopicAudit, Question: "Bagaimana…", Attachments: []string{"https://drive.google.com/x"},
		},
		Status: StatusSelesai, Consultant: "Irban I", ConsultantEmail: "irban1@example.go.id",
		AssignedAt: now.AddDate(0, -6, 1), Deadline: now.AddDate(0, -6, 2),
		Answer: "Jawaban untuk Ibu Sri", AnsweredBy: "Irban I", AnsweredAt: now.AddDate(0, -6, 2),
		SentAt: now.AddDate(0, -6, 3), Notes: "Email jawaban tidak terkirim: sri@desa.example.id",
		WhatsAppLink: "https://wa.me/6281234567890?text=Jawaban%20untuk%20Ibu%20Sri",
	}
	got := Anonymize(c, now)
	want := c
	want.Name = "[dianonimkan 2026-11-21]"
	want.Unit, want.Email, want.WhatsApp, want.Question, want.Answer, want.Notes = "", "", "", "", "", ""
	want.WhatsAppLink = ""
	want.Attachments = nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Anonymize:\n got %+v\nwant %+v", got, want)
	}
	if !IsAnonymized(got) || IsAnonymized(c) {
		t.Errorf("IsAnonymized: anonymised %v, original %v", IsAnonymized(got), IsAnonymized(c))
	}
	if due := DueForAnonymization([]TrackedCase{{Case: got}}, 1, now.AddDate(1, 0, 0), nil); due != nil {
		t.Error("an anonymised case is due again")
	}
}
