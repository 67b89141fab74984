package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/concordqda/concord/coding"
	"github.com/concordqda/concord/store"
	"golang.org/x/crypto/bcrypt"
)

// testBcryptCost is the work factor of the password hashes the tests'
// servers and commands make: bcrypt's least. At the real cost each hash
// and each sign-in takes over a second under the race detector, and the
// suite makes hundreds; what the cost buys is tested in server.
const testBcryptCost = bcrypt.MinCost

// syncBuffer is a bytes.Buffer safe for the server's goroutines and the
// test to share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// testServer is the real binary's Main serving on port 0 over a fresh
// database in a temporary directory.
type testServer struct {
	URL   string
	DB    string
	Out   *syncBuffer
	Store *store.DB // the server's own open database
	// Stop stops the server before the test ends (it stops by itself
	// then) and returns what serve returned.
	Stop func() error
}

// startServer runs "concord serve" through Main and stops it when the test
// ends. Extra args are appended to the serve flags.
func startServer(t testing.TB, args ...string) *testServer {
	t.Helper()
	return startServerAt(t, filepath.Join(t.TempDir(), "concord.db"), args...)
}

// startServerAt is startServer on a database file of the caller's choice.
func startServerAt(t testing.TB, db string, args ...string) *testServer {
	t.Helper()
	ts := &testServer{DB: db, Out: &syncBuffer{}}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	var st *store.DB
	m := &Main{
		Stdin: strings.NewReader(""), Stdout: ts.Out, Stderr: ts.Out,
		Getenv: func(string) string { return "" }, BcryptCost: testBcryptCost,
		Ready: func(addr string, db *store.DB) { st = db; ready <- addr },
	}
	done := make(chan error, 1)
	go func() {
		done <- m.Run(ctx, append([]string{"serve", "--db", ts.DB, "--addr", "127.0.0.1:0", "--log-level", "warn"}, args...))
	}()
	select {
	case addr := <-ready:
		ts.URL, ts.Store = "http://"+addr, st
	case err := <-done:
		cancel()
		t.Fatalf("serve stopped before it was ready: %v\n%s", err, ts.Out)
	case <-time.After(60 * time.Second):
		cancel()
		t.Fatalf("serve did not become ready in time\n%s", ts.Out)
	}
	var once sync.Once
	var served error
	ts.Stop = func() error {
		once.Do(func() {
			cancel()
			served = <-done
		})
		return served
	}
	t.Cleanup(func() {
		if err := ts.Stop(); err != nil {
			t.Errorf("serve returned %v", err)
		}
	})
	return ts
}

// apiClient is a signed-in HTTP client of a test server.
type apiClient struct {
	t    testing.TB
	base string
	http *http.Client
}

func (ts *testServer) login(t testing.TB, login, password string) *apiClient {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &apiClient{t: t, base: ts.URL, http: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
	var out map[string]any
	if status := c.do("POST", "/api/login", map[string]string{"login": login, "password": password}, &out); status != 200 {
		t.Fatalf("login %s: status %d %v", login, status, out)
	}
	return c
}

// do sends a JSON request and decodes the JSON answer into out (if not
// nil); it returns the status code.
func (c *apiClient) do(method, path string, body, out any) int {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			c.t.Fatalf("%s %s: answer is not JSON (%v): %s", method, path, err, data)
		}
	}
	return resp.StatusCode
}

// mustDo is do that fails the test unless the status is want.
func (c *apiClient) mustDo(want int, method, path string, body, out any) {
	c.t.Helper()
	var raw json.RawMessage
	if status := c.do(method, path, body, &raw); status != want {
		c.t.Fatalf("%s %s: status %d, want %d: %s", method, path, status, want, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			c.t.Fatal(err)
		}
	}
}

// addCoders creates n coders of the demo project with sessionFor.
func (ts *testServer) addCoders(t testing.TB, n int) []*apiClient {
	t.Helper()
	p, err := ts.Store.ProjectBySlug("peer-support")
	if err != nil {
		t.Fatal(err)
	}
	out := make([]*apiClient, n)
	for i := range out {
		out[i] = ts.sessionFor(t, fmt.Sprintf("coder%03d", i), p.ID, coding.RoleCoder)
	}
	return out
}

// serveOnce starts "concord serve" on db (with extra flags args), calls
// ready (if given) with the open database once the server accepts
// connections, stops it, and returns what it printed to standard output.
func serveOnce(t *testing.T, db string, ready func(*store.DB), args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	up := make(chan struct{})
	stdout := &syncBuffer{}
	m := &Main{Stdin: strings.NewReader(""), Stdout: stdout, Stderr: &syncBuffer{}, Getenv: func(string) string { return "" }, BcryptCost: testBcryptCost}
	m.Ready = func(_ string, st *store.DB) {
		if ready != nil {
			ready(st)
		}
		close(up)
	}
	done := make(chan error, 1)
	go func() {
		done <- m.Run(ctx, append([]string{"--db", db, "--addr", "127.0.0.1:0", "--log-level", "warn"}, args...))
	}()
	select {
	case <-up:
	case err := <-done:
		t.Fatalf("serve: %v", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	return stdout.String()
}
