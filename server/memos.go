package server

import (
	"net/http"

	"github.com/concordqda/concord/coding"
)

func (s *Server) handleMemos(w http.ResponseWriter, r *http.Request, c *caller) {
	all, err := s.store.Memos(c.project.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := []coding.Memo{}
	for _, m := range all {
		if c.sees(m.AuthorID) {
			out = append(out, m)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"memos": out})
}

type memoRequest struct {
	Document string `json:"document"`
	Code     string `json:"code"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	Title    string `json:"title"`
	Text     string `json:"text"`
}

// handleSaveMemo creates (POST) or replaces (PUT …/{id}) a memo; only its
// author may replace it.
func (s *Server) handleSaveMemo(w http.ResponseWriter, r *http.Request, c *caller) {
	var req memoRequest
	if err := decodeBody(r, s.opts.MaxBody, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	m := &coding.Memo{ProjectID: c.project.ID, DocumentID: req.Document, CodeID: req.Code, Start: req.Start, End: req.End, Title: req.Title, Text: req.Text, AuthorID: c.user.ID}
	if id := r.PathValue("id"); id != "" {
		old, err := s.memo(c, id)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if old.AuthorID != c.user.ID {
			s.writeError(w, r, coding.Errorf(coding.EFORBIDDEN, "only the author of a memo can change it"))
			return
		}
		m.ID = id
	}
	if _, err := s.store.SaveMemo(m, c.user.ID); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"memo": m})
}

func (s *Server) handleDeleteMemo(w http.ResponseWriter, r *http.Request, c *caller) {
	m, err := s.memo(c, r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if m.AuthorID != c.user.ID && c.role != coding.RoleLead {
		s.writeError(w, r, coding.Errorf(coding.EFORBIDDEN, "only the author of a memo or a lead can delete it"))
		return
	}
	if _, err := s.store.DeleteMemo(c.project.ID, m.ID, c.user.ID); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"memo": m})
}

func (s *Server) memo(c *caller, id string) (*coding.Memo, error) {
	all, err := s.store.Memos(c.project.ID)
	if err != nil {
		return nil, err
	}
	for i := range all {
		if all[i].ID == id && c.sees(all[i].AuthorID) {
			return &all[i], nil
		}
	}
	return nil, coding.Errorf(coding.ENOTFOUND, "memo %s does not exist", id)
}
