package main

import (
	"bytes"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/concordqda/concord/coding"
	"github.com/concordqda/concord/server"
	"github.com/google/uuid"
)

// authzTable says who may use each API route. Every route the server
// registers must have a row: a new route without one fails the test.
var authzTable = map[string]string{
	"GET /api/health":                                 "public",
	"GET /healthz":                                    "public",
	"POST /api/login":                                 "public",
	"POST /api/logout":                                "user",
	"GET /api/me":                                     "user",
	"POST /api/me/password":                           "user",
	"GET /api/projects":                               "user",
	"POST /api/projects":                              "user",
	"GET /api/backup":                                 "admin",
	"GET /api/projects/{pid}":                         "read",
	"PATCH /api/projects/{pid}":                       "lead",
	"GET /api/projects/{pid}/members":                 "read",
	"PUT /api/projects/{pid}/members/{login}":         "lead",
	"POST /api/projects/{pid}/invitations":            "lead",
	"GET /api/projects/{pid}/documents":               "read",
	"POST /api/projects/{pid}/documents":              "lead",
	"GET /api/projects/{pid}/documents/{did}":         "read",
	"PATCH /api/projects/{pid}/documents/{did}":       "lead",
	"GET /api/projects/{pid}/documents/{did}/codings": "read",
	"GET /api/projects/{pid}/codes":                   "read",
	"POST /api/projects/{pid}/codes":                  "lead",
	"PATCH /api/projects/{pid}/codes/{cid}":           "lead",
	"DELETE /api/projects/{pid}/codes/{cid}":          "lead",
	"POST /api/projects/{pid}/codes/{cid}/merge":      "lead",
	"GET /api/projects/{pid}/codings":                 "read",
	"POST /api/projects/{pid}/codings":                "code",
	"PATCH /api/projects/{pid}/codings/{id}":          "code",
	"DELETE /api/projects/{pid}/codings/{id}":         "code",
	"POST /api/projects/{pid}/codings/delete":         "code",
	"GET /api/projects/{pid}/search":                  "read",
	"GET /api/projects/{pid}/segments":                "read",
	"GET /api/projects/{pid}/analysis/frequencies":    "read",
	"GET /api/projects/{pid}/analysis/cooccurrence":   "read",
	"POST /api/projects/{pid}/autocode":               "code",
	"GET /api/projects/{pid}/memos":                   "read",
	"POST /api/projects/{pid}/memos":                  "code",
	"PUT /api/projects/{pid}/memos/{id}":              "code",
	"DELETE /api/projects/{pid}/memos/{id}":           "code",
	"GET /api/projects/{pid}/agreement":               "lead",
	"GET /api/projects/{pid}/agreement/disagreements": "lead",
	"GET /api/projects/{pid}/export":                  "code",
	"GET /api/projects/{pid}/events":                  "read",
	"GET /api/projects/{pid}/live":                    "read",

	// Retrieval and analysis (branch analysis).
	"POST /api/projects/{pid}/import": "lead",
}

// allowedFor says whether a caller kind may use a route of an access level.
func allowedFor(caller, access string) bool {
	switch access {
	case "public":
		return true
	case "user":
		return caller != "anonymous"
	case "admin":
		return caller == "lead" // the demo lead is the administrator
	}
	level := map[string]int{"read": 0, "code": 1, "lead": 2}[access]
	role := map[string]int{"viewer": 0, "coder": 1, "blind coder": 1, "lead": 2}
	r, member := role[caller]
	return member && r >= level
}

func TestAuthorizationTable(t *testing.T) {
	t.Parallel()
	routes := server.New(nil, server.Options{}).Routes()
	for _, r := range routes {
		if _, ok := authzTable[r.Pattern]; !ok {
			t.Errorf("route %q has no row in authzTable", r.Pattern)
		} else if authzTable[r.Pattern] != r.Access {
			t.Errorf("route %q: the server declares %q, the table says %q", r.Pattern, r.Access, authzTable[r.Pattern])
		}
	}
	if len(routes) != len(authzTable) {
		t.Errorf("the server has %d routes, the table %d rows", len(routes), len(authzTable))
	}

	ts := startServer(t)
	p, err := ts.Store.ProjectBySlug("peer-support")
	if err != nil {
		t.Fatal(err)
	}
	docs, _ := ts.Store.Documents(p.ID)

	// A viewer of the demo, and a stranger who leads another project only.
	viewer := ts.sessionFor(t, "vera", p.ID, coding.RoleViewer)
	stranger := ts.sessionFor(t, "sam", "", "")
	other := &coding.Project{Slug: "other", Name: "Other"}
	sam, _ := ts.Store.UserByLogin("sam")
	if _, err := ts.Store.CreateProject(other, sam.ID); err != nil {
		t.Fatal(err)
	}
	callers := map[string]*apiClient{
		"anonymous": {t: t, base: ts.URL, http: &http.Client{Timeout: 30 * time.Second}},
		"viewer":    viewer,
		"coder":     ts.login(t, "ana", "concord-demo"),
		"lead":      ts.login(t, "lead", "concord-demo"),
		"stranger":  stranger,
	}
	fill := strings.NewReplacer("{pid}", p.ID, "{did}", docs[0].ID, "{cid}", uuid.NewString(), "{id}", uuid.NewString(), "{login}", "nobody")
	check := func(kind string, c *apiClient) {
		for _, r := range routes {
			method, path, _ := strings.Cut(r.Pattern, " ")
			if r.Pattern == "POST /api/logout" || r.Pattern == "POST /api/me/password" || r.Pattern == "POST /api/login" {
				continue // would end the caller's session or sign in; tested on their own
			}
			path = fill.Replace(path)
			status, body := c.raw(method, path)
			denied := status == 401 || status == 403 ||
				(status == 404 && strings.Contains(body, "there is no project"))
			if want := allowedFor(kind, authzTable[r.Pattern]); want == denied {
				t.Errorf("%s %s %s: status %d %s; want allowed=%v", kind, method, path, status, body, want)
			}
		}
	}
	for kind, c := range callers {
		check(kind, c)
	}
	// The same coder in a blind project: the same routes, less content.
	bp := *p
	bp.Blind = true
	if _, err := ts.Store.UpdateProject(&bp, callers["lead"].userID(t)); err != nil {
		t.Fatal(err)
	}
	check("blind coder", callers["coder"])
}

// raw sends a request with an empty JSON object as body (for methods that
// take one) and returns the status and body.
func (c *apiClient) raw(method, path string) (int, string) {
	c.t.Helper()
	var rd io.Reader
	if method != "GET" && method != "DELETE" {
		rd = bytes.NewReader([]byte("{}"))
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	return resp.StatusCode, string(data)
}

func (c *apiClient) userID(t testing.TB) string {
	var me struct{ User coding.User }
	c.mustDo(http.StatusOK, "GET", "/api/me", nil, &me)
	return me.User.ID
}

// sessionFor creates a user (a member of project with role, unless
// project is "") and a client signed in through a session made in the
// store: bcrypt makes real sign-ins slow, and sign-in has its own tests.
func (ts *testServer) sessionFor(t testing.TB, login, project string, role coding.Role) *apiClient {
	t.Helper()
	u := &coding.User{Login: login, Name: login}
	if err := ts.Store.CreateUser(u); err != nil {
		t.Fatal(err)
	}
	if project != "" {
		if _, err := ts.Store.SetMember(coding.Member{ProjectID: project, UserID: u.ID, Role: role}, u.ID); err != nil {
			t.Fatal(err)
		}
	}
	token, _, err := ts.Store.CreateSession(u.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	base, _ := url.Parse(ts.URL)
	jar.SetCookies(base, []*http.Cookie{{Name: "concord_session", Value: token, Path: "/"}})
	return &apiClient{t: t, base: ts.URL, http: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}
