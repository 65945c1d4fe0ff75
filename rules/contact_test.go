package rules

import "testing"

func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" = invalid
	}{
		{"0812-3456-7890", "+6281234567890"},
		{"081234567890", "+6281234567890"},
		{"+62 812 3456 7890", "+6281234567890"},
		{"+62 (812) 3456-7890", "+6281234567890"},
		{"6281234567890", "+6281234567890"},
		{"0062 812 3456 7890", "+6281234567890"},
		{" 0811 7654 321 ", "+628117654321"},
		{"021-3456789", "+62213456789"},  // a Jakarta landline is a valid number
		{"+65 9123 4567", "+6591234567"}, // Singapore mobile, written with +
		{"", ""},
		{"12345", ""},
		{"0812", ""},
		{"08123", ""},
		{"bukan nomor", ""},
		{"=IMPORTDATA(\"x\")", ""},
		{"0812345678901234567", ""},
	}
	for _, tt := range tests {
		got, ok := NormalizePhone(tt.in)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
}

func TestIsMobile(t *testing.T) {
	if !IsMobile("+6281234567890") {
		t.Error("0812… is mobile")
	}
	if IsMobile("+62213456789") {
		t.Error("021… is a landline")
	}
}

func TestNormalizeEmail(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"budi@inspektorat.inhilkab.go.id", true},
		{"  siti.aminah+kopi@gmail.com ", true},
		{"budi@localhost", false},
		{"budi@", false},
		{"budi", false},
		{"Budi <budi@desa.id>", false},
		{"a@x.id, b@x.id", false},
		{"a@x.id\r\nBcc: victim@x.id", false},
		{"a@.id", false},
		{"a@x..id", false},
		{"0@0.!", false},        // a dot-atom net/mail takes; no host name (fuzzing)
		{"a@[10.0.0.1]", false}, // a domain literal
		{"a!b@desa.id", true},
		{"budi@dinas.bäder.id", true},
		{"büdi@dinas.id", false}, // a local part without a 7-bit form
		{"Ҙ@desa.id", false},
		{"", false},
	}
	for _, tt := range tests {
		if _, ok := NormalizeEmail(tt.in); ok != tt.ok {
			t.Errorf("NormalizeEmail(%q) ok = %v, want %v", tt.in, ok, tt.ok)
		}
	}
}

// TestWireEmail: the address an email header carries — an
// internationalised domain in its ASCII form, an ASCII address as it is,
// a non-ASCII local part refused.
func TestWireEmail(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"budi@inspektorat.go.id", "budi@inspektorat.go.id", true},
		{"Budi@Dinas.GO.ID", "Budi@Dinas.GO.ID", true},
		{"budi@dinas.bäder.id", "budi@dinas.xn--bder-loa.id", true},
		{"büdi@dinas.id", "", false},
		{"budi", "", false},
	} {
		got, ok := WireEmail(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("WireEmail(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestWhatsAppLink(t *testing.T) {
	tests := []struct{ e164, text, want string }{
		{"+6281234567890", "Jawaban KOPI-2026-0001: ya & tidak?", "https://wa.me/6281234567890?text=Jawaban%20KOPI-2026-0001%3A%20ya%20%26%20tidak%3F"},
		{"+6281234567890", "", "https://wa.me/6281234567890"},
		{"+6281234567890", "baris 1\nbaris+2", "https://wa.me/6281234567890?text=baris%201%0Abaris%2B2"},
		{"081234567890", "x", ""},
		{"+62abc", "x", ""},
	}
	for _, tt := range tests {
		if got := WhatsAppLink(tt.e164, tt.text); got != tt.want {
			t.Errorf("WhatsAppLink(%q, %q) = %q, want %q", tt.e164, tt.text, got, tt.want)
		}
	}
}

// TestCheckPhoneRemembersWhatParsingSays: the memo answers, for every
// number and every time, what NormalizePhone and IsMobile say.
func TestCheckPhoneRemembersWhatParsingSays(t *testing.T) {
	inputs := []string{"0812-3456-7890", "021-3456789", "+65 9123 4567", "12345", "", "0812-3456-7890 ", "bukan nomor"}
	for round := 0; round < 3; round++ {
		for _, in := range inputs {
			e164, ok := NormalizePhone(in)
			want := phoneFacts{e164: e164, ok: ok, mobile: ok && IsMobile(e164)}
			if got := checkPhone(in); got != want {
				t.Errorf("round %d: checkPhone(%q) = %+v, want %+v", round, in, got, want)
			}
		}
	}
}

// BenchmarkWhatsAppFor is the per-case, per-cycle cost of keeping a
// row's wa.me link current.
func BenchmarkWhatsAppFor(b *testing.B) {
	c := Case{Ticket: Ticket{Year: 2026, Seq: 7}, Status: StatusSelesai, Answer: "Tindak lanjut disampaikan paling lambat 60 hari."}
	c.Name, c.WhatsApp = "Sri Wahyuni", "0812-3456-7890"
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if l, _ := WhatsAppFor(c); l == "" {
			b.Fatal("no link")
		}
	}
}
