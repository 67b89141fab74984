package agreement

import (
	"math/bits"
	"slices"
	"strings"

	"github.com/concordqda/concord/coding"
)

// agreementScope is a project prepared for agreement: the compared coders
// as bits, which coders take part in which document, the code rows, and
// every coding of a compared coder as an entry of each group it counts in,
// sorted so that each (document, group) is one run.
//
// A group is a code as the rows see it (the code with its descendants) or
// as applied (the code's own codings, which the overall, document and
// pair figures add up). For a code without children the two are the same
// group.
type agreementScope struct {
	in     Input
	spans  *coding.CodingSpans // in.Spans, or in.Codings as spans
	opt    *Options
	coders []string // ids; a coder's bit is its index
	names  []string
	docs   []coding.Document
	cover  []uint64 // per document, the coders taking part in it
	// basis says how cover was chosen; warnings name documents whose
	// place in it a lead should check (see applyBasis).
	basis    DocumentsBasis
	warnings []Warning
	rows     []*coding.Code // codes with codings, in codebook order
	rollup   []bool
	unused   []string
	stack    []string // codes applied, in codebook order
	groups   []agreementGroup
	// entries of document d are entries[docStart[d]:docStart[d+1]],
	// sorted by group, start and end.
	entries  []agreementEntry
	docStart []int
	pairs    [][2]int
	pairIdx  []int // pairIdx[i*k+j] for i < j
}

type agreementGroup struct {
	row   int // index into rows, or −1
	stack int // index into stack, or −1
}

// agreementEntry is one coding in one group, in 20 bytes: there are
// hundreds of thousands.
type agreementEntry struct {
	group, coder, coding int32
	start, end           int32
}

// weight returns the number of units each document holds: its characters,
// or 1 for the presence unit.
func (s *agreementScope) weight(d int) float64 {
	if s.opt.Unit == UnitPresence {
		return 1
	}
	return float64(s.docs[d].Length)
}

func (s *agreementScope) k() int { return len(s.coders) }

// m returns the number of coders taking part in document d.
func (s *agreementScope) m(d int) int { return bits.OnesCount64(s.cover[d]) }

func (s *agreementScope) pair(i, j int) int {
	if i > j {
		i, j = j, i
	}
	return s.pairIdx[i*s.k()+j]
}

// runs calls fn for each (document, group) with the group's entries.
func (s *agreementScope) runs(fn func(d int, g agreementGroup, es []agreementEntry)) {
	for d := range s.docs {
		es := s.entries[s.docStart[d]:s.docStart[d+1]]
		for len(es) > 0 {
			n := 1
			for n < len(es) && es[n].group == es[0].group {
				n++
			}
			fn(d, s.groups[es[0].group], es[:n])
			es = es[n:]
		}
	}
}

func checkAgreementOptions(opt *Options) error {
	if opt.Unit == "" {
		opt.Unit = UnitCharacters
	}
	if !slices.Contains(Units, opt.Unit) {
		return coding.Errorf(coding.EINVALID, "unknown unit %q: use characters, segments, presence or unitized", string(opt.Unit))
	}
	if opt.CodedOnly && opt.Unit != UnitCharacters {
		return coding.Errorf(coding.EINVALID, "coded_only applies to the characters unit only")
	}
	if opt.Unit == UnitSegments {
		if opt.Overlap == 0 {
			opt.Overlap = DefaultOverlap
		}
		if !(opt.Overlap > 0 && opt.Overlap <= 1) {
			return coding.Errorf(coding.EINVALID, "the overlap must be a share greater than 0 and at most 1, not %g", opt.Overlap)
		}
	} else if opt.Overlap != 0 {
		return coding.Errorf(coding.EINVALID, "the overlap threshold applies to the segments unit only")
	}
	if opt.Bootstrap < 0 || opt.Bootstrap > MaxBootstrap {
		return coding.Errorf(coding.EINVALID, "the number of bootstrap resamples must be between 0 and %d", MaxBootstrap)
	}
	if opt.Bootstrap > 0 && opt.Unit == UnitSegments {
		return coding.Errorf(coding.EINVALID, "the segments unit has no α to bootstrap")
	}
	if len(opt.Coders) > coding.MaxAgreementCoders {
		return coding.Errorf(coding.EINVALID, "at most %d coders can be compared at once", coding.MaxAgreementCoders)
	}
	seen := map[string]bool{}
	for _, c := range opt.Coders {
		if c == "" {
			return coding.Errorf(coding.EINVALID, "a coder to compare has no id")
		}
		if seen[c] {
			return coding.Errorf(coding.EINVALID, "coder %s is listed twice", c)
		}
		seen[c] = true
	}
	return nil
}

// codingName names coding i of the input in a message: by its id when the
// input has the codings themselves.
func (s *agreementScope) codingName(i int) string {
	if i < len(s.in.Codings) {
		return "coding " + s.in.Codings[i].ID
	}
	return "a coding"
}

// checkUnit refuses a unit the scope is too large for.
func (s *agreementScope) checkUnit() error {
	if s.opt.Unit == UnitUnitized && len(s.docs) > maxUnitizedDocuments {
		return coding.Errorf(coding.EINVALID, "the unitized unit compares at most %d documents at once", maxUnitizedDocuments)
	}
	return nil
}

// withOptions returns the scope as seen with another unit's options, which
// must compare the same code, coders and documents. The two share every
// prepared slice; no report writes to them.
func (s *agreementScope) withOptions(opt *Options) (*agreementScope, error) {
	if err := checkAgreementOptions(opt); err != nil {
		return nil, err
	}
	c := *s
	c.opt = opt
	if err := c.checkUnit(); err != nil {
		return nil, err
	}
	return &c, nil
}

func newAgreementScope(in Input, opt *Options) (*agreementScope, error) {
	if err := checkAgreementOptions(opt); err != nil {
		return nil, err
	}
	cb := in.Codebook
	if cb == nil {
		cb = coding.NewCodebook(nil)
	}
	in.Codebook = cb
	s := &agreementScope{in: in, opt: opt, docs: in.Documents, spans: in.Spans}
	if s.spans == nil {
		s.spans = coding.SpansOf(in.Codings)
	}
	if err := s.checkUnit(); err != nil {
		return nil, err
	}

	inScope := func(string) bool { return true }
	if opt.Code != "" {
		if _, ok := cb.Code(opt.Code); !ok {
			return nil, coding.Errorf(coding.ENOTFOUND, "code %s does not exist in this project", opt.Code)
		}
		scope := map[string]bool{opt.Code: true}
		for _, id := range cb.Descendants(opt.Code) {
			scope[id] = true
		}
		inScope = func(id string) bool { return scope[id] }
	}

	// Number every coding's document, code and coder once; the rest
	// works on the numbers.
	docIndex := make(map[string]int32, len(in.Documents))
	for i, d := range in.Documents {
		docIndex[d.ID] = int32(i)
	}
	var codes []*coding.Code
	codeIndex := make(map[string]int32, cb.Len())
	cb.Walk(func(c *coding.Code, _ int) {
		codeIndex[c.ID] = int32(len(codes))
		codes = append(codes, c)
	})
	s.chooseCoders()
	coderIndex := make(map[string]int32, len(s.coders))
	for i, c := range s.coders {
		coderIndex[c] = int32(i)
	}
	type ref struct {
		doc, code, coder int32
		start, end       int
	}
	sp := s.spans
	// The table's own numbers, mapped to the scope's once per id; −1 is
	// not in the project (documents, codes) or not compared (coders).
	lookup := func(ids []string, index map[string]int32) []int32 {
		out := make([]int32, len(ids))
		for i, id := range ids {
			if n, ok := index[id]; ok {
				out[i] = n
			} else {
				out[i] = -1
			}
		}
		return out
	}
	docOf, codeOf, coderOf := lookup(sp.DocumentIDs, docIndex), lookup(sp.CodeIDs, codeIndex), lookup(sp.CoderIDs, coderIndex)
	refs := make([]ref, len(sp.Rows))
	s.cover = make([]uint64, len(s.docs))
	for i, r := range sp.Rows {
		d := docOf[r.Document]
		if d < 0 {
			return nil, coding.Errorf(coding.EINVALID, "%s points into document %s, which is not in the project", s.codingName(i), sp.DocumentIDs[r.Document])
		}
		if r.Start < 0 || r.End <= r.Start || int(r.End) > in.Documents[d].Length {
			return nil, coding.Errorf(coding.EINVALID, "%s [%d, %d) does not lie inside its document (%d characters)", s.codingName(i), r.Start, r.End, in.Documents[d].Length)
		}
		code := codeOf[r.Code]
		if code < 0 {
			return nil, coding.Errorf(coding.EINVALID, "%s has code %s, which is not in the codebook", s.codingName(i), sp.CodeIDs[r.Code])
		}
		coder := coderOf[r.Coder]
		if coder >= 0 {
			s.cover[d] |= 1 << coder
		}
		refs[i] = ref{d, code, coder, int(r.Start), int(r.End)}
	}
	s.basis, s.warnings = s.applyBasis()

	// Which codes have codings of compared coders, as applied and with
	// their descendants'.
	scoped := make([]bool, len(codes))
	lineages := make([][]int32, len(codes)) // a code and its ancestors in scope
	for i, c := range codes {
		scoped[i] = inScope(c.ID)
		if scoped[i] {
			for _, id := range lineage(cb, c.ID, inScope) {
				lineages[i] = append(lineages[i], codeIndex[id])
			}
		}
	}
	applied, used := make([]bool, len(codes)), make([]bool, len(codes))
	for _, r := range refs {
		if r.coder >= 0 && scoped[r.code] && !applied[r.code] {
			applied[r.code] = true
			for _, a := range lineages[r.code] {
				used[a] = true
			}
		}
	}
	rowOf, ownGroup := make([]int32, len(codes)), make([]int32, len(codes))
	var stackOf []int
	for i, c := range codes {
		rowOf[i], ownGroup[i] = -1, -1
		if !scoped[i] {
			continue
		}
		if !used[i] {
			s.unused = append(s.unused, c.ID)
			continue
		}
		rowOf[i] = int32(len(s.rows))
		s.rows = append(s.rows, c)
		s.rollup = append(s.rollup, len(cb.Children(c.ID)) > 0)
		stack := -1
		if applied[i] {
			stack = len(s.stack)
			s.stack = append(s.stack, c.ID)
		}
		stackOf = append(stackOf, stack)
	}

	// Groups: each row is one; a code with children that was applied
	// directly also has a group of its own codings.
	s.groups = make([]agreementGroup, len(s.rows))
	for r := range s.rows {
		s.groups[r] = agreementGroup{row: r, stack: -1}
		if stackOf[r] >= 0 && !s.rollup[r] {
			s.groups[r].stack = stackOf[r]
		}
	}
	for i := range codes {
		if r := rowOf[i]; r >= 0 && stackOf[r] >= 0 && s.rollup[r] {
			ownGroup[i] = int32(len(s.groups))
			s.groups = append(s.groups, agreementGroup{row: -1, stack: stackOf[r]})
		}
	}

	// Entries: the codings of each document sorted by start, then placed
	// by group (a counting sort), so each run comes out sorted by start.
	byDoc := make([]int, len(s.docs)+1)
	for _, r := range refs {
		if r.coder >= 0 && scoped[r.code] {
			byDoc[r.doc+1]++
		}
	}
	for d := range s.docs {
		byDoc[d+1] += byDoc[d]
	}
	order := make([]int32, byDoc[len(s.docs)])
	next := slices.Clone(byDoc[:len(s.docs)])
	s.docStart = make([]int, len(s.docs)+1)
	for i, r := range refs {
		if r.coder >= 0 && scoped[r.code] {
			order[next[r.doc]] = int32(i)
			next[r.doc]++
			n := len(lineages[r.code])
			if ownGroup[r.code] >= 0 {
				n++
			}
			s.docStart[r.doc+1] += n
		}
	}
	for d := range s.docs {
		s.docStart[d+1] += s.docStart[d]
	}
	s.entries = make([]agreementEntry, s.docStart[len(s.docs)])
	// Each document's entries are its own, so ranges of documents fill
	// theirs side by side.
	const docsPerTask = 64
	parallel((len(s.docs)+docsPerTask-1)/docsPerTask, func(task int) {
		var keys []uint64
		slot := make([]int, len(s.groups)+1)
		for d := task * docsPerTask; d < min(len(s.docs), (task+1)*docsPerTask); d++ {
			codings := order[byDoc[d]:byDoc[d+1]]
			keys = keys[:0]
			clear(slot)
			for j, i := range codings {
				keys = append(keys, uint64(refs[i].start)<<32|uint64(j))
				r := refs[i]
				if g := ownGroup[r.code]; g >= 0 {
					slot[g+1]++
				}
				for _, a := range lineages[r.code] {
					slot[rowOf[a]+1]++
				}
			}
			slices.Sort(keys)
			for g := range s.groups {
				slot[g+1] += slot[g]
			}
			es := s.entries[s.docStart[d]:s.docStart[d+1]]
			for _, key := range keys {
				i := codings[uint32(key)]
				r := refs[i]
				e := agreementEntry{coder: r.coder, coding: i, start: int32(r.start), end: int32(r.end)}
				if g := ownGroup[r.code]; g >= 0 {
					e.group = g
					es[slot[g]] = e
					slot[g]++
				}
				for _, a := range lineages[r.code] {
					e.group = rowOf[a]
					es[slot[e.group]] = e
					slot[e.group]++
				}
			}
		}
	})

	k := len(s.coders)
	s.pairIdx = make([]int, k*k)
	for i := 0; i < k; i++ {
		for j := i + 1; j < k; j++ {
			s.pairIdx[i*k+j] = len(s.pairs)
			s.pairs = append(s.pairs, [2]int{i, j})
		}
	}
	return s, nil
}

// chooseCoders takes the listed coders, or else everyone with a coding
// except the consensus layer, ordered by name.
func (s *agreementScope) chooseCoders() {
	name := func(id string) string {
		if n := s.in.CoderNames[id]; n != "" {
			return n
		}
		if id == coding.ConsensusCoder {
			return "consensus"
		}
		return id
	}
	if len(s.opt.Coders) > 0 {
		s.coders = slices.Clone(s.opt.Coders)
	} else {
		seen := map[string]bool{}
		last := int32(-1)
		for _, r := range s.spans.Rows {
			if r.Coder == last {
				continue
			}
			last = r.Coder
			if id := s.spans.CoderIDs[r.Coder]; id != coding.ConsensusCoder && !seen[id] {
				seen[id] = true
				s.coders = append(s.coders, id)
			}
		}
		// A coder who read their documents and coded nothing is a
		// coder too.
		for _, a := range s.in.Assignments {
			if a.Counts() && a.Coder != coding.ConsensusCoder && !seen[a.Coder] {
				seen[a.Coder] = true
				s.coders = append(s.coders, a.Coder)
			}
		}
		slices.SortFunc(s.coders, func(a, b string) int {
			if c := strings.Compare(name(a), name(b)); c != 0 {
				return c
			}
			return strings.Compare(a, b)
		})
		if len(s.coders) > coding.MaxAgreementCoders {
			s.coders = s.coders[:coding.MaxAgreementCoders]
		}
	}
	s.names = make([]string, len(s.coders))
	for i, id := range s.coders {
		s.names[i] = name(id)
	}
}

// lineage returns id and its ancestors up to the edge of the scope.
func lineage(cb *coding.Codebook, id string, inScope func(string) bool) []string {
	var out []string
	for steps := 0; id != "" && inScope(id) && steps <= cb.Len(); steps++ {
		out = append(out, id)
		c, ok := cb.Code(id)
		if !ok {
			break
		}
		id = c.ParentID
	}
	return out
}

// describe fills in what every unit reports the same way.
func (s *agreementScope) describe(r *Report) {
	r.Options.Coders = slices.Clone(s.coders)
	r.Coders = make([]Coder, len(s.coders))
	for i, id := range s.coders {
		n := 0
		for _, c := range s.cover {
			if c&(1<<i) != 0 {
				n++
			}
		}
		r.Coders[i] = Coder{ID: id, Name: s.names[i], Documents: n}
	}
	r.UnusedCodes = append([]string{}, s.unused...)
	r.DocumentsBasis, r.DocumentsNote = s.basis, s.basisNote(s.basis)
	r.Warnings = append([]Warning{}, s.warnings...)
	r.Matrix.Codes = make([]string, len(s.rows))
	for i, c := range s.rows {
		r.Matrix.Codes[i] = c.ID
	}
	r.Matrix.Pairs = make([][2]string, len(s.pairs))
	for i, p := range s.pairs {
		r.Matrix.Pairs[i] = [2]string{s.coders[p[0]], s.coders[p[1]]}
	}
}

// codeRow returns the report row of row r with figures f.
func (s *agreementScope) codeRow(r int, f Figures) CodeAgreement {
	return CodeAgreement{Code: s.rows[r].ID, Path: s.in.Codebook.PathString(s.rows[r].ID), Rollup: s.rollup[r], Figures: f}
}

func (s *agreementScope) docRow(d int, f Figures) DocumentAgreement {
	return DocumentAgreement{Document: s.docs[d].ID, Title: s.docs[d].Title, Figures: f}
}

func (s *agreementScope) pairRow(p int, f Figures) PairAgreement {
	return PairAgreement{A: s.coders[s.pairs[p][0]], B: s.coders[s.pairs[p][1]], Figures: f}
}

// pairCoders returns the ids of pair p's coders.
func (s *agreementScope) pairCoders(p int) []string {
	return []string{s.coders[s.pairs[p][0]], s.coders[s.pairs[p][1]]}
}
