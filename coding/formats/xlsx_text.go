package formats

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/concordqda/concord/coding"
)

// xlsxEscape writes s as an OOXML string (ST_Xstring): a character XML
// 1.0 cannot hold becomes _xHHHH_ (its code in four hex digits), and the
// underscore of a literal _xHHHH_ becomes _x005F_, so that a reader that
// unescapes as the standard says gets s back exactly. Tab, line feed and
// carriage return are left to the XML writer.
func xlsxEscape(s string) string {
	if !xlsxNeedsEscape(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '_' && xlsxEscapeAt(s[i:]):
			b.WriteString("_x005F_")
		case r < 0x20 && r != '\t' && r != '\n' && r != '\r', r == 0xFFFE, r == 0xFFFF:
			b.WriteString("_x")
			h := strconv.FormatUint(uint64(r), 16)
			b.WriteString(strings.Repeat("0", 4-len(h)))
			b.WriteString(strings.ToUpper(h))
			b.WriteByte('_')
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// xlsxMaybe marks the bytes that may start something to escape: C0
// controls but tab, LF and CR; '_'; and 0xEF, the first byte of U+FFFE and
// U+FFFF.
var xlsxMaybe = func() (t [256]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = c != '\t' && c != '\n' && c != '\r'
	}
	t['_'], t[0xEF] = true, true
	return t
}()

// xlsxNeedsEscape is the fast path: most text has nothing to escape.
func xlsxNeedsEscape(s string) bool {
	for i := 0; i < len(s); i++ {
		if !xlsxMaybe[s[i]] {
			continue
		}
		switch c := s[i]; {
		case c == '_':
			if xlsxEscapeAt(s[i:]) {
				return true
			}
		case c == 0xEF:
			if strings.HasPrefix(s[i:], "\uFFFE") || strings.HasPrefix(s[i:], "\uFFFF") {
				return true
			}
		default:
			return true
		}
	}
	return false
}

// xlsxEscapeAt reports whether s starts with _xHHHH_, which a reader
// would take for an escape.
func xlsxEscapeAt(s string) bool {
	if len(s) < 7 || s[0] != '_' || s[1] != 'x' && s[1] != 'X' || s[6] != '_' {
		return false
	}
	for _, c := range []byte(s[2:6]) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// clipUTF16 cuts s to at most max UTF-16 units (Excel's measure of a
// cell), ending in "…", without splitting a surrogate pair.
func clipUTF16(s string, max int) string {
	n := 0
	for i, r := range s {
		w := 1
		if r >= 0x10000 {
			w = 2
		}
		if n+w > max-1 && coding.UTF16Len(s[i:]) > max-n {
			return s[:i] + "…"
		}
		n += w
	}
	return s
}
