package coding

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

// lab converts #rrggbb to CIELAB (D65), enough to measure how far apart
// two colours look (CIE76 ΔE).
func lab(t *testing.T, hex string) [3]float64 {
	t.Helper()
	if !colourPattern.MatchString(hex) {
		t.Fatalf("colour %q is not #rrggbb", hex)
	}
	var c [3]float64
	for i := range c {
		v, _ := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		s := float64(v) / 255
		if s > 0.04045 {
			s = math.Pow((s+0.055)/1.055, 2.4)
		} else {
			s /= 12.92
		}
		c[i] = s
	}
	x := (c[0]*0.4124 + c[1]*0.3576 + c[2]*0.1805) / 0.95047
	y := c[0]*0.2126 + c[1]*0.7152 + c[2]*0.0722
	z := (c[0]*0.0193 + c[1]*0.1192 + c[2]*0.9505) / 1.08883
	f := func(v float64) float64 {
		if v > 0.008856 {
			return math.Cbrt(v)
		}
		return 7.787*v + 16.0/116
	}
	return [3]float64{116*f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))}
}

func deltaE(t *testing.T, a, b string) float64 {
	p, q := lab(t, a), lab(t, b)
	return math.Sqrt((p[0]-q[0])*(p[0]-q[0]) + (p[1]-q[1])*(p[1]-q[1]) + (p[2]-q[2])*(p[2]-q[2]))
}

func TestCodePaletteIsApartFromCoders(t *testing.T) {
	const apart = 25                                       // ΔE: clearly different colours side by side
	coders := append([]string{"#333333"}, CoderPalette...) // #333333 is the consensus layer in the UI
	seen := map[string]bool{}
	for i, c := range CodePalette {
		if c != strings.ToLower(c) {
			t.Errorf("CodePalette[%d] = %q, want lower case (NextCodeColour compares lower case)", i, c)
		}
		if seen[c] {
			t.Errorf("CodePalette holds %s twice", c)
		}
		seen[c] = true
		for _, k := range coders {
			if strings.EqualFold(c, k) {
				t.Errorf("code colour %s is also a coder colour", c)
			} else if d := deltaE(t, c, k); d < apart {
				t.Errorf("code colour %s is only ΔE %.1f from coder colour %s, want at least %d", c, d, k, apart)
			}
		}
		for _, o := range CodePalette[:i] {
			if d := deltaE(t, c, o); d < apart {
				t.Errorf("code colours %s and %s are only ΔE %.1f apart, want at least %d", c, o, d, apart)
			}
		}
		if l := lab(t, c)[0]; l < 30 || l > 72 {
			t.Errorf("code colour %s has lightness %.0f; want 30–72 so that a thin bar shows on white", c, l)
		}
	}
}

func TestNextCodeColour(t *testing.T) {
	p := CodePalette
	tests := []struct {
		name string
		used []string
		want string
	}{
		{"empty codebook", nil, p[0]},
		{"first two taken", []string{p[0], p[1]}, p[2]},
		{"case does not matter", []string{strings.ToUpper(p[0])}, p[1]},
		{"a gap left by a deleted code is filled first", []string{p[0], p[2], p[3]}, p[1]},
		{"colours outside the palette do not count", []string{"#123456", "#1f77b4"}, p[0]},
		{"least used once all are taken", append(append([]string{}, p...), p[0], p[1], p[3]), p[2]},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := NextCodeColour(tc.used); got != tc.want {
				t.Errorf("NextCodeColour(%v) = %s, want %s", tc.used, got, tc.want)
			}
		})
	}

	// A codebook built one code at a time has all-distinct colours until
	// the palette runs out, then uses each colour twice before any thrice.
	var used []string
	for i := 0; i < 3*len(p); i++ {
		used = append(used, NextCodeColour(used))
	}
	count := map[string]int{}
	for i, c := range used {
		count[c]++
		if want := i/len(p) + 1; count[c] != want {
			t.Fatalf("code %d got %s, its %d. use; want every colour used %d times first", i, c, count[c], want-1)
		}
	}
}
