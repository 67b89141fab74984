package main

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

func TestCSRFAndOriginChecks(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	ana := ts.login(t, "ana", "concord-demo")
	ids := ana.demo()
	body := `{"document":"` + ids.Doc + `","code":"` + ids.Codes[0] + `","start":0,"end":3}`
	tests := []struct {
		name        string
		origin      string
		contentType string
		want        int
	}{
		{"same origin JSON", ts.URL, "application/json", http.StatusCreated},
		{"other site", "https://evil.example", "application/json", http.StatusForbidden},
		{"form post from a page", "", "application/x-www-form-urlencoded", http.StatusBadRequest},
		{"text/plain (no preflight)", ts.URL, "text/plain", http.StatusBadRequest},
	}
	for i, tt := range tests {
		req, _ := http.NewRequest("POST", ts.URL+"/api/projects/peer-support/codings", strings.NewReader(strings.Replace(body, `"start":0`, `"start":`+string(rune('0'+i)), 1)))
		if tt.origin != "" {
			req.Header.Set("Origin", tt.origin)
		}
		req.Header.Set("Content-Type", tt.contentType)
		resp, err := ana.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.want {
			t.Errorf("%s: status %d, want %d", tt.name, resp.StatusCode, tt.want)
		}
	}

	// A websocket from another site is refused; from ours it opens.
	u := strings.Replace(ts.URL, "http", "ws", 1) + "/api/projects/peer-support/live"
	d := websocket.Dialer{Jar: ana.http.Jar}
	if _, resp, err := d.Dial(u, http.Header{"Origin": {"https://evil.example"}}); err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-origin websocket: err %v, response %v; want 403", err, resp)
	}
	conn, _, err := d.Dial(u, http.Header{"Origin": {ts.URL}})
	if err != nil {
		t.Fatalf("same-origin websocket: %v", err)
	}
	conn.Close()
	// Without a session the upgrade is refused too.
	if _, resp, err := (&websocket.Dialer{}).Dial(u, nil); err == nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("anonymous websocket: %v %v", err, resp)
	}
}

func TestSignInThrottlingAndNoEnumeration(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	try := func(login, pw string) (int, string) {
		resp, err := http.Post(ts.URL+"/api/login", "application/json", bytes.NewReader([]byte(`{"login":"`+login+`","password":"`+pw+`"}`)))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		return resp.StatusCode, b.String()
	}
	s1, wrongPassword := try("ana", "not-her-password")
	s2, noSuchUser := try("nobody-here", "whatever-password")
	if s1 != 401 || s2 != 401 || wrongPassword != noSuchUser {
		t.Fatalf("a wrong password (%d %s) and an unknown login (%d %s) must answer alike", s1, wrongPassword, s2, noSuchUser)
	}
	for i := 0; i < 12; i++ {
		try("ana", "guess-guess")
	}
	if status, body := try("ana", "concord-demo"); status != http.StatusTooManyRequests {
		t.Fatalf("after many failures the right password answered %d %s, want 429", status, body)
	}
	// Others can still sign in.
	if status, _ := try("ben", "concord-demo"); status != http.StatusOK {
		t.Fatalf("ben could not sign in while ana's login is throttled: %d", status)
	}
}

func TestSignOutAndExpiryEndSessions(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	ana := ts.login(t, "ana", "concord-demo")
	base, _ := url.Parse(ts.URL)
	cookies := ana.http.Jar.Cookies(base)
	if len(cookies) != 1 || cookies[0].Name != "concord_session" {
		t.Fatalf("cookies after sign-in: %v", cookies)
	}
	ana.mustDo(http.StatusOK, "POST", "/api/logout", map[string]any{}, nil)
	// Replaying the old cookie after sign-out is refused.
	replay := &apiClient{t: t, base: ts.URL, http: &http.Client{}}
	req, _ := http.NewRequest("GET", ts.URL+"/api/me", nil)
	req.AddCookie(cookies[0])
	resp, err := replay.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("old session after sign-out: %d, want 401", resp.StatusCode)
	}

	u, _ := ts.Store.UserByLogin("ben")
	token, _, err := ts.Store.CreateSession(u.ID, time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond)
	req, _ = http.NewRequest("GET", ts.URL+"/api/me", nil)
	req.AddCookie(&http.Cookie{Name: "concord_session", Value: token})
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("expired session: %d, want 401", resp.StatusCode)
	}
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	resp, err := http.Get(ts.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for h, want := range map[string]string{
		"X-Content-Type-Options":  "nosniff",
		"X-Frame-Options":         "DENY",
		"Referrer-Policy":         "same-origin",
		"Content-Security-Policy": "script-src 'self'",
	} {
		if got := resp.Header.Get(h); !strings.Contains(got, want) {
			t.Errorf("%s = %q, want it to contain %q", h, got, want)
		}
	}
	if strings.Contains(resp.Header.Get("Content-Security-Policy"), "unsafe-inline") {
		t.Error("the CSP allows inline script or style")
	}
}

func TestLeadInvitesANewCoder(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	lead := ts.login(t, "lead", "concord-demo")
	var out struct {
		Password string
		Member   struct{ Login, Role string }
	}
	lead.mustDo(http.StatusCreated, "POST", "/api/projects/peer-support/invitations", map[string]string{"login": "Noor", "name": "Noor H", "role": "coder"}, &out)
	if out.Password == "" || out.Member.Login != "noor" || out.Member.Role != "coder" {
		t.Fatalf("invitation answered %+v", out)
	}
	noor := ts.login(t, "noor", out.Password)
	// The one-time password opens nothing until noor chooses her own.
	noor.mustDo(http.StatusOK, "POST", "/api/me/password", map[string]string{"current": out.Password, "new": "noor's own secret"}, nil)
	noor = ts.login(t, "noor", "noor's own secret")
	var p struct{ Role string }
	noor.mustDo(http.StatusOK, "GET", "/api/projects/peer-support", nil, &p)
	if p.Role != "coder" {
		t.Fatalf("noor's role %q", p.Role)
	}
	// Inviting an existing user only sets the role; no password is shown.
	var again map[string]any
	lead.mustDo(http.StatusCreated, "POST", "/api/projects/peer-support/invitations", map[string]string{"login": "noor", "role": "viewer"}, &again)
	if _, ok := again["password"]; ok {
		t.Fatal("re-inviting an existing user showed a password")
	}
}

func TestCreateProject(t *testing.T) {
	t.Parallel()
	// By default only administrators start projects: a lead invites
	// people, which makes accounts.
	closed := startServer(t)
	var refused struct{ Error string }
	if got := closed.login(t, "ana", DemoPassword).do("POST", "/api/projects", map[string]any{"name": "Mine"}, &refused); got != http.StatusForbidden || !strings.Contains(refused.Error, "administrator") {
		t.Fatalf("a coder starting a project on a closed server: %d %q, want 403 naming administrators", got, refused.Error)
	}
	ts := startServer(t, "--open-projects")
	ana := ts.login(t, "ana", DemoPassword)
	tests := []struct {
		name     string
		body     any
		status   int
		wantSlug string
		wantErr  string
	}{
		{"slug from the name", map[string]any{"name": "Harm reduction: nurses' views"}, http.StatusCreated, "harm-reduction-nurses-views", ""},
		{"own slug, blind", map[string]any{"name": "Pilot", "slug": "pilot-2026", "blind": true}, http.StatusCreated, "pilot-2026", ""},
		{"slug taken", map[string]any{"name": "Peer support again", "slug": "peer-support"}, http.StatusConflict, "", "already exists"},
		{"no name", map[string]any{"name": "  "}, http.StatusBadRequest, "", "give the project a name"},
		{"nothing to make a slug of", map[string]any{"name": "!!!"}, http.StatusBadRequest, "", "give a slug"},
		{"bad slug", map[string]any{"name": "X", "slug": "Not A Slug"}, http.StatusBadRequest, "", "slug"},
		{"slug shaped like an id", map[string]any{"name": "X", "slug": "6f1c2a3b-0d4e-4f5a-8b6c-7d8e9f0a1b2c"}, http.StatusBadRequest, "", "looks like a project id"},
		{"slug of 32 hex digits", map[string]any{"name": "X", "slug": "6f1c2a3b0d4e4f5a8b6c7d8e9f0a1b2c"}, http.StatusBadRequest, "", "looks like a project id"},
		{"a name that is an id", map[string]any{"name": "6f1c2a3b-0d4e-4f5a-8b6c-7d8e9f0a1b2c"}, http.StatusBadRequest, "", "looks like a project id"},
		{"unknown field", map[string]any{"name": "X", "owner": "ben"}, http.StatusBadRequest, "", "owner"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out struct {
				Project struct {
					Slug, Role string
					Blind      bool
				}
				Error string
			}
			if got := ana.do("POST", "/api/projects", tc.body, &out); got != tc.status {
				t.Fatalf("status %d (%s), want %d", got, out.Error, tc.status)
			}
			if tc.wantErr != "" {
				if !strings.Contains(out.Error, tc.wantErr) {
					t.Fatalf("error %q does not mention %q", out.Error, tc.wantErr)
				}
				return
			}
			if out.Project.Slug != tc.wantSlug || out.Project.Role != "lead" {
				t.Fatalf("created %+v, want slug %q with ana as lead", out.Project, tc.wantSlug)
			}
			// The creator leads it; nobody else sees it.
			var p struct{ Role string }
			ana.mustDo(http.StatusOK, "GET", "/api/projects/"+tc.wantSlug, nil, &p)
			if p.Role != "lead" {
				t.Fatalf("ana's role in the new project: %q", p.Role)
			}
			ts.login(t, "ben", DemoPassword).mustDo(http.StatusNotFound, "GET", "/api/projects/"+tc.wantSlug, nil, nil)
		})
	}
}
