package store

import (
	"github.com/concordqda/concord/coding"
	bolt "go.etcd.io/bbolt"
)

// Progress returns, per document and coder, how many codings the coder
// made and how far into the document they reach. The documents list asks
// for it on every visit, so it reads only what it counts from each record
// (the document from the key, the coder and end from the value) instead of
// decoding whole codings with their four ids as text.
func (db *DB) Progress(projectID string) (map[string]map[string]*coding.Progress, error) {
	type pair struct{ doc, coder [16]byte }
	counts := map[pair]*coding.Progress{}
	err := db.view(projectID, func(tx *bolt.Tx, pb *bolt.Bucket) error {
		tr := readTrash(pb)
		return pb.Bucket(bucketCodings).ForEach(func(k, v []byte) error {
			if tr.has(k[:16]) {
				return nil
			}
			h, err := decodeCodingHead(k, v)
			if err != nil {
				return err
			}
			var p pair
			copy(p.doc[:], k[:16])
			copy(p.coder[:], h.coder)
			c := counts[p]
			if c == nil {
				c = &coding.Progress{}
				counts[p] = c
			}
			c.Codings++
			c.Reached = max(c.Reached, int(h.end))
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]*coding.Progress{}
	for p, c := range counts {
		doc := keyID(p.doc[:])
		if out[doc] == nil {
			out[doc] = map[string]*coding.Progress{}
		}
		out[doc][keyID(p.coder[:])] = c
	}
	return out, nil
}
