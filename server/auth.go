package server

import (
	"context"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/concordqda/concord/coding"
	"golang.org/x/crypto/bcrypt"
)

// SessionCookie is the name of the cookie that carries the session token.
const SessionCookie = "concord_session"

// BcryptCost is the work factor of password hashes: about 0.1 s a check
// on the machines we measured, slow for a guesser and quick for a person.
const BcryptCost = 11

// HashPassword validates a new password and returns its bcrypt hash.
func HashPassword(pw string) ([]byte, error) {
	if err := coding.ValidatePassword(pw); err != nil {
		return nil, err
	}
	return bcrypt.GenerateFromPassword([]byte(pw), BcryptCost)
}

// dummyHash is compared against when a login does not exist, so that a
// wrong login takes as long as a wrong password.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("not a real password"), BcryptCost)

type ctxKey int

const userKey ctxKey = 1

// userFrom returns the signed-in user of a request that passed authed.
func userFrom(ctx context.Context) *coding.User {
	u, _ := ctx.Value(userKey).(*coding.User)
	return u
}

// authenticate returns the user of the request's session cookie.
func (s *Server) authenticate(r *http.Request) (*coding.User, error) {
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return nil, coding.Errorf(coding.EUNAUTHORIZED, "please sign in")
	}
	sess, err := s.store.Session(c.Value)
	if err != nil {
		return nil, err
	}
	u, err := s.store.User(sess.UserID)
	if coding.ErrorCode(err) == coding.ENOTFOUND {
		return nil, coding.Errorf(coding.EUNAUTHORIZED, "please sign in")
	}
	return u, err
}

// checkCSRF refuses state-changing requests that a page on another site
// could have sent: they must come from our origin, and bodies must be JSON
// (which a cross-site form cannot send without a preflight we never allow).
func (s *Server) checkCSRF(r *http.Request) error {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return nil
	}
	if !s.sameOrigin(r) {
		return coding.Errorf(coding.EFORBIDDEN, "this request came from another site and was refused")
	}
	ct := r.Header.Get("Content-Type")
	if strings.HasPrefix(ct, "multipart/form-data") && r.Header.Get(uploadHeader) != "" {
		return nil // a file upload: the header is what a form cannot send
	}
	if r.Method != http.MethodDelete && !strings.HasPrefix(ct, "application/json") {
		return coding.Errorf(coding.EINVALID, "send the request body as JSON (Content-Type application/json)")
	}
	return nil
}

// authed wraps a handler that needs a signed-in user.
func (s *Server) authed(h func(w http.ResponseWriter, r *http.Request, u *coding.User)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, err := s.authenticate(r)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if err := s.checkCSRF(r); err != nil {
			s.writeError(w, r, err)
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), userKey, u))
		h(w, r, u)
	})
}

type loginRequest struct {
	Login    string `json:"login"`
	Password string `json:"password"`
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	if err := s.checkCSRF(r); err != nil {
		s.writeError(w, r, err)
		return
	}
	var req loginRequest
	if err := decodeBody(r, 4096, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	login := strings.ToLower(strings.TrimSpace(req.Login))
	addr := clientAddr(r)
	if !s.limits.allow(login, addr) {
		w.Header().Set("Retry-After", "60")
		s.writeError(w, r, coding.Errorf("rate_limited", "too many sign-in attempts; please wait a minute and try again"))
		return
	}
	u, err := s.store.UserByLogin(login)
	hash := dummyHash
	if err == nil && len(u.PasswordHash) > 0 {
		hash = u.PasswordHash
	}
	if bcrypt.CompareHashAndPassword(hash, []byte(req.Password)) != nil || err != nil {
		s.limits.fail(login, addr)
		// One message for a wrong login and a wrong password: the answer
		// must not tell which logins exist.
		s.writeError(w, r, coding.Errorf(coding.EUNAUTHORIZED, "the login or password is not right"))
		return
	}
	s.limits.succeed(login)
	token, sess, err := s.store.CreateSession(u.ID, s.opts.SessionTTL)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name:     SessionCookie,
		Value:    token,
		Path:     "/",
		Expires:  sess.Expires,
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
		Secure:   s.secureCookies(r),
	})
	writeJSON(w, http.StatusOK, map[string]any{"user": u})
}

func (s *Server) secureCookies(r *http.Request) bool {
	return s.opts.TLS || r.TLS != nil || (s.opts.PublicURL != nil && s.opts.PublicURL.Scheme == "https")
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	if err := s.checkCSRF(r); err != nil {
		s.writeError(w, r, err)
		return
	}
	if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
		if err := s.store.DeleteSession(c.Value); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secureCookies(r)})
	writeJSON(w, http.StatusOK, map[string]string{"status": "signed out"})
}

type passwordRequest struct {
	Current string `json:"current"`
	New     string `json:"new"`
}

func (s *Server) handleChangePassword(w http.ResponseWriter, r *http.Request, u *coding.User) {
	var req passwordRequest
	if err := decodeBody(r, 4096, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if bcrypt.CompareHashAndPassword(u.PasswordHash, []byte(req.Current)) != nil {
		s.writeError(w, r, coding.Errorf(coding.EFORBIDDEN, "your current password is not right"))
		return
	}
	hash, err := HashPassword(req.New)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.store.SetPassword(u.ID, hash); err != nil {
		s.writeError(w, r, err)
		return
	}
	// Every other session of this user ends; this one is renewed by
	// signing in again.
	if err := s.store.DeleteUserSessions(u.ID); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "password changed; please sign in again"})
}

func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// loginLimiter counts failed sign-ins per login and per address in a
// sliding window and refuses further attempts past a limit.
type loginLimiter struct {
	mu       sync.Mutex
	byLogin  map[string][]time.Time
	byAddr   map[string][]time.Time
	window   time.Duration
	maxLogin int
	maxAddr  int
}

func newLoginLimiter() *loginLimiter {
	return &loginLimiter{
		byLogin: map[string][]time.Time{}, byAddr: map[string][]time.Time{},
		window: 15 * time.Minute, maxLogin: 10, maxAddr: 50,
	}
}

func (l *loginLimiter) recent(m map[string][]time.Time, k string, now time.Time) []time.Time {
	ts := m[k]
	i := 0
	for i < len(ts) && now.Sub(ts[i]) > l.window {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(m, k)
	} else {
		m[k] = ts
	}
	return ts
}

func (l *loginLimiter) allow(login, addr string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	return len(l.recent(l.byLogin, login, now)) < l.maxLogin && len(l.recent(l.byAddr, addr, now)) < l.maxAddr
}

func (l *loginLimiter) fail(login, addr string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	l.byLogin[login] = append(l.recent(l.byLogin, login, now), now)
	l.byAddr[addr] = append(l.recent(l.byAddr, addr, now), now)
}

func (l *loginLimiter) succeed(login string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.byLogin, login)
}
