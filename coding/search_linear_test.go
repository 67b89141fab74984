package coding

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"unicode"
)

// naiveSearch is Search as it was before it became linear: the reference
// the linear search must agree with, hit for hit.
func naiveSearch(documentID, text, query string, context, limit int) []Hit {
	q := []rune(strings.TrimSpace(query))
	if len(q) == 0 || limit <= 0 {
		return nil
	}
	for i, r := range q {
		q[i] = unicode.ToLower(r)
	}
	rs := []rune(text)
	var hits []Hit
	for i := 0; i+len(q) <= len(rs) && len(hits) < limit; i++ {
		j := 0
		for j < len(q) && unicode.ToLower(rs[i+j]) == q[j] {
			j++
		}
		if j < len(q) {
			continue
		}
		from, to := max(0, i-context), min(len(rs), i+len(q)+context)
		hits = append(hits, Hit{DocumentID: documentID, Start: i, End: i + len(q),
			Before: string(rs[from:i]), Match: string(rs[i : i+len(q)]), After: string(rs[i+len(q) : to])})
		i += len(q) - 1
	}
	return hits
}

func TestSearchMatchesNaive(t *testing.T) {
	cases := []struct {
		name, text, query string
		limit             int
		want              []int // hit starts
	}{
		{"case folding", "Boundaries, BOUNDARIES, bOuNdArIeS", "boundaries", 10, []int{0, 12, 24}},
		{"non-BMP before", "🙂🙂 ab 😀 AB", "ab", 10, []int{3, 8}},
		{"non-BMP in query", "x🙂y 🙂Y", "🙂y", 10, []int{1, 4}},
		{"overlaps do not count twice", "aaaaa", "aa", 10, []int{0, 2}},
		{"overlap of a period", "abababab", "abab", 10, []int{0, 4}},
		{"partial match then restart", "aabaabaaab", "aaab", 10, []int{6}},
		{"dotted capital I", "İstanbul istanbul", "istanbul", 10, []int{0, 9}},
		{"Greek final sigma folds per rune", "ΟΔΟΣ οδος", "οδοσ", 10, []int{0}},
		{"limit", "ab ab ab ab", "ab", 2, []int{0, 3}},
		{"query longer than text", "ab", "abc", 10, nil},
		{"pathological", strings.Repeat("a", 1000) + "b", strings.Repeat("a", 199) + "b", 10, []int{801}},
		{"query trimmed", "one two", "  two ", 10, []int{4}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Search("d", c.text, c.query, 3, c.limit)
			var starts []int
			for _, h := range got {
				starts = append(starts, h.Start)
			}
			if !reflect.DeepEqual(starts, c.want) {
				t.Errorf("Search(%q, %q) starts = %v, want %v", c.text, c.query, starts, c.want)
			}
			if want := naiveSearch("d", c.text, c.query, 3, c.limit); !reflect.DeepEqual(got, want) {
				t.Errorf("Search(%q, %q) = %+v, want (as before) %+v", c.text, c.query, got, want)
			}
		})
	}
}

// TestSearchRandomAgainstNaive compares both on random texts over a small
// alphabet (so that partial matches abound), with mixed case and a
// non-BMP letter.
func TestSearchRandomAgainstNaive(t *testing.T) {
	alphabet := []rune("aAbB🙂")
	rng := rand.New(rand.NewPCG(1, 2))
	word := func(n int) string {
		rs := make([]rune, n)
		for i := range rs {
			rs[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return string(rs)
	}
	for i := 0; i < 3000; i++ {
		text, query := word(rng.IntN(60)), word(1+rng.IntN(5))
		got, want := Search("d", text, query, 2, 1000), naiveSearch("d", text, query, 2, 1000)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("Search(%q, %q) = %+v, want %+v", text, query, got, want)
		}
	}
}

// BenchmarkSearchPathological is issue #11's query: 199 "a" and a "b" over
// a 15 MiB document of "a" (a naive scan compares ~200 runes per position).
func BenchmarkSearchPathological(b *testing.B) {
	text := strings.Repeat("a", 15<<20)
	query := strings.Repeat("a", 199) + "b"
	for b.Loop() {
		if hits := Search("d", text, query, 60, 2000); len(hits) != 0 {
			b.Fatalf("%d hits, want 0", len(hits))
		}
	}
}
