package main

import (
	"net/http"
	"testing"

	"github.com/concordqda/concord/coding"
)

// TestCodeUsage checks GET …/codes/{cid}/usage against the codings and
// memos the API lists, for a category (its sub-codes count) and a leaf,
// and that only leads may ask.
func TestCodeUsage(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	lead := ts.login(t, "lead", DemoPassword)
	ana := ts.login(t, "ana", DemoPassword)
	var codes struct{ Codes []coding.Code }
	lead.mustDo(http.StatusOK, "GET", "/api/projects/peer-support/codes", nil, &codes)
	cb := coding.NewCodebook(codes.Codes)
	var category, leaf string
	for _, c := range codes.Codes {
		if c.ParentID == "" && len(cb.Descendants(c.ID)) > 1 && category == "" {
			category = c.ID
		}
	}
	leaf = cb.Descendants(category)[0]
	ana.mustDo(http.StatusOK, "POST", "/api/projects/peer-support/memos", map[string]any{"code": leaf, "title": "About it", "text": "A note."}, nil)
	var all struct{ Codings []coding.Coding }
	lead.mustDo(http.StatusOK, "GET", "/api/projects/peer-support/codings", nil, &all)

	for _, c := range []struct {
		name, code string
		memos      int
	}{{"a category with sub-codes", category, 1}, {"a leaf", leaf, 1}} {
		t.Run(c.name, func(t *testing.T) {
			set := map[string]bool{c.code: true}
			for _, d := range cb.Descendants(c.code) {
				set[d] = true
			}
			want := map[string]int{}
			total := 0
			for _, cd := range all.Codings {
				if set[cd.CodeID] {
					want[cd.CoderID]++
					total++
				}
			}
			var u struct {
				Code    string
				Codings int
				ByLayer []struct {
					Coder   string
					Codings int
				} `json:"by_layer"`
				SubCodes int `json:"sub_codes"`
				Memos    int
			}
			lead.mustDo(http.StatusOK, "GET", "/api/projects/peer-support/codes/"+c.code+"/usage", nil, &u)
			got := map[string]int{}
			for i, l := range u.ByLayer {
				got[l.Coder] = l.Codings
				if i > 0 && l.Codings > u.ByLayer[i-1].Codings {
					t.Errorf("layers not most first: %+v", u.ByLayer)
				}
			}
			if u.Code != c.code || u.Codings != total || u.SubCodes != len(set)-1 || u.Memos != c.memos || len(got) != len(want) {
				t.Fatalf("usage = %+v, want %d codings in %d layers, %d sub-codes, %d memos", u, total, len(want), len(set)-1, c.memos)
			}
			for coder, n := range want {
				if got[coder] != n {
					t.Errorf("layer %s: %d codings, want %d", coder, got[coder], n)
				}
			}
			if total == 0 {
				t.Errorf("the demo has no codings of %s: the test proves little", c.name)
			}
		})
	}
	if status := ana.do("GET", "/api/projects/peer-support/codes/"+leaf+"/usage", nil, nil); status != http.StatusForbidden {
		t.Errorf("a coder asking: status %d, want 403", status)
	}
	if status := lead.do("GET", "/api/projects/peer-support/codes/00000000-0000-4000-8000-000000000000/usage", nil, nil); status != http.StatusNotFound {
		t.Errorf("an unknown code: status %d, want 404", status)
	}
}
