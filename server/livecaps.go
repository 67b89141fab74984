package server

import "github.com/concordqda/concord/coding"

// Every live connection costs the server memory and a share of every
// fan-out, whoever opens it: a viewer's too. The caps below bound what one
// signed-in browser (a session) and one person (a user, over all their
// sessions) may hold open, so that no member can exhaust the server by
// opening connections. A person with a few windows on a few devices stays
// far below them.

// admit counts a live connection of user through session against the caps
// and returns the function that gives it back, or an error (code
// rate_limited, answered 429) when a cap is reached. The count is taken
// before the upgrade, so a refused connection costs no websocket.
func (h *Hub) admit(user, session string) (release func(), err error) {
	h.capMu.Lock()
	defer h.capMu.Unlock()
	if h.perUser[user] >= h.opts.PerUser {
		return nil, coding.Errorf("rate_limited", "Too many open windows: you already have %d live connections to this server, the most one person may hold. Close some Concord windows or tabs, then reload this one.", h.opts.PerUser)
	}
	if session != "" && h.perSession[session] >= h.opts.PerSession {
		return nil, coding.Errorf("rate_limited", "Too many open windows: this browser already has %d live connections to this server, the most one sign-in may hold. Close some Concord windows or tabs, then reload this one.", h.opts.PerSession)
	}
	h.perUser[user]++
	if session != "" {
		h.perSession[session]++
	}
	done := false
	return func() {
		h.capMu.Lock()
		defer h.capMu.Unlock()
		if done {
			return
		}
		done = true
		if h.perUser[user]--; h.perUser[user] <= 0 {
			delete(h.perUser, user)
		}
		if session != "" {
			if h.perSession[session]--; h.perSession[session] <= 0 {
				delete(h.perSession, session)
			}
		}
	}, nil
}
