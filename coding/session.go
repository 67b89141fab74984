package coding

import "time"

// Session is a signed-in browser or client. Only a hash of its token is
// ever stored.
type Session struct {
	UserID  string    `json:"user"`
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires"`
}
