package fake

import (
	"encoding/json"
	"strings"
)

// Partial responses: every Google API accepts a "fields" query parameter
// that trims the response to the named fields ("a,b(c,d),e/f", "*" for
// all of a level). The fake applies it too, so a caller that forgets a
// field in its mask fails in tests as it would against Google.

// fieldMask is a parsed fields selector: a nil mask selects everything.
type fieldMask map[string]fieldMask

// parseFields parses Google's partial-response syntax.
func parseFields(s string) (fieldMask, error) {
	p := &maskParser{s: s}
	m, err := p.list()
	if err != nil {
		return nil, err
	}
	if p.i != len(p.s) {
		return nil, invalidArgument("Invalid field selection %s", s)
	}
	return m, nil
}

type maskParser struct {
	s string
	i int
}

// list parses "item(,item)*" until ")" or the end.
func (p *maskParser) list() (fieldMask, error) {
	m := fieldMask{}
	for {
		if err := p.item(m); err != nil {
			return nil, err
		}
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
			continue
		}
		return m, nil
	}
}

// item parses "a/b/c(sub)" into m.
func (p *maskParser) item(m fieldMask) error {
	start := p.i
	for p.i < len(p.s) && !strings.ContainsRune(",()", rune(p.s[p.i])) {
		p.i++
	}
	path := strings.TrimSpace(p.s[start:p.i])
	if path == "" {
		return invalidArgument("Invalid field selection %s", p.s)
	}
	var sub fieldMask
	if p.i < len(p.s) && p.s[p.i] == '(' {
		p.i++
		var err error
		if sub, err = p.list(); err != nil {
			return err
		}
		if p.i >= len(p.s) || p.s[p.i] != ')' {
			return invalidArgument("Invalid field selection %s", p.s)
		}
		p.i++
	}
	parts := strings.Split(path, "/")
	cur := m
	for j, name := range parts {
		last := j == len(parts)-1
		next, seen := cur[name]
		switch {
		case last && sub == nil:
			cur[name] = nil // everything below
		case last:
			if seen && next == nil {
				return nil
			}
			if next == nil {
				next = fieldMask{}
				cur[name] = next
			}
			for k, v := range sub {
				next[k] = v
			}
		default:
			if seen && next == nil {
				return nil
			}
			if next == nil {
				next = fieldMask{}
				cur[name] = next
			}
			cur = next
		}
	}
	return nil
}

// apply trims a decoded JSON value to the mask. Arrays apply the mask to
// each element; "*" keeps every key of a level.
func (m fieldMask) apply(v any) any {
	if m == nil {
		return v
	}
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, val := range x {
			sub, ok := m[k]
			if !ok {
				sub, ok = m["*"]
			}
			if ok {
				out[k] = sub.apply(val)
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = m.apply(e)
		}
		return out
	}
	return v
}

// trimToFields re-encodes a response keeping only the selected fields.
func trimToFields(v any, fields string) (any, error) {
	m, err := parseFields(fields)
	if err != nil {
		return nil, err
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var tree any
	if err := json.Unmarshal(raw, &tree); err != nil {
		return nil, err
	}
	return m.apply(tree), nil
}
