package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/concordqda/concord/coding"
	"github.com/gorilla/websocket"
)

// handleLive upgrades to the project's live websocket. ?since=SEQ replays
// every event after SEQ before live events flow, with no gap and no
// duplicate.
func (s *Server) handleLive(w http.ResponseWriter, r *http.Request, c *caller) {
	since, err := parseSeq(r.URL.Query().Get("since"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	h := s.hub
	release, err := h.admit(c.user.ID, sessionFrom(r.Context()))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	up := websocket.Upgrader{
		// A small read buffer (clients send small messages), and the
		// write buffer borrowed from a pool only while a message is
		// written: an idle connection then holds 1 KB of buffers rather
		// than 20.
		ReadBufferSize:  1024,
		WriteBufferSize: 16384,
		WriteBufferPool: &h.writeBuffers,
		// Only pages of this server may open a coder's live connection:
		// a websocket is not covered by the same-origin policy.
		CheckOrigin: func(r *http.Request) bool {
			return r.Header.Get("Origin") == "" || s.sameOrigin(r)
		},
		Error: func(w http.ResponseWriter, r *http.Request, status int, reason error) {
			msg := "could not open the live connection: " + strings.ToLower(http.StatusText(status))
			if status == http.StatusForbidden {
				msg = "live connections from other sites are refused"
			}
			writeJSON(w, status, errorBody{Error: msg, Code: coding.EFORBIDDEN})
		},
	}
	conn, err := up.Upgrade(w, r, nil)
	if err != nil {
		release()
		return // the upgrader has answered
	}
	cl := &client{
		hub:     h,
		conn:    conn,
		id:      strconv.FormatUint(h.nextConn.Add(1), 36),
		project: c.project.ID,
		user:    c.user,
		session: sessionFrom(r.Context()),
		send:    newSendQueue(h.opts.SendQueue),
		kick:    make(chan int, 1),
		release: release,
	}
	cl.presence = presence{Conn: cl.id, User: c.user.ID, Name: c.user.Name, Colour: c.user.Colour}
	access := func() (bool, coding.Role, error) {
		now, err := s.resolveCaller(c.project.ID, c.user)
		if err != nil {
			return false, "", err
		}
		return now.project.Blind, now.role, nil
	}
	if err := h.join(cl, access); err != nil {
		switch {
		case err == errStopping:
			cl.closeWith(CloseGoingAway, closeReason(CloseGoingAway))
		case coding.ErrorCode(err) == coding.ENOTFOUND:
			cl.closeWith(websocket.ClosePolicyViolation, closeReason(websocket.ClosePolicyViolation))
		default:
			cl.closeWith(websocket.CloseInternalServerErr, "internal error")
		}
		conn.Close()
		release()
		return
	}
	go cl.writePump(since)
	go cl.readPump()
}

// handleEvents serves the log over plain HTTP: ?since=SEQ&limit=N.
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request, c *caller) {
	q := r.URL.Query()
	since, err := parseSeq(q.Get("since"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	limit := 1000
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > 10000 {
			s.writeError(w, r, coding.Errorf(coding.EINVALID, "limit must be between 1 and 10000"))
			return
		}
	}
	floor, err := s.store.EventFloor(c.project.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if since < floor {
		head, _ := s.store.LastSeq(c.project.ID)
		writeJSON(w, http.StatusOK, map[string]any{"events": []coding.Event{}, "last": head, "more": false, "reset": true,
			"reason": "the history before event " + strconv.FormatUint(floor+1, 10) + " was compacted; reload the project"})
		return
	}
	events, err := s.store.Events(c.project.ID, since, limit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := make([]coding.Event, 0, len(events))
	var last uint64 = since
	for _, ev := range events {
		last = ev.Seq
		switch {
		case !c.sees(ev.Owner):
		case c.blinded() && hasLayerCounts(&ev):
			out = append(out, withoutLayerCounts(ev))
		default:
			out = append(out, ev)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"events": out, "last": last, "more": len(events) == limit})
}

// parseSeq reads a ?since= sequence number; empty means 0.
func parseSeq(v string) (uint64, error) {
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return 0, coding.Errorf(coding.EINVALID, "since must be a sequence number (a whole number, 0 or more)")
	}
	return n, nil
}
