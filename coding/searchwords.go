package coding

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Whole-word search: "stigma" must not find the inside of
// "stigmatization". A word is a run of letters, digits and combining
// marks in any script, so "café" and "cafe\u0301" are one word each and
// "caf" is found in neither. Hyphens and apostrophes separate words:
// "stigma" is found in "self-stigma" and in "the stigma's weight", and
// "aide" in "l'aide" — a researcher looking for a word wants its
// possessives and compounds, and "don" finding "don't" costs little.
// A query of several words is a phrase: its words in order, with any run
// of whitespace (line breaks included) between them in the text. Quotes
// around the query ("peer support") say the same and are dropped.

// SearchWords finds every case-insensitive occurrence of query in the text
// that starts and ends at word boundaries, with up to context code points
// of text on either side, as Search does. It stays linear in the text and
// the query: the text's whitespace runs are read as one space and the
// query's words joined by one space, so Knuth-Morris-Pratt still applies;
// the boundary checks look at one rune on either side.
func SearchWords(documentID, text, query string, context, limit int) []Hit {
	q := []rune(phraseOf(query))
	if len(q) == 0 || limit <= 0 {
		return nil
	}
	for i, r := range q {
		q[i] = foldWordRune(r)
	}
	fail := kmpTable(q)
	m := len(q)
	wordFirst, wordLast := isWordRune(q[0]), isWordRune(q[m-1])
	// at[i%m] is where the pattern's i-th item of the text stream starts
	// (a whitespace run is one item), in code points and bytes.
	type pos struct{ cp, b int }
	at := make([]pos, m)
	var hits []Hit
	k, item := 0, 0
	prevSpace := false
	for b, cp := 0, 0; b < len(text) && len(hits) < limit; cp++ {
		r, w := utf8.DecodeRuneInString(text[b:])
		start := b
		b += w
		if unicode.IsSpace(r) {
			if prevSpace {
				continue // the rest of a whitespace run: one item already
			}
			prevSpace, r = true, ' '
		} else {
			prevSpace, r = false, foldWordRune(r)
		}
		at[item%m] = pos{cp, start}
		item++
		if k = kmpStep(q, fail, k, r); k < m {
			continue
		}
		first := at[(item-m)%m]
		if (wordFirst && wordBefore(text, first.b)) || (wordLast && wordAfter(text, b)) {
			// Inside a longer word: not a hit, but a shorter overlap may be.
			k = fail[m-1]
			continue
		}
		hits = append(hits, Hit{
			DocumentID: documentID, Start: first.cp, End: cp + 1,
			Before: lastRunes(text[:first.b], context), Match: text[first.b:b], After: firstRunes(text[b:], context),
		})
		k = 0
	}
	return hits
}

// phraseOf is the query as SearchWords matches it: trimmed, without the
// quotes around a phrase, its words joined by one space.
func phraseOf(query string) string {
	q := strings.TrimSpace(query)
	for _, quote := range [][2]string{{`"`, `"`}, {"“", "”"}, {"„", "“"}, {"«", "»"}} {
		if len(q) > len(quote[0])+len(quote[1])-1 && strings.HasPrefix(q, quote[0]) && strings.HasSuffix(q, quote[1]) {
			q = q[len(quote[0]) : len(q)-len(quote[1])]
			break
		}
	}
	return strings.Join(strings.Fields(q), " ")
}

// foldWordRune folds case, and the typographic apostrophes into the plain
// one, so that "don't" finds "don’t": one rune for one, offsets stay exact.
func foldWordRune(r rune) rune {
	switch r {
	case '\u2019', '\u02bc', '\u2018':
		return '\''
	}
	return unicode.ToLower(r)
}

// isWordRune reports whether r belongs to a word: a letter, digit or
// combining mark (an accent written as its own code point).
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// wordBefore reports whether the rune ending at byte b is part of a word.
func wordBefore(text string, b int) bool {
	if b <= 0 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(text[:b])
	return isWordRune(r)
}

// wordAfter reports whether the rune starting at byte b is part of a word.
func wordAfter(text string, b int) bool {
	if b >= len(text) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(text[b:])
	return isWordRune(r)
}
