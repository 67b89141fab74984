package store

import (
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

// CreateSession starts a session for a user and returns its secret token.
// Only a hash of the token is stored, so a copy of the database does not
// hand out live sessions.
func (db *DB) CreateSession(userID string, ttl time.Duration) (string, *coding.Session, error) {
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
			return coding.Errorf(coding.ENOTFOUND, "user %s does not exist", userID)
		}
		s.Created, s.Expires = w.now, w.now.Add(ttl)
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
	return token, s, nil
}

// Session returns the live session of a token, or EUNAUTHORIZED.
func (db *DB) Session(token string) (*coding.Session, error) {
	var s *coding.Session
	err := db.bolt.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketSessions).Get(tokenKey(token))
		if v == nil {
			return coding.Errorf(coding.EUNAUTHORIZED, "please sign in")
		}
		s = new(coding.Session)
		return decodeJSON(v, s)
	})
	if err != nil {
		return nil, err
	}
	if time.Now().After(s.Expires) {
		return nil, coding.Errorf(coding.EUNAUTHORIZED, "your session has expired; please sign in again")
	}
	return s, nil
}

// DeleteSession ends a session (sign-out).
func (db *DB) DeleteSession(token string) error {
	_, err := db.update(func(w *writeTx) error {
		return w.tx.Bucket(bucketSessions).Delete(tokenKey(token))
	})
	return err
}

// DeleteUserSessions ends every session of a user (after a password change).
func (db *DB) DeleteUserSessions(userID string) error {
	_, err := db.update(func(w *writeTx) error {
		sessions := w.tx.Bucket(bucketSessions)
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
	})
	return err
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
