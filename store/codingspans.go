package store

import (
	"sync"

	"github.com/concordqda/concord/coding"
	bolt "go.etcd.io/bbolt"
)

// CodingSpans returns a project's codings as spans (coding.CodingSpans),
// what an agreement report compares: no ids of codings, times or memos,
// and a fifth of the memory of Codings.
func (db *DB) CodingSpans(projectID string) (*coding.CodingSpans, error) {
	var out *coding.CodingSpans
	err := db.view(projectID, func(tx *bolt.Tx, pb *bolt.Bucket) error {
		var err error
		out, err = readCodingSpans(pb)
		return err
	})
	return out, err
}

// spanParts is how many ranges of keys readCodingSpans reads side by side.
// Keys start with the document's id, random bits, so ranges of the first
// byte hold about as many codings each.
const spanParts = 4

// readCodingSpans reads the codings of a project's live documents in
// spanParts ranges of keys at once, each in its own goroutine. Cursors of
// one read-only transaction only read the mapped file, so they may run
// side by side. The ranges' rows are joined in key order, whatever the
// number of cores.
func readCodingSpans(pb *bolt.Bucket) (*coding.CodingSpans, error) {
	b := pb.Bucket(bucketCodings)
	tr := readTrash(pb)
	type part struct {
		lo, hi []byte // hi nil: to the end
		// Rows in chunks of spanChunk: growing one slice copied each row
		// about five times.
		chunks    [][]coding.SpanRow
		n, offset int
		// The ids the range met, numbered in the order met.
		docs, codes, coders idNumbers
		err                 error
	}
	parts := make([]part, spanParts)
	for i := range parts {
		if i > 0 {
			parts[i].lo = []byte{byte(i * 256 / spanParts)}
		}
		if i < spanParts-1 {
			parts[i].hi = []byte{byte((i + 1) * 256 / spanParts)}
		}
	}
	each := func(p *part, fn func(k, v []byte) error) error {
		c := b.Cursor()
		k, v := c.First()
		if p.lo != nil {
			k, v = c.Seek(p.lo)
		}
		for ; k != nil && (p.hi == nil || k[0] < p.hi[0]); k, v = c.Next() {
			if len(k) != 32 {
				return damagedCoding(k)
			}
			if tr.has(k[:16]) {
				continue
			}
			if err := fn(k, v); err != nil {
				return err
			}
		}
		return nil
	}
	inParallel := func(fn func(p *part)) {
		var wg sync.WaitGroup
		for i := range parts {
			wg.Go(func() { fn(&parts[i]) })
		}
		wg.Wait()
	}
	// Each range numbers the ids it meets; they are joined below.
	inParallel(func(p *part) {
		p.err = each(p, func(k, v []byte) error {
			h, err := decodeCodingHead(k, v)
			if err != nil {
				return err
			}
			r := coding.SpanRow{Document: p.docs.number(k[:16]), Code: p.codes.number(h.code), Coder: p.coders.number(h.coder), Start: -1, End: -1}
			if h.start <= coding.MaxSpanOffset && h.end <= coding.MaxSpanOffset {
				r.Start, r.End = int32(h.start), int32(h.end)
			}
			if len(p.chunks) == 0 || len(p.chunks[len(p.chunks)-1]) == spanChunk {
				p.chunks = append(p.chunks, make([]coding.SpanRow, 0, spanChunk))
			}
			last := &p.chunks[len(p.chunks)-1]
			*last = append(*last, r)
			p.n++
			return nil
		})
	})
	total := 0
	for i := range parts {
		if parts[i].err != nil {
			return nil, parts[i].err
		}
		parts[i].offset = total
		total += parts[i].n
	}
	rows := make([]coding.SpanRow, total)
	sp := &coding.CodingSpans{Rows: rows}
	var docs, codes, coders idNumbers
	join := func(all *idNumbers, local *idNumbers) []int32 {
		to := make([]int32, len(local.keys))
		for n, k := range local.keys {
			to[n] = all.number(k[:])
		}
		return to
	}
	for i := range parts {
		p := &parts[i]
		if p.err != nil {
			return nil, p.err
		}
		docTo, codeTo, coderTo := join(&docs, &p.docs), join(&codes, &p.codes), join(&coders, &p.coders)
		out := rows[p.offset:p.offset]
		for _, chunk := range p.chunks {
			for _, r := range chunk {
				r.Document, r.Code, r.Coder = docTo[r.Document], codeTo[r.Code], coderTo[r.Coder]
				out = append(out, r)
			}
		}
	}
	sp.DocumentIDs, sp.CodeIDs, sp.CoderIDs = docs.ids(), codes.ids(), coders.ids()
	return sp, nil
}

// idNumbers numbers raw ids in the order they are met.
type idNumbers struct {
	index map[[16]byte]int32
	keys  [][16]byte
}

func (m *idNumbers) number(k []byte) int32 {
	if m.index == nil {
		m.index = map[[16]byte]int32{}
	}
	n, ok := m.index[[16]byte(k)]
	if !ok {
		n = int32(len(m.keys))
		m.index[[16]byte(k)] = n
		m.keys = append(m.keys, [16]byte(k))
	}
	return n
}

// ids returns the text of the ids, by number.
func (m *idNumbers) ids() []string {
	out := make([]string, len(m.keys))
	for i, k := range m.keys {
		out[i] = keyID(k[:])
	}
	return out
}

// spanChunk is how many rows a range collects in one allocation. A
// variable so that a test can cross chunk boundaries with few codings.
var spanChunk = 4096
