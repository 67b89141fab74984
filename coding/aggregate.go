package coding

import "sort"

// Count is how much of the material a code (or a group of codings) covers.
type Count struct {
	// Segments is the number of codings.
	Segments int `json:"segments"`
	// Documents is the number of documents with at least one coding.
	Documents int `json:"documents"`
	// Characters is the number of distinct characters covered: where
	// codings overlap, a character counts once.
	Characters int `json:"characters"`
}

// CountByCode counts codings per code. With descendants, a code's count
// also includes its descendants' codings (overlaps still count once).
func CountByCode(codings []Coding, cb *Codebook, descendants bool) map[string]Count {
	if descendants {
		codings = WithAncestors(codings, cb)
	}
	groups := map[string][]*Coding{}
	for i := range codings {
		c := &codings[i]
		groups[c.CodeID] = append(groups[c.CodeID], c)
	}
	out := make(map[string]Count, len(groups))
	for code, cs := range groups {
		out[code] = countOf(cs)
	}
	return out
}

// CountByCodeAnd cross-tabulates codings by code and by a second key, such
// as the document, the coder or a document attribute's value: the result
// maps code → key → Count. Codings for which key returns "" are left out.
func CountByCodeAnd(codings []Coding, key func(*Coding) string) map[string]map[string]Count {
	groups := map[string]map[string][]*Coding{}
	for i := range codings {
		c := &codings[i]
		k := key(c)
		if k == "" {
			continue
		}
		m := groups[c.CodeID]
		if m == nil {
			m = map[string][]*Coding{}
			groups[c.CodeID] = m
		}
		m[k] = append(m[k], c)
	}
	out := make(map[string]map[string]Count, len(groups))
	for code, m := range groups {
		row := make(map[string]Count, len(m))
		for k, cs := range m {
			row[k] = countOf(cs)
		}
		out[code] = row
	}
	return out
}

// ByDocument, ByCoder and ByAttribute are keys for CountByCodeAnd.
func ByDocument(c *Coding) string { return c.DocumentID }

// ByCoder keys codings by their coder.
func ByCoder(c *Coding) string { return c.CoderID }

// ByAttribute keys codings by the value a document attribute has for the
// coding's document ("" when the document lacks it).
func ByAttribute(docs []Document, name string) func(*Coding) string {
	values := make(map[string]string, len(docs))
	for _, d := range docs {
		values[d.ID] = d.Attributes[name]
	}
	return func(c *Coding) string { return values[c.DocumentID] }
}

// WithAncestors returns the codings plus, for each, a copy under every
// ancestor of its code: counting the result per code counts each code with
// its descendants.
func WithAncestors(codings []Coding, cb *Codebook) []Coding {
	out := make([]Coding, 0, len(codings))
	out = append(out, codings...)
	for _, c := range codings {
		for _, anc := range ancestors(cb, c.CodeID) {
			c.CodeID = anc
			out = append(out, c)
		}
	}
	return out
}

func ancestors(cb *Codebook, id string) []string {
	if cb == nil {
		return nil
	}
	var out []string
	c, ok := cb.Code(id)
	for steps := 0; ok && c.ParentID != "" && steps < cb.Len(); steps++ {
		out = append(out, c.ParentID)
		c, ok = cb.Code(c.ParentID)
	}
	return out
}

// countOf counts a group of codings; the characters are the union of their
// spans per document, found by sorting spans (cost grows with codings,
// not characters).
func countOf(cs []*Coding) Count {
	n := Count{Segments: len(cs)}
	byDoc := map[string][]*Coding{}
	for _, c := range cs {
		byDoc[c.DocumentID] = append(byDoc[c.DocumentID], c)
	}
	n.Documents = len(byDoc)
	for _, group := range byDoc {
		sort.Slice(group, func(i, j int) bool { return group[i].Start < group[j].Start })
		end := -1
		for _, c := range group {
			switch {
			case c.Start >= end:
				n.Characters += c.End - c.Start
				end = c.End
			case c.End > end:
				n.Characters += c.End - end
				end = c.End
			}
		}
	}
	return n
}

// CodePair is an unordered pair of codes, A < B.
type CodePair struct{ A, B string }

// Cooccurrence counts, for every pair of different codes, the pairs of
// codings (one of each code, in the same document) whose spans overlap or
// come within gap characters of each other. Codings of the same code never
// pair; a pair of codings counts once. It sweeps spans sorted by start, so
// the cost grows with the codings and the pairs found.
func Cooccurrence(codings []Coding, gap int) map[CodePair]int {
	out, _ := CooccurrenceWithin(codings, gap, 0)
	return out
}

// MaxCooccurrenceGap bounds the gap of a co-occurrence count: a wider gap
// pairs nearly every coding of a document with every other.
const MaxCooccurrenceGap = 10_000

// CooccurrenceWithin is Cooccurrence that stops after budget comparisons
// of two codings (none if budget <= 0) and then reports capped: the counts
// so far are then lower bounds. Documents are counted in a fixed order
// (by id) so that a capped answer is the same every time.
func CooccurrenceWithin(codings []Coding, gap, budget int) (out map[CodePair]int, capped bool) {
	if gap < 0 {
		gap = 0
	}
	out = map[CodePair]int{}
	byDoc := map[string][]*Coding{}
	for i := range codings {
		c := &codings[i]
		byDoc[c.DocumentID] = append(byDoc[c.DocumentID], c)
	}
	docs := make([]string, 0, len(byDoc))
	for d := range byDoc {
		docs = append(docs, d)
	}
	sort.Strings(docs)
	work := 0
	for _, d := range docs {
		cs := byDoc[d]
		sort.SliceStable(cs, func(i, j int) bool { return cs[i].Start < cs[j].Start })
		var active []*Coding
		for _, c := range cs {
			// Each coding is compared with every active one, twice.
			if work += 2 * len(active); budget > 0 && work > budget {
				return out, true
			}
			// Keep only codings that reach into c's span (plus the gap).
			kept := active[:0]
			for _, a := range active {
				if a.End+gap > c.Start {
					kept = append(kept, a)
				}
			}
			active = kept
			for _, a := range active {
				if a.CodeID == c.CodeID {
					continue
				}
				p := CodePair{a.CodeID, c.CodeID}
				if p.B < p.A {
					p.A, p.B = p.B, p.A
				}
				out[p]++
			}
			active = append(active, c)
		}
	}
	return out, false
}
