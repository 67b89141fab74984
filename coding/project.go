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
