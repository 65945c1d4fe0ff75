package main

import (
	"regexp"
	"strings"
	"testing"

	"kopi/rules"
)

// writtenPhone is a phone number as the redactor promises to catch it:
// "0…", "62…" or "+…", digits separated by single spaces or hyphens.
var writtenPhone = regexp.MustCompile(`^(\+|0|62)[0-9]+(?:[ -][0-9]+)*$`)

// FuzzRedactText puts phone numbers and email addresses, as requesters
// type them, into free text around hostile values and checks what the
// log redaction promises (SPEC §5.6, no personal data in logs): a phone
// number intake accepts and an address intake accepts are gone from the
// line, the ticket number the line is about is still there, and
// redacting again changes nothing.
func FuzzRedactText(f *testing.F) {
	f.Add("kirim ke", "0812-3456-7890", "budi@bpkad.example.go.id", "gagal")
	f.Add("tiket", "+62 812 3456 7890", "a.b+c@x.go.id", "")
	f.Add("", "6281234567890", "x@y.id", "r-0812")
	f.Add("=HYPERLINK(", "(0274) 512345", "\"q\"@x.id", "\u202e")
	f.Add("\xff", "08123456789", "a@b", strings.Repeat("9", 100))
	f.Fuzz(func(t *testing.T, prefix, phone, email, suffix string) {
		in := "KOPI-2026-0042 " + prefix + " " + phone + " , " + email + " " + suffix
		out := redactText(in)
		if !strings.HasPrefix(out, "KOPI-2026-0042 ") {
			t.Fatalf("redactText(%q) = %q lost the ticket number", in, out)
		}
		if _, ok := rules.NormalizePhone(phone); ok && writtenPhone.MatchString(phone) && strings.Contains(out, phone) {
			t.Fatalf("redactText(%q) = %q keeps the phone number %q", in, out, phone)
		}
		if addr, ok := rules.NormalizeEmail(email); ok && isASCII(addr) && strings.Contains(out, addr) {
			t.Fatalf("redactText(%q) = %q keeps the address %q", in, out, addr)
		}
		if again := redactText(out); again != out {
			t.Fatalf("redacting %q again gives %q", out, again)
		}
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
