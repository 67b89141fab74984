package formats

import (
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/concordqda/concord/coding"
)

// PositionUnit is what another tool's text positions count.
type PositionUnit int

const (
	// CodePoints count Unicode code points, as the REFI-QDA standard
	// says (§10.2) and Concord does.
	CodePoints PositionUnit = iota
	// UTF16Units count UTF-16 code units, as NVivo does: a character
	// outside the Basic Multilingual Plane (most emoji) counts twice.
	UTF16Units
)

// positionQuery asks where a position in a raw source text falls in the
// normalized text. Ends round up and starts round down when a position
// falls inside what becomes one character (the middle of a surrogate pair
// or of a CRLF), so that a selection keeps every character it touched.
type positionQuery struct {
	pos int
	end bool
	out *int
	// past is set when pos lies beyond the raw text.
	past *bool
}

// mapPositions answers queries about raw, a text as another tool counted
// it (after its byte order mark, before NormalizeText), in one pass over
// the text: cost grows with the text and the number of queries, not their
// product. Results are code point offsets into NormalizeText(raw). With
// crlfOne, a CRLF counts as one unit, as ATLAS.ti counts it; otherwise as
// two, as the standard's code points and NVivo's UTF-16 units do.
func mapPositions(raw string, unit PositionUnit, crlfOne bool, qs []positionQuery) {
	sort.Slice(qs, func(i, j int) bool { return qs[i].pos < qs[j].pos })
	q := 0
	units, norm := 0, 0 // raw units and normalized code points before i
	leading := true     // NormalizeText drops U+FEFF at the start
	for i := 0; i < len(raw) && q < len(qs); {
		r, w := utf8.DecodeRuneInString(raw[i:])
		width := 1
		if unit == UTF16Units && r >= 0x10000 {
			width = 2
		}
		if leading && r == '\ufeff' {
			for q < len(qs) && qs[q].pos < units+width {
				*qs[q].out = 0
				q++
			}
			units += width
			i += w
			continue
		}
		leading = false
		if r == '\r' && i+1 < len(raw) && raw[i+1] == '\n' {
			// CRLF becomes one LF: two raw units (one for ATLAS.ti), one
			// character.
			if !crlfOne {
				width++
			}
			w++
		}
		for q < len(qs) && qs[q].pos < units+width {
			switch {
			case qs[q].pos <= units:
				*qs[q].out = norm
			case qs[q].end:
				*qs[q].out = norm + 1
			default:
				*qs[q].out = norm
			}
			q++
		}
		units += width
		norm++
		i += w
	}
	for ; q < len(qs); q++ {
		*qs[q].out = norm
		if qs[q].pos > units && qs[q].past != nil {
			*qs[q].past = true
		}
	}
}

// UnitLength returns the length of raw in unit, CRLF counting as two
// units, or as one with crlfOne.
func UnitLength(raw string, unit PositionUnit, crlfOne bool) int {
	n := utf8.RuneCountInString(raw)
	if unit == UTF16Units {
		n = coding.UTF16Len(raw)
	}
	if crlfOne {
		n -= strings.Count(raw, "\r\n")
	}
	return n
}
