package coding

import (
	"regexp"
	"strings"
	"time"
)

// Project is one coding project: a set of documents, a codebook, the
// members who code them and the event log of everything that happened.
type Project struct {
	ID          string    `json:"id"`
	Slug        string    `json:"slug"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Blind       bool      `json:"blind"`
	Created     time.Time `json:"created"`
}

var slugPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// Validate reports whether the project can be stored.
func (p *Project) Validate() error {
	if !slugPattern.MatchString(p.Slug) {
		return Errorf(EINVALID, "project slug %q must be 1-63 lower-case letters, digits or dashes, starting with a letter or digit", p.Slug)
	}
	if err := checkText("project name", p.Name, 1, 200); err != nil {
		return err
	}
	return checkText("project description", p.Description, 0, 10000)
}

// ValidateNew is Validate for a project about to be created: its slug
// must also not look like a project id. Projects are found by id or by
// slug, ids first, so such a slug could never be reached, or could point
// at another project. (A project that already has one keeps it: slugs
// cannot change, and Validate still accepts it.)
func (p *Project) ValidateNew() error {
	if err := p.Validate(); err != nil {
		return err
	}
	if LooksLikeID(p.Slug) {
		return Errorf(EINVALID, "project slug %q looks like a project id: choose one with a word in it", p.Slug)
	}
	return nil
}

// LooksLikeID reports whether s has a form in which a UUID can be
// written and a slug can be spelled: 32 hex digits, or 36 characters with
// dashes after the 8th, 12th, 16th and 20th. (The other forms UUID parsers
// take, in braces or after "urn:uuid:", are no slugs.)
func LooksLikeID(s string) bool {
	hex := func(r rune) bool { return r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F' }
	switch len(s) {
	case 32:
		for _, r := range s {
			if !hex(r) {
				return false
			}
		}
		return true
	case 36:
		for i, r := range s {
			if i == 8 || i == 13 || i == 18 || i == 23 {
				if r != '-' {
					return false
				}
			} else if !hex(r) {
				return false
			}
		}
		return true
	}
	return false
}

// Slugify turns a name into a slug candidate ("Peer support!" → "peer-support").
func Slugify(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case b.Len() > 0 && !dash:
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 60 {
			break
		}
	}
	return strings.Trim(b.String(), "-")
}
