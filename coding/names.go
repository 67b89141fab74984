package coding

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// UniqueName returns base, or base with " (2)", " (3)" … appended, whichever
// comes first that taken does not report; the result keeps within max code
// points by shortening base.
func UniqueName(base string, max int, taken func(string) bool) string {
	base = ClipRunes(base, max)
	if !taken(base) {
		return base
	}
	for n := 2; ; n++ {
		suffix := " (" + strconv.Itoa(n) + ")"
		name := ClipRunes(base, max-utf8.RuneCountInString(suffix)) + suffix
		if !taken(name) {
			return name
		}
	}
}

// ClipRunes shortens s to at most max code points.
func ClipRunes(s string, max int) string {
	if max <= 0 {
		return ""
	}
	if len(s) <= max || utf8.RuneCountInString(s) <= max {
		return s
	}
	n := 0
	for i := range s {
		if n == max {
			return strings.TrimRight(s[:i], " ")
		}
		n++
	}
	return s
}

// LoginFor derives a login from a person's name or id as another tool
// wrote it ("Pethő Gergely" → "petho-gergely"): lower case, common Latin
// letters without their accents, anything else a dash. It returns "" when
// nothing usable is left.
func LoginFor(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(strings.TrimSpace(name)) {
		if f, ok := latinFold[r]; ok {
			b.WriteString(f)
			dash = false
			continue
		}
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '.', r == '_':
			if b.Len() == 0 && (r == '.' || r == '_') {
				continue
			}
			b.WriteRune(r)
			dash = false
		case b.Len() > 0 && !dash:
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.TrimRight(b.String(), "-._")
	if len(s) > 32 {
		s = strings.TrimRight(s[:32], "-._")
	}
	return s
}

// latinFold spells accented Latin letters without their accents, enough
// for the names of most European coders.
var latinFold = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'ā': "a", 'ă': "a", 'ą': "a",
	'æ': "ae", 'ç': "c", 'ć': "c", 'č': "c", 'ď': "d", 'đ': "d", 'ð': "d",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ē': "e", 'ė': "e", 'ę': "e", 'ě': "e",
	'ğ': "g", 'ì': "i", 'í': "i", 'î': "i", 'ï': "i", 'ī': "i", 'į': "i", 'ı': "i",
	'ł': "l", 'ľ': "l", 'ĺ': "l", 'ñ': "n", 'ń': "n", 'ň': "n",
	'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ö': "o", 'ø': "o", 'ō': "o", 'ő': "o", 'œ': "oe",
	'ŕ': "r", 'ř': "r", 'ś': "s", 'š': "s", 'ş': "s", 'ș': "s", 'ß': "ss",
	'ť': "t", 'ţ': "t", 'ț': "t", 'þ': "th",
	'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ū': "u", 'ů': "u", 'ű': "u", 'ų': "u",
	'ý': "y", 'ÿ': "y", 'ź': "z", 'ż': "z", 'ž': "z",
}

// UniqueLogin returns login, or login with "-2", "-3" … appended, whichever
// comes first that taken does not report, cut to the 32 characters a login
// may have. Logins are ASCII (see IsLogin), so bytes are characters.
func UniqueLogin(login string, taken func(string) bool) string {
	if !taken(login) {
		return login
	}
	for n := 2; ; n++ {
		suffix := "-" + strconv.Itoa(n)
		base := login
		if len(base)+len(suffix) > 32 {
			base = strings.TrimRight(base[:32-len(suffix)], "-._")
		}
		if !taken(base + suffix) {
			return base + suffix
		}
	}
}
