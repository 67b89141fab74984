package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// In a blind project a coder receives no other coder's codings by any
// path, until the lead reveals them; then they arrive, live.
func TestBlindCodingHidesOtherCodersUntilRevealed(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	lead, ana, ben := ts.login(t, "lead", "concord-demo"), ts.login(t, "ana", "concord-demo"), ts.login(t, "ben", "concord-demo")
	ids := ana.demo()
	anaID, benID := ana.userID(t), ben.userID(t)
	lead.mustDo(http.StatusOK, "PATCH", "/api/projects/peer-support", map[string]any{"blind": true}, nil)

	// Ben's live stream, replaying the whole log.
	lb := ben.live(ids.Project, 0)
	defer lb.close()
	replayed := 0
	for {
		m, ok := lb.next(func(liveMsg) bool { return true }, 10*time.Second)
		if !ok {
			t.Fatal("no ready message")
		}
		if m.Type == "ready" {
			break
		}
		if m.Seq > 0 {
			replayed++
			if m.Owner != "" && m.Owner != benID {
				t.Fatalf("ben's replay holds another coder's event: %s", m.Raw)
			}
		}
	}
	if replayed == 0 {
		t.Fatal("ben's replay was empty")
	}

	onlyBen := func(where string, raw json.RawMessage) {
		t.Helper()
		var body struct {
			Codings []struct{ Coder string }
			Events  []struct{ Owner string }
		}
		json.Unmarshal(raw, &body)
		if len(body.Codings)+len(body.Events) == 0 {
			t.Fatalf("%s: empty answer %s", where, raw)
		}
		for _, c := range body.Codings {
			if c.Coder != benID {
				t.Fatalf("%s shows ben a coding by %s", where, c.Coder)
			}
		}
		for _, e := range body.Events {
			if e.Owner != "" && e.Owner != benID {
				t.Fatalf("%s shows ben an event of %s", where, e.Owner)
			}
		}
	}
	for _, path := range []string{
		"/api/projects/peer-support/codings",
		"/api/projects/peer-support/codings?coder=" + anaID,
		"/api/projects/peer-support/documents/" + ids.Doc + "/codings",
		"/api/projects/peer-support/events?since=0&limit=10000",
	} {
		var raw json.RawMessage
		ben.mustDo(http.StatusOK, "GET", path, nil, &raw)
		if strings.Contains(path, "coder="+anaID) {
			if strings.Contains(string(raw), anaID) {
				t.Fatalf("asking for ana's layer by name shows it: %s", raw)
			}
			continue
		}
		onlyBen(path, raw)
	}
	// Search results carry only ben's codings.
	var found struct {
		Hits []struct{ Codings []struct{ Coder string } }
	}
	ben.mustDo(http.StatusOK, "GET", "/api/projects/peer-support/search?q=peer", nil, &found)
	if len(found.Hits) == 0 {
		t.Fatal("no search hits for peer")
	}
	for _, h := range found.Hits {
		for _, c := range h.Codings {
			if c.Coder != benID {
				t.Fatalf("a search hit shows ben a coding by %s", c.Coder)
			}
		}
	}
	// Nor can ben touch ana's codings: they do not exist for him.
	var anas struct{ Codings []struct{ ID string } }
	ana.mustDo(http.StatusOK, "GET", "/api/projects/peer-support/codings?coder="+anaID, nil, &anas)
	if status := ben.do("DELETE", "/api/projects/peer-support/codings/"+anas.Codings[0].ID, nil, nil); status != http.StatusNotFound {
		t.Fatalf("ben deleting ana's coding: status %d, want 404", status)
	}

	// A new coding of ana's does not reach ben; the reveal does, live.
	ana.addCoding(ids, ids.Codes[0], 11, 19)
	if m, ok := lb.next(func(m liveMsg) bool { return m.Seq > 0 }, 500*time.Millisecond); ok {
		t.Fatalf("ben received %s in a blind project", m.Raw)
	}
	lead.mustDo(http.StatusOK, "PATCH", "/api/projects/peer-support", map[string]any{"blind": false}, nil)
	m, ok := lb.next(func(m liveMsg) bool { return m.Seq > 0 }, 5*time.Second)
	if !ok || m.Type != "project.updated" || !strings.Contains(string(m.Payload), `"blind":false`) {
		t.Fatalf("ben did not hear of the reveal: %s", m.Raw)
	}
	ana.addCoding(ids, ids.Codes[0], 21, 29)
	if m, ok := lb.next(func(m liveMsg) bool { return m.Seq > 0 }, 5*time.Second); !ok || m.Owner != anaID {
		t.Fatalf("after the reveal ben should see ana's coding live, got %s", m.Raw)
	}
	var all struct{ Codings []struct{ Coder string } }
	ben.mustDo(http.StatusOK, "GET", "/api/projects/peer-support/codings", nil, &all)
	seen := false
	for _, c := range all.Codings {
		seen = seen || c.Coder == anaID
	}
	if !seen {
		t.Fatal("after the reveal ben's codings list lacks ana's")
	}
}

// A viewer's write attempts change nothing.
func TestViewerCannotChangeAnything(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	lead := ts.login(t, "lead", "concord-demo")
	ids := lead.demo()
	vera := ts.sessionFor(t, "vera", ids.Project, "viewer")
	before, _ := ts.Store.LastSeq(ids.Project)
	for _, req := range []struct {
		method, path string
		body         any
	}{
		{"POST", "/api/projects/peer-support/codings", map[string]any{"document": ids.Doc, "code": ids.Codes[0], "start": 0, "end": 4}},
		{"POST", "/api/projects/peer-support/codes", map[string]any{"name": "Sneaky"}},
		{"PATCH", "/api/projects/peer-support", map[string]any{"blind": true}},
		{"POST", "/api/projects/peer-support/memos", map[string]any{"text": "hi"}},
		{"POST", "/api/projects/peer-support/documents", map[string]any{"title": "x", "text": "y"}},
	} {
		if status := vera.do(req.method, req.path, req.body, nil); status != http.StatusForbidden {
			t.Errorf("viewer %s %s: status %d, want 403", req.method, req.path, status)
		}
	}
	if after, _ := ts.Store.LastSeq(ids.Project); after != before {
		t.Fatalf("viewer requests changed the project: seq %d → %d", before, after)
	}
}
