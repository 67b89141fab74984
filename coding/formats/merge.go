package formats

import (
	"strings"

	"github.com/concordqda/concord/coding"
)

// Merger gathers what several imported files hold into the new things one
// transaction adds to a project (new or existing): codes the project or an
// earlier file already has at the same path (compared without regard to
// case) are reused and their codings follow them, ids already taken are
// replaced, and document titles are made unique with " (2)", " (3)" ….
type Merger struct {
	out    coding.ProjectData
	fresh  bool
	paths  map[string]string // lower-cased path ("a/b") → code id
	byID   map[string]string // code id → lower-cased path
	titles foldedSet
	ids    map[string]bool // every id taken, of any kind
	users  map[string]bool
}

// NewMerger starts a merge into a project that already holds codes and
// docs (nothing, for a new project). With fresh, every document, coding
// and memo added gets a new id (an existing project may already hold the
// ones a file names); otherwise ids are kept where they are free, so that
// a project exported and imported again keeps them.
func NewMerger(codes []coding.Code, docs []coding.Document, fresh bool) *Merger {
	m := &Merger{fresh: fresh, paths: map[string]string{}, byID: map[string]string{}, titles: foldedSet{}, ids: map[string]bool{}, users: map[string]bool{}}
	cb := coding.NewCodebook(codes)
	cb.Walk(func(c *coding.Code, _ int) {
		p := strings.ToLower(coding.FormatPath(cb.Path(c.ID)))
		m.paths[p] = c.ID
		m.byID[c.ID] = p
		m.ids[c.ID] = true
	})
	for _, d := range docs {
		m.titles.add(d.Title)
		m.ids[d.ID] = true
	}
	return m
}

func (m *Merger) id(want string) string {
	if want == "" || m.fresh || m.ids[want] {
		want = coding.NewID()
	}
	m.ids[want] = true
	return want
}

// Add merges one imported file's project into the result. It takes the
// part's documents, codings and memos over, changing them in place (a
// project file's codings are most of an import's memory, and a copy would
// hold them twice): the part must not be used afterwards.
func (m *Merger) Add(part *coding.ProjectData) {
	out := &m.out
	if out.Project.Name == "" {
		out.Project.Name = part.Project.Name
		out.Project.Description = part.Project.Description
	}
	for _, u := range part.Users {
		if !m.users[u.ID] {
			m.users[u.ID] = true
			out.Users = append(out.Users, u)
		}
	}
	codes := map[string]string{} // part's code id → merged id
	cb := part.Codebook()
	cb.Walk(func(c *coding.Code, _ int) {
		parent := codes[c.ParentID]
		// Escaped, so that "A/B" under nothing and "B" under "A" differ.
		p := strings.ToLower(coding.EscapePathName(c.Name))
		if parent != "" {
			p = m.byID[parent] + coding.PathSeparator + p
		}
		if id, ok := m.paths[p]; ok {
			codes[c.ID] = id
			return
		}
		nc := *c
		nc.ID = m.id(c.ID)
		nc.ParentID = parent
		if m.fresh {
			nc.Order = 0 // after the project's own codes
		}
		codes[c.ID] = nc.ID
		m.paths[p] = nc.ID
		m.byID[nc.ID] = p
		out.Codes = append(out.Codes, nc)
	})
	docs := map[string]string{}
	for i := range part.Documents {
		d := &part.Documents[i]
		id, title := m.id(d.ID), coding.UniqueName(d.Title, 300, m.titles.has)
		if title != d.Title {
			out.Warnf("a document titled %q is already in the project; the new one is called %q", d.Title, title)
		}
		m.titles.add(title)
		docs[d.ID] = id
		d.ID, d.Title = id, title
	}
	out.Documents = adopt(out.Documents, part.Documents)
	for i := range part.Codings {
		c := &part.Codings[i]
		c.ID = m.id(c.ID)
		c.DocumentID = docs[c.DocumentID]
		c.CodeID = codes[c.CodeID]
	}
	out.Codings = adopt(out.Codings, part.Codings)
	for i := range part.Memos {
		memo := &part.Memos[i]
		memo.ID = m.id(memo.ID)
		if memo.DocumentID != "" {
			memo.DocumentID = docs[memo.DocumentID]
		}
		if memo.CodeID != "" {
			memo.CodeID = codes[memo.CodeID]
		}
	}
	out.Memos = adopt(out.Memos, part.Memos)
	part.Documents, part.Codings, part.Memos = nil, nil, nil
	out.Warnings = append(out.Warnings, part.Warnings...)
}

// adopt appends more to all, taking more itself when all is empty.
func adopt[T any](all, more []T) []T {
	if len(all) == 0 {
		return more
	}
	return append(all, more...)
}

// Result returns everything added so far: the new users, documents, codes,
// codings and memos, and every warning. It is a copy, so that the merger's
// own tables (every id seen) can go once it is no longer used.
func (m *Merger) Result() *coding.ProjectData {
	out := m.out
	return &out
}
