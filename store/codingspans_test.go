package store

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/concordqda/concord/coding"
)

// TestCodingSpansMatchCodings reads the same project both ways: the spans
// must be the codings of live documents, in key order, with the same
// documents, codes and coders, whichever of the ranges read side by side a
// document's key falls in.
func TestCodingSpansMatchCodings(t *testing.T) {
	f := newFixture(t)
	rng := rand.New(rand.NewPCG(1, 2))
	docs := []*coding.Document{f.doc}
	for i := range 40 {
		d := &coding.Document{ProjectID: f.project.ID, Title: fmt.Sprintf("Answer %d", i), Text: fixtureText}
		if _, err := f.db.AddDocument(d, f.lead.ID); err != nil {
			t.Fatal(err)
		}
		docs = append(docs, d)
	}
	codes := []*coding.Code{f.financial, f.housing, f.trust}
	coders := []*coding.User{f.ana, f.ben, f.lead}
	// Chunks of 64 rows, so that a few hundred codings cross chunk
	// boundaries in every range (24,576 codings at the real size took
	// seven seconds under the race detector). More than a chunk of rows
	// in each range, no two codings alike.
	defer func(n int) { spanChunk = n }(spanChunk)
	spanChunk = 64
	var cs []coding.Coding
	seen := map[coding.Coding]bool{}
	for len(cs) < 12*spanChunk {
		start := rng.IntN(60)
		c := coding.Coding{ProjectID: f.project.ID, DocumentID: docs[rng.IntN(len(docs))].ID,
			CodeID: codes[rng.IntN(len(codes))].ID, CoderID: coders[rng.IntN(len(coders))].ID, Start: start, End: start + 1 + rng.IntN(20)}
		if !seen[c] {
			seen[c] = true
			cs = append(cs, c)
		}
	}
	if _, err := f.db.AddCodings(cs, f.lead.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.db.DeleteDocument(f.project.ID, docs[3].ID, f.lead.ID); err != nil {
		t.Fatal(err)
	}

	want, err := f.db.Codings(f.project.ID, coding.CodingFilter{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.db.CodingSpans(f.project.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Rows) != len(want) || len(want) == 0 {
		t.Fatalf("%d spans, %d codings", len(got.Rows), len(want))
	}
	parts := map[byte]bool{}
	for i, r := range got.Rows {
		c := want[i]
		if c.DocumentID == docs[3].ID {
			t.Fatalf("a coding of the deleted document was read")
		}
		g := [...]string{got.DocumentIDs[r.Document], got.CodeIDs[r.Code], got.CoderIDs[r.Coder]}
		w := [...]string{c.DocumentID, c.CodeID, c.CoderID}
		if g != w || int(r.Start) != c.Start || int(r.End) != c.End {
			t.Fatalf("row %d = %v [%d, %d), coding = %v [%d, %d)", i, g, r.Start, r.End, w, c.Start, c.End)
		}
		k, _ := idKey("document", c.DocumentID)
		parts[k[0]/(256/spanParts)] = true
	}
	if len(parts) < spanParts {
		t.Fatalf("the documents' keys fall in only %d of the %d ranges", len(parts), spanParts)
	}
	// The same ids, each listed once.
	for _, ids := range [][]string{got.DocumentIDs, got.CodeIDs, got.CoderIDs} {
		seen := map[string]bool{}
		for _, id := range ids {
			if seen[id] {
				t.Fatalf("id %s listed twice", id)
			}
			seen[id] = true
		}
	}
	empty := newFixture(t)
	sp, err := empty.db.CodingSpans(empty.project.ID)
	if err != nil || len(sp.Rows) != 0 {
		t.Fatalf("empty project: %v, %v", sp, err)
	}
}
