package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/concordqda/concord/coding"
	"github.com/google/uuid"
	"github.com/gorilla/websocket"
)

// liveReply is the server's answer to a change sent over the live
// connection.
type liveReply struct {
	Req    string
	Status int
	Code   string
	Error  string
	Coding *coding.Coding
}

// change sends a change to a coding over the connection and waits for
// its answer. Failures are reported with Errorf and a zero reply, so that
// it can run on goroutines other than the test's.
func (lc *liveConn) change(msg map[string]any) liveReply {
	lc.t.Helper()
	req := uuid.NewString()
	msg["req"] = req
	data, _ := json.Marshal(msg)
	if err := lc.conn.WriteMessage(websocket.TextMessage, data); err != nil {
		lc.t.Errorf("send %s: %v", data, err)
		return liveReply{}
	}
	m, ok := lc.next(func(m liveMsg) bool { return m.Type == "reply" && strings.Contains(m.Raw, req) }, 10*time.Second)
	if !ok {
		lc.t.Errorf("no reply to %s", data)
		return liveReply{}
	}
	var r liveReply
	if err := json.Unmarshal([]byte(m.Raw), &r); err != nil {
		lc.t.Errorf("reply %s: %v", m.Raw, err)
	}
	return r
}

// Codings sent over the live connection follow the rules of the HTTP
// routes: the same roles, layers and validation, each answered with the
// status HTTP would give; what is refused changes nothing.
func TestLiveWritesFollowTheHTTPRules(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	lead, ana, ben := ts.login(t, "lead", "concord-demo"), ts.login(t, "ana", "concord-demo"), ts.login(t, "ben", "concord-demo")
	ids := ana.demo()
	vera := ts.sessionFor(t, "vera", ids.Project, coding.RoleViewer)
	anaID := ana.userID(t)
	live := map[string]*liveConn{}
	for name, c := range map[string]*apiClient{"lead": lead, "ana": ana, "ben": ben, "vera": vera} {
		lc := c.live(ids.Project, 1<<62)
		defer lc.close()
		lc.ready()
		live[name] = lc
	}
	add := func(extra map[string]any) map[string]any {
		c := map[string]any{"id": uuid.NewString(), "document": ids.Doc, "code": ids.Codes[0], "start": 5, "end": 12}
		for k, v := range extra {
			c[k] = v
		}
		return map[string]any{"type": "coding.add", "coding": c}
	}
	head := func() uint64 {
		var p struct{ Seq uint64 }
		lead.mustDo(http.StatusOK, "GET", "/api/projects/peer-support", nil, &p)
		return p.Seq
	}

	// A coder adds a coding: the answer comes after its own event, and the
	// others see it.
	msg := add(nil)
	r := live["ana"].change(msg)
	id := msg["coding"].(map[string]any)["id"].(string)
	if r.Status != http.StatusCreated || r.Coding == nil || r.Coding.ID != id || r.Coding.CoderID != anaID {
		t.Fatalf("ana's add: %+v", r)
	}
	if m, ok := live["ben"].next(func(m liveMsg) bool { return m.Type == "coding.added" }, 5*time.Second); !ok || !strings.Contains(m.Raw, id) {
		t.Fatalf("ben did not see ana's coding: %s", m.Raw)
	}
	var stored struct{ Codings []coding.Coding }
	ana.mustDo(http.StatusOK, "GET", "/api/projects/peer-support/documents/"+ids.Doc+"/codings", nil, &stored)
	found := false
	for _, c := range stored.Codings {
		found = found || c.ID == id
	}
	if !found {
		t.Fatal("the acknowledged coding is not stored")
	}

	before := head()
	refused := []struct {
		name   string
		who    string
		msg    map[string]any
		status int
	}{
		{"viewer adds", "vera", add(nil), http.StatusForbidden},
		{"coder writes into another's layer", "ben", add(map[string]any{"coder": anaID}), http.StatusForbidden},
		{"coder writes into the consensus", "ben", add(map[string]any{"coder": coding.ConsensusCoder}), http.StatusForbidden},
		{"same id twice", "ben", add(map[string]any{"id": id}), http.StatusConflict},
		{"bad offsets", "ben", add(map[string]any{"start": 12, "end": 5}), http.StatusBadRequest},
		{"id not a uuid", "ben", add(map[string]any{"id": "nope"}), http.StatusBadRequest},
		{"add without a coding", "ben", map[string]any{"type": "coding.add"}, http.StatusBadRequest},
		{"viewer deletes", "vera", map[string]any{"type": "coding.delete", "id": id}, http.StatusForbidden},
		{"coder deletes another's", "ben", map[string]any{"type": "coding.delete", "id": id}, http.StatusForbidden},
		{"coder changes another's", "ben", map[string]any{"type": "coding.update", "id": id, "patch": map[string]any{"memo": "x"}}, http.StatusForbidden},
		{"update without changes", "ana", map[string]any{"type": "coding.update", "id": id}, http.StatusBadRequest},
		{"delete of nothing", "ana", map[string]any{"type": "coding.delete", "id": uuid.NewString()}, http.StatusNotFound},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			r := live[tt.who].change(tt.msg)
			if r.Status != tt.status || r.Error == "" || r.Coding != nil {
				t.Errorf("%s: %+v, want status %d with a message", tt.name, r, tt.status)
			}
		})
	}
	if h := head(); h != before {
		t.Fatalf("refused changes moved the log from %d to %d", before, h)
	}

	// The lead writes into the consensus; ana changes and deletes her own.
	if r := live["lead"].change(add(map[string]any{"coder": coding.ConsensusCoder})); r.Status != http.StatusCreated || r.Coding.CoderID != coding.ConsensusCoder {
		t.Fatalf("lead's consensus coding: %+v", r)
	}
	if r := live["ana"].change(map[string]any{"type": "coding.update", "id": id, "patch": map[string]any{"memo": "first pass"}}); r.Status != http.StatusOK || r.Coding.Memo != "first pass" {
		t.Fatalf("ana's update: %+v", r)
	}
	if r := live["ana"].change(map[string]any{"type": "coding.delete", "id": id}); r.Status != http.StatusOK || r.Coding.ID != id {
		t.Fatalf("ana's delete: %+v", r)
	}

	// A coder made a viewer while connected loses the right at once.
	lead.mustDo(http.StatusOK, "PUT", "/api/projects/peer-support/members/ben", map[string]any{"role": "viewer"}, nil)
	if _, ok := live["ben"].next(func(m liveMsg) bool { return m.Type == "member.set" }, 5*time.Second); !ok {
		t.Fatal("ben did not hear of his new role")
	}
	if r := live["ben"].change(add(nil)); r.Status != http.StatusForbidden {
		t.Fatalf("ben as a viewer: %+v, want 403", r)
	}
}
