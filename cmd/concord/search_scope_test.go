package main

import (
	"net/http"
	"net/url"
	"reflect"
	"testing"

	"github.com/concordqda/concord/coding"
)

// scopeText is a transcript whose turns are lines: units of every scope,
// non-BMP text before them so that code points and UTF-16 differ.
const scopeText = "Interview 🙂 notes.\n" +
	"I: Did you feel stigma? Say more.\n" +
	"P: Stigmatization, yes. The stigma was heavy; self-stigma too. It eased.\n" +
	"I: Thanks."

type unitHit struct {
	Document      string
	Start, End    int
	UnitStart     int `json:"unit_start"`
	UnitEnd       int `json:"unit_end"`
	Matches       int
	Before, Match string
	After         string
	Codings       []struct{ Code, Coder string }
	Title         string
}

// TestAutocodeScopes runs whole-word searches in each scope over the API,
// codes some hits with some unticked, and checks what was coded: units of
// the scope, only the ticked ones, none twice.
func TestAutocodeScopes(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	lead := ts.login(t, "lead", DemoPassword)
	ana := ts.login(t, "ana", DemoPassword)
	ids := lead.demo()
	var doc struct{ Document struct{ ID string } }
	lead.mustDo(http.StatusCreated, "POST", "/api/projects/peer-support/documents", map[string]any{"title": "Scopes", "text": scopeText}, &doc)
	did := doc.Document.ID
	search := func(q, match, scope string) []unitHit {
		t.Helper()
		var r struct{ Hits []unitHit }
		ana.mustDo(http.StatusOK, "GET", "/api/projects/peer-support/search?"+url.Values{"q": {q}, "match": {match}, "scope": {scope}}.Encode(), nil, &r)
		var mine []unitHit
		for _, h := range r.Hits {
			if h.Document == did {
				mine = append(mine, h)
			}
		}
		return mine
	}
	units := func(hits []unitHit) []string {
		var out []string
		for _, h := range hits {
			out = append(out, coding.Slice(scopeText, h.UnitStart, h.UnitEnd))
		}
		return out
	}
	cases := []struct {
		name, match, scope string
		want               []string
	}{
		{"anywhere", "text", "match", []string{"stigma", "Stigma", "stigma", "stigma"}},
		{"whole words", "words", "match", []string{"stigma", "stigma", "stigma"}},
		{"sentences", "words", "sentence", []string{"I: Did you feel stigma?", "The stigma was heavy; self-stigma too."}},
		{"turns", "words", "paragraph", []string{"I: Did you feel stigma? Say more.", "P: Stigmatization, yes. The stigma was heavy; self-stigma too. It eased."}},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			hits := search("stigma", c.match, c.scope)
			if got := units(hits); !reflect.DeepEqual(got, c.want) {
				t.Fatalf("units %q, want %q", got, c.want)
			}
			code := ids.Codes[i]
			// Untick the first hit: code the others.
			var pick []map[string]any
			for _, h := range hits[1:] {
				pick = append(pick, map[string]any{"document": h.Document, "start": h.UnitStart, "end": h.UnitEnd})
			}
			body := map[string]any{"q": "stigma", "code": code, "match": c.match, "scope": c.scope, "hits": pick}
			var auto struct {
				Codings []coding.Coding
				Hits    int
			}
			ana.mustDo(http.StatusCreated, "POST", "/api/projects/peer-support/autocode", body, &auto)
			var got []string
			for _, cd := range auto.Codings {
				if cd.DocumentID != did || cd.CodeID != code {
					t.Errorf("coded %+v, outside the document or with another code", cd)
				}
				got = append(got, coding.Slice(scopeText, cd.Start, cd.End))
			}
			if len(got) != len(c.want)-1 || auto.Hits != len(c.want)-1 {
				t.Fatalf("coded %q (%d hits), want the %d ticked units", got, auto.Hits, len(c.want)-1)
			}
			for _, cd := range auto.Codings {
				if cd.Start == hits[0].UnitStart && cd.End == hits[0].UnitEnd {
					t.Errorf("the unticked hit %q was coded", c.want[0])
				}
			}
			// Again, with every hit (the demo's documents hold some too):
			// the coded ones are skipped, the unticked one is coded now.
			var again struct{ Codings []coding.Coding }
			delete(body, "hits")
			ana.mustDo(http.StatusCreated, "POST", "/api/projects/peer-support/autocode", body, &again)
			var here []coding.Coding
			for _, cd := range again.Codings {
				if cd.DocumentID == did {
					here = append(here, cd)
				}
			}
			if len(here) != 1 || here[0].Start != hits[0].UnitStart || here[0].End != hits[0].UnitEnd {
				t.Errorf("coding all after: %+v in the document, want only the unticked hit", here)
			}
		})
	}

	// Bad requests change nothing and say why.
	var before struct{ Codings []coding.Coding }
	ana.mustDo(http.StatusOK, "GET", "/api/projects/peer-support/codings?document="+did, nil, &before)
	bad := []struct {
		name string
		body map[string]any
	}{
		{"unknown scope", map[string]any{"q": "stigma", "code": ids.Codes[0], "scope": "page"}},
		{"unknown match", map[string]any{"q": "stigma", "code": ids.Codes[0], "match": "regex"}},
		{"nothing ticked", map[string]any{"q": "stigma", "code": ids.Codes[0], "hits": []any{}}},
		{"a hit the search does not find", map[string]any{"q": "stigma", "code": ids.Codes[5], "match": "words",
			"hits": []any{map[string]any{"document": did, "start": 0, "end": 5}}}},
	}
	for _, c := range bad {
		if status := ana.do("POST", "/api/projects/peer-support/autocode", c.body, nil); status != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", c.name, status)
		}
	}
	if status := ana.do("GET", "/api/projects/peer-support/search?q=x&scope=page", nil, nil); status != http.StatusBadRequest {
		t.Errorf("search with an unknown scope: status %d, want 400", status)
	}
	var after struct{ Codings []coding.Coding }
	ana.mustDo(http.StatusOK, "GET", "/api/projects/peer-support/codings?document="+did, nil, &after)
	if len(after.Codings) != len(before.Codings) {
		t.Errorf("refused requests changed the codings: %d, then %d", len(before.Codings), len(after.Codings))
	}
}
