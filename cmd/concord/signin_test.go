package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"sync"
	"testing"
)

// postLogin sends one sign-in without a cookie jar and returns the status
// and the body.
func postLogin(t testing.TB, base, login, password string) (int, string) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"login": login, "password": password})
	resp, err := http.Post(base+"/api/login", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data)
}

// Coders that a QDPX import brings have no password: no password at all
// signs them in — not the one the server compares against when there is
// nothing to compare, not an empty one — and the answer is the one an
// unknown login gets. Once the operator sets a password, it works.
func TestImportedCoderWithoutPasswordCannotSignIn(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "c.db")
	mustRun(t, "users", "add", "admin", "--password", "administrator", "--admin", "--db", db)
	mustRun(t, "import", "--project", "oltas", refiSample("oltas.qdpx"), "--db", db)
	st, err := openDB(db)
	if err != nil {
		t.Fatal(err)
	}
	users, err := st.Users()
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	var imported []string
	for _, u := range users {
		if len(u.PasswordHash) == 0 {
			imported = append(imported, u.Login)
		}
	}
	if len(imported) == 0 {
		t.Fatalf("the import brought no coder without a password: %v", users)
	}

	t.Run("no password signs in", func(t *testing.T) {
		ts := startServerAt(t, db, "--no-demo")
		_, unknown := postLogin(t, ts.URL, "nobody-here", "not a real password")
		for _, login := range imported {
			for _, pw := range []string{"not a real password", "", "x", DemoPassword, login} {
				if status, body := postLogin(t, ts.URL, login, pw); status != http.StatusUnauthorized || body != unknown {
					t.Errorf("sign-in as %s with %q = %d %s, want 401 %s", login, pw, status, body, unknown)
				}
			}
		}
	})

	login := imported[0]
	mustRun(t, "users", "passwd", login, "--password", "set by the operator", "--db", db)
	ts := startServerAt(t, db, "--no-demo")
	if status, body := postLogin(t, ts.URL, login, "set by the operator"); status != http.StatusOK {
		t.Errorf("sign-in as %s after users passwd = %d %s, want 200", login, status, body)
	}
	if status, _ := postLogin(t, ts.URL, login, "not a real password"); status != http.StatusUnauthorized {
		t.Errorf("sign-in as %s with the dummy password after users passwd = %d, want 401", login, status)
	}
}

// A one-time password signs in exactly once: of two sign-ins racing with
// it only one gets a session, and no later sign-in gets one, while the
// session it gave opens nothing but the password change. Once the user
// chose their own password, that one works as often as they like.
func TestOneTimePasswordSignsInOnce(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	lead := ts.login(t, "lead", DemoPassword)
	var inv struct{ Password string }
	lead.mustDo(http.StatusCreated, "POST", "/api/projects/peer-support/invitations", map[string]string{"login": "noor", "name": "Noor H", "role": "coder"}, &inv)

	type answer struct {
		status  int
		cookies []*http.Cookie
	}
	answers := make(chan answer, 2)
	for i := 0; i < 2; i++ {
		go func() {
			body, _ := json.Marshal(map[string]string{"login": "noor", "password": inv.Password})
			resp, err := http.Post(ts.URL+"/api/login", "application/json", bytes.NewReader(body))
			if err != nil {
				answers <- answer{status: -1}
				return
			}
			resp.Body.Close()
			answers <- answer{resp.StatusCode, resp.Cookies()}
		}()
	}
	var session *http.Cookie
	statuses := map[int]int{}
	for i := 0; i < 2; i++ {
		a := <-answers
		statuses[a.status]++
		if a.status == http.StatusOK {
			session = a.cookies[0]
		}
	}
	if statuses[http.StatusOK] != 1 || statuses[http.StatusUnauthorized] != 1 {
		t.Fatalf("two sign-ins racing with one one-time password answered %v, want one 200 and one 401", statuses)
	}
	if status, body := postLogin(t, ts.URL, "noor", inv.Password); status != http.StatusUnauthorized {
		t.Fatalf("the one-time password after it signed in = %d %s, want 401", status, body)
	}

	jar, _ := cookiejar.New(nil)
	base, _ := url.Parse(ts.URL)
	jar.SetCookies(base, []*http.Cookie{session})
	noor := &apiClient{t: t, base: ts.URL, http: &http.Client{Jar: jar}}
	var refused struct{ Code string }
	if status := noor.do("GET", "/api/projects/peer-support", nil, &refused); status != http.StatusForbidden || refused.Code != "password_change_required" {
		t.Fatalf("the one-time session opening a project = %d %q, want 403 password_change_required", status, refused.Code)
	}
	noor.mustDo(http.StatusOK, "POST", "/api/me/password", map[string]string{"current": inv.Password, "new": "noor's own secret"}, nil)
	for i := 0; i < 2; i++ {
		ts.login(t, "noor", "noor's own secret").mustDo(http.StatusOK, "GET", "/api/projects/peer-support", nil, nil)
	}
	if status, _ := postLogin(t, ts.URL, "noor", inv.Password); status != http.StatusUnauthorized {
		t.Fatalf("the old one-time password after the change = %d, want 401", status)
	}
}

// A burst of parallel wrong passwords for one account gets no more
// password checks than the limit allows: at most that many answers are
// 401, the rest 429, and afterwards even the right password waits.
func TestSignInThrottleHoldsUnderABurst(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	const burst, limit = 40, 10
	statuses := make(chan int, burst)
	var wg sync.WaitGroup
	for i := 0; i < burst; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			status, _ := postLogin(t, ts.URL, "ana", fmt.Sprintf("wrong guess %d", i))
			statuses <- status
		}()
	}
	wg.Wait()
	close(statuses)
	count := map[int]int{}
	for s := range statuses {
		count[s]++
	}
	if count[http.StatusUnauthorized] > limit || count[http.StatusUnauthorized]+count[http.StatusTooManyRequests] != burst {
		t.Errorf("%d parallel wrong passwords answered %v, want at most %d × 401 and the rest 429", burst, count, limit)
	}
	if status, body := postLogin(t, ts.URL, "ana", DemoPassword); status != http.StatusTooManyRequests {
		t.Errorf("the right password after the burst = %d %s, want 429", status, body)
	}
}
