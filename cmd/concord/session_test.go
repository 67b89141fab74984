package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/concordqda/concord/server"
)

// waitClosed waits for the server to close a live connection and returns
// its close code.
func (lc *liveConn) waitClosed(within time.Duration) int {
	lc.t.Helper()
	select {
	case <-lc.done:
		return lc.closeCode
	case <-time.After(within):
		lc.t.Fatalf("the live connection was still open after %s", within)
		return 0
	}
}

// received reports whether the stream delivered the event of coding id
// before it closed. Call it after waitClosed.
func (lc *liveConn) received(id string) bool {
	for {
		select {
		case m := <-lc.msgs:
			if m.Seq > 0 && strings.Contains(string(m.Payload), id) {
				return true
			}
		default:
			return false
		}
	}
}

// gets answers whether c's session works, by the status of GET /api/me.
func (c *apiClient) gets(path string) int {
	c.t.Helper()
	return c.do("GET", path, nil, nil)
}

func TestSessionSignOutClosesItsLiveConnections(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	ana := ts.login(t, "ana", DemoPassword)
	ids := ana.demo()
	ben, benElsewhere := ts.login(t, "ben", DemoPassword), ts.login(t, "ben", DemoPassword)
	lb, lbElsewhere := ben.live(ids.Project, 1<<62), benElsewhere.live(ids.Project, 1<<62)
	lb.ready()
	lbElsewhere.ready()

	ben.mustDo(http.StatusOK, "POST", "/api/logout", map[string]any{}, nil)
	if code := lb.waitClosed(5 * time.Second); code != server.CloseSessionEnded {
		t.Fatalf("ben's socket closed with code %d, want %d", code, server.CloseSessionEnded)
	}
	after := ana.addCoding(ids, ids.Codes[0], 10, 20)
	if lb.received(after) {
		t.Fatal("a coding added after the sign-out reached the signed-out socket")
	}
	// Only that session ended: ben's other browser goes on, live.
	if got := lbElsewhere.events(1, 5*time.Second); !strings.Contains(string(got[0].Payload), after) {
		t.Fatalf("ben's other browser received %s, want ana's coding %s", got[0].Raw, after)
	}
	if status := benElsewhere.gets("/api/me"); status != http.StatusOK {
		t.Fatalf("ben's other session answered %d after he signed out elsewhere", status)
	}
	// The signed-out cookie opens nothing, not even a new socket.
	if status := ben.gets("/api/me"); status != http.StatusUnauthorized {
		t.Fatalf("after sign-out: %d, want 401", status)
	}
	if _, err := ben.dialLive(ids.Project, 0, true); err == nil || !strings.Contains(err.Error(), "status 401") {
		t.Fatalf("a socket after sign-out: %v, want refused with 401", err)
	}
}

func TestSessionSignOutWithoutSessionAnswers401(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	for _, cookie := range []string{"", "not-a-session"} {
		req, _ := http.NewRequest("POST", ts.URL+"/api/logout", strings.NewReader("{}"))
		req.Header.Set("Content-Type", "application/json")
		if cookie != "" {
			req.AddCookie(&http.Cookie{Name: "concord_session", Value: cookie})
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("sign-out with cookie %q: %d, want 401", cookie, resp.StatusCode)
		}
		cleared := false
		for _, c := range resp.Cookies() {
			cleared = cleared || (c.Name == "concord_session" && c.MaxAge < 0)
		}
		if !cleared {
			t.Errorf("sign-out with cookie %q did not clear the cookie: %v", cookie, resp.Header["Set-Cookie"])
		}
	}
}

// Sign-out takes no body: it ends the session whatever the content type
// (a client that sends none must not be left signed in), but not when
// another site asks.
func TestSessionSignOutWithAnyContentType(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	for _, tt := range []struct {
		name, contentType, body, origin string
		want                            int
		live                            bool // the session afterwards
	}{
		{"JSON", "application/json", "{}", "", http.StatusOK, false},
		{"no content type, no body", "", "", "", http.StatusOK, false},
		{"text/plain", "text/plain", "bye", "", http.StatusOK, false},
		{"a form", "application/x-www-form-urlencoded", "a=b", ts.URL, http.StatusOK, false},
		{"from another site", "", "", "https://evil.example", http.StatusForbidden, true},
	} {
		ana := ts.login(t, "ana", DemoPassword)
		base, _ := url.Parse(ts.URL)
		cookies := ana.http.Jar.Cookies(base)
		req, _ := http.NewRequest("POST", ts.URL+"/api/logout", strings.NewReader(tt.body))
		if tt.contentType != "" {
			req.Header.Set("Content-Type", tt.contentType)
		}
		if tt.origin != "" {
			req.Header.Set("Origin", tt.origin)
		}
		resp, err := ana.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.want {
			t.Errorf("%s: sign-out = %d, want %d", tt.name, resp.StatusCode, tt.want)
		}
		// The old cookie, replayed: the browser's jar has forgotten it.
		replay := &apiClient{t: t, base: ts.URL, http: &http.Client{Jar: &fixedJar{cookies}}}
		if got := replay.gets("/api/me") == http.StatusOK; got != tt.live {
			t.Errorf("%s: session alive after sign-out = %v, want %v", tt.name, got, tt.live)
		}
	}
}

// fixedJar sends the same cookies with every request and keeps none.
type fixedJar struct{ cookies []*http.Cookie }

func (j *fixedJar) SetCookies(*url.URL, []*http.Cookie) {}
func (j *fixedJar) Cookies(*url.URL) []*http.Cookie     { return j.cookies }

func TestPasswordChangeEndsEverySessionOfTheUser(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	ana := ts.login(t, "ana", DemoPassword)
	ids := ana.demo()
	ben, benElsewhere := ts.login(t, "ben", DemoPassword), ts.login(t, "ben", DemoPassword)
	lb, lbElsewhere := ben.live(ids.Project, 1<<62), benElsewhere.live(ids.Project, 1<<62)
	lb.ready()
	lbElsewhere.ready()
	la := ana.live(ids.Project, 1<<62)
	la.ready()

	// A wrong current password is refused and changes nothing.
	var refused struct{ Error, Code string }
	if status := ben.do("POST", "/api/me/password", map[string]string{"current": "not my password", "new": "a brand new secret"}, &refused); status != http.StatusForbidden {
		t.Fatalf("wrong current password: %d %+v, want 403", status, refused)
	}
	if !strings.Contains(refused.Error, "current password is not right") {
		t.Fatalf("wrong current password: %q", refused.Error)
	}
	if benElsewhere.gets("/api/me") != http.StatusOK || ben.gets("/api/me") != http.StatusOK {
		t.Fatal("a refused password change ended a session")
	}
	ts.login(t, "ben", DemoPassword) // the old password still works

	ben.mustDo(http.StatusOK, "POST", "/api/me/password", map[string]string{"current": DemoPassword, "new": "a brand new secret"}, nil)
	for name, lc := range map[string]*liveConn{"this browser": lb, "the other browser": lbElsewhere} {
		if code := lc.waitClosed(5 * time.Second); code != server.CloseSessionEnded {
			t.Errorf("ben's socket in %s closed with %d, want %d", name, code, server.CloseSessionEnded)
		}
	}
	after := ana.addCoding(ids, ids.Codes[0], 30, 40)
	la.events(1, 5*time.Second) // ana's own socket is untouched
	if lb.received(after) || lbElsewhere.received(after) {
		t.Fatal("a coding added after the password change reached one of ben's sockets")
	}
	for name, c := range map[string]*apiClient{"this browser": ben, "the other browser": benElsewhere} {
		if status := c.gets("/api/me"); status != http.StatusUnauthorized {
			t.Errorf("ben's session in %s answered %d after the password change, want 401", name, status)
		}
	}
	var out map[string]any
	if status := (&apiClient{t: t, base: ts.URL, http: &http.Client{}}).do("POST", "/api/login", map[string]string{"login": "ben", "password": DemoPassword}, &out); status != http.StatusUnauthorized {
		t.Fatalf("the old password after the change: %d %v, want 401", status, out)
	}
	ts.login(t, "ben", "a brand new secret").mustDo(http.StatusOK, "GET", "/api/projects/peer-support", nil, nil)
}

func TestPasswordChangeIsThrottled(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	ben := ts.login(t, "ben", DemoPassword)
	for i := 0; i < 10; i++ {
		if status := ben.do("POST", "/api/me/password", map[string]string{"current": "guess-guess", "new": "a brand new secret"}, nil); status != http.StatusForbidden {
			t.Fatalf("wrong guess %d: %d, want 403", i, status)
		}
	}
	var out struct{ Code string }
	if status := ben.do("POST", "/api/me/password", map[string]string{"current": DemoPassword, "new": "a brand new secret"}, &out); status != http.StatusTooManyRequests || out.Code != "rate_limited" {
		t.Fatalf("after ten wrong guesses the right password answered %d %q, want 429 rate_limited", status, out.Code)
	}
	if status := ben.gets("/api/me"); status != http.StatusOK {
		t.Fatalf("the throttled change ended the session: %d", status)
	}
	// Others are not held back.
	ts.login(t, "ana", DemoPassword).mustDo(http.StatusOK, "POST", "/api/me/password", map[string]string{"current": DemoPassword, "new": "ana's own secret"}, nil)
}

func TestSessionExpiryClosesLiveConnection(t *testing.T) {
	t.Parallel()
	ts := startServer(t, "--session-lifetime", "3s", "--live-timeout", "1s")
	ben := ts.login(t, "ben", DemoPassword)
	ids := ben.demo()
	lb := ben.live(ids.Project, 1<<62)
	lb.ready()
	start := time.Now()
	if code := lb.waitClosed(10 * time.Second); code != server.CloseSessionEnded {
		t.Fatalf("the expired session's socket closed with %d, want %d", code, server.CloseSessionEnded)
	}
	if time.Since(start) < time.Second {
		t.Fatalf("the socket closed after %s, before the session expired", time.Since(start))
	}
	if status := ben.gets("/api/me"); status != http.StatusUnauthorized {
		t.Fatalf("expired session: %d, want 401", status)
	}
}

func TestSessionIdleTimeout(t *testing.T) {
	t.Parallel()
	ts := startServer(t, "--session-idle", "2s", "--live-timeout", "1s")
	ana, ben := ts.login(t, "ana", DemoPassword), ts.login(t, "ben", DemoPassword)
	ids := ben.demo()
	lb := ben.live(ids.Project, 1<<62) // ben keeps the project open, and does nothing else
	lb.ready()
	time.Sleep(3500 * time.Millisecond)
	var out struct{ Error string }
	if status := ana.do("GET", "/api/me", nil, &out); status != http.StatusUnauthorized || !strings.Contains(out.Error, "without activity") {
		t.Fatalf("ana, idle for longer than --session-idle: %d %q, want 401 saying why", status, out.Error)
	}
	if status := ben.gets("/api/me"); status != http.StatusOK {
		t.Fatalf("ben's open project did not keep his session alive: %d", status)
	}
	select {
	case <-lb.done:
		t.Fatalf("ben's socket closed (code %d)", lb.closeCode)
	default:
	}
}

func TestPasswordOneTimeForInvitedUser(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	lead := ts.login(t, "lead", DemoPassword)
	var inv struct{ Password string }
	lead.mustDo(http.StatusCreated, "POST", "/api/projects/peer-support/invitations", map[string]string{"login": "noor", "name": "Noor H", "role": "coder"}, &inv)

	noor := ts.login(t, "noor", inv.Password)
	var me struct {
		User struct {
			Must bool `json:"must_change_password"`
		}
	}
	noor.mustDo(http.StatusOK, "GET", "/api/me", nil, &me)
	if !me.User.Must {
		t.Fatal("an invited user's /api/me does not ask for a new password")
	}
	var refused struct{ Error, Code string }
	if status := noor.do("GET", "/api/projects/peer-support", nil, &refused); status != http.StatusForbidden || refused.Code != "password_change_required" || refused.Error != "Please choose a new password before you go on." {
		t.Fatalf("a project with a one-time password: %d %+v, want 403 password_change_required", status, refused)
	}
	if _, err := noor.dialLive("peer-support", 0, true); err == nil || !strings.Contains(err.Error(), "status 403") {
		t.Fatalf("a live connection with a one-time password: %v, want refused with 403", err)
	}
	if status := noor.do("POST", "/api/me/password", map[string]string{"current": inv.Password, "new": inv.Password}, nil); status != http.StatusBadRequest {
		t.Fatalf("keeping the one-time password: %d, want 400", status)
	}
	noor.mustDo(http.StatusOK, "POST", "/api/me/password", map[string]string{"current": inv.Password, "new": "noor's own secret"}, nil)
	if status := noor.gets("/api/me"); status != http.StatusUnauthorized {
		t.Fatalf("the session of the one-time password after the change: %d, want 401", status)
	}
	again := ts.login(t, "noor", "noor's own secret")
	again.mustDo(http.StatusOK, "GET", "/api/projects/peer-support", nil, nil)
	me.User.Must = false // absent from the answer when false
	again.mustDo(http.StatusOK, "GET", "/api/me", nil, &me)
	if me.User.Must {
		t.Fatal("the flag survived the password change")
	}
	var out json.RawMessage
	if status := (&apiClient{t: t, base: ts.URL, http: &http.Client{}}).do("POST", "/api/login", map[string]string{"login": "noor", "password": inv.Password}, &out); status != http.StatusUnauthorized {
		t.Fatalf("the one-time password a second time: %d %s, want 401", status, out)
	}
	// The demo accounts choose nothing: their password is the demo's.
	lead.mustDo(http.StatusOK, "GET", "/api/projects/peer-support", nil, nil)
}

func TestPasswordOneTimeForNoDemoAdminAndCLI(t *testing.T) {
	t.Parallel()
	ts := startServer(t, "--no-demo")
	m := regexp.MustCompile(`admin with the one-time password (\S+)`).FindStringSubmatch(ts.Out.String())
	if m == nil {
		t.Fatalf("start-up message:\n%s", ts.Out)
	}
	admin := ts.login(t, "admin", m[1])
	var refused struct{ Code string }
	if status := admin.do("GET", "/api/projects", nil, &refused); status != http.StatusForbidden || refused.Code != "password_change_required" {
		t.Fatalf("the admin with the printed password: %d %q, want 403 password_change_required", status, refused.Code)
	}
	admin.mustDo(http.StatusOK, "POST", "/api/me/password", map[string]string{"current": m[1], "new": "the admin's own secret"}, nil)
	ts.login(t, "admin", "the admin's own secret").mustDo(http.StatusOK, "GET", "/api/projects", nil, nil)

	// The operator's --one-time marks a password as someone else's; without
	// it, the password is the user's own.
	db := filepath.Join(t.TempDir(), "c.db")
	mustRun(t, "users", "add", "maya", "--password", "correct horse", "--one-time", "--db", db)
	mustRun(t, "users", "add", "omar", "--password", "battery staple", "--db", db)
	mustRun(t, "users", "passwd", "omar", "--password", "a reset for omar", "--one-time", "--db", db)
	mustRun(t, "users", "passwd", "maya", "--password", "maya chose this", "--db", db)
	st, err := openDB(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for login, want := range map[string]bool{"maya": false, "omar": true} {
		u, err := st.UserByLogin(login)
		if err != nil {
			t.Fatal(err)
		}
		if u.MustChangePassword != want {
			t.Errorf("%s: must change password = %v, want %v", login, u.MustChangePassword, want)
		}
	}
}
