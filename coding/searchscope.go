package coding

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Scope says how much text an auto-coding of a search hit covers: the
// matched words, their sentence, or their paragraph. A paragraph is a line
// of the document (a speaker turn in a transcript, where each turn starts
// a line); a sentence ends at ".", "!", "?" or "…" (and any closing quotes
// or brackets) before whitespace, or at the end of its paragraph.
type Scope string

// The scopes of auto-coding.
const (
	ScopeMatch     Scope = "match"
	ScopeSentence  Scope = "sentence"
	ScopeParagraph Scope = "paragraph"
)

// ParseScope reads a scope as a client names it ("" is the match).
func ParseScope(s string) (Scope, error) {
	switch Scope(s) {
	case "", ScopeMatch:
		return ScopeMatch, nil
	case ScopeSentence, ScopeParagraph:
		return Scope(s), nil
	}
	return "", Errorf(EINVALID, "scope must be %q, %q or %q, not %.40q", ScopeMatch, ScopeSentence, ScopeParagraph, s)
}

// MaxUnitContext bounds, in code points, the text of a hit's unit shown on
// either side of the match: a paragraph can be a whole page.
const MaxUnitContext = 300

// UnitHit is a search hit widened to its unit: [UnitStart, UnitEnd) is
// what coding the hit codes. Matches counts the hits inside the unit (two
// hits in one sentence make one unit, coded once).
type UnitHit struct {
	Hit
	UnitStart int `json:"unit_start"`
	UnitEnd   int `json:"unit_end"`
	Matches   int `json:"matches"`
}

// Widen turns one document's hits (in text order, as Search and
// SearchWords return them) into units of the scope. For a wider scope,
// Before and After become the unit's text around the first match in it
// (at most MaxUnitContext code points each), so a preview shows what would
// be coded. Units never overlap, so each is scanned once: the cost is the
// text's length, however many hits share a paragraph.
func Widen(text string, hits []Hit, scope Scope) []UnitHit {
	out := make([]UnitHit, 0, len(hits))
	if scope != ScopeSentence && scope != ScopeParagraph {
		for _, h := range hits {
			out = append(out, UnitHit{Hit: h, UnitStart: h.Start, UnitEnd: h.End, Matches: 1})
		}
		return out
	}
	x := NewTextIndex(text)
	floorB := 0 // the end of the last unit, in bytes: no unit starts before it
	for _, h := range hits {
		if n := len(out); n > 0 && h.Start < out[n-1].UnitEnd {
			out[n-1].Matches++
			continue
		}
		sb, eb := x.Offset(h.Start), x.Offset(h.End)
		ucs, ubs := unitStart(text, sb, h.Start, floorB, scope == ScopeSentence)
		uce, ube := unitEnd(text, eb, h.End, scope == ScopeSentence)
		out = append(out, UnitHit{
			Hit: Hit{
				DocumentID: h.DocumentID, Start: h.Start, End: h.End, Match: h.Match,
				Before: lastRunes(text[ubs:sb], MaxUnitContext), After: firstRunes(text[eb:ube], MaxUnitContext),
			},
			UnitStart: ucs, UnitEnd: uce, Matches: 1,
		})
		floorB = ube
	}
	return out
}

// unitStart walks back from byte b (code point cp) to the start of its
// sentence or paragraph, never before byte floor (the last unit's end), and
// returns it in code points and bytes, past leading whitespace.
func unitStart(text string, b, cp, floor int, sentence bool) (int, int) {
	for b > floor {
		r, w := utf8.DecodeLastRuneInString(text[floor:b])
		if r == '\n' || r == '\r' || r == '\u2029' {
			break
		}
		if sentence && unicode.IsSpace(r) && sentenceEndsBefore(text[floor:b-w]) {
			break
		}
		b -= w
		cp--
	}
	for b < len(text) {
		r, w := utf8.DecodeRuneInString(text[b:])
		if !unicode.IsSpace(r) {
			break
		}
		b += w
		cp++
	}
	return cp, b
}

// unitEnd walks on from byte b (code point cp) to the end of its sentence
// (after its closing punctuation) or paragraph, and returns it in code
// points and bytes, before trailing whitespace.
func unitEnd(text string, b, cp int, sentence bool) (int, int) {
	lastB, lastCP := b, cp // just after the last rune that is not whitespace
	for b < len(text) {
		r, w := utf8.DecodeRuneInString(text[b:])
		if r == '\n' || r == '\r' || r == '\u2029' {
			break
		}
		if sentence && unicode.IsSpace(r) && sentenceEndsBefore(text[:b]) {
			break
		}
		b += w
		cp++
		if !unicode.IsSpace(r) {
			lastB, lastCP = b, cp
		}
	}
	return lastCP, lastB
}

// sentenceEndsBefore reports whether s ends with a sentence's final
// punctuation, possibly followed by closing quotes or brackets.
func sentenceEndsBefore(s string) bool {
	s = strings.TrimRight(s, "\"'”’»)]")
	r, _ := utf8.DecodeLastRuneInString(s)
	return r == '.' || r == '!' || r == '?' || r == '…'
}
