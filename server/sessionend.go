package server

import (
	"time"

	"github.com/concordqda/concord/coding"
	"github.com/gorilla/websocket"
)

// CloseSessionEnded closes the live connections of a session that ended:
// its user signed out, changed their password, or the session expired or
// sat idle too long. Unlike CloseTooSlow and CloseGoingAway it does not
// mean "reconnect": the same cookie will be refused, so the client shows
// the sign-in page instead.
const CloseSessionEnded = 4001

// closeReason is the text that goes with a close code the hub sends.
func closeReason(code int) string {
	switch code {
	case CloseSessionEnded:
		return "signed out: please sign in again"
	case CloseGoingAway:
		return "server is going away: reconnect soon"
	case websocket.ClosePolicyViolation:
		return "you are no longer a member of this project"
	}
	return "too slow: reconnect with your last sequence number"
}

// EndSession closes the live connections opened with a session, once it
// has been deleted (sign-out).
func (h *Hub) EndSession(sessionID string) {
	h.closeClients(func(c *client) bool { return c.session == sessionID }, CloseSessionEnded)
}

// EndUserSessions closes every live connection of a user, once all their
// sessions have been deleted (a password change).
func (h *Hub) EndUserSessions(userID string) {
	h.closeClients(func(c *client) bool { return c.user.ID == userID }, CloseSessionEnded)
}

// EndMembership closes a user's live connections to a project they were
// just removed from.
func (h *Hub) EndMembership(projectID, userID string) {
	h.closeClients(func(c *client) bool { return c.project == projectID && c.user.ID == userID }, websocket.ClosePolicyViolation)
}

// closeClients takes the matching clients out of their rooms before it
// returns, so that nothing committed afterwards is queued for them, then
// tells their writers to close.
func (h *Hub) closeClients(match func(*client) bool, code int) {
	var ended []*client
	h.mu.Lock()
	for _, rm := range h.rooms {
		for c := range rm.clients {
			if match(c) {
				delete(rm.clients, c)
				ended = append(ended, c)
			}
		}
	}
	h.mu.Unlock()
	for _, c := range ended {
		c.end(code)
		// Others see them leave now rather than when their pumps stop.
		h.markLeft(c)
	}
}

// end tells the writer to close the connection with code. Unlike drop it
// does not count the client as dropped for being slow.
func (c *client) end(code int) {
	if c.kicked.Swap(true) {
		return
	}
	c.kick <- code
	// A writer blocked on a client that stopped reading would otherwise
	// sit out its whole write timeout before it sees the kick.
	c.conn.UnderlyingConn().SetWriteDeadline(time.Now().Add(time.Second))
}

// sessionLive is checked on every ping tick: it counts the open
// connection as activity (so a coder who only watches is not signed out
// for idleness) and notices a session that expired meanwhile. Only an
// answer that the session is over ends the connection; a store that
// cannot answer leaves it be.
func (c *client) sessionLive() bool {
	if c.hub.keepSession == nil || c.session == "" {
		return true
	}
	return coding.ErrorCode(c.hub.keepSession(c.session)) != coding.EUNAUTHORIZED
}
