package coding

import (
	"fmt"
	"math/rand"
	"testing"
)

func TestMeeting(t *testing.T) {
	cd := func(id, doc, code string, start, end int) Coding {
		return Coding{ID: id, DocumentID: doc, CodeID: code, Start: start, End: end}
	}
	partners := []Coding{cd("p1", "d", "B", 10, 20), cd("p2", "d", "B", 40, 45), cd("p3", "e", "B", 0, 5)}
	cases := []struct {
		name string
		c    Coding
		gap  int
		want bool
	}{
		{"overlaps", cd("c", "d", "A", 15, 30), 0, true},
		{"inside", cd("c", "d", "A", 12, 13), 0, true},
		{"touches the end", cd("c", "d", "A", 20, 25), 0, false},
		{"touches the start", cd("c", "d", "A", 5, 10), 0, false},
		{"within the gap after", cd("c", "d", "A", 22, 25), 3, true},
		{"just past the gap", cd("c", "d", "A", 23, 25), 3, false},
		{"within the gap before", cd("c", "d", "A", 30, 38), 3, true},
		{"other document", cd("c", "f", "A", 0, 100), 0, false},
		{"own code never meets", cd("c", "d", "B", 10, 20), 0, false},
		{"between partners", cd("c", "d", "A", 25, 35), 0, false},
	}
	for _, tc := range cases {
		got := len(Meeting([]Coding{tc.c}, partners, tc.gap)) == 1
		if got != tc.want {
			t.Errorf("Meeting(%s [%d,%d), gap %d) = %v, want %v", tc.name, tc.c.Start, tc.c.End, tc.gap, got, tc.want)
		}
	}
}

// TestMeetingAgreesWithCooccurrence checks Meeting against the pair count
// on random codings: a coding of A meets a B coding exactly when it is in
// at least one counted A–B pair.
func TestMeetingAgreesWithCooccurrence(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	for round := 0; round < 50; round++ {
		var all []Coding
		for i := 0; i < 40; i++ {
			s := rng.Intn(200)
			all = append(all, Coding{ID: fmt.Sprint(i), DocumentID: fmt.Sprint("d", rng.Intn(2)), CodeID: []string{"A", "B", "C"}[rng.Intn(3)], Start: s, End: s + 1 + rng.Intn(20)})
		}
		gap := rng.Intn(10)
		var as, bs []Coding
		for _, c := range all {
			switch c.CodeID {
			case "A":
				as = append(as, c)
			case "B":
				bs = append(bs, c)
			}
		}
		met := map[string]bool{}
		for _, c := range Meeting(as, bs, gap) {
			met[c.ID] = true
		}
		for _, a := range as {
			n, _ := CooccurrenceWithin(append([]Coding{a}, bs...), gap, 0)
			if want := n[CodePair{"A", "B"}] > 0; met[a.ID] != want {
				t.Fatalf("round %d: coding %+v meets a B coding: %v, the pair count says %v", round, a, met[a.ID], want)
			}
		}
	}
}
