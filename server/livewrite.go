package server

import (
	"encoding/json"
	"fmt"
	"runtime/debug"

	"github.com/concordqda/concord/coding"
)

// A coder's own codings can be added, changed and deleted over the live
// connection as well as over HTTP. The connection is already signed in and
// knows the coder's role, so a change costs one frame each way instead of
// an HTTP request with its headers, cookie and session lookup; and the
// answer arrives on the same ordered stream as everyone's events, after
// the change's own event. The rules are the HTTP routes' own: the same
// role check as POST/PATCH/DELETE …/codings and the same functions behind
// them. Bulk changes stay on HTTP (one coding per message here).

// liveWriteTypes are the message types that change codings.
var liveWriteTypes = map[string]bool{"coding.add": true, "coding.update": true, "coding.delete": true}

// liveWrite carries out one change a client sent and returns the coding
// it concerns.
func (s *Server) liveWrite(c *client, in *inbound) (*coding.Coding, error) {
	role := coding.Role(c.roleName())
	if !role.CanCode() {
		return nil, coding.Errorf(coding.EFORBIDDEN, "viewers can read this project but cannot change or export it")
	}
	cl := &caller{user: c.user, role: role, project: &coding.Project{ID: c.project, Blind: c.room.blind.Load()}}
	switch in.Type {
	case "coding.add":
		if in.Coding == nil {
			return nil, coding.Errorf(coding.EINVALID, "coding.add needs the coding under \"coding\"")
		}
		cs, err := s.addCodings(cl, []codingRequest{*in.Coding})
		if err != nil {
			return nil, err
		}
		return &cs[0], nil
	case "coding.update":
		if in.Patch == nil {
			return nil, coding.Errorf(coding.EINVALID, "coding.update needs the changes under \"patch\"")
		}
		return s.updateCoding(cl, in.ID, *in.Patch)
	default:
		return s.deleteCoding(cl, in.ID)
	}
}

// reply is the answer to a change sent over the live connection: the
// coding, or the error with the status the same request over HTTP would
// have had.
type reply struct {
	Type   string         `json:"type"` // "reply"
	Req    string         `json:"req"`
	Coding *coding.Coding `json:"coding,omitempty"`
	Error  string         `json:"error,omitempty"`
	Code   string         `json:"code,omitempty"`
	Status int            `json:"status"`
}

// answer carries out a change and queues the reply. It runs on the
// connection's own goroutine, where net/http's recovery does not reach:
// a bug behind one change must fail that change, not the server.
func (h *Hub) answer(c *client, in *inbound) {
	if h.write == nil {
		h.reply(c, in, nil, errNoWrites)
		return
	}
	var cd *coding.Coding
	var err error
	func() {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("panic: %v\n%s", p, debug.Stack())
			}
		}()
		cd, err = h.write(c, in)
	}()
	h.reply(c, in, cd, err)
}

func (h *Hub) reply(c *client, in *inbound, cd *coding.Coding, err error) {
	r := reply{Type: "reply", Req: in.Req, Coding: cd, Status: 200}
	if in.Type == "coding.add" {
		r.Status = 201
	}
	if err != nil {
		code := coding.ErrorCode(err)
		if code == coding.EINTERNAL {
			h.log.Error("live change failed", "type", in.Type, "err", err)
		}
		r = reply{Type: "reply", Req: in.Req, Error: coding.ErrorMessage(err), Code: code, Status: statusOf(code)}
	}
	data, _ := json.Marshal(r)
	c.enqueue([]message{{data: data}})
}

var errNoWrites = coding.Errorf(coding.EUNAVAILABLE, "this connection does not take changes; use the HTTP API")
