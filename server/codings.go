package server

import (
	"net/http"
	"strings"

	"github.com/concordqda/concord/coding"
	"github.com/google/uuid"
)

// codingRequest is one coding to add. ID may be chosen by the client (a
// UUID) so that a request retried after a lost connection cannot add the
// same coding twice. Coder defaults to the caller; a lead may write into
// the consensus layer.
type codingRequest struct {
	ID       string `json:"id"`
	Document string `json:"document"`
	Code     string `json:"code"`
	Coder    string `json:"coder"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	Memo     string `json:"memo"`
}

// codingsRequest is the body of POST …/codings: one coding, or several
// under "codings" (all are added or none).
type codingsRequest struct {
	codingRequest
	Codings []codingRequest `json:"codings"`
}

// layerAllowed reports whether the caller may write into coder's layer.
func (c *caller) layerAllowed(coder string) error {
	if coder == c.user.ID {
		return nil
	}
	if coder == coding.ConsensusCoder && c.role == coding.RoleLead {
		return nil
	}
	if coder == coding.ConsensusCoder {
		return coding.Errorf(coding.EFORBIDDEN, "only a lead can change the consensus layer")
	}
	return coding.Errorf(coding.EFORBIDDEN, "you can only change your own codings")
}

func (s *Server) handleAddCodings(w http.ResponseWriter, r *http.Request, c *caller) {
	var req codingsRequest
	if err := decodeBody(r, s.opts.MaxBody, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	list := req.Codings
	single := list == nil
	if single {
		list = []codingRequest{req.codingRequest}
	} else if req.Document != "" || req.Code != "" {
		s.writeError(w, r, coding.Errorf(coding.EINVALID, "send either one coding or a list under \"codings\", not both"))
		return
	}
	cs, err := s.addCodings(c, list)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if single {
		writeJSON(w, http.StatusCreated, map[string]any{"coding": cs[0]})
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"codings": cs})
}

// addCodings adds codings for the caller, all or none: over HTTP and over
// the live connection alike.
func (s *Server) addCodings(c *caller, list []codingRequest) ([]coding.Coding, error) {
	if len(list) == 0 {
		return nil, coding.Errorf(coding.EINVALID, "the list of codings is empty")
	}
	if len(list) > s.opts.MaxBatch {
		return nil, coding.Errorf(coding.ETOOLARGE, "too many codings in one request (%d, at most %d)", len(list), s.opts.MaxBatch)
	}
	cs := make([]coding.Coding, len(list))
	for i, cr := range list {
		if cr.Coder == "" {
			cr.Coder = c.user.ID
		}
		if err := c.layerAllowed(cr.Coder); err != nil {
			return nil, err
		}
		if cr.ID != "" {
			u, err := uuid.Parse(cr.ID)
			if err != nil {
				return nil, coding.Errorf(coding.EINVALID, "coding id %q must be a UUID", cr.ID)
			}
			cr.ID = strings.ToLower(u.String())
		}
		cs[i] = coding.Coding{ID: cr.ID, ProjectID: c.project.ID, DocumentID: cr.Document, CodeID: cr.Code, CoderID: cr.Coder, Start: cr.Start, End: cr.End, Memo: cr.Memo}
	}
	var err error
	if len(cs) == 1 {
		_, err = s.store.AddCoding(&cs[0], c.user.ID)
	} else {
		_, err = s.store.AddCodings(cs, c.user.ID)
	}
	if err != nil {
		return nil, err
	}
	return cs, nil
}

type codingPatch struct {
	Code  *string `json:"code"`
	Start *int    `json:"start"`
	End   *int    `json:"end"`
	Memo  *string `json:"memo"`
}

func (s *Server) handleUpdateCoding(w http.ResponseWriter, r *http.Request, c *caller) {
	var req codingPatch
	if err := decodeBody(r, s.opts.MaxBody, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	cd, err := s.updateCoding(c, r.PathValue("id"), req)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"coding": cd})
}

// updateCoding changes one of the caller's codings.
func (s *Server) updateCoding(c *caller, id string, req codingPatch) (*coding.Coding, error) {
	cd, err := s.ownCoding(c, id)
	if err != nil {
		return nil, err
	}
	if req.Code != nil {
		cd.CodeID = *req.Code
	}
	if req.Start != nil {
		cd.Start = *req.Start
	}
	if req.End != nil {
		cd.End = *req.End
	}
	if req.Memo != nil {
		cd.Memo = *req.Memo
	}
	if _, err := s.store.UpdateCoding(cd, c.user.ID); err != nil {
		return nil, err
	}
	return cd, nil
}

func (s *Server) handleDeleteCoding(w http.ResponseWriter, r *http.Request, c *caller) {
	deleted, err := s.deleteCoding(c, r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"coding": deleted})
}

// deleteCoding deletes one of the caller's codings and returns it.
func (s *Server) deleteCoding(c *caller, id string) (*coding.Coding, error) {
	cd, err := s.ownCoding(c, id)
	if err != nil {
		return nil, err
	}
	deleted, _, err := s.store.DeleteCoding(c.project.ID, cd.ID, c.user.ID)
	return deleted, err
}

// ownCoding returns a coding the caller may change. A coding the caller
// may not even see is reported as not found.
func (s *Server) ownCoding(c *caller, id string) (*coding.Coding, error) {
	cd, err := s.store.Coding(c.project.ID, id)
	if err != nil {
		return nil, err
	}
	if !c.sees(cd.CoderID) {
		return nil, coding.Errorf(coding.ENOTFOUND, "coding %s does not exist", id)
	}
	if err := c.layerAllowed(cd.CoderID); err != nil {
		return nil, err
	}
	return cd, nil
}

// handleCodings lists codings, filtered by ?document=, ?coder= and ?code=
// (the code with its descendants unless &descendants=false).
func (s *Server) handleCodings(w http.ResponseWriter, r *http.Request, c *caller) {
	q := r.URL.Query()
	f := coding.CodingFilter{DocumentID: q.Get("document"), CoderID: q.Get("coder")}
	if code := q.Get("code"); code != "" {
		codes, err := s.store.Codes(c.project.ID)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		cb := coding.NewCodebook(codes)
		if _, ok := cb.Code(code); !ok {
			s.writeError(w, r, coding.Errorf(coding.ENOTFOUND, "code %s does not exist", code))
			return
		}
		f.CodeIDs = map[string]bool{code: true}
		if q.Get("descendants") != "false" {
			for _, id := range cb.Descendants(code) {
				f.CodeIDs[id] = true
			}
		}
	}
	cs, err := s.visibleCodings(c, f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeCodings(w, cs, nil)
}
