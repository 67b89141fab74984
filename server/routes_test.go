package server

import (
	"go/ast"
	"go/parser"
	"go/token"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestRoutesListsEveryAPIRoute holds Routes to its promise, which the
// authorization walk of cmd/concord relies on: nothing is registered on
// the mux except through handle (which lists it) and the two catch-alls,
// and every listed route is the one that answers its own pattern.
func TestRoutesListsEveryAPIRoute(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	direct := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || (sel.Sel.Name != "Handle" && sel.Sel.Name != "HandleFunc") || len(call.Args) == 0 {
				return true
			}
			direct++
			switch arg := call.Args[0].(type) {
			case *ast.Ident:
				if arg.Name == "pattern" {
					return true // handle's own registration
				}
			case *ast.BasicLit:
				if p, _ := strconv.Unquote(arg.Value); p == "/api/" || p == "/" {
					return true // the API's 404 and the web UI
				}
			}
			t.Errorf("%s: a route registered outside handle: Routes (and so the authorization test) would not know it; register it with handle, user or p",
				fset.Position(call.Pos()))
			return true
		})
	}
	if direct < 3 {
		t.Fatalf("found %d mux registrations; has server.go changed how routes are registered?", direct)
	}

	s := New(nil, Options{})
	fill := strings.NewReplacer("{pid}", "p", "{did}", "d", "{cid}", "c", "{id}", "i", "{login}", "l")
	for _, rt := range s.Routes() {
		method, path, _ := strings.Cut(rt.Pattern, " ")
		if _, got := s.mux.Handler(httptest.NewRequest(method, fill.Replace(path), nil)); got != rt.Pattern {
			t.Errorf("%s is answered by %q", rt.Pattern, got)
		}
	}
	for _, path := range []string{"/api/users", "/api/projects/p/secrets", "/api/me/x"} {
		if _, got := s.mux.Handler(httptest.NewRequest("GET", path, nil)); got != "/api/" {
			t.Errorf("GET %s is answered by %q, want the API's 404", path, got)
		}
	}
}
