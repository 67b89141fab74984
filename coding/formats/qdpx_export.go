package formats

import (
	"io"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/concordqda/concord/coding"
)

// Origin names Concord in the files it writes for other tools.
const Origin = "Concord"

const (
	projectNS         = "urn:QDA-XML:project:1.0"
	projectSchemaLoc  = "urn:QDA-XML:project:1.0 http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd"
	codebookNS        = "urn:QDA-XML:codebook:1.0"
	codebookSchemaLoc = "urn:QDA-XML:codebook:1.0 http://schema.qdasoftware.org/versions/Codebook/v1.0/Codebook.xsd"
	xsiNS             = "http://www.w3.org/2001/XMLSchema-instance"
)

// WriteQDPX writes d as a REFI-QDA project exchange file: a zip archive of
// project.qde and one sources/{GUID}.txt per document (UTF-8, no byte
// order mark, LF line ends: the text exactly as Concord stores it).
//
// The .qde holds the users (login as id, display name as name), the
// codebook as nested codes with colours, descriptions and isCodable, one
// PlainTextSelection per coding whose positions are Unicode code points
// into the .txt, as the standard says (§10.2), with the coding's memo as
// the selection's Description and its coder as creatingUser, the memos as
// notes referenced from the project, document or code they are about (see
// qdpx_notes.go), and document attributes as text variables on each
// source. Concord has no cases, so the file has none: a case per document
// would make QualCoder file the attributes under cases. GUIDs are
// Concord's ids, so a project exported and imported again keeps them.
func WriteQDPX(w io.Writer, d *coding.ProjectData) error {
	z := newZipWriter(w, d.Project.Created)
	f, err := z.create("project.qde")
	if err != nil {
		return err
	}
	if err := writeQDE(f, d); err != nil {
		return err
	}
	for i := range d.Documents {
		doc := &d.Documents[i]
		f, err := z.create("sources/" + guidOf("document", doc.ID) + ".txt")
		if err != nil {
			return err
		}
		if _, err := io.WriteString(f, doc.Text); err != nil {
			return err
		}
	}
	if err := writeNoteFiles(z, d.Memos); err != nil {
		return err
	}
	return z.close()
}

// guidOf returns id when it is a GUID, else a GUID derived from it, so
// that any ProjectData exports to a file the schema accepts.
func guidOf(kind, id string) string {
	if g, ok := coding.CanonicalGUID(id); ok {
		return g
	}
	return derivedID(kind + "/" + id)
}

// memosByTarget sorts memos by what they are about.
type memosByTarget struct {
	project []*coding.Memo
	doc     map[string][]*coding.Memo
	code    map[string][]*coding.Memo
}

func collectMemosByTarget(d *coding.ProjectData, docs, codes map[string]bool) memosByTarget {
	m := memosByTarget{doc: map[string][]*coding.Memo{}, code: map[string][]*coding.Memo{}}
	for i := range d.Memos {
		memo := &d.Memos[i]
		switch {
		case memo.DocumentID != "" && docs[memo.DocumentID]:
			m.doc[memo.DocumentID] = append(m.doc[memo.DocumentID], memo)
			if memo.CodeID != "" && codes[memo.CodeID] {
				m.code[memo.CodeID] = append(m.code[memo.CodeID], memo)
			}
		case memo.CodeID != "" && codes[memo.CodeID]:
			m.code[memo.CodeID] = append(m.code[memo.CodeID], memo)
		default:
			m.project = append(m.project, memo)
		}
	}
	return m
}

// exportUsers returns d's users followed by every other coder or author
// the data names (the consensus layer, people no longer in the project).
func exportUsers(d *coding.ProjectData, users userIndex) []*coding.User {
	var out []*coding.User
	seen := map[string]bool{}
	add := func(id string) {
		if id != "" && !seen[id] {
			seen[id] = true
			out = append(out, users.get(id))
		}
	}
	for i := range d.Users {
		add(d.Users[i].ID)
	}
	for i := range d.Codings {
		add(d.Codings[i].CoderID)
	}
	for i := range d.Memos {
		add(d.Memos[i].AuthorID)
	}
	return out
}

func writeQDE(w io.Writer, d *coding.ProjectData) error {
	x := newXMLWriter(w)
	cb := d.Codebook()
	users := newUserIndex(d)
	docs := map[string]bool{}
	for i := range d.Documents {
		docs[d.Documents[i].ID] = true
	}
	codes := map[string]bool{}
	for i := range d.Codes {
		codes[d.Codes[i].ID] = true
	}
	memos := collectMemosByTarget(d, docs, codes)

	x.raw(`<?xml version="1.0" encoding="utf-8"?>` + "\n<Project")
	x.attr("xmlns", projectNS)
	x.attr("xmlns:xsi", xsiNS)
	x.attr("xsi:schemaLocation", projectSchemaLoc)
	x.attr("name", d.Project.Name)
	x.attr("origin", Origin)
	x.attrTime("creationDateTime", d.Project.Created)
	x.raw(">\n")

	if us := usersWithWork(d, exportUsers(d, users)); len(us) > 0 {
		x.raw("<Users>\n")
		for _, u := range us {
			x.raw("<User")
			x.attr("guid", guidOf("user", u.ID))
			x.attr("name", u.Name)
			x.attr("id", u.Login)
			x.raw("/>\n")
		}
		x.raw("</Users>\n")
	}
	if cb.Len() > 0 {
		x.raw("<CodeBook><Codes>\n")
		writeCodes(x, cb, "", memos.code, true)
		x.raw("</Codes></CodeBook>\n")
	}
	attrNames := coding.AttributeNames(d.Documents)
	progress := assignmentVariables(d, users)
	varNames := attrNames
	if len(progress) > 0 {
		varNames = slices.Clone(attrNames)
		for _, name := range []string{VariableAssignedTo, VariableDoneBy} {
			if !slices.Contains(varNames, name) { // an attribute of that name gives way
				varNames = append(varNames, name)
			}
		}
	}
	if len(varNames) > 0 {
		x.raw("<Variables>\n")
		for _, name := range varNames {
			x.raw("<Variable")
			x.attr("guid", derivedID("variable/"+name))
			x.attr("name", name)
			x.attr("typeOfVariable", "Text")
			x.raw("/>\n")
		}
		x.raw("</Variables>\n")
	}
	if len(d.Documents) > 0 {
		x.raw("<Sources>\n")
		byDoc := map[string][]*coding.Coding{}
		for _, c := range sortedCodings(d, cb, users) {
			byDoc[c.DocumentID] = append(byDoc[c.DocumentID], c)
		}
		for i := range d.Documents {
			writeTextSource(x, &d.Documents[i], byDoc[d.Documents[i].ID], memos.doc[d.Documents[i].ID], progress[d.Documents[i].ID])
		}
		x.raw("</Sources>\n")
	}
	writeNotes(x, d.Memos)
	writeDocumentSets(x, d.Documents)
	if d.Project.Description != "" {
		x.element("Description", d.Project.Description)
		x.raw("\n")
	}
	writeNoteRefs(x, memos.project)
	x.raw("</Project>\n")
	return x.flush()
}

// writeCodes writes the children of parent, depth first; withNotes adds
// NoteRefs to code memos (a codebook file has no notes).
func writeCodes(x *xmlWriter, cb *coding.Codebook, parent string, notes map[string][]*coding.Memo, withNotes bool) {
	for _, c := range cb.Children(parent) {
		x.raw("<Code")
		x.attr("guid", guidOf("code", c.ID))
		x.attr("name", c.Name)
		if c.Codable {
			x.attr("isCodable", "true")
		} else {
			x.attr("isCodable", "false")
		}
		if c.Colour != "" {
			x.attr("color", c.Colour)
		}
		kids := cb.Children(c.ID)
		if c.Description == "" && len(kids) == 0 && (!withNotes || len(notes[c.ID]) == 0) {
			x.raw("/>\n")
			continue
		}
		x.raw(">")
		if c.Description != "" {
			x.element("Description", c.Description)
		}
		if withNotes {
			writeNoteRefs(x, notes[c.ID])
		}
		x.raw("\n")
		writeCodes(x, cb, c.ID, notes, withNotes)
		x.raw("</Code>\n")
	}
}

func writeNoteRefs(x *xmlWriter, memos []*coding.Memo) {
	for _, m := range memos {
		x.raw("<NoteRef")
		x.attr("targetGUID", guidOf("memo", m.ID))
		x.raw("/>")
	}
}

// The text variables of a source that say who was assigned it and who
// marked it done: the coders' logins, comma-separated.
const (
	VariableAssignedTo = "Concord: assigned to"
	VariableDoneBy     = "Concord: done by"
)

// assignmentVariables returns, per document with any assignment or done
// mark, its VariableAssignedTo and VariableDoneBy values.
func assignmentVariables(d *coding.ProjectData, users userIndex) map[string]map[string]string {
	assigned, done := map[string][]string{}, map[string][]string{}
	for _, a := range d.Assignments {
		login := users.get(a.Coder).Login
		if a.Assigned {
			assigned[a.Document] = append(assigned[a.Document], login)
		}
		if a.Done {
			done[a.Document] = append(done[a.Document], login)
		}
	}
	out := map[string]map[string]string{}
	for _, a := range d.Assignments {
		if out[a.Document] != nil || !a.Counts() {
			continue
		}
		logins := func(m map[string][]string) string {
			l := slices.Clone(m[a.Document])
			slices.Sort(l)
			return strings.Join(l, ", ")
		}
		out[a.Document] = map[string]string{VariableAssignedTo: logins(assigned), VariableDoneBy: logins(done)}
	}
	return out
}

func writeVariableValues(x *xmlWriter, attrs map[string]string) {
	names := make([]string, 0, len(attrs))
	for k := range attrs {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, name := range names {
		x.raw("<VariableValue><VariableRef")
		x.attr("targetGUID", derivedID("variable/"+name))
		x.raw("/>")
		x.element("TextValue", attrs[name])
		x.raw("</VariableValue>")
	}
}

// writeTextSource writes a document as a source; progress holds its
// Concord variables (see assignmentVariables), which go with its
// attributes.
func writeTextSource(x *xmlWriter, doc *coding.Document, codings []*coding.Coding, memos []*coding.Memo, progress map[string]string) {
	id := guidOf("document", doc.ID)
	x.raw("<TextSource")
	x.attr("guid", id)
	x.attr("name", doc.Title)
	x.attr("plainTextPath", "internal://"+id+".txt")
	x.attrTime("creationDateTime", doc.Created)
	x.raw(">\n")
	if desc := documentMemoDescription(memos); desc != "" {
		x.element("Description", desc)
	}
	for _, c := range codings {
		cid := guidOf("coding", c.ID)
		coder := guidOf("user", c.CoderID)
		x.raw("<PlainTextSelection")
		x.attr("guid", derivedID("selection/"+cid))
		x.attrInt("startPosition", c.Start)
		x.attrInt("endPosition", c.End)
		x.attr("creatingUser", coder)
		x.attrTime("creationDateTime", c.Created)
		x.raw(">")
		if c.Memo != "" {
			x.element("Description", c.Memo)
		}
		x.raw("<Coding")
		x.attr("guid", cid)
		x.attr("creatingUser", coder)
		x.attrTime("creationDateTime", c.Created)
		x.raw("><CodeRef")
		x.attr("targetGUID", guidOf("code", c.CodeID))
		x.raw("/></Coding></PlainTextSelection>\n")
	}
	writeNoteRefs(x, memos)
	values := doc.Attributes
	if len(progress) > 0 {
		values = maps.Clone(doc.Attributes)
		if values == nil {
			values = map[string]string{}
		}
		maps.Copy(values, progress)
	}
	writeVariableValues(x, values)
	x.raw("</TextSource>\n")
}
