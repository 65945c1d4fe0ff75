package rules

import (
	"reflect"
	"testing"
)

// TestWhatsAppMemoFollowsInputs: the memo answers what WhatsAppFor
// answers as each input the link depends on changes in turn, when the
// link cell was edited, and for unchanged cases seen again.
func TestWhatsAppMemoFollowsInputs(t *testing.T) {
	w := NewWhatsAppMemo()
	c := Case{Ticket: Ticket{Year: 2026, Seq: 7}, Status: StatusDitugaskan}
	c.Name, c.WhatsApp = "Ani", "0812-3456-7890"
	steps := []struct {
		name string
		edit func(*Case)
	}{
		{"first sight", func(*Case) {}},
		{"seen again", func(*Case) {}},
		{"name", func(c *Case) { c.Name = "Ani Lestari" }},
		{"phone", func(c *Case) { c.WhatsApp = "0811 7654 321" }},
		{"answer while not answered", func(c *Case) { c.Answer = "Jawaban pertama <b>&</b>" }},
		{"status answered", func(c *Case) { c.Status = StatusSelesai }},
		{"answer after answered", func(c *Case) { c.Answer = "Jawaban kedua" }},
		{"landline", func(c *Case) { c.WhatsApp = "021-3456789" }},
		{"not a number", func(c *Case) { c.WhatsApp = "12345" }},
		{"number again", func(c *Case) { c.WhatsApp = "0812-3456-7890" }},
		{"link cell edited by staff", func(c *Case) { c.WhatsAppLink = "https://wa.me/000" }},
		{"emptied", func(c *Case) { c.WhatsApp = "" }},
	}
	for _, s := range steps {
		s.edit(&c)
		for pass := range 2 { // derived, then from the memo
			link, flag := w.For(c)
			want, wantFlag := WhatsAppFor(c)
			if link != want || !reflect.DeepEqual(flag, wantFlag) {
				t.Fatalf("%s (pass %d): For = %q, %v; WhatsAppFor = %q, %v", s.name, pass, link, flag, want, wantFlag)
			}
			c.WhatsAppLink = link // the cycle writes it to the row
		}
	}
}

// BenchmarkWhatsAppLinks: a cycle's WhatsApp pass over 10,000 answered
// cases, derived every time and through the memo.
func BenchmarkWhatsAppLinks(b *testing.B) {
	cases := make([]Case, 10000)
	for i := range cases {
		c := &cases[i]
		c.Ticket, c.Status, c.Name, c.WhatsApp = Ticket{Year: 2025, Seq: i + 1}, StatusSelesai, "Pemohon", "0812-3456-7890"
		c.Answer = "Tindak lanjut rekomendasi disampaikan kepada Inspektorat paling lambat 60 hari setelah LHP diterima, dengan bukti pendukung."
		c.WhatsAppLink, _ = WhatsAppFor(*c)
	}
	b.Run("derived", func(b *testing.B) {
		for b.Loop() {
			for _, c := range cases {
				WhatsAppFor(c)
			}
		}
	})
	b.Run("memo", func(b *testing.B) {
		w := NewWhatsAppMemo()
		for _, c := range cases {
			w.For(c)
		}
		for b.Loop() {
			for _, c := range cases {
				w.For(c)
			}
		}
	})
}
