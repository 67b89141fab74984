package store

import (
	"path/filepath"
	"testing"

	"github.com/concordqda/concord/coding"
)

// openTest opens a fresh database in a temporary directory and, on
// cleanup, closes it and runs bbolt's consistency check on the file.
func openTest(t testing.TB, opts Options) *DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.db")
	db, err := Open(path, opts)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		check, err := Open(path, Options{ReadOnly: true})
		if err != nil {
			t.Errorf("reopen for check: %v", err)
			return
		}
		defer check.Close()
		if err := check.Check(); err != nil {
			t.Errorf("consistency check: %v", err)
		}
	})
	return db
}

// fixture is a project with a lead, two coders, one document and a small
// codebook, ready for codings.
type fixture struct {
	db                *DB
	project           *coding.Project
	lead, ana, ben    *coding.User
	doc               *coding.Document
	stress, financial *coding.Code // a category and its codable child
	housing, trust    *coding.Code
}

const fixtureText = "We were always worried about money 💸 and where we'd sleep. Trust came slowly, then all at once."

func newFixture(t testing.TB) *fixture {
	t.Helper()
	return newFixtureIn(t, openTest(t, Options{}))
}

func newFixtureIn(t testing.TB, db *DB) *fixture {
	t.Helper()
	f := &fixture{db: db}
	mk := func(login string) *coding.User {
		u := &coding.User{Login: login, Name: login}
		must(t, db.CreateUser(u))
		return u
	}
	f.lead, f.ana, f.ben = mk("lead"), mk("ana"), mk("ben")
	f.project = &coding.Project{Slug: "demo", Name: "Demo"}
	if _, err := db.CreateProject(f.project, f.lead.ID); err != nil {
		t.Fatal(err)
	}
	for _, u := range []*coding.User{f.ana, f.ben} {
		if _, err := db.SetMember(coding.Member{ProjectID: f.project.ID, UserID: u.ID, Role: coding.RoleCoder}, f.lead.ID); err != nil {
			t.Fatal(err)
		}
	}
	f.doc = &coding.Document{ProjectID: f.project.ID, Title: "Interview 1", Text: fixtureText, Attributes: map[string]string{"site": "shelter"}}
	if _, err := db.AddDocument(f.doc, f.lead.ID); err != nil {
		t.Fatal(err)
	}
	code := func(name string, parent *coding.Code, codable bool) *coding.Code {
		c := &coding.Code{ProjectID: f.project.ID, Name: name, Codable: codable}
		if parent != nil {
			c.ParentID = parent.ID
		}
		if _, err := db.CreateCode(c, f.lead.ID); err != nil {
			t.Fatal(err)
		}
		return c
	}
	f.stress = code("Stressors", nil, false)
	f.financial = code("Financial insecurity", f.stress, true)
	f.housing = code("Housing", f.stress, true)
	f.trust = code("Trust", nil, true)
	return f
}

func (f *fixture) coding(code *coding.Code, coder *coding.User, start, end int) *coding.Coding {
	return &coding.Coding{ProjectID: f.project.ID, DocumentID: f.doc.ID, CodeID: code.ID, CoderID: coder.ID, Start: start, End: end}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := coding.ErrorCode(err); got != code {
		t.Fatalf("error = %v (code %q), want code %q", err, got, code)
	}
}
