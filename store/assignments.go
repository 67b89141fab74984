package store

import (
	"bytes"
	"errors"
	"slices"
	"time"

	"github.com/concordqda/concord/coding"
	bolt "go.etcd.io/bbolt"
)

// errNoChange refuses a mutation of assignments that would store what is
// already stored, so that the transaction writes nothing and logs no
// event.
var errNoChange = errors.New("store: assignments unchanged")

// assignmentKey is document(16) coder(16): a document's assignments are
// one cursor range.
func assignmentKey(document, coder string) ([]byte, error) {
	d, err := idKey("document", document)
	if err != nil {
		return nil, err
	}
	c, err := idKey("coder", coder)
	if err != nil {
		return nil, err
	}
	return cat(d, c), nil
}

// Assign assigns documents to coders (members who code: leads and coders)
// and returns what changed: pairs already assigned are left as they were,
// and when nothing changed no event is written (the event is then nil). A
// sample is drawn inside the transaction, from the documents as it sees
// them, so the stored documents are exactly the sample of its seed.
func (db *DB) Assign(projectID string, req coding.AssignRequest, actor string) (*coding.AssignmentChange, *coding.Event, error) {
	if err := req.Validate(); err != nil {
		return nil, nil, err
	}
	var change coding.AssignmentChange
	events, err := db.update(func(w *writeTx) error {
		pb, st, err := w.projectState(projectID)
		if err != nil {
			return err
		}
		if err := checkAssignees(st, req.Coders); err != nil {
			return err
		}
		docs := req.Documents
		if req.All || req.Sample != nil {
			docs = make([]string, 0, len(st.docs))
			for id := range st.docs {
				docs = append(docs, id)
			}
			if req.Sample != nil {
				docs = req.Sample.Draw(docs)
			}
		}
		for _, id := range docs {
			if _, ok := st.docs[id]; !ok {
				return refuse(coding.Errorf(coding.ENOTFOUND, "document %.40q does not exist in this project", id))
			}
		}
		b, err := assignmentsBucket(pb)
		if err != nil {
			return err
		}
		change = coding.AssignmentChange{Coders: []string{}, Documents: []string{}, Sample: req.Sample}
		coders, documents := map[string]bool{}, map[string]bool{}
		for _, doc := range sortedIDs(docs) {
			for _, coder := range req.Coders {
				key, err := assignmentKey(doc, coder)
				if err != nil {
					return refuse(err)
				}
				a := coding.Assignment{Document: doc, Coder: coder}
				if v := b.Get(key); v != nil {
					if err := decodeJSON(v, &a); err != nil {
						return err
					}
				}
				if a.Assigned {
					continue
				}
				a.Assigned, a.AssignedBy, a.AssignedAt = true, actor, w.now
				if err := putJSON(b, key, &a); err != nil {
					return err
				}
				if !coders[coder] {
					coders[coder] = true
					change.Coders = append(change.Coders, coder)
				}
				if !documents[doc] {
					documents[doc] = true
					change.Documents = append(change.Documents, doc)
				}
			}
		}
		if len(change.Documents) == 0 {
			return refuse(errNoChange)
		}
		return w.event(pb, projectID, coding.EventAssignmentSet, actor, "", &change)
	})
	if errors.Is(err, errNoChange) {
		return &change, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	return &change, &events[0], nil
}

// Unassign takes documents back from coders: the documents listed, or
// every document assigned to them when documents is empty. Done marks
// stay: a coder who finished a document still read it. When nothing was
// assigned no event is written (the event is then nil).
func (db *DB) Unassign(projectID string, coders, documents []string, actor string) (*coding.AssignmentChange, *coding.Event, error) {
	if len(coders) == 0 {
		return nil, nil, coding.Errorf(coding.EINVALID, "choose the coders whose assignments to clear")
	}
	wantCoder := map[string]bool{}
	for _, c := range coders {
		wantCoder[c] = true
	}
	wantDoc := map[string]bool{}
	for _, d := range documents {
		wantDoc[d] = true
	}
	var change coding.AssignmentChange
	events, err := db.update(func(w *writeTx) error {
		pb, st, err := w.projectState(projectID)
		if err != nil {
			return err
		}
		// Coders need not be members any more: a lead may tidy up the
		// assignments of someone who left.
		for _, d := range documents {
			if _, ok := st.docs[d]; !ok {
				return refuse(coding.Errorf(coding.ENOTFOUND, "document %.40q does not exist in this project", d))
			}
		}
		change = coding.AssignmentChange{Coders: []string{}, Documents: []string{}}
		b := pb.Bucket(bucketAssignments)
		if b == nil {
			return refuse(errNoChange)
		}
		type edit struct {
			key []byte
			a   coding.Assignment
		}
		var edits []edit // changed after the cursor is done with the bucket
		err = b.ForEach(func(k, v []byte) error {
			var a coding.Assignment
			if err := decodeJSON(v, &a); err != nil {
				return err
			}
			if a.Assigned && wantCoder[a.Coder] && (len(documents) == 0 || wantDoc[a.Document]) {
				edits = append(edits, edit{append([]byte(nil), k...), a})
			}
			return nil
		})
		if err != nil {
			return err
		}
		if len(edits) == 0 {
			return refuse(errNoChange)
		}
		seenCoder, seenDoc := map[string]bool{}, map[string]bool{}
		for _, e := range edits {
			a := e.a
			a.Assigned, a.AssignedBy, a.AssignedAt = false, "", time.Time{}
			if a.Counts() {
				err = putJSON(b, e.key, &a)
			} else {
				err = b.Delete(e.key)
			}
			if err != nil {
				return err
			}
			if !seenCoder[a.Coder] {
				seenCoder[a.Coder] = true
				change.Coders = append(change.Coders, a.Coder)
			}
			if !seenDoc[a.Document] {
				seenDoc[a.Document] = true
				change.Documents = append(change.Documents, a.Document)
			}
		}
		return w.event(pb, projectID, coding.EventAssignmentCleared, actor, "", &change)
	})
	if errors.Is(err, errNoChange) {
		return &change, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	return &change, &events[0], nil
}

// SetDone marks a document done by a coder (done) or takes the mark back
// (!done), and returns the coder's assignment after the change. A mark
// already so changes nothing and writes no event (the event is then nil).
// The event belongs to the coder's layer, so blind projects hide it from
// the other coders.
func (db *DB) SetDone(projectID, document, coder string, done bool, actor string) (*coding.Assignment, *coding.Event, error) {
	key, err := assignmentKey(document, coder)
	if err != nil {
		return nil, nil, err
	}
	var a coding.Assignment
	events, err := db.update(func(w *writeTx) error {
		pb, st, err := w.projectState(projectID)
		if err != nil {
			return err
		}
		if _, ok := st.docs[document]; !ok {
			return refuse(coding.Errorf(coding.ENOTFOUND, "document %s does not exist", document))
		}
		if err := checkAssignees(st, []string{coder}); err != nil {
			return err
		}
		b, err := assignmentsBucket(pb)
		if err != nil {
			return err
		}
		a = coding.Assignment{Document: document, Coder: coder}
		if v := b.Get(key); v != nil {
			if err := decodeJSON(v, &a); err != nil {
				return err
			}
		}
		if a.Done == done {
			return refuse(errNoChange)
		}
		a.Done, a.DoneAt = done, w.now
		typ := coding.EventDocumentDone
		if !done {
			a.DoneAt, typ = time.Time{}, coding.EventDocumentUndone
		}
		if a.Counts() {
			err = putJSON(b, key, &a)
		} else {
			err = b.Delete(key)
		}
		if err != nil {
			return err
		}
		return w.event(pb, projectID, typ, actor, coder, &coding.DoneMark{Document: document, Coder: coder, At: a.DoneAt})
	})
	if errors.Is(err, errNoChange) {
		return &a, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	return &a, &events[0], nil
}

// Assignments returns a project's assignments and done marks, by document
// (in key order) and coder.
func (db *DB) Assignments(projectID string) ([]coding.Assignment, error) {
	out := []coding.Assignment{}
	err := db.view(projectID, func(tx *bolt.Tx, pb *bolt.Bucket) error {
		b := pb.Bucket(bucketAssignments)
		if b == nil {
			return nil
		}
		tr := readTrash(pb)
		return b.ForEach(func(k, v []byte) error {
			if tr.has(k[:16]) {
				return nil
			}
			var a coding.Assignment
			if err := decodeJSON(v, &a); err != nil {
				return err
			}
			out = append(out, a)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// checkAssignees refuses coders who are not members who code: a viewer
// reads but is never compared, and the consensus layer is a lead's work.
func checkAssignees(st *projectState, coders []string) error {
	seen := map[string]bool{}
	for _, c := range coders {
		role, ok := st.members[c]
		switch {
		case !ok:
			return refuse(coding.Errorf(coding.ENOTFOUND, "%.40q is not a member of this project", c))
		case role != coding.RoleLead && role != coding.RoleCoder:
			return refuse(coding.Errorf(coding.EINVALID, "a %s does not code, so cannot be given documents to code", role))
		case seen[c]:
			return refuse(coding.Errorf(coding.EINVALID, "coder %s is listed twice", c))
		}
		seen[c] = true
	}
	return nil
}

// sortedIDs returns ids in key order (bbolt's), so that a change lists
// its documents in the order Assignments does.
func sortedIDs(ids []string) []string {
	type keyed struct {
		key []byte
		id  string
	}
	ks := make([]keyed, 0, len(ids))
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		k, err := idKey("document", id)
		if err != nil {
			k = []byte(id)
		}
		ks = append(ks, keyed{k, id})
	}
	slices.SortFunc(ks, func(a, b keyed) int { return bytes.Compare(a.key, b.key) })
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = k.id
	}
	return out
}

// putJSON stores v under key.
func putJSON(b *bolt.Bucket, key []byte, v any) error {
	data, err := encodeJSON(v)
	if err != nil {
		return err
	}
	return b.Put(key, data)
}

// assignmentsBucket returns a project's assignments bucket, creating it in
// a project made before assignments were stored (see projectBuckets).
func assignmentsBucket(pb *bolt.Bucket) (*bolt.Bucket, error) {
	if b := pb.Bucket(bucketAssignments); b != nil {
		return b, nil
	}
	return pb.CreateBucket(bucketAssignments)
}
