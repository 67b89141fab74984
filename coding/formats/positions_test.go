package formats

import (
	"testing"

	"github.com/concordqda/concord/coding"
)

// mapPositions agrees with slicing the raw text and normalizing the slice,
// for every position, in both units; positions inside a CRLF or a
// surrogate pair keep the character they touch.
func TestMapPositions(t *testing.T) {
	raw := "\ufeffA😀\r\nb\rc💔d\r\n"
	norm := coding.NormalizeText(raw)
	for _, unit := range []PositionUnit{CodePoints, UTF16Units} {
		// units[k] is the raw unit offset of raw rune k.
		var starts []int
		u := 0
		for _, r := range raw {
			starts = append(starts, u)
			u++
			if unit == UTF16Units && r >= 0x10000 {
				u++
			}
		}
		total := u
		for a := 0; a <= total; a++ {
			for b := a; b <= total; b++ {
				var s, e int
				past := false
				mapPositions(raw, unit, false, []positionQuery{{pos: a, out: &s, past: &past}, {pos: b, end: true, out: &e}})
				if past || s < 0 || e > len([]rune(norm)) || s > e {
					t.Fatalf("unit %d [%d,%d) → [%d,%d) past %v", unit, a, b, s, e, past)
				}
			}
		}
		// Exact boundaries: "b" and "💔d".
		var s1, e1, s2, e2 int
		at := func(k int) int { return starts[k] }
		mapPositions(raw, unit, false, []positionQuery{
			{pos: at(5), out: &s1}, {pos: at(6), end: true, out: &e1},
			{pos: at(8), out: &s2}, {pos: at(10), end: true, out: &e2},
		})
		if got := coding.Slice(norm, s1, e1); got != "b" {
			t.Errorf("unit %d: %q, want b", unit, got)
		}
		if got := coding.Slice(norm, s2, e2); got != "💔d" {
			t.Errorf("unit %d: %q, want 💔d", unit, got)
		}
		// Inside the CRLF after the emoji: a start keeps the line end, an
		// end takes it in.
		mapPositions(raw, unit, false, []positionQuery{{pos: at(4), out: &s1}, {pos: at(4), end: true, out: &e1}})
		if coding.Slice(norm, s1, s1+1) != "\n" || coding.Slice(norm, e1-1, e1) != "\n" {
			t.Errorf("unit %d: inside CRLF → %d, %d", unit, s1, e1)
		}
	}
}
