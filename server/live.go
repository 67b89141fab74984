package server

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/concordqda/concord/coding"
	"github.com/gorilla/websocket"
)

// handleLive upgrades to the project's live websocket. ?since=SEQ (or a
// blinded coder's cursor) replays every event after it before live events
// flow, with no gap and no duplicate.
func (s *Server) handleLive(w http.ResponseWriter, r *http.Request, c *caller) {
	h := s.hub
	since, err := h.cursors.parseSince(r.URL.Query().Get("since"), c.blinded())
	if err != nil && since.stale == "" {
		s.writeError(w, r, err)
		return
	}
	// A number from a blinded coder is answered by a reset, not refused:
	// the project may have turned blind while their page held a number,
	// and a reset tells them nothing about the number they sent.
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

// handleEvents serves the log over plain HTTP: ?since=SEQ&limit=N. A
// blinded caller resumes from cursors and gets cursors (cursor.go).
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request, c *caller) {
	q := r.URL.Query()
	blinded := c.blinded()
	cs := s.hub.cursors
	from, err := cs.parseSince(q.Get("since"), blinded)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	since := from.seq
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
	if from.stale != "" || since < floor {
		head, _ := s.store.LastSeq(c.project.ID)
		reason := from.stale
		switch {
		case reason != "":
		case blinded:
			// The floor is a count of the log too.
			reason = "you were away longer than the project's history reaches; reload the project"
		default:
			reason = "the history before event " + strconv.FormatUint(floor+1, 10) + " was compacted; reload the project"
		}
		writeJSON(w, http.StatusOK, map[string]any{"events": []coding.Event{}, "last": cs.position(head, blinded), "more": false, "reset": true,
			"reason": reason})
		return
	}
	if blinded {
		s.blindedEvents(w, r, c, since, limit)
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
		if c.sees(ev.Owner) {
			out = append(out, ev)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"events": out, "last": last, "more": len(events) == limit})
}

// blindedEvents answers /events for a blinded caller: up to limit events
// they may see, sealed with cursors. A page holds limit visible events (or
// the rest of the log), not limit events of the log, and "more" says only
// that the page is full: pages of the log would let a caller count hidden
// events by paging with limit=1.
func (s *Server) blindedEvents(w http.ResponseWriter, r *http.Request, c *caller, since uint64, limit int) {
	cs := s.hub.cursors
	out := make([]json.RawMessage, 0, min(limit, 1000))
	last := since
	for len(out) < limit {
		page, err := s.store.Events(c.project.ID, last, s.hub.opts.ReplayPage)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		for i := 0; i < len(page) && len(out) < limit; i++ {
			ev := &page[i]
			last = ev.Seq
			if !c.sees(ev.Owner) {
				continue
			}
			if hasLayerCounts(ev) {
				*ev = withoutLayerCounts(*ev)
			}
			data := ev.Raw
			if data == nil {
				if data, err = json.Marshal(ev); err != nil {
					continue
				}
			}
			if data = cs.restamp(data, ev.Seq); data != nil {
				out = append(out, data)
			}
		}
		if len(page) < s.hub.opts.ReplayPage {
			break
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"events": out, "last": cs.position(last, true), "more": len(out) == limit})
}
