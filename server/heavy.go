package server

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/concordqda/concord/coding"
)

// maxHeavyPerUser is how many expensive requests (search, analysis,
// agreement, export) one user may have running at once: one member
// scripting requests cannot keep both cores of a small server busy for
// everyone else.
const maxHeavyPerUser = 2

// heavyWait is how long an expensive request waits for one of its user's
// places before it is refused: the analysis page asks three things at once,
// each done in well under a second, so the third waits rather than fails.
const heavyWait = 2 * time.Second

// heavyRetryAfter is the seconds a refused client is asked to wait.
const heavyRetryAfter = 2

// heavyLimiter holds each user's places for expensive requests.
type heavyLimiter struct {
	mu    sync.Mutex
	users map[string]*heavySlots
}

// heavySlots is one user's places: a semaphore, and how many requests
// hold or wait for it (so that the map forgets idle users).
type heavySlots struct {
	sem  chan struct{}
	refs int
}

func newHeavyLimiter() *heavyLimiter { return &heavyLimiter{users: map[string]*heavySlots{}} }

// acquire takes one of user's places, waiting at most heavyWait (or until
// the request ends); it reports whether it got one.
func (l *heavyLimiter) acquire(r *http.Request, user string) bool {
	l.mu.Lock()
	u := l.users[user]
	if u == nil {
		u = &heavySlots{sem: make(chan struct{}, maxHeavyPerUser)}
		l.users[user] = u
	}
	u.refs++
	l.mu.Unlock()
	t := time.NewTimer(heavyWait)
	defer t.Stop()
	select {
	case u.sem <- struct{}{}:
		return true
	case <-t.C:
	case <-r.Context().Done():
	}
	l.forget(user, u)
	return false
}

// release gives back a place acquire took.
func (l *heavyLimiter) release(user string) {
	l.mu.Lock()
	u := l.users[user]
	l.mu.Unlock()
	<-u.sem
	l.forget(user, u)
}

func (l *heavyLimiter) forget(user string, u *heavySlots) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if u.refs--; u.refs == 0 {
		delete(l.users, user)
	}
}

// heavy wraps an expensive project handler: while maxHeavyPerUser requests
// of the same user run, the next waits up to heavyWait, then is answered
// 429 with Retry-After.
func (s *Server) heavy(h projectHandler) projectHandler {
	return func(w http.ResponseWriter, r *http.Request, c *caller) {
		if !s.heavyLimits.acquire(r, c.user.ID) {
			w.Header().Set("Retry-After", strconv.Itoa(heavyRetryAfter))
			s.writeError(w, r, coding.Errorf("rate_limited", "you already have %d searches, analyses, agreement reports or exports running; please wait for them to finish and try again", maxHeavyPerUser))
			return
		}
		defer s.heavyLimits.release(c.user.ID)
		h(w, r, c)
	}
}
