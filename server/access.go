package server

import (
	"net/http"

	"github.com/concordqda/concord/coding"
	"github.com/google/uuid"
)

// access is the least a route needs of the caller's role in the project.
type access int

const (
	read access = iota // any member: lead, coder or viewer
	code               // lead or coder: may change their own layer
	lead               // lead only
)

// caller is the signed-in user in the context of one project.
type caller struct {
	user    *coding.User
	role    coding.Role
	project *coding.Project
}

// sees reports whether the caller may see what belongs to coder's layer:
// in a blind project a coder sees only their own.
func (c *caller) sees(coder string) bool {
	return coder == "" || coder == c.user.ID || c.role == coding.RoleLead || !c.project.Blind
}

// blinded reports whether other coders' layers are hidden from the caller.
func (c *caller) blinded() bool {
	return c.project.Blind && c.role != coding.RoleLead
}

type projectHandler func(w http.ResponseWriter, r *http.Request, c *caller)

// project wraps a handler of /api/projects/{pid}/…: it signs the caller
// in, resolves the project by id or slug, and checks the caller's role
// against min. Non-members get the same answer as for a project that does
// not exist, so project names do not leak.
func (s *Server) project(min access, h projectHandler) http.Handler {
	return s.authed(func(w http.ResponseWriter, r *http.Request, u *coding.User) {
		c, err := s.resolveCaller(r.PathValue("pid"), u)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		switch {
		case min == code && !c.role.CanCode():
			s.writeError(w, r, coding.Errorf(coding.EFORBIDDEN, "viewers can read this project but cannot change or export it"))
			return
		case min == lead && c.role != coding.RoleLead:
			s.writeError(w, r, coding.Errorf(coding.EFORBIDDEN, "only a lead of this project can do that"))
			return
		}
		h(w, r, c)
	})
}

func (s *Server) resolveCaller(pid string, u *coding.User) (*caller, error) {
	var p *coding.Project
	var err error
	if _, perr := uuid.Parse(pid); perr == nil {
		p, err = s.store.Project(pid)
	} else {
		p, err = s.store.ProjectBySlug(pid)
	}
	notFound := coding.Errorf(coding.ENOTFOUND, "there is no project %q that you are a member of", pid)
	if coding.ErrorCode(err) == coding.ENOTFOUND {
		return nil, notFound
	} else if err != nil {
		return nil, err
	}
	role, err := s.store.Role(p.ID, u.ID)
	if coding.ErrorCode(err) == coding.ENOTFOUND {
		return nil, notFound
	} else if err != nil {
		return nil, err
	}
	return &caller{user: u, role: role, project: p}, nil
}
