package server

import (
	"context"
	"crypto/rand"
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

// HashPassword validates a new password and returns its bcrypt hash at
// the given cost; 0 means BcryptCost. Only tests pass less: they hash
// and check hundreds of passwords, each of which would cost over a
// second under the race detector.
func HashPassword(pw string, cost int) ([]byte, error) {
	if err := coding.ValidatePassword(pw); err != nil {
		return nil, err
	}
	if cost == 0 {
		cost = BcryptCost
	}
	return bcrypt.GenerateFromPassword([]byte(pw), cost)
}

// newDummyHash returns a function giving a hash to compare against when
// there is no password to check (no such login, or an account without a
// password), so that such a sign-in takes as long as a wrong password: it
// has the cost of the server's real hashes. It is made on first use, not
// at start: every command of the binary would otherwise pay for a bcrypt
// hash it never needs. The password behind it is random, and a match
// against it never signs anyone in anyway.
func newDummyHash(cost int) func() []byte {
	return sync.OnceValue(func() []byte {
		pw := make([]byte, 32)
		rand.Read(pw)
		h, err := bcrypt.GenerateFromPassword(pw, cost)
		if err != nil {
			panic("server: make the dummy password hash: " + err.Error())
		}
		return h
	})
}

type ctxKey int

// sessionKey carries the session's ID (not its token) to handlers that
// end it.
const sessionKey ctxKey = 1

// sessionFrom returns the ID of the session a request that passed authed
// came with (never its token), so a live connection can end with it.
func sessionFrom(ctx context.Context) string {
	id, _ := ctx.Value(sessionKey).(string)
	return id
}

// authenticate returns the session of the request's cookie and its user.
func (s *Server) authenticate(r *http.Request) (*coding.Session, *coding.User, error) {
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return nil, nil, coding.Errorf(coding.EUNAUTHORIZED, "please sign in")
	}
	return s.store.Authenticate(c.Value, s.opts.SessionIdle)
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

// codePasswordChange is the error code of a request refused because the
// user still has a one-time password.
const codePasswordChange = "password_change_required"

// authed wraps a handler that needs a signed-in user who chose their own
// password.
func (s *Server) authed(h func(w http.ResponseWriter, r *http.Request, u *coding.User)) http.Handler {
	return s.signedIn(false, h)
}

// authedOneTime is authed for the routes a user with a one-time password
// may use: asking who they are, and choosing a new password.
func (s *Server) authedOneTime(h func(w http.ResponseWriter, r *http.Request, u *coding.User)) http.Handler {
	return s.signedIn(true, h)
}

func (s *Server) signedIn(oneTimeOK bool, h func(w http.ResponseWriter, r *http.Request, u *coding.User)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sess, u, err := s.authenticate(r)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if err := s.checkCSRF(r); err != nil {
			s.writeError(w, r, err)
			return
		}
		if u.MustChangePassword && !oneTimeOK {
			// Someone else chose this password and may still know it:
			// until the user picks their own, it opens nothing else.
			s.writeError(w, r, coding.Errorf(codePasswordChange, "Please choose a new password before you go on."))
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), sessionKey, sess.ID)), u)
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
	addr := s.clientAddr(r)
	// The attempt counts before the password is checked, so that a burst
	// of parallel guesses cannot all pass the check before any of them is
	// counted; a right password takes it back.
	attempt, ok := s.limits.reserve(login, addr)
	if !ok {
		w.Header().Set("Retry-After", "60")
		s.writeError(w, r, coding.Errorf("rate_limited", "too many sign-in attempts; please wait a minute and try again"))
		return
	}
	// One answer for a wrong login, a wrong password and an account
	// without a password, after the same bcrypt work: it must not tell
	// which logins exist or which have a password.
	refused := coding.Errorf(coding.EUNAUTHORIZED, "the login or password is not right")
	u, err := s.store.UserByLogin(login)
	hash := s.dummyHash()
	usable := err == nil && len(u.PasswordHash) > 0
	if usable {
		hash = u.PasswordHash
	}
	match, err := s.comparePassword(r.Context(), hash, req.Password)
	if err != nil {
		s.limits.release(attempt) // no password was checked
		s.writeError(w, r, err)
		return
	}
	// A match against the dummy hash never counts.
	if !match || !usable {
		s.writeError(w, r, refused)
		return
	}
	// The store checks again, in the session's transaction, that this
	// hash is still the user's and spends a one-time password.
	token, sess, err := s.store.SignIn(u.ID, hash, s.opts.SessionTTL)
	if c := coding.ErrorCode(err); c == coding.EUNAUTHORIZED || c == coding.ENOTFOUND {
		s.writeError(w, r, refused)
		return
	} else if err != nil {
		s.limits.release(attempt)
		s.writeError(w, r, err)
		return
	}
	s.limits.succeed(attempt)
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

// handleLogout ends the request's session and closes its live
// connections. Without a live session it answers 401, as every /api/
// route but sign-in and health does; either way the cookie is cleared.
// It reads no body, so any content type will do: only the Origin check
// stands between it and another site (which could at worst sign a user
// out), and a sign-out refused over a header would leave a session alive.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	if !s.sameOrigin(r) {
		s.writeError(w, r, coding.Errorf(coding.EFORBIDDEN, "this request came from another site and was refused"))
		return
	}
	s.clearCookie(w, r)
	sess, _, err := s.authenticate(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	c, _ := r.Cookie(SessionCookie)
	if err := s.store.DeleteSession(c.Value); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.hub.EndSession(sess.ID)
	writeJSON(w, http.StatusOK, map[string]string{"status": "signed out"})
}

// clearCookie tells the browser to forget its session cookie.
func (s *Server) clearCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secureCookies(r)})
}

type passwordRequest struct {
	Current string `json:"current"`
	New     string `json:"new"`
}

// handleChangePassword sets a password the user chose and ends every
// session of theirs, this one included, with their live connections. A
// wrong current password counts against the same limit as a wrong
// sign-in, so a stolen session cannot be used to guess it.
func (s *Server) handleChangePassword(w http.ResponseWriter, r *http.Request, u *coding.User) {
	var req passwordRequest
	if err := decodeBody(r, 4096, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	attempt, ok := s.limits.reserve(u.Login, s.clientAddr(r))
	if !ok {
		w.Header().Set("Retry-After", "60")
		s.writeError(w, r, coding.Errorf("rate_limited", "too many wrong passwords; please wait a minute and try again"))
		return
	}
	// An account without a password has no session to get here with; if
	// one did, an empty hash must not pass, and takes the usual time.
	hash := u.PasswordHash
	if len(hash) == 0 {
		hash = s.dummyHash()
	}
	match, err := s.comparePassword(r.Context(), hash, req.Current)
	if err != nil {
		s.limits.release(attempt)
		s.writeError(w, r, err)
		return
	}
	if !match || len(u.PasswordHash) == 0 {
		s.writeError(w, r, coding.Errorf(coding.EFORBIDDEN, "your current password is not right"))
		return
	}
	s.limits.succeed(attempt)
	if req.New == req.Current {
		s.writeError(w, r, coding.Errorf(coding.EINVALID, "choose a new password that differs from the current one"))
		return
	}
	hash, err = s.hashPassword(r.Context(), req.New)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.store.ResetPassword(u.ID, hash, false); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.hub.EndUserSessions(u.ID)
	s.clearCookie(w, r)
	writeJSON(w, http.StatusOK, map[string]string{"status": "password changed; please sign in again"})
}

// comparePassword reports whether pw is the password of hash. It waits
// for a bcrypt slot first, as long as the client does.
func (s *Server) comparePassword(ctx context.Context, hash []byte, pw string) (bool, error) {
	if err := s.acquireHashing(ctx); err != nil {
		return false, err
	}
	defer func() { <-s.hashing }()
	return bcrypt.CompareHashAndPassword(hash, []byte(pw)) == nil, nil
}

// hashPassword is HashPassword in a bcrypt slot.
func (s *Server) hashPassword(ctx context.Context, pw string) ([]byte, error) {
	if err := coding.ValidatePassword(pw); err != nil {
		return nil, err // before waiting: a refusal needs no slot
	}
	if err := s.acquireHashing(ctx); err != nil {
		return nil, err
	}
	defer func() { <-s.hashing }()
	return HashPassword(pw, s.opts.BcryptCost)
}

func (s *Server) acquireHashing(ctx context.Context) error {
	select {
	case s.hashing <- struct{}{}:
		return nil
	case <-ctx.Done():
		return coding.Errorf(coding.EUNAVAILABLE, "the server is busy checking passwords; please try again")
	}
}

// loginLimiter counts sign-in attempts per login and per address in a
// sliding window and refuses further attempts past a limit. An attempt is
// reserved before its password is checked and taken back only when it
// turns out right (or could not be checked), so the limit holds however
// many attempts run at once.
type loginLimiter struct {
	mu       sync.Mutex
	byLogin  map[string][]time.Time
	byAddr   map[string][]time.Time
	window   time.Duration
	maxLogin int
	maxAddr  int
	// swept is when entries past the window were last dropped: a key is
	// otherwise only trimmed when it is seen again, and a guesser trying
	// ever new logins would grow the maps without end.
	swept time.Time
}

// attempt is one reserved sign-in attempt, to take back with release or
// succeed.
type attempt struct {
	login, addr string
	at          time.Time
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

// reserve counts an attempt for login from addr, unless either is at its
// limit already: then it reports false and counts nothing.
func (l *loginLimiter) reserve(login, addr string) (attempt, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	if now.Sub(l.swept) > l.window {
		l.sweep(now)
	}
	a := attempt{login: limiterKey(login), addr: addr, at: now}
	byLogin, byAddr := l.recent(l.byLogin, a.login, now), l.recent(l.byAddr, addr, now)
	if len(byLogin) >= l.maxLogin || len(byAddr) >= l.maxAddr {
		return a, false
	}
	l.byLogin[a.login] = append(byLogin, now)
	l.byAddr[addr] = append(byAddr, now)
	return a, true
}

// release takes back an attempt whose password was never checked.
func (l *loginLimiter) release(a attempt) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.forget(l.byLogin, a.login, a.at)
	l.forget(l.byAddr, a.addr, a.at)
}

// succeed takes back a right password's attempt and forgets the login's
// failures: its owner has proved who they are.
func (l *loginLimiter) succeed(a attempt) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.byLogin, a.login)
	l.forget(l.byAddr, a.addr, a.at)
}

// forget drops one entry made at at from m[k].
func (l *loginLimiter) forget(m map[string][]time.Time, k string, at time.Time) {
	ts := m[k]
	for i := len(ts) - 1; i >= 0; i-- {
		if ts[i].Equal(at) {
			ts = append(ts[:i:i], ts[i+1:]...)
			break
		}
	}
	if len(ts) == 0 {
		delete(m, k)
	} else {
		m[k] = ts
	}
}

// limiterKey is the key a login is counted under: its first 256 bytes, so
// that a made-up login of a megabyte cannot take a megabyte here.
func limiterKey(login string) string {
	if len(login) > 256 {
		return login[:256]
	}
	return login
}

// sweep drops every key with no attempt inside the window.
func (l *loginLimiter) sweep(now time.Time) {
	l.swept = now
	for _, m := range []map[string][]time.Time{l.byLogin, l.byAddr} {
		for k := range m {
			l.recent(m, k, now)
		}
	}
}
