package main

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/concordqda/concord/coding"
	"github.com/concordqda/concord/server"
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

// A viewer's write attempts change nothing: every route that is not a
// GET, tried with the same valid request that succeeds for a lead or
// coder in TestAuthorizationTable, is refused, and the database file is
// byte for byte what it was.
func TestViewerCannotChangeAnything(t *testing.T) {
	t.Parallel()
	// No compaction loop: its first pass could commit during the test.
	ts := startServer(t, "--keep-events", "0")
	p, err := ts.Store.ProjectBySlug("peer-support")
	if err != nil {
		t.Fatal(err)
	}
	docs, _ := ts.Store.Documents(p.ID)
	lead, _ := ts.Store.UserByLogin("lead")
	if err := ts.Store.CreateUser(&coding.User{Login: "extra", Name: "Extra"}); err != nil {
		t.Fatal(err)
	}
	vera := ts.sessionFor(t, "vera", p.ID, coding.RoleViewer)
	base, _ := url.Parse(ts.URL)
	viewer := authzCaller{kind: "viewer", userID: vera.userID(t), cookies: vera.http.Jar.Cookies(base)}
	f := ts.newAuthzFixture(t, viewer, p.ID, docs[0].ID, lead.ID, 0)

	// Routes a viewer may use because they are not about the project.
	notProject := map[string]string{
		"POST /api/login":    "anyone may sign in, which stores a session",
		"POST /api/logout":   "ends the viewer's own session",
		"POST /api/projects": "any signed-in user may start a project of their own",
	}
	seqs := func() map[string]uint64 {
		out := map[string]uint64{}
		ps, _ := ts.Store.Projects()
		for _, p := range ps {
			out[p.ID], _ = ts.Store.LastSeq(p.ID)
		}
		return out
	}
	beforeSeqs, before := seqs(), fileHash(t, ts.DB)
	tried := 0
	for _, r := range apiRoutes() {
		if strings.HasPrefix(r.Pattern, "GET ") {
			continue
		}
		if _, ok := notProject[r.Pattern]; ok {
			delete(notProject, r.Pattern)
			continue
		}
		req := authzTable[r.Pattern].req(f)
		tried++
		if status, body := ts.send(t, viewer, req); status != http.StatusForbidden {
			t.Errorf("viewer %s %s: status %d %s, want 403", req.method, req.path, status, body)
		}
	}
	if len(notProject) > 0 {
		t.Errorf("routes in notProject that the server does not have: %v", notProject)
	}
	if tried < 15 {
		t.Errorf("tried only %d write routes", tried)
	}
	if after := seqs(); !maps.Equal(after, beforeSeqs) {
		t.Errorf("viewer requests added events: %v → %v", beforeSeqs, after)
	}
	if after := fileHash(t, ts.DB); after != before {
		t.Fatal("viewer requests changed the database file")
	}
}

// apiRoutes lists the API routes the server registers.
func apiRoutes() []server.Route { return server.New(nil, server.Options{}).Routes() }
