package server

import (
	"errors"
	"mime"
	"net/http"
	"strings"

	"github.com/concordqda/concord/coding"
	"github.com/concordqda/concord/coding/app"
	"github.com/concordqda/concord/coding/formats"
)

// handleExport streams the project in one of coding.ExportFormats as a
// download, for leads and coders. ?coder= (a login, a user id or
// "consensus", among the project's layers) keeps one layer.
// In a blind project a coder gets only their own layer and memos, as from
// every other read. What the format cannot carry of the project comes
// with the download as the X-Concord-Warnings header; ?dry_run=1 answers
// {"warnings": [...]} instead of the file, so that the UI can ask first.
func (s *Server) handleExport(w http.ResponseWriter, r *http.Request, c *caller) {
	if !c.role.CanCode() {
		s.writeError(w, r, coding.Errorf(coding.EFORBIDDEN, "only leads and coders can export this project"))
		return
	}
	q := r.URL.Query()
	f, ok := formats.FindExportFormat(q.Get("format"))
	if !ok {
		s.writeError(w, r, coding.Errorf(coding.EINVALID, "format must be one of %s", strings.ReplaceAll(formats.ExportFormatNames(), "|", ", ")))
		return
	}
	var filter coding.CodingFilter
	layer := ""
	if coder := strings.TrimSpace(q.Get("coder")); coder != "" {
		id, name, err := app.ResolveCoder(s.store, c.project.ID, coder)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		filter.CoderID, layer = id, name
	}
	if c.blinded() {
		if filter.CoderID != "" && filter.CoderID != c.user.ID {
			s.writeError(w, r, coding.Errorf(coding.EFORBIDDEN, "this project is blind: you can export only your own codings"))
			return
		}
		filter.CoderID, layer = c.user.ID, c.user.Login
	}
	d, err := s.store.ProjectData(c.project.ID, filter)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.narrowExport(r, d); err != nil {
		s.writeError(w, r, err)
		return
	}
	memos := d.Memos[:0]
	for _, m := range d.Memos {
		if c.sees(m.AuthorID) {
			memos = append(memos, m)
		}
	}
	d.Memos = memos
	d.Assignments = visibleAssignments(c, d.Assignments)
	warnings := f.Warnings(d)
	if q.Get("dry_run") == "1" {
		if warnings == nil {
			warnings = []string{}
		}
		writeJSON(w, http.StatusOK, map[string][]string{"warnings": warnings})
		return
	}
	lw := &lazyWriter{w: w, header: func(h http.Header) {
		if len(warnings) > 0 {
			h.Set(warningsHeader, warningsHeaderValue(warnings))
		}
		h.Set("Content-Type", f.ContentType)
		h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.FileName(c.project.Slug, layer)}))
		h.Set("Cache-Control", "no-store")
	}}
	if err := f.Write(lw, d); err != nil {
		if !lw.started {
			s.writeError(w, r, err)
			return
		}
		// The client has part of the file; all that is left is to stop.
		s.log.Warn("export interrupted", "project", c.project.Slug, "format", f.Name, "err", err)
	}
}

// narrowExport keeps only the codings that the retrieval filters select
// (?code= with its sub-codes unless &descendants=false, ?document=,
// ?attr=name:value), so that a download holds what the coded-segments
// view shows. Documents, codes and memos stay whole: a filtered QDPX is
// still a project.
func (s *Server) narrowExport(r *http.Request, d *coding.ProjectData) error {
	q := r.URL.Query()
	if q.Get("code") == "" && q.Get("document") == "" && len(q["attr"]) == 0 && len(q["set"]) == 0 {
		return nil
	}
	sq, err := s.parseSegmentQuery(r, d.Codebook())
	if err != nil {
		return err
	}
	// The layer is the export's own ?coder=, already applied with the
	// blind rules; here it may be a login, which the filter does not know.
	sq.filter.CoderID = ""
	docs := map[string]bool{}
	for i := range d.Documents {
		if sq.matchDoc(&d.Documents[i]) {
			docs[d.Documents[i].ID] = true
		}
	}
	kept := d.Codings[:0]
	for i := range d.Codings {
		if docs[d.Codings[i].DocumentID] && sq.filter.Match(&d.Codings[i]) {
			kept = append(kept, d.Codings[i])
		}
	}
	d.Codings = kept
	return nil
}

// lazyWriter sends the response header with the first byte of the body, so
// that an export that fails before writing anything can still answer with
// an error.
type lazyWriter struct {
	w       http.ResponseWriter
	header  func(http.Header)
	started bool
}

func (l *lazyWriter) Write(p []byte) (int, error) {
	if !l.started {
		l.started = true
		l.header(l.w.Header())
		l.w.WriteHeader(http.StatusOK)
	}
	if len(p) == 0 {
		return 0, nil
	}
	n, err := l.w.Write(p)
	if err != nil {
		return n, errors.Join(errClientGone, err)
	}
	return n, nil
}

var errClientGone = errors.New("the client stopped reading")
