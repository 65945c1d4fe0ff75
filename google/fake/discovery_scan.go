package fake

import (
	"bytes"
	"encoding/json"
	"slices"
)

// A request body is checked against its schema in one pass over its
// bytes, without decoding it: a 2.6 MB batchUpdate of a thousand rows
// decoded into a generic tree cost some 30 MB of maps and a tenth of the
// fake's time, only to be thrown away before the handler decoded the same
// bytes into the API types. scanValid answers only "valid"; when it says
// no — an invalid body, or a shape it does not judge itself, such as an
// escaped string that must match an enum — validateBody decodes the body
// and validate names the error exactly as before, so the errors Google's
// shape promises do not depend on this pass.

// maxScanDepth bounds the nesting a scan follows: one more level than
// encoding/json accepts (10,000), so any body the decoding path takes is
// walked whole, and a deeper one is refused before the stack grows more.
const maxScanDepth = 10_001

// anySchema and anyObject let skip check syntax alone.
var (
	anySchema = &dSchema{Type: "any"}
	anyObject = &dSchema{Type: "object", AdditionalProperties: anySchema}
)

// bodyScan walks one JSON text.
type bodyScan struct {
	d     *discoveryDoc
	b     []byte
	i     int
	depth int
}

// scanValid reports whether body is one JSON value, with nothing but
// white space after it, that validate accepts under schema s. False may
// also mean "not judged here": the caller then decodes and validates.
func (d *discoveryDoc) scanValid(s *dSchema, body []byte) bool {
	p := &bodyScan{d: d, b: body}
	if !p.value(s) {
		return false
	}
	p.space()
	return p.i == len(p.b)
}

func (p *bodyScan) space() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// value checks the value at p.i under s (nil: any value) and moves past it.
func (p *bodyScan) value(s *dSchema) bool {
	s = p.d.resolve(s)
	p.space()
	if p.i >= len(p.b) {
		return false
	}
	if p.b[p.i] == 'n' {
		return p.literal("null") // null is accepted for any field
	}
	typ := ""
	if s != nil {
		typ = s.Type
	}
	switch typ {
	case "", "any":
		return p.skip()
	case "object":
		return p.object(s)
	case "array":
		return p.array(s.Items)
	}
	switch c := p.b[p.i]; {
	case c == '"':
		raw, escaped, ok := p.str()
		if !ok {
			return false
		}
		if typ == "string" && len(s.Enum) == 0 && s.Format != "int64" && s.Format != "uint64" &&
			s.Format != "google-datetime" && s.Format != "date-time" {
			return true // any text will do
		}
		text := string(raw)
		if escaped && json.Unmarshal(append(append([]byte{'"'}, raw...), '"'), &text) != nil {
			return false
		}
		return checkScalar("", typ, s.Format, s.Enum, text, true) == nil
	case c == 't' || c == 'f':
		if typ != "boolean" {
			return false
		}
		if c == 't' {
			return p.literal("true")
		}
		return p.literal("false")
	case c == '-' || (c >= '0' && c <= '9'):
		start := p.i
		if !p.number() {
			return false
		}
		if typ == "number" {
			return true // any JSON number
		}
		return checkScalar("", typ, s.Format, s.Enum, string(p.b[start:p.i]), false) == nil
	}
	return false // an object or array where a scalar belongs, or not JSON
}

// object checks an object under schema s, whose type is "object".
func (p *bodyScan) object(s *dSchema) bool {
	if p.b[p.i] != '{' || p.depth >= maxScanDepth {
		return false
	}
	p.depth++
	p.i++
	p.space()
	if p.i < len(p.b) && p.b[p.i] == '}' {
		p.i++
		p.depth--
		return true
	}
	for {
		p.space()
		if p.i >= len(p.b) || p.b[p.i] != '"' {
			return false
		}
		key, escaped, ok := p.str()
		if !ok || escaped {
			return false // an escaped key is judged by the decoding path
		}
		ps := s.AdditionalProperties
		if s.Properties != nil || ps == nil {
			if prop := s.Properties[string(key)]; prop != nil {
				ps = prop
			}
		}
		if ps == nil {
			return false
		}
		p.space()
		if p.i >= len(p.b) || p.b[p.i] != ':' {
			return false
		}
		p.i++
		if !p.value(ps) {
			return false
		}
		p.space()
		if p.i >= len(p.b) {
			return false
		}
		switch p.b[p.i] {
		case ',':
			p.i++
		case '}':
			p.i++
			p.depth--
			return true
		default:
			return false
		}
	}
}

// array checks an array whose items follow schema items.
func (p *bodyScan) array(items *dSchema) bool {
	if p.b[p.i] != '[' || p.depth >= maxScanDepth {
		return false
	}
	p.depth++
	p.i++
	p.space()
	if p.i < len(p.b) && p.b[p.i] == ']' {
		p.i++
		p.depth--
		return true
	}
	for {
		if !p.value(items) {
			return false
		}
		p.space()
		if p.i >= len(p.b) {
			return false
		}
		switch p.b[p.i] {
		case ',':
			p.i++
		case ']':
			p.i++
			p.depth--
			return true
		default:
			return false
		}
	}
}

// skip moves past any JSON value, checking only its syntax.
func (p *bodyScan) skip() bool {
	p.space()
	if p.i >= len(p.b) {
		return false
	}
	switch c := p.b[p.i]; {
	case c == '{':
		return p.object(anyObject)
	case c == '[':
		return p.array(anySchema)
	case c == '"':
		_, _, ok := p.str()
		return ok
	case c == 't':
		return p.literal("true")
	case c == 'f':
		return p.literal("false")
	case c == 'n':
		return p.literal("null")
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	}
	return false
}

func (p *bodyScan) literal(word string) bool {
	if len(p.b)-p.i < len(word) || string(p.b[p.i:p.i+len(word)]) != word {
		return false
	}
	p.i += len(word)
	return true
}

// str moves past the string at p.i and returns its raw bytes between the
// quotes and whether they hold an escape.
func (p *bodyScan) str() (raw []byte, escaped, ok bool) {
	start := p.i + 1
	for j := start; j < len(p.b); j++ {
		switch c := p.b[j]; {
		case c == '"':
			p.i = j + 1
			return p.b[start:j], escaped, true
		case c < 0x20:
			return nil, false, false
		case c == '\\':
			escaped = true
			j++
			if j >= len(p.b) {
				return nil, false, false
			}
			switch p.b[j] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if j+4 >= len(p.b) {
					return nil, false, false
				}
				for _, h := range p.b[j+1 : j+5] {
					if !isHex(h) {
						return nil, false, false
					}
				}
				j += 4
			default:
				return nil, false, false
			}
		}
	}
	return nil, false, false
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

// number moves past a JSON number, following the grammar of RFC 8259.
func (p *bodyScan) number() bool {
	b, i := p.b, p.i
	if i < len(b) && b[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
			n++
		}
		return n
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case digits() == 0:
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	p.i = i
	return true
}

// jsonMember is one member of a JSON object, its value as raw bytes.
type jsonMember struct {
	key string
	val []byte
}

// jsonMembers lists the members of the JSON object raw, one per key (the
// last, as encoding/json keeps it), in order of first appearance; nil for
// null or anything but an object. raw is valid JSON (a checked body).
func jsonMembers(raw []byte) []jsonMember {
	p := &bodyScan{b: raw}
	p.space()
	if p.i >= len(p.b) || p.b[p.i] != '{' {
		return nil
	}
	p.i++
	var out []jsonMember
	for {
		p.space()
		if p.i >= len(p.b) || p.b[p.i] != '"' {
			return out
		}
		rawKey, escaped, ok := p.str()
		if !ok {
			return out
		}
		key := string(rawKey)
		if escaped {
			_ = json.Unmarshal(append(append([]byte{'"'}, rawKey...), '"'), &key)
		}
		p.space()
		p.i++ // ':'
		p.space()
		start := p.i
		p.skipChecked()
		m := jsonMember{key: key, val: p.b[start:p.i]}
		if i := slices.IndexFunc(out, func(o jsonMember) bool { return o.key == key }); i >= 0 {
			out[i] = m
		} else {
			out = append(out, m)
		}
		p.space()
		if p.i >= len(p.b) || p.b[p.i] != ',' {
			return out
		}
		p.i++
	}
}

// jsonMemberValue is the raw value of key in the object raw, nil when
// absent.
func jsonMemberValue(raw []byte, key string) []byte {
	for _, m := range jsonMembers(raw) {
		if m.key == key {
			return m.val
		}
	}
	return nil
}

// jsonItems lists the raw items of the JSON array raw; nil for null or
// anything but an array. raw is valid JSON.
func jsonItems(raw []byte) [][]byte {
	p := &bodyScan{b: raw}
	p.space()
	if p.i >= len(p.b) || p.b[p.i] != '[' {
		return nil
	}
	p.i++
	var out [][]byte
	for {
		p.space()
		if p.i < len(p.b) && p.b[p.i] == ']' {
			return out
		}
		start := p.i
		p.skipChecked()
		out = append(out, p.b[start:p.i])
		p.space()
		if p.i >= len(p.b) || p.b[p.i] != ',' {
			return out
		}
		p.i++
	}
}

// isJSONNull reports whether raw is the JSON literal null.
func isJSONNull(raw []byte) bool {
	return string(bytes.TrimSpace(raw)) == "null"
}

// skipChecked moves past the value at p.i of a checked body (valid
// JSON) without checking it again: strings are crossed with
// bytes.IndexByte, containers by counting brackets.
func (p *bodyScan) skipChecked() {
	depth := 0
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case '"':
			j := p.i + 1
			for {
				k := bytes.IndexByte(p.b[j:], '"')
				if k < 0 {
					p.i = len(p.b)
					return
				}
				q, n := j+k, 0
				for q-1-n >= j && p.b[q-1-n] == '\\' {
					n++
				}
				j = q + 1
				if n%2 == 0 {
					break
				}
			}
			p.i = j
			if depth == 0 {
				return
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return // the end of the enclosing container
			}
			depth--
			if depth == 0 {
				p.i++
				return
			}
		case ',', ' ', '\t', '\n', '\r':
			if depth == 0 {
				return
			}
		}
		p.i++
	}
}
