package main

import (
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/concordqda/concord/coding"
	"github.com/concordqda/concord/server"
)

// A viewer's write attempts change nothing: every route that is not a
// GET, tried with the same valid request that succeeds for a lead or
// coder in TestAuthorizationTable, is refused, and the database file is
// byte for byte what it was.
func TestViewerCannotChangeAnything(t *testing.T) {
	t.Parallel()
	// No compaction loop: its first pass could commit during the test.
	ts := startServer(t, "--keep-events", "0")
	p, docs, lead := ts.authzWalkStart(t)
	vera := ts.sessionFor(t, "vera", p.ID, coding.RoleViewer)
	base, _ := url.Parse(ts.URL)
	viewer := authzCaller{kind: "viewer", userID: vera.userID(t), cookies: vera.http.Jar.Cookies(base)}
	f := ts.newAuthzFixture(t, viewer, p.ID, docs[0].ID, lead.ID, 0)

	// Routes a viewer may use because they are not about the project.
	notProject := map[string]string{
		"POST /api/login":  "anyone may sign in, which stores a session",
		"POST /api/logout": "ends the viewer's own session",
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
	// Nor through the live connection, which takes changes to codings too.
	lc := vera.live(p.ID, 1<<62)
	lc.ready()
	someCoding := f.codings[0] // the lead's
	for _, msg := range []map[string]any{
		{"type": "coding.add", "coding": map[string]any{"document": docs[0].ID, "code": f.code, "start": 1, "end": 5}},
		{"type": "coding.update", "id": someCoding, "patch": map[string]any{"memo": "x"}},
		{"type": "coding.delete", "id": someCoding},
	} {
		if r := lc.change(msg); r.Status != http.StatusForbidden {
			t.Errorf("viewer's live %s: %+v, want 403", msg["type"], r)
		}
	}
	lc.close()
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

// A page on another site cannot change anything through a signed-in
// lead's browser: every route that is not a GET, sent with the lead's
// cookie and another site's Origin, is refused, and the database file is
// unchanged.
func TestCrossSiteWritesChangeNothing(t *testing.T) {
	t.Parallel()
	ts := startServer(t, "--keep-events", "0")
	p, docs, u := ts.authzWalkStart(t)
	token, _, err := ts.Store.CreateSession(u.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	lead := authzCaller{kind: "lead", userID: u.ID, cookies: []*http.Cookie{{Name: server.SessionCookie, Value: token}}}
	f := ts.newAuthzFixture(t, lead, p.ID, docs[0].ID, u.ID, 0)
	before := fileHash(t, ts.DB)
	for _, r := range apiRoutes() {
		if strings.HasPrefix(r.Pattern, "GET ") {
			continue
		}
		req := authzTable[r.Pattern].req(f)
		req.origin = "https://evil.example"
		req.throwaway = false // making one would write to the database
		if status, body := ts.send(t, lead, req); status != http.StatusForbidden || !strings.Contains(body, "another site") {
			t.Errorf("cross-site %s %s: status %d %s, want 403", req.method, req.path, status, body)
		}
	}
	if fileHash(t, ts.DB) != before {
		t.Fatal("cross-site requests changed the database file")
	}
	// The same requests from our own pages go through (the first one).
	req := authzTable["POST /api/projects/{pid}/codes"].req(f)
	if status, body := ts.send(t, lead, req); status != http.StatusCreated {
		t.Fatalf("same-site %s %s: status %d %s", req.method, req.path, status, body)
	}
}

// apiRoutes lists the API routes the server registers.
func apiRoutes() []server.Route { return server.New(nil, server.Options{}).Routes() }
