package agreement

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand"
	"reflect"
	"testing"

	"github.com/concordqda/concord/coding"
)

// unitizedProject returns a project shaped like real unitized coding:
// documents of a few hundred to a few thousand characters, coders who
// place mostly separate units (now and then overlapping ones of another
// code, which the 2016 coefficients refuse), boundaries that move a little
// between coders, and, with skip, coders who leave some documents alone.
func unitizedProject(rng *rand.Rand, coders, docs, spacing, overlapEvery int, skip bool) Input {
	codes := []coding.Code{
		{ID: "p", Name: "p", Codable: true},
		{ID: "x", Name: "x", ParentID: "p", Codable: true},
		{ID: "y", Name: "y", ParentID: "p", Codable: true, Order: 1},
		{ID: "q", Name: "q", Order: 1},
		{ID: "v", Name: "v", ParentID: "q", Codable: true},
		{ID: "w", Name: "w", ParentID: "q", Codable: true, Order: 1},
		{ID: "z", Name: "z", Codable: true, Order: 2},
	}
	codable := []string{"p", "x", "y", "v", "w", "z"}
	in := Input{Codebook: coding.NewCodebook(codes)}
	for d := 0; d < docs; d++ {
		in.Documents = append(in.Documents, coding.Document{ID: fmt.Sprintf("d%04d", d), Title: fmt.Sprintf("Doc %d", d), Length: 200 + rng.Intn(3000)})
	}
	n := 0
	add := func(d coding.Document, code string, c, s, e int) {
		n++
		in.Codings = append(in.Codings, coding.Coding{
			ID: fmt.Sprintf("c%d", n), DocumentID: d.ID, CodeID: code, CoderID: fmt.Sprintf("coder%d", c), Start: s, End: e,
		})
	}
	for di, d := range in.Documents {
		// Passages at least 25 characters apart, so that boundaries moved
		// by up to 10 keep a coder's units apart.
		for start := 25 + rng.Intn(spacing); start+30 < d.Length; start += 25 + rng.Intn(spacing) {
			end := min(d.Length-5, start+1+rng.Intn(200))
			code := rng.Intn(len(codable))
			for c := 0; c < coders; c++ {
				if skip && di%2 == 0 && (di+c)%7 == 0 || rng.Intn(6) == 0 {
					continue
				}
				k := code
				if rng.Intn(5) == 0 {
					k = rng.Intn(len(codable))
				}
				s := start + rng.Intn(21) - 10
				add(d, codable[k], c, s, min(d.Length, max(s+1, end+rng.Intn(21)-10)))
				if overlapEvery > 0 && rng.Intn(overlapEvery) == 0 {
					add(d, codable[(k+1)%len(codable)], c, s+1, s+2)
				}
			}
			start = end
		}
	}
	in.Assignments = doneWhereCoded(in)
	return in
}

// unitizedCases are projects from a few codings to enough that the
// unitized unit splits its work by documents.
var unitizedCases = []struct {
	name                           string
	seed                           int64
	coders, docs, spacing, codings int // codings: a randomProject
	overlapEvery                   int
	skip                           bool
}{
	{name: "tiny", seed: 1, coders: 3, docs: 4, spacing: 400},
	{name: "small-skip", seed: 2, coders: 4, docs: 30, spacing: 300, skip: true},
	{name: "medium", seed: 3, coders: 3, docs: 200, spacing: 200},
	{name: "medium-skip", seed: 4, coders: 5, docs: 300, spacing: 200, skip: true},
	{name: "large-overlapping", seed: 5, coders: 4, docs: 900, spacing: 150, overlapEvery: 1500, skip: true},
	{name: "random", seed: 6, coders: 4, docs: 400, codings: 6000},
}

// unitizedGolden are SHA-256 sums of the JSON of the unitized reports of
// unitizedCases, without and with a bootstrap, as computed before the
// unitized unit split its work by documents: the split must change no
// figure, not even in the last bit.
var unitizedGolden = map[string]string{
	"tiny/bootstrap=0":                "c59d79d43f666f9695c0435b33b1d9fce7a21b400452d37fe9b456568fbedf18",
	"tiny/bootstrap=200":              "f45039bcdddaf3feae83b05315c352d8e10822b0e8ce1a357394eab28ff04f16",
	"small-skip/bootstrap=0":          "a36f50d9ad835de4b09e598babd564c5e8cc039d62ac7a41cffb47a22b9a3314",
	"small-skip/bootstrap=200":        "d3e1aabbc4955ecf89687fba736c620140280f9ea70966e3169d9e62f70bfe0e",
	"medium/bootstrap=0":              "bd88260cc66da9741231e909534c8759122d629549539d398d707b09837998bd",
	"medium/bootstrap=200":            "366487b022057f7cce3ab9eedf090e68140278e72663ae72d127d4d23dc3ea23",
	"medium-skip/bootstrap=0":         "e9da7b673e7386a652a27be05db62ce86c388d271c5fd701ac9a197935a5faca",
	"medium-skip/bootstrap=200":       "4f54f2aea2688c1db2eaa45df1c4fc76ab7e9276557363dd9183616c6a07d8d5",
	"large-overlapping/bootstrap=0":   "9a76883e96ff970c029da6f1bad56a908794a12225f6c93e8c22b368eda37a9e",
	"large-overlapping/bootstrap=200": "34cfb5f0f47ead405eedaa52ef7dbb4bb163ad202cdafb5ec0a5e5379f178191",
	"random/bootstrap=0":              "7e40ab522f9b794b7ed10d0194db9a2f2e0363067eca4e713de218d9b5850eda",
	"random/bootstrap=200":            "b0d6f10049a64aecd48416ccb2ab1b9e0c404f8cf7dfa81aa86111443a72f6bf",
}

func unitizedCaseInput(i int) Input {
	c := unitizedCases[i]
	rng := rand.New(rand.NewSource(c.seed))
	if c.codings > 0 {
		return randomProject(rng, c.coders, c.docs, c.codings, c.skip)
	}
	return unitizedProject(rng, c.coders, c.docs, c.spacing, c.overlapEvery, c.skip)
}

func TestUnitizedReportUnchanged(t *testing.T) {
	for i, c := range unitizedCases {
		in := unitizedCaseInput(i)
		for _, boot := range []int{0, 200} {
			name := fmt.Sprintf("%s/bootstrap=%d", c.name, boot)
			t.Run(name, func(t *testing.T) {
				r, err := ProjectAgreement(in, Options{Unit: UnitUnitized, Bootstrap: boot, Seed: c.seed})
				if err != nil {
					t.Fatal(err)
				}
				b, err := json.Marshal(r)
				if err != nil {
					t.Fatal(err)
				}
				sum := sha256.Sum256(b)
				if got, want := hex.EncodeToString(sum[:]), unitizedGolden[name]; got != want {
					t.Errorf("report of %s: sha256 %s, want %s", name, got, want)
				}
			})
		}
	}
}

// TestUnitizedBenchReportUnchanged pins the report of the benchmark
// project (BENCHMARKS.md), the size the split by documents is for.
func TestUnitizedBenchReportUnchanged(t *testing.T) {
	if testing.Short() {
		t.Skip("200,000 codings")
	}
	r, err := ProjectAgreement(benchProject(), Options{Unit: UnitUnitized})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	if got, want := hex.EncodeToString(sum[:]), unitizedBenchGolden; got != want {
		t.Errorf("report of the benchmark project: sha256 %s, want %s", got, want)
	}
}

const unitizedBenchGolden = "28048b76cdbf4be6bb5e6cd8aeca005b70bd7f784b675d80c6275d0762119304"

// TestUnitizedTalliesDoNotDependOnTheSplit tallies projects in one range
// of documents and in several, down to one document per range, and wants
// the same tallies and 2016 coincidences to the last bit.
func TestUnitizedTalliesDoNotDependOnTheSplit(t *testing.T) {
	rng := rand.New(rand.NewSource(19))
	var inputs []Input
	for i := range unitizedCases {
		inputs = append(inputs, unitizedCaseInput(i))
	}
	for range 30 {
		coders := 2 + rng.Intn(4)
		if rng.Intn(2) == 0 {
			inputs = append(inputs, randomProject(rng, coders, 1+rng.Intn(12), rng.Intn(80), rng.Intn(2) == 0))
		} else {
			inputs = append(inputs, unitizedProject(rng, coders, 1+rng.Intn(12), 50+rng.Intn(300), rng.Intn(40), rng.Intn(2) == 0))
		}
	}
	for i, in := range inputs {
		opt := Options{Unit: UnitUnitized}
		s, err := newAgreementScope(in, &opt)
		if err != nil {
			t.Fatal(err)
		}
		one := tallyUnitizedIn(s, s.documentRangesOf(1))
		want := one.coincidences2016(s)
		for _, n := range []int{2, 3, maxDocumentRanges, len(s.docs)} {
			ranges := s.documentRangesOf(n)
			if len(ranges) > n || ranges[0][0] != 0 || ranges[len(ranges)-1][1] != len(s.docs) {
				t.Fatalf("project %d: documentRangesOf(%d) = %v for %d documents", i, n, ranges, len(s.docs))
			}
			for r := 1; r < len(ranges); r++ {
				if ranges[r][0] != ranges[r-1][1] || ranges[r][0] >= ranges[r][1] {
					t.Fatalf("project %d: documentRangesOf(%d) = %v", i, n, ranges)
				}
			}
			split := tallyUnitizedIn(s, ranges)
			got := split.coincidences2016(s)
			split.ranges = one.ranges
			if !reflect.DeepEqual(split, one) {
				t.Errorf("project %d: tallies in %d ranges differ from those in one", i, len(ranges))
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("project %d: 2016 coincidences in %d ranges differ from those in one", i, len(ranges))
			}
		}
	}
}
