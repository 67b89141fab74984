package formats

import (
	"strings"
	"unicode/utf8"

	"github.com/concordqda/concord/coding"
)

// clipText shortens s to max code points, ending it with "…" when it was
// longer.
func clipText(s string, max int) (string, bool) {
	if utf8.RuneCountInString(s) <= max {
		return s, false
	}
	return coding.ClipRunes(s, max-1) + "…", true
}

// foldedSet is a set of names compared without regard to case, as the
// store compares titles and code names.
type foldedSet map[string]bool

func (s foldedSet) has(name string) bool { return s[strings.ToLower(name)] }
func (s foldedSet) add(name string)      { s[strings.ToLower(name)] = true }
