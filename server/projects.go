package server

import (
	"net/http"
	"strings"

	"github.com/concordqda/concord/coding"
)

// memberView is a member as the UI shows it.
type memberView struct {
	ID     string      `json:"id"`
	Login  string      `json:"login"`
	Name   string      `json:"name"`
	Colour string      `json:"colour"`
	Role   coding.Role `json:"role"`
}

type projectView struct {
	coding.Project
	Role coding.Role `json:"role"`
}

func (s *Server) handleMe(w http.ResponseWriter, r *http.Request, u *coding.User) {
	projects, err := s.memberProjects(u)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"user": u, "projects": projects, "can_create_projects": s.canCreateProjects(u)})
}

// canCreateProjects reports whether u may start a project.
func (s *Server) canCreateProjects(u *coding.User) bool {
	return u.Admin || s.opts.OpenProjects
}

func (s *Server) handleProjects(w http.ResponseWriter, r *http.Request, u *coding.User) {
	projects, err := s.memberProjects(u)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"projects": projects, "can_create_projects": s.canCreateProjects(u)})
}

func (s *Server) memberProjects(u *coding.User) ([]projectView, error) {
	all, err := s.store.Projects()
	if err != nil {
		return nil, err
	}
	out := []projectView{}
	for _, p := range all {
		role, err := s.store.Role(p.ID, u.ID)
		if coding.ErrorCode(err) == coding.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, err
		}
		out = append(out, projectView{Project: p, Role: role})
	}
	return out, nil
}

func (s *Server) members(projectID string) ([]memberView, error) {
	ms, err := s.store.Members(projectID)
	if err != nil {
		return nil, err
	}
	out := make([]memberView, 0, len(ms))
	for _, m := range ms {
		u, err := s.store.User(m.UserID)
		if err != nil {
			return nil, err
		}
		out = append(out, memberView{ID: u.ID, Login: u.Login, Name: u.Name, Colour: u.Colour, Role: m.Role})
	}
	return out, nil
}

func (s *Server) handleProject(w http.ResponseWriter, r *http.Request, c *caller) {
	members, err := s.members(c.project.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	seq, err := s.store.LastSeq(c.project.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"project":   c.project,
		"role":      c.role,
		"me":        c.user.ID,
		"members":   members,
		"consensus": coding.ConsensusCoder,
		"seq":       s.hub.cursors.position(seq, c.blinded()), // a cursor for a blinded caller (cursor.go)
	})
}

type projectRequest struct {
	Name        string `json:"name"`
	Slug        string `json:"slug"`
	Description string `json:"description"`
	Blind       bool   `json:"blind"`
}

// handleCreateProject lets an administrator (or, with OpenProjects, any
// signed-in user) start a project; they become its lead. Without a slug,
// one is made from the name. It is closed by default because a lead can
// invite people, which makes accounts: who may make accounts is the
// administrators' call.
func (s *Server) handleCreateProject(w http.ResponseWriter, r *http.Request, u *coding.User) {
	if !s.canCreateProjects(u) {
		s.writeError(w, r, coding.Errorf(coding.EFORBIDDEN, "only an administrator can start a project on this server; ask one to start it and add you"))
		return
	}
	var req projectRequest
	if err := decodeBody(r, s.opts.MaxBody, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	p := coding.Project{Name: strings.TrimSpace(req.Name), Slug: req.Slug, Description: req.Description, Blind: req.Blind}
	if p.Name == "" {
		s.writeError(w, r, coding.Errorf(coding.EINVALID, "give the project a name"))
		return
	}
	if p.Slug == "" {
		if p.Slug = coding.Slugify(p.Name); p.Slug == "" {
			s.writeError(w, r, coding.Errorf(coding.EINVALID, "the name %q has no letters or digits to make an address from: give a slug too", p.Name))
			return
		}
	}
	if _, err := s.store.CreateProject(&p, u.ID); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"project": projectView{Project: p, Role: coding.RoleLead}})
}

type projectPatch struct {
	Name        *string `json:"name"`
	Description *string `json:"description"`
	Blind       *bool   `json:"blind"`
}

func (s *Server) handleUpdateProject(w http.ResponseWriter, r *http.Request, c *caller) {
	var req projectPatch
	if err := decodeBody(r, s.opts.MaxBody, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	p := *c.project
	if req.Name != nil {
		p.Name = *req.Name
	}
	if req.Description != nil {
		p.Description = *req.Description
	}
	if req.Blind != nil {
		p.Blind = *req.Blind
	}
	if _, err := s.store.UpdateProject(&p, c.user.ID); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"project": p})
}

func (s *Server) handleMembers(w http.ResponseWriter, r *http.Request, c *caller) {
	members, err := s.members(c.project.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"members": members})
}

type memberRequest struct {
	Role coding.Role `json:"role"`
}

// handleRemoveMember takes someone out of the project: they can no longer
// open it, and their open connections to it close. Their codings stay.
func (s *Server) handleRemoveMember(w http.ResponseWriter, r *http.Request, c *caller) {
	u, err := s.store.UserByLogin(r.PathValue("login"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if u.ID == c.user.ID {
		s.writeError(w, r, coding.Errorf(coding.EINVALID, "you cannot remove yourself from the project; ask another lead"))
		return
	}
	m, err := s.store.RemoveMember(c.project.ID, u.ID, c.user.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.hub.EndMembership(c.project.ID, u.ID)
	writeJSON(w, http.StatusOK, map[string]any{"member": memberView{ID: u.ID, Login: u.Login, Name: u.Name, Colour: u.Colour, Role: m.Role}})
}

// handleSetMember lets a lead invite an existing user or change a role.
func (s *Server) handleSetMember(w http.ResponseWriter, r *http.Request, c *caller) {
	var req memberRequest
	if err := decodeBody(r, s.opts.MaxBody, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	u, err := s.store.UserByLogin(r.PathValue("login"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if u.ID == c.user.ID && req.Role != coding.RoleLead {
		s.writeError(w, r, coding.Errorf(coding.EINVALID, "you cannot take away your own lead role; ask another lead"))
		return
	}
	m := coding.Member{ProjectID: c.project.ID, UserID: u.ID, Role: req.Role}
	if _, err := s.store.SetMember(m, c.user.ID); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"member": memberView{ID: u.ID, Login: u.Login, Name: u.Name, Colour: u.Colour, Role: req.Role}})
}
