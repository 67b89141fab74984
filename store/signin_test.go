package store

import (
	"sync"
	"testing"
	"time"

	"github.com/concordqda/concord/coding"
)

// SignIn starts a session only for the hash the password was checked
// against, if it is still the user's and not empty, and a one-time
// password only once.
func TestSignInChecksTheHashInItsTransaction(t *testing.T) {
	t.Parallel()
	db := openTest(t, Options{})
	own := []byte("$2a$11$own-hash")
	oneTime := []byte("$2a$11$one-time-hash")
	users := map[string]*coding.User{
		"nopass":  {Login: "nopass", Name: "Imported"},
		"own":     {Login: "own", Name: "Own", PasswordHash: own},
		"invited": {Login: "invited", Name: "Invited", PasswordHash: oneTime, MustChangePassword: true},
	}
	for _, u := range users {
		must(t, db.CreateUser(u))
	}
	for _, tt := range []struct {
		name, login string
		verified    []byte
		want        string // error code, "" for a session
	}{
		{"no password, empty hash given", "nopass", nil, coding.EUNAUTHORIZED},
		{"no password, some hash given", "nopass", own, coding.EUNAUTHORIZED},
		{"a hash that is not the user's", "own", oneTime, coding.EUNAUTHORIZED},
		{"the user's own hash", "own", own, ""},
		{"the user's own hash again", "own", own, ""},
		{"a one-time password", "invited", oneTime, ""},
		{"the one-time password a second time", "invited", oneTime, coding.EUNAUTHORIZED},
	} {
		token, _, err := db.SignIn(users[tt.login].ID, tt.verified, time.Hour)
		if got := coding.ErrorCode(err); got != tt.want {
			t.Errorf("%s: SignIn(%s) error code %q (%v), want %q", tt.name, tt.login, got, err, tt.want)
			continue
		}
		if tt.want == "" {
			if _, _, err := db.Authenticate(token, 0); err != nil {
				t.Errorf("%s: the session does not authenticate: %v", tt.name, err)
			}
		}
	}
	if _, _, err := db.SignIn("8ca3a2c1-8b7a-41c3-a9dd-a8fb46caa645", own, time.Hour); err == nil {
		t.Error("SignIn(a user who does not exist) started a session")
	}

	// A new password, one-time again, works once more; the user's own
	// password clears the mark and works any number of times.
	must(t, db.ResetPassword(users["invited"].ID, oneTime, true))
	if _, _, err := db.SignIn(users["invited"].ID, oneTime, time.Hour); err != nil {
		t.Errorf("SignIn(a one-time password set anew) = %v, want a session", err)
	}
	must(t, db.ResetPassword(users["invited"].ID, own, false))
	for i := 0; i < 2; i++ {
		if _, _, err := db.SignIn(users["invited"].ID, own, time.Hour); err != nil {
			t.Errorf("SignIn(own password after a one-time one) #%d = %v, want a session", i+1, err)
		}
	}
}

// Of many sign-ins racing with one one-time password, exactly one gets a
// session, whatever the commit loop batches together.
func TestSignInOneTimePasswordRace(t *testing.T) {
	t.Parallel()
	db := openTest(t, Options{})
	hash := []byte("$2a$11$one-time-hash")
	u := &coding.User{Login: "invited", Name: "Invited", PasswordHash: hash, MustChangePassword: true}
	must(t, db.CreateUser(u))
	const n = 20
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, err := db.SignIn(u.ID, hash, time.Hour)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	ok := 0
	for err := range errs {
		if err == nil {
			ok++
		} else if coding.ErrorCode(err) != coding.EUNAUTHORIZED {
			t.Errorf("SignIn = %v, want a session or EUNAUTHORIZED", err)
		}
	}
	if ok != 1 {
		t.Errorf("%d of %d racing sign-ins with one one-time password got a session, want 1", ok, n)
	}
}
