package coding

import (
	"fmt"
	"slices"
	"testing"
)

func sampleIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("doc-%03d", i)
	}
	return ids
}

func TestSampleDrawSize(t *testing.T) {
	for _, tc := range []struct {
		docs    int
		percent float64
		want    int
	}{
		{60, 20, 12}, {60, 10, 6}, {60, 25, 15}, {10, 15, 2}, {3, 1, 1}, {7, 100, 7}, {0, 20, 0}, {1, 0.5, 1},
	} {
		s := Sample{Percent: tc.percent, Seed: 7}
		got := s.Draw(sampleIDs(tc.docs))
		if len(got) != tc.want {
			t.Errorf("Sample{%g%%}.Draw(%d documents) has %d documents, want %d", tc.percent, tc.docs, len(got), tc.want)
		}
	}
}

func TestSampleDrawReproducible(t *testing.T) {
	ids := sampleIDs(100)
	a := (&Sample{Percent: 20, Seed: 42}).Draw(ids)
	reversed := slices.Clone(ids)
	slices.Reverse(reversed)
	b := (&Sample{Percent: 20, Seed: 42}).Draw(reversed)
	slices.Sort(b)
	if !slices.Equal(a, b) {
		t.Errorf("Draw(seed 42) = %v, and on the same documents in reverse order %v, want the same documents", a, b)
	}
	if !slices.IsSorted(a) {
		t.Errorf("Draw(seed 42) = %v, want the documents in the order given", a)
	}
	c := (&Sample{Percent: 20, Seed: 43}).Draw(ids)
	if slices.Equal(a, c) {
		t.Errorf("Draw(seed 42) = Draw(seed 43) = %v, want different samples for different seeds", a)
	}
}

func TestSampleValidate(t *testing.T) {
	for _, tc := range []struct {
		percent float64
		ok      bool
	}{{20, true}, {100, true}, {0.1, true}, {0, false}, {-5, false}, {100.5, false}} {
		err := (&Sample{Percent: tc.percent}).Validate()
		if (err == nil) != tc.ok {
			t.Errorf("Sample{%g}.Validate() = %v, want ok %v", tc.percent, err, tc.ok)
		}
	}
}
