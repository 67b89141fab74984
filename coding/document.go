package coding

import (
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxDocumentBytes is the default upper bound on a document's text.
const MaxDocumentBytes = 16 << 20

// Document is one transcript or text. Length is the text's length in code
// points, the unit of every coding offset.
type Document struct {
	ID         string            `json:"id"`
	ProjectID  string            `json:"project"`
	Title      string            `json:"title"`
	Text       string            `json:"text,omitempty"`
	Length     int               `json:"length"`
	Attributes map[string]string `json:"attributes"`
	Source     string            `json:"source"`
	Created    time.Time         `json:"created"`
	// Folder groups documents on the documents page; a document is in at
	// most one ("" for none). Sets are named groups a document may be in
	// several of, to filter by.
	Folder string   `json:"folder,omitempty"`
	Sets   []string `json:"sets,omitempty"`
}

// NormalizeText prepares imported text for storage: it strips byte order
// marks at the start (a text never starts with U+FEFF) and turns CRLF and lone CR line ends into LF, so that offsets mean
// the same thing in every tool that reads the text back.
func NormalizeText(s string) string {
	for strings.HasPrefix(s, "\ufeff") {
		s = s[len("\ufeff"):]
	}
	i := strings.IndexByte(s, '\r')
	if i < 0 {
		return s
	}
	// One pass: imports normalize hundreds of megabytes.
	var b strings.Builder
	b.Grow(len(s))
	for i >= 0 {
		b.WriteString(s[:i])
		b.WriteByte('\n')
		s = s[i+1:]
		if len(s) > 0 && s[0] == '\n' {
			s = s[1:]
		}
		i = strings.IndexByte(s, '\r')
	}
	b.WriteString(s)
	return b.String()
}

// Validate reports whether the document can be stored, and sets Length.
func (d *Document) Validate() error {
	if err := checkText("document title", d.Title, 1, 300); err != nil {
		return err
	}
	if len(d.Text) > MaxDocumentBytes {
		return Errorf(ETOOLARGE, "document %q is too large (%d bytes, at most %d)", d.Title, len(d.Text), MaxDocumentBytes)
	}
	// One pass less than checkText: the text is the largest thing Concord
	// validates, and its length is needed anyway.
	if !utf8.ValidString(d.Text) {
		return Errorf(EINVALID, "document text of %s is not valid UTF-8 text", quote(d.Title))
	}
	if strings.IndexByte(d.Text, 0) >= 0 {
		return Errorf(EINVALID, "document text of %s contains a NUL character", quote(d.Title))
	}
	if err := checkText("document source", d.Source, 0, 1000); err != nil {
		return err
	}
	if len(d.Attributes) > 100 {
		return Errorf(EINVALID, "document %q has too many attributes (at most 100)", d.Title)
	}
	for k, v := range d.Attributes {
		if err := checkText("attribute name", k, 1, 100); err != nil {
			return err
		}
		if err := checkText("attribute "+quote(k), v, 0, 1000); err != nil {
			return err
		}
	}
	if err := d.validateGroups(); err != nil {
		return err
	}
	d.Length = utf8.RuneCountInString(d.Text)
	return nil
}

// AttributeNames returns the sorted union of attribute names of docs.
func AttributeNames(docs []Document) []string {
	seen := map[string]bool{}
	for _, d := range docs {
		for k := range d.Attributes {
			seen[k] = true
		}
	}
	names := make([]string, 0, len(seen))
	for k := range seen {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

func quote(s string) string {
	if utf8.RuneCountInString(s) > 40 {
		s = string([]rune(s)[:40]) + "…"
	}
	return `"` + s + `"`
}
