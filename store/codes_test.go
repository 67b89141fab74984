package store

import (
	"slices"
	"strings"
	"testing"

	"github.com/concordqda/concord/coding"
)

func TestCodebookTreeOperations(t *testing.T) {
	f := newFixture(t)
	pid := f.project.ID

	// Duplicate sibling names are refused, in any case.
	_, err := f.db.CreateCode(&coding.Code{ProjectID: pid, Name: "housing", ParentID: f.stress.ID, Codable: true}, f.lead.ID)
	wantCode(t, err, coding.ECONFLICT)
	_, err = f.db.CreateCode(&coding.Code{ProjectID: pid, Name: "Orphan", ParentID: "6f1c0f52-0000-4000-8000-000000000000"}, f.lead.ID)
	wantCode(t, err, coding.ENOTFOUND)

	// Moving a code under its own descendant is a cycle.
	mv := *f.stress
	mv.ParentID = f.financial.ID
	_, err = f.db.UpdateCode(&mv, f.lead.ID)
	wantCode(t, err, coding.EINVALID)
	mv.ParentID = f.stress.ID
	_, err = f.db.UpdateCode(&mv, f.lead.ID)
	wantCode(t, err, coding.EINVALID)

	// A legal move and rename.
	tr := *f.trust
	tr.ParentID, tr.Name, tr.Description = f.stress.ID, "Trust issues", "Distrust of services."
	_, err = f.db.UpdateCode(&tr, f.lead.ID)
	must(t, err)
	codes, _ := f.db.Codes(pid)
	cb := coding.NewCodebook(codes)
	if got := cb.PathString(f.trust.ID); got != "Stressors › Trust issues" {
		t.Fatalf("path after move = %q", got)
	}
	if got, ok := cb.Find("stressors/trust issues"); !ok || got.ID != f.trust.ID {
		t.Fatalf("Find by path failed: %v %v", got, ok)
	}
}

func TestDeleteCodeAsksWhereCodingsGo(t *testing.T) {
	for _, tt := range []struct {
		name          string
		moveTo        func(f *fixture) string
		moved, delete int
	}{
		{"delete codings with the code", func(f *fixture) string { return "" }, 0, 3},
		{"move codings to another code", func(f *fixture) string { return f.trust.ID }, 2, 1}, // one would duplicate
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			pid := f.project.ID
			for _, c := range []*coding.Coding{
				f.coding(f.financial, f.ana, 0, 5),
				f.coding(f.housing, f.ben, 3, 9),
				f.coding(f.housing, f.ana, 10, 12),
				f.coding(f.trust, f.ana, 10, 12), // a move of the one above would duplicate this
			} {
				_, err := f.db.AddCoding(c, c.CoderID)
				must(t, err)
			}
			res, _, err := f.db.DeleteCode(pid, f.stress.ID, tt.moveTo(f), f.lead.ID)
			must(t, err)
			if res.CodingsMoved != tt.moved || res.CodingsDeleted != tt.delete || len(res.Removed) != 3 {
				t.Fatalf("DeleteCode = %+v, want %d moved, %d deleted, 3 removed", res, tt.moved, tt.delete)
			}
			codes, _ := f.db.Codes(pid)
			if len(codes) != 1 || codes[0].ID != f.trust.ID {
				t.Fatalf("codes left: %+v", codes)
			}
			all, _ := f.db.Codings(pid, coding.CodingFilter{})
			for _, c := range all {
				if c.CodeID != f.trust.ID {
					t.Fatalf("orphan coding %+v", c)
				}
			}
			if len(all) != 1+tt.moved {
				t.Fatalf("%d codings left, want %d", len(all), 1+tt.moved)
			}
		})
	}
}

func TestDeleteCodeRefusesBadTargets(t *testing.T) {
	f := newFixture(t)
	_, _, err := f.db.DeleteCode(f.project.ID, f.stress.ID, f.financial.ID, f.lead.ID)
	wantCode(t, err, coding.EINVALID) // target is deleted with it
	_, _, err = f.db.DeleteCode(f.project.ID, f.trust.ID, f.stress.ID, f.lead.ID)
	wantCode(t, err, coding.EINVALID) // target is a category
	codes, _ := f.db.Codes(f.project.ID)
	if len(codes) != 4 {
		t.Fatalf("refused deletes changed the codebook: %d codes", len(codes))
	}
}

func TestMergeCodes(t *testing.T) {
	f := newFixture(t)
	pid := f.project.ID
	child := &coding.Code{ProjectID: pid, Name: "Rent", ParentID: f.housing.ID, Codable: true}
	_, err := f.db.CreateCode(child, f.lead.ID)
	must(t, err)
	for _, c := range []*coding.Coding{
		f.coding(f.housing, f.ana, 0, 5),
		f.coding(f.financial, f.ana, 0, 5), // duplicate after merge
		f.coding(f.housing, f.ben, 6, 9),
	} {
		_, err := f.db.AddCoding(c, c.CoderID)
		must(t, err)
	}
	_, _, err = f.db.MergeCodes(pid, f.stress.ID, f.financial.ID, f.lead.ID)
	wantCode(t, err, coding.EINVALID) // into its own descendant
	res, _, err := f.db.MergeCodes(pid, f.housing.ID, f.financial.ID, f.lead.ID)
	must(t, err)
	if res.CodingsMoved != 1 || res.Dropped != 1 {
		t.Fatalf("MergeCodes = %+v", res)
	}
	codes, _ := f.db.Codes(pid)
	cb := coding.NewCodebook(codes)
	if _, ok := cb.Code(f.housing.ID); ok {
		t.Fatal("merged code still exists")
	}
	if got := cb.PathString(child.ID); got != "Stressors › Financial insecurity › Rent" {
		t.Fatalf("child path after merge = %q", got)
	}
	all, _ := f.db.Codings(pid, coding.CodingFilter{})
	if len(all) != 2 {
		t.Fatalf("%d codings after merge, want 2", len(all))
	}
}

func TestMakingACodedCodeACategoryIsRefused(t *testing.T) {
	f := newFixture(t)
	_, err := f.db.AddCoding(f.coding(f.trust, f.ana, 0, 3), f.ana.ID)
	must(t, err)
	c := *f.trust
	c.Codable = false
	_, err = f.db.UpdateCode(&c, f.lead.ID)
	wantCode(t, err, coding.ECONFLICT)
}

func TestImportProjectIsAllOrNothing(t *testing.T) {
	f := newFixture(t)
	pid := "11111111-2222-4333-8444-555555555555"
	doc := coding.Document{ID: "11111111-2222-4333-8444-000000000001", Title: "D", Text: "hello world"}
	parent := coding.Code{ID: "11111111-2222-4333-8444-000000000002", Name: "P", Codable: true}
	kid := coding.Code{ID: "11111111-2222-4333-8444-000000000003", Name: "K", ParentID: parent.ID, Codable: true}
	snap := &Snapshot{
		Project:   coding.Project{ID: pid, Slug: "imported", Name: "Imported"},
		Lead:      f.lead.ID,
		Members:   []coding.Member{{UserID: f.ana.ID, Role: coding.RoleCoder}},
		Documents: []coding.Document{doc},
		Codes:     []coding.Code{kid, parent}, // child first on purpose
		Codings: []coding.Coding{
			{DocumentID: doc.ID, CodeID: kid.ID, CoderID: f.ana.ID, Start: 0, End: 5},
			{DocumentID: doc.ID, CodeID: kid.ID, CoderID: f.ana.ID, Start: 6, End: 99}, // bad
		},
	}
	err := f.db.ImportProject(snap, f.lead.ID)
	wantCode(t, err, coding.EINVALID)
	if _, err := f.db.ProjectBySlug("imported"); coding.ErrorCode(err) != coding.ENOTFOUND {
		t.Fatalf("failed import left a project behind: %v", err)
	}
	snap.Codings = snap.Codings[:1]
	must(t, f.db.ImportProject(snap, f.lead.ID))
	p, err := f.db.ProjectBySlug("imported")
	must(t, err)
	cs, _ := f.db.Codings(p.ID, coding.CodingFilter{})
	if len(cs) != 1 {
		t.Fatalf("imported %d codings, want 1", len(cs))
	}
	err = f.db.ImportProject(snap, f.lead.ID)
	wantCode(t, err, coding.ECONFLICT)
}

// TestNewCodesGetDistinctColours: codes created without a colour, whether
// one at a time or by an import, get distinct code colours (never a
// coder's colour), also within one category.
func TestNewCodesGetDistinctColours(t *testing.T) {
	f := newFixture(t)
	pid := f.project.ID
	for i := 0; i < 3; i++ {
		c := &coding.Code{ProjectID: pid, Name: "Sub " + string(rune('A'+i)), ParentID: f.stress.ID, Codable: true}
		_, err := f.db.CreateCode(c, f.lead.ID)
		must(t, err)
	}
	imported := []coding.Code{{ID: "0d6a1c52-0000-4000-8000-000000000001", Name: "Imported A", Codable: true}, {ID: "0d6a1c52-0000-4000-8000-000000000002", Name: "Imported B", Codable: true}}
	must(t, f.db.ImportDocuments(pid, nil, imported, f.lead.ID))
	codes, err := f.db.Codes(pid)
	must(t, err)
	if len(codes) != 4+3+2 {
		t.Fatalf("%d codes, want 9", len(codes))
	}
	users := map[string]string{}
	for _, u := range []*coding.User{f.lead, f.ana, f.ben} {
		users[strings.ToLower(u.Colour)] = u.Login
	}
	byColour := map[string]string{}
	for _, c := range codes {
		if other, ok := byColour[c.Colour]; ok {
			t.Errorf("codes %q and %q both got %s", other, c.Name, c.Colour)
		}
		byColour[c.Colour] = c.Name
		if who, ok := users[strings.ToLower(c.Colour)]; ok {
			t.Errorf("code %q got %s, %s's colour", c.Name, c.Colour, who)
		}
		if !slices.Contains(coding.CodePalette, c.Colour) {
			t.Errorf("code %q got %s, not a code palette colour", c.Name, c.Colour)
		}
	}
	// A colour chosen by hand is kept.
	own := &coding.Code{ProjectID: pid, Name: "Hand picked", Colour: "#1f77b4", Codable: true}
	_, err = f.db.CreateCode(own, f.lead.ID)
	must(t, err)
	if own.Colour != "#1f77b4" {
		t.Errorf("a chosen colour became %s", own.Colour)
	}
}
