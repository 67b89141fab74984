package store

import (
	"github.com/concordqda/concord/coding"
	bolt "go.etcd.io/bbolt"
)

// projectState is what validating a coding needs, kept decoded in memory
// so that the hot path does not decode the codebook for every coding. It is
// owned by the commit loop and never changed in place once shared: a
// mutation that changes codes, documents or members invalidates it and the
// next reader builds a fresh one, or changes its own copy (ownState).
type projectState struct {
	codebook *coding.Codebook
	docs     map[string]*coding.Document // without text
	members  map[string]coding.Role
}

// state returns the project's state as this transaction sees it.
func (w *writeTx) state(p *bolt.Bucket, projectID string) (*projectState, error) {
	if s, ok := w.seen[projectID]; ok && s != nil {
		return s, nil
	} else if !ok {
		if s := w.db.cache[projectID]; s != nil {
			w.seen[projectID] = s
			return s, nil
		}
	}
	s, err := loadState(p)
	if err != nil {
		return nil, err
	}
	w.seen[projectID] = s
	w.owned[projectID] = true
	return s, nil
}

// projectState returns the project's bucket and its state as this
// transaction sees it: what most mutations look up first.
func (w *writeTx) projectState(projectID string) (*bolt.Bucket, *projectState, error) {
	pb, err := w.project(projectID)
	if err != nil {
		return nil, nil, err
	}
	st, err := w.state(pb, projectID)
	if err != nil {
		return nil, nil, err
	}
	return pb, st, nil
}

// ownState returns the project's state for this transaction to change in
// place: one it built itself, or a copy of the shared one (which other
// transactions may hold and a rollback must not touch). Adding many
// documents in one transaction then costs one state, not one per document.
func (w *writeTx) ownState(p *bolt.Bucket, projectID string) (*projectState, error) {
	s, err := w.state(p, projectID)
	if err != nil || w.owned[projectID] {
		return s, err
	}
	c := &projectState{codebook: s.codebook, docs: make(map[string]*coding.Document, len(s.docs)+1), members: make(map[string]coding.Role, len(s.members))}
	for k, v := range s.docs {
		c.docs[k] = v
	}
	for k, v := range s.members {
		c.members[k] = v
	}
	w.seen[projectID] = c
	w.owned[projectID] = true
	return c, nil
}

// invalidate marks the project's cached state stale for the rest of this
// transaction and, once it commits, for everyone.
func (w *writeTx) invalidate(projectID string) {
	w.seen[projectID] = nil
	delete(w.owned, projectID)
}

// promote publishes the states of a committed transaction.
func (db *DB) promote(seen map[string]*projectState) {
	for id, s := range seen {
		if s == nil {
			delete(db.cache, id)
		} else {
			db.cache[id] = s
		}
	}
}

func (db *DB) dropCache() { clear(db.cache) }

func loadState(p *bolt.Bucket) (*projectState, error) {
	s := &projectState{docs: map[string]*coding.Document{}, members: map[string]coding.Role{}}
	var codes []coding.Code
	err := p.Bucket(bucketCodes).ForEach(func(k, v []byte) error {
		var c coding.Code
		if err := decodeJSON(v, &c); err != nil {
			return err
		}
		codes = append(codes, c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.codebook = coding.NewCodebook(codes)
	// A deleted document is not there for anything a mutation checks:
	// codings, memos, assignments and decisions on it are refused.
	tr := readTrash(p)
	err = p.Bucket(bucketDocs).ForEach(func(k, v []byte) error {
		if tr.has(k) {
			return nil
		}
		d := new(coding.Document)
		if err := decodeJSON(v, d); err != nil {
			return err
		}
		s.docs[d.ID] = d
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = p.Bucket(bucketMembers).ForEach(func(k, v []byte) error {
		s.members[keyID(k)] = coding.Role(v)
		return nil
	})
	return s, err
}
