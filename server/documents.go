package server

import (
	"net/http"

	"github.com/concordqda/concord/coding"
)

type documentView struct {
	coding.Document
	Progress map[string]*coding.Progress `json:"progress"`
	// Started is how many coders have coded the document at all (the
	// consensus layer is not a coder). It is all a blinded coder learns
	// of the others: their progress entries carry where their furthest
	// coding ends and how many they made.
	Started int `json:"started"`
}

func (s *Server) handleDocuments(w http.ResponseWriter, r *http.Request, c *caller) {
	docs, err := s.store.Documents(c.project.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	byDoc, err := s.store.Progress(c.project.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := make([]documentView, 0, len(docs))
	for _, d := range docs {
		all := byDoc[d.ID]
		v := documentView{Document: d, Progress: all}
		for coder := range all {
			if coder != coding.ConsensusCoder {
				v.Started++
			}
		}
		if c.blinded() {
			v.Progress = map[string]*coding.Progress{}
			if mine := all[c.user.ID]; mine != nil {
				v.Progress[c.user.ID] = mine
			}
		}
		if v.Progress == nil {
			v.Progress = map[string]*coding.Progress{}
		}
		out = append(out, v)
	}
	writeJSON(w, http.StatusOK, map[string]any{"documents": out})
}

func (s *Server) handleDocument(w http.ResponseWriter, r *http.Request, c *caller) {
	d, err := s.store.Document(c.project.ID, r.PathValue("did"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"document": d})
}

// visibleCodings reads codings with f and drops those the caller may not see.
func (s *Server) visibleCodings(c *caller, f coding.CodingFilter) ([]coding.Coding, error) {
	if c.blinded() {
		if f.CoderID != "" && f.CoderID != c.user.ID {
			return []coding.Coding{}, nil
		}
		f.CoderID = c.user.ID
	}
	cs, err := s.store.Codings(c.project.ID, f)
	if cs == nil {
		cs = []coding.Coding{}
	}
	return cs, err
}

func (s *Server) handleDocumentCodings(w http.ResponseWriter, r *http.Request, c *caller) {
	did := r.PathValue("did")
	if _, err := s.store.Document(c.project.ID, did); err != nil {
		s.writeError(w, r, err)
		return
	}
	// The position is read before the codings: a change committed in
	// between is then both in the answer and after seq, and a client
	// skipping events up to seq applies it again (harmless) rather than
	// never.
	seq, err := s.store.LastSeq(c.project.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	cs, err := s.visibleCodings(c, coding.CodingFilter{DocumentID: did, CoderID: r.URL.Query().Get("coder")})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	// seq is a cursor for a blinded caller (cursor.go).
	writeCodings(w, cs, s.hub.cursors.position(seq, c.blinded()))
}

type documentRequest struct {
	Title      string            `json:"title"`
	Text       string            `json:"text"`
	Attributes map[string]string `json:"attributes"`
	Source     string            `json:"source"`
}

func (s *Server) handleAddDocument(w http.ResponseWriter, r *http.Request, c *caller) {
	var req documentRequest
	if err := decodeBody(r, s.opts.MaxDocument, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	d := &coding.Document{ProjectID: c.project.ID, Title: req.Title, Text: coding.NormalizeText(req.Text), Attributes: req.Attributes, Source: req.Source}
	if _, err := s.store.AddDocument(d, c.user.ID); err != nil {
		s.writeError(w, r, err)
		return
	}
	d.Text = ""
	writeJSON(w, http.StatusCreated, map[string]any{"document": d})
}

type documentPatch struct {
	Title      *string            `json:"title"`
	Attributes *map[string]string `json:"attributes"`
	Folder     *string            `json:"folder"`
	Sets       *[]string          `json:"sets"`
}

func (s *Server) handleUpdateDocument(w http.ResponseWriter, r *http.Request, c *caller) {
	var req documentPatch
	if err := decodeBody(r, s.opts.MaxBody, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	d, err := s.store.Document(c.project.ID, r.PathValue("did"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	req.apply(d)
	if _, err := s.store.UpdateDocument(d, c.user.ID); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"document": d})
}
