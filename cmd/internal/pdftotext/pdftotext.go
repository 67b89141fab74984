// Package pdftotext reads the text of PDF files with the system's
// pdftotext (from poppler-utils): Concord has no PDF reader of its own.
package pdftotext

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/concordqda/concord/coding"
	"github.com/concordqda/concord/coding/formats"
)

// Reader reads PDFs into documents. Its errors are coding errors whose
// messages name the file and say what to do.
type Reader struct {
	// LookPath finds pdftotext; nil means exec.LookPath (tests pass one
	// that finds nothing).
	LookPath func(file string) (string, error)
	// Timeout bounds one file's extraction; 0 means five minutes.
	Timeout time.Duration
}

// File reads the PDF at path into a document titled after name.
func (r Reader) File(name, path string) (*coding.Document, error) {
	look := r.LookPath
	if look == nil {
		look = exec.LookPath
	}
	bin, err := look("pdftotext")
	if err != nil {
		return nil, coding.Errorf(coding.EINVALID, "%s: cannot read PDF files without pdftotext; install it (on Debian and Ubuntu: apt-get install poppler-utils) or save the document as text", name)
	}
	timeout := r.Timeout
	if timeout == 0 {
		timeout = 5 * time.Minute
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
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
		return nil, coding.Errorf(coding.EINVALID, "%s: pdftotext could not read it (%s)", name, strings.ReplaceAll(msg, path, name))
	}
	text, err := formats.DecodeText(name, out.Bytes())
	if err != nil {
		return nil, err
	}
	// Pages end in form feeds; a reader sees a line break.
	text = strings.ReplaceAll(text, "\f", "\n")
	if strings.TrimSpace(text) == "" {
		return nil, coding.Errorf(coding.EINVALID, "%s: has no text to read (is it a scan? run text recognition on it first)", name)
	}
	return formats.NewImportedDocument(name, "", strings.TrimRight(text, "\n")+"\n")
}

// Bytes reads an uploaded PDF: pdftotext reads a temporary copy, and the
// title and errors name the upload.
func (r Reader) Bytes(name string, data []byte) (*coding.Document, error) {
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
	return r.File(name, f.Name())
}
