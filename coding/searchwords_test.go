package coding

import (
	"reflect"
	"strings"
	"testing"
)

func TestSearchWords(t *testing.T) {
	cases := []struct {
		name, text, query string
		want              []string // the matched text of each hit, in order
	}{
		{"not inside a longer word", "Stigma, stigmatization and stigmatizing; STIGMA.", "stigma", []string{"Stigma", "STIGMA"}},
		{"not at the end of a longer word", "antistigma stigma", "stigma", []string{"stigma"}},
		{"accented letters belong to the word", "café cafe caférine", "caf", nil},
		{"accented query", "Le café, un CAFÉ; cafés", "café", []string{"café", "CAFÉ"}},
		{"a combining accent belongs to the word", "cafe\u0301 cafe", "cafe", []string{"cafe"}},
		{"non-Latin script", "Стигма и стигматизация", "стигма", []string{"Стигма"}},
		{"hyphen separates words", "self-stigma and stigma-free", "stigma", []string{"stigma", "stigma"}},
		{"hyphenated query", "self-stigma, self stigma", "self-stigma", []string{"self-stigma"}},
		{"apostrophe separates words", "the stigma's weight; l'aide", "stigma", []string{"stigma"}},
		{"word after an apostrophe", "l'aide, l’aide", "aide", []string{"aide", "aide"}},
		{"typographic apostrophe in the text", "I don’t know. I don't", "don't", []string{"don’t", "don't"}},
		{"digits are part of words", "wave 2 and wave 22", "wave 2", []string{"wave 2"}},
		{"phrase across any whitespace", "peer  support, peer\nsupport, peer\t \n support", "peer support", []string{"peer  support", "peer\nsupport", "peer\t \n support"}},
		{"quoted phrase", "peer support workers; peer supporter", `"peer support"`, []string{"peer support"}},
		{"curly quotes", "peer support", "“peer support”", []string{"peer support"}},
		{"phrase in order only", "support peer", "peer support", nil},
		{"phrase not inside words", "peer supporters", "peer support", nil},
		{"query edges that are not letters", "(trust) trust", "(trust)", []string{"(trust)"}},
		{"overlap retried after a rejected candidate", "aa a", "a", []string{"a"}},
		{"non-BMP neighbours are not letters", "🙂stigma🙂", "stigma", []string{"stigma"}},
		{"blank", "text", `  ""  `, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			hits := SearchWords("d", c.text, c.query, 5, 100)
			var got []string
			for _, h := range hits {
				got = append(got, h.Match)
				if s := Slice(c.text, h.Start, h.End); s != h.Match {
					t.Errorf("hit [%d,%d) slices to %q, match says %q", h.Start, h.End, s, h.Match)
				}
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("SearchWords(%q, %q) = %q, want %q", c.text, c.query, got, c.want)
			}
		})
	}
}

func TestSearchWordsContextAndLimit(t *testing.T) {
	text := "🙂 one stigma two stigma three"
	hits := SearchWords("d", text, "stigma", 4, 1)
	if len(hits) != 1 {
		t.Fatalf("limit 1: %d hits", len(hits))
	}
	if h := hits[0]; h.Start != 6 || h.End != 12 || h.Before != "one " || h.After != " two" {
		t.Errorf("hit = %+v, want [6,12) with context \"one \" … \" two\"", h)
	}
}

func TestWiden(t *testing.T) {
	text := "Intro line.\n" +
		"Interviewer: Did you feel stigma? Tell me.\n" +
		"P1: Yes, stigma (the \"stigma\" of using). Then it eased! Another stigma here.\n" +
		"   Last: no stigma"
	para := func(i int) string { return strings.Split(text, "\n")[i] }
	cases := []struct {
		name  string
		scope Scope
		want  []string // each unit's text
		n     []int    // matches in each unit
	}{
		{"match", ScopeMatch, []string{"stigma", "stigma", "stigma", "stigma", "stigma"}, []int{1, 1, 1, 1, 1}},
		{"sentence", ScopeSentence, []string{"Interviewer: Did you feel stigma?", `P1: Yes, stigma (the "stigma" of using).`, "Another stigma here.", "Last: no stigma"}, []int{1, 2, 1, 1}},
		{"paragraph", ScopeParagraph, []string{para(1), para(2), strings.TrimSpace(para(3))}, []int{1, 3, 1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			units := Widen(text, SearchWords("d", text, "stigma", 10, 100), c.scope)
			var got []string
			var n []int
			for _, u := range units {
				got = append(got, Slice(text, u.UnitStart, u.UnitEnd))
				n = append(n, u.Matches)
				if u.UnitStart > u.Start || u.UnitEnd < u.End {
					t.Errorf("unit [%d,%d) does not hold its match [%d,%d)", u.UnitStart, u.UnitEnd, u.Start, u.End)
				}
				if c.scope != ScopeMatch && u.Before+u.Match+u.After != Slice(text, u.UnitStart, u.UnitEnd) {
					t.Errorf("preview %q+%q+%q is not the unit", u.Before, u.Match, u.After)
				}
			}
			if !reflect.DeepEqual(got, c.want) || !reflect.DeepEqual(n, c.n) {
				t.Errorf("Widen(%s) = %q %v, want %q %v", c.scope, got, n, c.want, c.n)
			}
		})
	}
}

func TestWidenNonBMPAndLongUnits(t *testing.T) {
	text := "😀 First. " + strings.Repeat("word ", 100) + "stigma 🙂 " + strings.Repeat("more ", 100) + "end."
	units := Widen(text, SearchWords("d", text, "stigma", 10, 10), ScopeSentence)
	if len(units) != 1 {
		t.Fatalf("%d units", len(units))
	}
	u := units[0]
	if got := Slice(text, u.UnitStart, u.UnitEnd); !strings.HasPrefix(got, "word word") || !strings.HasSuffix(got, "more end.") {
		t.Errorf("unit = %.30q…", got)
	}
	if n := len([]rune(u.Before)); n != MaxUnitContext {
		t.Errorf("before holds %d code points, want at most %d", n, MaxUnitContext)
	}
	if Slice(text, u.Start, u.End) != "stigma" {
		t.Errorf("match [%d,%d) is %q", u.Start, u.End, Slice(text, u.Start, u.End))
	}
}

func TestParseScope(t *testing.T) {
	for in, want := range map[string]Scope{"": ScopeMatch, "match": ScopeMatch, "sentence": ScopeSentence, "paragraph": ScopeParagraph} {
		if got, err := ParseScope(in); err != nil || got != want {
			t.Errorf("ParseScope(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseScope("page"); ErrorCode(err) != EINVALID {
		t.Errorf("ParseScope(page) error %v, want invalid", err)
	}
}

// BenchmarkSearchWordsPathological is BenchmarkSearchPathological's query,
// whole words: the boundary checks must not make it quadratic.
func BenchmarkSearchWordsPathological(b *testing.B) {
	text := strings.Repeat("a", 15<<20)
	query := strings.Repeat("a", 199) + "b"
	for b.Loop() {
		if hits := SearchWords("d", text, query, 60, 2000); len(hits) != 0 {
			b.Fatalf("%d hits, want 0", len(hits))
		}
	}
}

// BenchmarkWidenParagraph widens 2,000 hits in one long paragraph: each
// unit is scanned once, not once per hit.
func BenchmarkWidenParagraph(b *testing.B) {
	text := strings.Repeat("some words and stigma, ", 2000)
	hits := SearchWords("d", text, "stigma", 60, 2000)
	for b.Loop() {
		if u := Widen(text, hits, ScopeParagraph); len(u) != 1 || u[0].Matches != 2000 {
			b.Fatalf("%d units", len(u))
		}
	}
}
