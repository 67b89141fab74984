package main

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/concordqda/concord/coding"
)

// segmentsPage is the answer of GET …/segments.
type segmentsPage struct {
	Segments []struct {
		ID, Document, Code, Coder, Text, Title string
		CodePath                               string `json:"code_path"`
		Start, End                             int
	}
	Total, Documents, Offset, Limit int
}

// TestSegmentsPaging pages through 20,000 coded segments and checks each
// filter of the retrieval API, the click-through ones (a pair of coders,
// codings that meet another code) among them, against the codings made.
func TestSegmentsPaging(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	br := newBigRetrieval(t, ts)
	lead := ts.login(t, "lead", DemoPassword)
	path := "/api/projects/" + br.Slug + "/segments?"
	all := len(br.Codings)
	alpha, beta, rej := br.Codes["Alpha"], br.Codes["Beta"], br.Codes["Rejection / Antipathy"]

	cases := []struct {
		name         string
		query        url.Values
		total, shown int
	}{
		{"the first page by default", url.Values{}, all, 500},
		{"a page from the middle", url.Values{"offset": {"10000"}, "limit": {"2000"}}, all, 2000},
		{"the last, short page", url.Values{"document": {br.Long}, "offset": {"19500"}, "limit": {"2000"}}, 20000, 500},
		{"past the end", url.Values{"offset": {"30000"}}, all, 0},
		{"one code", url.Values{"code": {alpha}, "descendants": {"false"}, "limit": {"1"}},
			br.count(func(c *coding.Coding) bool { return c.CodeID == alpha }), 1},
		{"one coder", url.Values{"coder": {br.Ana}, "limit": {"10"}},
			br.count(func(c *coding.Coding) bool { return c.CoderID == br.Ana }), 10},
		{"a pair of coders on a code (an agreement cell)", url.Values{"coder": {br.Lead + "," + br.Ana}, "code": {rej}},
			br.count(func(c *coding.Coding) bool { return c.CodeID == rej }), 500},
		{"an attribute (a crosstab cell)", url.Values{"attr": {"site:south"}, "code": {beta}}, 2, 2},
		{"codings of Alpha on Beta's text (a heatmap cell)", url.Values{"code": {alpha}, "with": {beta}, "document": {br.Short}}, 1, 1},
		{"not yet within 5 characters", url.Values{"code": {alpha}, "with": {beta}, "gap": {"5"}, "document": {br.Short}}, 1, 1},
		{"within 6 characters", url.Values{"code": {alpha}, "with": {beta}, "gap": {"6"}, "document": {br.Short}}, 2, 2},
		{"a code never meets itself", url.Values{"code": {beta}, "with": {beta}, "document": {br.Short}}, 0, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got segmentsPage
			lead.mustDo(http.StatusOK, "GET", path+tc.query.Encode(), nil, &got)
			if got.Total != tc.total || len(got.Segments) != tc.shown {
				t.Fatalf("%s: total %d, %d segments shown; want %d and %d", tc.query.Encode(), got.Total, len(got.Segments), tc.total, tc.shown)
			}
		})
	}

	bad := []struct{ query, says string }{
		{"limit=0", "limit must be between 1 and 2000"},
		{"limit=2001", "limit must be between 1 and 2000"},
		{"offset=-1", "offset must be a whole number"},
		{"offset=ten", "offset must be a whole number"},
		{"gap=10001", "gap must be a number of characters"},
		{"context=5000", "context must be between 0 and 2000"},
	}
	for _, tc := range bad {
		t.Run(tc.query, func(t *testing.T) {
			var e struct{ Error string }
			if status := lead.do("GET", path+tc.query, nil, &e); status != http.StatusBadRequest || !strings.Contains(e.Error, tc.says) {
				t.Fatalf("%s: %d %q, want 400 saying %q", tc.query, status, e.Error, tc.says)
			}
		})
	}
	if status := lead.do("GET", path+"with=00000000-0000-4000-8000-000000000000", nil, nil); status != http.StatusNotFound {
		t.Fatalf("with an unknown code: %d, want 404", status)
	}

	// Walking every page of the long interview gives each coding once, in
	// document order, and keeps a coding's paragraph break in its text.
	seen := map[string]bool{}
	last, breaks := -1, 0
	for offset := 0; offset < 20000; offset += 2000 {
		var got segmentsPage
		lead.mustDo(http.StatusOK, "GET", path+url.Values{"document": {br.Long}, "offset": {strconv.Itoa(offset)}, "limit": {"2000"}, "context": {"0"}}.Encode(), nil, &got)
		if got.Offset != offset || got.Limit != 2000 || got.Documents != 1 || len(got.Segments) != 2000 {
			t.Fatalf("page at %d: offset %d limit %d, %d documents, %d segments", offset, got.Offset, got.Limit, got.Documents, len(got.Segments))
		}
		for _, s := range got.Segments {
			if seen[s.ID] || s.Start < last {
				t.Fatalf("page at %d: segment %s at %d again or out of order (after %d)", offset, s.ID, s.Start, last)
			}
			seen[s.ID], last = true, s.Start
			if strings.Contains(s.Text, "\n\n") {
				breaks++
			}
			if s.Code == rej && s.CodePath != `Themes › Rejection \/ Antipathy` {
				t.Fatalf("code path %q", s.CodePath)
			}
		}
	}
	if len(seen) != 20000 || breaks != 1999 {
		t.Fatalf("%d distinct segments, %d across a paragraph break; want 20000 and 1999", len(seen), breaks)
	}
}
