package server

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"strings"

	"github.com/concordqda/concord/coding"
)

type inviteRequest struct {
	Login string      `json:"login"`
	Name  string      `json:"name"`
	Role  coding.Role `json:"role"`
}

// handleInvite lets a lead bring someone into the project. A login that
// exists gets the role; a new one is created with a one-time password that
// is shown to the lead once, to pass on.
func (s *Server) handleInvite(w http.ResponseWriter, r *http.Request, c *caller) {
	var req inviteRequest
	if err := decodeBody(r, s.opts.MaxBody, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if !req.Role.Valid() {
		s.writeError(w, r, coding.Errorf(coding.EINVALID, "role %q must be lead, coder or viewer", req.Role))
		return
	}
	login := strings.ToLower(strings.TrimSpace(req.Login))
	u, err := s.store.UserByLogin(login)
	password := ""
	switch {
	case coding.ErrorCode(err) == coding.ENOTFOUND:
		raw := make([]byte, 12)
		if _, err := rand.Read(raw); err != nil {
			s.writeError(w, r, err)
			return
		}
		password = base64.RawURLEncoding.EncodeToString(raw)
		hash, err := s.hashPassword(r.Context(), password)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		name := req.Name
		if name == "" {
			name = login
		}
		// The lead saw this password: it signs in once, to choose one
		// only the new user knows.
		u = &coding.User{Login: login, Name: name, PasswordHash: hash, MustChangePassword: true}
		if err := s.store.CreateUser(u); err != nil {
			s.writeError(w, r, err)
			return
		}
	case err != nil:
		s.writeError(w, r, err)
		return
	}
	if _, err := s.store.SetMember(coding.Member{ProjectID: c.project.ID, UserID: u.ID, Role: req.Role}, c.user.ID); err != nil {
		s.writeError(w, r, err)
		return
	}
	out := map[string]any{"member": memberView{ID: u.ID, Login: u.Login, Name: u.Name, Colour: u.Colour, Role: req.Role}}
	if password != "" {
		out["password"] = password
		out["note"] = "a new account: pass this one-time password on; it is not shown again, and they choose their own when they first sign in"
	}
	writeJSON(w, http.StatusCreated, out)
}
