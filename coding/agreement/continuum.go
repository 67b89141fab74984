package agreement

import (
	"cmp"
	"math"
	"slices"
	"sort"

	"github.com/concordqda/concord/coding"
)

// Span is one unit a coder identified on a continuum: the half-open
// interval [Start, End) coded with Category. For text the positions are
// code point offsets, as for Coding.
type Span struct {
	Coder    string `json:"coder"`
	Category string `json:"category"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
}

// Continuum is what the unitizing coefficients compare: the stretch
// [Begin, Begin+Length) that every coder read in full (a document's text,
// say) and the spans they marked in it.
type Continuum struct {
	Begin  int    `json:"begin"`
	Length int    `json:"length"`
	Spans  []Span `json:"spans"`
	// Coders optionally lists who coded the continuum. A coder who read it
	// and marked nothing must be listed to count; without the list the
	// coders are those with at least one span.
	Coders []string `json:"coders,omitempty"`
}

// maxContinuum bounds positions so that Begin+Length cannot overflow an int
// and cubed lengths stay far from float64's range.
const maxContinuum = 1 << 40

// Validate reports whether every span lies inside the continuum, is not
// empty, and names a coder and a category (a listed coder, if Coders is
// given).
func (c Continuum) Validate() error {
	if c.Length <= 0 {
		return coding.Errorf(coding.EINVALID, "the continuum is empty")
	}
	if c.Length > maxContinuum || c.Begin < -maxContinuum || c.Begin > maxContinuum {
		return coding.Errorf(coding.EINVALID, "the continuum is too long")
	}
	listed := map[string]bool{}
	for _, name := range c.Coders {
		if name == "" {
			return coding.Errorf(coding.EINVALID, "a listed coder has no name")
		}
		if listed[name] {
			return coding.Errorf(coding.EINVALID, "coder %q is listed twice", clip(name))
		}
		listed[name] = true
	}
	end := c.Begin + c.Length
	for i, s := range c.Spans {
		switch {
		case s.Coder == "":
			return coding.Errorf(coding.EINVALID, "span %d has no coder", i+1)
		case s.Category == "":
			return coding.Errorf(coding.EINVALID, "span %d has no code", i+1)
		case len(c.Coders) > 0 && !listed[s.Coder]:
			return coding.Errorf(coding.EINVALID, "span %d is by %q, who is not among the coders", i+1, clip(s.Coder))
		case s.Start >= s.End:
			return coding.Errorf(coding.EINVALID, "span %d [%d, %d) is empty", i+1, s.Start, s.End)
		case s.Start < c.Begin || s.End > end:
			return coding.Errorf(coding.EINVALID, "span %d [%d, %d) lies outside the continuum [%d, %d)", i+1, s.Start, s.End, c.Begin, end)
		}
	}
	return nil
}

// coders returns the listed coders, or else those with a span, sorted.
func (c Continuum) coders() []string {
	if len(c.Coders) > 0 {
		return c.Coders
	}
	seen := map[string]bool{}
	var names []string
	for _, s := range c.Spans {
		if !seen[s.Coder] {
			seen[s.Coder] = true
			names = append(names, s.Coder)
		}
	}
	sort.Strings(names)
	return names
}

// categories returns the distinct categories of the spans, sorted.
func (c Continuum) categories() []string {
	seen := map[string]bool{}
	var names []string
	for _, s := range c.Spans {
		if !seen[s.Category] {
			seen[s.Category] = true
			names = append(names, s.Category)
		}
	}
	sort.Strings(names)
	return names
}

// segment is one piece of a coder's partition of the continuum: a unit
// with value ≥ 1, or a gap (value 0) between units.
type segment struct {
	start, end int
	value      int
}

func (s segment) length() float64 { return float64(s.end - s.start) }

// partitions splits each coder's continuum into units and the gaps between
// them. value maps a span to its value, or to 0 to leave it out. Adjacent
// units stay separate units. The second result names a coder whose kept
// units overlap, which a partition cannot represent.
func (c Continuum) partitions(coders []string, value func(Span) int) ([][]segment, string) {
	index := make(map[string]int, len(coders))
	for i, name := range coders {
		index[name] = i
	}
	// Count each coder's spans first: grown by appending, the copies of a
	// whole project's spans cost more than the partition.
	counts := make([]int, len(coders))
	for _, s := range c.Spans {
		if i, ok := index[s.Coder]; ok {
			counts[i]++
		}
	}
	units := make([][]segment, len(coders))
	for i, n := range counts {
		units[i] = make([]segment, 0, n)
	}
	for _, s := range c.Spans {
		i, ok := index[s.Coder]
		if !ok {
			continue
		}
		if v := value(s); v > 0 {
			units[i] = append(units[i], segment{s.Start, s.End, v})
		}
	}
	parts := make([][]segment, len(coders))
	for i, us := range units {
		slices.SortFunc(us, func(a, b segment) int { return cmp.Compare(a.start, b.start) })
		pos := c.Begin
		part := make([]segment, 0, 2*len(us)+1)
		for _, u := range us {
			if u.start < pos {
				return nil, coders[i]
			}
			if u.start > pos {
				part = append(part, segment{pos, u.start, 0})
			}
			part = append(part, u)
			pos = u.end
		}
		if end := c.Begin + c.Length; pos < end {
			part = append(part, segment{pos, end, 0})
		}
		parts[i] = part
	}
	return parts, ""
}

// overlaps calls fn with the indices of every pair of segments of a and b
// that share at least one position, and the length they share. Both must
// be partitions of the same continuum, so a two-pointer walk visits each
// pair once.
func overlaps(a, b []segment, fn func(i, j int, shared float64)) {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		g, h := a[i], b[j]
		if lo, hi := max(g.start, h.start), min(g.end, h.end); lo < hi {
			fn(i, j, float64(hi-lo))
		}
		if g.end <= h.end {
			i++
		} else {
			j++
		}
	}
}

func square(x float64) float64 { return x * x }

// finite guards results of long float sums.
func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
