package coding

import (
	"fmt"
	"strings"
)

// ProjectData is a whole project in memory: what an export reads and what
// an import produces. Documents carry their text.
type ProjectData struct {
	Project Project
	// Users are the people the data names: coders of codings and authors
	// of memos (exports), or the users a file brings along (imports).
	Users     []User
	Documents []Document
	Codes     []Code
	Codings   []Coding
	Memos     []Memo
	// Assignments are the documents assigned to and marked done by each
	// coder (exports only; imports leave them empty).
	Assignments []Assignment
	// Warnings says what an import changed or left out, one sentence
	// each (nothing that would make it refuse the file).
	Warnings []string
}

// ConsensusUser is the user that stands for the consensus layer in exports,
// so that formats which name every coder can name it too.
func ConsensusUser() User {
	return User{ID: ConsensusCoder, Login: "consensus", Name: "Consensus"}
}

// Warnf adds a warning about the data, up to a limit: an importer says
// what it left out or changed.
func (d *ProjectData) Warnf(format string, args ...any) {
	const max = 200
	switch {
	case len(d.Warnings) < max:
		d.Warnings = append(d.Warnings, fmt.Sprintf(format, args...))
	case len(d.Warnings) == max:
		d.Warnings = append(d.Warnings, "further warnings left out")
	}
}

// Codebook builds the codebook tree of d's codes.
func (d *ProjectData) Codebook() *Codebook { return NewCodebook(d.Codes) }

// Validate checks everything the store would check before it writes d as a
// new project, so that an import can refuse a file before it touches the
// database: documents, codes and memos are valid, titles unique, the
// codebook a tree without sibling name clashes, and every coding valid and
// unique. Coders and authors may be empty (the importer fills them in).
func (d *ProjectData) Validate() error {
	titles := map[string]bool{}
	docs := make(map[string]*Document, len(d.Documents))
	for i := range d.Documents {
		doc := &d.Documents[i]
		if err := doc.Validate(); err != nil {
			return err
		}
		key := strings.ToLower(doc.Title)
		if titles[key] {
			return Errorf(ECONFLICT, "two documents are titled %q", doc.Title)
		}
		titles[key] = true
		if docs[doc.ID] != nil {
			return Errorf(ECONFLICT, "two documents have the id %s", doc.ID)
		}
		docs[doc.ID] = doc
	}
	byID := map[string]*Code{}
	for i := range d.Codes {
		c := &d.Codes[i]
		if err := c.Validate(); err != nil {
			return err
		}
		if byID[c.ID] != nil {
			return Errorf(ECONFLICT, "two codes have the id %s", c.ID)
		}
		byID[c.ID] = c
	}
	cb := NewCodebook(d.Codes)
	siblings := map[[2]string]bool{}
	for i := range d.Codes {
		c := &d.Codes[i]
		if c.ParentID != "" && byID[c.ParentID] == nil {
			return Errorf(ENOTFOUND, "the parent of code %q does not exist", c.Name)
		}
		if c.ParentID != "" && cb.IsAncestor(c.ID, c.ParentID) {
			return Errorf(EINVALID, "code %q is its own ancestor", c.Name)
		}
		key := [2]string{c.ParentID, strings.ToLower(c.Name)}
		if siblings[key] {
			return Errorf(ECONFLICT, "two codes named %q share a parent", c.Name)
		}
		siblings[key] = true
	}
	seen := make(map[SpanKey]bool, len(d.Codings))
	ids := make(map[string]bool, len(d.Codings))
	for i := range d.Codings {
		c := d.Codings[i]
		if c.CoderID == "" {
			c.CoderID = "?" // filled in by the importer
		}
		if err := ValidateCoding(&c, docs[c.DocumentID], cb); err != nil {
			return Errorf(ErrorCode(err), "coding %d: %s", i+1, ErrorMessage(err))
		}
		if seen[c.Key()] {
			return Errorf(ECONFLICT, "coding %d repeats another's code, coder and span", i+1)
		}
		seen[c.Key()] = true
		if c.ID != "" {
			if ids[c.ID] {
				return Errorf(ECONFLICT, "two codings have the id %s", c.ID)
			}
			ids[c.ID] = true
		}
	}
	for i := range d.Memos {
		m := &d.Memos[i]
		if err := m.Validate(); err != nil {
			return err
		}
		if m.DocumentID != "" && docs[m.DocumentID] == nil {
			return Errorf(ENOTFOUND, "memo %q is about a document that does not exist", m.Title)
		}
		if m.CodeID != "" && byID[m.CodeID] == nil {
			return Errorf(ENOTFOUND, "memo %q is about a code that does not exist", m.Title)
		}
	}
	return nil
}
