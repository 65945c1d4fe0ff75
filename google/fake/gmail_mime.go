package fake

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"fmt"
	"html"
	"io"
	"mime"
	"mime/quotedprintable"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/charset"
	"github.com/emersion/go-message/mail"
	"github.com/emersion/go-message/textproto"
	"google.golang.org/api/gmail/v1"
)

// parsedMail is what the fake reads out of a stored RFC 5322 message:
// the MIME tree Gmail serves as "payload" and the fields search uses.
type parsedMail struct {
	root      *mailPart
	subject   string
	from      []*mail.Address
	to        []*mail.Address
	cc        []*mail.Address
	bcc       []*mail.Address
	messageID string   // without angle brackets
	refs      []string // In-Reply-To and References ids, without brackets
	text      string   // plain text of the body, for search and snippet
	snippet   string
	words     []string // full-text index, built on first search
}

// mailPart is one MIME entity, shaped like Gmail's MessagePart.
type mailPart struct {
	partID   string
	headers  []*gmail.MessagePartHeader // decoded values, in order
	mimeType string
	charset  string
	filename string
	body     []byte // transfer-decoded leaf content
	parts    []*mailPart
}

// maxMIMEDepth bounds nesting so a hostile message cannot recurse forever.
const maxMIMEDepth = 20

var wordDecoder = &mime.WordDecoder{CharsetReader: charset.Reader}

// decodeHeaderValue decodes RFC 2047 encoded words; Gmail serves header
// values decoded. An undecodable value is served as written.
func decodeHeaderValue(v string) string {
	d, err := wordDecoder.DecodeHeader(v)
	if err != nil {
		return v
	}
	return d
}

// readHeader reads a message's header section as parseMail does: a
// message without a parseable one has none. For the checks that need
// the header only, without decoding the body.
func readHeader(raw []byte) textproto.Header {
	h, err := textproto.ReadHeader(bufio.NewReader(bytes.NewReader(raw)))
	if err != nil {
		return textproto.Header{}
	}
	return h
}

// parseMail parses a whole message. Nothing is an error: a malformed
// header or MIME body degrades to text, as Gmail stores nearly anything
// an MTA would; the sending checks are in checkRecipients.
func parseMail(raw []byte) *parsedMail {
	br := bufio.NewReader(bytes.NewReader(raw))
	h, err := textproto.ReadHeader(br)
	if err != nil {
		// No parseable header: Gmail keeps such a message as plain text.
		h = textproto.Header{}
		br = bufio.NewReader(bytes.NewReader(raw))
	}
	root := parseEntity(h, br, "", 0)
	pm := &parsedMail{root: root}
	mh := mail.Header{Header: message.Header{Header: h}}
	pm.subject = decodeHeaderValue(h.Get("Subject"))
	pm.from = addressList(h, "From")
	pm.to = addressList(h, "To")
	pm.cc = addressList(h, "Cc")
	pm.bcc = addressList(h, "Bcc")
	pm.messageID = strings.Trim(strings.TrimSpace(h.Get("Message-Id")), "<>")
	for _, key := range []string{"In-Reply-To", "References"} {
		ids, _ := mh.MsgIDList(key)
		pm.refs = append(pm.refs, ids...)
	}
	pm.text = bodyText(root)
	pm.snippet = makeSnippet(pm.text)
	return pm
}

// addressList parses every occurrence of an address header; an
// unparseable list yields nothing.
func addressList(h textproto.Header, key string) []*mail.Address {
	joined := strings.TrimSpace(strings.Join(h.Values(key), ", "))
	if joined == "" {
		return nil
	}
	list, err := mail.ParseAddressList(joined)
	if err != nil {
		return nil
	}
	return list
}

// parseEntity reads one entity's body given its header.
func parseEntity(h textproto.Header, body io.Reader, partID string, depth int) *mailPart {
	p := &mailPart{partID: partID}
	for f := h.Fields(); f.Next(); {
		p.headers = append(p.headers, &gmail.MessagePartHeader{Name: f.Key(), Value: decodeHeaderValue(f.Value())})
	}
	// Gmail reports the header name as the message wrote it; textproto
	// canonicalises keys, so recover the original spelling from Raw.
	i := 0
	for f := h.Fields(); f.Next(); i++ {
		if raw, err := f.Raw(); err == nil {
			if colon := bytes.IndexByte(raw, ':'); colon > 0 {
				p.headers[i].Name = strings.TrimSpace(string(raw[:colon]))
			}
		}
	}
	mediaType, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil || mediaType == "" {
		mediaType, params = "text/plain", map[string]string{}
	}
	p.mimeType = mediaType
	p.charset = strings.ToLower(params["charset"])
	if _, dparams, err := mime.ParseMediaType(h.Get("Content-Disposition")); err == nil {
		p.filename = decodeHeaderValue(dparams["filename"])
	}
	if p.filename == "" && params["name"] != "" {
		p.filename = decodeHeaderValue(params["name"])
	}

	if strings.HasPrefix(mediaType, "multipart/") && params["boundary"] != "" && depth < maxMIMEDepth {
		mr := textproto.NewMultipartReader(body, params["boundary"])
		for n := 0; ; n++ {
			part, err := mr.NextPart()
			if err != nil {
				break
			}
			childID := fmt.Sprint(n)
			if partID != "" {
				childID = partID + "." + childID
			}
			p.parts = append(p.parts, parseEntity(part.Header, part, childID, depth+1))
		}
		return p
	}
	raw, _ := io.ReadAll(body)
	p.body = decodeTransfer(h.Get("Content-Transfer-Encoding"), raw)
	return p
}

// decodeTransfer undoes a Content-Transfer-Encoding; content that does
// not decode is kept as written, as Gmail does for broken mail.
func decodeTransfer(enc string, raw []byte) []byte {
	switch strings.ToLower(strings.TrimSpace(enc)) {
	case "base64":
		clean := bytes.Map(func(r rune) rune {
			if r == '\r' || r == '\n' || r == ' ' || r == '\t' {
				return -1
			}
			return r
		}, raw)
		out := make([]byte, base64.StdEncoding.DecodedLen(len(clean)))
		n, err := base64.StdEncoding.Decode(out, clean)
		if err != nil {
			n, err = base64.RawStdEncoding.Decode(out, bytes.TrimRight(clean, "="))
			if err != nil {
				return raw
			}
		}
		return out[:n]
	case "quoted-printable":
		out, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(raw)))
		if err != nil {
			return raw
		}
		return out
	}
	return raw
}

// textOf converts a text part's content to UTF-8.
func (p *mailPart) textOf() string {
	b := p.body
	if p.charset != "" && p.charset != "utf-8" && p.charset != "us-ascii" {
		if r, err := charset.Reader(p.charset, bytes.NewReader(b)); err == nil {
			if conv, err := io.ReadAll(r); err == nil {
				b = conv
			}
		}
	}
	if !utf8.Valid(b) {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	return string(b)
}

// bodyText is the message's readable text: the first text/plain part that
// is not an attachment, else the first text/html part without markup.
func bodyText(root *mailPart) string {
	var plain, htm *mailPart
	var walk func(p *mailPart)
	walk = func(p *mailPart) {
		if len(p.parts) > 0 {
			for _, c := range p.parts {
				walk(c)
			}
			return
		}
		if p.filename != "" {
			return
		}
		switch {
		case p.mimeType == "text/plain" && plain == nil:
			plain = p
		case p.mimeType == "text/html" && htm == nil:
			htm = p
		}
	}
	walk(root)
	switch {
	case plain != nil:
		return plain.textOf()
	case htm != nil:
		return htmlText(htm.textOf())
	}
	return ""
}

var (
	htmlDropRE = regexp.MustCompile(`(?is)<(script|style|head)\b.*?</(script|style|head)\s*>`)
	htmlTagRE  = regexp.MustCompile(`(?s)<[^>]*>`)
	spaceRE    = regexp.MustCompile(`\s+`)
)

// htmlText reduces HTML to its visible text.
func htmlText(s string) string {
	s = htmlDropRE.ReplaceAllString(s, " ")
	s = htmlTagRE.ReplaceAllString(s, " ")
	return html.UnescapeString(s)
}

// snippetEscaper escapes a snippet the way Gmail does: the API's snippet
// is HTML-escaped text (an apostrophe arrives as &#39;).
var snippetEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;")

// makeSnippet is the start of the text with whitespace collapsed, cut at
// 200 characters on a rune boundary, then HTML-escaped.
func makeSnippet(text string) string {
	// A long body (a 60,000-character answer) needs only its start:
	// collapse a growing prefix until it holds more than 200 characters
	// after leading space. Collapsing a prefix gives a prefix of the
	// whole text's collapse, so the snippet is the same; the whole-text
	// regexp cost a second per send under the race detector.
	for n := 1024; n < len(text); n *= 8 {
		cut := n
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		s := strings.TrimLeftFunc(spaceRE.ReplaceAllString(text[:cut], " "), unicode.IsSpace)
		if utf8.RuneCountInString(s) > 200 {
			return snippetEscaper.Replace(strings.TrimSpace(string([]rune(s)[:200])))
		}
	}
	s := strings.TrimSpace(spaceRE.ReplaceAllString(text, " "))
	if utf8.RuneCountInString(s) > 200 {
		r := []rune(s)
		s = strings.TrimSpace(string(r[:200]))
	}
	return snippetEscaper.Replace(s)
}

// payload renders the part as Gmail's MessagePart (format=full).
// Gmail's top-level part has an empty partId; leaves carry their
// transfer-decoded content as base64url in body.data, multiparts an
// empty body.
func (p *mailPart) payload() *gmail.MessagePart {
	mp := &gmail.MessagePart{
		PartId:   p.partID,
		MimeType: p.mimeType,
		Filename: p.filename,
		Headers:  p.headers,
		Body:     &gmail.MessagePartBody{},
	}
	if len(p.parts) > 0 || strings.HasPrefix(p.mimeType, "multipart/") {
		for _, c := range p.parts {
			mp.Parts = append(mp.Parts, c.payload())
		}
		return mp
	}
	mp.Body.Size = int64(len(p.body))
	if len(p.body) > 0 {
		mp.Body.Data = base64.URLEncoding.EncodeToString(p.body)
	}
	return mp
}

// hasAttachment reports whether any leaf part carries a file name.
func (p *mailPart) hasAttachment() bool {
	if p.filename != "" && len(p.parts) == 0 {
		return true
	}
	for _, c := range p.parts {
		if c.hasAttachment() {
			return true
		}
	}
	return false
}

// splitHeader splits a message at the blank line that ends its header.
// Line endings are normalised to CRLF first, as Gmail stores messages.
func splitHeader(raw []byte) (header, body []byte) {
	raw = toCRLF(raw)
	if bytes.HasPrefix(raw, []byte("\r\n")) {
		return nil, raw[2:]
	}
	if i := bytes.Index(raw, []byte("\r\n\r\n")); i >= 0 {
		return raw[:i+2], raw[i+4:]
	}
	return raw, nil
}

// toCRLF turns bare LF (and bare CR) line endings into CRLF. It copies
// the text between line endings whole (found with bytes.IndexByte), not
// byte by byte: a message is stored, checked and parsed several times
// over, and a 60,000-character question made a per-byte loop the
// simulation's main cost under -race.
func toCRLF(b []byte) []byte {
	out := make([]byte, 0, len(b)+len(b)/40)
	next := func(c byte, from int) int {
		if j := bytes.IndexByte(b[from:], c); j >= 0 {
			return from + j
		}
		return len(b)
	}
	cr, lf := next('\r', 0), next('\n', 0)
	for start := 0; ; {
		i := min(cr, lf)
		out = append(out, b[start:i]...)
		if i == len(b) {
			return out
		}
		out = append(out, '\r', '\n')
		start = i + 1
		if b[i] == '\r' && i+1 < len(b) && b[i+1] == '\n' {
			start = i + 2
		}
		if cr < start {
			cr = next('\r', start)
		}
		if lf < start {
			lf = next('\n', start)
		}
	}
}

// headerFields splits a CRLF header section into whole fields, each with
// its continuation lines and trailing CRLF.
func headerFields(header []byte) [][]byte {
	var fields [][]byte
	for _, line := range bytes.SplitAfter(header, []byte("\r\n")) {
		if len(line) == 0 {
			continue
		}
		if (line[0] == ' ' || line[0] == '\t') && len(fields) > 0 {
			fields[len(fields)-1] = append(fields[len(fields)-1], line...)
			continue
		}
		fields = append(fields, append([]byte(nil), line...))
	}
	return fields
}

func fieldName(f []byte) string {
	if i := bytes.IndexByte(f, ':'); i > 0 {
		return strings.ToLower(strings.TrimSpace(string(f[:i])))
	}
	return ""
}

// rewriteHeader returns raw with the named fields (lower-case names)
// replaced: a field in set is removed wherever it was and, when its new
// value is not empty, written at the top in the order of order. Fields in
// add are written only when the message lacks them.
func rewriteHeader(raw []byte, set map[string]string, order []string, add [][2]string) []byte {
	header, body := splitHeader(raw)
	var out bytes.Buffer
	for _, name := range order {
		if v := set[strings.ToLower(name)]; v != "" {
			fmt.Fprintf(&out, "%s: %s\r\n", name, v)
		}
	}
	present := map[string]bool{}
	var kept bytes.Buffer
	for _, f := range headerFields(header) {
		name := fieldName(f)
		present[name] = true
		if _, replaced := set[name]; replaced {
			continue
		}
		kept.Write(f)
	}
	for _, kv := range add {
		if !present[strings.ToLower(kv[0])] {
			fmt.Fprintf(&out, "%s: %s\r\n", kv[0], kv[1])
		}
	}
	out.Write(kept.Bytes())
	out.WriteString("\r\n")
	out.Write(body)
	return out.Bytes()
}

// decodeRaw decodes a Message.raw field. Google's JSON mapping of bytes
// accepts base64url and standard base64, padded or not.
func decodeRaw(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.URLEncoding, base64.RawURLEncoding, base64.StdEncoding, base64.RawStdEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b, nil
		}
	}
	return nil, fmt.Errorf("not base64")
}

// addressesOf lists the bare addresses.
func addressesOf(list []*mail.Address) []string {
	out := make([]string, 0, len(list))
	for _, a := range list {
		out = append(out, a.Address)
	}
	return out
}

// checkRecipients applies Gmail's sending checks: every recipient header
// must parse as an address list of plausible addresses ("Invalid To
// header" otherwise) and there must be at least one recipient
// ("Recipient address required").
func checkRecipients(raw []byte, requireOne bool) error {
	h := readHeader(raw) // no header section, so no recipients
	n := 0
	for _, name := range []string{"To", "Cc", "Bcc"} {
		vals := h.Values(name)
		joined := strings.TrimSpace(strings.Join(vals, ", "))
		if joined == "" {
			continue
		}
		list, err := mail.ParseAddressList(joined)
		if err != nil {
			return invalidArgument("Invalid %s header", name)
		}
		for _, a := range list {
			if !plausibleAddress(a.Address) {
				return invalidArgument("Invalid %s header", name)
			}
		}
		n += len(list)
	}
	if requireOne && n == 0 {
		return invalidArgument("Recipient address required")
	}
	return nil
}

// plausibleAddress requires a local part and a dotted domain: Gmail
// refuses addresses such as "someone@host" that no MTA could route.
func plausibleAddress(a string) bool {
	at := strings.LastIndexByte(a, '@')
	if at <= 0 || at == len(a)-1 {
		return false
	}
	domain := a[at+1:]
	return strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}
