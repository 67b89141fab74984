package server

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/concordqda/concord/coding"
	"github.com/concordqda/concord/store"
	"golang.org/x/crypto/bcrypt"
)

// newTestServer returns a server over a fresh database in a temporary
// directory.
func newTestServer(t testing.TB, opts Options) (*Server, *store.DB) {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "test.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return New(st, opts), st
}

// signIn posts a sign-in from addr (host:port) through the server's
// handler and returns the response.
func signIn(s *Server, addr, login, password string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("POST", "/api/login", strings.NewReader(`{"login":"`+login+`","password":"`+password+`"}`))
	req.RemoteAddr = addr
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, req)
	return w
}

// Many failed sign-ins from one address, each for a different login so
// that no account's own limit is reached, throttle that address — even
// for a right password, and whatever X-Forwarded-For says — but not
// another address. An unknown login and a wrong password answer alike.
func TestSignInThrottlingPerAddress(t *testing.T) {
	t.Parallel()
	if l := newLoginLimiter(); l.maxAddr < 20 || l.maxAddr > 1000 || l.maxAddr <= l.maxLogin {
		t.Errorf("the per-address limit is %d (per login %d): it must allow an office behind one address and stop a guesser", l.maxAddr, l.maxLogin)
	}
	s, st := newTestServer(t, Options{BcryptCost: bcrypt.MinCost})
	// The real limit costs a bcrypt check per attempt: minutes under -race.
	s.limits.maxAddr = 6
	hash, err := HashPassword("bens-password", bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CreateUser(&coding.User{Login: "ben", Name: "Ben", PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	const attacker = "192.0.2.7:40000"
	wrong := signIn(s, attacker, "ben", "not-his-password")
	unknown := signIn(s, attacker, "nobody-here", "whatever-password")
	if wrong.Code != http.StatusUnauthorized || unknown.Code != wrong.Code || unknown.Body.String() != wrong.Body.String() {
		t.Fatalf("a wrong password (%d %s) and an unknown login (%d %s) must answer alike", wrong.Code, wrong.Body, unknown.Code, unknown.Body)
	}
	for i := 2; i < s.limits.maxAddr; i++ {
		// Another port of the same host is the same address.
		if w := signIn(s, fmt.Sprintf("192.0.2.7:%d", 40000+i), fmt.Sprintf("guess%02d", i), "guess-guess"); w.Code != http.StatusUnauthorized || w.Body.String() != unknown.Body.String() {
			t.Fatalf("attempt %d: %d %s, want the same answer as an unknown login", i+1, w.Code, w.Body)
		}
	}
	for _, tt := range []struct {
		name, login, password string
		header                []string
	}{
		{"another unknown login", "guess99", "guess-guess", nil},
		{"the right password", "ben", "bens-password", nil},
		{"a forged X-Forwarded-For", "ben", "bens-password", []string{"X-Forwarded-For", "203.0.113.9"}},
		{"a forged X-Real-IP", "ben", "bens-password", []string{"X-Real-IP", "203.0.113.9"}},
	} {
		w := signIn(s, attacker, tt.login, tt.password, tt.header...)
		if w.Code != http.StatusTooManyRequests || !strings.Contains(w.Body.String(), "too many sign-in attempts; please wait a minute") || w.Header().Get("Retry-After") == "" {
			t.Errorf("%s from the throttled address: %d %s (Retry-After %q), want 429 asking to wait", tt.name, w.Code, w.Body, w.Header().Get("Retry-After"))
		}
		if c := w.Result().Cookies(); len(c) > 0 {
			t.Errorf("%s from the throttled address set cookies %v", tt.name, c)
		}
	}
	if w := signIn(s, "198.51.100.4:5000", "ben", "bens-password"); w.Code != http.StatusOK {
		t.Errorf("ben from another address: %d %s, want 200", w.Code, w.Body)
	}
}

// Failures are forgotten once past the window, even for logins never
// tried again, so a guesser cycling through made-up logins cannot grow
// the limiter without end; and a long login counts under one key.
func TestLoginLimiterForgetsOldFailures(t *testing.T) {
	l := newLoginLimiter()
	l.window = 50 * time.Millisecond
	for i := 0; i < 100; i++ {
		l.reserve(fmt.Sprintf("made-up-%d", i), fmt.Sprintf("192.0.2.%d", i))
	}
	long := strings.Repeat("x", 10_000)
	for i := 0; i < l.maxLogin; i++ {
		l.reserve(long, fmt.Sprintf("198.51.100.%d", i))
	}
	if _, ok := l.reserve(long, "203.0.113.1"); ok {
		t.Error("a long login past its limit was let through")
	}
	for k := range l.byLogin {
		if len(k) > 256 {
			t.Errorf("a key of %d bytes is kept", len(k))
		}
	}
	time.Sleep(2 * l.window)
	l.reserve("one-more", "192.0.2.2") // sweeps
	if len(l.byLogin) != 1 || len(l.byAddr) != 1 {
		t.Errorf("after the window: %d logins and %d addresses kept, want 1 each", len(l.byLogin), len(l.byAddr))
	}
}

// The hash a sign-in compares against when there is no password to check
// (no such login, an account without a password) has the cost of a real
// one, so those answers take as long as a wrong password; and it is one
// hash, made once.
func TestDummyHashCostsAsMuchAsAPassword(t *testing.T) {
	for _, cost := range []int{0, bcrypt.MinCost} {
		s, _ := newTestServer(t, Options{BcryptCost: cost})
		want := cost
		if want == 0 {
			want = BcryptCost
		}
		real, err := HashPassword("a real password", cost)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := bcrypt.Cost(s.dummyHash()); err != nil || got != want {
			t.Errorf("cost %d: bcrypt.Cost(dummyHash()) = %d, %v; want %d", cost, got, err, want)
		}
		if got, _ := bcrypt.Cost(real); got != want {
			t.Errorf("cost %d: bcrypt.Cost(HashPassword) = %d, want %d", cost, got, want)
		}
		if a, b := s.dummyHash(), s.dummyHash(); &a[0] != &b[0] {
			t.Error("dummyHash() made a new hash on its second call")
		}
	}
}

// An attempt counts from the moment it is reserved, before its password
// is checked; a right password takes its own attempt back and clears the
// login's, and an attempt that was never checked is taken back whole.
func TestLoginLimiterReservesAttempts(t *testing.T) {
	l := newLoginLimiter()
	l.maxLogin, l.maxAddr = 3, 4
	var held []attempt
	for i := 0; i < l.maxLogin; i++ {
		a, ok := l.reserve("ana", fmt.Sprintf("192.0.2.%d", i))
		if !ok {
			t.Fatalf("reserve(ana) #%d = false, want true", i+1)
		}
		held = append(held, a)
	}
	if _, ok := l.reserve("ana", "198.51.100.1"); ok {
		t.Fatal("reserve(ana) past the limit while the others are unchecked = true, want false")
	}
	l.release(held[0])
	if _, ok := l.reserve("ana", "198.51.100.1"); !ok {
		t.Fatal("reserve(ana) after one attempt was released = false, want true")
	}
	l.succeed(held[1])
	if n := len(l.byLogin["ana"]); n != 0 {
		t.Errorf("after a right password ana has %d attempts counted, want 0", n)
	}
	if n := len(l.byAddr["192.0.2.1"]); n != 0 {
		t.Errorf("after a right password its address has %d attempts counted, want 0", n)
	}

	const addr = "203.0.113.5"
	for i := 0; i < l.maxAddr; i++ {
		if _, ok := l.reserve(fmt.Sprintf("guess%d", i), addr); !ok {
			t.Fatalf("reserve(guess%d, %s) = false, want true", i, addr)
		}
	}
	if _, ok := l.reserve("ben", addr); ok {
		t.Error("reserve from an address past its limit = true, want false")
	}
	if n := len(l.byLogin["ben"]); n != 0 {
		t.Errorf("a refused reservation counted %d attempts for ben, want 0", n)
	}
}

// A sign-in waiting for a bcrypt slot gives up when its client does, and
// its attempt does not count.
func TestSignInWaitingForBcryptRespectsContext(t *testing.T) {
	t.Parallel()
	s, st := newTestServer(t, Options{BcryptCost: bcrypt.MinCost})
	hash, err := bcrypt.GenerateFromPassword([]byte("bens-password"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CreateUser(&coding.User{Login: "ben", Name: "Ben", PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < cap(s.hashing); i++ {
		s.hashing <- struct{}{} // every slot busy
	}
	ctx, cancel := context.WithCancel(context.Background())
	req := httptest.NewRequest("POST", "/api/login", strings.NewReader(`{"login":"ben","password":"bens-password"}`)).WithContext(ctx)
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	done := make(chan struct{})
	go func() {
		s.Handler().ServeHTTP(w, req)
		close(done)
	}()
	cancel()
	<-done
	if w.Code != http.StatusServiceUnavailable || len(w.Result().Cookies()) != 0 {
		t.Errorf("a sign-in whose client left while waiting = %d %s (cookies %v), want 503 and no session", w.Code, w.Body, w.Result().Cookies())
	}
	s.limits.mu.Lock()
	n := len(s.limits.byLogin["ben"]) + len(s.limits.byAddr["192.0.2.1"])
	s.limits.mu.Unlock()
	if n != 0 {
		t.Errorf("the abandoned sign-in left %d attempts counted, want 0", n)
	}
	for i := 0; i < cap(s.hashing); i++ {
		<-s.hashing
	}
	if w := signIn(s, "192.0.2.1:1234", "ben", "bens-password"); w.Code != http.StatusOK {
		t.Errorf("sign-in with a free slot = %d %s, want 200", w.Code, w.Body)
	}
}
