package coding

import "time"

// Session is a signed-in browser or client. Only a hash of its token is
// ever stored.
type Session struct {
	// ID names the session without being its secret (it is derived from
	// the token's hash, which cannot be turned back into the token), so
	// the server can keep it beside a live connection and end that
	// connection with the session. It is not stored.
	ID      string    `json:"-"`
	UserID  string    `json:"user"`
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires"`
	// Seen is when the session was last used, as far as the store knows.
	// The store writes it down at most about once a minute, so that
	// signed-in requests stay reads; sessions stored before it existed
	// count from Created.
	Seen time.Time `json:"seen,omitzero"`
}

// LastUse is when the session was last known to be used.
func (s *Session) LastUse() time.Time {
	if s.Seen.After(s.Created) {
		return s.Seen
	}
	return s.Created
}
