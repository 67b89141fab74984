package coding

import (
	"strings"
	"unicode/utf8"
)

// checkText validates a user-supplied string: valid UTF-8, no NUL bytes, and
// a length in code points within [min, max].
func checkText(what, s string, min, max int) error {
	if !utf8.ValidString(s) {
		return Errorf(EINVALID, "%s is not valid UTF-8 text", what)
	}
	if strings.IndexByte(s, 0) >= 0 {
		return Errorf(EINVALID, "%s contains a NUL character", what)
	}
	n := utf8.RuneCountInString(s)
	if min > 0 && strings.TrimSpace(s) == "" {
		return Errorf(EINVALID, "%s must not be empty", what)
	}
	if n < min {
		return Errorf(EINVALID, "%s must be at least %d characters", what, min)
	}
	if n > max {
		return Errorf(EINVALID, "%s is too long (%d characters, at most %d)", what, n, max)
	}
	return nil
}

// Slice returns the text between code point offsets [start, end) of s.
// Offsets outside s are clamped; Slice never panics.
func Slice(s string, start, end int) string {
	if start < 0 {
		start = 0
	}
	if end <= start {
		return ""
	}
	i, cp := 0, 0
	from := len(s)
	for i < len(s) {
		if cp == start {
			from = i
			break
		}
		_, w := utf8.DecodeRuneInString(s[i:])
		i += w
		cp++
	}
	if from == len(s) {
		return ""
	}
	to := from
	for to < len(s) && cp < end {
		_, w := utf8.DecodeRuneInString(s[to:])
		to += w
		cp++
	}
	return s[from:to]
}

// RuneIndex returns the code point offset of the byte offset b in s.
func RuneIndex(s string, b int) int {
	if b > len(s) {
		b = len(s)
	}
	return utf8.RuneCountInString(s[:b])
}

// UTF16Len returns the number of UTF-16 code units needed to encode s,
// the unit browsers and NVivo count positions in.
func UTF16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}
