package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// liveMsg is any message of the live stream.
type liveMsg struct {
	Seq     uint64          `json:"seq"`
	Type    string          `json:"type"`
	Owner   string          `json:"owner"`
	Payload json.RawMessage `json:"payload"`
	Head    uint64          `json:"head"`
	// Online is presence's whole list (sent on joining); Changed and
	// Left are its changes afterwards.
	Online  []presenceEntry `json:"online"`
	Changed []presenceEntry `json:"changed"`
	Left    []string        `json:"left"`
	Raw     string          `json:"-"`
	// Cursor and HeadCursor hold seq and head when they came as strings:
	// the cursors a blinded coder gets in place of numbers.
	Cursor     string `json:"-"`
	HeadCursor string `json:"-"`
}

// UnmarshalJSON reads seq and head as numbers or as cursors.
func (m *liveMsg) UnmarshalJSON(data []byte) error {
	type plain liveMsg
	aux := struct {
		*plain
		Seq  json.RawMessage `json:"seq"`
		Head json.RawMessage `json:"head"`
	}{plain: (*plain)(m)}
	if err := json.Unmarshal(data, &aux); err != nil {
		return err
	}
	for _, f := range []struct {
		raw json.RawMessage
		n   *uint64
		s   *string
	}{{aux.Seq, &m.Seq, &m.Cursor}, {aux.Head, &m.Head, &m.HeadCursor}} {
		switch {
		case len(f.raw) == 0:
		case f.raw[0] == '"':
			if err := json.Unmarshal(f.raw, f.s); err != nil {
				return err
			}
		default:
			if err := json.Unmarshal(f.raw, f.n); err != nil {
				return err
			}
		}
	}
	return nil
}

// event reports whether m is an event of the log (it has a seq, a number
// or a cursor).
func (m liveMsg) event() bool { return m.Seq > 0 || m.Cursor != "" }

// presenceEntry is one connection's presence.
type presenceEntry struct {
	Conn     string `json:"conn"`
	User     string `json:"user"`
	Document string `json:"document"`
	Start    *int   `json:"start"`
	End      *int   `json:"end"`
}

// liveConn is a real websocket client of a project's live stream. A
// goroutine reads frames into a channel so tests can wait with timeouts.
type liveConn struct {
	t    testing.TB
	conn *websocket.Conn
	msgs chan liveMsg
	done chan struct{}
	// closeCode is set when the server closed the connection.
	closeCode int
}

func (c *apiClient) live(project string, since uint64) *liveConn {
	c.t.Helper()
	lc, err := c.dialLive(project, since, true)
	if err != nil {
		c.t.Fatal(err)
	}
	return lc
}

// liveFrom is live from a position given as text: a number or a blinded
// coder's cursor.
func (c *apiClient) liveFrom(project, since string) *liveConn {
	c.t.Helper()
	lc, err := c.dialLiveFrom(project, since, true)
	if err != nil {
		c.t.Fatal(err)
	}
	return lc
}

// dialLive opens the stream; with read false nobody reads from it (a
// client that never reads, to be dropped).
func (c *apiClient) dialLive(project string, since uint64, read bool) (*liveConn, error) {
	return c.dialLiveFrom(project, strconv.FormatUint(since, 10), read)
}

// dialLiveFrom is dialLive from a position given as text: a number or a
// blinded coder's cursor.
func (c *apiClient) dialLiveFrom(project, since string, read bool) (*liveConn, error) {
	u := strings.Replace(c.base, "http://", "ws://", 1) + fmt.Sprintf("/api/projects/%s/live?since=%s", project, url.QueryEscape(since))
	d := websocket.Dialer{Jar: c.http.Jar, HandshakeTimeout: 10 * time.Second}
	if !read {
		// A client that never reads fills its socket sooner with a small
		// receive buffer (where the system lets us set one).
		d.NetDialContext = (&net.Dialer{Control: smallReceiveBuffer}).DialContext
	}
	conn, resp, err := d.Dial(u, nil)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		return nil, fmt.Errorf("dial %s: %v (status %d)", u, err, status)
	}
	lc := &liveConn{t: c.t, conn: conn, msgs: make(chan liveMsg, 100000), done: make(chan struct{})}
	if read {
		go lc.readLoop()
	}
	return lc, nil
}

func (lc *liveConn) readLoop() {
	defer close(lc.done)
	for {
		_, data, err := lc.conn.ReadMessage()
		if err != nil {
			if ce, ok := err.(*websocket.CloseError); ok {
				lc.closeCode = ce.Code
			}
			return
		}
		for _, line := range bytes.Split(data, []byte("\n")) {
			var m liveMsg
			if err := json.Unmarshal(line, &m); err != nil {
				lc.t.Errorf("live frame is not JSON: %q", line)
				continue
			}
			m.Raw = string(line)
			lc.msgs <- m
		}
	}
}

func (lc *liveConn) close() {
	lc.conn.Close()
}

// next waits for the next message for which keep returns true.
func (lc *liveConn) next(keep func(liveMsg) bool, within time.Duration) (liveMsg, bool) {
	deadline := time.After(within)
	for {
		select {
		case m := <-lc.msgs:
			if keep(m) {
				return m, true
			}
		case <-deadline:
			return liveMsg{}, false
		}
	}
}

// events collects n log events (messages with a seq), failing the test if
// they do not arrive in time.
func (lc *liveConn) events(n int, within time.Duration) []liveMsg {
	lc.t.Helper()
	var out []liveMsg
	deadline := time.After(within)
	for len(out) < n {
		select {
		case m := <-lc.msgs:
			if m.event() {
				out = append(out, m)
			}
		case <-lc.done:
			// Drain what arrived before the close.
			for len(out) < n && len(lc.msgs) > 0 {
				if m := <-lc.msgs; m.event() {
					out = append(out, m)
				}
			}
			if len(out) < n {
				lc.t.Fatalf("the connection closed (code %d) after %d of %d events", lc.closeCode, len(out), n)
			}
		case <-deadline:
			lc.t.Fatalf("received %d of %d events in %s", len(out), n, within)
		}
	}
	return out
}

// ready waits for the end of the replay and returns the seq it reports.
func (lc *liveConn) ready() uint64 {
	lc.t.Helper()
	m, ok := lc.next(func(m liveMsg) bool { return m.Type == "ready" }, 10*time.Second)
	if !ok {
		lc.t.Fatal("no ready message after the replay")
	}
	var r struct{ Last uint64 }
	json.Unmarshal([]byte(m.Raw), &r)
	return r.Last
}

// project returns the demo project's id and the ids a test needs.
type demoIDs struct {
	Project string
	Doc     string
	DocLen  int
	Codes   []string // codable codes
}

func (c *apiClient) demo() demoIDs {
	c.t.Helper()
	var ids demoIDs
	var p struct {
		Project struct{ ID string } `json:"project"`
	}
	c.mustDo(http.StatusOK, "GET", "/api/projects/peer-support", nil, &p)
	ids.Project = p.Project.ID
	var docs struct {
		Documents []struct {
			ID     string `json:"id"`
			Length int    `json:"length"`
		} `json:"documents"`
	}
	c.mustDo(http.StatusOK, "GET", "/api/projects/peer-support/documents", nil, &docs)
	best := docs.Documents[0]
	for _, d := range docs.Documents {
		if d.Length > best.Length {
			best = d
		}
	}
	ids.Doc, ids.DocLen = best.ID, best.Length
	var codes struct {
		Codes []struct {
			ID      string `json:"id"`
			Codable bool   `json:"codable"`
		} `json:"codes"`
	}
	c.mustDo(http.StatusOK, "GET", "/api/projects/peer-support/codes", nil, &codes)
	for _, cd := range codes.Codes {
		if cd.Codable {
			ids.Codes = append(ids.Codes, cd.ID)
		}
	}
	return ids
}

// addCoding adds a coding through the API and returns its id.
func (c *apiClient) addCoding(ids demoIDs, code string, start, end int) string {
	c.t.Helper()
	var out struct {
		Coding struct{ ID string } `json:"coding"`
	}
	c.mustDo(http.StatusCreated, "POST", "/api/projects/"+ids.Project+"/codings",
		map[string]any{"document": ids.Doc, "code": code, "start": start, "end": end}, &out)
	return out.Coding.ID
}
