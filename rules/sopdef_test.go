package rules

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestParseSOPBadFiles checks that each bad definition in
// testdata/sop is refused with every one of its problems, in order, each
// with its place and fix.
func TestParseSOPBadFiles(t *testing.T) {
	tests := []struct {
		file string
		want []string
	}{
		{"unknown-key.yaml", []string{`baris 10: kunci "waktu" tidak dikenal — periksa ejaan dan indentasinya; kunci yang dikenal di bagian ini: action, actor, decisions, done_by, inputs, next, no, notify, notify_correction, output, phase, standard, standard_choices`}},
		{"unknown-role.yaml", []string{
			`steps[1].actor (baris 10): peran "Sekretaris Daerah" tidak ada di daftar roles`,
			`steps[1].notify[0] (baris 10): peran "Inspektur" tidak ada di daftar roles`,
		}},
		{"missing-standard.yaml", []string{`steps[1].standard (baris 10): langkah 2 tidak punya waktu baku`}},
		{"bad-span.yaml", []string{`steps[0].standard (baris 9): durasi "setengah jam" tidak dapat dibaca`}},
		{"unreachable.yaml", []string{`steps[1] (baris 11): langkah 2 tidak pernah dicapai dari langkah 1`}},
		{"no-way-out.yaml", []string{
			`steps[0] (baris 6): dari langkah 1 kasus tidak pernah selesai`,
			`steps[1] (baris 10): dari langkah 2 kasus tidak pernah selesai`,
		}},
		{"bad-next.yaml", []string{
			`steps[1].decisions[1].label (baris 16): keputusan "setuju" ditulis lebih dari sekali`,
			`steps[1].decisions[1].next (baris 16): tujuan "7" bukan langkah — tulis nomor langkah 1 sampai 2 atau selesai`,
		}},
		{"many-problems.yaml", []string{
			`id: id "SOP Tes" tidak sah`,
			`name: wajib diisi`,
			`tab: wajib diisi`,
			`roles[1]: peran "Admin" ditulis lebih dari sekali`,
			`steps[0].no (baris 5): nomor langkah harus 1`,
			`steps[0].action (baris 5): wajib diisi`,
			`steps[0].done_by (baris 5): done_by "otomatis" tidak dikenal — gunakan keputusan, formulir atau email`,
		}},
		{"empty.yaml", []string{"berkas SOP kosong"}},
		{"syntax.yaml", []string{"berkas bukan YAML yang sah"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "sop", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			def, err := ParseSOP(tt.file, data)
			var se *SOPError
			if !errors.As(err, &se) {
				t.Fatalf("ParseSOP = %v, %v; want an *SOPError", def, err)
			}
			if def != nil {
				t.Error("a refused definition was returned")
			}
			if len(se.Problems) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(se.Problems), len(tt.want), err)
			}
			for i, w := range tt.want {
				if got := se.Problems[i].String(); !strings.HasPrefix(got, w) {
					t.Errorf("problem %d = %q, want prefix %q", i, got, w)
				}
			}
			if !strings.HasPrefix(err.Error(), "definisi SOP "+tt.file+" tidak sah") {
				t.Errorf("error header = %q", strings.SplitN(err.Error(), "\n", 2)[0])
			}
		})
	}
}

// TestSOPDefCloneSharesNoSlice changes every element of every slice of a
// clone of each shipped definition and requires the original unchanged;
// between them the definitions must fill every slice field of the types,
// so a slice field added later and not copied by Clone fails here.
func TestSOPDefCloneSharesNoSlice(t *testing.T) {
	filled := map[string]bool{}
	for _, file := range []string{"../sop/bimtek.yaml", "../sop/kopi.yaml"} {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		orig, err := ParseSOP(file, data)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := ParseSOP(file, data)
		c := orig.Clone()
		if !reflect.DeepEqual(c, orig) {
			t.Fatalf("%s: clone differs from its original", file)
		}
		var scribble func(v reflect.Value)
		scribble = func(v reflect.Value) {
			for i := range v.NumField() {
				f := v.Type().Field(i)
				if !f.IsExported() || f.Type.Kind() != reflect.Slice {
					continue
				}
				s := v.Field(i)
				if s.Len() > 0 {
					filled[v.Type().Name()+"."+f.Name] = true
				}
				for j := range s.Len() {
					switch e := s.Index(j); {
					case e.Kind() == reflect.String:
						e.SetString("diubah")
					case e.Type() == reflect.TypeFor[Span]():
						e.Set(reflect.ValueOf(MustSpan("9d")))
					case e.Kind() == reflect.Struct:
						scribble(e)
					default:
						t.Fatalf("no way to change a %s", e.Type())
					}
				}
			}
		}
		scribble(reflect.ValueOf(c).Elem())
		if !reflect.DeepEqual(orig, want) {
			t.Errorf("%s: changing the clone changed the original", file)
		}
	}
	for _, typ := range []reflect.Type{reflect.TypeFor[SOPDef](), reflect.TypeFor[StepDef](), reflect.TypeFor[DecisionDef]()} {
		for i := range typ.NumField() {
			if f := typ.Field(i); f.IsExported() && f.Type.Kind() == reflect.Slice && !filled[typ.Name()+"."+f.Name] {
				t.Errorf("no shipped definition fills %s.%s: the test cannot show Clone copies it", typ.Name(), f.Name)
			}
		}
	}
}
