package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// setConfigValue writes one scalar — a dotted key such as
// "tracker.spreadsheet_id" — into the YAML configuration file at path,
// keeping everything else as the operator wrote it, and replaces the file
// atomically with its mode kept.
//
// The file is decoded into a yaml.Node to find the key. When the key is
// already there with a one-line value, only that value's characters are
// replaced in the original text, so comments, blank lines and alignment
// survive exactly. Otherwise (the key or its section is missing, or the
// value spans lines) the key is set or inserted in the node tree and the
// tree is encoded back with a two-space indent: comments survive, blank
// lines do not. Either way the result is decoded again and must read back
// the new value.
func setConfigValue(path, key, value string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	out, err := editYAML(data, key, value)
	if err != nil {
		return err
	}
	return writeFileAtomic(path, out)
}

// editYAML returns data with key set to value (a string).
func editYAML(data []byte, key, value string) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	path := strings.Split(key, ".")
	if out, ok := spliceScalar(data, &doc, path, value); ok {
		if got, err := lookupScalar(out, path); err == nil && got == value {
			return out, nil
		}
	}
	if err := setNode(&doc, path, value); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	if got, err := lookupScalar(b.Bytes(), path); err != nil || got != value {
		return nil, fmt.Errorf("kunci %s tidak terbaca kembali setelah ditulis", key)
	}
	return b.Bytes(), nil
}

// find returns the key and value nodes of path in a document, or nils.
func find(doc *yaml.Node, path []string) (k, v *yaml.Node) {
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, nil
	}
	n := doc.Content[0]
	for i, name := range path {
		if n.Kind != yaml.MappingNode {
			return nil, nil
		}
		var next *yaml.Node
		for j := 0; j+1 < len(n.Content); j += 2 {
			if n.Content[j].Value == name {
				k, next = n.Content[j], n.Content[j+1]
			}
		}
		if next == nil {
			return nil, nil
		}
		if i == len(path)-1 {
			return k, next
		}
		n = next
	}
	return nil, nil
}

// lookupScalar decodes data and returns the scalar at path.
func lookupScalar(data []byte, path []string) (string, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return "", err
	}
	_, v := find(&doc, path)
	if v == nil || v.Kind != yaml.ScalarNode {
		return "", errors.New("not found")
	}
	return v.Value, nil
}

// spliceScalar replaces the text of an existing one-line value in place.
// It reports false when the value is not a simple one-line scalar.
func spliceScalar(data []byte, doc *yaml.Node, path []string, value string) ([]byte, bool) {
	k, v := find(doc, path)
	if k == nil || v.Kind != yaml.ScalarNode || v.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return nil, false
	}
	lines := bytes.SplitAfter(data, []byte("\n"))
	if k.Line < 1 || k.Line > len(lines) {
		return nil, false
	}
	line := lines[k.Line-1]
	colon := k.Column - 1 + len(k.Value)
	if colon >= len(line) || line[colon] != ':' {
		return nil, false // a quoted or unusual key: let the encoder do it
	}
	start, end := colon+1, colon+1
	switch {
	case v.Tag == "!!null" && v.Value == "" && isBlankOrComment(line[colon+1:]):
		// "key:" with nothing (or only a comment) after it.
	case v.Line == k.Line:
		start = v.Column - 1
		var ok bool
		if end, ok = scalarEnd(line, start, v.Style); !ok {
			return nil, false
		}
	default:
		return nil, false
	}
	repl := " " + strconv.Quote(value)
	if start > colon+1 {
		repl = strconv.Quote(value)
	}
	var out bytes.Buffer
	for i, l := range lines {
		if i != k.Line-1 {
			out.Write(l)
			continue
		}
		out.Write(l[:start])
		out.WriteString(repl)
		out.Write(l[end:])
	}
	return out.Bytes(), true
}

func isBlankOrComment(rest []byte) bool {
	t := bytes.TrimSpace(rest)
	return len(t) == 0 || t[0] == '#'
}

// scalarEnd finds where the scalar token starting at start ends.
func scalarEnd(line []byte, start int, style yaml.Style) (int, bool) {
	if start >= len(line) {
		return 0, false
	}
	switch {
	case style&yaml.DoubleQuotedStyle != 0:
		for i := start + 1; i < len(line); i++ {
			switch line[i] {
			case '\\':
				i++
			case '"':
				return i + 1, true
			}
		}
		return 0, false
	case style&yaml.SingleQuotedStyle != 0:
		for i := start + 1; i < len(line); i++ {
			if line[i] == '\'' {
				if i+1 < len(line) && line[i+1] == '\'' {
					i++
					continue
				}
				return i + 1, true
			}
		}
		return 0, false
	}
	end := len(bytes.TrimRight(line, "\r\n"))
	if i := bytes.Index(line[start:], []byte(" #")); i >= 0 {
		end = start + i
	}
	for end > start && (line[end-1] == ' ' || line[end-1] == '\t') {
		end--
	}
	return end, true
}

// setNode sets or inserts path in the node tree, creating sections.
func setNode(doc *yaml.Node, path []string, value string) error {
	if doc.Kind != yaml.DocumentNode {
		*doc = yaml.Node{Kind: yaml.DocumentNode}
	}
	if len(doc.Content) == 0 {
		doc.Content = []*yaml.Node{{Kind: yaml.MappingNode, Tag: "!!map"}}
	}
	n := doc.Content[0]
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		*n = yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	}
	for i, name := range path {
		if n.Kind != yaml.MappingNode {
			return fmt.Errorf("bagian %s bukan mapping", strings.Join(path[:i], "."))
		}
		var next *yaml.Node
		for j := 0; j+1 < len(n.Content); j += 2 {
			if n.Content[j].Value == name {
				next = n.Content[j+1]
			}
		}
		last := i == len(path)-1
		if next == nil {
			next = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
			n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: name}, next)
		} else if !last && next.Kind == yaml.ScalarNode && next.Tag == "!!null" {
			*next = yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", LineComment: next.LineComment}
		}
		if last {
			next.Kind, next.Tag, next.Value, next.Style, next.Content = yaml.ScalarNode, "!!str", value, yaml.DoubleQuotedStyle, nil
		}
		n = next
	}
	return nil
}

// writeFileAtomic replaces path with data through a temporary file in the
// same directory, keeping the file's mode, so a crash leaves either the
// old or the new file, never half of one.
func writeFileAtomic(path string, data []byte) error {
	mode := os.FileMode(0o644)
	if st, err := os.Stat(path); err == nil {
		mode = st.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), mode); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
