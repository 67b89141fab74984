package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/concordqda/concord/cmd/internal/cli"
	"github.com/concordqda/concord/cmd/internal/pdftotext"
	"github.com/concordqda/concord/coding"
	"github.com/concordqda/concord/coding/app"
	"github.com/concordqda/concord/coding/formats"
)

// maxImportFile bounds the size of one file to import: a document is at
// most 16 MiB of text, but a QDPX with its sources, or a survey CSV with
// thousands of answers, may be larger.
const maxImportFile = 2 << 30

// readImport reads one file into a project part: documents only (text,
// Markdown, HTML, DOCX, ODT, PDF, survey CSV), or a project or codebook
// from another tool (QDPX, QDE, QDC). Errors name the file.
func (m *Main) readImport(path string, opts formats.ImportOptions) (*coding.ProjectData, error) {
	rules := app.ImportRules{Projects: true, ReadPDF: func(string, io.ReaderAt, int64) (*coding.Document, error) { return m.readPDF(path) }}
	// Said before the file is opened: a file of a kind Concord cannot
	// read is named as such even when it does not exist.
	if err := app.CheckImportName(path, rules); err != nil {
		return nil, plain(err)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, cli.UnwrapPath(err))
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, cli.UnwrapPath(err))
	}
	if info.IsDir() {
		return nil, fmt.Errorf("%s: is a folder; name the files in it", path)
	}
	if info.Size() > maxImportFile {
		return nil, fmt.Errorf("%s: too large (%d bytes, at most %d)", path, info.Size(), int64(maxImportFile))
	}
	d, err := app.ReadImport(path, f, info.Size(), opts, rules)
	return d, plain(err)
}

// parseDocument turns the bytes of one document file (text, Markdown,
// HTML, DOCX, ODT) into a document; errors name the file (and the line,
// where there is one).
func parseDocument(path string, data []byte) (*coding.Document, error) {
	docs, err := formats.ImportDocuments(path, data, formats.ImportOptions{})
	if err != nil {
		return nil, plain(err)
	}
	if len(docs) != 1 {
		return nil, fmt.Errorf("%s: holds %d documents, not one", path, len(docs))
	}
	return &docs[0], nil
}

// plain turns an application error into one that prints as its message
// alone: import errors already name the file and say what is wrong.
func plain(err error) error {
	var e *coding.Error
	if errors.As(err, &e) {
		return errors.New(e.Message)
	}
	return err
}

// pdf is how the command reads PDF files.
func (m *Main) pdf() pdftotext.Reader { return pdftotext.Reader{LookPath: m.LookPath} }

// readPDF reads the PDF at path; errors print as their message.
func (m *Main) readPDF(path string) (*coding.Document, error) {
	d, err := m.pdf().File(path, path)
	return d, plain(err)
}
