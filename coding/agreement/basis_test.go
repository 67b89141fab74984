package agreement

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/concordqda/concord/coding"
)

// surveyProject is the case of issue #12: n one-answer documents, one
// code, two coders who each say whether the code applies and are right
// 80% of the time. An answer a coder judges "absent" gets no coding, so
// the coders coded in few of the same documents.
func surveyProject(n int, seed uint64) Input {
	rng := rand.New(rand.NewPCG(seed, 12))
	in := Input{Codebook: coding.NewCodebook([]coding.Code{{ID: "k", Name: "Kindness", Codable: true}})}
	for d := 0; d < n; d++ {
		doc := coding.Document{ID: fmt.Sprintf("d%02d", d), Title: fmt.Sprintf("Answer %d", d+1), Length: 20}
		in.Documents = append(in.Documents, doc)
		truth := rng.IntN(2) == 0
		for _, coder := range []string{"ana", "ben"} {
			says := truth
			if rng.Float64() >= 0.8 {
				says = !says
			}
			if says {
				in.Codings = append(in.Codings, coding.Coding{ID: doc.ID + coder, DocumentID: doc.ID, CodeID: "k", CoderID: coder, Start: 0, End: 20})
			}
		}
	}
	return in
}

func assignAll(in Input, coders []string, done bool) []coding.Assignment {
	var out []coding.Assignment
	for _, d := range in.Documents {
		for _, c := range coders {
			out = append(out, coding.Assignment{Document: d.ID, Coder: c, Assigned: !done, Done: done})
		}
	}
	return out
}

// The survey case: with every answer assigned to (or marked done by) both
// coders, or with no assignment at all, the report compares every answer,
// as all_documents does, and no longer claims full agreement.
func TestAgreementBasisSurvey(t *testing.T) {
	base := surveyProject(60, 7)
	all := mustAgree(t, base, Options{Unit: UnitPresence, AllDocuments: true})
	want := all.Overall.Coefficients[MetricKrippendorffAlpha]
	if !want.Defined || want.Value > 0.7 || want.Value < 0.2 {
		t.Fatalf("all documents: α = %v, want a defined α near 0.44 for coders right 80%% of the time", want)
	}
	for _, tc := range []struct {
		name        string
		assignments []coding.Assignment
		basis       DocumentsBasis
	}{
		{"no assignments", nil, BasisAllDocuments},
		{"all assigned", assignAll(base, []string{"ana", "ben"}, false), BasisAssignments},
		{"all done", assignAll(base, []string{"ana", "ben"}, true), BasisAssignments},
	} {
		in := base
		in.Assignments = tc.assignments
		r := mustAgree(t, in, Options{Unit: UnitPresence})
		if got := r.Overall.Coefficients[MetricKrippendorffAlpha]; !sameCoefficient(got, want) {
			t.Errorf("%s: α = %v, want %v as with all documents", tc.name, got, want)
		}
		if got := r.Overall.Coefficients[MetricPercentAgreement]; got.Value == 1 {
			t.Errorf("%s: percent agreement = 1, want the disagreements counted", tc.name)
		}
		if r.DocumentsBasis != tc.basis || r.DocumentsNote == "" {
			t.Errorf("%s: basis %q (%q), want %q with a sentence", tc.name, r.DocumentsBasis, r.DocumentsNote, tc.basis)
		}
		if r.Coders[0].Documents != 60 || r.Coders[1].Documents != 60 {
			t.Errorf("%s: coders %+v, want both on 60 documents", tc.name, r.Coders)
		}
	}
}

// Each coder is compared on the documents assigned to or marked done by
// them; the report warns about documents assigned but not done and about
// codings in documents that are neither.
func TestAgreementBasisAssignments(t *testing.T) {
	in := handProject(true) // A and B code d1 and d2, C codes d2
	in.Assignments = []coding.Assignment{
		{Document: "d1", Coder: "A", Assigned: true, Done: true},
		{Document: "d2", Coder: "A", Done: true},
		{Document: "d1", Coder: "B", Assigned: true},
		{Document: "d2", Coder: "B", Assigned: true, Done: true},
		{Document: "d1", Coder: "C", Assigned: true, Done: true}, // C coded d2 only
		{Document: "d1", Coder: "nobody-compared", Assigned: true},
	}
	r := mustAgree(t, in, Options{Unit: UnitPresence, Coders: []string{"A", "B", "C"}})
	if r.DocumentsBasis != BasisAssignments {
		t.Errorf("basis = %q, want assignments", r.DocumentsBasis)
	}
	docs := map[string]int{}
	for _, c := range r.Coders {
		docs[c.ID] = c.Documents
	}
	if docs["A"] != 2 || docs["B"] != 2 || docs["C"] != 1 {
		t.Errorf("documents per coder = %v, want A 2, B 2, C 1", docs)
	}
	var got []string
	for _, w := range r.Warnings {
		got = append(got, w.Kind+" "+w.Coder+" "+strings.Join(w.Documents, ","))
		if w.Message == "" {
			t.Errorf("warning %+v has no sentence", w)
		}
	}
	want := []string{WarnNotDone + " B d1", WarnNotCompared + " C d2"}
	if !slices.Equal(got, want) {
		t.Errorf("warnings = %q, want %q", got, want)
	}
	if !strings.Contains(r.Warnings[1].Message, "C coded in 1 document") || !strings.Contains(r.Warnings[1].Message, "Two") {
		t.Errorf("warning = %q, want it to name C, the count and the title", r.Warnings[1].Message)
	}

	// The override compares everyone everywhere and drops nothing, so only
	// the not-done warning stays.
	r = mustAgree(t, in, Options{Unit: UnitPresence, Coders: []string{"A", "B", "C"}, AllDocuments: true})
	if r.DocumentsBasis != BasisAllDocuments || len(r.Warnings) != 1 || r.Warnings[0].Kind != WarnNotDone {
		t.Errorf("all documents: basis %q, warnings %+v; want all_documents and the not-done warning", r.DocumentsBasis, r.Warnings)
	}

	// The consensus layer takes part where any compared coder does.
	in.Codings = append(in.Codings, coding.Coding{ID: "k1", DocumentID: "d2", CodeID: "Y", CoderID: coding.ConsensusCoder, Start: 0, End: 5})
	in.Assignments = []coding.Assignment{{Document: "d2", Coder: "A", Done: true}}
	r = mustAgree(t, in, Options{Unit: UnitPresence, Coders: []string{"A", coding.ConsensusCoder}})
	if r.Coders[0].Documents != 1 || r.Coders[1].Documents != 1 {
		t.Errorf("A with the consensus: coders %+v, want both on d2 only", r.Coders)
	}
	if len(r.Warnings) != 1 || r.Warnings[0].Coder != "A" || r.Warnings[0].Kind != WarnNotCompared {
		t.Errorf("A with the consensus: warnings %+v, want A's codings in d1 left out", r.Warnings)
	}
}

// A coder with done marks but no codings is still one of the coders
// compared by default: reading and finding nothing is a judgement.
func TestAgreementBasisCoderWithoutCodings(t *testing.T) {
	in := handProject(false)
	in.Assignments = assignAll(in, []string{"A", "B", "D"}, true)
	r := mustAgree(t, in, Options{Unit: UnitPresence})
	var ids []string
	for _, c := range r.Coders {
		ids = append(ids, c.ID)
	}
	if !slices.Equal(ids, []string{"A", "B", "D"}) {
		t.Errorf("coders = %v, want A, B and D (who coded nothing)", ids)
	}
}
