package coding

import (
	"reflect"
	"testing"
)

// TestCooccurrenceWithin: a budget the count fits in changes nothing; one
// it does not fit in stops the count, says so, and gives lower bounds.
func TestCooccurrenceWithin(t *testing.T) {
	var cs []Coding
	for i := 0; i < 200; i++ {
		cs = append(cs, Coding{DocumentID: "d", CodeID: string(rune('a' + i%4)), Start: i, End: i + 50})
	}
	full := Cooccurrence(cs, 10)
	cases := []struct {
		budget     int
		wantCapped bool
	}{{0, false}, {1 << 30, false}, {1000, true}, {1, true}}
	for _, c := range cases {
		got, capped := CooccurrenceWithin(cs, 10, c.budget)
		if capped != c.wantCapped {
			t.Errorf("CooccurrenceWithin(budget %d) capped = %v, want %v", c.budget, capped, c.wantCapped)
		}
		if !c.wantCapped && !reflect.DeepEqual(got, full) {
			t.Errorf("CooccurrenceWithin(budget %d) = %v, want %v", c.budget, got, full)
		}
		if c.wantCapped {
			for p, n := range got {
				if n > full[p] {
					t.Errorf("CooccurrenceWithin(budget %d)[%v] = %d, more than the full count %d", c.budget, p, n, full[p])
				}
			}
			if reflect.DeepEqual(got, full) {
				t.Errorf("CooccurrenceWithin(budget %d) = the full count, want it cut short", c.budget)
			}
		}
	}
}

// BenchmarkCooccurrenceWorst is issue #11's request: 30,000 codings in one
// document, all within the gap of each other, stopped by the server's budget.
func BenchmarkCooccurrenceWorst(b *testing.B) {
	var cs []Coding
	for i := 0; i < 30_000; i++ {
		cs = append(cs, Coding{DocumentID: "d", CodeID: string(rune('a' + i%20)), Start: i / 10, End: i/10 + 5})
	}
	for b.Loop() {
		if _, capped := CooccurrenceWithin(cs, MaxCooccurrenceGap, 10_000_000); !capped {
			b.Fatal("not capped")
		}
	}
}
