package formats

import (
	"strings"

	"github.com/concordqda/concord/coding"
)

// segmentRow is one coded segment as the tabular exports write it.
type segmentRow struct {
	coding *coding.Coding
	doc    *coding.Document
	path   string // the code's path string (FormatPath)
	coder  *coding.User
	text   string
}

// segmentTable walks d's codings in reading order (see sortedCodings) and
// resolves what the tabular exports show of each.
type segmentTable struct {
	d         *coding.ProjectData
	cb        *coding.Codebook
	attrNames []string
	codings   []*coding.Coding
	docs      map[string]*coding.Document
	paths     map[string]string
	pathNames map[string][]string
	users     userIndex
	texts     map[string]*coding.TextIndex
}

func newSegmentTable(d *coding.ProjectData) *segmentTable {
	t := &segmentTable{d: d, cb: d.Codebook(), attrNames: coding.AttributeNames(d.Documents), users: newUserIndex(d)}
	t.codings = sortedCodings(d, t.cb, t.users)
	t.docs = make(map[string]*coding.Document, len(d.Documents))
	for i := range d.Documents {
		t.docs[d.Documents[i].ID] = &d.Documents[i]
	}
	t.paths = make(map[string]string, t.cb.Len())
	t.pathNames = make(map[string][]string, t.cb.Len())
	t.cb.Walk(func(c *coding.Code, _ int) {
		t.pathNames[c.ID] = t.cb.Path(c.ID)
		t.paths[c.ID] = coding.FormatPath(t.pathNames[c.ID])
	})
	t.texts = textIndexes(d)
	return t
}

// each calls fn with every segment, in order, until fn returns an error.
func (t *segmentTable) each(fn func(s *segmentRow) error) error {
	var s segmentRow
	missing := &coding.Document{Title: "(missing document)", Attributes: map[string]string{}}
	for _, c := range t.codings {
		s.coding = c
		s.doc = t.docs[c.DocumentID]
		s.text = ""
		if s.doc == nil {
			s.doc = missing
		} else {
			s.text = t.texts[c.DocumentID].Slice(c.Start, c.End)
		}
		s.path = t.paths[c.CodeID]
		if s.path == "" {
			s.path = c.CodeID
		}
		s.coder = t.users.get(c.CoderID)
		if err := fn(&s); err != nil {
			return err
		}
	}
	return nil
}

// columns returns the header of the segment table: the fixed columns
// around the document attributes. An attribute whose name clashes with a
// fixed column gets " (attribute)" appended.
func (t *segmentTable) columns() []string {
	fixed := map[string]bool{"document": true, "code": true, "coder": true, "coder_name": true, "start": true, "end": true, "text": true, "memo": true}
	cols := []string{"document"}
	for _, a := range t.attrNames {
		if fixed[strings.ToLower(a)] {
			a += " (attribute)"
		}
		cols = append(cols, a)
	}
	return append(cols, "code", "coder", "coder_name", "start", "end", "text", "memo")
}

// names returns the path of a code as a list of names (its id alone for a
// code the codebook lacks).
func (t *segmentTable) names(codeID string) []string {
	if names, ok := t.pathNames[codeID]; ok {
		return names
	}
	return []string{codeID}
}
