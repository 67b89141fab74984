package server

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/concordqda/concord/coding"
)

// Close codes a live client can act on. Both mean "reconnect with the last
// sequence number you saw": nothing is lost.
const (
	// CloseTooSlow closes a client whose send queue overflowed.
	CloseTooSlow = 4008
	// CloseGoingAway is the standard code sent when the server stops.
	CloseGoingAway = 1001
)

// HubOptions tune live sync.
type HubOptions struct {
	SendQueue    int           // commits (batches of events) buffered per client before it is dropped
	WriteTimeout time.Duration // for every write to a client
	PongTimeout  time.Duration // a client that answers no ping for this long is gone
	PingInterval time.Duration
	MaxMessage   int64 // largest message a client may send
	ReplayPage   int   // events read from the log per replay step
	// MessageRate and MessageBurst bound what one connection may send.
	MessageRate  float64
	MessageBurst int
	// WriteRate bounds the changes to codings one connection may send per
	// second (and in a burst); HTTP has no such bound, and neither should
	// a coder working fast.
	WriteRate int
	// PerSession and PerUser cap the live connections one sign-in and one
	// person may hold open at once (livecaps.go).
	PerSession int
	PerUser    int
	// PresenceEvery is how often a room's presence changes are sent, at
	// most: changes in between are coalesced into one message
	// (presence.go).
	PresenceEvery time.Duration
	// CursorKey seals the cursors blinded coders get instead of sequence
	// numbers (cursor.go): 32 bytes, or empty for a random key made now,
	// so that cursors die with the process.
	CursorKey []byte
}

func (o *HubOptions) defaults() {
	if o.SendQueue == 0 {
		o.SendQueue = 4096
	}
	if o.WriteTimeout == 0 {
		o.WriteTimeout = 10 * time.Second
	}
	if o.PongTimeout == 0 {
		o.PongTimeout = 60 * time.Second
	}
	if o.PingInterval == 0 {
		// Half the timeout: a ping goes out from the writer between
		// frames, so a writer busy with large frames sends it late; at
		// 9/10 a short timeout left the pong a few hundred milliseconds
		// and dropped clients that were reading fine.
		o.PingInterval = o.PongTimeout / 2
	}
	if o.MaxMessage == 0 {
		o.MaxMessage = 16 << 10
	}
	if o.ReplayPage == 0 {
		o.ReplayPage = 1000
	}
	if o.MessageRate == 0 {
		o.MessageRate = 50
	}
	if o.WriteRate == 0 {
		o.WriteRate = 2000
	}
	if o.MessageBurst == 0 {
		o.MessageBurst = 100
	}
	if o.PerSession == 0 {
		o.PerSession = 8
	}
	if o.PerUser == 0 {
		o.PerUser = 32
	}
	if o.PresenceEvery == 0 {
		o.PresenceEvery = 200 * time.Millisecond
	}
}

// Hub fans committed events out to the live clients of each project and
// keeps their presence. Publish never blocks: a client that cannot keep up
// is dropped and resumes from its last sequence number.
type Hub struct {
	opts  HubOptions
	log   *slog.Logger
	store Store
	// write carries out a change to a coding sent over a connection
	// (livewrite.go).
	write    func(*client, *inbound) (*coding.Coding, error)
	mu       sync.RWMutex
	rooms    map[string]*room
	wg       sync.WaitGroup
	shutdown chan struct{}
	stopping atomic.Bool
	nextConn atomic.Uint64
	// keepSession notes a live connection's use of its session and says
	// whether the session goes on (see sessionend.go).
	keepSession func(sessionID string) error

	// capMu guards the live connections counted per user and session
	// against the caps (livecaps.go).
	capMu      sync.Mutex
	perUser    map[string]int
	perSession map[string]int
	// writeBuffers lends every live connection its write buffer for the
	// time of one write.
	writeBuffers sync.Pool
	// cursors stand in for sequence numbers for blinded coders.
	cursors *cursors

	// Counters for tests and the load tool.
	Delivered atomic.Uint64
	Dropped   atomic.Uint64
}

// room is one project's live clients.
type room struct {
	blind   atomic.Bool
	clients map[*client]struct{}

	// Presence changes waiting for the room's next flush (presence.go).
	pmu      sync.Mutex
	changed  map[*client]struct{}
	left     map[string]struct{}
	flushing bool
}

// message is one JSON object queued for a client; seq is its event
// sequence number, 0 for messages outside the log (presence, hello).
type message struct {
	seq  uint64
	data []byte
}

// hubDeps are what a hub calls on: the store it replays events from, the
// server's write path for codings sent over a connection (livewrite.go),
// and the session check of a live connection (sessionend.go). Any may be
// nil in tests that do not reach them.
type hubDeps struct {
	store       Store
	write       func(*client, *inbound) (*coding.Coding, error)
	keepSession func(sessionID string) error
}

// newHub returns a hub with everything it calls on. It panics if
// opts.CursorKey is set but not 32 bytes long, a programming error.
func newHub(opts HubOptions, log *slog.Logger, deps hubDeps) *Hub {
	opts.defaults()
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if len(opts.CursorKey) != 0 && len(opts.CursorKey) != cursorKeySize {
		panic("server: HubOptions.CursorKey must be 32 bytes")
	}
	cs, err := newCursors(opts.CursorKey)
	if err != nil {
		panic("server: cursor key: " + err.Error())
	}
	return &Hub{opts: opts, log: log, store: deps.store, write: deps.write, keepSession: deps.keepSession,
		rooms: map[string]*room{}, shutdown: make(chan struct{}),
		perUser: map[string]int{}, perSession: map[string]int{}, cursors: cs}
}

// Publish delivers committed events, in order, to every client allowed to
// see them. It is called from the store's commit loop and must not block.
// The events of one commit go to a client as one queue entry, so a large
// batch counts once against the client's queue.
func (h *Hub) Publish(events []coding.Event) {
	committed := time.Now().UTC()
	h.mu.RLock()
	defer h.mu.RUnlock()
	for start := 0; start < len(events); {
		project := events[start].ProjectID
		end := start + 1
		for end < len(events) && events[end].ProjectID == project {
			end++
		}
		if rm := h.rooms[project]; rm != nil {
			h.publishRoom(rm, events[start:end], committed)
		}
		start = end
	}
}

func (h *Hub) publishRoom(rm *room, events []coding.Event, committed time.Time) {
	all := make([]message, 0, len(events))
	for i := range events {
		ev := &events[i]
		h.observe(rm, ev)
		data := ev.Raw
		if data == nil {
			var err error
			if data, err = json.Marshal(ev); err != nil {
				continue
			}
		}
		all = append(all, message{seq: ev.Seq, data: stampCommitted(data, committed)})
	}
	var redacted map[int]message // events without their counts, made once for every blinded client
	for c := range rm.clients {
		if c.roleName() == "" {
			continue // removed from the project
		}
		if !rm.blind.Load() || c.lead() {
			c.enqueue(all)
			continue
		}
		mine := make([]message, 0, len(all))
		for i := range events {
			ev := &events[i]
			if !c.visible(rm, ev) {
				continue
			}
			if hasLayerCounts(ev) {
				if redacted == nil {
					redacted = map[int]message{}
				}
				m, ok := redacted[i]
				if !ok {
					m = message{seq: ev.Seq, data: stampCommitted(withoutLayerCounts(*ev).Raw, committed)}
					redacted[i] = m
				}
				mine = append(mine, m)
				continue
			}
			mine = append(mine, all[i])
		}
		if len(mine) > 0 {
			c.enqueue(mine)
		}
	}
}

// observe keeps the room's view of who may see what up to date with the
// events that change it: the blind flag and members' roles.
func (h *Hub) observe(rm *room, ev *coding.Event) {
	switch ev.Type {
	case coding.EventProjectUpdated:
		var p coding.Project
		if json.Unmarshal(ev.Payload, &p) == nil {
			rm.blind.Store(p.Blind)
		}
	case coding.EventMemberSet, coding.EventMemberRemoved:
		var m coding.Member
		if json.Unmarshal(ev.Payload, &m) == nil {
			role := m.Role
			if ev.Type == coding.EventMemberRemoved {
				// No role: nothing more is sent to them or taken from
				// them, until the server closes their connections.
				role = ""
			}
			for c := range rm.clients {
				if c.user.ID == m.UserID {
					c.role.Store(string(role))
				}
			}
		}
	}
}

// join registers a client before its replay starts, so that every event
// committed from now on reaches its queue; the replay covers what came
// before, and duplicates are dropped by sequence number.
//
// The client's role, and a new room's blind flag, come from access, read
// under the hub's lock: read before it, they could miss a change committed
// in between, which no room observed, and a blinded coder would be sent
// everyone's codings. Events still waiting to be published are observed
// after the read, which is harmless: they set the same values.
func (h *Hub) join(c *client, access func() (blind bool, role coding.Role, err error)) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.stopping.Load() {
		return errStopping
	}
	blind, role, err := access()
	if err != nil {
		return err
	}
	c.role.Store(string(role))
	rm := h.rooms[c.project]
	if rm == nil {
		rm = &room{clients: map[*client]struct{}{}}
		rm.blind.Store(blind)
		h.rooms[c.project] = rm
	}
	c.room = rm
	rm.clients[c] = struct{}{}
	h.joinPresence(rm, c)
	h.wg.Add(2)
	return nil
}

// errStopping refuses a join while the server shuts down.
var errStopping = coding.Errorf(coding.EUNAVAILABLE, "server is going away: reconnect soon")

// leave unregisters a client and gives back its place under the caps; it
// never blocks on the client.
func (h *Hub) leave(c *client) {
	h.mu.Lock()
	rm := h.rooms[c.project]
	if rm != nil {
		delete(rm.clients, c)
		if len(rm.clients) == 0 {
			delete(h.rooms, c.project)
		}
	}
	h.mu.Unlock()
	if c.release != nil {
		c.release()
	}
	h.markLeft(c)
}

// Clients returns how many clients are connected to a project.
func (h *Hub) Clients(projectID string) int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if rm := h.rooms[projectID]; rm != nil {
		return len(rm.clients)
	}
	return 0
}

// Shutdown tells every client the server is going away and waits (until
// ctx ends) for their connections to close.
func (h *Hub) Shutdown(ctx context.Context) {
	h.mu.Lock()
	if !h.stopping.Swap(true) {
		close(h.shutdown)
	}
	h.mu.Unlock()
	done := make(chan struct{})
	go func() { h.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		h.mu.RLock()
		for _, rm := range h.rooms {
			for c := range rm.clients {
				c.conn.Close()
			}
		}
		h.mu.RUnlock()
		<-done
	}
}

// stampCommitted adds "committed", the moment the commit finished, to an
// event delivered as it happens (a replay has none). "time" is taken when
// the transaction starts; the gap between them is the commit itself, so
// clients and the load tool can tell commit time from delivery time.
func stampCommitted(event []byte, at time.Time) []byte {
	if len(event) == 0 || event[len(event)-1] != '}' {
		return event
	}
	out := make([]byte, 0, len(event)+48)
	out = append(out, event[:len(event)-1]...)
	out = append(out, `,"committed":"`...)
	out = at.AppendFormat(out, time.RFC3339Nano)
	return append(out, `"}`...)
}
