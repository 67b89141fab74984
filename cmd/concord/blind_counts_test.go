package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// Deleting or merging a code tells everyone about the codebook, but the
// counts of codings it moved or removed span every coder's layer: a
// blinded coder gets the events without them, live, on replay and over
// /events, while the lead still gets them.
func TestBlindCoderGetsCodebookEventsWithoutCounts(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	lead, ana, ben := ts.login(t, "lead", "concord-demo"), ts.login(t, "ana", "concord-demo"), ts.login(t, "ben", "concord-demo")
	ids := ana.demo()
	lead.mustDo(http.StatusOK, "PATCH", "/api/projects/peer-support", map[string]any{"blind": true}, nil)
	doomed, merged, into := ids.Codes[0], ids.Codes[1], ids.Codes[2]
	for _, c := range []*apiClient{ana, ben} {
		c.addCoding(ids, doomed, 3, 9)
		c.addCoding(ids, merged, 13, 19)
	}

	// Each resumes from the position the project's answer gave them: a
	// number for the lead, a cursor for ben.
	head := func(c *apiClient) string {
		var p struct{ Seq json.RawMessage }
		c.mustDo(http.StatusOK, "GET", "/api/projects/peer-support", nil, &p)
		return strings.Trim(string(p.Seq), `"`)
	}
	since := map[*apiClient]string{lead: head(lead), ben: head(ben)}
	benLive, leadLive := ben.liveFrom(ids.Project, since[ben]), lead.liveFrom(ids.Project, since[lead])
	defer benLive.close()
	defer leadLive.close()
	benLive.ready()
	leadLive.ready()

	lead.mustDo(http.StatusOK, "DELETE", "/api/projects/peer-support/codes/"+doomed+"?codings=delete", nil, nil)
	lead.mustDo(http.StatusOK, "POST", "/api/projects/peer-support/codes/"+merged+"/merge", map[string]any{"into": into}, nil)

	counts := []string{"codings_deleted", "codings_moved", "codings_dropped"}
	check := func(where, typ string, payload json.RawMessage, wantCounts bool) {
		t.Helper()
		for _, k := range counts {
			has := strings.Contains(string(payload), `"`+k+`"`)
			if typ == "code.deleted" && k == "codings_dropped" || typ == "code.merged" && k == "codings_deleted" {
				continue
			}
			if has != wantCounts {
				t.Errorf("%s: %s payload %s: has %s = %v, want %v", where, typ, payload, k, has, wantCounts)
			}
		}
		if !strings.Contains(string(payload), doomed) && !strings.Contains(string(payload), merged) {
			t.Errorf("%s: %s payload %s lost what changed", where, typ, payload)
		}
	}
	for _, who := range []struct {
		name   string
		conn   *liveConn
		counts bool
	}{{"ben live", benLive, false}, {"lead live", leadLive, true}} {
		for _, typ := range []string{"code.deleted", "code.merged"} {
			m, ok := who.conn.next(func(m liveMsg) bool { return m.Type == typ }, 5*time.Second)
			if !ok {
				t.Fatalf("%s: no %s event", who.name, typ)
			}
			check(who.name, typ, m.Payload, who.counts)
		}
	}

	replay := ben.liveFrom(ids.Project, since[ben])
	defer replay.close()
	for _, typ := range []string{"code.deleted", "code.merged"} {
		m, ok := replay.next(func(m liveMsg) bool { return m.Type == typ }, 5*time.Second)
		if !ok {
			t.Fatalf("ben's replay: no %s event", typ)
		}
		check("ben replay", typ, m.Payload, false)
	}

	for _, who := range []struct {
		name   string
		c      *apiClient
		counts bool
	}{{"ben /events", ben, false}, {"lead /events", lead, true}} {
		var page struct {
			Events []struct {
				Type    string
				Payload json.RawMessage
			}
		}
		who.c.mustDo(http.StatusOK, "GET", "/api/projects/peer-support/events?since="+url.QueryEscape(since[who.c]), nil, &page)
		seen := 0
		for _, e := range page.Events {
			if e.Type == "code.deleted" || e.Type == "code.merged" {
				check(who.name, e.Type, e.Payload, who.counts)
				seen++
			}
		}
		if seen != 2 {
			t.Fatalf("%s: %d codebook events, want 2", who.name, seen)
		}
	}
}
