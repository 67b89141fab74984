package main

import (
	"net/http"
	"testing"
)

func TestSearchAutocodeAndUndo(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	ana := ts.login(t, "ana", "concord-demo")
	ids := ana.demo()
	var res struct {
		Hits []struct {
			Document, Title, Before, Match, After string
			Start, End                            int
		}
		Total int
	}
	ana.mustDo(http.StatusOK, "GET", "/api/projects/peer-support/search?q=boundaries&context=30", nil, &res)
	if res.Total == 0 {
		t.Fatal("no hits for boundaries in the demo corpus")
	}
	for _, h := range res.Hits {
		var d struct{ Document struct{ Text string } }
		ana.mustDo(http.StatusOK, "GET", "/api/projects/peer-support/documents/"+h.Document, nil, &d)
		if got := string([]rune(d.Document.Text)[h.Start:h.End]); got != h.Match {
			t.Fatalf("hit [%d,%d) in %s is %q, match says %q", h.Start, h.End, h.Title, got, h.Match)
		}
	}
	var auto struct {
		Codings []struct{ ID string }
		Hits    int
	}
	ana.mustDo(http.StatusCreated, "POST", "/api/projects/peer-support/autocode", map[string]string{"q": "boundaries", "code": ids.Codes[2]}, &auto)
	if len(auto.Codings) == 0 || auto.Hits != res.Total {
		t.Fatalf("autocode: %d codings for %d hits (search had %d)", len(auto.Codings), auto.Hits, res.Total)
	}
	// Coding all hits again adds nothing.
	var again struct{ Codings []struct{ ID string } }
	ana.mustDo(http.StatusOK, "POST", "/api/projects/peer-support/autocode", map[string]string{"q": "boundaries", "code": ids.Codes[2]}, &again)
	if len(again.Codings) != 0 {
		t.Fatalf("a second autocode added %d codings", len(again.Codings))
	}
	// Undo: one request removes them all; ben cannot remove them.
	var idList []string
	for _, c := range auto.Codings {
		idList = append(idList, c.ID)
	}
	ben := ts.login(t, "ben", "concord-demo")
	if status := ben.do("POST", "/api/projects/peer-support/codings/delete", map[string]any{"ids": idList}, nil); status != http.StatusForbidden {
		t.Fatalf("ben undoing ana's autocode: status %d, want 403", status)
	}
	var undone struct{ Codings []struct{ ID string } }
	ana.mustDo(http.StatusOK, "POST", "/api/projects/peer-support/codings/delete", map[string]any{"ids": idList}, &undone)
	if len(undone.Codings) != len(idList) {
		t.Fatalf("undo removed %d of %d", len(undone.Codings), len(idList))
	}
	if status := ana.do("GET", "/api/projects/peer-support/search?q=", nil, nil); status != http.StatusBadRequest {
		t.Fatalf("an empty query: status %d", status)
	}
}
