package rules_test

import (
	"strings"
	"testing"
	"time"

	"kopi/rules"
)

func TestDecideAnswer(t *testing.T) {
	t0 := time.Date(2026, 4, 14, 9, 0, 0, 0, time.UTC)
	base := rules.Case{Answer: "Jawaban A", Consultant: "K"}
	base.ResponseID = "r1"
	first := rules.AnswerKey("f", "r1", "Jawaban A")
	sentA := rules.AnswerHistory{Sent: []rules.SentAnswer{{Key: first, At: t0}}}
	with := func(st rules.Status, answer string, sentAt time.Time) rules.Case {
		c := base
		c.Status, c.Answer, c.SentAt = st, answer, sentAt
		if !sentAt.IsZero() {
			c.AnsweredAt = t0
		}
		return c
	}
	tests := []struct {
		name     string
		c        rules.Case
		h        rules.AnswerHistory
		approval bool
		want     rules.AnswerAction
		flag     string
	}{
		{"Dijawab awaits approval", with(rules.StatusDijawab, "Jawaban A", time.Time{}), rules.AnswerHistory{}, true, rules.AnswerAction{Stamp: true}, ""},
		{"Dijawab without approval sends", with(rules.StatusDijawab, "Jawaban A", time.Time{}), rules.AnswerHistory{}, false, rules.AnswerAction{Stamp: true, Send: true, Key: first, Ready: first}, ""},
		{"approved sends", with(rules.StatusDisetujui, "Jawaban A", time.Time{}), rules.AnswerHistory{}, true, rules.AnswerAction{Stamp: true, Send: true, Key: first, Ready: first}, ""},
		{"approved and pending: no second intent", with(rules.StatusDisetujui, "Jawaban A", time.Time{}), rules.AnswerHistory{Pending: true}, true, rules.AnswerAction{Stamp: true, Ready: first}, ""},
		{"sent, row not marked yet", with(rules.StatusDisetujui, "Jawaban A", time.Time{}), sentA, true, rules.AnswerAction{MarkSent: true, SentAt: t0, Stamp: true}, ""},
		{"sent and marked: nothing", with(rules.StatusTerkirim, "Jawaban A", t0), sentA, true, rules.AnswerAction{}, ""},
		{"edited after send: flagged, not sent", with(rules.StatusTerkirim, "Jawaban B", t0), sentA, true, rules.AnswerAction{}, "TIDAK dikirim ulang"},
		{"Kirim Ulang sends the new text", with(rules.StatusKirimUlang, "Jawaban B", t0), sentA, true,
			rules.AnswerAction{Send: true, Key: rules.ResendKey("f", "r1", "Jawaban B", t0), Ready: rules.ResendKey("f", "r1", "Jawaban B", t0)}, ""},
		{"Kirim Ulang fulfilled in the same minute is marked, not repeated", with(rules.StatusKirimUlang, "Jawaban B", t0),
			rules.AnswerHistory{Sent: []rules.SentAnswer{{Key: first, At: t0}, {Key: rules.ResendKey("f", "r1", "Jawaban B", t0), At: t0.Add(20 * time.Second)}}}, true,
			rules.AnswerAction{MarkSent: true, SentAt: t0.Add(20 * time.Second)}, ""},
		{"empty answer approved: flagged", with(rules.StatusDisetujui, "  ", time.Time{}), rules.AnswerHistory{}, true, rules.AnswerAction{}, "Jawaban kosong"},
		{"consultant still writing", with(rules.StatusDitugaskan, "draft", time.Time{}), rules.AnswerHistory{}, true, rules.AnswerAction{}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := rules.DecideAnswer(tc.c, "f", tc.h, tc.approval)
			flag := ""
			if got.Flag != nil {
				flag = got.Flag.Text(time.UTC)
			}
			got.Flag = nil
			if got != tc.want {
				t.Errorf("got %+v\nwant %+v", got, tc.want)
			}
			if (tc.flag == "") != (flag == "") || !strings.Contains(flag, tc.flag) {
				t.Errorf("flag %q, want one containing %q", flag, tc.flag)
			}
		})
	}
}

func TestAnswerHashIgnoresLineEndings(t *testing.T) {
	if rules.AnswerHash("a\r\nb  \n") != rules.AnswerHash("a\nb") {
		t.Error("CRLF or trailing spaces change the hash")
	}
	if rules.AnswerHash("a") == rules.AnswerHash("b") {
		t.Error("different answers, same hash")
	}
}

func TestWhatsAppFor(t *testing.T) {
	c := rules.Case{Ticket: rules.Ticket{Year: 2026, Seq: 7}}
	c.Name, c.WhatsApp, c.Status = "Ani", "0812-3456-7890", rules.StatusDitugaskan
	link, flag := rules.WhatsAppFor(c)
	if !strings.HasPrefix(link, "https://wa.me/6281234567890?text=") || !strings.Contains(link, "KOPI-2026-0007") || flag != nil {
		t.Errorf("greeting link %q, flag %v", link, flag)
	}
	c.Answer, c.Status = "Jawaban singkat", rules.StatusDisetujui
	if link, _ := rules.WhatsAppFor(c); !strings.Contains(link, "Jawaban%20singkat") {
		t.Errorf("answer link %q", link)
	}
	c.Answer = strings.Repeat("panjang ", 2000)
	if link, _ := rules.WhatsAppFor(c); len(link) > 6000 || strings.Contains(link, "panjang") {
		t.Errorf("long answer prefilled (%d chars)", len(link))
	}
	c.WhatsApp = "12345"
	if link, flag := rules.WhatsAppFor(c); link != "" || flag == nil || flag.Kind != rules.FlagPhoneInvalid {
		t.Errorf("invalid number: link %q, flag %v", link, flag)
	}
	c.WhatsApp = "+62 812 3456 7890"
	if link, _ := rules.WhatsAppFor(c); !strings.HasPrefix(link, "https://wa.me/6281234567890") {
		t.Errorf("+62 form: %q", link)
	}
}

func TestDigestDue(t *testing.T) {
	cfg := rules.DefaultConfig()
	cal, loc := jakartaCalendar(t, cfg)
	for _, tc := range []struct {
		at   time.Time
		want bool
	}{
		{time.Date(2026, 4, 14, 7, 0, 0, 0, loc), false},  // before opening
		{time.Date(2026, 4, 14, 7, 30, 0, 0, loc), true},  // opening
		{time.Date(2026, 4, 14, 13, 0, 0, 0, loc), true},  // late start still that day
		{time.Date(2026, 4, 14, 20, 0, 0, 0, loc), false}, // night
		{time.Date(2026, 4, 18, 8, 0, 0, 0, loc), false},  // Saturday
		{time.Date(2026, 4, 3, 8, 0, 0, 0, loc), false},   // Good Friday
	} {
		if _, got := rules.DigestDue(cal, tc.at); got != tc.want {
			t.Errorf("DigestDue(%s) = %v, want %v", tc.at, got, tc.want)
		}
	}
}
