package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/concordqda/concord/coding"
)

// attrFlag collects repeated --attr key=value flags.
type attrFlag map[string]string

func (a attrFlag) String() string { return fmt.Sprint(map[string]string(a)) }

func (a attrFlag) Set(v string) error {
	k, val, ok := strings.Cut(v, "=")
	if !ok || strings.TrimSpace(k) == "" {
		return fmt.Errorf("%q must look like key=value", v)
	}
	a[strings.TrimSpace(k)] = strings.TrimSpace(val)
	return nil
}

func (m *Main) importCmd(args []string) error {
	fs := m.flags("import", "import --project SLUG [--attr key=value]... FILE...")
	db := m.dbFlag(fs)
	project := fs.String("project", "", "slug of the project to import into")
	attrs := attrFlag{}
	fs.Var(attrs, "attr", "a document attribute for every imported file, as key=value (repeatable)")
	files, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *project == "" {
		return usagef("import needs --project SLUG")
	}
	if len(files) == 0 {
		return usagef("import needs at least one file")
	}
	// Read and check every file before storing any, so that one bad file
	// leaves the project unchanged.
	docs := make([]coding.Document, 0, len(files))
	for _, path := range files {
		d, err := readDocument(path)
		if err != nil {
			return err
		}
		for k, v := range attrs {
			d.Attributes[k] = v
		}
		docs = append(docs, *d)
	}
	st, err := openDB(*db)
	if err != nil {
		return err
	}
	defer st.Close()
	p, err := st.ProjectBySlug(*project)
	if err != nil {
		return fmt.Errorf("%s (create it first with: concord projects create %s --name NAME --lead LOGIN)", coding.ErrorMessage(err), *project)
	}
	members, err := st.Members(p.ID)
	if err != nil {
		return err
	}
	actor := ""
	for _, mb := range members {
		if mb.Role == coding.RoleLead {
			actor = mb.UserID
			break
		}
	}
	if err := st.AddDocuments(p.ID, docs, actor); err != nil {
		return err
	}
	for _, d := range docs {
		fmt.Fprintf(m.Stdout, "Imported %q (%d characters).\n", d.Title, utf8.RuneCountInString(d.Text))
	}
	return nil
}

// readDocument reads a plain-text or Markdown file into a document: the
// title is the first Markdown heading, else the file name.
func readDocument(path string) (*coding.Document, error) {
	ext := strings.ToLower(filepath.Ext(path))
	switch ext {
	case ".txt", ".text", ".md", ".markdown", "":
	default:
		return nil, fmt.Errorf("%s: cannot import %s files yet; use plain text (.txt) or Markdown (.md)", path, ext)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, errUnwrapPath(err))
	}
	return parseDocument(path, data)
}

// parseDocument turns the bytes of a text or Markdown file into a document;
// errors name the file (and the line, where there is one).
func parseDocument(path string, data []byte) (*coding.Document, error) {
	ext := strings.ToLower(filepath.Ext(path))
	if len(data) > coding.MaxDocumentBytes {
		return nil, fmt.Errorf("%s: too large (%d bytes, at most %d)", path, len(data), coding.MaxDocumentBytes)
	}
	if line := invalidUTF8Line(data); line > 0 {
		return nil, fmt.Errorf("%s:%d: not valid UTF-8 text; save the file as UTF-8 and try again", path, line)
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return nil, fmt.Errorf("%s:%d: contains a NUL byte; is this a text file?", path, bytes.Count(data[:i], []byte("\n"))+1)
	}
	text := coding.NormalizeText(string(data))
	title := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	if ext == ".md" || ext == ".markdown" {
		for _, line := range strings.Split(text, "\n") {
			if h := strings.TrimSpace(strings.TrimLeft(line, "#")); strings.HasPrefix(line, "#") && h != "" {
				title = h
				break
			}
		}
	}
	if strings.TrimSpace(text) == "" {
		return nil, fmt.Errorf("%s: the file is empty", path)
	}
	d := &coding.Document{Title: title, Text: text, Source: filepath.Base(path), Attributes: map[string]string{}}
	if err := d.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %s", path, coding.ErrorMessage(err))
	}
	return d, nil
}

// invalidUTF8Line returns the 1-based line of the first invalid UTF-8
// sequence in data, or 0 when data is valid.
func invalidUTF8Line(data []byte) int {
	if utf8.Valid(data) {
		return 0
	}
	line := 1
	for len(data) > 0 {
		r, n := utf8.DecodeRune(data)
		if r == utf8.RuneError && n <= 1 {
			return line
		}
		if r == '\n' {
			line++
		}
		data = data[n:]
	}
	return line
}

func errUnwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
