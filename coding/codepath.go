package coding

import (
	"strings"
)

// A code path names a code by the names from the root down, as one string:
// "Stressors › Rejection \/ Antipathy". Names are kept exactly as their
// authors wrote them, "/" included, so a path escapes what would otherwise
// read as a separator: within a name, a backslash is written `\\`, a slash
// `\/` and "›" `\›`. Names are joined by PathSeparator (" › "); ParsePath
// also takes "/" between names, as people type paths on the command line
// ("Stressors/Rejection \/ Antipathy").

// FormatPath joins names into a path string that ParsePath reads back into
// the same names.
func FormatPath(names []string) string {
	var b strings.Builder
	for i, name := range names {
		if i > 0 {
			b.WriteString(PathSeparator)
		}
		b.WriteString(EscapePathName(name))
	}
	return b.String()
}

// EscapePathName writes one code name as it appears inside a path string:
// backslash, "/" and "›" are preceded by a backslash.
func EscapePathName(name string) string {
	if !strings.ContainsAny(name, `\/›`) {
		return name
	}
	// Byte by byte, so that a name that is not valid UTF-8 comes back
	// unchanged too.
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		if name[i] == '\\' || name[i] == '/' || strings.HasPrefix(name[i:], "›") {
			b.WriteByte('\\')
		}
		b.WriteByte(name[i])
	}
	return b.String()
}

// ParsePath splits a path string into code names: names are separated by
// " › " or "/", and `\\`, `\/` and `\›` stand for a backslash, a slash and
// "›" within a name. Names are returned exactly as written (spaces around
// a "/" stay part of the names; Codebook.Find ignores them). An empty path
// or name, or a backslash before anything else, is an error that says
// where.
func ParsePath(s string) ([]string, error) {
	if s == "" {
		return nil, Errorf(EINVALID, "the code path is empty")
	}
	var names []string
	var b strings.Builder
	end := func(at int) error {
		if b.Len() == 0 {
			return Errorf(EINVALID, "code path %q has an empty name at character %d", s, at)
		}
		names = append(names, b.String())
		b.Reset()
		return nil
	}
	for i := 0; i < len(s); {
		switch {
		case s[i] == '\\':
			rest := s[i+1:]
			switch {
			case strings.HasPrefix(rest, `\`), strings.HasPrefix(rest, "/"):
				b.WriteByte(rest[0])
				i += 2
			case strings.HasPrefix(rest, "›"):
				b.WriteString("›")
				i += 1 + len("›")
			default:
				return nil, Errorf(EINVALID, `code path %q: a backslash at character %d must be followed by \, / or › (write \\ for a backslash)`, s, runeIndex(s, i)+1)
			}
		case s[i] == '/':
			if err := end(runeIndex(s, i) + 1); err != nil {
				return nil, err
			}
			i++
		case strings.HasPrefix(s[i:], PathSeparator):
			if err := end(runeIndex(s, i) + 1); err != nil {
				return nil, err
			}
			i += len(PathSeparator)
		default:
			j := i + 1
			for j < len(s) && s[j]&0xC0 == 0x80 {
				j++
			}
			b.WriteString(s[i:j])
			i = j
		}
	}
	if err := end(runeIndex(s, len(s)) + 1); err != nil {
		return nil, err
	}
	return names, nil
}

// runeIndex converts a byte offset of s into a count of characters, for
// messages people read.
func runeIndex(s string, i int) int {
	return len([]rune(s[:i]))
}
