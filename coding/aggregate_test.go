package coding

import (
	"math/rand"
	"testing"
)

func TestCountByCode(t *testing.T) {
	cb := NewCodebook([]Code{
		{ID: "s", Name: "Stressors"},
		{ID: "f", Name: "Financial", ParentID: "s", Codable: true},
		{ID: "h", Name: "Housing", ParentID: "s", Codable: true},
		{ID: "t", Name: "Trust", Codable: true},
	})
	codings := []Coding{
		{DocumentID: "d1", CodeID: "f", CoderID: "ana", Start: 0, End: 10},
		{DocumentID: "d1", CodeID: "f", CoderID: "ben", Start: 5, End: 15}, // overlaps the first: 15 distinct
		{DocumentID: "d1", CodeID: "h", CoderID: "ana", Start: 12, End: 20},
		{DocumentID: "d2", CodeID: "h", CoderID: "ben", Start: 0, End: 4},
		{DocumentID: "d2", CodeID: "t", CoderID: "ana", Start: 2, End: 3},
	}
	tests := []struct {
		code        string
		descendants bool
		want        Count
	}{
		{"f", false, Count{Segments: 2, Documents: 1, Characters: 15}},
		{"h", false, Count{Segments: 2, Documents: 2, Characters: 12}},
		{"s", false, Count{}},
		{"s", true, Count{Segments: 4, Documents: 2, Characters: 24}}, // d1 [0,20) + d2 [0,4)
		{"t", true, Count{Segments: 1, Documents: 1, Characters: 1}},
	}
	for _, tt := range tests {
		got := CountByCode(codings, cb, tt.descendants)[tt.code]
		if got != tt.want {
			t.Errorf("CountByCode(%s, descendants=%v) = %+v, want %+v", tt.code, tt.descendants, got, tt.want)
		}
	}
	byCoder := CountByCodeAnd(codings, ByCoder)
	if got := byCoder["f"]["ben"]; got != (Count{1, 1, 10}) {
		t.Errorf("f by ben = %+v", got)
	}
	docs := []Document{{ID: "d1", Attributes: map[string]string{"setting": "shelter"}}, {ID: "d2", Attributes: map[string]string{"setting": "hospital"}}}
	bySetting := CountByCodeAnd(codings, ByAttribute(docs, "setting"))
	if got := bySetting["h"]; got["shelter"].Segments != 1 || got["hospital"].Segments != 1 {
		t.Errorf("h by setting = %+v", got)
	}
	if got := CountByCodeAnd(codings, ByDocument)["h"]["d2"]; got.Characters != 4 {
		t.Errorf("h in d2 = %+v", got)
	}
}

func TestCooccurrence(t *testing.T) {
	codings := []Coding{
		{DocumentID: "d1", CodeID: "a", Start: 0, End: 10},
		{DocumentID: "d1", CodeID: "b", Start: 5, End: 8},   // overlaps a
		{DocumentID: "d1", CodeID: "a", Start: 6, End: 7},   // same code as the first: no pair; pairs with b
		{DocumentID: "d1", CodeID: "c", Start: 12, End: 14}, // 2 after a's end
		{DocumentID: "d2", CodeID: "c", Start: 0, End: 1},   // other document
	}
	tests := []struct {
		gap  int
		want map[CodePair]int
	}{
		{0, map[CodePair]int{{"a", "b"}: 2}},
		{3, map[CodePair]int{{"a", "b"}: 2, {"a", "c"}: 1}},
	}
	for _, tt := range tests {
		got := Cooccurrence(codings, tt.gap)
		if len(got) != len(tt.want) {
			t.Errorf("Cooccurrence(gap %d) = %v, want %v", tt.gap, got, tt.want)
		}
		for p, n := range tt.want {
			if got[p] != n {
				t.Errorf("Cooccurrence(gap %d)[%v] = %d, want %d", tt.gap, p, got[p], n)
			}
		}
	}
}

// The sweep line agrees with checking every pair.
func TestCooccurrenceMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	for round := 0; round < 50; round++ {
		var cs []Coding
		for i := 0; i < 60; i++ {
			s := rng.Intn(200)
			cs = append(cs, Coding{DocumentID: []string{"x", "y"}[rng.Intn(2)], CodeID: string(rune('a' + rng.Intn(5))), Start: s, End: s + 1 + rng.Intn(30)})
		}
		gap := rng.Intn(5)
		want := map[CodePair]int{}
		for i := range cs {
			for j := i + 1; j < len(cs); j++ {
				a, b := cs[i], cs[j]
				if a.DocumentID != b.DocumentID || a.CodeID == b.CodeID {
					continue
				}
				if a.Start < b.End+gap && b.Start < a.End+gap {
					p := CodePair{a.CodeID, b.CodeID}
					if p.B < p.A {
						p.A, p.B = p.B, p.A
					}
					want[p]++
				}
			}
		}
		got := Cooccurrence(cs, gap)
		for p, n := range want {
			if got[p] != n {
				t.Fatalf("round %d: Cooccurrence[%v] = %d, brute force %d", round, p, got[p], n)
			}
		}
		if len(got) != len(want) {
			t.Fatalf("round %d: %d pairs, brute force %d", round, len(got), len(want))
		}
	}
}
