package main

import (
	"net/http"
	"strings"
	"testing"
)

func TestSegmentsFrequenciesAndCooccurrence(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	lead := ts.login(t, "lead", "concord-demo")
	var codes struct {
		Codes []struct{ ID, Name, Parent string }
	}
	lead.mustDo(http.StatusOK, "GET", "/api/projects/peer-support/codes", nil, &codes)
	stressors := ""
	for _, c := range codes.Codes {
		if c.Name == "Stressors" {
			stressors = c.ID
		}
	}
	var segs struct {
		Segments []struct {
			Text, Before, After string
			CodePath            string `json:"code_path"`
			Start, End          int
		}
		Total int
	}
	lead.mustDo(http.StatusOK, "GET", "/api/projects/peer-support/segments?code="+stressors+"&context=20", nil, &segs)
	if segs.Total == 0 {
		t.Fatal("no Stressors segments (with descendants) in the demo")
	}
	for _, s := range segs.Segments {
		if !strings.HasPrefix(s.CodePath, "Stressors") || s.Text == "" {
			t.Fatalf("segment %+v", s)
		}
	}
	// Only the category itself, without descendants: none (it is not codable).
	var none struct{ Total int }
	lead.mustDo(http.StatusOK, "GET", "/api/projects/peer-support/segments?code="+stressors+"&descendants=false", nil, &none)
	if none.Total != 0 {
		t.Fatalf("segments coded with the category itself: %d", none.Total)
	}
	// By attribute: only documents whose setting matches.
	var shelter struct{ Total int }
	lead.mustDo(http.StatusOK, "GET", "/api/projects/peer-support/segments?attr=setting:hospital", nil, &shelter)
	var all struct{ Total int }
	lead.mustDo(http.StatusOK, "GET", "/api/projects/peer-support/segments", nil, &all)
	if shelter.Total == 0 || shelter.Total >= all.Total {
		t.Fatalf("attribute filter: %d of %d", shelter.Total, all.Total)
	}

	var freq struct {
		Rows []struct {
			Path  string
			Total struct{ Segments, Documents, Characters int }
			By    map[string]struct{ Segments int }
		}
		Columns []string
	}
	lead.mustDo(http.StatusOK, "GET", "/api/projects/peer-support/analysis/frequencies?by=attr:setting", nil, &freq)
	if len(freq.Columns) < 2 {
		t.Fatalf("columns %v", freq.Columns)
	}
	for _, r := range freq.Rows {
		if r.Path == "Stressors" {
			if r.Total.Segments != segs.Total {
				t.Fatalf("Stressors with descendants: %d segments, retrieval says %d", r.Total.Segments, segs.Total)
			}
			sum := 0
			for _, c := range r.By {
				sum += c.Segments
			}
			if sum != r.Total.Segments {
				t.Fatalf("crosstab row sums to %d, total %d", sum, r.Total.Segments)
			}
		}
	}
	var co struct {
		Cells []struct {
			A, B  string
			Count int
		}
	}
	lead.mustDo(http.StatusOK, "GET", "/api/projects/peer-support/analysis/cooccurrence", nil, &co)
	if len(co.Cells) == 0 {
		t.Fatal("no co-occurring codes in the demo")
	}
	if status := lead.do("GET", "/api/projects/peer-support/analysis/frequencies?by=colour", nil, nil); status != http.StatusBadRequest {
		t.Fatalf("bad by: %d", status)
	}
}
