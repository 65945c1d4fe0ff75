package fake

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/emersion/go-message/mail"
)

// The q parameter of messages.list, threads.list and drafts.list uses
// Gmail's search language (support.google.com/mail/answer/7190). The
// fake implements the part kopi and its tests rely on:
//
//	word "exact phrase"        full text (subject, body, names, addresses)
//	subject:word subject:"a b" subject:(a b)
//	from: to: cc: bcc:         address or name contains the value; "me"
//	rfc822msgid:<id>           Message-ID, with or without angle brackets
//	in:sent in:inbox in:drafts in:spam in:trash in:anywhere
//	label:NAME is:unread is:read is:starred has:attachment filename:
//	after: before: (YYYY/MM/DD or epoch seconds) older_than: newer_than:
//	larger: smaller: category:
//	-term  a OR b  {a b}  (group)  AND
//
// Terms are ANDed. Words match whole words case-insensitively; a phrase
// matches consecutive words. An unknown operator is searched as text,
// as Gmail does.

// queryExpr is a parsed q. A nil root matches every message.
type queryExpr struct {
	root qnode
	// reachesSpamTrash is set by in:spam, in:trash and in:anywhere,
	// which lift the default exclusion of spam and trash.
	reachesSpamTrash bool
}

type matchContext struct {
	m       *gmailMessage
	account string
	now     time.Time
}

func (q *queryExpr) match(mc *matchContext) bool {
	return q.root == nil || q.root.eval(mc)
}

type qnode interface{ eval(*matchContext) bool }

type (
	qAnd  []qnode
	qOr   []qnode
	qNot  struct{ n qnode }
	qTerm struct {
		field  string // "" for full text
		value  string
		phrase bool
	}
)

func (a qAnd) eval(mc *matchContext) bool {
	for _, n := range a {
		if !n.eval(mc) {
			return false
		}
	}
	return true
}

func (o qOr) eval(mc *matchContext) bool {
	for _, n := range o {
		if n.eval(mc) {
			return true
		}
	}
	return len(o) == 0
}

func (n qNot) eval(mc *matchContext) bool { return !n.n.eval(mc) }

// queryOperators are the operator names the lexer recognises.
var queryOperators = map[string]bool{
	"subject": true, "from": true, "to": true, "cc": true, "bcc": true,
	"rfc822msgid": true, "in": true, "label": true, "is": true, "has": true,
	"filename": true, "after": true, "before": true, "older": true, "newer": true,
	"older_than": true, "newer_than": true, "larger": true, "smaller": true,
	"category": true,
}

type tokKind int

const (
	tWord tokKind = iota
	tPhrase
	tField
	tLParen
	tRParen
	tLBrace
	tRBrace
	tMinus
)

type qtoken struct {
	kind  tokKind
	value string
}

func lexQuery(q string) []qtoken {
	var toks []qtoken
	rs := []rune(q)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case r == '(':
			toks = append(toks, qtoken{kind: tLParen})
			i++
		case r == ')':
			toks = append(toks, qtoken{kind: tRParen})
			i++
		case r == '{':
			toks = append(toks, qtoken{kind: tLBrace})
			i++
		case r == '}':
			toks = append(toks, qtoken{kind: tRBrace})
			i++
		case r == '"':
			j := i + 1
			for j < len(rs) && rs[j] != '"' {
				j++
			}
			toks = append(toks, qtoken{kind: tPhrase, value: string(rs[i+1 : j])})
			i = j + 1
		case r == '-' && i+1 < len(rs) && !unicode.IsSpace(rs[i+1]):
			toks = append(toks, qtoken{kind: tMinus})
			i++
		default:
			j := i
			for j < len(rs) && !unicode.IsSpace(rs[j]) && !strings.ContainsRune(`(){}"`, rs[j]) {
				j++
			}
			word := string(rs[i:j])
			i = j
			if k, v, ok := strings.Cut(word, ":"); ok && queryOperators[strings.ToLower(k)] {
				toks = append(toks, qtoken{kind: tField, value: strings.ToLower(k)})
				if v != "" {
					toks = append(toks, qtoken{kind: tWord, value: v})
				}
				continue
			}
			toks = append(toks, qtoken{kind: tWord, value: word})
		}
	}
	return toks
}

type qparser struct {
	toks []qtoken
	i    int
	expr *queryExpr
}

func (p *qparser) peek() *qtoken {
	if p.i < len(p.toks) {
		return &p.toks[p.i]
	}
	return nil
}

// parseQuery parses q. Gmail accepts any string, so the parser never
// fails: stray brackets are ignored.
func parseQuery(q string) (*queryExpr, error) {
	p := &qparser{toks: lexQuery(q), expr: &queryExpr{}}
	var items qAnd
	for p.peek() != nil {
		if t := p.peek(); t.kind == tRParen || t.kind == tRBrace {
			p.i++
			continue
		}
		if n := p.parseOr(""); n != nil {
			items = append(items, n)
		}
	}
	if len(items) > 0 {
		p.expr.root = items
	}
	return p.expr, nil
}

// parseSeq parses terms up to the closing token, ANDed.
func (p *qparser) parseSeq(field string, closer tokKind) qnode {
	var items qAnd
	for t := p.peek(); t != nil; t = p.peek() {
		if t.kind == closer {
			p.i++
			break
		}
		if t.kind == tRParen || t.kind == tRBrace {
			p.i++
			continue
		}
		if n := p.parseOr(field); n != nil {
			items = append(items, n)
		}
	}
	return items
}

func (p *qparser) parseOr(field string) qnode {
	first := p.parseUnary(field)
	or := qOr{first}
	for {
		t := p.peek()
		if t == nil || t.kind != tWord || t.value != "OR" {
			break
		}
		p.i++
		if n := p.parseUnary(field); n != nil {
			or = append(or, n)
		}
	}
	if len(or) == 1 {
		return first
	}
	return or
}

func (p *qparser) parseUnary(field string) qnode {
	t := p.peek()
	if t != nil && t.kind == tMinus {
		p.i++
		n := p.parseUnary(field)
		if n == nil {
			return nil
		}
		return qNot{n}
	}
	for t != nil && t.kind == tWord && t.value == "AND" {
		p.i++
		t = p.peek()
	}
	return p.parsePrimary(field)
}

func (p *qparser) parsePrimary(field string) qnode {
	t := p.peek()
	if t == nil {
		return nil
	}
	p.i++
	switch t.kind {
	case tLParen:
		return p.parseSeq(field, tRParen)
	case tLBrace:
		var or qOr
		for u := p.peek(); u != nil; u = p.peek() {
			if u.kind == tRBrace {
				p.i++
				break
			}
			if n := p.parseUnary(field); n != nil {
				or = append(or, n)
			}
		}
		return or
	case tField:
		next := p.peek()
		if next == nil || next.kind == tRParen || next.kind == tRBrace || next.kind == tMinus {
			return qTerm{field: field, value: t.value}
		}
		return p.parsePrimary(t.value)
	case tWord:
		return p.term(field, t.value, false)
	case tPhrase:
		return p.term(field, t.value, true)
	}
	return nil
}

func (p *qparser) term(field, value string, phrase bool) qnode {
	if field == "in" {
		switch strings.ToLower(value) {
		case "spam", "trash", "anywhere":
			p.expr.reachesSpamTrash = true
		}
	}
	return qTerm{field: field, value: value, phrase: phrase}
}

// words splits text into lower-case words of letters and digits.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r)
	})
}

// containsWords reports whether want occurs in have as consecutive words.
func containsWords(have, want []string) bool {
	if len(want) == 0 {
		return true
	}
	for i := 0; i+len(want) <= len(have); i++ {
		if slices.Equal(have[i:i+len(want)], want) {
			return true
		}
	}
	return false
}

func (t qTerm) eval(mc *matchContext) bool {
	pm := mc.m.parsed
	v := strings.TrimSpace(t.value)
	lv := strings.ToLower(v)
	switch t.field {
	case "":
		return containsWords(pm.fullWords(), words(v))
	case "subject":
		return containsWords(words(pm.subject), words(v))
	case "from":
		return matchAddress(pm.from, lv, mc.account)
	case "to":
		// Gmail's to: finds the message whichever recipient field
		// carries the address.
		return matchAddress(pm.to, lv, mc.account) || matchAddress(pm.cc, lv, mc.account) || matchAddress(pm.bcc, lv, mc.account)
	case "cc":
		return matchAddress(pm.cc, lv, mc.account)
	case "bcc":
		return matchAddress(pm.bcc, lv, mc.account)
	case "rfc822msgid":
		return pm.messageID != "" && strings.Trim(v, "<>") == pm.messageID
	case "in":
		switch lv {
		case "anywhere":
			return true
		case "drafts", "draft":
			return hasLabel(mc.m, "DRAFT")
		case "chats", "snoozed":
			return false
		}
		return hasLabel(mc.m, lv)
	case "label":
		return hasLabel(mc.m, lv)
	case "category":
		return hasLabel(mc.m, "CATEGORY_"+lv)
	case "is":
		switch lv {
		case "read":
			return !hasLabel(mc.m, "UNREAD")
		case "unread", "starred", "important":
			return hasLabel(mc.m, lv)
		}
		return false
	case "has":
		return lv == "attachment" && pm.root.hasAttachment()
	case "filename":
		return pm.root.hasFilename(lv)
	case "after", "before":
		at, ok := queryDate(v)
		if !ok {
			return false
		}
		if t.field == "after" {
			return mc.m.internalDate >= at.UnixMilli()
		}
		return mc.m.internalDate < at.UnixMilli()
	case "older_than", "newer_than", "older", "newer":
		d, ok := queryAge(lv, mc.now)
		if !ok {
			return false
		}
		if strings.HasPrefix(t.field, "older") {
			return mc.m.internalDate < d.UnixMilli()
		}
		return mc.m.internalDate >= d.UnixMilli()
	case "larger", "smaller":
		n, ok := querySize(lv)
		if !ok {
			return false
		}
		if t.field == "larger" {
			return int64(len(mc.m.raw)) > n
		}
		return int64(len(mc.m.raw)) < n
	}
	return false
}

// fullWords is the full-text index of a message: subject, body text and
// the names and addresses of sender and recipients.
func (pm *parsedMail) fullWords() []string {
	if pm.words == nil {
		var b strings.Builder
		b.WriteString(pm.subject)
		b.WriteString("\n")
		b.WriteString(pm.text)
		for _, list := range [][]*mail.Address{pm.from, pm.to, pm.cc, pm.bcc} {
			for _, a := range list {
				b.WriteString("\n" + a.Name + " " + a.Address)
			}
		}
		pm.words = words(b.String())
	}
	return pm.words
}

// matchAddress matches an address operator: the value is contained in
// an address or display name ("me" is the account).
func matchAddress(list []*mail.Address, value, account string) bool {
	value = strings.Trim(value, "<>")
	if value == "me" {
		value = strings.ToLower(account)
	}
	if value == "" {
		return false
	}
	for _, a := range list {
		if strings.Contains(strings.ToLower(a.Address), value) || strings.Contains(strings.ToLower(a.Name), value) {
			return true
		}
	}
	return false
}

// hasLabel compares label ids case-insensitively; Gmail's search names
// system labels in lower case ("label:unread", "in:sent").
func hasLabel(m *gmailMessage, label string) bool {
	label = strings.NewReplacer(" ", "_", "-", "_").Replace(label)
	return slices.ContainsFunc(m.labels, func(l string) bool { return strings.EqualFold(l, label) })
}

func (p *mailPart) hasFilename(sub string) bool {
	if p.filename != "" && strings.Contains(strings.ToLower(p.filename), sub) {
		return true
	}
	for _, c := range p.parts {
		if c.hasFilename(sub) {
			return true
		}
	}
	return false
}

// gmailSearchZone is where Gmail's search reads dates: midnight Pacific
// time. The fake uses standard time (UTC-8) all year.
var gmailSearchZone = time.FixedZone("PST", -8*3600)

// queryDate parses after:/before: values: YYYY/MM/DD (also with dashes,
// single-digit months and days) or seconds since the epoch.
func queryDate(v string) (time.Time, bool) {
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return time.Unix(n, 0), true
	}
	v = strings.ReplaceAll(v, "-", "/")
	t, err := time.ParseInLocation("2006/1/2", v, gmailSearchZone)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// queryAge parses older_than:/newer_than: values such as 2d, 3m, 1y.
func queryAge(v string, now time.Time) (time.Time, bool) {
	if len(v) < 2 {
		return time.Time{}, false
	}
	n, err := strconv.Atoi(v[:len(v)-1])
	if err != nil || n < 0 {
		return time.Time{}, false
	}
	switch v[len(v)-1] {
	case 'd':
		return now.AddDate(0, 0, -n), true
	case 'm':
		return now.AddDate(0, -n, 0), true
	case 'y':
		return now.AddDate(-n, 0, 0), true
	}
	return time.Time{}, false
}

// querySize parses larger:/smaller: values: bytes, or with a K or M
// suffix.
func querySize(v string) (int64, bool) {
	mult := int64(1)
	switch {
	case strings.HasSuffix(v, "k"):
		mult, v = 1<<10, strings.TrimSuffix(v, "k")
	case strings.HasSuffix(v, "m"):
		mult, v = 1<<20, strings.TrimSuffix(v, "m")
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, false
	}
	return n * mult, true
}
