package rules

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// leaks are fragments of yaml.v3's and Go's own wording that must not
// reach the operator: problems are translated into Indonesian with the
// field's kind ("bilangan bulat", "teks"), never a Go type name.
var leaks = []string{"cannot unmarshal", "not found in type", "already defined at", "rules.", "time.Duration", "[]string", "map["}

// checkProblems asserts what every reported configuration problem
// satisfies: there is one at least, each says something, and none leaks
// Go's wording.
func checkProblems(t *testing.T, what string, problems []Problem) {
	t.Helper()
	if len(problems) == 0 {
		t.Fatalf("%s: an error without a problem", what)
	}
	for _, p := range problems {
		msg := strings.TrimSpace(p.Message)
		if msg == "" {
			t.Fatalf("%s: problem %+v has no message", what, p)
		}
		for _, l := range leaks {
			if strings.Contains(msg, l) && !strings.HasPrefix(msg, msgYAMLSyntax) {
				t.Fatalf("%s: problem %q shows Go's %q to the operator", what, p.String(), l)
			}
		}
		if p.Line < 0 {
			t.Fatalf("%s: problem %+v has a negative line", what, p)
		}
	}
}

// addFiles adds every file matching the globs as a seed.
func addFiles(f *testing.F, globs ...string) {
	f.Helper()
	n := 0
	for _, g := range globs {
		names, err := filepath.Glob(g)
		if err != nil {
			f.Fatal(err)
		}
		for _, name := range names {
			data, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
			n++
		}
	}
	if n == 0 {
		f.Fatalf("no seed files in %v", globs)
	}
}

// FuzzParseConfig feeds arbitrary YAML to the configuration loader. A
// refused file is a *ConfigError whose every problem has an Indonesian
// message without Go's type names; an accepted file round-trips: written
// back as YAML it parses to an equal configuration (nothing the loader
// keeps is lost or changed by writing it out).
func FuzzParseConfig(f *testing.F) {
	addFiles(f, "../kopi.example.yaml", "testdata/config/*/*.yaml", "../cmd/kopi/testdata/*.yaml")
	for _, s := range []string{
		"", "{}", "timezone: Asia/Jakarta\n", "timezone: [1]\n", "office_hours: {monday: {open: \"07.30\", close: 16:00}}\n",
		"topics:\n- name: \"=HYPERLINK(\\\"x\\\")\"\n  code: \"a b\"\n", "mail:\n  admins: [\"a@b.c\\r\\nBcc: x@y.z\"]\n",
		"sop:\n  steps:\n  - no: 1\n    standard: 99999999d\n", "\tkey: tab\n", "a: &a [*a]\n", "intake: {form_id: \"\xff\xfe\"}\n",
		"holidays:\n  extra:\n  - date: 2026-02-30\n    name: \u202eRTL\n", "retention_days: -1\n", "log: {level: LOUD}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := ParseConfig(data)
		if err != nil {
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("ParseConfig error %T %v, want *ConfigError", err, err)
			}
			checkProblems(t, "ParseConfig", ce.Problems)
			if !strings.HasPrefix(err.Error(), "konfigurasi tidak sah (") {
				t.Fatalf("ParseConfig error does not start with its Indonesian summary: %q", err.Error())
			}
			return
		}
		out, err := yaml.Marshal(cfg)
		if err != nil {
			t.Fatalf("write back an accepted configuration: %v", err)
		}
		again, err := ParseConfig(out)
		if err != nil {
			t.Fatalf("an accepted configuration, written back, is refused: %v\n%s", err, out)
		}
		if !sameValue(reflect.ValueOf(cfg), reflect.ValueOf(again)) {
			out2, _ := yaml.Marshal(again)
			t.Fatalf("configuration changed by writing it back:\n%s\nthen\n%s", out, out2)
		}
	})
}

// FuzzParseSOP feeds arbitrary YAML to the SOP definition loader. A
// refused definition is a *SOPError naming its file, every problem in
// Indonesian; an accepted one is valid (every step reachable and able
// to finish, every actor a role) and round-trips through YAML.
func FuzzParseSOP(f *testing.F) {
	addFiles(f, "../sop/*.yaml", "testdata/sop/*.yaml", "testdata/sopok/*.yaml")
	for _, s := range []string{
		"", "id: x\n", "id: a\nname: b\ntab: c\nroles: [r]\nsteps:\n- no: 1\n  actor: r\n  action: a\n  standard: 1d\n",
		"id: a\nname: b\ntab: c\nroles: [r]\nsteps:\n- no: 1\n  actor: r\n  action: a\n  standard: 1d\n  next: \"1\"\n",
		"id: a\nname: b\ntab: \"=1+1\"\nroles: [r, r]\nsteps:\n- {no: 1, actor: x, action: a, standard: 1d, decisions: [{label: ok, next: \"9\"}]}\n",
		"steps: [[]]\n", "steps:\n- decisions: {}\n", "id: \"A\\r\\nB\"\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		def, err := ParseSOP("uji.yaml", data)
		if err != nil {
			var se *SOPError
			if !errors.As(err, &se) {
				t.Fatalf("ParseSOP error %T %v, want *SOPError", err, err)
			}
			if def != nil {
				t.Fatalf("ParseSOP returned a definition with its error")
			}
			checkProblems(t, "ParseSOP", se.Problems)
			if !strings.HasPrefix(err.Error(), "definisi SOP uji.yaml tidak sah (") {
				t.Fatalf("ParseSOP error does not start with its Indonesian summary: %q", err.Error())
			}
			return
		}
		if p := def.validate(); len(p) > 0 {
			t.Fatalf("an accepted SOP does not validate: %v", p)
		}
		for i, s := range def.Steps {
			if s.No != i+1 {
				t.Fatalf("accepted SOP numbers step %d as %d", i+1, s.No)
			}
		}
		out, err := yaml.Marshal(def)
		if err != nil {
			t.Fatalf("write back an accepted SOP: %v", err)
		}
		again, err := ParseSOP("uji.yaml", out)
		if err != nil {
			t.Fatalf("an accepted SOP, written back, is refused: %v\n%s", err, out)
		}
		if !sameValue(reflect.ValueOf(withoutLines(def)), reflect.ValueOf(withoutLines(again))) {
			out2, _ := yaml.Marshal(again)
			t.Fatalf("SOP changed by writing it back:\n%s\nthen\n%s", out, out2)
		}
	})
}

// sameValue is reflect.DeepEqual except that a nil and an empty slice or
// map are the same (YAML writes neither) and time zones compare by name.
func sameValue(a, b reflect.Value) bool {
	if a.Type() != b.Type() {
		return false
	}
	if a.Type() == reflect.TypeOf((*time.Location)(nil)) {
		la, lb := (*time.Location)(a.UnsafePointer()), (*time.Location)(b.UnsafePointer())
		return (la == nil) == (lb == nil) && (la == nil || la.String() == lb.String())
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return sameValue(a.Elem(), b.Elem())
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if !sameValue(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Slice, reflect.Array:
		if a.Len() != b.Len() {
			return false
		}
		for i := 0; i < a.Len(); i++ {
			if !sameValue(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Map:
		if a.Len() != b.Len() {
			return false
		}
		for _, k := range a.MapKeys() {
			bv := b.MapIndex(k)
			if !bv.IsValid() || !sameValue(a.MapIndex(k), bv) {
				return false
			}
		}
		return true
	case reflect.String:
		return a.String() == b.String()
	case reflect.Bool:
		return a.Bool() == b.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return a.Int() == b.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return a.Uint() == b.Uint()
	case reflect.Float32, reflect.Float64:
		return a.Float() == b.Float()
	}
	panic("sameValue: unhandled kind " + a.Kind().String())
}

// withoutLines copies an SOP definition without the YAML line numbers,
// which depend on how the file was laid out.
func withoutLines(d *SOPDef) SOPDef {
	c := *d
	c.Steps = append([]StepDef(nil), d.Steps...)
	for i := range c.Steps {
		c.Steps[i].line = 0
		c.Steps[i].Decisions = append([]DecisionDef(nil), c.Steps[i].Decisions...)
		for j := range c.Steps[i].Decisions {
			c.Steps[i].Decisions[j].line = 0
		}
	}
	return c
}

// TestYAMLErrorsFoundByFuzzing pins what FuzzParseConfig found: yaml.v3
// messages the translation did not recognise reached the operator in
// English with Go type names.
func TestYAMLErrorsFoundByFuzzing(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		// A key with a space (a typo for form_id).
		{"intake:\n  form id: x\n", `baris 2: kunci "form id" tidak dikenal`},
		// A value spanning lines where a mapping belongs.
		{"\"0\n\n00\"\n", "baris 1: nilai 0\n00 tidak sesuai — isi dengan bagian berisi kunci-kunci (mapping)"},
		// An empty key (found by FuzzParseSOP).
		{"\"\": x\n", `baris 1: kunci "" tidak dikenal`},
		// A custom tag.
		{"log: !Ref x\n", "baris 1: nilai x tidak sesuai — isi dengan bagian berisi kunci-kunci (mapping)"},
	} {
		_, err := ParseConfig([]byte(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseConfig(%q) = %v, want a problem %q", tc.in, err, tc.want)
		}
	}
}
