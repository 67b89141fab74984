package server

import (
	"net/http"

	"github.com/concordqda/concord/coding"
)

// maxBatchDocuments bounds one attribute sheet's save.
const maxBatchDocuments = 10000

// documentsPatch is the attribute sheet's save: every document it changes,
// each with the fields it sets (as in documentPatch).
type documentsPatch struct {
	Documents []documentItemPatch `json:"documents"`
}

type documentItemPatch struct {
	ID string `json:"id"`
	documentPatch
}

// apply sets p's fields on d.
func (p *documentPatch) apply(d *coding.Document) {
	if p.Title != nil {
		d.Title = *p.Title
	}
	if p.Attributes != nil {
		d.Attributes = *p.Attributes
	}
	if p.Folder != nil {
		d.Folder = *p.Folder
	}
	if p.Sets != nil {
		d.Sets = *p.Sets
	}
}

// handleUpdateDocuments saves many documents' titles, attributes, folders
// and sets at once: one transaction, all or nothing, one document.updated
// event for each document that changed.
func (s *Server) handleUpdateDocuments(w http.ResponseWriter, r *http.Request, c *caller) {
	var req documentsPatch
	if err := decodeBody(r, s.opts.MaxDocument, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if len(req.Documents) == 0 {
		s.writeError(w, r, coding.Errorf(coding.EINVALID, "the request names no documents to change"))
		return
	}
	if len(req.Documents) > maxBatchDocuments {
		s.writeError(w, r, coding.Errorf(coding.EINVALID, "too many documents in one request (%d, at most %d)", len(req.Documents), maxBatchDocuments))
		return
	}
	docs, err := s.store.Documents(c.project.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	byID := make(map[string]coding.Document, len(docs))
	for _, d := range docs {
		byID[d.ID] = d
	}
	out := make([]coding.Document, 0, len(req.Documents))
	for i, p := range req.Documents {
		d, ok := byID[p.ID]
		if !ok {
			s.writeError(w, r, coding.Errorf(coding.ENOTFOUND, "document %d of the request (%.40q) does not exist in this project", i+1, p.ID))
			return
		}
		p.apply(&d)
		out = append(out, d)
	}
	if _, err := s.store.UpdateDocuments(c.project.ID, out, c.user.ID); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"documents": out})
}

type documentOrderRequest struct {
	Order []string `json:"order"`
}

// handleSetDocumentOrder stores the order of the project's documents,
// which the documents list, the reader and exports follow.
func (s *Server) handleSetDocumentOrder(w http.ResponseWriter, r *http.Request, c *caller) {
	var req documentOrderRequest
	if err := decodeBody(r, s.opts.MaxBody, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if _, err := s.store.SetDocumentOrder(c.project.ID, req.Order, c.user.ID); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"order": req.Order})
}

// handleDeleteDocument moves a document to the trash. Its codings and
// memos stay with it, out of sight, until a lead restores it.
func (s *Server) handleDeleteDocument(w http.ResponseWriter, r *http.Request, c *caller) {
	t, _, err := s.store.DeleteDocument(c.project.ID, r.PathValue("did"), c.user.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"trashed": t})
}

// handleRestoreDocument brings a document back from the trash.
func (s *Server) handleRestoreDocument(w http.ResponseWriter, r *http.Request, c *caller) {
	d, _, err := s.store.RestoreDocument(c.project.ID, r.PathValue("did"), c.user.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"document": d})
}

// handleTrash lists the project's deleted documents.
func (s *Server) handleTrash(w http.ResponseWriter, r *http.Request, c *caller) {
	list, err := s.store.Trash(c.project.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"trash": list})
}
