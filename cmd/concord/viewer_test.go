package main

import (
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"

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
