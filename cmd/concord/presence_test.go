package main

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"
)

// presenceView is what one client knows of who is online: the whole list
// it got on joining with every change since applied.
type presenceView map[string]presenceEntry

func (v presenceView) apply(m liveMsg) {
	if m.Online != nil {
		clear(v)
		for _, e := range m.Online {
			v[e.Conn] = e
		}
	}
	for _, e := range m.Changed {
		v[e.Conn] = e
	}
	for _, id := range m.Left {
		delete(v, id)
	}
}

// helloConn waits for the hello and returns the connection's id.
func helloConn(t *testing.T, lc *liveConn) string {
	t.Helper()
	m, ok := lc.next(func(m liveMsg) bool { return m.Type == "hello" }, 10*time.Second)
	if !ok {
		t.Fatal("no hello")
	}
	var h struct{ Conn string }
	json.Unmarshal([]byte(m.Raw), &h)
	return h.Conn
}

// With n clients in a room, one presence change reaches each of them as a
// message of one entry, whatever n is, and a burst of changes from one
// client reaches them coalesced.
func TestLivePresenceSendsChanges(t *testing.T) {
	t.Parallel()
	for _, n := range []int{4, 24} {
		t.Run(fmt.Sprintf("%d clients", n), func(t *testing.T) {
			t.Parallel()
			ts := startServer(t)
			p, err := ts.Store.ProjectBySlug("peer-support")
			if err != nil {
				t.Fatal(err)
			}
			coders := ts.addCoders(t, n)
			conns := make([]*liveConn, n)
			ids := make([]string, n)
			for i, c := range coders {
				conns[i] = c.live(p.ID, 1<<62)
				defer conns[i].close()
				ids[i] = helloConn(t, conns[i])
			}
			views := make([]presenceView, n)
			for i, lc := range conns {
				views[i] = presenceView{}
				for len(views[i]) < n {
					m, ok := lc.next(func(m liveMsg) bool { return m.Type == "presence" }, 10*time.Second)
					if !ok {
						t.Fatalf("client %d sees %d of %d clients online", i, len(views[i]), n)
					}
					views[i].apply(m)
				}
			}

			// One change: a message of one entry to each of the others.
			if err := conns[0].conn.WriteJSON(map[string]any{"type": "presence", "document": "doc-1", "start": 1, "end": 5}); err != nil {
				t.Fatal(err)
			}
			for i := 1; i < n; i++ {
				m, ok := conns[i].next(func(m liveMsg) bool {
					if m.Type != "presence" {
						return false
					}
					views[i].apply(m)
					return views[i][ids[0]].Document == "doc-1"
				}, 10*time.Second)
				if !ok {
					t.Fatalf("client %d never saw client 0 open doc-1", i)
				}
				if m.Online != nil || len(m.Changed) != 1 || len(m.Left) != 0 || len(m.Raw) > 300 {
					t.Fatalf("client %d got %d bytes for one change (%d online, %d changed, %d left), want one changed entry: %s",
						i, len(m.Raw), len(m.Online), len(m.Changed), len(m.Left), m.Raw)
				}
			}

			// A burst of 20 selections: the others see the last one after
			// fewer messages than changes.
			const burst = 20
			for j := 0; j < burst; j++ {
				if err := conns[0].conn.WriteJSON(map[string]any{"type": "presence", "document": "doc-1", "start": 10 + j, "end": 100}); err != nil {
					t.Fatal(err)
				}
			}
			last := 10 + burst - 1
			for i := 1; i < n; i++ {
				got := 0
				_, ok := conns[i].next(func(m liveMsg) bool {
					if m.Type != "presence" {
						return false
					}
					views[i].apply(m)
					got++
					e := views[i][ids[0]]
					return e.Start != nil && *e.Start == last
				}, 10*time.Second)
				if !ok {
					t.Fatalf("client %d never saw client 0's last selection (start %d)", i, last)
				}
				if got >= burst {
					t.Errorf("client %d got %d presence messages for a burst of %d changes, want them coalesced", i, got, burst)
				}
			}

			// Leaving is a change too: every other client drops client 0.
			conns[0].close()
			for i := 1; i < n; i++ {
				m, ok := conns[i].next(func(m liveMsg) bool {
					if m.Type != "presence" {
						return false
					}
					views[i].apply(m)
					_, still := views[i][ids[0]]
					return !still
				}, 10*time.Second)
				if !ok || m.Online != nil || len(m.Raw) > 300 {
					t.Fatalf("client %d: client 0 leaving arrived as %q (ok %v), want a small change", i, m.Raw, ok)
				}
			}
		})
	}
}
