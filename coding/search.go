package coding

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Hit is one occurrence of a search query in a document, with its
// surrounding text (keyword in context). Offsets are code points.
type Hit struct {
	DocumentID string `json:"document"`
	Start      int    `json:"start"`
	End        int    `json:"end"`
	Before     string `json:"before"`
	Match      string `json:"match"`
	After      string `json:"after"`
}

// MaxQueryChars bounds a search query.
const MaxQueryChars = 200

// Search finds every case-insensitive occurrence of query in the text,
// with up to context code points of text on either side. Matching folds
// case rune by rune, so offsets stay exact for any script; hits do not
// overlap (after one, the search goes on past its end). It runs in time
// linear in the text and the query (Knuth-Morris-Pratt over folded code
// points): a naive scan costs text × query on a query such as "aaa…ab".
func Search(documentID, text, query string, context, limit int) []Hit {
	q := []rune(strings.TrimSpace(query))
	if len(q) == 0 || limit <= 0 {
		return nil
	}
	for i, r := range q {
		q[i] = unicode.ToLower(r)
	}
	fail := kmpTable(q)
	m := len(q)
	// at[i%m] is the byte offset of code point i: the start of a hit is
	// m code points back, and the text is never copied into runes.
	at := make([]int, m)
	var hits []Hit
	k := 0 // how many runes of q match the text just read
	for b, cp := 0, 0; b < len(text) && len(hits) < limit; cp++ {
		r, w := utf8.DecodeRuneInString(text[b:])
		at[cp%m] = b
		b += w
		r = unicode.ToLower(r)
		if k = kmpStep(q, fail, k, r); k < m {
			continue
		}
		start, end := cp+1-m, cp+1
		startB := at[start%m]
		hits = append(hits, Hit{
			DocumentID: documentID, Start: start, End: end,
			Before: lastRunes(text[:startB], context), Match: text[startB:b], After: firstRunes(text[b:], context),
		})
		k = 0 // no overlap: start afresh after the hit
	}
	return hits
}

// firstRunes returns the first n code points of s (all of s if shorter).
func firstRunes(s string, n int) string {
	b := 0
	for ; n > 0 && b < len(s); n-- {
		_, w := utf8.DecodeRuneInString(s[b:])
		b += w
	}
	return s[:b]
}

// lastRunes returns the last n code points of s (all of s if shorter).
func lastRunes(s string, n int) string {
	b := len(s)
	for ; n > 0 && b > 0; n-- {
		_, w := utf8.DecodeLastRuneInString(s[:b])
		b -= w
	}
	return s[b:]
}

// kmpStep reads one rune r of the text when k runes of q matched before
// it, and returns how many match now.
func kmpStep(q []rune, fail []int, k int, r rune) int {
	for k > 0 && r != q[k] {
		k = fail[k-1]
	}
	if r == q[k] {
		k++
	}
	return k
}

// kmpTable returns, for each prefix q[:i+1], the length of its longest
// proper prefix that is also its suffix: where a partial match resumes
// after a mismatch, so no rune of the text is read twice.
func kmpTable(q []rune) []int {
	fail := make([]int, len(q))
	k := 0
	for i := 1; i < len(q); i++ {
		for k > 0 && q[i] != q[k] {
			k = fail[k-1]
		}
		if q[i] == q[k] {
			k++
		}
		fail[i] = k
	}
	return fail
}

// ValidateQuery checks a search query.
func ValidateQuery(q string) error {
	if err := checkText("search query", q, 1, MaxQueryChars); err != nil {
		return err
	}
	return nil
}
