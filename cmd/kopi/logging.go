package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"time"

	"kopi/rules"
)

// Logs are for the operator and must never carry personal data (UU
// 27/2022, SPEC §5.6): the code logs ticket numbers ("tiket"), counts,
// durations and API method names only. That is the rule; redactHandler
// below is the safety net for the day a Google error message or a new
// log line quotes an address or a phone number anyway.

// newLogger builds the daemon's structured logger on w from log.format
// (text or json) and log.level (debug, info, warn, error). Every command
// gets its logger here, so every log line passes the redaction net. Times
// are written in the office's zone loc with their offset
// (2026-03-02T09:15:00.000+07:00), as people there read them; nil keeps
// the machine's zone.
func newLogger(w io.Writer, lc rules.LogConfig, loc *time.Location) (*slog.Logger, error) {
	return newLoggerAt(w, lc, nil, loc)
}

// newLoggerAt is newLogger with the time of each line taken from now
// (the demo's simulated office clock); nil keeps the record's own time.
func newLoggerAt(w io.Writer, lc rules.LogConfig, now func() time.Time, loc *time.Location) (*slog.Logger, error) {
	var level slog.Level
	if lc.Level != "" {
		if err := level.UnmarshalText([]byte(lc.Level)); err != nil {
			return nil, fmt.Errorf(msgLogLevel, lc.Level)
		}
	}
	ho := &slog.HandlerOptions{Level: level}
	if now != nil || loc != nil {
		ho.ReplaceAttr = func(groups []string, a slog.Attr) slog.Attr {
			if a.Key != slog.TimeKey || len(groups) != 0 {
				return a
			}
			t := a.Value.Time()
			if now != nil {
				t = now()
			}
			if loc != nil {
				t = t.In(loc)
			}
			return slog.Time(slog.TimeKey, t)
		}
	}
	var h slog.Handler
	switch strings.ToLower(lc.Format) {
	case "", "text":
		h = slog.NewTextHandler(w, ho)
	case "json":
		h = slog.NewJSONHandler(w, ho)
	default:
		return nil, fmt.Errorf(msgLogFormat, lc.Format)
	}
	return slog.New(redactHandler{next: h}), nil
}

// Replacements for values the safety net removes.
const (
	redactedEmail = "[surel disamarkan]"
	redactedPhone = "[telepon disamarkan]"
)

// redactHandler wraps a handler and replaces, in the message and in every
// attribute value (strings, errors, Stringers, groups), anything that
// looks like an email address or a phone number. It is defence in depth:
// it cannot recognise a name or a question, which is why the code never
// logs them in the first place. Ticket numbers (KOPI-2026-0001), times
// and ids are not touched: a phone number must start at a word boundary
// with "+", "08" or "628" and have 9 to 15 digits, or start with "0" or
// "62", have 8 to 15 digits and be a number intake accepts
// (rules.NormalizePhone: a fixed line such as 031 0000 0000 too).
type redactHandler struct {
	next slog.Handler
}

// Enabled defers to the wrapped handler.
func (h redactHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

// Handle passes on a copy of the record with personal-looking values
// replaced.
func (h redactHandler) Handle(ctx context.Context, r slog.Record) error {
	nr := slog.NewRecord(r.Time, r.Level, redactText(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		nr.AddAttrs(redactAttr(a))
		return true
	})
	return h.next.Handle(ctx, nr)
}

// WithAttrs redacts attributes bound to a derived logger too.
func (h redactHandler) WithAttrs(as []slog.Attr) slog.Handler {
	out := make([]slog.Attr, len(as))
	for i, a := range as {
		out[i] = redactAttr(a)
	}
	return redactHandler{next: h.next.WithAttrs(out)}
}

// WithGroup defers to the wrapped handler.
func (h redactHandler) WithGroup(name string) slog.Handler {
	return redactHandler{next: h.next.WithGroup(name)}
}

// redactAttr returns a with its value redacted.
func redactAttr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		if s := v.String(); s != "" {
			if r := redactText(s); r != s {
				return slog.String(a.Key, r)
			}
		}
	case slog.KindGroup:
		g := v.Group()
		out := make([]any, len(g))
		for i, x := range g {
			out[i] = redactAttr(x)
		}
		return slog.Group(a.Key, out...)
	case slog.KindAny:
		var s string
		switch x := v.Any().(type) {
		case error:
			s = x.Error()
		case fmt.Stringer:
			s = x.String()
		default:
			s = fmt.Sprint(x)
		}
		if r := redactText(s); r != s {
			return slog.String(a.Key, r)
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}

// emailPattern matches an address well enough to catch one in free text.
// The local part takes every character of an RFC 5322 dot-atom (what
// net/mail, and so rules.NormalizeEmail, accepts); the domain a host
// name's letters, digits and hyphens, as NormalizeEmail requires.
var emailPattern = regexp.MustCompile("[\\p{L}\\p{N}!#$%&'*+/=?^_`{|}~.\\-]+@[\\p{L}\\p{N}\\-]+(?:\\.[\\p{L}\\p{N}\\-]+)+")

// redactText replaces email addresses and phone numbers in s.
func redactText(s string) string {
	if strings.Contains(s, "@") {
		s = emailPattern.ReplaceAllString(s, redactedEmail)
	}
	return redactPhones(s)
}

// redactPhones replaces phone numbers as Indonesians write them:
// 0812-3456-7890, 0812 3456 7890, +62 812-3456-7890, 6281234567890,
// (0812) 3456 7890, and any "+" followed by 9–15 digits.
func redactPhones(s string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); i++ {
		if !phoneStart(s, i) {
			continue
		}
		end, ok := phoneEnd(s, i)
		if !ok {
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(redactedPhone)
		last, i = end, end-1
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isWordByte(c byte) bool {
	return isDigit(c) || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_' || c >= 0x80
}

// phoneStart reports whether a phone number may begin at s[i]: at a word
// boundary (not inside an identifier), with "+", "(" or a digit.
func phoneStart(s string, i int) bool {
	c := s[i]
	if c != '+' && c != '(' && !isDigit(c) {
		return false
	}
	if i > 0 && (isWordByte(s[i-1]) || s[i-1] == '+') {
		return false
	}
	// "r-0812…", "KOPI-2026-…": a hyphen inside an identifier.
	if i > 1 && s[i-1] == '-' && isWordByte(s[i-2]) {
		return false
	}
	return true
}

// phoneEnd scans digits and separators from i and returns where the
// phone number ends, if what it found is one.
func phoneEnd(s string, i int) (int, bool) {
	var digits []byte
	end := -1
scan:
	for j := i; j < len(s); j++ {
		c := s[j]
		switch {
		case isDigit(c):
			digits = append(digits, c)
			end = j + 1
			if len(digits) > 15 {
				return 0, false // a longer number: an id, not a phone
			}
		case c == ' ' || c == '-' || c == '(' || c == ')' || c == '.' || (c == '+' && j == i):
			if c == ' ' && j > i && s[j-1] == ' ' {
				break scan // two spaces: the number ended
			}
			if c == '.' && (j+1 >= len(s) || !isDigit(s[j+1])) {
				break scan // a full stop ends the number
			}
		default:
			break scan
		}
	}
	if end < 0 || end < len(s) && isWordByte(s[end]) {
		return 0, false
	}
	d := string(digits)
	plus := strings.HasPrefix(strings.TrimLeft(s[i:end], "("), "+")
	switch {
	case len(d) < 8:
		return 0, false
	case len(d) >= 9 && (plus || strings.HasPrefix(d, "08") || strings.HasPrefix(d, "628")):
		return end, true
	case !plus && (strings.HasPrefix(d, "0") || strings.HasPrefix(d, "62")):
		// Any other number intake would take as a phone (a fixed line:
		// "03100000" is Surabaya's 031 and five digits), by the same
		// check intake makes.
		if _, ok := rules.NormalizePhone(s[i:end]); ok {
			return end, true
		}
	}
	return 0, false
}
