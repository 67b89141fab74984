package coding

import (
	"sort"
	"strings"
	"time"
)

// Code is one node of a project's codebook. A code that is not Codable is
// a category: it groups children but cannot be applied to text.
type Code struct {
	ID          string    `json:"id"`
	ProjectID   string    `json:"project"`
	ParentID    string    `json:"parent,omitempty"`
	Name        string    `json:"name"`
	Colour      string    `json:"colour"`
	Description string    `json:"description"`
	Order       int       `json:"order"`
	Codable     bool      `json:"codable"`
	Created     time.Time `json:"created"`
}

// PathSeparator joins code names into a path, as other QDA tools display it.
// Names may contain it, and "/": see FormatPath for how a path escapes them.
const PathSeparator = " › "

// Validate reports whether the code's own fields can be stored; where it
// sits in the tree is checked by Codebook.
func (c *Code) Validate() error {
	if err := checkText("code name", c.Name, 1, 200); err != nil {
		return err
	}
	if c.Colour != "" && !colourPattern.MatchString(c.Colour) {
		return Errorf(EINVALID, "colour %q must look like #1a2b3c", c.Colour)
	}
	if c.ParentID != "" && c.ParentID == c.ID {
		return Errorf(EINVALID, "code %q cannot be its own parent", c.Name)
	}
	return checkText("code description", c.Description, 0, 10000)
}

// Codebook is a project's codes as a tree, built once for lookups.
type Codebook struct {
	byID     map[string]*Code
	children map[string][]*Code // "" holds the roots
}

// NewCodebook builds a tree from a flat list. Children are sorted by Order,
// then by name.
func NewCodebook(codes []Code) *Codebook {
	cb := &Codebook{byID: make(map[string]*Code, len(codes)), children: map[string][]*Code{}}
	for i := range codes {
		c := &codes[i]
		cb.byID[c.ID] = c
	}
	for _, c := range cb.byID {
		parent := c.ParentID
		if _, ok := cb.byID[parent]; !ok {
			parent = ""
		}
		cb.children[parent] = append(cb.children[parent], c)
	}
	for _, kids := range cb.children {
		sort.Slice(kids, func(i, j int) bool {
			if kids[i].Order != kids[j].Order {
				return kids[i].Order < kids[j].Order
			}
			return kids[i].Name < kids[j].Name
		})
	}
	return cb
}

// Code returns the code with the given id.
func (cb *Codebook) Code(id string) (*Code, bool) {
	c, ok := cb.byID[id]
	return c, ok
}

// Len returns the number of codes.
func (cb *Codebook) Len() int { return len(cb.byID) }

// Children returns the direct children of id ("" for the roots), in order.
func (cb *Codebook) Children(id string) []*Code { return cb.children[id] }

// Walk visits every code depth-first in display order, with its depth.
func (cb *Codebook) Walk(fn func(c *Code, depth int)) {
	var walk func(parent string, depth int)
	walk = func(parent string, depth int) {
		for _, c := range cb.children[parent] {
			fn(c, depth)
			walk(c.ID, depth+1)
		}
	}
	walk("", 0)
}

// Path returns the names from the root down to id, e.g.
// ["Stressors", "Financial insecurity"].
func (cb *Codebook) Path(id string) []string {
	var names []string
	for c, ok := cb.byID[id]; ok && len(names) <= len(cb.byID); c, ok = cb.byID[c.ParentID] {
		names = append(names, c.Name)
	}
	for i, j := 0, len(names)-1; i < j; i, j = i+1, j-1 {
		names[i], names[j] = names[j], names[i]
	}
	return names
}

// PathString returns Path as a path string (FormatPath): names joined by
// PathSeparator, with "/", "›" and backslashes inside names escaped.
func (cb *Codebook) PathString(id string) string {
	return FormatPath(cb.Path(id))
}

// Find returns the code at a path string (see ParsePath), e.g.
// "Stressors/Housing" or "Stressors › Rejection \/ Antipathy".
func (cb *Codebook) Find(path string) (*Code, bool) {
	names, err := ParsePath(path)
	if err != nil {
		return nil, false
	}
	return cb.FindNames(names)
}

// FindNames returns the code at a path of names from the root; names match
// without regard to case or surrounding spaces.
func (cb *Codebook) FindNames(names []string) (*Code, bool) {
	parent := ""
	var found *Code
	for _, name := range names {
		found = nil
		for _, c := range cb.children[parent] {
			if strings.EqualFold(c.Name, strings.TrimSpace(name)) {
				found = c
				break
			}
		}
		if found == nil {
			return nil, false
		}
		parent = found.ID
	}
	return found, found != nil
}

// Descendants returns the ids of id's descendants, not including id.
func (cb *Codebook) Descendants(id string) []string {
	var out []string
	var walk func(string)
	walk = func(p string) {
		for _, c := range cb.children[p] {
			out = append(out, c.ID)
			walk(c.ID)
		}
	}
	walk(id)
	return out
}

// IsAncestor reports whether a is an ancestor of b (or a == b).
func (cb *Codebook) IsAncestor(a, b string) bool {
	for steps := 0; b != "" && steps <= len(cb.byID); steps++ {
		if a == b {
			return true
		}
		c, ok := cb.byID[b]
		if !ok {
			return false
		}
		b = c.ParentID
	}
	return false
}

// CheckPlace reports whether c may sit under parent: the parent must exist,
// the move must not create a cycle, and no sibling may share its name.
func (cb *Codebook) CheckPlace(c *Code, parent string) error {
	if parent != "" {
		if _, ok := cb.byID[parent]; !ok {
			return Errorf(ENOTFOUND, "parent code %s does not exist", parent)
		}
		if c.ID != "" && cb.IsAncestor(c.ID, parent) {
			return Errorf(EINVALID, "cannot move code %q under itself or one of its descendants", c.Name)
		}
	}
	for _, s := range cb.children[parent] {
		if s.ID != c.ID && strings.EqualFold(s.Name, c.Name) {
			where := "at the top level"
			if parent != "" {
				where = "under " + quote(cb.PathString(parent))
			}
			return Errorf(ECONFLICT, "a code named %q already exists %s", c.Name, where)
		}
	}
	return nil
}

// CheckMerge reports whether code src may be merged into dst: both exist,
// they differ, and dst is not inside src (src's children move to dst).
func (cb *Codebook) CheckMerge(src, dst string) error {
	s, ok := cb.byID[src]
	if !ok {
		return Errorf(ENOTFOUND, "code %s does not exist", src)
	}
	if _, ok := cb.byID[dst]; !ok {
		return Errorf(ENOTFOUND, "code %s does not exist", dst)
	}
	if src == dst {
		return Errorf(EINVALID, "cannot merge code %q into itself", s.Name)
	}
	if cb.IsAncestor(src, dst) {
		return Errorf(EINVALID, "cannot merge code %q into one of its own descendants", s.Name)
	}
	return nil
}

// Resolve finds the code a person named: by id, by a path string
// ("Stressors/Housing" or "Stressors › Housing", see ParsePath), or by a
// name alone when only one code has it — a name is also taken as written,
// so "Rejection / Antipathy" finds the code of that name without escapes.
// Names match without regard to case.
func (cb *Codebook) Resolve(ref string) (*Code, error) {
	ref = strings.TrimSpace(ref)
	if c, ok := cb.byID[ref]; ok {
		return c, nil
	}
	names, err := ParsePath(ref)
	if err == nil {
		if c, ok := cb.FindNames(names); ok {
			return c, nil
		}
	}
	// A single name anywhere in the tree: as parsed (escapes undone), or
	// as written.
	candidates := []string{ref}
	if err == nil && len(names) == 1 && names[0] != ref {
		candidates = append(candidates, names[0])
	}
	for _, name := range candidates {
		var found []*Code
		cb.Walk(func(c *Code, _ int) {
			if strings.EqualFold(c.Name, strings.TrimSpace(name)) {
				found = append(found, c)
			}
		})
		if len(found) == 1 {
			return found[0], nil
		}
		if len(found) > 1 {
			paths := make([]string, len(found))
			for i, c := range found {
				paths[i] = quote(cb.PathString(c.ID))
			}
			return nil, Errorf(EINVALID, "%d codes are named %s (%s): give the path, such as %q", len(found), quote(ref), strings.Join(paths, ", "), cb.PathString(found[0].ID))
		}
	}
	return nil, Errorf(ENOTFOUND, "there is no code %s in this project's codebook", quote(ref))
}
