package server

import (
	"testing"

	"github.com/concordqda/concord/coding"
)

// A client's role and a new room's blind flag are read when the client
// joins, under the hub's lock, not taken from the request that asked to
// join: a project made blind in between must not reach a coder unblinded.
func TestJoinReadsAccessUnderTheLock(t *testing.T) {
	tests := []struct {
		name      string
		blind     bool
		role      coding.Role
		err       error
		wantErr   bool
		wantBlind bool
	}{
		{"made blind after the request", true, coding.RoleCoder, nil, false, true},
		{"revealed after the request", false, coding.RoleCoder, nil, false, false},
		{"demoted to viewer", true, coding.RoleViewer, nil, false, true},
		{"removed from the project", false, "", coding.Errorf(coding.ENOTFOUND, "no"), true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHub(HubOptions{}, nil, hubDeps{})
			c := &client{hub: h, project: "p", user: &coding.User{ID: "u"}, send: newSendQueue(16)}
			c.role.Store(string(coding.RoleLead)) // what the request saw
			err := h.join(c, func() (bool, coding.Role, error) {
				if h.mu.TryLock() {
					t.Error("access read without the hub's lock held")
					h.mu.Unlock()
				}
				return tt.blind, tt.role, tt.err
			})
			if (err != nil) != tt.wantErr {
				t.Fatalf("join: %v, want error %v", err, tt.wantErr)
			}
			if tt.wantErr {
				if h.Clients("p") != 0 {
					t.Fatal("a refused client was registered")
				}
				return
			}
			if got := c.room.blind.Load(); got != tt.wantBlind {
				t.Errorf("room blind = %v, want %v", got, tt.wantBlind)
			}
			if c.lead() || c.role.Load().(string) != string(tt.role) {
				t.Errorf("role = %v, want %v", c.role.Load(), tt.role)
			}
			if c.blinded(c.room) != tt.wantBlind {
				t.Errorf("blinded = %v, want %v", c.blinded(c.room), tt.wantBlind)
			}
		})
	}
}
