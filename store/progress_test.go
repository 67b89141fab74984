package store

import (
	"reflect"
	"strings"
	"testing"

	"github.com/concordqda/concord/coding"
)

// progressFromCodings is Progress the slow way, from whole codings.
func progressFromCodings(t testing.TB, db *DB, projectID string) map[string]map[string]*coding.Progress {
	all, err := db.Codings(projectID, coding.CodingFilter{})
	must(t, err)
	out := map[string]map[string]*coding.Progress{}
	for _, c := range all {
		if out[c.DocumentID] == nil {
			out[c.DocumentID] = map[string]*coding.Progress{}
		}
		p := out[c.DocumentID][c.CoderID]
		if p == nil {
			p = &coding.Progress{}
			out[c.DocumentID][c.CoderID] = p
		}
		p.Codings++
		p.Reached = max(p.Reached, c.End)
	}
	return out
}

func TestProgressCountsWhatCodingsHold(t *testing.T) {
	f := newFixture(t)
	other := &coding.Document{ProjectID: f.project.ID, Title: "Interview 2", Text: fixtureText + " More."}
	if _, err := f.db.AddDocument(other, f.lead.ID); err != nil {
		t.Fatal(err)
	}
	if got, err := f.db.Progress(f.project.ID); err != nil || len(got) != 0 {
		t.Fatalf("an uncoded project: %v, %v", got, err)
	}
	add := func(c *coding.Coding) {
		t.Helper()
		if _, err := f.db.AddCoding(c, c.CoderID); err != nil {
			t.Fatal(err)
		}
	}
	add(f.coding(f.financial, f.ana, 0, 10))
	add(f.coding(f.housing, f.ana, 20, 40))
	add(f.coding(f.trust, f.ben, 5, 90))
	late := f.coding(f.trust, f.ana, 3, 97)
	late.DocumentID = other.ID
	add(late)
	got, err := f.db.Progress(f.project.ID)
	must(t, err)
	want := progressFromCodings(t, f.db, f.project.ID)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Progress = %v, want %v", got, want)
	}
	if p := got[f.doc.ID][f.ana.ID]; p.Codings != 2 || p.Reached != 40 {
		t.Errorf("ana in the first document: %+v, want 2 codings reaching 40", p)
	}
	if _, err := f.db.Progress("00000000-0000-0000-0000-000000000000"); coding.ErrorCode(err) != coding.ENOTFOUND {
		t.Errorf("a project that does not exist: %v", err)
	}
}

// BenchmarkProgress compares Progress with decoding every coding, on
// 100,000 codings.
func BenchmarkProgress(b *testing.B) {
	f := newFixture(b)
	long := &coding.Document{ProjectID: f.project.ID, Title: "Long", Text: strings.Repeat("word ", 25_000)}
	if _, err := f.db.AddDocument(long, f.lead.ID); err != nil {
		b.Fatal(err)
	}
	cs := make([]coding.Coding, 0, 1000)
	for i := 0; i < 100_000; i++ {
		coder := f.ana
		if i%2 == 1 {
			coder = f.ben
		}
		c := f.coding(f.trust, coder, i, i+1+i%9)
		c.DocumentID = long.ID
		cs = append(cs, *c)
		if len(cs) == cap(cs) {
			_, err := f.db.AddCodings(cs, f.lead.ID)
			must(b, err)
			cs = cs[:0]
		}
	}
	b.Run("Progress", func(b *testing.B) {
		for b.Loop() {
			if _, err := f.db.Progress(f.project.ID); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("from whole codings", func(b *testing.B) {
		for b.Loop() {
			progressFromCodings(b, f.db, f.project.ID)
		}
	})
}
