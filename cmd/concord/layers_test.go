package main

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestLayers keeps the architecture README.md's "Design" describes: which
// of the module's packages each may import. The domain and its statistics
// import only the standard library (coding's own test checks that too);
// the store and the server never import each other, and neither imports
// the binary's packages. Test files count: a test that needs the other
// side belongs one level up.
func TestLayers(t *testing.T) {
	const module = "github.com/concordqda/concord/"
	allowed := map[string][]string{
		"coding":                 nil,
		"coding/agreement":       {"coding"},
		"coding/formats":         {"coding"},
		"coding/app":             {"coding", "coding/agreement", "coding/formats"},
		"store":                  {"coding"},
		"server":                 {"coding", "coding/agreement", "coding/formats", "coding/app"},
		"webui":                  nil,
		"seeds":                  {"coding"},
		"cmd/internal/cli":       nil,
		"cmd/internal/pdftotext": {"coding", "coding/formats"},
		"cmd/internal/bench":     {"coding", "store", "cmd/internal/cli"},
		"cmd/concord-bench":      {"cmd/internal/bench", "cmd/internal/cli"},
	}
	// Tests of the server and store may build the real other half to test
	// against (never the reverse in their code).
	testsMay := map[string][]string{"server": {"store"}}
	root := filepath.Join("..", "..")
	seen := map[string]bool{}
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.Contains(path, "testdata") {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		pkg := filepath.ToSlash(rel)
		if pkg == "cmd/concord" {
			return nil // the binary wires everything together
		}
		may, ok := allowed[pkg]
		if !ok {
			t.Errorf("%s: package %s has no rule here; add one", path, pkg)
			return nil
		}
		seen[pkg] = true
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if !strings.HasPrefix(p, module) {
				continue
			}
			p = strings.TrimPrefix(p, module)
			ok := false
			for _, a := range may {
				ok = ok || a == p
			}
			if strings.HasSuffix(path, "_test.go") {
				for _, a := range testsMay[pkg] {
					ok = ok || a == p
				}
			}
			if !ok {
				t.Errorf("%s imports %s: package %s may import only %v of this module", path, p, pkg, may)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for pkg := range allowed {
		if !seen[pkg] {
			t.Errorf("package %s has a rule but no files", pkg)
		}
	}
}
