package pdftotext

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/concordqda/concord/coding"
)

// An upload pdftotext cannot read, or a machine without pdftotext, gets a
// message that names the upload (never the temporary copy) and what to do.
func TestErrorsNameTheUpload(t *testing.T) {
	missing := Reader{LookPath: func(string) (string, error) { return "", exec.ErrNotFound }}
	_, err := missing.Bytes("scan.pdf", []byte("%PDF-1.4"))
	if coding.ErrorCode(err) != coding.EINVALID || !strings.Contains(coding.ErrorMessage(err), "scan.pdf: cannot read PDF files without pdftotext; install it") {
		t.Errorf("without pdftotext: %v", err)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext is not installed (apt-get install poppler-utils)")
	}
	_, err = Reader{}.Bytes("broken.pdf", []byte("%PDF-1.4 nonsense"))
	msg := coding.ErrorMessage(err)
	if coding.ErrorCode(err) != coding.EINVALID || !strings.HasPrefix(msg, "broken.pdf: ") || strings.Contains(msg, "concord-upload-") {
		t.Errorf("a broken PDF: %v", err)
	}
}
