package app

import (
	"io"
	"path/filepath"

	"github.com/concordqda/concord/coding"
	"github.com/concordqda/concord/coding/formats"
)

// ImportRules say what reading an import may do beyond pure Go.
type ImportRules struct {
	// Projects allows whole projects from other QDA tools (QDPX, QDE).
	// They bring their coders' accounts along, so only an administrator
	// imports them, with the command line.
	Projects bool
	// ReadPDF extracts a PDF's text (the system's pdftotext); nil refuses
	// PDF files.
	ReadPDF func(name string, r io.ReaderAt, size int64) (*coding.Document, error)
}

// ReadImport turns one file into what it brings: documents (text,
// Markdown, HTML, DOCX, ODT, PDF, a survey CSV), the codes of a REFI-QDA
// codebook, or, where the rules allow, a project from another tool.
// Errors name the file.
func ReadImport(name string, r io.ReaderAt, size int64, opts formats.ImportOptions, rules ImportRules) (*coding.ProjectData, error) {
	if err := CheckImportName(name, rules); err != nil {
		return nil, err
	}
	format := formats.ImportFormat(name)
	switch format {
	case "qdpx", "qde":
		if !rules.Projects {
			return nil, coding.Errorf(coding.EINVALID, "%s: a whole project from another QDA tool brings its coders' accounts along; an administrator imports it with the command line (concord import)", name)
		}
		if format == "qdpx" {
			return formats.ReadQDPX(name, r, size, opts)
		}
	case "pdf":
		if rules.ReadPDF == nil {
			return nil, coding.Errorf(coding.EINVALID, "%s: this server cannot read PDF files (it needs pdftotext); save the document as text, DOCX or ODT", name)
		}
		d, err := rules.ReadPDF(name, r, size)
		if err != nil {
			return nil, err
		}
		return &coding.ProjectData{Documents: []coding.Document{*d}}, nil
	}
	data := make([]byte, size)
	if _, err := r.ReadAt(data, 0); err != nil && size > 0 {
		return nil, coding.Errorf(coding.EINVALID, "%s: cannot read it: %v", name, err)
	}
	switch format {
	case "qde":
		return formats.ReadQDE(name, data)
	case "qdc":
		return formats.ReadQDC(name, data)
	}
	docs, err := formats.ImportDocuments(name, data, opts)
	if err != nil {
		return nil, err
	}
	return &coding.ProjectData{Documents: docs}, nil
}

// CheckImportName says, from its name alone, whether a file is of a kind
// that can be imported; nil if it is.
func CheckImportName(name string, rules ImportRules) error {
	if formats.ImportFormat(name) != "" {
		return nil
	}
	if rules.Projects {
		return coding.Errorf(coding.EINVALID, "%s: cannot import %s files; use plain text, Markdown, HTML, DOCX, ODT, PDF, CSV, QDPX or QDC", name, extOf(name))
	}
	return coding.Errorf(coding.EINVALID, "%s: cannot import %s files; use plain text, Markdown, HTML, DOCX, ODT, PDF, CSV or a REFI-QDA codebook (.qdc)", name, extOf(name))
}

func extOf(name string) string {
	if ext := filepath.Ext(name); ext != "" {
		return ext
	}
	return "extensionless"
}

// ProjectContents is what merging an import into a project reads.
type ProjectContents interface {
	Codes(projectID string) ([]coding.Code, error)
	Documents(projectID string) ([]coding.Document, error)
}

// MergeIntoProject merges what several files bring into one addition to an
// existing project: codes it has at the same path are reused, titles it
// has get " (2)", and everything gets new ids (see formats.Merger).
func MergeIntoProject(st ProjectContents, projectID string, parts []*coding.ProjectData) (*coding.ProjectData, error) {
	codes, err := st.Codes(projectID)
	if err != nil {
		return nil, err
	}
	docs, err := st.Documents(projectID)
	if err != nil {
		return nil, err
	}
	return merge(formats.NewMerger(codes, docs, true), parts), nil
}

// merge adds the parts to a merger and returns what it made of them.
func merge(m *formats.Merger, parts []*coding.ProjectData) *coding.ProjectData {
	for _, part := range parts {
		m.Add(part)
	}
	return m.Result()
}
