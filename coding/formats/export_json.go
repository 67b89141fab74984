package formats

import (
	"bufio"
	"encoding/json"
	"io"
	"time"

	"github.com/concordqda/concord/coding"
)

// The shapes of the JSON export; field names are its documented format.
type (
	jsonExportProject struct {
		Name        string    `json:"name"`
		Slug        string    `json:"slug"`
		Description string    `json:"description"`
		Created     time.Time `json:"created"`
	}
	jsonExportCoder struct {
		ID    string `json:"id"`
		Login string `json:"login"`
		Name  string `json:"name"`
	}
	jsonExportDocument struct {
		ID         string            `json:"id"`
		Title      string            `json:"title"`
		Length     int               `json:"length"`
		Attributes map[string]string `json:"attributes"`
		Source     string            `json:"source"`
	}
	jsonExportCode struct {
		ID     string `json:"id"`
		Parent string `json:"parent,omitempty"`
		Name   string `json:"name"`
		Path   string `json:"path"`
		// PathNames is the path as a list, each name exactly as it is.
		PathNames   []string `json:"path_names"`
		Colour      string   `json:"colour"`
		Description string   `json:"description"`
		Codable     bool     `json:"codable"`
	}
	jsonExportCoding struct {
		ID            string `json:"id"`
		Document      string `json:"document"`
		DocumentTitle string `json:"document_title"`
		Code          string `json:"code"`
		CodePath      string `json:"code_path"`
		// CodePathNames is CodePath as a list, each name exactly as it is.
		CodePathNames []string  `json:"code_path_names"`
		Coder         string    `json:"coder"`
		CoderName     string    `json:"coder_name"`
		Start         int       `json:"start"`
		End           int       `json:"end"`
		Text          string    `json:"text"`
		Memo          string    `json:"memo"`
		Created       time.Time `json:"created"`
	}
	jsonExportAssignment struct {
		Document   string    `json:"document"`
		Coder      string    `json:"coder"`
		CoderName  string    `json:"coder_name"`
		Assigned   bool      `json:"assigned"`
		AssignedAt time.Time `json:"assigned_at,omitzero"`
		Done       bool      `json:"done"`
		DoneAt     time.Time `json:"done_at,omitzero"`
	}
	jsonExportMemo struct {
		ID string `json:"id"`
		// Kind says what the memo is about (MemoProject, MemoDocument,
		// MemoSpan, MemoCode), so a reader need not infer it.
		Kind     string `json:"kind"`
		Document string `json:"document,omitempty"`
		Code     string `json:"code,omitempty"`
		// Start and End anchor a span memo, in code points like codings;
		// nil for the other kinds, since 0 is a real start.
		Start   *int      `json:"start,omitempty"`
		End     *int      `json:"end,omitempty"`
		Author  string    `json:"author"`
		Title   string    `json:"title"`
		Text    string    `json:"text"`
		Created time.Time `json:"created"`
		Updated time.Time `json:"updated"`
	}
)

// WriteJSON writes the project as one JSON object with "project",
// "coders", "documents" (without their text), "codes" (with their paths, as an escaped string (FormatPath) and as a list of names),
// "codings", "memos" (a span memo with its start and end) and "assignments" (document id, coder login and
// name, assigned, done, and when). Each coding has its id, document (id) and
// document_title, code (id), code_path and code_path_names, coder (login) and coder_name,
// start and end (code points, half-open), text and memo. It is written as
// it goes, so large projects need little memory.
func WriteJSON(w io.Writer, d *coding.ProjectData) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	t := newSegmentTable(d)
	p := d.Project
	bw.WriteString(`{"project":`)
	if err := enc.Encode(jsonExportProject{p.Name, p.Slug, p.Description, p.Created}); err != nil {
		return err
	}
	list := func(key string, n int, item func(i int) any) error {
		bw.WriteString(`,"` + key + `":[`)
		for i := 0; i < n; i++ {
			if i > 0 {
				bw.WriteByte(',')
			}
			if err := enc.Encode(item(i)); err != nil {
				return err
			}
		}
		_, err := bw.WriteString("]\n")
		return err
	}
	users := exportUsers(d, t.users)
	if err := list("coders", len(users), func(i int) any {
		return jsonExportCoder{users[i].ID, users[i].Login, users[i].Name}
	}); err != nil {
		return err
	}
	if err := list("documents", len(d.Documents), func(i int) any {
		doc := &d.Documents[i]
		attrs := doc.Attributes
		if attrs == nil {
			attrs = map[string]string{}
		}
		return jsonExportDocument{doc.ID, doc.Title, doc.Length, attrs, doc.Source}
	}); err != nil {
		return err
	}
	var codes []*coding.Code
	t.cb.Walk(func(c *coding.Code, _ int) { codes = append(codes, c) })
	if err := list("codes", len(codes), func(i int) any {
		c := codes[i]
		return jsonExportCode{c.ID, c.ParentID, c.Name, t.paths[c.ID], t.names(c.ID), c.Colour, c.Description, c.Codable}
	}); err != nil {
		return err
	}
	bw.WriteString(`,"codings":[`)
	first := true
	err := t.each(func(s *segmentRow) error {
		if !first {
			bw.WriteByte(',')
		}
		first = false
		c := s.coding
		return enc.Encode(jsonExportCoding{c.ID, c.DocumentID, s.doc.Title, c.CodeID, s.path, t.names(c.CodeID),
			s.coder.Login, s.coder.Name, c.Start, c.End, s.text, c.Memo, c.Created})
	})
	if err != nil {
		return err
	}
	bw.WriteString("]\n")
	if err := list("memos", len(d.Memos), func(i int) any {
		m := &d.Memos[i]
		out := jsonExportMemo{ID: m.ID, Kind: m.Kind(), Document: m.DocumentID, Code: m.CodeID, Author: t.users.get(m.AuthorID).Login,
			Title: m.Title, Text: m.Text, Created: m.Created, Updated: m.Updated}
		if m.Anchored() {
			out.Start, out.End = &m.Start, &m.End
		}
		return out
	}); err != nil {
		return err
	}
	if err := list("assignments", len(d.Assignments), func(i int) any {
		a := &d.Assignments[i]
		u := t.users.get(a.Coder)
		return jsonExportAssignment{a.Document, u.Login, u.Name, a.Assigned, a.AssignedAt, a.Done, a.DoneAt}
	}); err != nil {
		return err
	}
	bw.WriteString("}\n")
	return bw.Flush()
}
