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

// TestImportRules keeps the domain and its statistics free of
// dependencies: every other package imports the domain, and both must
// build and test on their own. The file formats may use the domain and,
// where they serve users, well-kept libraries, but not the statistics.
func TestImportRules(t *testing.T) {
	const module = "github.com/concordqda/concord/"
	rules := []struct {
		dir     string
		allowed []string // packages of this module it may import
		outside bool     // whether it may import outside the standard library
	}{
		{".", nil, false},
		{"agreement", []string{"coding"}, false},
		{"formats", []string{"coding"}, true},
		{"app", []string{"coding", "coding/agreement", "coding/formats"}, true},
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
				case strings.Contains(first, ".") && !r.outside:
					t.Errorf("%s imports %s, outside the standard library", name, path)
				}
			}
		}
	}
}
