package google

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	gomail "github.com/emersion/go-message/mail"

	"kopi/rules"
)

// ErrBadAddress is returned when an email address does not parse as a
// single RFC 5322 address. Such an email is refused, never "fixed".
var ErrBadAddress = errors.New("alamat email tidak valid")

// ComposeMIME renders an email as an RFC 5322 message: multipart/alternative
// with UTF-8 plain text and HTML parts, quoted-printable, headers encoded as
// RFC 2047 words where needed. Every address is re-parsed with net/mail;
// display names and the subject lose control characters, so no input can
// start a header of its own. The Message-ID is ours; Gmail replaces it on
// send, which is why threading also carries Gmail's thread id.
func ComposeMIME(e rules.Email, date time.Time, messageID string) ([]byte, error) {
	if len(e.To) == 0 {
		return nil, fmt.Errorf("compose %s: no recipient", e.Kind)
	}
	from, err := cleanAddress(e.From)
	if err != nil {
		return nil, fmt.Errorf("compose %s: sender: %w", e.Kind, err)
	}
	to, err := cleanAddresses(e.To)
	if err != nil {
		return nil, fmt.Errorf("compose %s: recipient: %w", e.Kind, err)
	}
	cc, err := cleanAddresses(e.Cc)
	if err != nil {
		return nil, fmt.Errorf("compose %s: cc: %w", e.Kind, err)
	}

	var h gomail.Header
	h.SetDate(date)
	setAddressList(&h, "From", []*gomail.Address{from})
	setAddressList(&h, "To", to)
	if len(cc) > 0 {
		setAddressList(&h, "Cc", cc)
	}
	setSubject(&h, singleLine(e.Subject))
	if messageID != "" {
		h.SetMessageID(trimAngles(messageID))
	}
	if e.InReplyTo != "" {
		h.SetMsgIDList("In-Reply-To", []string{trimAngles(e.InReplyTo)})
	}
	if len(e.References) > 0 {
		refs := make([]string, 0, len(e.References))
		for _, r := range e.References {
			refs = append(refs, trimAngles(r))
		}
		h.SetMsgIDList("References", refs)
	}
	h.Set("MIME-Version", "1.0")
	// RFC 3834: mark the message as generated so that vacation responders
	// do not answer it.
	h.Set("Auto-Submitted", "auto-generated")
	if e.Ref != "" {
		h.Set("X-Kopi-Ref", singleLine(e.Ref))
	}

	var buf bytes.Buffer
	w, err := gomail.CreateInlineWriter(&buf, h)
	if err != nil {
		return nil, fmt.Errorf("compose %s: %w", e.Kind, err)
	}
	if err := writePart(w, "text/plain", e.Text); err != nil {
		return nil, fmt.Errorf("compose %s: text part: %w", e.Kind, err)
	}
	if e.HTML != "" {
		if err := writePart(w, "text/html", e.HTML); err != nil {
			return nil, fmt.Errorf("compose %s: html part: %w", e.Kind, err)
		}
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("compose %s: %w", e.Kind, err)
	}
	return buf.Bytes(), nil
}

func writePart(w *gomail.InlineWriter, contentType, body string) error {
	var ph gomail.InlineHeader
	ph.SetContentType(contentType, map[string]string{"charset": "utf-8"})
	pw, err := w.CreatePart(ph)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(pw, normalizeNewlines(body)); err != nil {
		return err
	}
	return pw.Close()
}

// cleanAddress re-parses an address, gives it its 7-bit form and drops
// control characters from its display name.
func cleanAddress(a mail.Address) (*gomail.Address, error) {
	if strings.ContainsAny(a.Address, "\r\n\t ,;<>\"") {
		return nil, fmt.Errorf("%w: %q", ErrBadAddress, a.Address)
	}
	parsed, err := mail.ParseAddress(a.Address)
	if err != nil || parsed.Address != a.Address {
		return nil, fmt.Errorf("%w: %q", ErrBadAddress, a.Address)
	}
	// Headers stay 7-bit: an internationalised domain goes in its ASCII
	// form; a non-ASCII local part is refused (rules.WireEmail).
	wire, ok := rules.WireEmail(parsed.Address)
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrBadAddress, a.Address)
	}
	return &gomail.Address{Name: singleLine(a.Name), Address: wire}, nil
}

// setAddressList writes an address header. net/mail's formatting (which
// go-message uses) writes a non-ASCII display name holding a backslash
// as a Q-encoded word with the backslash bare; readers, net/mail among
// them, take it as an escape and the whole header fails to parse
// (Budi \ Dinas – PU). Such a name goes out base64-encoded, which
// has no special characters; every other address as the library writes
// it.
func setAddressList(h *gomail.Header, key string, list []*gomail.Address) {
	out := make([]string, len(list))
	for i, a := range list {
		out[i] = a.String()
		if strings.Contains(a.Name, "\\") && !isASCII(a.Name) {
			out[i] = mime.BEncoding.Encode("utf-8", a.Name) + " <" + a.Address + ">"
		}
	}
	h.Set(key, strings.Join(out, ", "))
}

// setSubject writes the subject as go-message does, except text that
// already reads as an RFC 2047 encoded word ("=?utf-8?q?…?="): the
// library writes ASCII as it is, so a reader would decode it and show
// other text than kopi sent. Such a subject is encoded whole.
func setSubject(h *gomail.Header, s string) {
	if !strings.Contains(s, "=?") {
		h.SetSubject(s)
		return
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	var words []string
	for s != "" {
		// 45 bytes make a 60-character base64 word, 72 with its frame.
		n := min(len(s), 45)
		for n < len(s) && n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		words = append(words, "=?utf-8?b?"+base64.StdEncoding.EncodeToString([]byte(s[:n]))+"?=")
		s = s[n:]
	}
	h.Set("Subject", strings.Join(words, " "))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func cleanAddresses(list []mail.Address) ([]*gomail.Address, error) {
	out := make([]*gomail.Address, 0, len(list))
	for _, a := range list {
		c, err := cleanAddress(a)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// singleLine replaces every control character (CR and LF above all) with a
// space and trims the result, so a value cannot end its header line.
func singleLine(s string) string {
	// A run of bytes that is not UTF-8 becomes one replacement character,
	// not one per byte (three bytes each, then encoded: a header five
	// times the size of what was typed).
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

func trimAngles(id string) string {
	return strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(id), "<"), ">")
}

// normalizeNewlines makes every line break CRLF, as RFC 5322 requires.
func normalizeNewlines(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.ReplaceAll(s, "\n", "\r\n")
}
