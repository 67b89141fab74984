package coding

import (
	"strings"
	"unicode"
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
// case rune by rune, so offsets stay exact for any script.
func Search(documentID, text, query string, context, limit int) []Hit {
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
		if unicode.ToLower(rs[i]) != q[0] {
			continue
		}
		j := 1
		for j < len(q) && unicode.ToLower(rs[i+j]) == q[j] {
			j++
		}
		if j < len(q) {
			continue
		}
		from, to := max(0, i-context), min(len(rs), i+len(q)+context)
		hits = append(hits, Hit{
			DocumentID: documentID, Start: i, End: i + len(q),
			Before: string(rs[from:i]), Match: string(rs[i : i+len(q)]), After: string(rs[i+len(q) : to]),
		})
		i += len(q) - 1
	}
	return hits
}

// ValidateQuery checks a search query.
func ValidateQuery(q string) error {
	if err := checkText("search query", q, 1, MaxQueryChars); err != nil {
		return err
	}
	return nil
}
