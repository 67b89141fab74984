package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/concordqda/concord/coding"
)

// TestCooccurrenceCaps: a gap past the cap is refused with a message that
// says the bound; a count past the comparison budget answers what it
// counted and says that it was cut short.
func TestCooccurrenceCaps(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	ana := ts.login(t, "ana", "concord-demo")
	ids := ana.demo()
	path := "/api/projects/peer-support/analysis/cooccurrence"
	var bad struct{ Error string }
	if status := ana.do("GET", path+"?gap=10001", nil, &bad); status != http.StatusBadRequest || !strings.Contains(bad.Error, "between 0 and 10000") {
		t.Fatalf("gap 10001: %d %q, want 400 naming the bound", status, bad.Error)
	}
	var small struct {
		Truncated bool
		Reason    string
		Gap       int
	}
	ana.mustDo(http.StatusOK, "GET", path+"?gap=10000", nil, &small)
	if small.Truncated || small.Reason != "" || small.Gap != 10000 {
		t.Fatalf("demo at gap 10000: truncated %v %q gap %d, want a whole count", small.Truncated, small.Reason, small.Gap)
	}
	// 5,000 codings within the gap of each other: 25M comparisons.
	for batch := 0; batch < 5; batch++ {
		var list []map[string]any
		for i := 0; i < 1000; i++ {
			start := (batch*1000 + i) % (ids.DocLen - 5)
			list = append(list, map[string]any{"document": ids.Doc, "code": ids.Codes[i%len(ids.Codes)], "start": start, "end": start + 1 + i%5})
		}
		ana.mustDo(http.StatusCreated, "POST", "/api/projects/peer-support/codings", map[string]any{"codings": list}, nil)
	}
	var big struct {
		Truncated bool
		Reason    string
		Cells     []struct{ Count int }
	}
	ana.mustDo(http.StatusOK, "GET", path+"?gap=10000", nil, &big)
	if !big.Truncated || !strings.Contains(big.Reason, "counting stopped") || len(big.Cells) == 0 {
		t.Fatalf("5,000 codings at gap 10000: truncated %v reason %q, %d cells; want a capped count that says so", big.Truncated, big.Reason, len(big.Cells))
	}
}

// TestHeavyRequestsPerUser holds two exports of one user open (the client
// reads none of a 24 MB CSV, so the server blocks writing it): that
// user's next search waits, then is refused 429 with Retry-After, while
// another user searches freely; once the exports end, the search works.
func TestHeavyRequestsPerUser(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	ana := ts.login(t, "ana", "concord-demo")
	ben := ts.login(t, "ben", "concord-demo")
	p, err := ts.Store.ProjectBySlug("peer-support")
	if err != nil {
		t.Fatal(err)
	}
	// Each long document coded whole: the segments CSV holds its text.
	ids := ana.demo()
	text := strings.Repeat("A long interview that fills the socket buffers. ", 12<<20/48)
	for i := 0; i < 2; i++ {
		d := &coding.Document{ProjectID: p.ID, Title: fmt.Sprintf("long %d", i), Text: text}
		if _, err := ts.Store.AddDocument(d, ""); err != nil {
			t.Fatal(err)
		}
		ana.mustDo(http.StatusCreated, "POST", "/api/projects/peer-support/codings", map[string]any{"document": d.ID, "code": ids.Codes[0], "start": 0, "end": len(text)}, nil)
	}
	var held []*http.Response
	var resp *http.Response
	for i := 0; i < 2; i++ {
		// Uncompressed, so that the answers stay larger than the socket
		// buffers (gzipped, the repeated text would fit and be done).
		req, _ := http.NewRequest("GET", ts.URL+"/api/projects/peer-support/export?format=csv", nil)
		req.Header.Set("Accept-Encoding", "identity")
		resp, err := ana.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("export %d: status %d, want 200", i, resp.StatusCode)
		}
		held = append(held, resp)
	}
	search := "/api/projects/peer-support/search?q=boundaries"
	resp, err = ana.http.Get(ts.URL + search)
	if err != nil {
		t.Fatal(err)
	}
	var refused struct{ Error, Code string }
	err = json.NewDecoder(resp.Body).Decode(&refused)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" || !strings.Contains(refused.Error, "please wait for them to finish") {
		t.Fatalf("a third heavy request: %d (Retry-After %q) %q, want 429 asking to wait", resp.StatusCode, resp.Header.Get("Retry-After"), refused.Error)
	}
	ben.mustDo(http.StatusOK, "GET", search, nil, nil)
	for _, r := range held {
		r.Body.Close()
	}
	// The server notices the closed connections at its next write.
	deadline := time.Now().Add(30 * time.Second)
	for status := 0; status != http.StatusOK; {
		if status = ana.do("GET", search, nil, nil); status != http.StatusOK && time.Now().After(deadline) {
			t.Fatalf("search after the exports ended: status %d, want 200", status)
		}
	}
}
