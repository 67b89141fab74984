package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"

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
	if formats.ImportFormat(path) == "" {
		_, err := app.ReadImport(path, nil, 0, opts, app.ImportRules{Projects: true})
		return nil, plain(err)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, errUnwrapPath(err))
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, errUnwrapPath(err))
	}
	if info.IsDir() {
		return nil, fmt.Errorf("%s: is a folder; name the files in it", path)
	}
	if info.Size() > maxImportFile {
		return nil, fmt.Errorf("%s: too large (%d bytes, at most %d)", path, info.Size(), int64(maxImportFile))
	}
	rules := app.ImportRules{Projects: true, ReadPDF: func(string, io.ReaderAt, int64) (*coding.Document, error) { return m.readPDF(path) }}
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

// readPDF extracts a PDF's text with the system's pdftotext (from
// poppler-utils): Concord has no PDF reader of its own.
func (m *Main) readPDF(path string) (*coding.Document, error) {
	return m.pdfDocument(path, path)
}

// readPDFUpload is readPDF for a file uploaded to the server: pdftotext
// reads a temporary copy; errors and the title name the upload.
func (m *Main) readPDFUpload(name string, data []byte) (*coding.Document, error) {
	f, err := os.CreateTemp("", "concord-upload-*.pdf")
	if err != nil {
		return nil, err
	}
	defer os.Remove(f.Name())
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	d, err := m.pdfDocument(name, f.Name())
	if err != nil && coding.ErrorCode(err) == coding.EINTERNAL {
		// pdfDocument's messages are for a person; the server shows
		// only application errors.
		return nil, coding.Errorf(coding.EINVALID, "%s", strings.ReplaceAll(err.Error(), f.Name(), name))
	}
	return d, err
}

// pdfDocument reads the PDF at path into a document named after name.
func (m *Main) pdfDocument(name, path string) (*coding.Document, error) {
	look := m.LookPath
	if look == nil {
		look = exec.LookPath
	}
	bin, err := look("pdftotext")
	if err != nil {
		return nil, fmt.Errorf("%s: cannot read PDF files without pdftotext; install it (on Debian and Ubuntu: apt-get install poppler-utils) or save the document as text", name)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var out, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "-enc", "UTF-8", "-q", "--", path, "-")
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		if i := strings.IndexByte(msg, '\n'); i > 0 {
			msg = msg[:i]
		}
		return nil, fmt.Errorf("%s: pdftotext could not read it (%s)", name, msg)
	}
	text, err := formats.DecodeText(name, out.Bytes())
	if err != nil {
		return nil, plain(err)
	}
	// Pages end in form feeds; a reader sees a line break.
	text = strings.ReplaceAll(text, "\f", "\n")
	if strings.TrimSpace(text) == "" {
		return nil, fmt.Errorf("%s: has no text to read (is it a scan? run text recognition on it first)", name)
	}
	d, err := formats.NewImportedDocument(name, "", strings.TrimRight(text, "\n")+"\n")
	return d, plain(err)
}

func errUnwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
