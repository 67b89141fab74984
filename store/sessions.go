package store

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"time"

	"github.com/concordqda/concord/coding"
	bolt "go.etcd.io/bbolt"
)

func tokenKey(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// sessionID is the name a session goes by outside the store: its key (the
// token's hash) in text. It cannot be turned back into the token, so it
// may be kept in memory beside a connection.
func sessionID(key []byte) string { return base64.RawURLEncoding.EncodeToString(key) }

// CreateSession starts a session for a user and returns its secret token.
// Only a hash of the token is stored, so a copy of the database does not
// hand out live sessions. It checks no password: it is for callers that
// are the operator already (benchmarks, tests); sign-ins use SignIn.
func (db *DB) CreateSession(userID string, ttl time.Duration) (string, *coding.Session, error) {
	return db.startSession(userID, ttl, nil)
}

// errNoSignIn is SignIn's refusal. It says no more than a wrong password
// would, so a caller can answer both alike.
var errNoSignIn = coding.Errorf(coding.EUNAUTHORIZED, "the login or password is not right")

// SignIn starts a session for a user who has just given a password that
// matches verified, the hash it was checked against. In the session's own
// transaction it makes sure that this hash is still the user's (a password
// changed meanwhile wins), that it is a hash at all (an account without a
// password never signs in), and, for a one-time password, that it has not
// signed in before: it marks it used, so of two sign-ins racing with one
// one-time password only one gets a session. Any refusal is EUNAUTHORIZED.
func (db *DB) SignIn(userID string, verified []byte, ttl time.Duration) (string, *coding.Session, error) {
	return db.startSession(userID, ttl, func(w *writeTx, key []byte) error {
		r, err := getUserRecord(w.tx.Bucket(bucketUsers), key)
		if err != nil {
			return refuse(err)
		}
		switch {
		case len(r.Hash) == 0 || len(verified) == 0 || !bytes.Equal(r.Hash, verified):
			return refuse(errNoSignIn)
		case r.MustChangePassword && r.OneTimeUsed:
			return refuse(errNoSignIn)
		case r.MustChangePassword:
			r.OneTimeUsed = true
			return putUserRecord(w.tx.Bucket(bucketUsers), key, r)
		}
		return nil
	})
}

// startSession stores a new session of a user once check (if any), run in
// the same transaction, lets it.
func (db *DB) startSession(userID string, ttl time.Duration, check func(w *writeTx, userKey []byte) error) (string, *coding.Session, error) {
	key, err := idKey("user", userID)
	if err != nil {
		return "", nil, err
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", nil, err
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	s := &coding.Session{UserID: userID}
	_, err = db.update(func(w *writeTx) error {
		if w.tx.Bucket(bucketUsers).Get(key) == nil {
			return refuse(coding.Errorf(coding.ENOTFOUND, "user %s does not exist", userID))
		}
		if check != nil {
			if err := check(w, key); err != nil {
				return err
			}
		}
		s.Created, s.Expires, s.Seen = w.now, w.now.Add(ttl), w.now
		data, err := encodeJSON(s)
		if err != nil {
			return err
		}
		sessions := w.tx.Bucket(bucketSessions)
		// Sweep a few expired sessions on the way, so the bucket stays small.
		pruneSessions(sessions, w.now, 16)
		return sessions.Put(tokenKey(token), data)
	})
	if err != nil {
		return "", nil, err
	}
	s.ID = sessionID(tokenKey(token))
	return token, s, nil
}

// Authenticate returns the live session of a token and its user, or
// EUNAUTHORIZED, and notes the use. A session ends at its expiry, or when
// it was not used for idle (0: never for idleness). It reads from memory
// when it can: the use is written down at most about once a minute, off
// the caller's path.
func (db *DB) Authenticate(token string, idle time.Duration) (*coding.Session, *coding.User, error) {
	return db.useSession(tokenKey(token), idle)
}

// KeepSession notes a use of the session with the given ID (a live
// connection counts as one) and reports whether it is still live, as
// Authenticate does.
func (db *DB) KeepSession(id string, idle time.Duration) error {
	key, err := base64.RawURLEncoding.DecodeString(id)
	if err != nil || len(key) != sha256.Size {
		return coding.Errorf(coding.EUNAUTHORIZED, "please sign in")
	}
	_, _, err = db.useSession(key, idle)
	return err
}

func (db *DB) useSession(key []byte, idle time.Duration) (*coding.Session, *coding.User, error) {
	e := db.sessions.get(key)
	if e == nil {
		var err error
		if e, err = db.loadSession(key); err != nil {
			return nil, nil, err
		}
	}
	now := time.Now()
	if now.After(e.session.Expires) {
		db.sessions.drop(key)
		return nil, nil, coding.Errorf(coding.EUNAUTHORIZED, "your session has expired; please sign in again")
	}
	if idle > 0 && now.Sub(e.lastUse()) > idle {
		// Delete it, so that a restart with a longer idle time does not
		// bring it back. This writes, but once per session at most.
		if err := db.deleteSession(key); err != nil {
			return nil, nil, err
		}
		return nil, nil, coding.Errorf(coding.EUNAUTHORIZED, "you were signed out after a while without activity; please sign in again")
	}
	e.used.Store(now.UnixNano())
	if now.Sub(time.Unix(0, e.saved.Load())) >= seenEvery(idle) && e.saving.CompareAndSwap(false, true) {
		go db.saveSeen(key, e, now)
	}
	s, u := e.session, e.user
	s.Seen = e.lastUse()
	return &s, &u, nil
}

// seenEvery is how stale the stored last use may get: about a minute, or
// less when the idle time is short, so that a session whose cache entry
// was dropped is not thought idle while it is in use.
func seenEvery(idle time.Duration) time.Duration {
	if idle > 0 && idle/4 < time.Minute {
		return idle / 4
	}
	return time.Minute
}

// loadSession reads a session and its user in one read transaction and
// caches them unless something was invalidated meanwhile.
func (db *DB) loadSession(key []byte) (*cachedSession, error) {
	gen := db.sessions.generation()
	var s coding.Session
	var u *coding.User
	err := db.bolt.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketSessions).Get(key)
		if v == nil {
			return coding.Errorf(coding.EUNAUTHORIZED, "please sign in")
		}
		if err := decodeJSON(v, &s); err != nil {
			return err
		}
		uk, err := idKey("user", s.UserID)
		if err != nil {
			return err
		}
		u, err = getUser(tx.Bucket(bucketUsers), uk)
		if coding.ErrorCode(err) == coding.ENOTFOUND {
			return coding.Errorf(coding.EUNAUTHORIZED, "please sign in")
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	s.ID = sessionID(key)
	return db.sessions.put(key, newCachedSession(s, *u), gen), nil
}

// saveSeen writes down a session's last use. It runs on its own
// goroutine, so the request that noticed the stale stamp does not wait
// for a commit; it never brings back a session deleted meanwhile.
func (db *DB) saveSeen(key []byte, e *cachedSession, at time.Time) {
	defer e.saving.Store(false)
	_, err := db.update(func(w *writeTx) error {
		sessions := w.tx.Bucket(bucketSessions)
		v := sessions.Get(key)
		if v == nil {
			return refuse(errGone)
		}
		var s coding.Session
		if err := decodeJSON(v, &s); err != nil {
			return err
		}
		if !at.After(s.Seen) {
			return refuse(errGone)
		}
		s.Seen = at.UTC()
		data, err := encodeJSON(&s)
		if err != nil {
			return err
		}
		return sessions.Put(key, data)
	})
	if err == nil {
		e.saved.Store(at.UnixNano())
	}
}

// errGone refuses a last-use write with nothing to do.
var errGone = coding.Errorf(coding.ENOTFOUND, "the session is gone or already up to date")

// DeleteSession ends a session (sign-out).
func (db *DB) DeleteSession(token string) error {
	return db.deleteSession(tokenKey(token))
}

func (db *DB) deleteSession(key []byte) error {
	_, err := db.update(func(w *writeTx) error {
		return w.tx.Bucket(bucketSessions).Delete(key)
	})
	db.sessions.forgetSession(key)
	return err
}

// DeleteUserSessions ends every session of a user.
func (db *DB) DeleteUserSessions(userID string) error {
	_, err := db.update(func(w *writeTx) error {
		return deleteUserSessions(w.tx.Bucket(bucketSessions), userID)
	})
	db.sessions.forgetUser(userID)
	return err
}

func deleteUserSessions(sessions *bolt.Bucket, userID string) error {
	var dead [][]byte
	err := sessions.ForEach(func(k, v []byte) error {
		var s coding.Session
		if decodeJSON(v, &s) != nil || s.UserID == userID {
			dead = append(dead, append([]byte(nil), k...))
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range dead {
		if err := sessions.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

func pruneSessions(b *bolt.Bucket, now time.Time, max int) {
	var dead [][]byte
	c := b.Cursor()
	for k, v := c.First(); k != nil && len(dead) < max; k, v = c.Next() {
		var s coding.Session
		if decodeJSON(v, &s) != nil || now.After(s.Expires) {
			dead = append(dead, append([]byte(nil), k...))
		}
	}
	for _, k := range dead {
		b.Delete(k)
	}
}
