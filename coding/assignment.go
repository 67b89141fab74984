package coding

import (
	"math"
	"math/rand/v2"
	"slices"
	"time"
)

// Assignment is where one coder stands with one document: a lead assigned
// it to them (they are to read it), and they marked it done (read and
// coded, possibly with nothing). Either can hold without the other; a pair
// with neither is not stored.
//
// Agreement compares a coder on the documents assigned to them or marked
// done by them, so that "read it and found nothing" counts as a decision
// of its own rather than as "never read it".
type Assignment struct {
	Document string `json:"document"`
	Coder    string `json:"coder"`
	Assigned bool   `json:"assigned"`
	// AssignedBy is the lead who assigned the document and AssignedAt
	// when; the store sets both.
	AssignedBy string    `json:"assigned_by,omitempty"`
	AssignedAt time.Time `json:"assigned_at,omitzero"`
	Done       bool      `json:"done"`
	DoneAt     time.Time `json:"done_at,omitzero"`
}

// Counts reports whether the assignment puts its document in the coder's
// share of an agreement: assigned, done, or both.
func (a *Assignment) Counts() bool { return a.Assigned || a.Done }

// Assignment events. An assignment is a lead's, visible to every member
// (the event has no owner); a done mark belongs to the coder's layer
// (owner: the coder), so a blind project hides it from the other coders
// as it hides their codings.
const (
	// EventAssignmentSet: documents were assigned to coders (payload:
	// AssignmentChange).
	EventAssignmentSet = "assignment.set"
	// EventAssignmentCleared: assignments were taken back (payload:
	// AssignmentChange).
	EventAssignmentCleared = "assignment.cleared"
	// EventDocumentDone: a coder marked a document done (payload:
	// DoneMark).
	EventDocumentDone = "document.done"
	// EventDocumentUndone: a coder took their done mark back (payload:
	// DoneMark).
	EventDocumentUndone = "document.undone"
)

// AssignmentChange is the payload of the assignment events: which
// documents were assigned to (or taken from) which coders. Only the pairs
// that changed are in it: Coders × Documents of an assignment event that
// repeated an earlier one may be fewer than asked for.
type AssignmentChange struct {
	Coders    []string `json:"coders"`
	Documents []string `json:"documents"`
	// Sample, when the documents were a random reliability sample, says
	// how it was drawn, so that it can be drawn again.
	Sample *Sample `json:"sample,omitempty"`
}

// DoneMark is the payload of the done events.
type DoneMark struct {
	Document string    `json:"document"`
	Coder    string    `json:"coder"`
	At       time.Time `json:"at,omitzero"`
}

// Sample is a random reliability sample: Percent of a project's documents,
// drawn with Seed.
type Sample struct {
	Percent float64 `json:"percent"`
	Seed    uint64  `json:"seed"`
}

// Validate checks that the sample's share is a percentage a sample can
// have.
func (s *Sample) Validate() error {
	if !(s.Percent > 0 && s.Percent <= 100) {
		return Errorf(EINVALID, "a sample is a share of the documents greater than 0 and at most 100 percent, not %g", s.Percent)
	}
	return nil
}

// Draw returns the documents of the sample out of ids: ceil(Percent% of
// them), at least one when there are any, in the order of ids. The same
// ids (in any order) and the same seed always give the same documents, so
// a sample stored with its seed can be checked by drawing it again.
func (s *Sample) Draw(ids []string) []string {
	if len(ids) == 0 {
		return []string{}
	}
	sorted := slices.Clone(ids)
	slices.Sort(sorted)
	n := int(math.Ceil(s.Percent / 100 * float64(len(sorted))))
	n = max(1, min(n, len(sorted)))
	r := rand.New(rand.NewPCG(s.Seed, 0x636f6e636f7264)) // "concord"
	r.Shuffle(len(sorted), func(i, j int) { sorted[i], sorted[j] = sorted[j], sorted[i] })
	chosen := make(map[string]bool, n)
	for _, id := range sorted[:n] {
		chosen[id] = true
	}
	out := make([]string, 0, n)
	for _, id := range ids {
		if chosen[id] {
			out = append(out, id)
			delete(chosen, id) // a repeated id is drawn once
		}
	}
	return out
}

// MaxAssignCoders bounds the coders one assignment names.
const MaxAssignCoders = MaxAgreementCoders

// MaxAgreementCoders bounds how many coders one agreement compares: each
// is one bit of a 64-bit set.
const MaxAgreementCoders = 64

// AssignRequest is what a lead assigns: Documents to Coders (user ids),
// chosen one of three ways — the documents listed, All of them, or a
// random Sample of them, the same documents for every coder so that
// their work overlaps.
type AssignRequest struct {
	Coders    []string
	Documents []string
	All       bool
	Sample    *Sample
}

// Validate checks the request's shape: whether its coders and documents
// exist is the store's to check.
func (r *AssignRequest) Validate() error {
	if len(r.Coders) == 0 {
		return Errorf(EINVALID, "choose the coders to assign documents to")
	}
	if len(r.Coders) > MaxAssignCoders {
		return Errorf(EINVALID, "at most %d coders can be assigned documents at once", MaxAssignCoders)
	}
	ways := 0
	if len(r.Documents) > 0 {
		ways++
	}
	if r.All {
		ways++
	}
	if r.Sample != nil {
		ways++
		if err := r.Sample.Validate(); err != nil {
			return err
		}
	}
	if ways != 1 {
		return Errorf(EINVALID, "choose the documents one way: a list of documents, all documents, or a random sample")
	}
	return nil
}
