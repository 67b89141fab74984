package coding

import "testing"

func TestSearch(t *testing.T) {
	text := "Boundaries matter. We set BOUNDARIES 🙂 early; boundaries help. İstanbul"
	hits := Search("d", text, "boundaries", 5, 10)
	if len(hits) != 3 {
		t.Fatalf("%d hits, want 3: %+v", len(hits), hits)
	}
	for _, h := range hits {
		if got := Slice(text, h.Start, h.End); got != h.Match || len(h.Match) != len("boundaries") {
			t.Errorf("hit [%d,%d) slices to %q, match %q", h.Start, h.End, got, h.Match)
		}
	}
	if hits[1].After != " 🙂 ea" || hits[1].Before != " set " {
		t.Errorf("context = %q … %q", hits[1].Before, hits[1].After)
	}
	// After the emoji, offsets are still code points.
	if h := hits[2]; Slice(text, h.Start, h.End) != "boundaries" {
		t.Errorf("third hit slices to %q", Slice(text, h.Start, h.End))
	}
	if got := Search("d", text, "istanbul", 0, 10); len(got) != 0 && got[0].Match != "İstanbul" {
		t.Errorf("dotted capital I: %+v", got)
	}
	if got := Search("d", text, "boundaries", 0, 2); len(got) != 2 {
		t.Errorf("limit: %d hits", len(got))
	}
	if got := Search("d", text, "  ", 5, 10); got != nil {
		t.Errorf("blank query found %v", got)
	}
}
