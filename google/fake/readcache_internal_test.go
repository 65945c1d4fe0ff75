package fake

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestKeptSheetsHandlersLiveInFormsAndGmailFiles: the API methods that
// run without counting a spreadsheet generation (keepsSheets) are the
// cached read and handlers defined in the Forms and Gmail files, the
// files TestFormsAndGmailTouchNoSpreadsheet keeps free of spreadsheets.
func TestKeptSheetsHandlersLiveInFormsAndGmailFiles(t *testing.T) {
	fset := token.NewFileSet()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	defined := map[string]string{} // Server method → file
	handled := map[string]string{} // API method id → Server method
	for _, f := range files {
		file := fset.Position(f.Pos()).Filename
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncDecl:
				if n.Recv != nil {
					defined[n.Name.Name] = file
				}
			case *ast.CallExpr:
				sel, ok := n.Fun.(*ast.SelectorExpr)
				if !ok || sel.Sel.Name != "handle" || len(n.Args) != 2 {
					return true
				}
				lit, ok1 := n.Args[0].(*ast.BasicLit)
				h, ok2 := n.Args[1].(*ast.SelectorExpr)
				if ok1 && ok2 {
					id, _ := strconv.Unquote(lit.Value)
					handled[id] = h.Sel.Name
				}
			}
			return true
		})
	}
	s, err := New(Options{NoListener: true})
	if err != nil {
		t.Fatal(err)
	}
	kept := 0
	for id := range s.handlers {
		if !keepsSheets(id) || id == cachedRead {
			continue
		}
		kept++
		file := defined[handled[id]]
		if !strings.HasPrefix(file, "forms") && !strings.HasPrefix(file, "gmail") {
			t.Errorf("%s runs without counting a spreadsheet generation but its handler %q is in %q", id, handled[id], file)
		}
	}
	if kept == 0 || len(handled) != len(s.handlers) {
		t.Fatalf("found %d kept handlers, %d of %d registrations", kept, len(handled), len(s.handlers))
	}
}

// peekCalls are the functions sheets_peek.go may call: builtins and
// errors, the lock, and the spreadsheet model's readers — lookups, A1
// parsing and clipping (readRange), and the rendering the cached read
// itself runs under lockKeepingSheets (evalCell, render).
var peekCalls = map[string]bool{
	"make": true, "append": true, "len": true, "Errorf": true,
	"lockKeepingSheets": true, "Unlock": true,
	"getSpreadsheet": true, "readRange": true, "cell": true, "evalCell": true, "render": true,
}

// TestSheetsPeekOnlyReads keeps sheets_peek.go, whose helpers take the
// state lock without counting a spreadsheet generation, to reading: its
// functions assign only to their own variables and call only peekCalls.
// A helper that changed a spreadsheet there would let the read cache
// answer a stale body.
func TestSheetsPeekOnlyReads(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "sheets_peek.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	funcs := 0
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok {
			continue
		}
		funcs++
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				for _, l := range n.Lhs {
					if _, ok := l.(*ast.Ident); !ok {
						t.Errorf("%s: %s assigns to %T, not to a variable of its own", fset.Position(n.Pos()), fd.Name.Name, l)
					}
				}
			case *ast.IncDecStmt:
				if _, ok := n.X.(*ast.Ident); !ok {
					t.Errorf("%s: %s changes %T, not a variable of its own", fset.Position(n.Pos()), fd.Name.Name, n.X)
				}
			case *ast.CallExpr:
				name := ""
				switch fn := n.Fun.(type) {
				case *ast.Ident:
					name = fn.Name
				case *ast.SelectorExpr:
					name = fn.Sel.Name
				}
				if !peekCalls[name] {
					t.Errorf("%s: %s calls %q, which is not known to only read", fset.Position(n.Pos()), fd.Name.Name, name)
				}
			case *ast.GoStmt:
				t.Errorf("%s: %s starts a goroutine", fset.Position(n.Pos()), fd.Name.Name)
			}
			return true
		})
	}
	if funcs == 0 {
		t.Fatal("sheets_peek.go has no functions")
	}
}
