package store

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/concordqda/concord/coding"
)

// TestTrashHidesAndRestoresExactly deletes a document with codings, a memo
// and an assignment, checks that every read path leaves it out and that
// nothing can be added to it, then restores it and gets everything back
// as it was; the file verifies at each step.
func TestTrashHidesAndRestoresExactly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "trash.db")
	db, err := Open(path, Options{})
	must(t, err)
	defer db.Close()
	f := newFixtureIn(t, db)
	pid := f.project.ID
	other := &coding.Document{ProjectID: pid, Title: "Interview 2", Text: "Another text."}
	_, err = db.AddDocument(other, f.lead.ID)
	must(t, err)
	for _, c := range []*coding.Coding{f.coding(f.financial, f.ana, 0, 10), f.coding(f.trust, f.ben, 5, 20)} {
		c.Memo = "a coding memo"
		_, err := db.AddCoding(c, c.CoderID)
		must(t, err)
	}
	keep := &coding.Coding{ProjectID: pid, DocumentID: other.ID, CodeID: f.trust.ID, CoderID: f.ana.ID, Start: 0, End: 7}
	_, err = db.AddCoding(keep, f.ana.ID)
	must(t, err)
	_, err = db.SaveMemo(&coding.Memo{ProjectID: pid, DocumentID: f.doc.ID, AuthorID: f.ana.ID, Text: "about interview 1"}, f.ana.ID)
	must(t, err)
	_, _, err = db.Assign(pid, coding.AssignRequest{Coders: []string{f.ana.ID}, Documents: []string{f.doc.ID}}, f.lead.ID)
	must(t, err)

	before, err := db.ProjectData(pid, coding.CodingFilter{})
	must(t, err)

	trashed, ev, err := db.DeleteDocument(pid, f.doc.ID, f.lead.ID)
	must(t, err)
	if ev.Type != coding.EventDocumentDeleted || trashed.Document.ID != f.doc.ID {
		t.Fatalf("DeleteDocument = %+v, event %s", trashed, ev.Type)
	}
	_, _, err = db.DeleteDocument(pid, f.doc.ID, f.lead.ID)
	wantCode(t, err, coding.ENOTFOUND)

	docs, err := db.Documents(pid)
	must(t, err)
	if len(docs) != 1 || docs[0].ID != other.ID {
		t.Fatalf("Documents after delete = %v, want only %q", docs, other.Title)
	}
	_, err = db.Document(pid, f.doc.ID)
	wantCode(t, err, coding.ENOTFOUND)
	texts, err := db.DocumentTexts(pid)
	must(t, err)
	if _, ok := texts[f.doc.ID]; ok || len(texts) != 1 {
		t.Fatalf("DocumentTexts after delete holds %d texts, the deleted one %v", len(texts), ok)
	}
	cs, err := db.Codings(pid, coding.CodingFilter{})
	must(t, err)
	if len(cs) != 1 || cs[0].ID != keep.ID {
		t.Fatalf("Codings after delete = %d codings, want only the other document's", len(cs))
	}
	cs, err = db.Codings(pid, coding.CodingFilter{DocumentID: f.doc.ID})
	must(t, err)
	if len(cs) != 0 {
		t.Fatalf("Codings of the deleted document = %d, want 0", len(cs))
	}
	prog, err := db.Progress(pid)
	must(t, err)
	if prog[f.doc.ID] != nil {
		t.Fatalf("Progress names the deleted document")
	}
	memos, err := db.Memos(pid)
	must(t, err)
	as, err := db.Assignments(pid)
	must(t, err)
	if len(memos) != 0 || len(as) != 0 {
		t.Fatalf("after delete: %d memos, %d assignments, want none", len(memos), len(as))
	}
	data, err := db.ProjectData(pid, coding.CodingFilter{})
	must(t, err)
	if len(data.Documents) != 1 || len(data.Codings) != 1 || len(data.Memos) != 0 || len(data.Assignments) != 0 {
		t.Fatalf("ProjectData after delete: %d documents, %d codings, %d memos, %d assignments", len(data.Documents), len(data.Codings), len(data.Memos), len(data.Assignments))
	}
	_, err = db.AddCoding(f.coding(f.housing, f.ana, 30, 40), f.ana.ID)
	wantCode(t, err, coding.ENOTFOUND)
	_, err = db.SaveMemo(&coding.Memo{ProjectID: pid, DocumentID: f.doc.ID, AuthorID: f.ana.ID, Text: "late"}, f.ana.ID)
	wantCode(t, err, coding.ENOTFOUND)
	list, err := db.Trash(pid)
	must(t, err)
	if len(list) != 1 || list[0].Codings != 2 || list[0].Memos != 1 || list[0].By != f.lead.ID {
		t.Fatalf("Trash = %+v, want one document with 2 codings and 1 memo deleted by the lead", list)
	}

	// A document added since under the same title blocks the restore
	// with a clear conflict until it is renamed.
	clash := &coding.Document{ProjectID: pid, Title: "interview 1", Text: "New."}
	_, err = db.AddDocument(clash, f.lead.ID)
	must(t, err)
	_, _, err = db.RestoreDocument(pid, f.doc.ID, f.lead.ID)
	wantCode(t, err, coding.ECONFLICT)
	clash.Title = "Interview 1 (new)"
	_, err = db.UpdateDocument(clash, f.lead.ID)
	must(t, err)

	// The file verifies with a document in the trash.
	must(t, db.Close())
	if _, err := Verify(path); err != nil {
		t.Fatalf("Verify with a document in the trash: %v", err)
	}
	db, err = Open(path, Options{})
	must(t, err)
	defer db.Close()

	restored, ev, err := db.RestoreDocument(pid, f.doc.ID, f.lead.ID)
	must(t, err)
	if ev.Type != coding.EventDocumentRestored || restored.Title != f.doc.Title {
		t.Fatalf("RestoreDocument = %+v, event %s", restored, ev.Type)
	}
	_, _, err = db.RestoreDocument(pid, f.doc.ID, f.lead.ID)
	wantCode(t, err, coding.ENOTFOUND)
	after, err := db.ProjectData(pid, coding.CodingFilter{})
	must(t, err)
	// The new document aside, the project is as it was before.
	var docs2 []coding.Document
	for _, d := range after.Documents {
		if d.ID != clash.ID {
			docs2 = append(docs2, d)
		}
	}
	after.Documents = docs2
	if !reflect.DeepEqual(before.Documents, after.Documents) || !reflect.DeepEqual(before.Codings, after.Codings) ||
		!reflect.DeepEqual(before.Memos, after.Memos) || !reflect.DeepEqual(before.Assignments, after.Assignments) {
		t.Fatalf("after restore the project differs:\nbefore %+v\nafter  %+v", before, after)
	}
	_, err = db.AddCoding(f.coding(f.housing, f.ana, 30, 40), f.ana.ID)
	must(t, err)
}

func TestDocumentOrder(t *testing.T) {
	f := newFixture(t)
	db, pid := f.db, f.project.ID
	b := &coding.Document{ProjectID: pid, Title: "B", Text: "b"}
	a := &coding.Document{ProjectID: pid, Title: "A", Text: "a"}
	must(t, db.AddDocuments(pid, []coding.Document{*b, *a}, f.lead.ID))
	docs, err := db.Documents(pid)
	must(t, err)
	titles := func(docs []coding.Document) []string {
		var out []string
		for _, d := range docs {
			out = append(out, d.Title)
		}
		return out
	}
	if got := titles(docs); !reflect.DeepEqual(got, []string{"A", "B", "Interview 1"}) {
		t.Fatalf("Documents before an order = %v, want by title", got)
	}
	ids := map[string]string{}
	for _, d := range docs {
		ids[d.Title] = d.ID
	}
	for _, c := range []struct {
		name  string
		order []string
	}{
		{"missing one", []string{ids["A"], ids["B"]}},
		{"twice", []string{ids["A"], ids["B"], ids["A"]}},
		{"unknown", []string{ids["A"], ids["B"], ids["Interview 1"], "not-an-id"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := db.SetDocumentOrder(pid, c.order, f.lead.ID)
			wantCode(t, err, coding.EINVALID)
		})
	}
	ev, err := db.SetDocumentOrder(pid, []string{ids["Interview 1"], ids["B"], ids["A"]}, f.lead.ID)
	must(t, err)
	if ev.Type != coding.EventDocumentsReordered {
		t.Fatalf("event %s, want %s", ev.Type, coding.EventDocumentsReordered)
	}
	docs, _ = db.Documents(pid)
	if got := titles(docs); !reflect.DeepEqual(got, []string{"Interview 1", "B", "A"}) {
		t.Fatalf("Documents after SetDocumentOrder = %v", got)
	}
	// Deleting B and ordering the rest keeps B's place for a restore; a
	// document added since comes after the ordered ones.
	_, _, err = db.DeleteDocument(pid, ids["B"], f.lead.ID)
	must(t, err)
	_, err = db.SetDocumentOrder(pid, []string{ids["A"], ids["Interview 1"]}, f.lead.ID)
	must(t, err)
	_, _, err = db.RestoreDocument(pid, ids["B"], f.lead.ID)
	must(t, err)
	_, err = db.AddDocument(&coding.Document{ProjectID: pid, Title: "0 new", Text: "n"}, f.lead.ID)
	must(t, err)
	docs, _ = db.Documents(pid)
	if got := titles(docs); !reflect.DeepEqual(got, []string{"A", "Interview 1", "B", "0 new"}) {
		t.Fatalf("Documents after restore and add = %v", got)
	}
	data, err := db.ProjectData(pid, coding.CodingFilter{})
	must(t, err)
	if got := titles(data.Documents); !reflect.DeepEqual(got, []string{"A", "Interview 1", "B", "0 new"}) {
		t.Fatalf("ProjectData documents = %v, want the project's order", got)
	}
}

func TestUpdateDocumentsIsOneBatch(t *testing.T) {
	f := newFixture(t)
	db, pid := f.db, f.project.ID
	two := &coding.Document{ProjectID: pid, Title: "Interview 2", Text: "two"}
	_, err := db.AddDocument(two, f.lead.ID)
	must(t, err)
	last, _ := db.LastSeq(pid)

	// Swapping two titles within one batch is fine only in that order;
	// the clash in the middle refuses the whole batch.
	_, err = db.UpdateDocuments(pid, []coding.Document{
		{ID: f.doc.ID, Title: "Interview 1", Attributes: map[string]string{"site": "clinic"}},
		{ID: two.ID, Title: "Interview 1", Attributes: map[string]string{}},
	}, f.lead.ID)
	wantCode(t, err, coding.ECONFLICT)
	_, err = db.UpdateDocuments(pid, []coding.Document{
		{ID: f.doc.ID, Title: "Interview 1", Attributes: map[string]string{"": "x"}},
	}, f.lead.ID)
	wantCode(t, err, coding.EINVALID)
	_, err = db.UpdateDocuments(pid, []coding.Document{
		{ID: f.doc.ID, Title: "Interview 1", Sets: []string{"wave 1", "wave 1"}},
	}, f.lead.ID)
	wantCode(t, err, coding.EINVALID)
	if now, _ := db.LastSeq(pid); now != last {
		t.Fatalf("refused batches wrote events: seq %d → %d", last, now)
	}
	d, _ := db.Document(pid, f.doc.ID)
	if d.Attributes["site"] != "shelter" {
		t.Fatalf("a refused batch changed the document: %v", d.Attributes)
	}

	events, err := db.UpdateDocuments(pid, []coding.Document{
		{ID: f.doc.ID, Title: "Interview 1", Attributes: map[string]string{"site": "clinic", "wave": "2"}, Folder: "Clinic", Sets: []string{"wave 2", "reliability"}},
		{ID: two.ID, Title: "Interview 2", Attributes: map[string]string{}}, // unchanged: no event
	}, f.lead.ID)
	must(t, err)
	if len(events) != 1 || events[0].Type != coding.EventDocumentUpdated {
		t.Fatalf("UpdateDocuments wrote %d events, want 1 document.updated", len(events))
	}
	d, _ = db.Document(pid, f.doc.ID)
	if d.Attributes["wave"] != "2" || d.Folder != "Clinic" || !reflect.DeepEqual(d.Sets, []string{"reliability", "wave 2"}) || d.Text != fixtureText {
		t.Fatalf("after UpdateDocuments: %+v", d)
	}
}
