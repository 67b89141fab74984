package store

import (
	"fmt"
	"sort"

	"github.com/concordqda/concord/coding"
	bolt "go.etcd.io/bbolt"
)

// readOrder returns the project's document order as id → position; nil
// when a lead never set one.
func readOrder(pb *bolt.Bucket) (map[string]int, error) {
	v := pb.Get(keyDocOrder)
	if v == nil {
		return nil, nil
	}
	var ids []string
	if err := decodeJSON(v, &ids); err != nil {
		return nil, err
	}
	pos := make(map[string]int, len(ids))
	for i, id := range ids {
		pos[id] = i
	}
	return pos, nil
}

// sortDocuments puts docs in the project's order: those the order places
// first, then the rest (added since it was set) by title.
func sortDocuments(docs []coding.Document, order map[string]int) {
	sort.SliceStable(docs, func(i, j int) bool {
		pi, oi := order[docs[i].ID]
		pj, oj := order[docs[j].ID]
		switch {
		case oi && oj:
			return pi < pj
		case oi != oj:
			return oi
		}
		return docs[i].Title < docs[j].Title
	})
}

// SetDocumentOrder stores the order of a project's documents. ids must
// name every document not in the trash exactly once; deleted documents
// keep a place after them, so that a restored one comes back at the end.
func (db *DB) SetDocumentOrder(projectID string, ids []string, actor string) (*coding.Event, error) {
	events, err := db.update(func(w *writeTx) error {
		pb, st, err := w.projectState(projectID)
		if err != nil {
			return err
		}
		seen := make(map[string]bool, len(ids))
		for _, id := range ids {
			if _, ok := st.docs[id]; !ok {
				return refuse(coding.Errorf(coding.EINVALID, "the order names %.40q, which is not a document of this project", id))
			}
			if seen[id] {
				return refuse(coding.Errorf(coding.EINVALID, "the order names document %q twice", st.docs[id].Title))
			}
			seen[id] = true
		}
		if len(ids) != len(st.docs) {
			for id, d := range st.docs {
				if !seen[id] {
					return refuse(coding.Errorf(coding.EINVALID, "the order leaves out document %q; list every document once", d.Title))
				}
			}
		}
		old, err := readOrder(pb)
		if err != nil {
			return err
		}
		stored := append([]string(nil), ids...)
		var rest []string
		tr := readTrash(pb)
		for id := range old {
			if !seen[id] && tr.hasID(id) {
				rest = append(rest, id)
			}
		}
		sort.Slice(rest, func(i, j int) bool { return old[rest[i]] < old[rest[j]] })
		data, err := encodeJSON(append(stored, rest...))
		if err != nil {
			return err
		}
		if err := pb.Put(keyDocOrder, data); err != nil {
			return err
		}
		return w.event(pb, projectID, coding.EventDocumentsReordered, actor, "", map[string]any{"order": ids})
	})
	if err != nil {
		return nil, err
	}
	return &events[0], nil
}

// order checks the stored document order: ids of the project's documents,
// each once.
func (v *projectVerifier) order() error {
	val := v.pb.Get(keyDocOrder)
	if val == nil {
		return nil
	}
	var ids []string
	if p := decodeStrict(val, &ids); p != "" {
		return &DamageError{Where: v.name, Key: showKey(keyDocOrder), Problem: p}
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if v.docs[id] == nil || seen[id] {
			return &DamageError{Where: v.name, Key: showKey(keyDocOrder), Problem: fmt.Sprintf("the order names %q, which is not a document or is named twice", id)}
		}
		seen[id] = true
	}
	return nil
}
