package google

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"kopi/rules"
)

// composedHeaders are the only header fields ComposeMIME writes; any
// other field in a composed message was injected by a value.
var composedHeaders = map[string]bool{
	"Date": true, "From": true, "To": true, "Cc": true, "Subject": true, "Message-Id": true,
	"In-Reply-To": true, "References": true, "Mime-Version": true, "Auto-Submitted": true,
	"X-Kopi-Ref": true, "Content-Type": true,
}

// FuzzComposeMIME composes emails from hostile values (display names,
// subject, bodies, reference) and reads them back with the standard
// library's net/mail, mime and mime/multipart, as a receiving server
// would. Properties:
//   - an address rules.NormalizeEmail accepts (what intake lets through
//     as the requester's) is one ComposeMIME sends to;
//   - the message is 7-bit, every line at most 998 octets (RFC 5322),
//     and its size bounded by its inputs;
//   - it has exactly the header fields kopi writes, each once: no value
//     starts a header of its own;
//   - the subject, names and reference read back as the single-line text
//     given (text that looks RFC 2047-encoded included), the
//     addresses exactly, and both bodies byte for byte (line breaks as
//     CRLF).
func FuzzComposeMIME(f *testing.F) {
	f.Add("Budi Santoso", "budi@bpkad.example.go.id", "[KOPI-2026-0001] Tanda terima konsultasi", "Yth. Budi,\n\nTerima kasih.", "<p>Yth. Budi,</p>", "kopi-ref-1")
	f.Add("Budi\r\nBcc: penyusup@jahat.example", "budi@x.go.id", "Halo\r\nBcc: x@y.z", "a\rb\nc\r\n.\r\nFrom x", "<script>alert(1)</script>", "ref\r\nX-Evil: 1")
	f.Add("\"Budi\" <b@x.id>, c@d.id", "b@x.id", "=?utf-8?q?=41?=", "=IMPORTDATA(\"x\")\x00", "=3D", "")
	f.Add("=?utf-8?q?=0D=0A?=", "b@x.id", "Re: =?utf-8?b?QQ==?= "+strings.Repeat("é=?", 40)+"\xff", "t", "", "")
	f.Add("\u202eملف", "a+tag@x.id", "\u202eموضوع", "نص عربي من اليمين إلى اليسار", "<bdo dir=rtl>x</bdo>", "\u202e")
	f.Add("\xff\xfe", "a@b.c", "\xff\xfe subject", "\xff\xfe body", "\xff", "\xff")
	f.Add(strings.Repeat("N", 200), "a@b.c", strings.Repeat("Sangat panjang ", 4000), strings.Repeat("x", 60000), strings.Repeat("é", 30000), strings.Repeat("r", 100))
	f.Add("", "budi@bpkad", "", "", "", "")
	f.Add("", " budi@x.go.id", "", "", "", "")
	date := time.Date(2026, 3, 2, 9, 15, 0, 0, time.FixedZone("WIB", 7*3600))
	f.Fuzz(func(t *testing.T, name, addr, subject, text, html, ref string) {
		if !isASCII(ref) {
			// X-Kopi-Ref carries kopi's own token (rules.RefToken of a
			// ticket or SOP case id and a hash), ASCII in production.
			ref = fmt.Sprintf("%x", ref)
		}
		// Production tokens are about 30 characters; a word past the
		// line limit is folded by go-message with a space, by design.
		ref = ref[:min(len(ref), 64)]
		e := rules.Email{
			Kind: "tanda-terima", From: mail.Address{Name: "Inspektorat " + name, Address: "kopi@inspektorat.example.go.id"},
			To: []mail.Address{{Name: name, Address: addr}}, Subject: subject, Text: text, HTML: html, Ref: ref,
			InReplyTo: "<abc@mail.gmail.com>", References: []string{"<abc@mail.gmail.com>"},
		}
		norm, normOK := rules.NormalizeEmail(addr)
		if normOK {
			e.To[0].Address = norm
		}
		raw, err := ComposeMIME(e, date, "kopi-1@kopi.local")
		if err != nil {
			if normOK {
				t.Fatalf("intake accepts %q but the email to it cannot be composed: %v", norm, err)
			}
			if !errors.Is(err, ErrBadAddress) {
				t.Fatalf("ComposeMIME refused with %v, want ErrBadAddress", err)
			}
			return
		}
		inputs := len(name)*2 + len(addr) + len(subject) + len(text) + len(html) + len(ref)
		if len(raw) > 4*inputs+4096 {
			t.Fatalf("message of %d bytes from %d bytes of input", len(raw), inputs)
		}
		for i, line := range bytes.Split(raw, []byte("\r\n")) {
			if len(line) > 998 {
				t.Fatalf("line %d is %d octets long", i+1, len(line))
			}
			if bytes.ContainsAny(line, "\r\n") {
				t.Fatalf("line %d holds a bare CR or LF: %q", i+1, line)
			}
			for _, c := range line {
				if c >= 0x80 || c == 0 {
					t.Fatalf("line %d is not 7-bit: %q", i+1, line)
				}
			}
		}
		msg, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("net/mail cannot read the message: %v", err)
		}
		for k, vs := range msg.Header {
			if !composedHeaders[k] {
				t.Fatalf("header %q was injected: %q", k, vs)
			}
			if len(vs) != 1 {
				t.Fatalf("header %s appears %d times", k, len(vs))
			}
		}
		dec := new(mime.WordDecoder)
		checkHeaderText(t, dec, "Subject", msg.Header.Get("Subject"), subject)
		if got, want := msg.Header.Get("X-Kopi-Ref"), singleLine(ref); got != want {
			t.Fatalf("X-Kopi-Ref %q reads back as %q, want %q", ref, got, want)
		}
		wire, ok := rules.WireEmail(e.To[0].Address)
		if !ok {
			t.Fatalf("%q was composed, though it has no 7-bit form", e.To[0].Address)
		}
		to, err := msg.Header.AddressList("To")
		if err != nil || len(to) != 1 || to[0].Address != wire {
			t.Fatalf("To reads back as %v %v, want %q", to, err, wire)
		}
		if want := singleLine(name); utf8.ValidString(name) && to[0].Name != want {
			t.Fatalf("display name %q reads back as %q, want %q", name, to[0].Name, want)
		}
		mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
		if err != nil || mediaType != "multipart/alternative" {
			t.Fatalf("Content-Type %q: %v", msg.Header.Get("Content-Type"), err)
		}
		want := []struct{ typ, body string }{{"text/plain", text}}
		if html != "" {
			want = append(want, struct{ typ, body string }{"text/html", html})
		}
		mr := multipart.NewReader(msg.Body, params["boundary"])
		for i := 0; ; i++ {
			p, err := mr.NextRawPart()
			if errors.Is(err, io.EOF) {
				if i != len(want) {
					t.Fatalf("%d parts, want %d", i, len(want))
				}
				break
			}
			if err != nil {
				t.Fatalf("part %d: %v", i, err)
			}
			if i >= len(want) {
				t.Fatalf("an extra part %d", i)
			}
			ct, cp, err := mime.ParseMediaType(p.Header.Get("Content-Type"))
			if err != nil || ct != want[i].typ || !strings.EqualFold(cp["charset"], "utf-8") {
				t.Fatalf("part %d is %q (%v), want %s; charset=utf-8", i, p.Header.Get("Content-Type"), err, want[i].typ)
			}
			var body io.Reader = p
			if strings.EqualFold(p.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
				body = quotedprintable.NewReader(bufio.NewReader(p))
			}
			got, err := io.ReadAll(body)
			if err != nil {
				t.Fatalf("part %d: %v", i, err)
			}
			if w := normalizeNewlines(want[i].body); string(got) != w {
				t.Fatalf("part %d (%s) reads back as %.200q, want %.200q", i, want[i].typ, got, w)
			}
		}
	})
}

// checkHeaderText asserts that a header decodes to the value given, made
// single-line (control characters to spaces, spaces collapsed).
func checkHeaderText(t *testing.T, dec *mime.WordDecoder, field, header, value string) {
	t.Helper()
	got, err := dec.DecodeHeader(header)
	if err != nil {
		t.Fatalf("%s %q does not decode: %v", field, header, err)
	}
	want := singleLine(value)
	if !utf8.ValidString(value) {
		// Invalid UTF-8 cannot travel in a UTF-8 encoded word as it was;
		// it must still be one line of valid text.
		if !utf8.ValidString(got) || strings.ContainsAny(got, "\r\n") {
			t.Fatalf("%s decodes to %q", field, got)
		}
		return
	}
	if longestWord(want) > 900 {
		// Known and left: go-message folds a word longer than a line
		// by inserting a space (no template writes such a word).
		got, want = strings.ReplaceAll(got, " ", ""), strings.ReplaceAll(want, " ", "")
	}
	if got != want {
		t.Fatalf("%s %q decodes to %q, want %q", field, value, got, want)
	}
}

// TestDisplayNameWithBackslash pins what FuzzComposeMIME found: a
// requester's name holding a backslash and any non-ASCII character
// ("Budi \ Dinas PU – Bidang") made a To header that net/mail (and the
// fake's Gmail, which refuses it with "Invalid To header") cannot parse,
// so the receipt could never be sent.
func TestDisplayNameWithBackslash(t *testing.T) {
	for _, name := range []string{`Budi \ Dinas PU – Bidang`, `\ملف`, `a\b`, `Siti "Ani" – é`} {
		e := rules.Email{Kind: "tanda-terima", From: mail.Address{Name: name, Address: "kopi@x.go.id"},
			To: []mail.Address{{Name: name, Address: "budi@x.go.id"}}, Cc: []mail.Address{{Name: name, Address: "admin@x.go.id"}}, Text: "x"}
		raw, err := ComposeMIME(e, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), "")
		if err != nil {
			t.Fatal(err)
		}
		msg, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range []string{"From", "To", "Cc"} {
			list, err := mail.ParseAddressList(msg.Header.Get(h))
			if err != nil || len(list) != 1 || list[0].Name != name {
				t.Errorf("%s for %q = %q reads back as %v, %v", h, name, msg.Header.Get(h), list, err)
			}
		}
	}
}

// TestSubjectThatLooksEncoded pins what FuzzComposeMIME found: a subject
// holding text that reads as an RFC 2047 encoded word (an SOP case
// title, a topic) was sent as it was, and readers showed it decoded
// ("=?utf-8?q?=0D=0ABcc:_x?=" displayed as a line break and "Bcc: x").
func TestSubjectThatLooksEncoded(t *testing.T) {
	for _, subject := range []string{"=?utf-8?q?=41?=", "[BIMTEK-2026-0001] Bimtek: =?utf-8?q?=0D=0ABcc:_x?= — é", strings.Repeat("=?x?= ", 30)} {
		e := rules.Email{Kind: "x", From: mail.Address{Address: "kopi@x.go.id"}, To: []mail.Address{{Address: "budi@x.go.id"}}, Subject: subject, Text: "x"}
		raw, err := ComposeMIME(e, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), "")
		if err != nil {
			t.Fatal(err)
		}
		msg, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		got, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
		if want := singleLine(subject); err != nil || got != want {
			t.Errorf("subject %q reads back as %q (%v)", want, got, err)
		}
	}
}

// longestWord is the length of the longest run without a space.
func longestWord(s string) int {
	n := 0
	for _, w := range strings.Fields(s) {
		n = max(n, len(w))
	}
	return n
}
