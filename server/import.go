package server

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/concordqda/concord/coding"
	"github.com/concordqda/concord/coding/app"
	"github.com/concordqda/concord/coding/formats"
)

// maxImportFiles bounds how many files one upload may hold.
const maxImportFiles = 200

// uploadHeader must accompany a multipart upload: a form on another site
// can post multipart bodies, but cannot set a header without a preflight,
// which the server never allows.
const uploadHeader = "X-Concord-Upload"

// upload is one file of an import request.
type upload struct {
	name string
	data []byte
}

// readUploads reads the files of a multipart/form-data body (parts named
// "file"; an optional "text_column" field), at most limit bytes in all.
// Errors name the file they are about.
func readUploads(contentType string, body io.Reader, limit int64) ([]upload, string, error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return nil, "", coding.Errorf(coding.EINVALID, "send the files as multipart/form-data, in fields named \"file\"")
	}
	mr := multipart.NewReader(body, params["boundary"])
	var files []upload
	textColumn := ""
	left := limit
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, "", uploadError("", limit, err)
		}
		field := part.FormName()
		name := filepath.Base(strings.ReplaceAll(part.FileName(), "\\", "/"))
		data, err := io.ReadAll(io.LimitReader(part, left+1))
		part.Close()
		if err != nil {
			return nil, "", uploadError(displayName(name, field), limit, err)
		}
		if int64(len(data)) > left {
			return nil, "", uploadError(displayName(name, field), limit, &http.MaxBytesError{Limit: limit})
		}
		left -= int64(len(data))
		switch {
		case field == "text_column":
			if !utf8.Valid(data) || len(data) > 300 {
				return nil, "", coding.Errorf(coding.EINVALID, "text_column must be a column name of at most 300 bytes of UTF-8")
			}
			textColumn = strings.TrimSpace(string(data))
		case field == "file":
			if part.FileName() == "" || name == "." || name == "/" || !utf8.ValidString(name) {
				return nil, "", coding.Errorf(coding.EINVALID, "every file needs a file name, in UTF-8")
			}
			if len(files) == maxImportFiles {
				return nil, "", coding.Errorf(coding.ETOOLARGE, "at most %d files at once", maxImportFiles)
			}
			files = append(files, upload{name: name, data: data})
		default:
			return nil, "", coding.Errorf(coding.EINVALID, "unknown field %q: send files as \"file\" and the CSV answer column as \"text_column\"", field)
		}
	}
	if len(files) == 0 {
		return nil, "", coding.Errorf(coding.EINVALID, "choose at least one file to import")
	}
	return files, textColumn, nil
}

// uploadError says why reading the body failed: it was larger than the
// server takes, or it broke off or is malformed.
func uploadError(name string, limit int64, err error) error {
	prefix := ""
	if name != "" {
		prefix = name + ": "
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return coding.Errorf(coding.ETOOLARGE, "%sthe upload is too large (at most %d bytes in all); send fewer or smaller files", prefix, limit)
	}
	return coding.Errorf(coding.EINVALID, "%sthe upload is malformed or was cut short; please try again", prefix)
}

func displayName(name, field string) string {
	if name == "" || name == "." {
		return field
	}
	return name
}

// readUpload turns one uploaded file into what it brings. Projects from
// other tools are refused: importing one creates accounts for its coders,
// which is the command line's job (an administrator's).
func (s *Server) readUpload(f upload, opts formats.ImportOptions) (*coding.ProjectData, error) {
	rules := app.ImportRules{}
	if s.opts.ReadPDF != nil {
		rules.ReadPDF = func(name string, _ io.ReaderAt, _ int64) (*coding.Document, error) {
			return s.opts.ReadPDF(name, f.data)
		}
	}
	return app.ReadImport(f.name, bytes.NewReader(f.data), int64(len(f.data)), opts, rules)
}

// importedDocument is what the answer says of each new document.
type importedDocument struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Source string `json:"source"`
	Length int    `json:"length"`
}

// handleImport reads uploaded files with the importers the command line
// uses and adds their documents (and a codebook's codes) to the project in
// one transaction: every file or none.
func (s *Server) handleImport(w http.ResponseWriter, r *http.Request, c *caller) {
	files, textColumn, err := readUploads(r.Header.Get("Content-Type"), http.MaxBytesReader(w, r.Body, s.opts.MaxDocument+1<<20), s.opts.MaxDocument)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	opts := formats.ImportOptions{TextColumn: textColumn}
	parts := make([]*coding.ProjectData, 0, len(files))
	for _, f := range files {
		part, err := s.readUpload(f, opts)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		for i := range part.Warnings {
			part.Warnings[i] = f.name + ": " + part.Warnings[i]
		}
		parts = append(parts, part)
	}
	d, err := app.MergeIntoProject(s.store, c.project.ID, parts)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if len(d.Documents) == 0 && len(d.Codes) == 0 {
		s.writeError(w, r, coding.Errorf(coding.EINVALID, "the files hold nothing new: no documents, and no codes the codebook lacks"))
		return
	}
	if err := s.store.ImportDocuments(c.project.ID, d.Documents, d.Codes, c.user.ID); err != nil {
		s.writeError(w, r, err)
		return
	}
	out := make([]importedDocument, 0, len(d.Documents))
	for _, doc := range d.Documents {
		out = append(out, importedDocument{ID: doc.ID, Title: doc.Title, Source: doc.Source, Length: utf8.RuneCountInString(doc.Text)})
	}
	warnings := d.Warnings
	if warnings == nil {
		warnings = []string{}
	}
	writeJSON(w, http.StatusCreated, map[string]any{"documents": out, "codes": len(d.Codes), "warnings": warnings})
}
