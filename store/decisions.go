package store

import (
	"errors"
	"sort"

	"github.com/concordqda/concord/coding"
	bolt "go.etcd.io/bbolt"
)

// errUnchanged refuses a SetDecision that would store what is already
// stored, so that the transaction writes nothing.
var errUnchanged = errors.New("store: decision unchanged")

// SetDecision records a lead's decision on a review case, replacing the
// decision on the same key if there is one. It fills in d.By (actor) and
// d.At. A decision already recorded exactly so changes nothing and writes
// no event (the returned event is then nil, and d gets the stored By and
// At): the lead who decided first stays on record, and a client that sends
// a decision again (a retry, a browser handing over its old local list)
// does not fill the log.
func (db *DB) SetDecision(projectID string, d *coding.Decision, actor string) (*coding.Event, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	key := []byte(d.Key)
	var stored coding.Decision
	events, err := db.update(func(w *writeTx) error {
		pb, st, err := w.projectState(projectID)
		if err != nil {
			return err
		}
		doc, ok := st.docs[d.Document]
		if !ok {
			return refuse(coding.Errorf(coding.ENOTFOUND, "document %s does not exist", d.Document))
		}
		if d.End > doc.Length {
			return refuse(coding.Errorf(coding.EINVALID, "the case [%d, %d) reaches past the end of %q (%d characters)", d.Start, d.End, doc.Title, doc.Length))
		}
		if _, ok := st.codebook.Code(d.Code); !ok {
			return refuse(coding.Errorf(coding.ENOTFOUND, "code %s does not exist in this project", d.Code))
		}
		if b := pb.Bucket(bucketDecisions); b != nil {
			if old := b.Get(key); old != nil {
				stored = coding.Decision{}
				if err := decodeJSON(old, &stored); err != nil {
					return err
				}
				if stored.SameCase(d) {
					return refuse(errUnchanged)
				}
			}
		}
		b, err := decisionsBucket(pb)
		if err != nil {
			return err
		}
		d.By, d.At = actor, w.now
		data, err := encodeJSON(d)
		if err != nil {
			return err
		}
		if err := b.Put(key, data); err != nil {
			return err
		}
		return w.event(pb, projectID, coding.EventDecisionSet, actor, coding.ConsensusCoder, d)
	})
	if errors.Is(err, errUnchanged) {
		*d = stored
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &events[0], nil
}

// ClearDecision removes the decision on a case, reopening it, and returns
// the decision as it was.
func (db *DB) ClearDecision(projectID, key, actor string) (*coding.Decision, *coding.Event, error) {
	notFound := coding.Errorf(coding.ENOTFOUND, "there is no decision on the case %.60q", key)
	if key == "" || len(key) > coding.MaxDecisionKey {
		return nil, nil, notFound
	}
	var gone coding.Decision
	events, err := db.update(func(w *writeTx) error {
		pb, err := w.project(projectID)
		if err != nil {
			return err
		}
		b := pb.Bucket(bucketDecisions)
		if b == nil {
			return refuse(notFound)
		}
		v := b.Get([]byte(key))
		if v == nil {
			return refuse(notFound)
		}
		gone = coding.Decision{}
		if err := decodeJSON(v, &gone); err != nil {
			return err
		}
		if err := b.Delete([]byte(key)); err != nil {
			return err
		}
		return w.event(pb, projectID, coding.EventDecisionCleared, actor, coding.ConsensusCoder, &gone)
	})
	if err != nil {
		return nil, nil, err
	}
	return &gone, &events[0], nil
}

// Decisions returns a project's decisions, those about one document only
// when document is not "", in document order: by document, then span.
func (db *DB) Decisions(projectID, document string) ([]coding.Decision, error) {
	out := []coding.Decision{}
	err := db.view(projectID, func(tx *bolt.Tx, pb *bolt.Bucket) error {
		b := pb.Bucket(bucketDecisions)
		if b == nil {
			return nil
		}
		tr := readTrash(pb)
		return b.ForEach(func(k, v []byte) error {
			var d coding.Decision
			if err := decodeJSON(v, &d); err != nil {
				return err
			}
			if (document == "" || d.Document == document) && !tr.hasID(d.Document) {
				out = append(out, d)
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := &out[i], &out[j]
		switch {
		case a.Document != b.Document:
			return a.Document < b.Document
		case a.Start != b.Start:
			return a.Start < b.Start
		case a.End != b.End:
			return a.End < b.End
		}
		return a.Key < b.Key
	})
	return out, nil
}

// decisionsBucket returns a project's decisions bucket, creating it in a
// project made before decisions were stored (see projectBuckets).
func decisionsBucket(pb *bolt.Bucket) (*bolt.Bucket, error) {
	if b := pb.Bucket(bucketDecisions); b != nil {
		return b, nil
	}
	return pb.CreateBucket(bucketDecisions)
}
