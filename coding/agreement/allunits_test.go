package agreement

import (
	"math/rand"
	"reflect"
	"testing"
)

// Every unit at once gives exactly the reports of each unit alone, with
// the options that belong to one unit applied to it only.
func TestProjectAgreementUnitsMatchesOneByOne(t *testing.T) {
	in := randomProject(rand.New(rand.NewSource(7)), 3, 6, 300, false)
	tests := []struct {
		name string
		opt  Options
	}{
		{"defaults", Options{}},
		{"bootstrap, overlap and coded-only", Options{Bootstrap: 50, Seed: 3, Overlap: 0.3, CodedOnly: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ProjectAgreementUnits(in, tc.opt, Units)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(Units) {
				t.Fatalf("%d reports for %d units", len(got), len(Units))
			}
			for i, u := range Units {
				want, err := ProjectAgreement(in, optionsFor(tc.opt, u))
				if err != nil {
					t.Fatal(err)
				}
				if got[i].Unit != u || !reflect.DeepEqual(got[i], want) {
					t.Errorf("unit %s: the report computed beside the others differs from the one computed alone", u)
				}
			}
		})
	}
	if _, err := ProjectAgreementUnits(in, Options{Overlap: 2}, []Unit{UnitSegments}); err == nil {
		t.Error("an overlap of 2 was accepted")
	}
}
