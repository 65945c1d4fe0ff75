package rules

import (
	"net/mail"
	"net/url"
	"strings"
	"sync"
	"unicode"

	"github.com/nyaruka/phonenumbers"
	"golang.org/x/net/idna"
)

// NormalizeEmail checks that s is exactly one plain email address
// (no display name, no list) whose domain has a dot, and returns it
// trimmed. Anything else is refused rather than repaired.
func NormalizeEmail(s string) (addr string, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s, ",;<>\r\n") {
		return "", false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return "", false
	}
	at := strings.LastIndexByte(s, '@')
	domain := s[at+1:]
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || strings.Contains(domain, "..") {
		return "", false
	}
	// net/mail takes any dot-atom or a domain literal ("0.!",
	// "[10.0.0.1]"); mail goes to host names only: letters, digits and
	// hyphens (and the letters of an internationalised name).
	for _, r := range domain {
		if r != '.' && r != '-' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return "", false
		}
	}
	if _, ok := WireEmail(s); !ok {
		return "", false
	}
	return s, true
}

// WireEmail is an address as an email header carries it, in 7-bit
// ASCII: an internationalised domain in its ASCII form (IDNA's lookup
// profile: "büro.id" → "xn--bro-hoa.id"), an ASCII address unchanged. A
// local part (before the @) outside ASCII has no such form — it needs
// SMTPUTF8 end to end, which kopi cannot count on — so the address is
// refused (ok false), as is a domain IDNA refuses.
func WireEmail(addr string) (string, bool) {
	at := strings.LastIndexByte(addr, '@')
	if at < 0 {
		return "", false
	}
	local, domain := addr[:at], addr[at+1:]
	if !isASCII(local) {
		return "", false
	}
	if isASCII(domain) {
		return addr, true
	}
	d, err := idna.Lookup.ToASCII(domain)
	if err != nil {
		return "", false
	}
	return local + "@" + d, true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func isEmail(s string) bool { _, ok := NormalizeEmail(s); return ok }

// NormalizePhone turns a phone number as requesters type it into E.164
// ("+6281234567890"). Indonesian forms are understood — "0812-3456-7890",
// "+62 812 3456 7890", "62812…" — and numbers of other countries when
// written with "+". A number the phonenumbers metadata does not accept
// as valid is refused (ok false), never guessed.
func NormalizePhone(s string) (e164 string, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", false
	}
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
	in := s
	if !strings.HasPrefix(s, "+") && strings.HasPrefix(digits, "62") {
		in = "+" + digits
	} else if strings.HasPrefix(s, "00") {
		in = "+" + strings.TrimPrefix(digits, "00")
	}
	n, err := phonenumbers.Parse(in, "ID")
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return "", false
	}
	return phonenumbers.Format(n, phonenumbers.E164), true
}

// IsMobile reports whether an E.164 number is a mobile number (WhatsApp
// needs one); fixed lines and unknown types are false.
func IsMobile(e164 string) bool {
	n, err := phonenumbers.Parse(e164, "ID")
	if err != nil {
		return false
	}
	switch phonenumbers.GetNumberType(n) {
	case phonenumbers.MOBILE, phonenumbers.FIXED_LINE_OR_MOBILE:
		return true
	}
	return false
}

// phoneFacts is what NormalizePhone and IsMobile say about a number as
// typed.
type phoneFacts struct {
	e164       string
	ok, mobile bool
}

// phoneMemo remembers phoneFacts by the text typed. A cycle keeps every
// case's wa.me link current, and the tracker holds the same numbers cycle
// after cycle: parsing them with the phone metadata every time was a
// seventh of a cycle's CPU. The facts depend on the text alone, so a
// number is parsed again only when someone changes it. Bounded: it
// starts over past maxPhoneMemo numbers.
var phoneMemo struct {
	sync.Mutex
	m map[string]phoneFacts
}

const maxPhoneMemo = 200_000

// checkPhone is NormalizePhone and IsMobile of s, each computed once per
// distinct s.
func checkPhone(s string) phoneFacts {
	phoneMemo.Lock()
	f, ok := phoneMemo.m[s]
	phoneMemo.Unlock()
	if ok {
		return f
	}
	f.e164, f.ok = NormalizePhone(s)
	f.mobile = f.ok && IsMobile(f.e164)
	phoneMemo.Lock()
	if phoneMemo.m == nil || len(phoneMemo.m) >= maxPhoneMemo {
		phoneMemo.m = map[string]phoneFacts{}
	}
	phoneMemo.m[s] = f
	phoneMemo.Unlock()
	return f
}

// WhatsAppLink builds a wa.me click-to-chat link to an E.164 number with
// text prefilled (URL-escaped; spaces as %20). It returns "" for a number
// that is not E.164.
func WhatsAppLink(e164, text string) string {
	num := strings.TrimPrefix(e164, "+")
	if num == "" || num == e164 || strings.Trim(num, "0123456789") != "" {
		return ""
	}
	link := "https://wa.me/" + num
	if text != "" {
		link += "?text=" + strings.ReplaceAll(url.QueryEscape(text), "+", "%20")
	}
	return link
}
