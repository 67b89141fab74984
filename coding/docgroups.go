package coding

import (
	"sort"
	"strings"
	"time"
)

// MaxSets bounds how many sets one document is in.
const MaxSets = 50

// validateGroups checks a document's folder and sets, and sorts the sets
// so that equal memberships compare and store equal.
func (d *Document) validateGroups() error {
	if d.Folder != "" {
		if err := checkText("folder name", d.Folder, 1, 100); err != nil {
			return err
		}
	}
	if len(d.Sets) > MaxSets {
		return Errorf(EINVALID, "document %s is in too many sets (%d, at most %d)", quote(d.Title), len(d.Sets), MaxSets)
	}
	seen := map[string]bool{}
	for _, s := range d.Sets {
		if err := checkText("set name", s, 1, 100); err != nil {
			return err
		}
		if seen[strings.ToLower(s)] {
			return Errorf(EINVALID, "document %s names set %s twice", quote(d.Title), quote(s))
		}
		seen[strings.ToLower(s)] = true
	}
	if len(d.Sets) == 0 {
		d.Sets = nil
	}
	sort.Strings(d.Sets)
	return nil
}

// InSet reports whether the document is in the named set.
func (d *Document) InSet(name string) bool {
	for _, s := range d.Sets {
		if s == name {
			return true
		}
	}
	return false
}

// SetNames returns the sorted names of every set that docs are in.
func SetNames(docs []Document) []string {
	seen := map[string]bool{}
	var names []string
	for _, d := range docs {
		for _, s := range d.Sets {
			if !seen[s] {
				seen[s] = true
				names = append(names, s)
			}
		}
	}
	sort.Strings(names)
	return names
}

// TrashedDocument is a document a lead deleted: it is out of every list,
// count and export, and comes back with all its codings and memos when
// restored. Codings and Memos count what goes (and comes back) with it;
// an event leaves them out, since they count every coder's work.
type TrashedDocument struct {
	Document Document  `json:"document"`
	Deleted  time.Time `json:"deleted"`
	By       string    `json:"by"`
	Codings  int       `json:"codings,omitempty"`
	Memos    int       `json:"memos,omitempty"`
}
