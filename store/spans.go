package store

import (
	"bytes"
	"strings"

	"github.com/concordqda/concord/coding"
	bolt "go.etcd.io/bbolt"
)

// spanKey identifies a coding's code, coder and span within a document:
// two codings with the same key are duplicates.
type spanKey struct {
	code, coder [16]byte
	start, end  uint32
}

// spanIndex maps the span keys of one document's codings to coding ids.
//
// It is the duplicate check, kept in memory by the commit loop rather than
// in a bucket: coders code all over a document, so an on-disk index
// ordered by span dirtied a different page for nearly every coding and
// doubled the pages each commit wrote. It is loaded from the document's
// codings on first use and changed in place as codings are written, with
// an undo log: a transaction that rolls back undoes its changes, and drops
// the indexes it loaded (they may hold its uncommitted writes).
type spanIndex map[spanKey][16]byte

// spanUndo restores one entry of an index.
type spanUndo struct {
	idx spanIndex
	key spanKey
	old [16]byte
	had bool
}

func makeSpanKey(code, coder []byte, start, end int) spanKey {
	var k spanKey
	copy(k.code[:], code)
	copy(k.coder[:], coder)
	k.start, k.end = uint32(start), uint32(end)
	return k
}

// spans returns the span index of a document as this transaction sees it.
func (w *writeTx) spans(pb *bolt.Bucket, projectID string, doc []byte) (spanIndex, error) {
	key := projectID + string(doc)
	if idx, ok := w.db.spans[key]; ok {
		return idx, nil
	}
	w.loaded = append(w.loaded, key)
	idx := spanIndex{}
	cur := pb.Bucket(bucketCodings).Cursor()
	for k, v := cur.Seek(doc); k != nil && bytes.HasPrefix(k, doc); k, v = cur.Next() {
		var c coding.Coding
		if err := decodeCoding(k, v, projectID, &c, nil); err != nil {
			return nil, err
		}
		var id [16]byte
		copy(id[:], k[16:])
		idx[makeSpanKey(v[1:17], v[17:33], c.Start, c.End)] = id
	}
	w.db.spans[key] = idx
	return idx, nil
}

// dropSpans forgets the indexes of a project's documents, for a project
// that is removed.
func (w *writeTx) dropSpans(projectID string) {
	for key := range w.db.spans {
		if strings.HasPrefix(key, projectID) {
			delete(w.db.spans, key)
		}
	}
}

func (w *writeTx) setSpan(idx spanIndex, k spanKey, id []byte) {
	old, had := idx[k]
	w.undo = append(w.undo, spanUndo{idx, k, old, had})
	idx[k] = [16]byte(id)
}

func (w *writeTx) deleteSpan(idx spanIndex, k spanKey) {
	if old, had := idx[k]; had {
		w.undo = append(w.undo, spanUndo{idx, k, old, true})
		delete(idx, k)
	}
}

// rollbackSpans undoes a failed transaction's changes to the indexes.
func (db *DB) rollbackSpans(w *writeTx) {
	for i := len(w.undo) - 1; i >= 0; i-- {
		u := w.undo[i]
		if u.had {
			u.idx[u.key] = u.old
		} else {
			delete(u.idx, u.key)
		}
	}
	for _, key := range w.loaded {
		delete(db.spans, key)
	}
}
