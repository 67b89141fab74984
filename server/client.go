package server

import (
	"bytes"
	"encoding/json"
	"sync"
	"sync/atomic"
	"time"

	"github.com/concordqda/concord/coding"
	"github.com/gorilla/websocket"
)

// client is one websocket connection to one project. Exactly one goroutine
// reads from conn (readPump) and one writes to it (writePump); everything
// else talks to the writer through the send queue.
type client struct {
	hub     *Hub
	conn    *websocket.Conn
	id      string
	project string
	user    *coding.User
	session string       // the session's ID (a hash, never the token): it ends with it
	role    atomic.Value // coding.Role as string; members' roles can change live
	room    *room
	send    *sendQueue
	kick    chan int // close code, buffered 1
	kicked  atomic.Bool
	// release gives back the connection's place under the caps
	// (livecaps.go); leave calls it once the reader stops.
	release func()

	mu       sync.Mutex
	presence presence
}

// presence is where a client is: which document it has open and what it
// has selected, in code points. It is never stored.
type presence struct {
	Conn     string `json:"conn"`
	User     string `json:"user"`
	Name     string `json:"name"`
	Colour   string `json:"colour"`
	Document string `json:"document,omitempty"`
	Start    int    `json:"start,omitempty"`
	End      int    `json:"end,omitempty"`
}

func (c *client) lead() bool {
	return coding.Role(c.roleName()) == coding.RoleLead
}

func (c *client) roleName() string {
	r, _ := c.role.Load().(string)
	return r
}

// visible reports whether the client may receive ev: in a blind project,
// events of another coder's layer go to leads only.
func (c *client) visible(rm *room, ev *coding.Event) bool {
	if c.roleName() == "" {
		return false // removed from the project
	}
	return ev.Owner == "" || ev.Owner == c.user.ID || !c.blinded(rm)
}

// blinded reports whether the other coders' layers are hidden from the
// client.
func (c *client) blinded(rm *room) bool {
	return rm.blind.Load() && !c.lead()
}

// enqueue hands messages to the writer without blocking; a full queue
// means the client cannot keep up, and it is closed with CloseTooSlow. The
// slice is shared between clients and must not be changed.
func (c *client) enqueue(ms []message) {
	if !c.send.push(ms) {
		c.drop(CloseTooSlow)
	}
}

func (c *client) drop(code int) {
	if c.kicked.Swap(true) {
		return
	}
	c.hub.Dropped.Add(1)
	c.kick <- code
	// A writer blocked on a client that stopped reading would otherwise
	// sit out its whole write timeout before it sees the kick.
	c.conn.UnderlyingConn().SetWriteDeadline(time.Now().Add(time.Second))
}

// writePump replays the log after since, then forwards queued messages,
// merging whatever is queued into one frame (newline-separated JSON).
func (c *client) writePump(from since) {
	h := c.hub
	ticker := time.NewTicker(h.opts.PingInterval)
	defer func() {
		ticker.Stop()
		c.conn.Close()
		h.wg.Done()
	}()
	last, ok := c.replay(from)
	if !ok {
		return
	}
	var frame bytes.Buffer
	for {
		select {
		case <-c.send.ready:
			// One frame of up to about 1 MB per turn, so that pings and
			// kicks are not kept waiting behind a long queue.
			frame.Reset()
			n := 0
			for frame.Len() < 1<<20 {
				ms, ok := c.send.pop()
				if !ok {
					break
				}
				blinded := c.blinded(c.room)
				for _, m := range ms {
					if m.seq != 0 {
						// The hub works in sequence numbers; only
						// what is written is sealed for a blinded
						// client.
						if m.seq <= last {
							continue // already sent by the replay
						}
						last = m.seq
						if blinded {
							if m.data = h.cursors.restamp(m.data, m.seq); m.data == nil {
								continue
							}
						}
					}
					if n > 0 {
						frame.WriteByte('\n')
					}
					frame.Write(m.data)
					n++
				}
			}
			if c.send.waiting() {
				c.send.wake()
			}
			if n == 0 {
				continue
			}
			if err := c.write(websocket.TextMessage, frame.Bytes()); err != nil {
				return
			}
			h.Delivered.Add(uint64(n))
			if !c.send.waiting() {
				// An idle connection holds no frame buffer: kept, the
				// presence list each got on joining made 2,000 idle
				// connections hold 40 MB.
				frame = bytes.Buffer{}
			}
		case <-ticker.C:
			if !c.sessionLive() {
				c.closeWith(CloseSessionEnded, closeReason(CloseSessionEnded))
				return
			}
			if err := c.write(websocket.PingMessage, nil); err != nil {
				return
			}
		case code := <-c.kick:
			c.closeWith(code, closeReason(code))
			return
		case <-h.shutdown:
			c.closeWith(CloseGoingAway, closeReason(CloseGoingAway))
			return
		}
	}
}

func (c *client) write(kind int, data []byte) error {
	c.conn.SetWriteDeadline(time.Now().Add(c.hub.opts.WriteTimeout))
	return c.conn.WriteMessage(kind, data)
}

func (c *client) closeWith(code int, text string) {
	c.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, text), time.Now().Add(time.Second))
}

// replay sends a hello, every visible event after from.seq from the log,
// and a "ready" marker carrying the sequence number the client is now at
// (as "last": only log events carry a "seq"). A blinded client gets
// cursors in place of every number.
func (c *client) replay(from since) (uint64, bool) {
	h := c.hub
	since := from.seq
	pos := func(seq uint64) any { return h.cursors.position(seq, c.blinded(c.room)) }
	head, err := h.store.LastSeq(c.project)
	if err != nil {
		c.closeWith(websocket.CloseInternalServerErr, "internal error")
		return 0, false
	}
	floor, err := h.store.EventFloor(c.project)
	if err != nil {
		c.closeWith(websocket.CloseInternalServerErr, "internal error")
		return 0, false
	}
	switch {
	case from.stale != "":
		// A cursor from before a restart (or a number from a blinded
		// client): the client cannot be told where it was, so it
		// reloads, as for a compacted log.
		c.writeJSON(map[string]any{"type": "reset", "head": pos(head), "reason": from.stale})
		since = head
	case since > head:
		// The client knows a future this log does not have (a restored
		// backup, another database): it must reload.
		c.writeJSON(map[string]any{"type": "reset", "head": pos(head), "reason": "the project's history does not reach your last change; reload the project"})
		since = head
	case since < floor:
		// What the client missed was compacted away: a partial history
		// would leave it wrong, so it reloads and goes on from the head.
		c.writeJSON(map[string]any{"type": "reset", "head": pos(head), "reason": "you were away longer than the project's history reaches; reload the project"})
		since = head
	}
	c.writeJSON(map[string]any{"type": "hello", "conn": c.id, "since": pos(since), "head": pos(head)})
	last := since
	var frame bytes.Buffer
	for {
		events, err := h.store.Events(c.project, last, h.opts.ReplayPage)
		if err != nil {
			c.closeWith(websocket.CloseInternalServerErr, "internal error")
			return 0, false
		}
		frame.Reset()
		n := 0
		for i := range events {
			ev := &events[i]
			last = ev.Seq
			if !c.visible(c.room, ev) {
				continue
			}
			data := ev.Raw
			if c.blinded(c.room) {
				if hasLayerCounts(ev) {
					data = withoutLayerCounts(*ev).Raw
				}
				if data = h.cursors.restamp(data, ev.Seq); data == nil {
					continue
				}
			}
			if n > 0 {
				frame.WriteByte('\n')
			}
			frame.Write(data)
			n++
		}
		if n > 0 {
			if err := c.write(websocket.TextMessage, frame.Bytes()); err != nil {
				return 0, false
			}
			h.Delivered.Add(uint64(n))
		}
		if len(events) < h.opts.ReplayPage {
			break
		}
	}
	if err := c.writeJSON(map[string]any{"type": "ready", "last": pos(last)}); err != nil {
		return 0, false
	}
	return last, true
}

func (c *client) writeJSON(v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return c.write(websocket.TextMessage, data)
}

// inbound is a message from a client: presence, a ping, or a change to a
// coding (livewrite.go).
type inbound struct {
	Type     string `json:"type"`
	Document string `json:"document"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	// A change: Req is the client's name for it, echoed in the reply.
	Req    string         `json:"req"`
	Coding *codingRequest `json:"coding"`
	ID     string         `json:"id"`
	Patch  *codingPatch   `json:"patch"`
}

// readPump reads the client's messages (presence updates) until the
// connection ends, then unregisters the client.
func (c *client) readPump() {
	h := c.hub
	defer func() {
		h.leave(c)
		c.conn.Close()
		h.wg.Done()
	}()
	c.conn.SetReadLimit(h.opts.MaxMessage)
	c.conn.SetReadDeadline(time.Now().Add(h.opts.PongTimeout))
	c.conn.SetPongHandler(func(string) error {
		c.conn.SetReadDeadline(time.Now().Add(h.opts.PongTimeout))
		return nil
	})
	bucket := newTokenBucket(h.opts.MessageRate, h.opts.MessageBurst)
	// Changes are real work, each committed to disk, but so is an HTTP
	// request: they get a budget of their own, far above a person's pace.
	writes := newTokenBucket(float64(h.opts.WriteRate), h.opts.WriteRate)
	for {
		_, data, err := c.conn.ReadMessage()
		if err != nil {
			return
		}
		c.conn.SetReadDeadline(time.Now().Add(h.opts.PongTimeout))
		var in inbound
		if err := decodeJSON(data, &in); err != nil {
			if bucket.take() {
				c.sendError(coding.ErrorMessage(err))
			}
			continue
		}
		if liveWriteTypes[in.Type] {
			if !writes.take() {
				h.reply(c, &in, nil, coding.Errorf("rate_limited", "you are sending changes too fast; wait a moment and send this one again"))
				continue
			}
			// Answered in order, one at a time: a client's changes
			// commit in the order it sent them.
			h.answer(c, &in)
			continue
		}
		if !bucket.take() {
			c.sendError("you are sending messages too fast; some were ignored")
			continue
		}
		switch in.Type {
		case "presence":
			if in.Start < 0 || in.End < in.Start || len(in.Document) > 64 {
				c.sendError("presence needs a document id and 0 <= start <= end")
				continue
			}
			c.mu.Lock()
			c.presence.Document, c.presence.Start, c.presence.End = in.Document, in.Start, in.End
			c.mu.Unlock()
			h.markPresence(c)
		case "ping":
			c.enqueue([]message{{data: []byte(`{"type":"pong"}`)}})
		default:
			c.sendError("unknown message type " + quoteShort(in.Type) + "; expected presence, ping, coding.add, coding.update or coding.delete")
		}
	}
}

func (c *client) sendError(text string) {
	data, _ := json.Marshal(map[string]string{"type": "error", "error": text})
	c.enqueue([]message{{data: data}})
}

func quoteShort(s string) string {
	if len(s) > 40 {
		s = s[:40]
	}
	b, _ := json.Marshal(s)
	return string(b)
}

// tokenBucket limits a rate without a timer goroutine.
type tokenBucket struct {
	rate, tokens, burst float64
	last                time.Time
}

func newTokenBucket(rate float64, burst int) *tokenBucket {
	return &tokenBucket{rate: rate, tokens: float64(burst), burst: float64(burst), last: time.Now()}
}

func (b *tokenBucket) take() bool {
	now := time.Now()
	b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
