package sync

import (
	"bufio"
	"bytes"
	"html"
	htmltemplate "html/template"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"kopi/google"
	"kopi/rules"
)

// sentinel wraps the fuzzed value in every field: if "<i-kopi>" shows up
// in an HTML part, a value reached the markup unescaped.
const sentinelOpen, sentinelClose = "<i-kopi>", "</i-kopi>"

// fillMailData sets every string of a template's data to v (pointers to
// new values, lists to two entries, the trusted HTML of the answer to
// linkify(v), as compose does), so each template sees the hostile value
// wherever it prints a field.
func fillMailData(v string) mailData {
	var d mailData
	fill(reflect.ValueOf(&d).Elem(), v)
	d.AnswerHTML = linkify(v)
	d.QuestionQuoted = quote(v)
	return d
}

func fill(x reflect.Value, v string) {
	switch x.Kind() {
	case reflect.String:
		x.SetString(v)
	case reflect.Int:
		x.SetInt(3)
	case reflect.Bool:
		x.SetBool(true)
	case reflect.Pointer:
		x.Set(reflect.New(x.Type().Elem()))
		fill(x.Elem(), v)
	case reflect.Struct:
		for i := 0; i < x.NumField(); i++ {
			if x.Type().Field(i).IsExported() {
				fill(x.Field(i), v)
			}
		}
	case reflect.Slice:
		x.Set(reflect.MakeSlice(x.Type(), 2, 2))
		for i := 0; i < 2; i++ {
			fill(x.Index(i), v)
		}
	}
}

// FuzzTemplates renders every email kind with a hostile value in every
// field (requester text, staff text, SOP text), composes it as kopi
// sends it and reads it back as a receiving server would. Properties:
// the value never reaches an HTML part unescaped, the subject is one
// line, the message carries only kopi's own header fields, and both
// parts decode as UTF-8 text of a bounded size.
func FuzzTemplates(f *testing.F) {
	for _, s := range []string{
		"Budi Santoso", "Budi\r\nBcc: penyusup@jahat.example", "=IMPORTDATA(\"http://x\")", "<script>alert(1)</script>",
		"\" onmouseover=\"alert(1)", "javascript:alert(1)", "https://x.example/a?b=<c>&d=\"e\"", "a\x00b", "\u202eملف\u202c",
		"\xff\xfe", "{{.Ticket}}", "=?utf-8?q?=0D=0ABcc:_x@y.z?=", strings.Repeat("Pertanyaan panjang 📑 ", 3000),
	} {
		f.Add(s)
	}
	tpl, err := LoadTemplates("")
	if err != nil {
		f.Fatal(err)
	}
	date := time.Date(2026, 3, 2, 9, 15, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		d := fillMailData(sentinelOpen + v + sentinelClose)
		for _, kind := range templateKinds {
			subject, text, htmlPart, err := tpl.render(kind, d)
			if err != nil {
				t.Fatalf("render %s: %v", kind, err)
			}
			if strings.Contains(htmlPart, sentinelOpen) {
				t.Fatalf("%s: the value reached the HTML unescaped: %.300q", kind, htmlPart)
			}
			if len(v) > 4096 {
				// go-message folds a long header in quadratic time (0.1 s
				// for 60,000 characters); FuzzComposeMIME in google covers
				// composing long values, once per input.
				continue
			}
			e := rules.Email{
				Kind: kind, From: mail.Address{Name: "Inspektorat", Address: "kopi@inspektorat.example.go.id"},
				To: []mail.Address{{Name: sentinelOpen + v, Address: "budi@x.go.id"}}, Subject: subject, Text: text, HTML: htmlPart,
			}
			raw, err := google.ComposeMIME(e, date, "kopi-1@kopi.local")
			if err != nil {
				t.Fatalf("compose %s: %v", kind, err)
			}
			if len(raw) > 4*(len(subject)+len(text)+len(htmlPart))+4096 {
				t.Fatalf("%s: %d bytes from a %d-byte rendering", kind, len(raw), len(subject)+len(text)+len(htmlPart))
			}
			msg, err := mail.ReadMessage(bytes.NewReader(raw))
			if err != nil {
				t.Fatalf("%s: net/mail cannot read the message: %v", kind, err)
			}
			for k := range msg.Header {
				switch k {
				case "Date", "From", "To", "Subject", "Message-Id", "Mime-Version", "Auto-Submitted", "Content-Type":
				default:
					t.Fatalf("%s: header %q was injected", kind, k)
				}
			}
			if s, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); err != nil || strings.ContainsAny(s, "\r\n") {
				t.Fatalf("%s: subject %q (%v) is not one line", kind, s, err)
			}
			_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
			if err != nil {
				t.Fatal(err)
			}
			mr := multipart.NewReader(msg.Body, params["boundary"])
			for i := 0; ; i++ {
				p, err := mr.NextRawPart()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("%s part %d: %v", kind, i, err)
				}
				body, err := io.ReadAll(quotedprintable.NewReader(bufio.NewReader(p)))
				if err != nil {
					t.Fatalf("%s part %d: %v", kind, i, err)
				}
				if strings.HasPrefix(p.Header.Get("Content-Type"), "text/html") && bytes.Contains(body, []byte(sentinelOpen)) {
					t.Fatalf("%s: the HTML part carries the value unescaped", kind)
				}
			}
		}
	})
}

// anchorRE matches the links linkify writes.
var anchorRE = regexp.MustCompile(`<a href="([^"<>]*)">([^<>]*)</a>`)

// FuzzLinkify renders answer text as HTML. Its only markup is the line
// breaks and the links it adds; each link's href is its own escaped
// text and an http(s) URL; and the text read back from the HTML is the
// answer exactly (CRLF as LF, NUL as U+FFFD).
func FuzzLinkify(f *testing.F) {
	for _, s := range []string{
		"Silakan baca https://jdih.example.go.id/peraturan?id=1&x=2.", "<script>alert(1)</script>", "javascript:alert(1)",
		"http://a\"onmouseover=alert(1)", "https://x/<b>", "a\r\nb\rc\nd", "(https://x.example/a).", "&amp; &lt;", "\xff https://\xff",
		"https://", "http://x'y", "\u202ehttps://x.example\u202c",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := string(linkify(s))
		stripped := anchorRE.ReplaceAllStringFunc(out, func(a string) string {
			m := anchorRE.FindStringSubmatch(a)
			href, text := html.UnescapeString(m[1]), html.UnescapeString(m[2])
			if m[1] != m[2] || !(strings.HasPrefix(href, "http://") || strings.HasPrefix(href, "https://")) {
				t.Fatalf("linkify(%q) writes link %q", s, a)
			}
			return htmltemplate.HTMLEscapeString(text)
		})
		stripped = strings.ReplaceAll(stripped, "<br>\n", "\n")
		if strings.ContainsAny(stripped, "<>\"") {
			t.Fatalf("linkify(%q) = %q holds markup of its own", s, out)
		}
		// html/template's escaper writes NUL as U+FFFD, deliberately.
		want := strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\x00", "\uFFFD")
		if got := html.UnescapeString(stripped); got != want {
			t.Fatalf("linkify(%q) reads back as %q", s, got)
		}
	})
}
