package fake

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"

	"google.golang.org/api/sheets/v4"
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

// trimToFields encodes a response keeping only the selected fields. The
// response is encoded once (by the API types' own MarshalJSON) and the
// encoding is copied through the mask in one pass, without decoding it
// into a tree: a 50,000-row read costs its bytes, not a map per cell.
func trimToFields(v any, fields string) (any, error) {
	m, err := parseFields(fields)
	if err != nil {
		return nil, err
	}
	var src []byte
	if b, ok := v.(compactJSON); ok {
		src = b
	} else if b, ok := v.(batchEncoded); ok {
		// A response with hand-encoded grids is compact JSON already:
		// the encoder would only copy it once more, a commit's
		// read-back of a 50,000-row layout included.
		if src, err = b.MarshalJSON(); err != nil {
			return nil, err
		}
	} else {
		var raw bytes.Buffer
		enc := json.NewEncoder(&raw)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(pruneUnselected(v, m)); err != nil {
			return nil, err
		}
		src = bytes.TrimSpace(raw.Bytes())
	}
	out := make([]byte, 0, len(src))
	out, _ = m.copyJSON(out, src, 0)
	return json.RawMessage(out), nil
}

// pruneUnselected is v (a pointer to a response struct) with the fields
// the mask does not select left out, on a shallow copy, following struct
// pointers the mask descends into: a commit's response whose mask names
// only its updatedSpreadsheet does not encode a reply per request only for
// copyJSON to drop them. Lists are encoded whole and trimmed by copyJSON;
// the bytes are the same either way.
func pruneUnselected(v any, m fieldMask) any {
	rv := reflect.ValueOf(v)
	if m == nil || rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return v
	}
	out := reflect.New(rv.Elem().Type())
	out.Elem().Set(rv.Elem())
	pruneStruct(out.Elem(), m)
	return out.Interface()
}

func pruneStruct(sv reflect.Value, m fieldMask) {
	if _, all := m["*"]; all {
		return
	}
	t := sv.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || f.Anonymous || name == "" || name == "-" {
			continue
		}
		fv := sv.Field(i)
		sub, ok := m[name]
		if !ok {
			fv.SetZero()
			continue
		}
		if sub != nil && fv.Kind() == reflect.Pointer && !fv.IsNil() && fv.Elem().Kind() == reflect.Struct {
			cp := reflect.New(fv.Elem().Type())
			cp.Elem().Set(fv.Elem())
			pruneStruct(cp.Elem(), sub)
			fv.Set(cp)
		}
	}
}

// copyJSON appends the JSON value starting at src[i] to dst, trimmed to
// the mask as apply would trim its decoded form, and returns the index
// after the value. src is valid compact JSON.
func (m fieldMask) copyJSON(dst, src []byte, i int) ([]byte, int) {
	if m == nil {
		end := skipJSON(src, i)
		return append(dst, src[i:end]...), end
	}
	switch src[i] {
	case '{':
		dst = append(dst, '{')
		i++
		first := true
		for src[i] != '}' {
			if src[i] == ',' {
				i++
			}
			kEnd := skipJSON(src, i)
			key := string(src[i+1 : kEnd-1])
			if strings.IndexByte(key, '\\') >= 0 {
				_ = json.Unmarshal(src[i:kEnd], &key)
			}
			rawKey := src[i:kEnd]
			i = kEnd + 1 // past ':'
			sub, ok := m[key]
			if !ok {
				sub, ok = m["*"]
			}
			if !ok {
				i = skipJSON(src, i)
				continue
			}
			if !first {
				dst = append(dst, ',')
			}
			first = false
			dst = append(dst, rawKey...)
			dst = append(dst, ':')
			dst, i = sub.copyJSON(dst, src, i)
		}
		return append(dst, '}'), i + 1
	case '[':
		dst = append(dst, '[')
		i++
		first := true
		for src[i] != ']' {
			if src[i] == ',' {
				i++
			}
			if !first {
				dst = append(dst, ',')
			}
			first = false
			dst, i = m.copyJSON(dst, src, i)
		}
		return append(dst, ']'), i + 1
	}
	end := skipJSON(src, i)
	return append(dst, src[i:end]...), end
}

// skipJSON returns the index after the compact JSON value at src[i].
func skipJSON(src []byte, i int) int {
	switch src[i] {
	case '"':
		for j := i + 1; j < len(src); j++ {
			switch src[j] {
			case '\\':
				j++
			case '"':
				return j + 1
			}
		}
		return len(src)
	case '{', '[':
		depth := 0
		for j := i; j < len(src); j++ {
			switch src[j] {
			case '"':
				j = skipJSON(src, j) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return len(src)
	}
	j := i
	for j < len(src) && !strings.ContainsRune(",}]", rune(src[j])) {
		j++
	}
	return j
}

// child returns the mask below the path and whether the path is
// selected at all. A nil mask selects everything below it.
func (m fieldMask) child(path ...string) (fieldMask, bool) {
	cur := m
	for _, name := range path {
		if cur == nil {
			return nil, true
		}
		next, ok := cur[name]
		if !ok {
			next, ok = cur["*"]
		}
		if !ok {
			return nil, false
		}
		cur = next
	}
	return cur, true
}

// unselectedCell reports whether a pruned cell keeps nothing.
func unselectedCell(cd *sheets.CellData) bool {
	return cd == nil || (cd.UserEnteredValue == nil && cd.EffectiveValue == nil && cd.FormattedValue == "" &&
		cd.UserEnteredFormat == nil && cd.EffectiveFormat == nil && cd.DataValidation == nil &&
		cd.Note == "" && cd.Hyperlink == "" && len(cd.TextFormatRuns) == 0)
}
