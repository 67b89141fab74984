package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/concordqda/concord/coding"
)

// decisionCase is a valid rejection of a stretch of the demo document
// where ana and ben are compared, keyed as the review keys it.
func decisionCase(ids demoIDs, code, a, b string, start, end int) map[string]any {
	return map[string]any{
		"key":      strings.Join([]string{ids.Doc, code, a, b, fmt.Sprint(start), fmt.Sprint(end)}, "|"),
		"document": ids.Doc, "code": code, "coder_a": a, "coder_b": b,
		"start": start, "end": end, "decided": coding.DecisionRejected,
	}
}

// sendRaw sends body as it is, for bodies json.Marshal cannot make.
func (c *apiClient) sendRaw(method, path, body string) (int, string) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data)
}

// decisionEvent waits on a live stream for a decision event of typ about key.
func decisionEvent(t *testing.T, lc *liveConn, who, typ, key string) liveMsg {
	t.Helper()
	m, ok := lc.next(func(m liveMsg) bool {
		if m.Type != typ {
			return false
		}
		var d coding.Decision
		json.Unmarshal(m.Payload, &d)
		return d.Key == key
	}, 10*time.Second)
	if !ok {
		t.Fatalf("%s did not receive %s for %q live", who, typ, key)
	}
	return m
}

// TestDecisionsAreSharedBetweenLeads: one lead's rejection is listed for
// another lead and reaches them live, as does taking it back; coders may
// not use the routes; bad bodies are refused and store nothing.
func TestDecisionsAreSharedBetweenLeads(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	lead := ts.login(t, "lead", DemoPassword)
	ana := ts.login(t, "ana", DemoPassword)
	ids := lead.demo()
	lead2 := ts.sessionFor(t, "lead2", ids.Project, coding.RoleLead)
	leadID, anaID := lead.userID(t), ana.userID(t)
	ben, _ := ts.Store.UserByLogin("ben")
	pp := "/api/projects/" + ids.Project
	code := ids.Codes[0]

	l2 := lead2.live(ids.Project, 1<<62)
	defer l2.close()
	l2.ready()
	l1 := lead.live(ids.Project, 1<<62)
	defer l1.close()
	l1.ready()

	body := decisionCase(ids, code, anaID, ben.ID, 10, 40)
	key := body["key"].(string)
	var set struct{ Decision coding.Decision }
	lead.mustDo(http.StatusOK, "PUT", pp+"/decisions", body, &set)
	if d := set.Decision; d.Key != key || d.By != leadID || d.At.IsZero() || d.Decided != coding.DecisionRejected || d.Start != 10 || d.End != 40 {
		t.Fatalf("PUT answered %+v; want the rejection, by the lead, with a time", d)
	}
	if m := decisionEvent(t, l2, "the second lead", coding.EventDecisionSet, key); m.Owner != coding.ConsensusCoder {
		t.Errorf("decision.set has owner %q, want the consensus layer", m.Owner)
	}

	var list struct{ Decisions []coding.Decision }
	lead2.mustDo(http.StatusOK, "GET", pp+"/decisions?document="+ids.Doc, nil, &list)
	if len(list.Decisions) != 1 || list.Decisions[0].Key != key || list.Decisions[0].By != leadID {
		t.Fatalf("the second lead lists %+v; want the first lead's rejection", list.Decisions)
	}
	lead2.mustDo(http.StatusOK, "GET", pp+"/decisions", nil, &list)
	if len(list.Decisions) != 1 {
		t.Fatalf("the second lead lists %d decisions in the project, want 1", len(list.Decisions))
	}
	var docs struct{ Documents []struct{ ID string } }
	lead2.mustDo(http.StatusOK, "GET", pp+"/documents", nil, &docs)
	for _, d := range docs.Documents {
		if d.ID != ids.Doc {
			lead2.mustDo(http.StatusOK, "GET", pp+"/decisions?document="+d.ID, nil, &list)
			if len(list.Decisions) != 0 {
				t.Errorf("another document lists %+v", list.Decisions)
			}
			break
		}
	}

	// The same rejection again, from the other lead: the first decider
	// stays on record and the log does not grow.
	head, _ := ts.Store.LastSeq(ids.Project)
	lead2.mustDo(http.StatusOK, "PUT", pp+"/decisions", body, &set)
	if set.Decision.By != leadID {
		t.Errorf("repeating the rejection answered by %q, want the first lead", set.Decision.By)
	}
	if now, _ := ts.Store.LastSeq(ids.Project); now != head {
		t.Errorf("repeating the rejection moved the log from %d to %d", head, now)
	}

	// Coders may not use the routes.
	for _, r := range []struct {
		method, path string
		body         any
	}{
		{"GET", pp + "/decisions", nil},
		{"PUT", pp + "/decisions", decisionCase(ids, code, anaID, ben.ID, 50, 60)},
		{"DELETE", pp + "/decisions?key=" + url.QueryEscape(key), nil},
	} {
		var e struct{ Error, Code string }
		if status := ana.do(r.method, r.path, r.body, &e); status != http.StatusForbidden || !strings.Contains(e.Error, "only a lead") {
			t.Errorf("coder %s %s: status %d %+v, want 403", r.method, r.path, status, e)
		}
	}

	// Bad bodies: 400 with a message that says what is wrong, nothing stored.
	head, _ = ts.Store.LastSeq(ids.Project)
	with := func(field string, v any) string {
		b := decisionCase(ids, code, anaID, ben.ID, 100, 120)
		if v == nil {
			delete(b, field)
		} else {
			b[field] = v
		}
		data, _ := json.Marshal(b)
		return string(data)
	}
	for _, tt := range []struct {
		name, body string
		status     int
		want       string
	}{
		{"not JSON", `{"key":`, 400, "not valid"},
		{"unknown field", with("by", leadID), 400, `unknown field "by"`},
		{"accepted", with("decided", "accepted"), 400, `decided must be one of`},
		{"no decided", with("decided", nil), 400, `decided must be one of`},
		{"no key", with("key", nil), 400, "needs a key"},
		{"reason too long", with("reason", strings.Repeat("why ", coding.MaxDecisionReason)), 400, "reason is too long"},
		{"reason with NUL", with("reason", "why\u0000"), 400, "reason contains a NUL"},
		{"key too long", with("key", strings.Repeat("k", coding.MaxDecisionKey+1)), 400, "key is too long"},
		{"end before start", with("end", 90), 400, "must be after its start"},
		{"negative start", with("start", -5), 400, "must not be negative"},
		{"document not an id", with("document", "Interview 1"), 400, "document must be an id"},
		{"same coders", with("coder_b", anaID), 400, "are the same"},
		{"past the end", with("end", ids.DocLen+1), 400, "reaches past the end"},
		{"start as text", with("start", "100"), 400, `field "start" must be a whole number`},
		{"unknown document", with("document", coding.NewID()), 404, "does not exist"},
		{"unknown code", with("code", coding.NewID()), 404, "does not exist"},
	} {
		status, answer := lead.sendRaw("PUT", pp+"/decisions", tt.body)
		var e struct{ Error string }
		json.Unmarshal([]byte(answer), &e)
		if status != tt.status || !strings.Contains(e.Error, tt.want) {
			t.Errorf("%s: status %d %s, want %d mentioning %q", tt.name, status, answer, tt.status, tt.want)
		}
	}
	if now, _ := ts.Store.LastSeq(ids.Project); now != head {
		t.Errorf("refused decisions moved the log from %d to %d", head, now)
	}
	lead.mustDo(http.StatusOK, "GET", pp+"/decisions", nil, &list)
	if len(list.Decisions) != 1 {
		t.Errorf("after the refused bodies the project has %d decisions, want 1", len(list.Decisions))
	}
	if status, answer := lead.sendRaw("DELETE", pp+"/decisions", ""); status != 400 || !strings.Contains(answer, "?key=") {
		t.Errorf("DELETE without a key: %d %s, want 400 asking for it", status, answer)
	}
	if status, answer := lead.sendRaw("DELETE", pp+"/decisions?key=no-such-case", ""); status != 404 || !strings.Contains(answer, "no decision") {
		t.Errorf("DELETE of an unknown key: %d %s, want 404", status, answer)
	}
	if status, answer := lead.sendRaw("GET", pp+"/decisions?document=first", ""); status != 400 || !strings.Contains(answer, "document must be") {
		t.Errorf("GET with a document that is no id: %d %s, want 400", status, answer)
	}

	// The second lead takes it back; the first sees that live.
	var cleared struct{ Decision coding.Decision }
	lead2.mustDo(http.StatusOK, "DELETE", pp+"/decisions?key="+url.QueryEscape(key), nil, &cleared)
	if cleared.Decision.Key != key || cleared.Decision.By != leadID {
		t.Errorf("DELETE answered %+v, want the decision as it was", cleared.Decision)
	}
	if m := decisionEvent(t, l1, "the first lead", coding.EventDecisionCleared, key); m.Owner != coding.ConsensusCoder {
		t.Errorf("decision.cleared has owner %q, want the consensus layer", m.Owner)
	}
	lead.mustDo(http.StatusOK, "GET", pp+"/decisions", nil, &list)
	if len(list.Decisions) != 0 {
		t.Errorf("after clearing, %d decisions are listed", len(list.Decisions))
	}
}

// TestBlindCodersNeverSeeDecisions: decisions belong to the consensus
// layer, so in a blind project a coder's live stream and event log carry
// none of them, before or after the project turned blind, while the
// leads' do.
func TestBlindCodersNeverSeeDecisions(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	lead := ts.login(t, "lead", DemoPassword)
	ana := ts.login(t, "ana", DemoPassword)
	ids := lead.demo()
	lead2 := ts.sessionFor(t, "lead2", ids.Project, coding.RoleLead)
	anaID := ana.userID(t)
	ben, _ := ts.Store.UserByLogin("ben")
	pp := "/api/projects/" + ids.Project

	// One decision while the project is open, then it turns blind.
	before := decisionCase(ids, ids.Codes[0], anaID, ben.ID, 0, 30)
	lead.mustDo(http.StatusOK, "PUT", pp+"/decisions", before, nil)
	lead.mustDo(http.StatusOK, "DELETE", pp+"/decisions?key="+url.QueryEscape(before["key"].(string)), nil, nil)
	lead.mustDo(http.StatusOK, "PATCH", pp, map[string]any{"blind": true}, nil)

	la := ana.live(ids.Project, 0)
	defer la.close()
	la.ready()
	l2 := lead2.live(ids.Project, 0)
	defer l2.close()
	l2.ready()

	after := decisionCase(ids, ids.Codes[0], anaID, ben.ID, 40, 70)
	lead.mustDo(http.StatusOK, "PUT", pp+"/decisions", after, nil)
	decisionEvent(t, l2, "the second lead", coding.EventDecisionSet, after["key"].(string))
	// Ana codes after the decision: once her own coding has arrived, the
	// decision would have too.
	mine := ana.addCoding(ids, ids.Codes[1], 5, 9)
	if _, ok := la.next(func(m liveMsg) bool {
		if strings.HasPrefix(m.Type, "decision.") {
			t.Errorf("ana, a blind coder, received %s live: %s", m.Type, m.Raw)
		}
		return m.Type == "coding.added" && strings.Contains(m.Raw, mine)
	}, 10*time.Second); !ok {
		t.Fatal("ana's own coding did not reach her live")
	}

	count := func(c *apiClient) int {
		// Only the type: a blinded coder's seq is a cursor, not a number.
		var log struct{ Events []struct{ Type string } }
		c.mustDo(http.StatusOK, "GET", pp+"/events?since=0&limit=10000", nil, &log)
		n := 0
		for _, ev := range log.Events {
			if strings.HasPrefix(ev.Type, "decision.") {
				n++
			}
		}
		return n
	}
	if n := count(ana); n != 0 {
		t.Errorf("ana's event log holds %d decision events, want none", n)
	}
	if n := count(lead2); n != 3 {
		t.Errorf("the second lead's event log holds %d decision events, want 3", n)
	}
	// Ana's replay from the start carries none either.
	replay := ana.live(ids.Project, 0)
	defer replay.close()
	if _, ok := replay.next(func(m liveMsg) bool {
		if strings.HasPrefix(m.Type, "decision.") {
			t.Errorf("ana's replay carried %s: %s", m.Type, m.Raw)
		}
		return m.Type == "ready"
	}, 10*time.Second); !ok {
		t.Fatal("ana's replay did not end")
	}
	if status := ana.do("GET", pp+"/decisions", nil, nil); status != http.StatusForbidden {
		t.Errorf("ana GET decisions: %d, want 403", status)
	}
}
