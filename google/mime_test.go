package google

import (
	"bytes"
	"errors"
	"io"
	"net/mail"
	"strings"
	"testing"
	"time"

	gomail "github.com/emersion/go-message/mail"

	"kopi/rules"
)

func sampleEmail() rules.Email {
	return rules.Email{
		Key:     rules.EmailKey("form", "resp-1", "tanda-terima"),
		Ticket:  "KOPI-2026-0001",
		Kind:    "tanda-terima",
		Ref:     "KOPI-2026-0001/" + rules.EmailKey("form", "resp-1", "tanda-terima")[:12],
		From:    mail.Address{Name: "Admin KOPI Inspektorat", Address: "kopi@example.go.id"},
		To:      []mail.Address{{Name: "Siti Rahmawati", Address: "siti@desa.example.id"}},
		Subject: "[KOPI-2026-0001] Tanda terima konsultasi — Reviu, monitoring dan evaluasi",
		Text:    "Yth. Siti,\nKonsultasi Anda sudah kami terima. 🙏\nRef: KOPI-2026-0001",
		HTML:    "<p>Yth. Siti,</p><p>Konsultasi Anda sudah kami terima. &lt;b&gt;</p>",
	}
}

// parse reads a composed message back with a MIME parser and returns its
// header and the decoded text of each part by content type.
func parse(t *testing.T, raw []byte) (gomail.Header, map[string]string) {
	t.Helper()
	r, err := gomail.CreateReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	parts := map[string]string{}
	for {
		p, err := r.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("next part: %v", err)
		}
		ih, ok := p.Header.(*gomail.InlineHeader)
		if !ok {
			t.Fatalf("unexpected attachment")
		}
		ct, params, _ := ih.ContentType()
		if params["charset"] != "utf-8" {
			t.Errorf("%s charset = %q", ct, params["charset"])
		}
		b, _ := io.ReadAll(p.Body)
		parts[ct] = string(b)
	}
	return r.Header, parts
}

func TestComposeMIMERoundTrip(t *testing.T) {
	e := sampleEmail()
	e.InReplyTo = "<abc@mail.gmail.com>"
	e.References = []string{"abc@mail.gmail.com"}
	raw, err := ComposeMIME(e, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), "<k1@kopi.example.go.id>")
	if err != nil {
		t.Fatal(err)
	}
	h, parts := parse(t, raw)
	subj, _ := h.Subject()
	if subj != e.Subject {
		t.Errorf("subject = %q", subj)
	}
	to, _ := h.AddressList("To")
	if len(to) != 1 || to[0].Address != "siti@desa.example.id" || to[0].Name != "Siti Rahmawati" {
		t.Errorf("to = %v", to)
	}
	if got, _ := h.MsgIDList("In-Reply-To"); len(got) != 1 || got[0] != "abc@mail.gmail.com" {
		t.Errorf("in-reply-to = %v", got)
	}
	if got := h.Get("X-Kopi-Ref"); !strings.HasPrefix(got, "KOPI-2026-0001/") {
		t.Errorf("X-Kopi-Ref = %q", got)
	}
	if !strings.Contains(parts["text/plain"], "🙏") || !strings.Contains(parts["text/plain"], "\r\n") {
		t.Errorf("text part = %q", parts["text/plain"])
	}
	if !strings.Contains(parts["text/html"], "&lt;b&gt;") {
		t.Errorf("html part = %q", parts["text/html"])
	}
	for _, line := range strings.Split(string(raw), "\r\n") {
		if len(line) > 998 {
			t.Fatalf("line longer than RFC 5322 allows: %d", len(line))
		}
	}
}

func TestComposeMIMEInjectionIsInert(t *testing.T) {
	e := sampleEmail()
	e.To[0].Name = "Budi\r\nBcc: attacker@evil.example\r\n"
	e.Subject = "Halo\r\nBcc: attacker@evil.example"
	raw, err := ComposeMIME(e, time.Now(), "")
	if err != nil {
		t.Fatal(err)
	}
	h, _ := parse(t, raw)
	if h.Has("Bcc") {
		t.Fatalf("injected Bcc header: %s", raw)
	}
	to, _ := h.AddressList("To")
	if len(to) != 1 || to[0].Address != "siti@desa.example.id" {
		t.Fatalf("recipients = %v", to)
	}
	if strings.Contains(string(raw), "\r\nBcc:") {
		t.Fatalf("raw message carries a Bcc line")
	}
}

func TestComposeMIMERefusesBadAddresses(t *testing.T) {
	for _, addr := range []string{"", "siti", "siti@desa.example.id, x@y.z", "a@b.c\r\nBcc: x@y.z", "<a@b.c>", "Siti <siti@x.id>"} {
		e := sampleEmail()
		e.To = []mail.Address{{Address: addr}}
		if _, err := ComposeMIME(e, time.Now(), ""); !errors.Is(err, ErrBadAddress) {
			t.Errorf("address %q: err = %v, want ErrBadAddress", addr, err)
		}
	}
	e := sampleEmail()
	e.To = nil
	if _, err := ComposeMIME(e, time.Now(), ""); err == nil {
		t.Error("no recipient accepted")
	}
}
