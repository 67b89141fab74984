package server

import (
	"encoding/json"
	"time"
)

// Presence travels as changes. A client gets the room's whole list once,
// when it joins; afterwards only what changed (who arrived or moved, whose
// selection changed, who left), gathered per room and sent at most every
// PresenceEvery. Sending the whole list to everyone on every change cost
// N² bytes per round: 400 readers and their selections made the server
// send gigabytes in seconds.
//
// Messages (newline-separated JSON like everything on the stream):
//
//	{"type":"presence","online":[entry…]}              the whole list, on joining
//	{"type":"presence","changed":[entry…],"left":[conn…]} changes since the last one
//
// In a blind project coders see where others are, but not what they
// select: their entries carry no start and end.

// presenceDelta is the message that carries changes.
type presenceDelta struct {
	Type    string     `json:"type"`
	Changed []presence `json:"changed,omitempty"`
	Left    []string   `json:"left,omitempty"`
}

// joinPresence sends a joining client the room's whole list and notes its
// arrival for everyone else. The caller holds h.mu, so the list is
// queued before any later change reaches the client.
func (h *Hub) joinPresence(rm *room, c *client) {
	masked := rm.blind.Load() && !c.lead()
	all := make([]presence, 0, len(rm.clients))
	for o := range rm.clients {
		o.mu.Lock()
		p := o.presence
		o.mu.Unlock()
		if masked {
			p.Start, p.End = 0, 0
		}
		all = append(all, p)
	}
	data, _ := json.Marshal(map[string]any{"type": "presence", "online": all})
	c.enqueue([]message{{data: data}})
	h.markPresence(c)
}

// markPresence notes that c's presence changed; the room's next flush
// sends it.
func (h *Hub) markPresence(c *client) {
	rm := c.room
	rm.pmu.Lock()
	defer rm.pmu.Unlock()
	if rm.changed == nil {
		rm.changed = map[*client]struct{}{}
	}
	rm.changed[c] = struct{}{}
	h.scheduleFlush(rm)
}

// markLeft notes that c left; it may be called more than once.
func (h *Hub) markLeft(c *client) {
	rm := c.room
	if rm == nil {
		return
	}
	rm.pmu.Lock()
	defer rm.pmu.Unlock()
	delete(rm.changed, c)
	if rm.left == nil {
		rm.left = map[string]struct{}{}
	}
	rm.left[c.id] = struct{}{}
	h.scheduleFlush(rm)
}

// scheduleFlush starts the room's flush timer unless it runs already. The
// caller holds rm.pmu.
func (h *Hub) scheduleFlush(rm *room) {
	if rm.flushing {
		return
	}
	rm.flushing = true
	time.AfterFunc(h.opts.PresenceEvery, func() { h.flushPresence(rm) })
}

// flushPresence sends the room's gathered changes to each of its clients:
// one message, marshalled once (twice in a blind project: without
// selections for coders).
func (h *Hub) flushPresence(rm *room) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	rm.pmu.Lock()
	changed, left := rm.changed, rm.left
	rm.changed, rm.left, rm.flushing = nil, nil, false
	rm.pmu.Unlock()
	var d presenceDelta
	d.Type = "presence"
	for c := range changed {
		if _, in := rm.clients[c]; !in {
			continue // closed meanwhile: it is in left, or soon will be
		}
		c.mu.Lock()
		d.Changed = append(d.Changed, c.presence)
		c.mu.Unlock()
	}
	for id := range left {
		d.Left = append(d.Left, id)
	}
	if len(d.Changed) == 0 && len(d.Left) == 0 {
		return
	}
	full, _ := json.Marshal(d)
	var masked []byte
	for c := range rm.clients {
		if !rm.blind.Load() || c.lead() {
			c.enqueue([]message{{data: full}})
			continue
		}
		if masked == nil {
			hidden := presenceDelta{Type: "presence", Changed: make([]presence, len(d.Changed)), Left: d.Left}
			for i, p := range d.Changed {
				p.Start, p.End = 0, 0
				hidden.Changed[i] = p
			}
			masked, _ = json.Marshal(hidden)
		}
		c.enqueue([]message{{data: masked}})
	}
}
