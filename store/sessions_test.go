package store

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/concordqda/concord/coding"
	bolt "go.etcd.io/bbolt"
)

// signIn starts a session for u and authenticates it once, so that it is
// cached: every invalidation case below must beat a warm cache.
func signIn(t testing.TB, db *DB, u *coding.User, ttl time.Duration) string {
	t.Helper()
	token, _, err := db.CreateSession(u.ID, ttl)
	must(t, err)
	if _, _, err := db.Authenticate(token, 0); err != nil {
		t.Fatalf("Authenticate(new session) = %v", err)
	}
	if db.sessions.get(tokenKey(token)) == nil {
		t.Fatal("a used session is not cached")
	}
	return token
}

func TestSessionCacheInvalidation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// act changes something after ana (two sessions) and ben signed in.
		act func(t *testing.T, db *DB, ana, ben *coding.User, anaToken string)
		// anaLive and benLive: which sessions must still work afterwards.
		anaLive, ana2Live, benLive bool
		check                      func(t *testing.T, db *DB, anaToken string)
	}{
		{"sign-out ends that session only", func(t *testing.T, db *DB, _, _ *coding.User, token string) {
			must(t, db.DeleteSession(token))
		}, false, true, true, nil},
		{"all sessions of a user", func(t *testing.T, db *DB, ana, _ *coding.User, _ string) {
			must(t, db.DeleteUserSessions(ana.ID))
		}, false, false, true, nil},
		{"password reset ends them in the same transaction", func(t *testing.T, db *DB, ana, _ *coding.User, _ string) {
			must(t, db.ResetPassword(ana.ID, []byte("new hash"), true))
		}, false, false, true, func(t *testing.T, db *DB, _ string) {
			u, err := db.UserByLogin("ana")
			must(t, err)
			if string(u.PasswordHash) != "new hash" || !u.MustChangePassword {
				t.Fatalf("after ResetPassword(one-time): hash %q, must change %v", u.PasswordHash, u.MustChangePassword)
			}
		}},
		{"a user change reaches cached sessions", func(t *testing.T, db *DB, ana, _ *coding.User, _ string) {
			must(t, db.SetPassword(ana.ID, []byte("changed hash")))
		}, true, true, true, func(t *testing.T, db *DB, token string) {
			_, u, err := db.Authenticate(token, 0)
			must(t, err)
			if string(u.PasswordHash) != "changed hash" {
				t.Fatalf("Authenticate returned the old user (hash %q)", u.PasswordHash)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			db := openTest(t, Options{})
			ana := &coding.User{Login: "ana", Name: "Ana", PasswordHash: []byte("old hash")}
			ben := &coding.User{Login: "ben", Name: "Ben"}
			must(t, db.CreateUser(ana))
			must(t, db.CreateUser(ben))
			anaToken, ana2Token, benToken := signIn(t, db, ana, time.Hour), signIn(t, db, ana, time.Hour), signIn(t, db, ben, time.Hour)
			tc.act(t, db, ana, ben, anaToken)
			for _, s := range []struct {
				who   string
				token string
				live  bool
			}{{"ana", anaToken, tc.anaLive}, {"ana's other session", ana2Token, tc.ana2Live}, {"ben", benToken, tc.benLive}} {
				_, _, err := db.Authenticate(s.token, 0)
				if s.live && err != nil {
					t.Errorf("%s: Authenticate = %v, want the session to go on", s.who, err)
				}
				if !s.live && coding.ErrorCode(err) != coding.EUNAUTHORIZED {
					t.Errorf("%s: Authenticate = %v, want unauthorized", s.who, err)
				}
			}
			if tc.check != nil {
				tc.check(t, db, anaToken)
			}
		})
	}
}

func TestSessionExpiryAndIdle(t *testing.T) {
	t.Parallel()
	db := openTest(t, Options{})
	ana := &coding.User{Login: "ana", Name: "Ana"}
	must(t, db.CreateUser(ana))

	t.Run("lifetime", func(t *testing.T) {
		token := signIn(t, db, ana, 50*time.Millisecond)
		time.Sleep(80 * time.Millisecond)
		_, _, err := db.Authenticate(token, 0)
		wantCode(t, err, coding.EUNAUTHORIZED)
	})

	t.Run("idle", func(t *testing.T) {
		const idle = 300 * time.Millisecond
		token := signIn(t, db, ana, time.Hour)
		// Used more often than idle, it lives well past idle.
		for end := time.Now().Add(3 * idle); time.Now().Before(end); time.Sleep(idle / 5) {
			if _, _, err := db.Authenticate(token, idle); err != nil {
				t.Fatalf("a session in use ended: %v", err)
			}
		}
		s, _, err := db.Authenticate(token, idle)
		must(t, err)
		if time.Since(s.Seen) > idle/4 {
			t.Fatalf("Seen = %v, %v ago", s.Seen, time.Since(s.Seen))
		}
		time.Sleep(idle + idle/2)
		_, _, err = db.Authenticate(token, idle)
		wantCode(t, err, coding.EUNAUTHORIZED)
		// It is gone for good, whatever the idle time.
		_, _, err = db.Authenticate(token, 0)
		wantCode(t, err, coding.EUNAUTHORIZED)
	})

	t.Run("last use is written down, rarely", func(t *testing.T) {
		const idle = 400 * time.Millisecond
		token := signIn(t, db, ana, time.Hour)
		start := storedSeen(t, db, token)
		for i := 0; i < 8; i++ {
			time.Sleep(idle / 8)
			must(t, keep(db, token, idle))
		}
		// The write goes its own way; wait for it.
		deadline := time.Now().Add(5 * time.Second)
		for !storedSeen(t, db, token).After(start.Add(idle / 2)) {
			if time.Now().After(deadline) {
				t.Fatalf("the stored last use stayed at %v", storedSeen(t, db, token))
			}
			time.Sleep(10 * time.Millisecond)
		}
		// Out of the cache, the session is judged by what was stored:
		// created more than idle ago, but used since.
		db.sessions.forgetUser(ana.ID)
		if _, _, err := db.Authenticate(token, idle); err != nil {
			t.Fatalf("after the cache was dropped: %v", err)
		}
	})
}

// keep is what a live connection does on its ping tick.
func keep(db *DB, token string, idle time.Duration) error {
	return db.KeepSession(sessionID(tokenKey(token)), idle)
}

func storedSeen(t *testing.T, db *DB, token string) time.Time {
	t.Helper()
	var s coding.Session
	must(t, db.bolt.View(func(tx *bolt.Tx) error {
		return decodeJSON(tx.Bucket(bucketSessions).Get(tokenKey(token)), &s)
	}))
	return s.Seen
}

// TestSessionCacheLoadRace replays the race the generation counter is for:
// a reader loads a session, the session ends and is invalidated, then the
// reader caches what it read. The stale entry must not be cached.
func TestSessionCacheLoadRace(t *testing.T) {
	t.Parallel()
	db := openTest(t, Options{})
	ana := &coding.User{Login: "ana", Name: "Ana"}
	must(t, db.CreateUser(ana))
	token, _, err := db.CreateSession(ana.ID, time.Hour)
	must(t, err)
	key := tokenKey(token)

	gen := db.sessions.generation() // the reader starts its load
	var s coding.Session
	must(t, db.bolt.View(func(tx *bolt.Tx) error { return decodeJSON(tx.Bucket(bucketSessions).Get(key), &s) }))
	must(t, db.DeleteSession(token)) // sign-out commits and invalidates
	db.sessions.put(key, newCachedSession(s, *ana), gen)
	if db.sessions.get(key) != nil {
		t.Fatal("a session read before its sign-out was cached after it")
	}
	if _, _, err := db.Authenticate(token, 0); coding.ErrorCode(err) != coding.EUNAUTHORIZED {
		t.Fatalf("Authenticate after sign-out = %v", err)
	}

	// The same under load: once DeleteUserSessions has returned, no
	// reader may succeed with any of the user's sessions.
	tokens := make([]string, 8)
	for i := range tokens {
		tokens[i] = signIn(t, db, ana, time.Hour)
	}
	var ended atomic.Bool
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				if n%3 == 0 {
					db.sessions.forgetSession(tokenKey(tokens[n%len(tokens)])) // force loads
				}
				after := ended.Load()
				_, _, err := db.Authenticate(tokens[n%len(tokens)], 0)
				if after && err == nil {
					t.Error("a session authenticated after DeleteUserSessions returned")
					return
				}
			}
		}()
	}
	time.Sleep(20 * time.Millisecond)
	must(t, db.DeleteUserSessions(ana.ID))
	ended.Store(true)
	time.Sleep(50 * time.Millisecond)
	close(stop)
	wg.Wait()
}

// BenchmarkAuthenticate measures what every signed-in request costs before
// its handler runs. "cached" is the hot path; "load" drops the cache each
// time and reads the session and its user in one transaction.
func BenchmarkAuthenticate(b *testing.B) {
	db := openTest(b, Options{})
	u := &coding.User{Login: "ana", Name: "Ana", PasswordHash: []byte("$2a$11$abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0")}
	must(b, db.CreateUser(u))
	token, _, err := db.CreateSession(u.ID, time.Hour)
	must(b, err)
	b.Run("cached", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, _, err := db.Authenticate(token, 12*time.Hour); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cached-parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, _, err := db.Authenticate(token, 12*time.Hour); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
	b.Run("load", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			db.sessions.forgetSession(tokenKey(token))
			if _, _, err := db.Authenticate(token, 12*time.Hour); err != nil {
				b.Fatal(err)
			}
		}
	})
}
