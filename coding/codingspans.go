package coding

// CodingSpans are codings as agreement reads them: each coding's document,
// code and coder as an index into the lists of ids, and its span. A row is
// 20 bytes without pointers, against some 170 bytes and three strings for a
// Coding with its id: on a project of 200,000 codings a report that reads
// spans instead allocates 30 MB less, which the garbage collector need not
// scan and the operating system need not map.
type CodingSpans struct {
	DocumentIDs []string
	CodeIDs     []string
	CoderIDs    []string
	Rows        []SpanRow
}

// SpanRow is one coding in CodingSpans.
type SpanRow struct {
	Document, Code, Coder int32
	Start, End            int32
}

// SpansOf returns codings as spans, row i being codings[i]. A span that
// does not fit in 32 bits is kept as −1, which no document holds.
func SpansOf(codings []Coding) *CodingSpans {
	sp := &CodingSpans{Rows: make([]SpanRow, len(codings))}
	docs, codes, coders := map[string]int32{}, map[string]int32{}, map[string]int32{}
	index := func(m map[string]int32, ids *[]string, id string) int32 {
		i, ok := m[id]
		if !ok {
			i = int32(len(*ids))
			m[id] = i
			*ids = append(*ids, id)
		}
		return i
	}
	for i := range codings {
		c := &codings[i]
		r := SpanRow{
			Document: index(docs, &sp.DocumentIDs, c.DocumentID),
			Code:     index(codes, &sp.CodeIDs, c.CodeID),
			Coder:    index(coders, &sp.CoderIDs, c.CoderID),
			Start:    -1, End: -1,
		}
		if c.Start >= 0 && c.End <= MaxSpanOffset {
			r.Start, r.End = int32(c.Start), int32(c.End)
		}
		sp.Rows[i] = r
	}
	return sp
}

// MaxSpanOffset is the largest offset a SpanRow holds; whoever makes rows
// keeps a larger span as −1, which no document holds.
const MaxSpanOffset = 1<<31 - 1
