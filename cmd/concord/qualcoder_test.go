package main

import (
	"bytes"
	"encoding/xml"
	"io"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/concordqda/concord/coding"
)

// This file re-implements, in Go, the rules by which QualCoder's REFI-QDA
// importer (ccbogel/QualCoder, src/qualcoder/refi.py, RefiImport) reads a
// QDPX, so that a test can say what a QualCoder user gets from Concord's
// export without QualCoder at hand:
//
//   - Codes: a Code with isCodable="false" is a category, any other a
//     code; names are unique in QualCoder's tables, so a second code (or
//     category) of a name already taken is not added and its GUID is never
//     mapped: codings of it are lost.
//   - Sources: a TextSource's text is read from sources/ + the part of
//     plainTextPath after "internal:/"; its Description becomes the file's
//     memo; a PlainTextSelection with Codings becomes coded text (the
//     selection's Description as the coding memo, the selection's
//     creatingUser's name as owner, code points as positions); one without
//     Codings becomes an annotation; a NoteRef marks the note it names as
//     an annotation of the source; a VariableValue becomes a file
//     attribute.
//   - Cases: a named Case becomes a case, its values case attributes, and
//     every variable it uses turns into a case variable; an unnamed Case
//     with one SourceRef gives file attributes.
//   - Notes: a note a source refers to is an annotation, inserted only
//     when it holds PlainTextContent and a PlainTextSelection; any other
//     note with a plainTextPath and a name other than "" is a journal whose
//     entry is the text of that file.
//   - The project's Description is the project memo.

type qcNode struct {
	name     string // local name; the namespace is checked while parsing
	attrs    map[string]string
	text     string
	children []*qcNode
}

func (n *qcNode) attr(name string) (string, bool) { v, ok := n.attrs[name]; return v, ok }

func (n *qcNode) kids(name string) []*qcNode {
	var out []*qcNode
	for _, c := range n.children {
		if c.name == name {
			out = append(out, c)
		}
	}
	return out
}

// parseQCTree reads XML into a tree as ElementTree does; QualCoder matches
// tags as {urn:QDA-XML:project:1.0}Name, so an element in another
// namespace is invisible to it and left out here too.
func parseQCTree(data []byte) (*qcNode, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	var stack []*qcNode
	var root *qcNode
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return root, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &qcNode{name: t.Name.Local, attrs: map[string]string{}}
			if t.Name.Space != "urn:QDA-XML:project:1.0" {
				n.name = "{" + t.Name.Space + "}" + t.Name.Local
			}
			for _, a := range t.Attr {
				if a.Name.Space == "" {
					n.attrs[a.Name.Local] = a.Value
				}
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			// ElementTree's .text is the text before the first child.
			if len(stack) == 0 {
				continue
			}
			if n := stack[len(stack)-1]; len(n.children) == 0 {
				n.text += string(t)
			}
		}
	}
}

type (
	qcCoding struct {
		Code, File string
		Pos0, Pos1 int
		SelText    string
		Owner      string
		Memo       string
	}
	qcAnnotation struct {
		File        string
		Pos0, Pos1  int
		Memo, Owner string
	}
	qcJournal   struct{ Name, Entry, Owner string }
	qcAttribute struct {
		Name, Type, Value, Of string // Of: the file or case name
	}
	qcSource struct{ Name, Memo, Text string }
	// qualCoderProject is what QualCoder's tables hold after the import.
	qualCoderProject struct {
		ProjectMemo    string
		Categories     []string
		Codes          []string
		Sources        []qcSource
		Codings        []qcCoding
		Annotations    []qcAnnotation
		Journals       []qcJournal
		Attributes     []qcAttribute
		AttributeTypes map[string]string // name → "file" or "case"
		Cases          []string
	}
)

// readAsQualCoder imports a QDPX, given as its entries, by QualCoder's
// rules.
func readAsQualCoder(t *testing.T, entries map[string][]byte) *qualCoderProject {
	t.Helper()
	files := map[string]string{}
	for name, b := range entries {
		files[name] = string(b)
	}
	// The sources folder is "sources" when the archive has one, else
	// "Sources".
	sourcesDir := "Sources"
	for name := range files {
		if strings.HasPrefix(name, "sources/") {
			sourcesDir = "sources"
		}
	}
	readInternal := func(p string) (string, bool) {
		_, after, ok := strings.Cut(p, "internal:/")
		if !ok {
			return "", false
		}
		text, ok := files[path.Clean(sourcesDir+after)]
		return text, ok
	}
	root, err := parseQCTree([]byte(files["project.qde"]))
	if err != nil {
		t.Fatalf("project.qde: %v", err)
	}
	q := &qualCoderProject{AttributeTypes: map[string]string{}}
	users := map[string]string{}
	ownerOf := func(n *qcNode) string {
		g, ok := n.attr("creatingUser")
		if !ok {
			g = n.attrs["modifyingUser"]
		}
		if name, ok := users[g]; ok {
			return name
		}
		return "default"
	}
	for _, us := range root.kids("Users") {
		for _, u := range us.kids("User") {
			users[u.attrs["guid"]] = u.attrs["name"]
		}
	}
	codeByGUID := map[string]string{}
	takenCode, takenCat := map[string]bool{}, map[string]bool{}
	var subCodes func(n *qcNode)
	subCodes = func(n *qcNode) {
		name, hasName := n.attr("name")
		if n.attrs["isCodable"] == "false" {
			if hasName && !takenCat[name] {
				takenCat[name] = true
				q.Categories = append(q.Categories, name)
			}
		} else if hasName && !takenCode[name] {
			takenCode[name] = true
			q.Codes = append(q.Codes, name)
			codeByGUID[n.attrs["guid"]] = name
		}
		for _, c := range n.kids("Code") {
			subCodes(c)
		}
	}
	for _, cb := range root.kids("CodeBook") {
		if len(cb.children) > 0 {
			for _, c := range cb.children[0].children {
				subCodes(c)
			}
		}
	}
	variables := map[string]string{}
	for _, vs := range root.kids("Variables") {
		for _, v := range vs.kids("Variable") {
			variables[v.attrs["guid"]] = v.attrs["name"]
			q.AttributeTypes[v.attrs["name"]] = "file"
		}
	}
	for _, d := range root.kids("Description") {
		q.ProjectMemo = d.text
	}
	valueOf := func(vv *qcNode) (name, value string) {
		for _, c := range vv.children {
			switch c.name {
			case "VariableRef":
				name = variables[c.attrs["targetGUID"]]
			case "TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue", "DateTimeValue":
				value = strings.TrimSpace(c.text)
			}
		}
		return name, value
	}
	// Unnamed cases with one SourceRef hold file variables.
	type fileVar struct{ file, name, value string }
	var fileVars []fileVar
	for _, cs := range root.kids("Cases") {
		for _, c := range cs.kids("Case") {
			if _, named := c.attr("name"); named {
				continue
			}
			refs := c.kids("SourceRef")
			if len(refs) != 1 {
				continue
			}
			for _, vv := range c.kids("VariableValue") {
				n, v := valueOf(vv)
				fileVars = append(fileVars, fileVar{refs[0].attrs["targetGUID"], n, v})
			}
		}
	}
	sourceName := map[string]string{}
	annotationOf := map[string]string{} // note GUID → source name
	for _, ss := range root.kids("Sources") {
		for _, s := range ss.kids("TextSource") {
			name := s.attrs["name"]
			for _, other := range q.Sources {
				if other.Name == name {
					name = "1_" + name
					break
				}
			}
			src := qcSource{Name: name}
			for _, d := range s.kids("Description") {
				src.Memo = d.text
			}
			text, ok := readInternal(s.attrs["plainTextPath"])
			if !ok {
				t.Fatalf("QualCoder cannot open the text of source %q (%s)", name, s.attrs["plainTextPath"])
			}
			if strings.Contains(text, "\r\n") {
				t.Fatalf("source %q ends lines with CRLF; QualCoder would shift every position", name)
			}
			src.Text = text
			q.Sources = append(q.Sources, src)
			sourceName[s.attrs["guid"]] = name
			runes := []rune(text)
			for _, sel := range s.kids("PlainTextSelection") {
				p0, _ := strconv.Atoi(sel.attrs["startPosition"])
				p1, _ := strconv.Atoi(sel.attrs["endPosition"])
				memo := ""
				for _, d := range sel.kids("Description") {
					memo = d.text
				}
				codings := sel.kids("Coding")
				for _, c := range codings {
					code, ok := codeByGUID[c.kids("CodeRef")[0].attrs["targetGUID"]]
					if !ok {
						continue // cid None: QualCoder has no code to put it under
					}
					q.Codings = append(q.Codings, qcCoding{code, name, p0, p1, string(runes[min(p0, len(runes)):min(p1, len(runes))]), ownerOf(sel), memo})
				}
				if len(codings) == 0 {
					q.Annotations = append(q.Annotations, qcAnnotation{name, p0, p1, memo, ownerOf(sel)})
				}
			}
			for _, ref := range s.kids("NoteRef") {
				annotationOf[ref.attrs["targetGUID"]] = name
			}
			for _, vv := range s.kids("VariableValue") {
				n, v := valueOf(vv)
				q.Attributes = append(q.Attributes, qcAttribute{n, "file", v, name})
			}
		}
	}
	for _, ns := range root.kids("Notes") {
		for _, n := range ns.kids("Note") {
			if file, ok := annotationOf[n.attrs["guid"]]; ok {
				content, sels := n.kids("PlainTextContent"), n.kids("PlainTextSelection")
				if len(content) > 0 && len(sels) > 0 {
					p0, _ := strconv.Atoi(sels[len(sels)-1].attrs["startPosition"])
					p1, _ := strconv.Atoi(sels[len(sels)-1].attrs["endPosition"])
					owner, ok := users[n.attrs["modifyingUser"]]
					if !ok {
						owner, ok = users[n.attrs["creatingUser"]]
					}
					if !ok {
						owner = "default"
					}
					q.Annotations = append(q.Annotations, qcAnnotation{file, p0, p1, content[len(content)-1].text, owner})
				}
				continue
			}
			p, hasPath := n.attr("plainTextPath")
			if name, ok := n.attr("name"); hasPath && (!ok || name != "") {
				entry, _ := readInternal(p)
				q.Journals = append(q.Journals, qcJournal{name, entry, ownerOf(n)})
			}
		}
	}
	for _, fv := range fileVars {
		if name, ok := sourceName[fv.file]; ok {
			q.Attributes = append(q.Attributes, qcAttribute{fv.name, "file", fv.value, name})
		}
	}
	for _, cs := range root.kids("Cases") {
		for _, c := range cs.kids("Case") {
			name, named := c.attr("name")
			if !named {
				continue
			}
			q.Cases = append(q.Cases, name)
			for _, vv := range c.kids("VariableValue") {
				n, v := valueOf(vv)
				q.Attributes = append(q.Attributes, qcAttribute{n, "case", v, name})
				q.AttributeTypes[n] = "case"
			}
		}
	}
	return q
}

// QualCoder, reading Concord's QDPX of the demo project (with the memos
// interopDemoDB adds), gets every memo
// (project and code memos as journals, the span memo as an annotation, the
// document memo as the file's memo), the document attributes as file
// attributes, every code and every coding.
func TestQDPXAsQualCoderReadsIt(t *testing.T) {
	src := interopDemoDB(t)
	file := filepath.Join(t.TempDir(), "demo.qdpx")
	mustRun(t, "export", "--project", "peer-support", "-o", file, "--db", src)
	q := readAsQualCoder(t, zipEntries(t, file))
	st, err := openDB(src)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := st.ProjectBySlug("peer-support")
	d, err := st.ProjectData(p.ID, coding.CodingFilter{})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}

	names := map[string]string{}
	for _, u := range d.Users {
		names[u.ID] = u.Name
	}
	titles := map[string]string{}
	for _, doc := range d.Documents {
		titles[doc.ID] = doc.Title
	}
	journals := map[string]qcJournal{}
	for _, j := range q.Journals {
		journals[j.Name] = j
	}
	for _, m := range d.Memos {
		switch {
		case m.Anchored():
			want := qcAnnotation{titles[m.DocumentID], m.Start, m.End, m.Text, names[m.AuthorID]}
			found := false
			for _, a := range q.Annotations {
				found = found || a == want
			}
			if !found {
				t.Errorf("span memo %q: QualCoder's annotations are %+v, want %+v among them", m.Title, q.Annotations, want)
			}
		case m.DocumentID != "":
			for _, s := range q.Sources {
				if s.Name == titles[m.DocumentID] && !strings.Contains(s.Memo, m.Text) {
					t.Errorf("document memo %q: QualCoder's memo of %q is %q, want it to hold %q", m.Title, s.Name, s.Memo, m.Text)
				}
			}
		default:
			if j := journals[m.Title]; j.Entry != m.Text || j.Owner != names[m.AuthorID] {
				t.Errorf("memo %q: QualCoder's journal is %+v, want entry %q by %q", m.Title, j, m.Text, names[m.AuthorID])
			}
		}
	}
	if len(q.Journals) != 2 || len(q.Annotations) != 1 {
		t.Errorf("QualCoder has %d journals and %d annotations, want 2 (the project and code memos) and 1 (the span memo)", len(q.Journals), len(q.Annotations))
	}

	want := map[qcAttribute]bool{}
	for _, doc := range d.Documents {
		for k, v := range doc.Attributes {
			want[qcAttribute{k, "file", v, doc.Title}] = true
		}
	}
	got := map[qcAttribute]bool{}
	for _, a := range q.Attributes {
		got[a] = true
		if !want[a] {
			t.Errorf("QualCoder has attribute %+v, which the project does not", a)
		}
	}
	for a := range want {
		if !got[a] {
			t.Errorf("QualCoder lacks the document attribute %+v", a)
		}
	}
	for name, kind := range q.AttributeTypes {
		if kind != "file" {
			t.Errorf("QualCoder files variable %q under %s attributes, want file", name, kind)
		}
	}
	if len(q.Cases) > 0 {
		t.Errorf("QualCoder made cases %q of a project that has none", q.Cases)
	}

	if got, want := len(q.Codes)+len(q.Categories), len(d.Codes); got != want {
		t.Errorf("QualCoder has %d codes and categories, want %d", got, want)
	}
	if len(q.Codings) != len(d.Codings) {
		t.Errorf("QualCoder has %d codings, want %d", len(q.Codings), len(d.Codings))
	}
	text := map[string]string{}
	for _, doc := range d.Documents {
		text[doc.Title] = doc.Text
	}
	for _, c := range q.Codings {
		if c.SelText != coding.Slice(text[c.File], c.Pos0, c.Pos1) || c.Owner == "default" {
			t.Errorf("QualCoder's coding %+v does not match the document's text or names no coder", c)
			break
		}
	}
	if q.ProjectMemo != d.Project.Description {
		t.Errorf("QualCoder's project memo is %q, want %q", q.ProjectMemo, d.Project.Description)
	}
}

// Two codes of one name under different parents are legal in REFI-QDA,
// but QualCoder keeps the first and loses the second's codings: the
// export warns of exactly that.
func TestQDPXWarnsOfNamesQualCoderDrops(t *testing.T) {
	src := interopDemoDB(t)
	st, err := openDB(src)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := st.ProjectBySlug("peer-support")
	lead, _ := st.UserByLogin("lead")
	d, err := st.ProjectData(p.ID, coding.CodingFilter{})
	if err != nil {
		t.Fatal(err)
	}
	cb := d.Codebook()
	var first, otherParent *coding.Code
	cb.Walk(func(c *coding.Code, _ int) {
		if first == nil && c.Codable && c.ParentID != "" {
			first = c
		}
	})
	cb.Walk(func(c *coding.Code, _ int) {
		if otherParent == nil && c.ParentID == "" && c.ID != first.ParentID {
			otherParent = c
		}
	})
	twin := &coding.Code{ProjectID: p.ID, ParentID: otherParent.ID, Name: first.Name, Codable: true}
	if _, err := st.CreateCode(twin, lead.ID); err != nil {
		t.Fatal(err)
	}
	doc := d.Documents[0]
	if _, err := st.AddCoding(&coding.Coding{ProjectID: p.ID, DocumentID: doc.ID, CodeID: twin.ID, CoderID: lead.ID, Start: 0, End: 20}, lead.ID); err != nil {
		t.Fatal(err)
	}
	st.Close()

	file := filepath.Join(t.TempDir(), "twins.qdpx")
	_, stderr, err := run(t, "", "export", "--project", "peer-support", "-o", file, "--db", src)
	want := "warning: 2 codes are named " + strconv.Quote(first.Name) + " (" + cb.PathString(first.ID) + "; " + otherParent.Name + " › " + first.Name + "): QualCoder keeps only the first"
	if err != nil || !strings.Contains(stderr, want) {
		t.Fatalf("concord export: %v, standard error:\n%s\nwant %q", err, stderr, want)
	}
	q := readAsQualCoder(t, zipEntries(t, file))
	for _, c := range q.Codings {
		if c.File == doc.Title && c.Pos0 == 0 && c.Pos1 == 20 && c.Owner == lead.Name {
			t.Errorf("QualCoder kept the coding of the second %q: %+v; the warning would be wrong", first.Name, c)
		}
	}
	if got, want := len(q.Codings), len(d.Codings); got != want {
		t.Errorf("QualCoder has %d codings, want the %d before the twin was added", got, want)
	}
}
