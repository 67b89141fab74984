package server

import (
	"crypto/rand"
	"encoding/binary"
	"net/http"
	"time"

	"github.com/concordqda/concord/coding"
	"github.com/concordqda/concord/coding/app"
)

// Assignments say which documents each coder is to read (a lead's) and
// which each has finished (the coder's own done marks). Agreement compares
// each coder on the union. Leads assign; every member who codes marks
// only themselves done. In a blind project everyone sees the assignments
// — who is to read what is the lead's plan, not anyone's work — but a
// coder or viewer sees only their own done marks, as they see only their
// own codings.

// visibleAssignments drops what the caller may not see of as: other
// coders' done marks when the caller is blinded.
func visibleAssignments(c *caller, as []coding.Assignment) []coding.Assignment {
	if !c.blinded() {
		return as
	}
	out := as[:0:0]
	for _, a := range as {
		if a.Coder != c.user.ID {
			if !a.Assigned {
				continue
			}
			a.Done, a.DoneAt = false, time.Time{}
		}
		out = append(out, a)
	}
	return out
}

// handleAssignments lists a project's assignments and done marks, as the
// caller may see them.
func (s *Server) handleAssignments(w http.ResponseWriter, r *http.Request, c *caller) {
	as, err := s.store.Assignments(c.project.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"assignments": visibleAssignments(c, as)})
}

// assignRequest is an assignment as a client sends it: coders by login or
// id, and the documents listed, all of them, or a sample.
type assignRequest struct {
	Coders    []string `json:"coders"`
	Documents []string `json:"documents"`
	All       bool     `json:"all"`
	Sample    *struct {
		Percent float64 `json:"percent"`
		// Seed is optional: without it the server draws one and
		// answers it, so that the sample can be drawn again.
		Seed *uint64 `json:"seed"`
	} `json:"sample"`
}

// clearAssignRequest names the coders whose assignments to take back, and
// the documents (none: all of theirs).
type clearAssignRequest struct {
	Coders    []string `json:"coders"`
	Documents []string `json:"documents"`
}

// resolveCoders turns logins or user ids into user ids among the
// project's layers (projectCoder), so that assigning tells no one which
// logins exist elsewhere on the server.
func (s *Server) resolveCoders(projectID string, names []string) ([]string, error) {
	out := make([]string, 0, len(names))
	for _, n := range names {
		id, _, err := app.ResolveCoder(s.store, projectID, n)
		if err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, nil
}

// handleAssign assigns documents to coders and answers what changed.
func (s *Server) handleAssign(w http.ResponseWriter, r *http.Request, c *caller) {
	var req assignRequest
	if err := decodeBody(r, s.opts.MaxBody, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	coders, err := s.resolveCoders(c.project.ID, req.Coders)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	in := coding.AssignRequest{Coders: coders, Documents: req.Documents, All: req.All}
	if req.Sample != nil {
		in.Sample = &coding.Sample{Percent: req.Sample.Percent}
		if req.Sample.Seed != nil {
			in.Sample.Seed = *req.Sample.Seed
		} else {
			var b [8]byte
			rand.Read(b[:])
			in.Sample.Seed = binary.BigEndian.Uint64(b[:]) >> 11 // exact in a JavaScript number
		}
	}
	change, _, err := s.store.Assign(c.project.ID, in, c.user.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"assigned": change})
}

// handleClearAssignments takes assignments back; done marks stay.
func (s *Server) handleClearAssignments(w http.ResponseWriter, r *http.Request, c *caller) {
	var req clearAssignRequest
	if err := decodeBody(r, s.opts.MaxBody, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	coders, err := s.resolveCoders(c.project.ID, req.Coders)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	change, _, err := s.store.Unassign(c.project.ID, coders, req.Documents, c.user.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"cleared": change})
}

// handleDone marks the document done by the caller (PUT) or takes the
// mark back (DELETE). Marking the same twice is harmless.
func (s *Server) handleDone(w http.ResponseWriter, r *http.Request, c *caller) {
	a, _, err := s.store.SetDone(c.project.ID, r.PathValue("did"), c.user.ID, r.Method == http.MethodPut, c.user.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"assignment": a})
}
