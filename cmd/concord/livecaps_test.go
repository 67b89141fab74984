package main

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/concordqda/concord/coding"
	"github.com/gorilla/websocket"
)

// anotherSession signs c's user in once more, as a second browser would.
func (ts *testServer) anotherSession(t testing.TB, c *apiClient) *apiClient {
	t.Helper()
	token, _, err := ts.Store.CreateSession(c.userID(t), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	base, _ := url.Parse(ts.URL)
	jar.SetCookies(base, []*http.Cookie{{Name: "concord_session", Value: token, Path: "/"}})
	return &apiClient{t: t, base: ts.URL, http: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

// A viewer may open live connections up to the caps and no further: more
// are refused with 429 and a sentence, before any websocket is made, and a
// closed connection gives its place back.
func TestLiveConnectionCaps(t *testing.T) {
	t.Parallel()
	ts := startServer(t, "--live-per-session", "3", "--live-per-user", "5")
	p, err := ts.Store.ProjectBySlug("peer-support")
	if err != nil {
		t.Fatal(err)
	}
	first := ts.sessionFor(t, "vera", p.ID, coding.RoleViewer)
	second := ts.anotherSession(t, first)
	other := ts.sessionFor(t, "walt", p.ID, coding.RoleViewer)
	sessions := map[string]*apiClient{"first": first, "second": second, "other": other}

	var open []*liveConn
	steps := []struct {
		session string
		want    int    // status of the handshake: 101 or 429
		message string // in the refusal
	}{
		{"first", 101, ""}, {"first", 101, ""}, {"first", 101, ""},
		{"first", 429, "this browser already has 3 live connections"},
		{"second", 101, ""}, {"second", 101, ""},
		{"second", 429, "you already have 5 live connections"},
		{"other", 101, ""}, // another person is not affected
	}
	for i, s := range steps {
		c := sessions[s.session]
		u := strings.Replace(ts.URL, "http://", "ws://", 1) + "/api/projects/" + p.ID + "/live?since=0"
		d := websocket.Dialer{Jar: c.http.Jar, HandshakeTimeout: 10 * time.Second}
		conn, resp, err := d.Dial(u, nil)
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		if status != s.want {
			t.Fatalf("step %d: open a live connection with the %s session: status %d (%v), want %d", i, s.session, status, err, s.want)
		}
		if conn != nil {
			lc := &liveConn{t: t, conn: conn, msgs: make(chan liveMsg, 1000), done: make(chan struct{})}
			go lc.readLoop()
			lc.ready()
			open = append(open, lc)
			continue
		}
		// What the web UI asks over plain HTTP after a refused handshake.
		var body struct{ Error, Code string }
		if got := c.do("GET", "/api/projects/"+p.ID+"/live", nil, &body); got != http.StatusTooManyRequests || !strings.Contains(body.Error, s.message) || !strings.Contains(body.Error, "Too many open windows") {
			t.Errorf("step %d: GET …/live with the %s session = %d %q, want 429 saying %q", i, s.session, got, body.Error, s.message)
		}
	}

	// Closing one of the first session's connections frees a place for it
	// (and for the person) once the server notices.
	open[0].close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		lc, err := first.dialLive(p.ID, 0, true)
		if err == nil {
			lc.ready()
			lc.close()
			break
		}
		if !strings.Contains(err.Error(), "status 429") || time.Now().After(deadline) {
			t.Fatalf("after closing a connection, another one: %v, want it accepted", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, lc := range open[1:] {
		lc.close()
	}
}

// The caps come from flags or the environment; nonsense is refused.
func TestLiveCapFlags(t *testing.T) {
	t.Parallel()
	cases := []struct {
		args       []string
		env        map[string]string
		perSession int
		perUser    int
		err        string
	}{
		{nil, nil, 8, 32, ""},
		{[]string{"--live-per-session", "2", "--live-per-user", "4"}, nil, 2, 4, ""},
		{nil, map[string]string{"CONCORD_LIVE_PER_SESSION": "5", "CONCORD_LIVE_PER_USER": "9"}, 5, 9, ""},
		{[]string{"--live-per-user", "7"}, map[string]string{"CONCORD_LIVE_PER_USER": "9"}, 8, 7, ""},
		{[]string{"--live-per-session", "0"}, nil, 0, 0, "--live-per-session"},
		{[]string{"--live-per-user", "many"}, nil, 0, 0, "--live-per-user"},
		{nil, map[string]string{"CONCORD_LIVE_PER_USER": "-1"}, 0, 0, "--live-per-user"},
	}
	for _, c := range cases {
		m := &Main{Getenv: func(k string) string { return c.env[k] }, BcryptCost: testBcryptCost, Stdout: &syncBuffer{}, Stderr: &syncBuffer{}}
		cfg, err := m.parseServe(c.args)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("parseServe(%q, env %v) error = %v, want one naming %s", c.args, c.env, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("parseServe(%q, env %v): %v", c.args, c.env, err)
			continue
		}
		if cfg.LivePerSession != c.perSession || cfg.LivePerUser != c.perUser {
			t.Errorf("parseServe(%q, env %v) caps = %d per session, %d per user; want %d, %d", c.args, c.env, cfg.LivePerSession, cfg.LivePerUser, c.perSession, c.perUser)
		}
	}
}
