package coding

import (
	"strings"
	"testing"
)

func TestUniqueLogin(t *testing.T) {
	long := strings.Repeat("a", 30) + ".b"
	tests := []struct {
		login string
		taken []string
		want  string
	}{
		{"ana", nil, "ana"},
		{"ana", []string{"ana"}, "ana-2"},
		{"ana", []string{"ana", "ana-2", "ana-3"}, "ana-4"},
		// Cut to 32 characters, without a dot or dash before the number.
		{long, []string{long}, strings.Repeat("a", 30) + "-2"},
		{strings.Repeat("a", 29) + "._x", []string{strings.Repeat("a", 29) + "._x"}, strings.Repeat("a", 29) + "-2"},
	}
	for _, tt := range tests {
		taken := map[string]bool{}
		for _, l := range tt.taken {
			taken[l] = true
		}
		got := UniqueLogin(tt.login, func(l string) bool { return taken[l] })
		if got != tt.want || !IsLogin(got) {
			t.Errorf("UniqueLogin(%q, %v) = %q, want %q (a valid login)", tt.login, tt.taken, got, tt.want)
		}
	}
}
