package formats

import (
	"path/filepath"
	"strings"

	"github.com/concordqda/concord/coding"
)

// ImportOptions tune how files are read.
type ImportOptions struct {
	// TextColumn names the CSV column that holds the answers; "" picks
	// the column with the most text.
	TextColumn string
	// Zip bounds what an archive (DOCX, ODT, QDPX) may expand to; the
	// zero value means DefaultZipLimits.
	Zip ZipLimits
}

// Import formats, by the file name extension that selects them.
var (
	documentExts = map[string]string{
		".txt": "text", ".text": "text", "": "text",
		".md": "markdown", ".markdown": "markdown",
		".html": "html", ".htm": "html", ".xhtml": "html",
		".docx": "docx", ".odt": "odt",
		".csv": "csv", ".tsv": "csv",
	}
	projectExts = map[string]string{".qdpx": "qdpx", ".zip": "qdpx", ".qde": "qde", ".qdc": "qdc"}
)

// ImportFormat names the format Concord reads a file in, from its
// extension: "text", "markdown", "html", "docx", "odt", "csv" (documents),
// "qdpx", "qde", "qdc" (projects and codebooks), "pdf" (read by the
// command line through pdftotext), or "" for anything else.
func ImportFormat(name string) string {
	ext := strings.ToLower(filepath.Ext(name))
	if f, ok := documentExts[ext]; ok {
		return f
	}
	if f, ok := projectExts[ext]; ok {
		return f
	}
	if ext == ".pdf" {
		return "pdf"
	}
	return ""
}

// ImportDocuments reads a document file (text, Markdown, HTML, DOCX, ODT,
// or a CSV of survey answers) into documents: one, or one per CSV row.
// Errors name the file, and the line or entry where there is one.
func ImportDocuments(name string, data []byte, opts ImportOptions) ([]coding.Document, error) {
	var (
		d   *coding.Document
		err error
	)
	switch f := ImportFormat(name); f {
	case "text":
		d, err = ImportText(name, data)
	case "markdown":
		d, err = ImportMarkdown(name, data)
	case "html":
		d, err = ImportHTML(name, data)
	case "docx":
		d, err = ImportDOCX(name, data, opts.Zip)
	case "odt":
		d, err = ImportODT(name, data, opts.Zip)
	case "csv":
		return ImportCSV(name, data, opts.TextColumn)
	default:
		return nil, coding.Errorf(coding.EINVALID, "%s: cannot import %s files as documents; use plain text, Markdown, HTML, DOCX, ODT, PDF or CSV", name, displayExt(name))
	}
	if err != nil {
		return nil, err
	}
	return []coding.Document{*d}, nil
}

func displayExt(name string) string {
	if ext := filepath.Ext(name); ext != "" {
		return ext
	}
	return "these"
}

// ImportText reads a plain-text file: the title is the file name.
func ImportText(name string, data []byte) (*coding.Document, error) {
	text, err := DecodeText(name, data)
	if err != nil {
		return nil, err
	}
	return NewImportedDocument(name, "", text)
}

// ImportMarkdown reads a Markdown file, kept as it is: the title is the
// first heading, else the file name.
func ImportMarkdown(name string, data []byte) (*coding.Document, error) {
	text, err := DecodeText(name, data)
	if err != nil {
		return nil, err
	}
	text = coding.NormalizeText(text)
	title := ""
	for _, line := range strings.Split(text, "\n") {
		if h := strings.TrimSpace(strings.TrimLeft(line, "#")); strings.HasPrefix(line, "#") && h != "" {
			title = h
			break
		}
	}
	return NewImportedDocument(name, title, text)
}

// NewImportedDocument makes a document of text read from the file name:
// the text is normalized (NormalizeText), the title defaults to the file
// name without its extension and is shortened to fit, and the result is
// validated. Errors name the file.
func NewImportedDocument(name, title, text string) (*coding.Document, error) {
	text = coding.NormalizeText(text)
	if strings.TrimSpace(text) == "" {
		return nil, coding.Errorf(coding.EINVALID, "%s: the file is empty", name)
	}
	base := filepath.Base(name)
	title = strings.Join(strings.Fields(title), " ")
	if title == "" {
		title = strings.TrimSuffix(base, filepath.Ext(base))
	}
	if strings.TrimSpace(title) == "" {
		title = base
	}
	title, _ = clipText(title, 300)
	d := &coding.Document{ID: coding.NewID(), Title: title, Text: text, Source: coding.ClipRunes(base, 1000), Attributes: map[string]string{}}
	if err := d.Validate(); err != nil {
		return nil, coding.Errorf(coding.ErrorCode(err), "%s: %s", name, coding.ErrorMessage(err))
	}
	return d, nil
}
