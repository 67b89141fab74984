package agreement

import (
	"fmt"
	"strings"

	"github.com/concordqda/concord/coding"
)

// DocumentsBasis names which documents an agreement compares each coder on.
type DocumentsBasis string

// The bases of an agreement.
const (
	// BasisAssignments compares each coder on the documents assigned to
	// them or marked done by them; the consensus layer on the documents
	// of any other compared coder.
	BasisAssignments DocumentsBasis = "assignments"
	// BasisAllDocuments compares every coder on every document: asked for
	// (AllDocuments), or because no compared coder has a document
	// assigned or marked done.
	BasisAllDocuments DocumentsBasis = "all_documents"
)

// Kinds of Warning.
const (
	// WarnNotDone: documents assigned to a coder that they did not mark
	// done. They are compared as read (the lead said the coder must read
	// them), which is wrong if the coder has not finished them.
	WarnNotDone = "assigned_not_done"
	// WarnNotCompared: documents a coder coded in that are neither
	// assigned to them nor marked done by them. Their codings there are
	// left out of the comparison until the document is assigned or
	// marked done.
	WarnNotCompared = "coded_not_compared"
)

// Warning names documents of a coder whose place in the
// comparison a lead should check.
type Warning struct {
	Kind      string   `json:"kind"`
	Coder     string   `json:"coder"`
	Documents []string `json:"documents"`
	// Message says the same in a sentence, naming the coder and the
	// documents' titles.
	Message string `json:"message"`
}

// warningTitles bounds the titles a warning's sentence names.
const warningTitles = 5

// applyBasis turns s.cover, which on entry says in which documents each
// compared coder coded something, into the documents each is compared on,
// and returns the basis and the warnings about it.
func (s *agreementScope) applyBasis() (DocumentsBasis, []Warning) {
	coded := s.cover
	k := len(s.coders)
	docIndex := make(map[string]int, len(s.docs))
	for d, doc := range s.docs {
		docIndex[doc.ID] = d
	}
	coderIndex := make(map[string]int, k)
	for i, c := range s.coders {
		coderIndex[c] = i
	}
	counts, done := make([]uint64, len(s.docs)), make([]uint64, len(s.docs))
	marked := false
	for _, a := range s.in.Assignments {
		d, ok := docIndex[a.Document]
		i, ok2 := coderIndex[a.Coder]
		if !ok || !ok2 || a.Coder == coding.ConsensusCoder || !a.Counts() {
			continue
		}
		marked = true
		counts[d] |= 1 << i
		if a.Done {
			done[d] |= 1 << i
		}
	}

	basis := BasisAllDocuments
	s.cover = make([]uint64, len(s.docs))
	if marked && !s.opt.AllDocuments {
		basis = BasisAssignments
		consensus := uint64(0)
		if i, ok := coderIndex[coding.ConsensusCoder]; ok {
			consensus = 1 << i
		}
		for d := range s.cover {
			s.cover[d] = counts[d]
			if counts[d] != 0 {
				s.cover[d] |= consensus
			}
		}
	} else if k > 0 {
		all := ^uint64(0) >> (64 - k)
		for d := range s.cover {
			s.cover[d] = all
		}
	}

	var warnings []Warning
	if !marked {
		return basis, warnings
	}
	for i, c := range s.coders {
		if c == coding.ConsensusCoder {
			continue
		}
		bit := uint64(1) << i
		var notDone, left []int
		for d := range s.docs {
			if counts[d]&bit != 0 && done[d]&bit == 0 {
				notDone = append(notDone, d)
			}
			if basis == BasisAssignments && coded[d]&bit != 0 && counts[d]&bit == 0 {
				left = append(left, d)
			}
		}
		if len(notDone) > 0 {
			w, name, n, list := s.warning(WarnNotDone, i, notDone)
			w.Message = fmt.Sprintf("%s has %s assigned but not marked done (%s): they are compared as read, with what %s coded so far.", name, n, list, name)
			warnings = append(warnings, w)
		}
		if len(left) > 0 {
			w, name, n, list := s.warning(WarnNotCompared, i, left)
			w.Message = fmt.Sprintf("%s coded in %s neither assigned to nor marked done by them (%s): those codings are left out until the documents are assigned or marked done.", name, n, list)
			warnings = append(warnings, w)
		}
	}
	return basis, warnings
}

// warning starts a warning of kind about coder i's documents ds, and
// returns the coder's name, "N documents" and the first titles for its
// message.
func (s *agreementScope) warning(kind string, i int, ds []int) (w Warning, name, n, list string) {
	w = Warning{Kind: kind, Coder: s.coders[i], Documents: make([]string, len(ds))}
	var titles []string
	for j, d := range ds {
		w.Documents[j] = s.docs[d].ID
		if j < warningTitles {
			titles = append(titles, s.docs[d].Title)
		}
	}
	list = strings.Join(titles, ", ")
	if len(ds) > warningTitles {
		list += fmt.Sprintf(" and %d more", len(ds)-warningTitles)
	}
	n = "1 document"
	if len(ds) != 1 {
		n = fmt.Sprintf("%d documents", len(ds))
	}
	return w, s.names[i], n, list
}

// basisNote says in a sentence which documents the coders were compared
// on.
func (s *agreementScope) basisNote(basis DocumentsBasis) string {
	switch {
	case basis == BasisAssignments:
		return "Each coder is compared on the documents assigned to them or marked done by them."
	case s.opt.AllDocuments:
		return "Every document counts as read by every compared coder, as asked (all documents)."
	}
	return "No document is assigned to or marked done by these coders, so every document counts as read by every compared coder."
}
