package store

import (
	"testing"

	"github.com/concordqda/concord/coding"
)

func TestMemoAnchoredToASpan(t *testing.T) {
	f := newFixture(t)
	n := len([]rune(fixtureText))
	m := &coding.Memo{ProjectID: f.project.ID, DocumentID: f.doc.ID, AuthorID: f.ana.ID, Start: 36, End: n, Text: "the emoji matters"}
	if _, err := f.db.SaveMemo(m, f.ana.ID); err != nil {
		t.Fatal(err)
	}
	all, err := f.db.Memos(f.project.ID)
	must(t, err)
	if len(all) != 1 || all[0].Start != 36 || all[0].End != n || !all[0].Anchored() {
		t.Fatalf("memos = %+v, want one anchored at [36, %d)", all, n)
	}

	tests := []struct {
		name string
		edit func(*coding.Memo)
		code string
	}{
		{"past the end", func(m *coding.Memo) { m.End = n + 1 }, coding.EINVALID},
		{"reversed", func(m *coding.Memo) { m.Start, m.End = 5, 3 }, coding.EINVALID},
		{"negative", func(m *coding.Memo) { m.Start, m.End = -1, 3 }, coding.EINVALID},
		{"no document", func(m *coding.Memo) { m.DocumentID = "" }, coding.EINVALID},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := &coding.Memo{ProjectID: f.project.ID, DocumentID: f.doc.ID, AuthorID: f.ana.ID, Start: 0, End: 4, Text: "x"}
			tc.edit(m)
			_, err := f.db.SaveMemo(m, f.ana.ID)
			wantCode(t, err, tc.code)
			all, err := f.db.Memos(f.project.ID)
			must(t, err)
			if len(all) != 1 {
				t.Fatalf("a refused memo was stored: %d memos", len(all))
			}
		})
	}
}
