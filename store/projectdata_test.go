package store

import (
	"strings"
	"testing"

	"github.com/concordqda/concord/coding"
)

// An import's users are created in the project's transaction: a failure
// later in the snapshot leaves neither the project nor the users.
func TestImportProjectCreatesItsUsers(t *testing.T) {
	f := newFixture(t)
	newcomer := coding.User{ID: "11111111-2222-4333-8444-00000000000a", Login: "gergo", Name: "Gergő"}
	doc := coding.Document{ID: "11111111-2222-4333-8444-000000000001", Title: "D", Text: "hello world"}
	code := coding.Code{ID: "11111111-2222-4333-8444-000000000002", Name: "C", Codable: true}
	snap := &Snapshot{
		Project:   coding.Project{Slug: "imported", Name: "Imported"},
		Lead:      f.lead.ID,
		Users:     []coding.User{newcomer},
		Members:   []coding.Member{{UserID: newcomer.ID, Role: coding.RoleCoder}},
		Documents: []coding.Document{doc},
		Codes:     []coding.Code{code},
		Codings:   []coding.Coding{{DocumentID: doc.ID, CodeID: code.ID, CoderID: newcomer.ID, Start: 0, End: 99}},
	}
	wantCode(t, f.db.ImportProject(snap, f.lead.ID), coding.EINVALID)
	if _, err := f.db.UserByLogin("gergo"); coding.ErrorCode(err) != coding.ENOTFOUND {
		t.Fatalf("a failed import left its user behind: %v", err)
	}
	snap.Codings[0].End = 5
	must(t, f.db.ImportProject(snap, f.lead.ID))
	u, err := f.db.UserByLogin("gergo")
	must(t, err)
	if len(u.PasswordHash) != 0 || u.Colour == "" {
		t.Errorf("imported user %+v: want no password and a colour", u)
	}
	p, _ := f.db.ProjectBySlug("imported")
	if role, _ := f.db.Role(p.ID, u.ID); role != coding.RoleCoder {
		t.Errorf("imported user's role %q", role)
	}
	// A second import naming the same login is refused whole.
	snap.Project = coding.Project{Slug: "again", Name: "Again"}
	wantCode(t, f.db.ImportProject(snap, f.lead.ID), coding.ECONFLICT)
}

func TestImportIntoProject(t *testing.T) {
	f := newFixture(t)
	doc := coding.Document{ID: "11111111-2222-4333-8444-000000000001", Title: "Second", Text: "more text"}
	snap := &Snapshot{
		Users:     []coding.User{{ID: "11111111-2222-4333-8444-00000000000b", Login: "kim", Name: "Kim"}},
		Members:   []coding.Member{{UserID: "11111111-2222-4333-8444-00000000000b", Role: coding.RoleCoder}, {UserID: f.lead.ID, Role: coding.RoleCoder}},
		Documents: []coding.Document{doc},
		Codes:     []coding.Code{{ID: "11111111-2222-4333-8444-000000000003", Name: "New", ParentID: f.stress.ID, Codable: true}},
		Codings:   []coding.Coding{{DocumentID: doc.ID, CodeID: f.trust.ID, CoderID: "11111111-2222-4333-8444-00000000000b", Start: 0, End: 4, Memo: "m"}},
		Memos:     []coding.Memo{{DocumentID: doc.ID, AuthorID: f.ana.ID, Title: "t", Text: "memo"}},
	}
	bad := *snap
	bad.Documents = []coding.Document{doc, {Title: "Interview 1", Text: "dup title"}}
	wantCode(t, f.db.ImportIntoProject(f.project.ID, &bad, f.lead.ID), coding.ECONFLICT)
	if docs, _ := f.db.Documents(f.project.ID); len(docs) != 1 {
		t.Fatalf("a failed import changed the project: %d documents", len(docs))
	}
	if _, err := f.db.UserByLogin("kim"); err == nil {
		t.Fatal("a failed import left its user behind")
	}
	must(t, f.db.ImportIntoProject(f.project.ID, snap, f.lead.ID))
	if role, _ := f.db.Role(f.project.ID, f.lead.ID); role != coding.RoleLead {
		t.Errorf("an import turned the lead into a %s", role)
	}
	d, err := f.db.ProjectData(f.project.ID, coding.CodingFilter{})
	must(t, err)
	if len(d.Documents) != 2 || len(d.Codes) != 5 || len(d.Codings) != 1 || len(d.Memos) != 1 {
		t.Fatalf("after the import: %d documents, %d codes, %d codings, %d memos", len(d.Documents), len(d.Codes), len(d.Codings), len(d.Memos))
	}
}

func TestProjectData(t *testing.T) {
	f := newFixture(t)
	for _, c := range []*coding.Coding{f.coding(f.financial, f.ana, 0, 7), f.coding(f.trust, f.ben, 60, 65)} {
		if _, err := f.db.AddCoding(c, c.CoderID); err != nil {
			t.Fatal(err)
		}
	}
	cons := f.coding(f.trust, f.lead, 60, 65)
	cons.CoderID = coding.ConsensusCoder
	if _, err := f.db.AddCoding(cons, f.lead.ID); err != nil {
		t.Fatal(err)
	}
	must(t, f.db.SetPassword(f.ana.ID, []byte("secret hash")))
	d, err := f.db.ProjectData(f.project.ID, coding.CodingFilter{})
	must(t, err)
	if d.Project.Slug != "demo" || len(d.Documents) != 1 || d.Documents[0].Text != fixtureText || len(d.Codes) != 4 || len(d.Codings) != 3 {
		t.Fatalf("ProjectData = %+v", d)
	}
	if len(d.Users) != 3 {
		t.Errorf("%d users, want the 3 members", len(d.Users))
	}
	for _, u := range d.Users {
		if len(u.PasswordHash) != 0 {
			t.Errorf("user %s carries a password hash", u.Login)
		}
	}
	if err := d.Validate(); err != nil {
		t.Errorf("stored project is not valid as data: %v", err)
	}
	only, err := f.db.ProjectData(f.project.ID, coding.CodingFilter{CoderID: f.ana.ID})
	must(t, err)
	if len(only.Codings) != 1 || only.Codings[0].CoderID != f.ana.ID {
		t.Errorf("filtered codings %+v", only.Codings)
	}
	if _, err := f.db.ProjectData("11111111-2222-4333-8444-555555555555", coding.CodingFilter{}); coding.ErrorCode(err) != coding.ENOTFOUND {
		t.Errorf("a missing project: %v", err)
	}
}

// Codings of an import are written in key order, whatever order they come
// in; two with one id are still refused, and every one can be read back.
func TestImportCodingsInKeyOrder(t *testing.T) {
	f := newFixture(t)
	doc := coding.Document{ID: "11111111-2222-4333-8444-000000000001", Title: "D", Text: strings.Repeat("word ", 200)}
	code := coding.Code{ID: "11111111-2222-4333-8444-000000000002", Name: "C", Codable: true}
	snap := &Snapshot{Project: coding.Project{Slug: "bulk", Name: "Bulk"}, Lead: f.lead.ID, Documents: []coding.Document{doc}, Codes: []coding.Code{code}}
	for i := 0; i < 500; i++ {
		id := ""
		if i%3 != 0 {
			id = coding.NewID()
		}
		snap.Codings = append(snap.Codings, coding.Coding{ID: id, DocumentID: doc.ID, CodeID: code.ID, CoderID: f.lead.ID, Start: i, End: i + 5})
	}
	dup := *snap
	dup.Codings = append(append([]coding.Coding(nil), snap.Codings...), snap.Codings[1])
	dup.Codings[len(dup.Codings)-1].Start = 600
	dup.Codings[len(dup.Codings)-1].End = 601
	wantCode(t, f.db.ImportProject(&dup, f.lead.ID), coding.ECONFLICT)
	must(t, f.db.ImportProject(snap, f.lead.ID))
	p, _ := f.db.ProjectBySlug("bulk")
	cs, err := f.db.Codings(p.ID, coding.CodingFilter{})
	must(t, err)
	if len(cs) != 500 {
		t.Fatalf("%d codings, want 500", len(cs))
	}
	for _, c := range cs[:20] {
		got, err := f.db.Coding(p.ID, c.ID)
		if err != nil || got.Start != c.Start {
			t.Fatalf("coding %s cannot be read back by id: %v", c.ID, err)
		}
	}
	if n, _ := f.db.CountCodings(p.ID); n != 500 {
		t.Errorf("CountCodings = %d", n)
	}
}
