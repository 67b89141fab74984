package store

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/concordqda/concord/coding"
)

// chunkedSnapshot is a new project of 4 documents and 40 codings by a
// coder the import brings, large enough for several commits once
// importChunkBytes is small.
func chunkedSnapshot(lead string) *Snapshot {
	coder := coding.User{ID: "11111111-2222-4333-8444-0000000000c1", Login: "chunk-coder", Name: "Chunk coder"}
	code := coding.Code{ID: "11111111-2222-4333-8444-0000000000c2", Name: "C", Codable: true}
	s := &Snapshot{
		Project: coding.Project{Slug: "chunked", Name: "Chunked"},
		Lead:    lead,
		Users:   []coding.User{coder},
		Members: []coding.Member{{UserID: coder.ID, Role: coding.RoleCoder}},
		Codes:   []coding.Code{code},
	}
	for d := range 4 {
		doc := coding.Document{ID: fmt.Sprintf("11111111-2222-4333-8444-%012d", 100+d), Title: fmt.Sprint("Doc ", d), Text: "one two three four five six seven eight nine ten"}
		s.Documents = append(s.Documents, doc)
		for i := range 10 {
			s.Codings = append(s.Codings, coding.Coding{DocumentID: doc.ID, CodeID: code.ID, CoderID: coder.ID, Start: i, End: i + 3})
		}
	}
	s.Memos = []coding.Memo{{DocumentID: s.Documents[0].ID, AuthorID: coder.ID, Title: "m", Text: "memo"}}
	return s
}

// smallChunks makes every import of more than a few kilobytes take the
// chunked path, a few codings per commit.
func smallChunks(t *testing.T) {
	old := importChunkBytes
	importChunkBytes = 4 << 10
	t.Cleanup(func() { importChunkBytes = old })
}

func TestChunkedImportStoresEverything(t *testing.T) {
	smallChunks(t)
	f := newFixture(t)
	s := chunkedSnapshot(f.lead.ID)
	if importCost(s) <= importChunkBytes {
		t.Fatalf("the snapshot costs %d, not more than a chunk (%d)", importCost(s), importChunkBytes)
	}
	must(t, f.db.ImportProject(s, f.lead.ID))
	p, err := f.db.ProjectBySlug("chunked")
	must(t, err)
	codings, err := f.db.Codings(p.ID, coding.CodingFilter{})
	must(t, err)
	if len(codings) != 40 {
		t.Errorf("%d codings stored, want 40", len(codings))
	}
	if docs, _ := f.db.Documents(p.ID); len(docs) != 4 {
		t.Errorf("%d documents stored, want 4", len(docs))
	}
	if memos, _ := f.db.Memos(p.ID); len(memos) != 1 {
		t.Errorf("%d memos stored, want 1", len(memos))
	}
	projects, err := f.db.Projects()
	must(t, err)
	if len(projects) != 2 {
		t.Errorf("%d projects listed, want 2", len(projects))
	}
}

// A failure in the last chunk of codings leaves nothing: no project, no
// account, no note of an unfinished import.
func TestChunkedImportFailureLeavesNothing(t *testing.T) {
	smallChunks(t)
	f := newFixture(t)
	s := chunkedSnapshot(f.lead.ID)
	s.Codings[len(s.Codings)-1].End = 999 // past the document's end
	wantCode(t, f.db.ImportProject(s, f.lead.ID), coding.EINVALID)
	if _, err := f.db.ProjectBySlug("chunked"); coding.ErrorCode(err) != coding.ENOTFOUND {
		t.Errorf("after a failed import, ProjectBySlug = %v, want not found", err)
	}
	if _, err := f.db.UserByLogin("chunk-coder"); coding.ErrorCode(err) != coding.ENOTFOUND {
		t.Errorf("a failed import left its account: %v", err)
	}
	if projects, _ := f.db.Projects(); len(projects) != 1 {
		t.Errorf("%d projects listed, want 1", len(projects))
	}
	// The same import, mended, goes through: nothing of the failed one
	// (ids, spans, the login) is in its way. (A new snapshot: an import
	// uses its snapshot up.)
	must(t, f.db.ImportProject(chunkedSnapshot(f.lead.ID), f.lead.ID))
}

// Two codings with one id in different commits of a large import: the
// second is found when the coding → document index is written, after
// every coding, and the import leaves nothing.
func TestChunkedImportRefusesAnIDTwiceAcrossCommits(t *testing.T) {
	smallChunks(t)
	f := newFixture(t)
	s := chunkedSnapshot(f.lead.ID)
	for i := range s.Codings {
		s.Codings[i].ID = fmt.Sprintf("11111111-2222-4333-8444-%012d", 500+i)
	}
	last := len(s.Codings) - 1
	s.Codings[last].ID = s.Codings[0].ID // other document, other commit
	err := f.db.ImportProject(s, f.lead.ID)
	wantCode(t, err, coding.ECONFLICT)
	if !strings.Contains(coding.ErrorMessage(err), s.Codings[0].ID) {
		t.Errorf("the refusal %q does not name the id", coding.ErrorMessage(err))
	}
	if _, err := f.db.ProjectBySlug("chunked"); coding.ErrorCode(err) != coding.ENOTFOUND {
		t.Errorf("after a refused import, ProjectBySlug = %v, want not found", err)
	}
	must(t, f.db.Check())
}

// An import a stopped process left half written is hidden from the
// project list and removed at the next writable open; an open with no
// such import changes nothing in the file.
func TestUnfinishedImportSweptAtOpen(t *testing.T) {
	smallChunks(t)
	path := filepath.Join(t.TempDir(), "sweep.db")
	db, err := Open(path, Options{})
	must(t, err)
	f := newFixtureIn(t, db)
	s := chunkedSnapshot(f.lead.ID)
	p := s.Project
	p.ID = "11111111-2222-4333-8444-0000000000ff"
	key, _ := idKey("project", p.ID)
	leadKey, _ := idKey("user", f.lead.ID)
	// The first commit and one chunk of documents, then the process "stops".
	_, err = db.update(func(w *writeTx) error {
		must(t, w.createUsers(s.Users))
		must(t, w.createProjectBucket(&p, key, s.Lead, leadKey))
		must(t, w.addMembers(p.ID, s.Members, f.lead.ID))
		data, err := encodeJSON(&importJournal{Project: p.ID, Slug: p.Slug, Users: []string{s.Users[0].ID}})
		must(t, err)
		return w.tx.Bucket(bucketMeta).Put(keyImport, data)
	})
	must(t, err)
	_, err = db.update(func(w *writeTx) error { return w.importDocuments(p.ID, s.Documents[:1], f.lead.ID) })
	must(t, err)
	must(t, db.Close())

	ro, err := Open(path, Options{ReadOnly: true})
	must(t, err)
	if projects, _ := ro.Projects(); len(projects) != 1 {
		t.Errorf("read-only, %d projects listed, want 1 (the unfinished import hidden)", len(projects))
	}
	must(t, ro.Close())
	if _, err := Verify(path); err != nil {
		t.Errorf("Verify of a file with an unfinished import: %v", err)
	}

	db, err = Open(path, Options{})
	must(t, err)
	if _, err := db.Project(p.ID); coding.ErrorCode(err) != coding.ENOTFOUND {
		t.Errorf("after the sweep, Project = %v, want not found", err)
	}
	if _, err := db.UserByLogin("chunk-coder"); coding.ErrorCode(err) != coding.ENOTFOUND {
		t.Errorf("after the sweep, the import's account is still there: %v", err)
	}
	must(t, db.Close())

	before, err := os.ReadFile(path)
	must(t, err)
	db, err = Open(path, Options{})
	must(t, err)
	must(t, db.Close())
	after, err := os.ReadFile(path)
	must(t, err)
	if !bytes.Equal(before, after) {
		t.Error("a writable open with no unfinished import changed the file")
	}
}
