package agreement

import (
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/concordqda/concord/coding"
)

// benchProject is the synthetic project of BENCHMARKS.md: 1,000 documents
// of 50,000 characters, 5 coders, 100 codes (10 categories of 9 codes
// each, and 10 codes at the top), 200,000 codings. Coders code the same
// 40,000 passages, each with boundaries moved by up to 40 characters and
// now and then with a neighbouring code, so that they partly agree. The
// codings come sorted by document, as the store returns them.
var benchProject = sync.OnceValue(func() Input {
	rng := rand.New(rand.NewSource(42))
	var codes []coding.Code
	var codable []string
	for c := 0; c < 10; c++ {
		parent := fmt.Sprintf("cat%d", c)
		codes = append(codes, coding.Code{ID: parent, Name: parent})
		for k := 0; k < 9; k++ {
			id := fmt.Sprintf("cat%d-code%d", c, k)
			codes = append(codes, coding.Code{ID: id, Name: id, ParentID: parent, Codable: true, Order: k})
			codable = append(codable, id)
		}
	}
	for c := 0; c < 10; c++ {
		id := fmt.Sprintf("top%d", c)
		codes = append(codes, coding.Code{ID: id, Name: id, Codable: true, Order: 10 + c})
		codable = append(codable, id)
	}
	in := Input{Codebook: coding.NewCodebook(codes)}
	const length = 50_000
	for d := 0; d < 1000; d++ {
		in.Documents = append(in.Documents, coding.Document{ID: fmt.Sprintf("doc%04d", d), Title: fmt.Sprintf("Document %d", d), Length: length})
	}
	coders := []string{"ana", "ben", "chi", "dev", "eli"}
	for p := 0; p < 40_000; p++ {
		doc := in.Documents[rng.Intn(len(in.Documents))].ID
		code := rng.Intn(len(codable))
		start := rng.Intn(length - 2100)
		end := start + 20 + rng.Intn(2000)
		for _, coder := range coders {
			s := max(0, start+rng.Intn(81)-40)
			e := min(length, max(s+1, end+rng.Intn(81)-40))
			c := code
			if rng.Intn(5) == 0 {
				c = (code + 1) % len(codable)
			}
			in.Codings = append(in.Codings, coding.Coding{
				ID: fmt.Sprintf("c%d-%s", p, coder), DocumentID: doc, CodeID: codable[c], CoderID: coder, Start: s, End: e,
			})
		}
	}
	// The store returns codings by document.
	slices.SortStableFunc(in.Codings, func(a, b coding.Coding) int { return strings.Compare(a.DocumentID, b.DocumentID) })
	return in
})

// BenchmarkProjectAgreement computes each unit's whole report — overall,
// per code with parents, per document, per pair and the matrix — without
// the bootstrap; "all" computes the four one after another.
func BenchmarkProjectAgreement(b *testing.B) {
	in := benchProject()
	run := func(b *testing.B, units ...Unit) {
		for i := 0; i < b.N; i++ {
			for _, u := range units {
				if _, err := ProjectAgreement(in, Options{Unit: u}); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	for _, u := range Units {
		b.Run(string(u), func(b *testing.B) { run(b, u) })
	}
	b.Run("all", func(b *testing.B) { run(b, Units...) })
	// What a lead waits for when asking for every unit at once: the units
	// run side by side on the machine's cores.
	b.Run("all-at-once", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := ProjectAgreementUnits(in, Options{}, Units); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkProjectAgreementIntervals is a whole report with the default
// 1,000-resample interval for every code's α and the overall α, which is
// what a lead who asks for nothing else waits for.
func BenchmarkProjectAgreementIntervals(b *testing.B) {
	in := benchProject()
	for _, u := range []Unit{UnitCharacters, UnitPresence, UnitUnitized} {
		b.Run(string(u), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := ProjectAgreement(in, Options{Unit: u, Bootstrap: 1000, Seed: 1}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkBootstrapOneCode is one code's report with a 1,000-resample
// interval of its α (and of the overall α, which for one code is the
// same), against the same report without intervals.
func BenchmarkBootstrapOneCode(b *testing.B) {
	in := benchProject()
	for _, u := range []Unit{UnitCharacters, UnitPresence, UnitUnitized} {
		for _, resamples := range []int{0, 1000} {
			b.Run(fmt.Sprintf("%s/%d", u, resamples), func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					r, err := ProjectAgreement(in, Options{Unit: u, Code: "cat3-code4", Bootstrap: resamples, Seed: 1})
					if err != nil {
						b.Fatal(err)
					}
					if ci := r.Codes[0].AlphaCI; resamples > 0 && (ci == nil || !ci.Defined) {
						b.Fatalf("no interval: %+v", ci)
					}
				}
			})
		}
	}
}
