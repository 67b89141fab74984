package coding

import "unicode/utf8"

// TextIndex slices a text by code point offsets in constant time (plus a
// short scan), where Slice scans from the start on every call: exports cut
// hundreds of thousands of segments out of long documents.
type TextIndex struct {
	text  string
	ascii bool
	// marks[i] is the byte offset of code point i*indexStride.
	marks []int
	runes int
}

const indexStride = 128

// NewTextIndex indexes text.
func NewTextIndex(text string) *TextIndex {
	x := &TextIndex{text: text}
	ascii := true
	for i := 0; i < len(text); i++ {
		if text[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		x.ascii, x.runes = true, len(text)
		return x
	}
	n := 0
	for i := range text {
		if n%indexStride == 0 {
			x.marks = append(x.marks, i)
		}
		n++
	}
	x.runes = n
	return x
}

// Offset returns the byte offset of code point cp (clamped to the text).
func (x *TextIndex) Offset(cp int) int {
	if cp <= 0 {
		return 0
	}
	if cp >= x.runes {
		return len(x.text)
	}
	if x.ascii {
		return cp
	}
	b := x.marks[cp/indexStride]
	for k := cp % indexStride; k > 0; k-- {
		_, w := utf8.DecodeRuneInString(x.text[b:])
		b += w
	}
	return b
}

// Slice returns the text of [start, end) in code points, clamped.
func (x *TextIndex) Slice(start, end int) string {
	if end <= start {
		return ""
	}
	return x.text[x.Offset(start):x.Offset(end)]
}
