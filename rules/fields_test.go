package rules

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"testing"
)

// TestEveryCaseFieldHasAWriteRule parses the package's source for the
// CaseField constants: each must be in CaseFields exactly once, with a
// known write rule, so a field added without one fails here.
func TestEveryCaseFieldHasAWriteRule(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "state.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var consts []string
	values := map[CaseField]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok {
			return true
		}
		if id, ok := vs.Type.(*ast.Ident); ok && id.Name == "CaseField" {
			for i, name := range vs.Names {
				consts = append(consts, name.Name)
				if lit, ok := vs.Values[i].(*ast.BasicLit); ok {
					values[CaseField(strings.Trim(lit.Value, `"`))] = name.Name
				}
			}
		}
		return true
	})
	if len(consts) == 0 {
		t.Fatal("no CaseField constants found in state.go")
	}
	if len(consts) != len(CaseFields) {
		t.Errorf("%d CaseField constants, %d entries in CaseFields", len(consts), len(CaseFields))
	}
	listed := map[CaseField]int{}
	for _, fr := range CaseFields {
		listed[fr.Field]++
		switch fr.Rule {
		case WriteOnCreate, WriteOnEdit, WriteOnSettle, WriteOnAnswer, WriteStaff:
		default:
			t.Errorf("field %s: write rule %q unknown", fr.Field, fr.Rule)
		}
	}
	for f, n := range listed {
		if n != 1 {
			t.Errorf("field %s listed %d times", f, n)
		}
	}
	for v, name := range values {
		if listed[v] == 0 {
			t.Errorf("%s (%q) has no write rule: add it to CaseFields", name, v)
		}
	}
	if n := len(listed); n != len(consts) {
		t.Errorf("CaseFields names %d distinct fields, the package declares %d: %s", n, len(consts), strings.Join(consts, ", "))
	}
}
