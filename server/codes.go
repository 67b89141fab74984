package server

import (
	"net/http"

	"github.com/concordqda/concord/coding"
)

func (s *Server) handleCodes(w http.ResponseWriter, r *http.Request, c *caller) {
	codes, err := s.store.Codes(c.project.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if codes == nil {
		codes = []coding.Code{}
	}
	used := make([]string, len(codes))
	for i, code := range codes {
		used[i] = code.Colour
	}
	// next_colour is what a new code without a colour would get, so that
	// the UI's "new code" form proposes the colour the store would choose.
	writeJSON(w, http.StatusOK, map[string]any{"codes": codes, "next_colour": coding.NextCodeColour(used)})
}

type codeRequest struct {
	Parent      *string `json:"parent"`
	Name        *string `json:"name"`
	Colour      *string `json:"colour"`
	Description *string `json:"description"`
	Order       *int    `json:"order"`
	Codable     *bool   `json:"codable"`
}

func (req *codeRequest) apply(c *coding.Code) {
	if req.Parent != nil {
		c.ParentID = *req.Parent
	}
	if req.Name != nil {
		c.Name = *req.Name
	}
	if req.Colour != nil {
		c.Colour = *req.Colour
	}
	if req.Description != nil {
		c.Description = *req.Description
	}
	if req.Order != nil {
		c.Order = *req.Order
	}
	if req.Codable != nil {
		c.Codable = *req.Codable
	}
}

func (s *Server) handleCreateCode(w http.ResponseWriter, r *http.Request, c *caller) {
	var req codeRequest
	if err := decodeBody(r, s.opts.MaxBody, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	code := &coding.Code{ProjectID: c.project.ID, Codable: true}
	req.apply(code)
	if _, err := s.store.CreateCode(code, c.user.ID); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"code": code})
}

func (s *Server) findCode(projectID, id string) (*coding.Code, error) {
	codes, err := s.store.Codes(projectID)
	if err != nil {
		return nil, err
	}
	for i := range codes {
		if codes[i].ID == id {
			return &codes[i], nil
		}
	}
	return nil, coding.Errorf(coding.ENOTFOUND, "code %s does not exist", id)
}

func (s *Server) handleUpdateCode(w http.ResponseWriter, r *http.Request, c *caller) {
	var req codeRequest
	if err := decodeBody(r, s.opts.MaxBody, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	code, err := s.findCode(c.project.ID, r.PathValue("cid"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	req.apply(code)
	if _, err := s.store.UpdateCode(code, c.user.ID); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"code": code})
}

// handleDeleteCode needs to be told what happens to the code's codings:
// ?codings=delete, or ?move_to=CODE. Without either it refuses, so a code
// is never deleted from under its codings by accident.
func (s *Server) handleDeleteCode(w http.ResponseWriter, r *http.Request, c *caller) {
	q := r.URL.Query()
	moveTo := q.Get("move_to")
	if moveTo == "" && q.Get("codings") != "delete" {
		s.writeError(w, r, coding.Errorf(coding.EINVALID, "say what should happen to the codings of this code and its sub-codes: add ?codings=delete or ?move_to=CODE_ID"))
		return
	}
	res, _, err := s.store.DeleteCode(c.project.ID, r.PathValue("cid"), moveTo, c.user.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

type mergeRequest struct {
	Into string `json:"into"`
}

func (s *Server) handleMergeCode(w http.ResponseWriter, r *http.Request, c *caller) {
	var req mergeRequest
	if err := decodeBody(r, s.opts.MaxBody, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	res, _, err := s.store.MergeCodes(c.project.ID, r.PathValue("cid"), req.Into, c.user.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}
