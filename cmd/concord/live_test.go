package main

import (
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestLiveCodingReachesOtherCoder(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	ana, ben := ts.login(t, "ana", "concord-demo"), ts.login(t, "ben", "concord-demo")
	ids := ana.demo()
	lb := ben.live(ids.Project, 1<<62) // far ahead: told to reset, then live from head
	head := lb.ready()
	id := ana.addCoding(ids, ids.Codes[0], 3, 9)
	m, ok := lb.next(func(m liveMsg) bool { return m.Seq > 0 }, 5*time.Second)
	if !ok {
		t.Fatal("ben did not receive ana's coding")
	}
	var c struct{ ID, Coder string }
	json.Unmarshal(m.Payload, &c)
	if m.Type != "coding.added" || c.ID != id || m.Seq != head+1 {
		t.Fatalf("ben received %s (seq %d, coding %s), want coding.added seq %d coding %s", m.Type, m.Seq, c.ID, head+1, id)
	}
}

func TestLiveReconnectReplaysExactlyWhatWasMissed(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	ana, ben := ts.login(t, "ana", "concord-demo"), ts.login(t, "ben", "concord-demo")
	ids := ana.demo()
	var p struct{ Seq uint64 }
	ben.mustDo(http.StatusOK, "GET", "/api/projects/peer-support", nil, &p)
	lb := ben.live(ids.Project, p.Seq)
	last := lb.ready()
	lb.close()

	var want []string
	for i := 0; i < 50; i++ {
		want = append(want, ana.addCoding(ids, ids.Codes[i%len(ids.Codes)], 100+i, 110+i))
	}
	lb = ben.live(ids.Project, last)
	defer lb.close()
	got := lb.events(50, 10*time.Second)
	for i, m := range got {
		var c struct{ ID string }
		json.Unmarshal(m.Payload, &c)
		if m.Seq != last+uint64(i)+1 || c.ID != want[i] {
			t.Fatalf("replayed event %d: seq %d coding %s, want seq %d coding %s", i, m.Seq, c.ID, last+uint64(i)+1, want[i])
		}
	}
	if extra, ok := lb.next(func(m liveMsg) bool { return m.Seq > 0 }, 300*time.Millisecond); ok {
		t.Fatalf("received an extra event after the replay: %s", extra.Raw)
	}
}

func TestLiveSlowClientIsDroppedOthersKeepReceiving(t *testing.T) {
	t.Parallel()
	// The stuck client goes when its queue of 16 commits overflows, once
	// its socket is full. The timeout only needs to be long enough that
	// ben, reading under the race detector while the whole suite runs
	// beside it, never misses a deadline (3 s and, in a full CI run, 10 s
	// did).
	ts := startServer(t, "--live-queue", "16", "--live-timeout", "30s")
	ana, ben, lead := ts.login(t, "ana", "concord-demo"), ts.login(t, "ben", "concord-demo"), ts.login(t, "lead", "concord-demo")
	ids := ana.demo()
	var p struct{ Seq uint64 }
	ben.mustDo(http.StatusOK, "GET", "/api/projects/peer-support", nil, &p)
	stuck, err := lead.dialLive(ids.Project, p.Seq, false) // never reads
	if err != nil {
		t.Fatal(err)
	}
	defer stuck.close()

	// Ana watches who is online, as the web UI does: the stuck client is
	// the other connection in the room when she joins.
	watch := ana.live(ids.Project, 1<<62)
	defer watch.close()
	self := helloConn(t, watch)
	online := presenceView{}
	for len(online) < 2 {
		m, ok := watch.next(func(m liveMsg) bool { return m.Type == "presence" }, 10*time.Second)
		if !ok {
			t.Fatalf("ana sees %d connections online, want hers and the stuck one", len(online))
		}
		online.apply(m)
	}
	var stuckConn string
	for id := range online {
		if id != self {
			stuckConn = id
		}
	}

	lb := ben.live(ids.Project, p.Seq)
	defer lb.close()
	lb.ready()

	// Commits of codings with long memos fill the stuck client's socket
	// and then its queue; ben takes each commit's events before the next
	// is made (with a queue of 16, a reader on a loaded machine could
	// otherwise fall 16 commits behind too, and the test is about the one
	// that never reads). How many commits that takes depends on the
	// system's socket buffers, so the loop runs until ana sees the stuck
	// client leave.
	memo := strings.Repeat("m", 5000)
	const per, most = 20, 400
	var got []liveMsg
	left := false
	for b := 0; !left; b++ {
		if b == most {
			t.Fatalf("the stuck client was still online after %d commits of %d KB", most, per*len(memo)/1000)
		}
		list := make([]map[string]any, per)
		for i := range list {
			s := (b*per + i) % (ids.DocLen - 10)
			list[i] = map[string]any{"document": ids.Doc, "code": ids.Codes[(b*per+i)%len(ids.Codes)], "start": s, "end": s + 3 + b%50, "memo": memo}
		}
		ana.mustDo(http.StatusCreated, "POST", "/api/projects/"+ids.Project+"/codings", map[string]any{"codings": list}, nil)
		got = append(got, lb.events(per, 30*time.Second)...)
		for drained := false; !drained && !left; {
			select {
			case m := <-watch.msgs:
				left = m.Type == "presence" && slices.Contains(m.Left, stuckConn)
			default:
				drained = true
			}
		}
	}
	for i := 1; i < len(got); i++ {
		if got[i].Seq != got[i-1].Seq+1 {
			t.Fatalf("ben's stream has a gap: %d after %d", got[i].Seq, got[i-1].Seq)
		}
	}
	t.Logf("the stuck client was dropped after %d commits", len(got)/per)
	// The server closed the stuck client: reading what reached its socket
	// ends in a close or a reset, not in waiting for more.
	stuck.conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	for {
		_, _, err := stuck.conn.ReadMessage()
		if err == nil {
			continue
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Fatalf("the stuck client was never dropped: %v", err)
		}
		break
	}
}

// 24 coders × 25 codings each, concurrently: every coder's live view ends
// identical, and the database holds exactly 600 new codings. Half the
// coders post their codings over HTTP, half send them over a live
// connection as the web UI does. (The load tool, concord bench live,
// measures how far this goes, with 50 and 200 coders; here the point is
// that many writers at once interleave and every reader still sees one
// order. Every connection receives every coding, so the work grows with
// the square of the coders: 50 × 30 cost 35 CPU-seconds under the race
// detector, a tenth of the whole suite.)
func TestLiveManyCodersConverge(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("many coders: skipped in -short")
	}
	ts := startServer(t)
	lead := ts.login(t, "lead", "concord-demo")
	ids := lead.demo()
	const coders, each = 24, 25
	var before struct{ Codings []json.RawMessage }
	lead.mustDo(http.StatusOK, "GET", "/api/projects/"+ids.Project+"/codings", nil, &before)
	var p struct{ Seq uint64 }
	lead.mustDo(http.StatusOK, "GET", "/api/projects/peer-support", nil, &p)

	clients := ts.addCoders(t, coders)
	conns := make([]*liveConn, coders)
	for i, c := range clients {
		conns[i] = c.live(ids.Project, p.Seq)
		defer conns[i].close()
	}
	for _, lc := range conns {
		lc.ready()
	}
	var wg sync.WaitGroup
	for i, c := range clients {
		// The writing connection is a second one: change() skips the
		// events it is not waiting for, and conns[i] must count them all.
		var writer *liveConn
		if i%2 == 1 {
			writer = c.live(ids.Project, 1<<62)
			defer writer.close()
			writer.ready()
		}
		wg.Add(1)
		go func(i int, c *apiClient) {
			defer wg.Done()
			for j := 0; j < each; j++ {
				s := (i*each + j) % (ids.DocLen - 20)
				body := map[string]any{"document": ids.Doc, "code": ids.Codes[j%len(ids.Codes)], "start": s, "end": s + 5 + j%7}
				if writer == nil {
					c.mustDo(http.StatusCreated, "POST", "/api/projects/"+ids.Project+"/codings", body, nil)
				} else if r := writer.change(map[string]any{"type": "coding.add", "coding": body}); r.Status != http.StatusCreated {
					t.Errorf("coder %d, coding %d over the live connection: %+v", i, j, r)
					return
				}
			}
		}(i, c)
	}
	wg.Wait()
	// Every coder's stream holds the same 600 events, in order.
	var first []uint64
	for i, lc := range conns {
		evs := lc.events(coders*each, 60*time.Second)
		seqs := make([]uint64, len(evs))
		for j, m := range evs {
			seqs[j] = m.Seq
			if j > 0 && m.Seq != seqs[j-1]+1 {
				t.Fatalf("coder %d: seq %d after %d", i, m.Seq, seqs[j-1])
			}
		}
		if i == 0 {
			first = seqs
		} else if seqs[0] != first[0] || seqs[len(seqs)-1] != first[len(first)-1] {
			t.Fatalf("coder %d saw events %d..%d, coder 0 saw %d..%d", i, seqs[0], seqs[len(seqs)-1], first[0], first[len(first)-1])
		}
	}
	var after struct{ Codings []json.RawMessage }
	lead.mustDo(http.StatusOK, "GET", "/api/projects/"+ids.Project+"/codings", nil, &after)
	if got := len(after.Codings) - len(before.Codings); got != coders*each {
		t.Fatalf("the database gained %d codings, want %d", got, coders*each)
	}
}

// A client whose last event was compacted away is told to reload, not
// given a partial history.
func TestLiveResetAfterCompaction(t *testing.T) {
	t.Parallel()
	ts := startServer(t, "--keep-events", "5")
	ana := ts.login(t, "ana", "concord-demo")
	ids := ana.demo()
	for i := 0; i < 10; i++ {
		ana.addCoding(ids, ids.Codes[0], 30+i, 40+i)
	}
	if _, err := ts.Store.CompactEvents(ids.Project, 5, ""); err != nil {
		t.Fatal(err)
	}
	lc := ana.live(ids.Project, 1)
	defer lc.close()
	m, ok := lc.next(func(m liveMsg) bool { return m.Type == "reset" || m.Seq > 0 }, 10*time.Second)
	if !ok || m.Type != "reset" {
		t.Fatalf("resuming from before the floor: got %s, want a reset", m.Raw)
	}
	var rest struct{ Reset bool }
	ana.mustDo(http.StatusOK, "GET", "/api/projects/peer-support/events?since=1", nil, &rest)
	if !rest.Reset {
		t.Fatal("GET events from before the floor did not say reset")
	}
}
