package rules

import (
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Problem is one thing wrong with a configuration: where, what, and how
// to fix it, in Indonesian for the operator.
type Problem struct {
	// Key is the key path, e.g. "intake.form_id" or "topics[2].supervisor";
	// empty for problems found only by line (unknown keys, wrong types).
	Key string
	// Line is the line in the YAML file, when known (0 otherwise).
	Line int
	// Message says what is wrong and how to fix it.
	Message string
}

// String renders the problem as "key (baris N): message".
func (p Problem) String() string {
	var where string
	switch {
	case p.Key != "" && p.Line > 0:
		where = fmt.Sprintf("%s (baris %d)", p.Key, p.Line)
	case p.Key != "":
		where = p.Key
	case p.Line > 0:
		where = fmt.Sprintf("baris %d", p.Line)
	}
	if where == "" {
		return p.Message
	}
	return where + ": " + p.Message
}

// ConfigError lists every problem of a configuration. Callers print
// Problems one per line; Error joins them.
type ConfigError struct {
	Problems []Problem
}

// Error renders all problems, one per line, after a summary line.
func (e *ConfigError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, msgConfigInvalid, len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n- ")
		b.WriteString(p.String())
	}
	return b.String()
}

var (
	reUnknownField = regexp.MustCompile(`(?s)^line (\d+): field (.*) not found in type (\S+)$`)
	reCannot       = regexp.MustCompile("(?s)^line (\\d+): cannot unmarshal (!\\S*)(?: `(.*)`)? into (.+)$")
	reDuplicate    = regexp.MustCompile(`(?s)^line (\d+): mapping key "(.*)" already defined at line (\d+)$`)
	reLine         = regexp.MustCompile(`(?s)^line (\d+): (.*)$`)
)

// translateYAMLError turns one of yaml.v3's type errors into a Problem.
func translateYAMLError(e string) Problem {
	if m := reUnknownField.FindStringSubmatch(e); m != nil {
		line, _ := strconv.Atoi(m[1])
		msg := fmt.Sprintf(msgUnknownKey, m[2])
		if keys := knownKeys(m[3]); len(keys) > 0 {
			msg += fmt.Sprintf(msgKnownKeys, strings.Join(keys, ", "))
		}
		return Problem{Line: line, Message: msg}
	}
	if m := reCannot.FindStringSubmatch(e); m != nil {
		line, _ := strconv.Atoi(m[1])
		val := m[3]
		if val == "" {
			val = m[2]
		}
		return Problem{Line: line, Message: fmt.Sprintf(msgWrongType, val, goTypeID(m[4]))}
	}
	if m := reDuplicate.FindStringSubmatch(e); m != nil {
		line, _ := strconv.Atoi(m[1])
		return Problem{Line: line, Message: fmt.Sprintf(msgDuplicateKey, m[2], m[3])}
	}
	if m := reLine.FindStringSubmatch(e); m != nil {
		line, _ := strconv.Atoi(m[1])
		return Problem{Line: line, Message: m[2]}
	}
	return Problem{Message: e}
}

// goTypeID names a Go type the way an operator understands it.
func goTypeID(t string) string {
	switch {
	case t == "int":
		return "bilangan bulat, mis. 500"
	case t == "float64":
		return "angka, mis. 0.75"
	case t == "bool":
		return "true atau false"
	case t == "string":
		return "teks"
	case t == "time.Duration":
		return "durasi, mis. 1m atau 15m"
	case strings.HasPrefix(t, "[]"):
		return "daftar (baris-baris berawalan \"- \")"
	case strings.HasPrefix(t, "map"), strings.HasPrefix(t, "rules."), strings.HasPrefix(t, "*rules."):
		return "bagian berisi kunci-kunci (mapping)"
	}
	return t
}

// configTypes maps Go type names to their struct types for knownKeys.
var configTypes = func() map[string]reflect.Type {
	m := map[string]reflect.Type{}
	var walk func(reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || t == reflect.TypeOf(time.Time{}) {
			return
		}
		if _, seen := m[t.String()]; seen {
			return
		}
		m[t.String()] = t
		for i := 0; i < t.NumField(); i++ {
			if t.Field(i).IsExported() {
				walk(t.Field(i).Type)
			}
		}
	}
	walk(reflect.TypeOf(Config{}))
	walk(reflect.TypeOf(SOPDef{}))
	return m
}()

// knownKeys lists the YAML keys of a config struct type, sorted.
func knownKeys(typeName string) []string {
	t, ok := configTypes[typeName]
	if !ok {
		return nil
	}
	var keys []string
	var collect func(reflect.Type)
	collect = func(t reflect.Type) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			tag := f.Tag.Get("yaml")
			name, opts, _ := strings.Cut(tag, ",")
			if strings.Contains(opts, "inline") {
				collect(f.Type)
				continue
			}
			if name == "-" || name == "" && tag == "" {
				continue
			}
			keys = append(keys, name)
		}
	}
	collect(t)
	sort.Strings(keys)
	return keys
}
