package main

import (
	"slices"
	"testing"

	"github.com/concordqda/concord/coding"
)

// TestCodeColoursOverHTTP: the codes list proposes the colour a new code
// would get (the web UI's "new code" form shows it), and a code created
// without a colour gets exactly that one, a code colour and no coder's.
func TestCodeColoursOverHTTP(t *testing.T) {
	ts := startServer(t)
	lead := ts.login(t, "lead", DemoPassword)
	var proj struct {
		Members []struct{ Colour string }
	}
	lead.mustDo(200, "GET", "/api/projects/peer-support", nil, &proj)
	seen := map[string]bool{}
	for i := 0; i < 4; i++ {
		var list struct {
			Codes      []coding.Code
			NextColour string `json:"next_colour"`
		}
		lead.mustDo(200, "GET", "/api/projects/peer-support/codes", nil, &list)
		var made struct{ Code coding.Code }
		lead.mustDo(201, "POST", "/api/projects/peer-support/codes", map[string]any{"name": "Colour probe " + string(rune('A'+i))}, &made)
		got := made.Code.Colour
		if got != list.NextColour {
			t.Errorf("new code %d got %s; the list proposed %s", i, got, list.NextColour)
		}
		if !slices.Contains(coding.CodePalette, got) {
			t.Errorf("new code %d got %s, not a code palette colour", i, got)
		}
		for _, m := range proj.Members {
			if m.Colour == got {
				t.Errorf("new code %d got %s, a member's colour", i, got)
			}
		}
		if seen[got] {
			t.Errorf("new code %d got %s again", i, got)
		}
		seen[got] = true
	}
}
