package store

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/concordqda/concord/coding"
)

// maxCachedSessions bounds the memory the cache can take: past it, the
// cache starts again from empty (every signed-in request reads once more).
const maxCachedSessions = 50_000

// sessionCache keeps recently used sessions with their users in memory,
// so that authenticating a request reads no database at all.
//
// A reader that misses loads from bbolt and inserts what it read. That
// read can race with a commit that ends the session or changes the user:
// the reader may have read the old state before the commit and insert it
// after the invalidation, keeping the session alive forever. gen closes
// that window: a loader notes gen before its read transaction and inserts
// only if gen is unchanged; an invalidation, which runs after its commit,
// bumps gen before it deletes.
type sessionCache struct {
	mu      sync.RWMutex
	gen     uint64
	entries map[string]*cachedSession // key: the token's hash
}

// cachedSession is a session and its user as last read. Both are never
// changed once cached (an invalidation replaces the entry); the use
// stamps change atomically.
type cachedSession struct {
	session coding.Session
	user    coding.User
	used    atomic.Int64 // unix nanoseconds of the last use seen in memory
	saved   atomic.Int64 // unix nanoseconds of the last use written down
	saving  atomic.Bool  // a write of the last use is on its way
}

func newCachedSession(s coding.Session, u coding.User) *cachedSession {
	e := &cachedSession{session: s, user: u}
	e.saved.Store(s.LastUse().UnixNano())
	return e
}

// lastUse is the later of the use seen in memory and the one stored.
func (e *cachedSession) lastUse() time.Time {
	return time.Unix(0, max(e.used.Load(), e.saved.Load()))
}

func (c *sessionCache) get(key []byte) *cachedSession {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.entries[string(key)]
}

// generation is read before a load's read transaction begins.
func (c *sessionCache) generation() uint64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.gen
}

// put caches e if nothing was invalidated since gen, and returns the
// entry to use: one that another loader cached first wins, so that uses
// are counted in one place.
func (c *sessionCache) put(key []byte, e *cachedSession, gen uint64) *cachedSession {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return e
	}
	if old := c.entries[string(key)]; old != nil {
		return old
	}
	if c.entries == nil || len(c.entries) >= maxCachedSessions {
		c.entries = map[string]*cachedSession{}
	}
	c.entries[string(key)] = e
	return e
}

// drop forgets one entry whose session is over anyway (expired): a
// loader racing with it can only cache it again as expired.
func (c *sessionCache) drop(key []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.entries, string(key))
}

// invalidate forgets the entries match selects. Call it after the commit
// that changed them.
func (c *sessionCache) invalidate(match func(key string, e *cachedSession) bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for k, e := range c.entries {
		if match(k, e) {
			delete(c.entries, k)
		}
	}
}

// forgetSession invalidates the entry of one session (sign-outs are
// common enough not to walk the whole cache for each).
func (c *sessionCache) forgetSession(key []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	delete(c.entries, string(key))
}

// forgetUser invalidates every entry of a user: their sessions ended, or
// the user changed.
func (c *sessionCache) forgetUser(userID string) {
	c.invalidate(func(_ string, e *cachedSession) bool { return e.session.UserID == userID })
}
