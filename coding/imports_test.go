package coding

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestImportRules keeps everything under coding/ free of dependencies
// outside the standard library, so that it builds and tests on its own:
// every other package imports it. Within coding/, the statistics and the
// file formats build on the domain only, and the use cases on all three.
func TestImportRules(t *testing.T) {
	const module = "github.com/concordqda/concord/"
	rules := []struct {
		dir     string
		allowed []string // packages of this module it may import
	}{
		{".", nil},
		{"agreement", []string{"coding"}},
		{"formats", []string{"coding"}},
		{"app", []string{"coding", "coding/agreement", "coding/formats"}},
	}
	for _, r := range rules {
		files, err := filepath.Glob(filepath.Join(r.dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		if len(files) == 0 {
			t.Fatalf("no Go files in %s", r.dir)
		}
		fset := token.NewFileSet()
		for _, name := range files {
			f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range f.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				first, _, _ := strings.Cut(path, "/")
				switch {
				case strings.HasPrefix(path, module):
					if p := strings.TrimPrefix(path, module); !slices.Contains(r.allowed, p) {
						t.Errorf("%s imports %s: the %s package may import only %v of this module", name, path, r.dir, r.allowed)
					}
				case strings.Contains(first, "."):
					t.Errorf("%s imports %s, outside the standard library", name, path)
				}
			}
		}
	}
}
