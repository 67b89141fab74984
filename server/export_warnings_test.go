package server

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestWarningsHeaderValue(t *testing.T) {
	in := []string{"Zoë’s code \"Loss\" 😀\n<b>", "plain"}
	v := warningsHeaderValue(in)
	for _, r := range v {
		if r < 0x20 || r > 0x7e {
			t.Fatalf("warningsHeaderValue(%q) = %s, holds %q", in, v, r)
		}
	}
	var out []string
	if err := json.Unmarshal([]byte(v), &out); err != nil || len(out) != 2 || out[0] != in[0] || out[1] != in[1] {
		t.Errorf("warningsHeaderValue(%q) = %s reads back as %q (%v)", in, v, out, err)
	}

	many := make([]string, 500)
	for i := range many {
		many[i] = strings.Repeat("é", 40)
	}
	v = warningsHeaderValue(many)
	if err := json.Unmarshal([]byte(v), &out); err != nil || len(v) > maxWarningsHeader || !strings.Contains(out[len(out)-1], "more warnings") {
		t.Errorf("500 warnings: %d bytes, last %q (%v), want at most %d bytes ending in how many were left out", len(v), out[len(out)-1], err, maxWarningsHeader)
	}
}
