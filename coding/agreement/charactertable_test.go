package agreement

import (
	"math"
	"math/rand"
	"testing"
)

// randomContinuum returns spans of a few codes by a few coders, overlapping
// freely, on a continuum starting at a random offset.
func randomContinuum(rng *rand.Rand, coders, spans int) Continuum {
	c := Continuum{Begin: rng.Intn(21) - 10, Length: 1 + rng.Intn(60)}
	for i := 0; i < spans; i++ {
		start := c.Begin + rng.Intn(c.Length)
		end := start + 1 + rng.Intn(c.Begin+c.Length-start)
		c.Spans = append(c.Spans, Span{
			Coder:    string(rune('A' + rng.Intn(coders))),
			Category: string(rune('x' + rng.Intn(3))),
			Start:    start,
			End:      end,
		})
	}
	return c
}

// bruteCharacterKappa is NVivo's κ and agreement computed the slow way,
// one character at a time.
func bruteCharacterKappa(c Continuum, category, a, b string) (kappa, agreement float64, ok bool) {
	codedA := make([]bool, c.Length)
	codedB := make([]bool, c.Length)
	for _, s := range c.Spans {
		if s.Category != category {
			continue
		}
		for p := s.Start; p < s.End; p++ {
			if s.Coder == a {
				codedA[p-c.Begin] = true
			}
			if s.Coder == b {
				codedB[p-c.Begin] = true
			}
		}
	}
	var nA, nB, agree float64
	for p := range codedA {
		if codedA[p] {
			nA++
		}
		if codedB[p] {
			nB++
		}
		if codedA[p] == codedB[p] {
			agree++
		}
	}
	tu := float64(c.Length)
	ef := (nA*nB + (tu-nA)*(tu-nB)) / tu
	if tu == ef {
		return 0, agree / tu, false
	}
	return (agree - ef) / (tu - ef), agree / tu, true
}

func TestNVivoKappaMatchesPerCharacter(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 2000; i++ {
		c := randomContinuum(rng, 3, rng.Intn(8))
		wantK, wantP, ok := bruteCharacterKappa(c, "x", "A", "B")
		gotK := NVivoKappa(c, "x", "A", "B")
		gotP := NVivoPercentAgreement(c, "x", "A", "B")
		if gotK.Defined != ok || (ok && math.Abs(gotK.Value-wantK) > 1e-12) {
			t.Fatalf("NVivoKappa(%+v) = %v, want %v (defined %v)", c, gotK, wantK, ok)
		}
		if !gotP.Defined || math.Abs(gotP.Value-wantP) > 1e-12 {
			t.Fatalf("NVivoPercentAgreement(%+v) = %v, want %v", c, gotP, wantP)
		}
	}
}

func TestNVivoKappaSymmetric(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	for i := 0; i < 500; i++ {
		c := randomContinuum(rng, 2, rng.Intn(10))
		ab, ba := NVivoKappa(c, "y", "A", "B"), NVivoKappa(c, "y", "B", "A")
		if ab.Defined != ba.Defined || math.Abs(ab.Value-ba.Value) > 1e-12 {
			t.Fatalf("NVivoKappa(A, B) = %v but NVivoKappa(B, A) = %v for %+v", ab, ba, c)
		}
	}
}

func BenchmarkNVivoKappa200k(b *testing.B) {
	rng := rand.New(rand.NewSource(3))
	c := Continuum{Length: 50_000_000}
	for i := 0; i < 200_000; i++ {
		start := rng.Intn(c.Length - 2000)
		c.Spans = append(c.Spans, Span{
			Coder:    []string{"A", "B"}[i%2],
			Category: "x",
			Start:    start,
			End:      start + 1 + rng.Intn(2000),
		})
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if k := NVivoKappa(c, "x", "A", "B"); !k.Defined {
			b.Fatal(k.Reason)
		}
	}
}

// NVivo shows κ = 1 when both coders coded the whole continuum (or none
// of it); chance alone explains that agreement, so κ is undefined here,
// however the coders' spans cut the continuum up.
func TestNVivoKappaUndefinedWhenAgreementIsCertain(t *testing.T) {
	tests := []struct {
		name  string
		spans []Span
	}{
		{"both the whole continuum", []Span{{"A", "x", 0, 10}, {"B", "x", 0, 10}}},
		{"both the whole, in pieces", []Span{{"A", "x", 0, 4}, {"A", "x", 4, 10}, {"B", "x", 0, 7}, {"B", "x", 3, 10}}},
		{"neither coded the code", []Span{{"A", "y", 0, 4}, {"B", "y", 2, 6}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Continuum{Length: 10, Spans: tt.spans}
			if got := NVivoKappa(c, "x", "A", "B"); got.Defined || got.Reason == "" {
				t.Errorf("NVivoKappa = %+v, want undefined with a reason", got)
			}
			if got := NVivoPercentAgreement(c, "x", "A", "B"); !got.Defined || got.Value != 1 {
				t.Errorf("NVivoPercentAgreement = %+v, want 1", got)
			}
		})
	}
}
