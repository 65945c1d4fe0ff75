package sync_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	gomail "github.com/emersion/go-message/mail"

	"kopi/rules"
)

// TestInputIsInert: whatever a requester types is stored exactly as
// text and cannot add a header or markup to an email.
func TestInputIsInert(t *testing.T) {
	t.Parallel()
	e := setup(t)
	long := strings.Repeat("Pertanyaan panjang 📑 عربى ", 2400)[:0]
	for len([]rune(long)) < 60000 {
		long += "Mohon penjelasan mengenai reviu RKA 📑 — نص عربي من اليمين إلى اليسار. "
	}
	long = string([]rune(long)[:60000])
	cases := []struct {
		field rules.Field
		value string
	}{
		{rules.FieldNama, "Budi\r\nBcc: penyusup@jahat.example"},
		{rules.FieldInstansi, "=IMPORTDATA(\"http://x\")"},
		{rules.FieldWhatsApp, "+62 812-3456-7890"},
		{rules.FieldPertanyaan, long},
	}
	s := complete("budi", e.cfg.TopicNames()[2])
	for _, c := range cases {
		s[c.field] = c.value
	}
	s[rules.FieldLampiran] = "0012 @SUM(A1) <script>alert(1)</script>"
	e.submit(s)
	e.cycle()

	snap, _, err := e.workspace().Tracker.Read(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Cases) != 1 {
		t.Fatalf("cases = %d", len(snap.Cases))
	}
	got := snap.Cases[0]
	for _, c := range cases {
		if v := got.Submission.Value(c.field); v != c.value {
			t.Errorf("%s stored as %q…, want exactly what was typed (%d vs %d chars)", c.field, trim(v), len([]rune(v)), len([]rune(c.value)))
		}
	}
	if a := strings.Join(got.Attachments, " "); a != "0012 @SUM(A1) <script>alert(1)</script>" {
		t.Errorf("attachments = %q", a)
	}
	// Stored as text, not formulas: the cells hold strings.
	rows := e.rows()
	r := rowOf(rows, "KOPI-2026-0001")
	for _, header := range []string{"Instansi", "WhatsApp"} {
		v, err := e.srv.CellUserEnteredValue(e.sheetID, a1(column(rows, header), r))
		if err != nil {
			t.Fatal(err)
		}
		if v.StringValue == nil || v.FormulaValue != nil {
			t.Errorf("%s cell = %+v, want a string", header, v)
		}
	}
	// The question cell keeps the first part and names its continuation.
	if q := cell(rows, r, "Pertanyaan"); len([]rune(q)) > 50000 || !strings.Contains(q, "Teks Panjang") {
		t.Errorf("long question cell has %d characters", len([]rune(q)))
	}

	sent := e.srv.Sent("me")
	if len(sent) == 0 {
		t.Fatal("no email sent")
	}
	for _, m := range sent {
		mr, err := gomail.CreateReader(bytes.NewReader(m.Raw))
		if err != nil {
			t.Fatalf("parse %q: %v", m.Subject, err)
		}
		head, _, _ := strings.Cut(string(m.Raw), "\r\n\r\n")
		if mr.Header.Has("Bcc") || strings.Contains(head, "\nBcc:") {
			t.Errorf("%q carries a Bcc header", m.Subject)
		}
		to, _ := mr.Header.AddressList("To")
		if len(to) != 1 {
			t.Errorf("%q has %d recipients", m.Subject, len(to))
		}
		for {
			p, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(p.Body)
			ct, _, _ := p.Header.(*gomail.InlineHeader).ContentType()
			if ct == "text/html" && strings.Contains(string(body), "<script>") {
				t.Errorf("%q: HTML part carries a raw <script>", m.Subject)
			}
		}
	}
}

func trim(s string) string {
	if len(s) > 60 {
		return s[:60]
	}
	return s
}
