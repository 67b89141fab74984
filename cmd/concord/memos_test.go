package main

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// memoOut is a memo as search and retrieval list it.
type memoOut struct {
	ID            string
	Kind          string
	Document      string
	Code          string
	Start, End    int
	Author        string
	Title, Text   string
	DocumentTitle string `json:"document_title"`
	CodePath      string `json:"code_path"`
	Excerpt       string
	Field, Match  string
}

// memoIDs returns the ids of the memos in list, sorted.
func memoIDs(list []memoOut) []string {
	var out []string
	for _, m := range list {
		out = append(out, m.ID)
	}
	slices.Sort(out)
	return out
}

// memoTeam is the demo project's lead and coders, signed in.
type memoTeam struct {
	lead, ana, ben *apiClient
	ids            demoIDs
	pp             string // the project's API path
}

func newMemoTeam(t *testing.T) memoTeam {
	t.Helper()
	ts := startServer(t)
	m := memoTeam{lead: ts.login(t, "lead", "concord-demo"), ana: ts.login(t, "ana", "concord-demo"), ben: ts.login(t, "ben", "concord-demo")}
	m.ids = m.ana.demo()
	m.pp = "/api/projects/" + m.ids.Project
	return m
}

// Every kind of memo (journal, document, span, code) can be written,
// refused with a clear 4xx when malformed, found by search, listed with
// the coded segments it belongs with, and exported.
func TestMemoKindsSearchRetrievalExport(t *testing.T) {
	t.Parallel()
	team := newMemoTeam(t)
	lead, ana, ben, ids, pp := team.lead, team.ana, team.ben, team.ids, team.pp
	code, other := ids.Codes[0], ids.Codes[1]
	anaID := ana.userID(t)

	var doc struct{ Document struct{ Title, Text string } }
	ana.mustDo(http.StatusOK, "GET", pp+"/documents/"+ids.Doc, nil, &doc)
	spanText := string([]rune(doc.Document.Text)[5:20])
	ana.addCoding(ids, code, 10, 30) // the span memo overlaps it

	made := map[string]memoOut{}
	for _, c := range []struct {
		kind string
		body map[string]any
	}{
		{"project", map[string]any{"title": "Week one", "text": "zebrafinch journal entry"}},
		{"document", map[string]any{"document": ids.Doc, "title": "About this interview", "text": "zebrafinch document thought"}},
		{"span", map[string]any{"document": ids.Doc, "start": 5, "end": 20, "title": "", "text": "zebrafinch on this passage"}},
		{"code", map[string]any{"code": code, "title": "Boundary of the code", "text": "zebrafinch code definition note"}},
	} {
		var out struct{ Memo memoOut }
		ana.mustDo(http.StatusOK, "POST", pp+"/memos", c.body, &out)
		if out.Memo.ID == "" || out.Memo.Author != anaID {
			t.Fatalf("%s memo: %+v", c.kind, out.Memo)
		}
		made[c.kind] = out.Memo
	}

	t.Run("refused", func(t *testing.T) {
		for _, c := range []struct {
			name   string
			client *apiClient
			method string
			path   string
			body   any
			want   int
			says   string
		}{
			{"span without a document", ana, "POST", "/memos", map[string]any{"start": 1, "end": 4, "text": "x"}, 400, "needs a document"},
			{"reversed span", ana, "POST", "/memos", map[string]any{"document": ids.Doc, "start": 9, "end": 4, "text": "x"}, 400, "empty or reversed"},
			{"span past the end", ana, "POST", "/memos", map[string]any{"document": ids.Doc, "start": 1, "end": ids.DocLen + 1, "text": "x"}, 400, "past the end"},
			{"unknown document", ana, "POST", "/memos", map[string]any{"document": "00000000-0000-0000-0000-000000000000", "text": "x"}, 404, "does not exist"},
			{"unknown code", ana, "POST", "/memos", map[string]any{"code": "00000000-0000-0000-0000-000000000000", "text": "x"}, 404, "does not exist"},
			{"unknown field", ana, "POST", "/memos", map[string]any{"text": "x", "colour": "red"}, 400, "colour"},
			{"someone else's memo changed", ben, "PUT", "/memos/" + made["project"].ID, map[string]any{"text": "mine now"}, 403, "only the author"},
			{"someone else's memo deleted by a coder", ben, "DELETE", "/memos/" + made["project"].ID, nil, 403, "author of a memo or a lead"},
			{"memos neither true nor false", ana, "GET", "/segments?memos=yes", nil, 400, "memos must be true or false"},
		} {
			var e struct{ Error string }
			if status := c.client.do(c.method, pp+c.path, c.body, &e); status != c.want || !strings.Contains(e.Error, c.says) {
				t.Errorf("%s: status %d %q, want %d saying %q", c.name, status, e.Error, c.want, c.says)
			}
		}
		var list struct{ Memos []memoOut }
		ana.mustDo(http.StatusOK, "GET", pp+"/memos", nil, &list)
		for _, m := range list.Memos {
			if m.ID == made["project"].ID && m.Text != "zebrafinch journal entry" {
				t.Errorf("a refused change changed the memo: %+v", m)
			}
		}
	})

	t.Run("search", func(t *testing.T) {
		var r struct {
			Hits  []json.RawMessage
			Memos []memoOut
		}
		ben.mustDo(http.StatusOK, "GET", pp+"/search?q=ZEBRAFINCH&context=10", nil, &r)
		if len(r.Hits) != 0 {
			t.Errorf("memo text found in documents: %d hits", len(r.Hits))
		}
		byKind := map[string]memoOut{}
		for _, m := range r.Memos {
			byKind[m.Kind] = m
		}
		for kind, want := range made {
			got, ok := byKind[kind]
			if !ok || got.ID != want.ID || got.Match != "zebrafinch" || got.Field != "text" {
				t.Errorf("search hit of the %s memo: %+v", kind, got)
			}
		}
		if m := byKind["span"]; m.DocumentTitle != doc.Document.Title || m.Excerpt != spanText || m.Start != 5 || m.End != 20 {
			t.Errorf("span memo hit: title %q excerpt %q [%d, %d), want %q %q [5, 20)", m.DocumentTitle, m.Excerpt, m.Start, m.End, doc.Document.Title, spanText)
		}
		if m := byKind["code"]; m.CodePath == "" || m.Code != code {
			t.Errorf("code memo hit: %+v", m)
		}
		// Titles are searched too.
		ben.mustDo(http.StatusOK, "GET", pp+"/search?q=boundary+of+the", nil, &r)
		if len(r.Memos) != 1 || r.Memos[0].ID != made["code"].ID || r.Memos[0].Field != "title" {
			t.Errorf("search in titles: %+v", r.Memos)
		}
	})

	t.Run("retrieval", func(t *testing.T) {
		for _, c := range []struct {
			query string
			want  []string
		}{
			{"coder=" + anaID, []string{"project", "document", "span", "code"}},
			{"coder=" + anaID + "&document=" + ids.Doc, []string{"document", "span"}},
			{"coder=" + anaID + "&code=" + code, []string{"span", "code"}},
			{"coder=" + anaID + "&code=" + other, nil},
			{"coder=" + ben.userID(t), nil},
		} {
			var want []string
			for _, k := range c.want {
				want = append(want, made[k].ID)
			}
			slices.Sort(want)
			var r struct{ Memos []memoOut }
			lead.mustDo(http.StatusOK, "GET", pp+"/segments?memos=true&"+c.query, nil, &r)
			if got := memoIDs(r.Memos); !slices.Equal(got, want) {
				t.Errorf("segments?%s: memos %v, want %v (%v)", c.query, got, want, c.want)
			}
		}
		var plain map[string]json.RawMessage
		lead.mustDo(http.StatusOK, "GET", pp+"/segments", nil, &plain)
		if _, ok := plain["memos"]; ok {
			t.Error("segments without memos=true lists memos")
		}
	})

	t.Run("export", func(t *testing.T) {
		var got struct {
			Memos []struct {
				ID, Kind, Document, Code, Author, Title, Text string
				Start, End                                    *int
			}
		}
		status, _, body := ana.get(pp + "/export?format=json")
		if status != http.StatusOK {
			t.Fatalf("export: status %d", status)
		}
		if err := json.Unmarshal(body, &got); err != nil {
			t.Fatal(err)
		}
		for kind, want := range made {
			i := slices.IndexFunc(got.Memos, func(m struct {
				ID, Kind, Document, Code, Author, Title, Text string
				Start, End                                    *int
			}) bool {
				return m.ID == want.ID
			})
			if i < 0 {
				t.Errorf("the %s memo is not in the JSON export", kind)
				continue
			}
			m := got.Memos[i]
			anchored := m.Start != nil && m.End != nil
			if m.Kind != kind || m.Text != want.Text || m.Author != "ana" || m.Document != want.Document || m.Code != want.Code || anchored != (kind == "span") {
				t.Errorf("exported %s memo: %+v", kind, m)
			}
			if anchored && (*m.Start != 5 || *m.End != 20) {
				t.Errorf("exported span memo at [%d, %d), want [5, 20)", *m.Start, *m.End)
			}
		}
	})

	// A lead may delete anyone's memo.
	lead.mustDo(http.StatusOK, "DELETE", pp+"/memos/"+made["document"].ID, nil, nil)
}

// Memo changes reach other open windows live; in a blind project a coder
// hears only of their own memos, while the lead hears of everyone's.
func TestMemosLive(t *testing.T) {
	t.Parallel()
	team := newMemoTeam(t)
	lead, ana, ben, ids, pp := team.lead, team.ana, team.ben, team.ids, team.pp
	anaID, benID := ana.userID(t), ben.userID(t)

	memoEvent := func(lc *liveConn, who string) (liveMsg, memoOut) {
		t.Helper()
		msg, ok := lc.next(func(m liveMsg) bool { return m.event() && strings.HasPrefix(m.Type, "memo.") }, 10*time.Second)
		if !ok {
			t.Fatalf("%s heard of no memo change", who)
		}
		var m memoOut
		if err := json.Unmarshal(msg.Payload, &m); err != nil {
			t.Fatal(err)
		}
		return msg, m
	}

	t.Run("open", func(t *testing.T) {
		lb := ben.live(ids.Project, 0)
		defer lb.close()
		lb.ready()
		var out struct{ Memo memoOut }
		ana.mustDo(http.StatusOK, "POST", pp+"/memos", map[string]any{"document": ids.Doc, "start": 3, "end": 9, "title": "t", "text": "first"}, &out)
		id := out.Memo.ID
		for _, step := range []struct {
			do       func()
			typ      string
			text     string
			anchored bool
		}{
			{func() {}, "memo.saved", "first", true},
			{func() {
				ana.mustDo(http.StatusOK, "PUT", pp+"/memos/"+id, map[string]any{"document": ids.Doc, "start": 3, "end": 9, "title": "t", "text": "second"}, nil)
			}, "memo.saved", "second", true},
			{func() { ana.mustDo(http.StatusOK, "DELETE", pp+"/memos/"+id, nil, nil) }, "memo.deleted", "second", true},
		} {
			step.do()
			msg, m := memoEvent(lb, "ben")
			if msg.Type != step.typ || m.ID != id || m.Text != step.text || msg.Owner != anaID || (m.End > 0) != step.anchored {
				t.Errorf("ben heard %s %+v, want %s of %s with text %q", msg.Type, m, step.typ, id, step.text)
			}
		}
	})

	t.Run("blind", func(t *testing.T) {
		lead.mustDo(http.StatusOK, "PATCH", pp, map[string]any{"blind": true}, nil)
		lb := ben.live(ids.Project, 0)
		defer lb.close()
		lb.ready()
		ll := lead.live(ids.Project, 0)
		defer ll.close()
		ll.ready()

		var anas, bens struct{ Memo memoOut }
		ana.mustDo(http.StatusOK, "POST", pp+"/memos", map[string]any{"title": "secret", "text": "okapi-only-ana"}, &anas)
		ana.mustDo(http.StatusOK, "PUT", pp+"/memos/"+anas.Memo.ID, map[string]any{"title": "secret", "text": "okapi-only-ana, changed"}, nil)
		ana.mustDo(http.StatusOK, "DELETE", pp+"/memos/"+anas.Memo.ID, nil, nil)
		ben.mustDo(http.StatusOK, "POST", pp+"/memos", map[string]any{"title": "mine", "text": "bens-own"}, &bens)

		// Events come in order, so ben's own memo being the first he
		// hears of means he heard nothing of ana's three changes.
		msg, m := memoEvent(lb, "ben")
		if m.ID != bens.Memo.ID || msg.Owner != benID || strings.Contains(msg.Raw, "okapi") {
			t.Errorf("blind: ben first heard %s", msg.Raw)
		}
		for _, want := range []string{"memo.saved", "memo.saved", "memo.deleted", "memo.saved"} {
			msg, _ := memoEvent(ll, "the lead")
			if msg.Type != want {
				t.Errorf("the lead heard %s, want %s", msg.Type, want)
			}
		}

		// A memo of ana's that stays is no more findable for ben.
		ana.mustDo(http.StatusOK, "POST", pp+"/memos", map[string]any{"document": ids.Doc, "title": "secret", "text": "okapi-again"}, nil)
		for _, path := range []string{"/search?q=okapi", "/segments?memos=true", "/memos", "/export?format=json"} {
			status, _, body := ben.get(pp + path)
			if status != http.StatusOK || strings.Contains(string(body), "okapi") {
				t.Errorf("blind: ben's GET %s: status %d, holds ana's memo: %.300s", path, status, body)
			}
		}
		status, _, body := lead.get(pp + "/search?q=okapi")
		if status != http.StatusOK || !strings.Contains(string(body), "okapi-again") {
			t.Errorf("the lead's search misses ana's memo: %d %.300s", status, body)
		}
	})
}
