package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// numberedPosition finds a position of the log given as a number: what a
// blinded coder must never be shown.
var numberedPosition = regexp.MustCompile(`"(seq|head|last|since|floor)":\s*[0-9]`)

// seqOf returns an answer's "seq" as raw JSON.
func seqOf(t *testing.T, c *apiClient, path string) json.RawMessage {
	t.Helper()
	var out struct{ Seq json.RawMessage }
	c.mustDo(http.StatusOK, "GET", path, nil, &out)
	return out.Seq
}

// cursorOf returns raw JSON that must be a cursor as its text.
func cursorOf(t *testing.T, where string, raw json.RawMessage) string {
	t.Helper()
	var s string
	if err := json.Unmarshal(raw, &s); err != nil || s == "" {
		t.Fatalf("%s: seq = %s, want a cursor (a string)", where, raw)
	}
	return s
}

// In a blind project, coder ben makes codings; ana, blinded, must not be
// able to count them from any sequence number: in her live stream, REST
// answers and /events she gets cursors, which differ every time even for
// the same position. Resuming from her last cursor replays exactly what
// she missed; a made-up or pre-restart cursor resets; the lead keeps
// numbers.
func TestBlindCoderGetsCursorsNotSequenceNumbers(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	lead, ana, ben := ts.login(t, "lead", "concord-demo"), ts.login(t, "ana", "concord-demo"), ts.login(t, "ben", "concord-demo")
	ids := ana.demo()
	pp := "/api/projects/" + ids.Project
	lead.mustDo(http.StatusOK, "PATCH", pp, map[string]any{"blind": true}, nil)

	// The same position fetched twice gives two different cursors.
	for _, path := range []string{pp, pp + "/documents/" + ids.Doc + "/codings"} {
		a, b := cursorOf(t, "ana GET "+path, seqOf(t, ana, path)), cursorOf(t, "ana GET "+path, seqOf(t, ana, path))
		if a == b {
			t.Errorf("ana GET %s twice: the same cursor %q both times, want two different ones", path, a)
		}
	}
	// The lead keeps numbers.
	if raw := seqOf(t, lead, pp); !regexp.MustCompile(`^[0-9]+$`).MatchString(string(raw)) {
		t.Errorf("lead GET project: seq = %s, want a number", raw)
	}

	start := cursorOf(t, "ana GET project", seqOf(t, ana, pp))
	la := ana.liveFrom(ids.Project, start)
	ll := lead.live(ids.Project, 0)
	defer ll.close()
	ll.ready()
	if m, ok := la.next(func(m liveMsg) bool { return m.Type == "ready" }, 10*time.Second); !ok {
		t.Fatal("ana: no ready message")
	} else if numberedPosition.MatchString(m.Raw) {
		t.Errorf("ana's ready message carries a number: %s", m.Raw)
	}

	// Ben's five codings, then one of ana's and a code made by the lead.
	var want []string // what ana must get, in order: her coding, the code
	round := func(n int) {
		t.Helper()
		for i := 0; i < 5; i++ {
			ben.addCoding(ids, ids.Codes[i%len(ids.Codes)], 10*n+i, 10*n+i+4)
		}
		mine := ana.addCoding(ids, ids.Codes[0], 100+n, 110+n)
		var code struct{ Code struct{ ID string } }
		lead.mustDo(http.StatusCreated, "POST", pp+"/codes", map[string]any{"name": "Cursor round " + string(rune('A'+n))}, &code)
		want = append(want, "coding.added "+mine, "code.created "+code.Code.ID)
	}
	round(0)
	// The lead sees everything, numbered: 5 + 1 + 1 events.
	if evs := ll.events(7, 10*time.Second); evs[6].Seq-evs[0].Seq != 6 {
		t.Errorf("lead's live seqs %d … %d, want 7 consecutive numbers", evs[0].Seq, evs[6].Seq)
	}
	got := la.events(2, 10*time.Second)
	describe := func(evs []liveMsg) []string {
		var out []string
		for _, m := range evs {
			if numberedPosition.MatchString(m.Raw) || m.Seq != 0 {
				t.Errorf("ana's event carries a number: %s", m.Raw)
			}
			if m.Cursor == "" {
				t.Errorf("ana's event has no cursor: %s", m.Raw)
			}
			var body struct {
				Payload struct{ ID string }
			}
			json.Unmarshal([]byte(m.Raw), &body)
			out = append(out, m.Type+" "+body.Payload.ID)
		}
		return out
	}
	if d := describe(got); strings.Join(d, ", ") != strings.Join(want, ", ") {
		t.Fatalf("ana's live events = %v, want %v", d, want)
	}
	if got[0].Cursor == got[1].Cursor || len(got[0].Cursor) != len(got[1].Cursor) {
		t.Errorf("consecutive cursors %q, %q: want different strings of one length", got[0].Cursor, got[1].Cursor)
	}
	if m, ok := la.next(func(m liveMsg) bool { return m.event() }, 500*time.Millisecond); ok {
		t.Fatalf("ana got an event she should not see: %s", m.Raw)
	}
	last := got[1].Cursor
	la.close()

	// Away: another round. Back from her last cursor: exactly what she
	// missed, once each.
	round(1)
	back := ana.liveFrom(ids.Project, last)
	defer back.close()
	var replayed []liveMsg
	for {
		m, ok := back.next(func(m liveMsg) bool { return m.event() || m.Type == "ready" || m.Type == "reset" || m.Type == "hello" }, 10*time.Second)
		if !ok {
			t.Fatal("ana's reconnection: no ready message")
		}
		if numberedPosition.MatchString(m.Raw) {
			t.Errorf("ana's reconnection carries a number: %s", m.Raw)
		}
		if m.Type == "reset" {
			t.Fatalf("ana's own cursor was answered with a reset: %s", m.Raw)
		}
		if m.Type == "ready" {
			break
		}
		if m.event() {
			replayed = append(replayed, m)
		}
	}
	if d := describe(replayed); strings.Join(d, ", ") != strings.Join(want[2:], ", ") {
		t.Fatalf("ana's replay from her last cursor = %v, want %v", d, want[2:])
	}

	// /events: cursors in, cursors out, only what she may see.
	var page struct {
		Events []json.RawMessage
		Last   json.RawMessage
		More   bool
	}
	status, _, body := ana.get(pp + "/events?since=" + url.QueryEscape(start))
	if status != http.StatusOK || numberedPosition.Match(body) {
		t.Fatalf("ana GET /events from her cursor: status %d, %s", status, body)
	}
	json.Unmarshal(body, &page)
	cursorOf(t, "ana /events last", page.Last)
	var evs []liveMsg
	for _, raw := range page.Events {
		var m liveMsg
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		m.Raw = string(raw)
		evs = append(evs, m)
	}
	if d := describe(evs); strings.Join(d, ", ") != strings.Join(want, ", ") {
		t.Errorf("ana's /events = %v, want %v", d, want)
	}
	// Paging by one cannot count the hidden events: every page holds one
	// of hers, and there are as many pages as she has events.
	pages, since := 0, start
	for ; pages < 20; pages++ {
		ana.mustDo(http.StatusOK, "GET", pp+"/events?limit=1&since="+url.QueryEscape(since), nil, &page)
		since = cursorOf(t, "ana /events?limit=1 last", page.Last)
		if len(page.Events) == 0 {
			break
		}
	}
	if pages != len(want) {
		t.Errorf("ana paged /events with limit=1 in %d pages with events, want %d (one per event of hers)", pages, len(want))
	}

	// Positions she was not given.
	// One character changed for another of base64url's: still shaped
	// like a cursor, but not one the server sealed.
	tampered := []byte(last)
	if tampered[20] == 'A' {
		tampered[20] = 'B'
	} else {
		tampered[20] = 'A'
	}
	for _, tc := range []struct {
		name, since string
		status      int
		reset       bool
	}{
		{"a number", "5", http.StatusBadRequest, false},
		{"garbage", "not-a-cursor!", http.StatusBadRequest, false},
		{"a tampered cursor", string(tampered), http.StatusOK, true},
	} {
		var out struct {
			Reset  bool
			Reason string
			Error  string
		}
		if status := ana.do("GET", pp+"/events?since="+url.QueryEscape(tc.since), nil, &out); status != tc.status || out.Reset != tc.reset {
			t.Errorf("ana GET /events?since=%s: status %d reset %v (%s%s), want %d reset %v", tc.name, status, out.Reset, out.Error, out.Reason, tc.status, tc.reset)
		}
	}
	if _, err := ana.dialLiveFrom(ids.Project, "not-a-cursor!", false); err == nil || !strings.Contains(err.Error(), "status 400") {
		t.Errorf("ana's live connection from garbage: %v, want a 400", err)
	}
	for _, since := range []string{"5", string(tampered)} {
		lc := ana.liveFrom(ids.Project, since)
		m, ok := lc.next(func(m liveMsg) bool { return m.Type == "reset" || m.Type == "ready" }, 10*time.Second)
		if !ok || m.Type != "reset" || m.HeadCursor == "" || numberedPosition.MatchString(m.Raw) {
			t.Errorf("ana's live connection from %q: got %s, want a reset with a cursor", since, m.Raw)
		}
		lc.close()
	}

	// A restart makes a new key: her cursor resets her, and the new
	// server's cursors work.
	ts.Stop()
	ts2 := startServerAt(t, ts.DB)
	ana2 := ts2.login(t, "ana", "concord-demo")
	lc := ana2.liveFrom(ids.Project, last)
	defer lc.close()
	if m, ok := lc.next(func(m liveMsg) bool { return m.Type == "reset" || m.Type == "ready" }, 10*time.Second); !ok || m.Type != "reset" {
		t.Errorf("ana's pre-restart cursor after the restart: got %s, want a reset", m.Raw)
	}
	fresh := cursorOf(t, "ana GET project after the restart", seqOf(t, ana2, pp))
	ana2.mustDo(http.StatusOK, "GET", pp+"/events?since="+url.QueryEscape(fresh), nil, &page)
	if len(page.Events) != 0 {
		t.Errorf("ana's /events from the head after the restart: %d events, want 0", len(page.Events))
	}
}
