package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// The server's output (its log, at debug level) never holds a password or
// a session token: not after a sign-in, a failed one, a password change,
// a websocket session or a sign-out.
func TestLogsHoldNoSecrets(t *testing.T) {
	t.Parallel()
	ts := startServer(t, "--log-level", "debug")
	start := len(ts.Out.String()) // the welcome names the demo password
	const wrong, newPassword = "wrong-secret-4417", "fresh-secret-9902"
	base, _ := url.Parse(ts.URL)

	ana := ts.login(t, "ana", DemoPassword)
	var secrets []string
	for _, c := range ana.http.Jar.Cookies(base) {
		secrets = append(secrets, c.Value)
	}
	anon := &apiClient{t: t, base: ts.URL, http: &http.Client{Timeout: 30 * time.Second}}
	anon.do("POST", "/api/login", map[string]string{"login": "ana", "password": wrong}, nil)
	// A password typed into the login field.
	anon.do("POST", "/api/login", map[string]string{"login": wrong, "password": DemoPassword}, nil)
	ana.mustDo(http.StatusOK, "POST", "/api/me/password", map[string]string{"current": DemoPassword, "new": newPassword}, nil)
	ana = ts.login(t, "ana", newPassword)
	for _, c := range ana.http.Jar.Cookies(base) {
		secrets = append(secrets, c.Value)
	}
	ana.do("POST", "/api/me/password", map[string]string{"current": wrong, "new": "another-" + wrong}, nil)

	ids := ana.demo()
	lc := ana.live(ids.Project, 0)
	lc.ready()
	lc.conn.WriteJSON(map[string]any{"type": "presence", "document": ids.Doc, "start": 1, "end": 5})
	lc.conn.WriteMessage(1, []byte(`{"type":"nonsense","password":"`+wrong+`"}`))
	lc.next(func(m liveMsg) bool { return m.Type == "error" }, 5*time.Second)
	lc.close()
	// A websocket with a stale token, then sign-out.
	ana.mustDo(http.StatusOK, "POST", "/api/logout", map[string]any{}, nil)
	if _, err := ana.dialLive(ids.Project, 0, false); err == nil {
		t.Error("the websocket opened after sign-out")
	}
	time.Sleep(200 * time.Millisecond) // let the connection's goroutines log what they would

	out := ts.Out.String()[start:]
	for _, s := range append(secrets, DemoPassword, wrong, newPassword) {
		if s != "" && strings.Contains(out, s) {
			t.Errorf("the server's output holds the secret %q:\n%s", s, out)
		}
	}
	t.Logf("server output after start-up:\n%s", out)
}
