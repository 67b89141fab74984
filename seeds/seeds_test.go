package seeds

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/concordqda/concord/coding"
)

func loadDemo(t *testing.T) *Demo {
	t.Helper()
	d, err := LoadDemo()
	if err != nil {
		t.Fatalf("LoadDemo() error = %v", err)
	}
	return d
}

// loadSpec decodes demo.json as written, for comparing the resolved values
// with what the file says.
func loadSpec(t *testing.T) spec {
	t.Helper()
	raw, err := files.ReadFile("demo.json")
	if err != nil {
		t.Fatal(err)
	}
	var s spec
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestLoadDemoProjectAndUsers(t *testing.T) {
	d := loadDemo(t)
	if d.Project.Slug != "peer-support" || d.Project.ID == "" || d.Project.Name == "" || d.Project.Description == "" {
		t.Errorf("project = %+v, want slug peer-support with id, name and description", d.Project)
	}
	coders, leads := 0, 0
	for _, u := range d.Users {
		switch u.Role {
		case coding.RoleLead:
			leads++
		case coding.RoleCoder:
			coders++
		}
		if u.Colour == "" || u.Name == "" {
			t.Errorf("user %q has no colour or name", u.Login)
		}
	}
	if leads < 1 || coders < 2 {
		t.Errorf("users: %d leads and %d coders, want at least 1 and 2", leads, coders)
	}
}

func TestDemoDocuments(t *testing.T) {
	d := loadDemo(t)
	tests := []struct {
		file, title, setting string
	}{
		{"000_e0ca4f738726d00e.txt", "perinatal substance use programs", "perinatal programs"},
		{"001_3a358f3843e35457.txt", "Peer support workers as a bridge", "hospital"},
		{"002_30978f859731ece0.txt", "Characterizing peer roles in an overdose crisis", "emergency shelters and other settings"},
		{"003_947ad0b3ddd9559d.txt", "Voices of Hope", "system of care"},
		{"004_67a043a3a7ebc917.txt", "stressors faced by peer workers", "overdose response sites"},
	}
	if len(d.Documents) != len(tests) {
		t.Fatalf("len(Documents) = %d, want %d", len(d.Documents), len(tests))
	}
	for i, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			doc := d.Documents[i]
			if doc.Source != tt.file {
				t.Fatalf("Documents[%d].Source = %q, want %q", i, doc.Source, tt.file)
			}
			if !strings.Contains(doc.Title, tt.title) {
				t.Errorf("Title = %q, want it to contain %q", doc.Title, tt.title)
			}
			for _, k := range []string{"year", "setting", "method", "type"} {
				if doc.Attributes[k] == "" {
					t.Errorf("attribute %q is missing", k)
				}
			}
			if got := doc.Attributes["setting"]; got != tt.setting {
				t.Errorf("setting = %q, want %q", got, tt.setting)
			}
			raw, err := fs.ReadFile(files, "docs/"+tt.file)
			if err != nil {
				t.Fatal(err)
			}
			if doc.Text != coding.NormalizeText(string(raw)) {
				t.Errorf("Text differs from the normalized file")
			}
			if doc.Length != utf8.RuneCountInString(doc.Text) || doc.Length == 0 {
				t.Errorf("Length = %d, want %d", doc.Length, utf8.RuneCountInString(doc.Text))
			}
			if doc.ProjectID != d.Project.ID {
				t.Errorf("ProjectID = %q, want %q", doc.ProjectID, d.Project.ID)
			}
		})
	}
	// Every embedded text is a document, so none is shipped unused.
	entries, err := fs.ReadDir(files, "docs")
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(d.Documents) {
		t.Errorf("docs/ holds %d files, demo.json lists %d", len(entries), len(d.Documents))
	}
}

func TestDemoCodebook(t *testing.T) {
	d := loadDemo(t)
	cb := coding.NewCodebook(d.Codes)
	roots := cb.Children("")
	want := []string{"Stressors", "Benefits", "Boundaries", "Roles and supports"}
	if len(roots) < len(want) {
		t.Fatalf("%d top-level codes, want at least %d", len(roots), len(want))
	}
	for _, name := range want {
		t.Run(name, func(t *testing.T) {
			root, ok := cb.Find(name)
			if !ok || root.ParentID != "" {
				t.Fatalf("Find(%q) = %v, %v, want a top-level code", name, root, ok)
			}
			if root.Codable {
				t.Errorf("%q is codable, want a category", name)
			}
			kids := cb.Children(root.ID)
			if len(kids) < 3 {
				t.Errorf("%q has %d children, want at least 3", name, len(kids))
			}
			for i, k := range kids {
				if !k.Codable {
					t.Errorf("%q is not codable", cb.PathString(k.ID))
				}
				if k.Order != i {
					t.Errorf("%q Order = %d, want %d", k.Name, k.Order, i)
				}
			}
		})
	}
	// Codes take the code palette, never a coder's colour, and codes
	// side by side in the codebook differ.
	siblings := map[string]map[string]string{}
	for _, c := range d.Codes {
		if c.Colour == "" || c.Description == "" {
			t.Errorf("code %q: colour %q, description %q, want both", cb.PathString(c.ID), c.Colour, c.Description)
		}
		if !slices.Contains(coding.CodePalette, c.Colour) {
			t.Errorf("code %q: colour %s is not one of coding.CodePalette", cb.PathString(c.ID), c.Colour)
		}
		if siblings[c.ParentID] == nil {
			siblings[c.ParentID] = map[string]string{}
		}
		if other, ok := siblings[c.ParentID][c.Colour]; ok {
			t.Errorf("codes %q and %q side by side share the colour %s", other, c.Name, c.Colour)
		}
		siblings[c.ParentID][c.Colour] = c.Name
		if c.ProjectID != d.Project.ID {
			t.Errorf("code %q ProjectID = %q, want %q", c.Name, c.ProjectID, d.Project.ID)
		}
	}
}

func TestDemoCodingsMatchQuotes(t *testing.T) {
	d := loadDemo(t)
	s := loadSpec(t)
	if len(d.Codings) != len(s.Codings) || len(d.Codings) < 60 {
		t.Fatalf("len(Codings) = %d, spec has %d, want the same and at least 60", len(d.Codings), len(s.Codings))
	}
	docs := map[string]coding.Document{}
	for _, doc := range d.Documents {
		docs[doc.ID] = doc
	}
	cb := coding.NewCodebook(d.Codes)
	perDoc := map[string]int{}
	for i, c := range d.Codings {
		doc := docs[c.DocumentID]
		want := s.Codings[i]
		if got := coding.Slice(doc.Text, c.Start, c.End); got != want.Quote {
			t.Errorf("codings[%d]: Slice(%s, %d, %d) = %q, want %q", i, doc.Source, c.Start, c.End, got, want.Quote)
		}
		if got := strings.Join(cb.Path(c.CodeID), "/"); got != want.Code {
			t.Errorf("codings[%d]: code path = %q, want %q", i, got, want.Code)
		}
		if c.CoderID != want.Coder || doc.Source != want.Document || c.Memo != want.Memo {
			t.Errorf("codings[%d] = %s/%s/%q, want %s/%s/%q", i, c.CoderID, doc.Source, c.Memo, want.Coder, want.Document, want.Memo)
		}
		if i > 0 && !c.Created.After(d.Codings[i-1].Created) {
			t.Errorf("codings[%d].Created = %v, not after the previous one", i, c.Created)
		}
		perDoc[doc.Source]++
	}
	for _, doc := range d.Documents {
		if perDoc[doc.Source] < 5 {
			t.Errorf("%s has %d codings, want at least 5", doc.Source, perDoc[doc.Source])
		}
	}
}

// TestDemoAgreementMix checks that ana and ben agree and disagree in each of
// the ways an agreement view has to show.
func TestDemoAgreementMix(t *testing.T) {
	d := loadDemo(t)
	var ana, ben []coding.Coding
	for _, c := range d.Codings {
		switch c.CoderID {
		case "ana":
			ana = append(ana, c)
		case "ben":
			ben = append(ben, c)
		}
	}
	var identical, boundary, otherCode, anaOnly, benOnly, matched int
	for _, a := range ana {
		alone, agrees := true, false
		for _, b := range ben {
			if !a.Overlaps(&b) {
				continue
			}
			alone = false
			switch {
			case a.CodeID == b.CodeID && a.Start == b.Start && a.End == b.End:
				identical++
				agrees = true
			case a.CodeID == b.CodeID:
				boundary++
				agrees = true
			default:
				otherCode++
			}
		}
		if alone {
			anaOnly++
		}
		if agrees {
			matched++
		}
	}
	for _, b := range ben {
		alone, agrees := true, false
		for _, a := range ana {
			if a.Overlaps(&b) {
				alone = false
				agrees = agrees || a.CodeID == b.CodeID
			}
		}
		if alone {
			benOnly++
		}
		if agrees {
			matched++
		}
	}
	counts := []struct {
		name string
		n    int
	}{
		{"identical pairs", identical},
		{"same code, different span", boundary},
		{"overlapping, different codes", otherCode},
		{"passages only ana coded", anaOnly},
		{"passages only ben coded", benOnly},
	}
	for _, c := range counts {
		if c.n < 3 {
			t.Errorf("%s: %d, want at least 3", c.name, c.n)
		}
	}
	// Share of either coder's codings that the other matched with the same
	// code somewhere in the span: a believable pair of coders, not twins.
	share := float64(matched) / float64(len(ana)+len(ben))
	t.Logf("ana %d, ben %d codings; %d identical, %d boundary, %d other-code, %d ana-only, %d ben-only; matched share %.2f",
		len(ana), len(ben), identical, boundary, otherCode, anaOnly, benOnly, share)
	if share < 0.5 || share > 0.8 {
		t.Errorf("matched share = %.2f, want between 0.50 and 0.80", share)
	}
}

func TestDemoDeterministic(t *testing.T) {
	a, b := loadDemo(t), loadDemo(t)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two LoadDemo calls differ")
	}
	ids := map[string]string{a.Project.ID: "project"}
	add := func(id, what string) {
		if id == "" {
			t.Errorf("%s has no id", what)
		}
		if other, ok := ids[id]; ok {
			t.Errorf("%s and %s share id %s", what, other, id)
		}
		ids[id] = what
	}
	for _, doc := range a.Documents {
		add(doc.ID, "document "+doc.Source)
	}
	for _, c := range a.Codes {
		add(c.ID, "code "+c.Name)
	}
	for i, c := range a.Codings {
		add(c.ID, fmt.Sprintf("codings[%d]", i))
	}
	// The project id is part of the stored data; pin it so that an edit to
	// the namespace or the naming scheme is a deliberate one.
	if want := "fac1fa46-4634-53c6-888b-cdeecfa1af7b"; a.Project.ID != want {
		t.Errorf("project id = %s, want %s", a.Project.ID, want)
	}
}

// inlineSpec is a one-document demo whose codings are the given JSON array.
func inlineSpec(codings string) []byte {
	return []byte(`{
  "project": {"slug": "tiny", "name": "Tiny", "description": "A test."},
  "users": [
    {"login": "lead", "name": "Lead", "colour": "#111111", "role": "lead"},
    {"login": "ana", "name": "Ana", "colour": "#222222", "role": "coder"},
    {"login": "vic", "name": "Vic", "colour": "#333333", "role": "viewer"}
  ],
  "documents": [{"file": "a.txt", "title": "A", "attributes": {"year": "2021"}}],
  "codebook": [
    {"name": "Stressors", "colour": "#aa0000", "codable": false, "description": "Category.",
     "children": [{"name": "Housing", "colour": "#bb0000", "description": "Housing."}]}
  ],
  "codings": ` + codings + `
}`)
}

var tinyDocs = fstest.MapFS{
	"a.txt": {Data: []byte("\ufeffCafé — housing.\r\nMore housing, and housing again.\r\n")},
}

func TestResolveInline(t *testing.T) {
	tests := []struct {
		name       string
		quote      string
		occurrence int
		start, end int
	}{
		{"first", "housing", 0, 7, 14},
		{"after CRLF and multibyte text", "More housing", 1, 16, 28},
		{"third occurrence", "housing", 3, 34, 41},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			js, _ := json.Marshal([]map[string]any{{
				"document": "a.txt", "coder": "ana", "code": "Stressors/Housing",
				"quote": tt.quote, "occurrence": tt.occurrence,
			}})
			d, err := resolve(inlineSpec(string(js)), tinyDocs)
			if err != nil {
				t.Fatalf("resolve() error = %v", err)
			}
			c := d.Codings[0]
			if c.Start != tt.start || c.End != tt.end {
				t.Errorf("span = [%d, %d), want [%d, %d)", c.Start, c.End, tt.start, tt.end)
			}
			if got := coding.Slice(d.Documents[0].Text, c.Start, c.End); got != tt.quote {
				t.Errorf("Slice = %q, want %q", got, tt.quote)
			}
		})
	}
}

func TestResolveRejects(t *testing.T) {
	const ok = `{"document": "a.txt", "coder": "ana", "code": "Stressors/Housing", "quote": "Café — housing"}`
	tests := []struct {
		name    string
		codings string
		want    []string
	}{
		{"quote not in text",
			`[` + ok + `, {"document": "a.txt", "coder": "ana", "code": "Stressors/Housing", "quote": "homelessness"}]`,
			[]string{"codings[1]", "a.txt", `"homelessness"`, "quote not found"}},
		{"long quote is shortened in the message",
			`[{"document": "a.txt", "coder": "ana", "code": "Stressors/Housing", "quote": "More housing, and housing again, and yet more housing"}]`,
			[]string{"codings[0]", `"More housing, and housing again, and yet…"`, "quote not found"}},
		{"unknown code path",
			`[{"document": "a.txt", "coder": "ana", "code": "Stressors/Housing challenges", "quote": "housing"}]`,
			[]string{"codings[0]", `unknown code path "Stressors/Housing challenges"`}},
		{"unknown coder",
			`[{"document": "a.txt", "coder": "zoe", "code": "Stressors/Housing", "quote": "housing"}]`,
			[]string{"codings[0]", `unknown coder "zoe"`}},
		{"viewer cannot code",
			`[{"document": "a.txt", "coder": "vic", "code": "Stressors/Housing", "quote": "housing"}]`,
			[]string{"codings[0]", "cannot code"}},
		{"unknown document",
			`[{"document": "b.txt", "coder": "ana", "code": "Stressors/Housing", "quote": "housing"}]`,
			[]string{"codings[0]", `unknown document "b.txt"`}},
		{"category is not codable",
			`[{"document": "a.txt", "coder": "ana", "code": "Stressors", "quote": "housing"}]`,
			[]string{"codings[0]", "category"}},
		{"occurrence past the last",
			`[{"document": "a.txt", "coder": "ana", "code": "Stressors/Housing", "quote": "housing", "occurrence": 4}]`,
			[]string{"codings[0]", "occurrence 4", "3 time(s)"}},
		{"duplicate",
			`[` + ok + `, {"document": "a.txt", "coder": "lead", "code": "Stressors/Housing", "quote": "Café — housing"}, ` + ok + `]`,
			[]string{"codings[2]", "duplicate of codings[0]"}},
		{"unknown field",
			`[{"document": "a.txt", "coder": "ana", "code": "Stressors/Housing", "qoute": "housing"}]`,
			[]string{"unknown field", "qoute"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := resolve(inlineSpec(tt.codings), tinyDocs)
			if err == nil {
				t.Fatalf("resolve() error = nil, want one mentioning %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("resolve() error = %q, want it to mention %q", err, w)
				}
			}
		})
	}
}

func TestResolveRejectsBadStructure(t *testing.T) {
	valid := string(inlineSpec(`[]`))
	tests := []struct {
		name, old, new, want string
	}{
		{"missing file", `"file": "a.txt"`, `"file": "c.txt"`, "c.txt"},
		{"path in file name", `"file": "a.txt"`, `"file": "../a.txt"`, "plain file name"},
		{"shared user colour", `"#222222"`, `"#111111"`, "colour #111111"},
		{"bad role", `"role": "coder"`, `"role": "boss"`, `unknown role "boss"`},
		{"sibling names differ only in case", `"children": [`, `"children": [{"name": "housing", "colour": "#bb0001", "description": "Dup."}, `, "already exists"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(valid, tt.old) {
				t.Fatalf("test spec has no %q", tt.old)
			}
			_, err := resolve([]byte(strings.Replace(valid, tt.old, tt.new, 1)), tinyDocs)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("resolve() error = %v, want one mentioning %q", err, tt.want)
			}
		})
	}
	if _, err := resolve([]byte(valid), tinyDocs); err != nil {
		t.Errorf("resolve(valid) error = %v", err)
	}
}
