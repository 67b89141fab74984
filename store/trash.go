package store

import (
	"bytes"
	"sort"
	"time"

	"github.com/concordqda/concord/coding"
	bolt "go.etcd.io/bbolt"
)

// trashRecord is what the trash keeps of a deletion; the document itself
// stays in its buckets.
type trashRecord struct {
	Deleted time.Time `json:"deleted"`
	By      string    `json:"by"`
}

// trash is the set of a project's deleted documents, by 16-byte key. It is
// nil when the trash is empty, so that reads of a project that never
// deleted anything pay one lookup.
type trash map[string]bool

func readTrash(pb *bolt.Bucket) trash {
	b := pb.Bucket(bucketTrash)
	if b == nil {
		return nil
	}
	var t trash
	b.ForEach(func(k, _ []byte) error {
		if t == nil {
			t = trash{}
		}
		t[string(k)] = true
		return nil
	})
	return t
}

// has reports whether the document with the 16-byte key k is deleted.
func (t trash) has(k []byte) bool { return t != nil && t[string(k)] }

// hasID is has for a textual id.
func (t trash) hasID(id string) bool {
	if t == nil {
		return false
	}
	k, err := idKey("document", id)
	return err == nil && t[string(k)]
}

// DeleteDocument moves a document to the project's trash: out of every
// list, count, agreement, search and export, with its codings, memos,
// assignments and decisions kept as they are so that RestoreDocument
// brings them all back.
func (db *DB) DeleteDocument(projectID, id, actor string) (*coding.TrashedDocument, *coding.Event, error) {
	key, err := idKey("document", id)
	if err != nil {
		return nil, nil, err
	}
	var out *coding.TrashedDocument
	events, err := db.update(func(w *writeTx) error {
		pb, st, err := w.projectState(projectID)
		if err != nil {
			return err
		}
		d, ok := st.docs[id]
		if !ok {
			return refuse(coding.Errorf(coding.ENOTFOUND, "document %s does not exist (or is already in the trash)", id))
		}
		b, err := pb.CreateBucketIfNotExists(bucketTrash)
		if err != nil {
			return err
		}
		rec := trashRecord{Deleted: w.now, By: actor}
		data, err := encodeJSON(&rec)
		if err != nil {
			return err
		}
		if err := b.Put(key, data); err != nil {
			return err
		}
		w.invalidate(projectID)
		out = &coding.TrashedDocument{Document: *d, Deleted: rec.Deleted, By: actor}
		return w.event(pb, projectID, coding.EventDocumentDeleted, actor, "", out)
	})
	if err != nil {
		return nil, nil, err
	}
	return out, &events[0], nil
}

// RestoreDocument takes a document out of the trash, with everything that
// went with it. A document titled the same that was added since must be
// renamed first: titles are unique among a project's documents.
func (db *DB) RestoreDocument(projectID, id, actor string) (*coding.Document, *coding.Event, error) {
	key, err := idKey("document", id)
	if err != nil {
		return nil, nil, err
	}
	var out *coding.Document
	events, err := db.update(func(w *writeTx) error {
		pb, st, err := w.projectState(projectID)
		if err != nil {
			return err
		}
		b := pb.Bucket(bucketTrash)
		if b == nil || b.Get(key) == nil {
			return refuse(coding.Errorf(coding.ENOTFOUND, "document %s is not in the trash", id))
		}
		d := new(coding.Document)
		if err := decodeJSON(pb.Bucket(bucketDocs).Get(key), d); err != nil {
			return err
		}
		for _, other := range st.docs {
			if titleClash(other.Title, d.Title) {
				return refuse(coding.Errorf(coding.ECONFLICT, "a document titled %q was added since this one was deleted; rename that one first", d.Title))
			}
		}
		if err := b.Delete(key); err != nil {
			return err
		}
		w.invalidate(projectID)
		out = d
		return w.event(pb, projectID, coding.EventDocumentRestored, actor, "", d)
	})
	if err != nil {
		return nil, nil, err
	}
	return out, &events[0], nil
}

// Trash lists a project's deleted documents, most recently deleted first,
// with how many codings and memos each holds.
func (db *DB) Trash(projectID string) ([]coding.TrashedDocument, error) {
	out := []coding.TrashedDocument{}
	err := db.view(projectID, func(tx *bolt.Tx, pb *bolt.Bucket) error {
		b := pb.Bucket(bucketTrash)
		if b == nil {
			return nil
		}
		memosByDoc := map[string]int{}
		if err := pb.Bucket(bucketMemos).ForEach(func(k, v []byte) error {
			var m coding.Memo
			if err := decodeJSON(v, &m); err != nil {
				return err
			}
			if m.DocumentID != "" {
				memosByDoc[m.DocumentID]++
			}
			return nil
		}); err != nil {
			return err
		}
		return b.ForEach(func(k, v []byte) error {
			var rec trashRecord
			if err := decodeJSON(v, &rec); err != nil {
				return err
			}
			t := coding.TrashedDocument{Deleted: rec.Deleted, By: rec.By}
			if err := decodeJSON(pb.Bucket(bucketDocs).Get(k), &t.Document); err != nil {
				return err
			}
			cur := pb.Bucket(bucketCodings).Cursor()
			for ck, _ := cur.Seek(k); ck != nil && bytes.HasPrefix(ck, k); ck, _ = cur.Next() {
				t.Codings++
			}
			t.Memos = memosByDoc[t.Document.ID]
			out = append(out, t)
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].Deleted.After(out[j].Deleted) })
	return out, err
}

// trash checks the deleted documents: each is a document of the project,
// which a restore brings back.
func (v *projectVerifier) trash() error {
	b := v.pb.Bucket(bucketTrash)
	if b == nil {
		return nil // a project that never deleted a document
	}
	return records(b, v.where(bucketTrash), func(k, val []byte) string {
		if len(k) != 16 {
			return badKey(k, 16)
		}
		var rec trashRecord
		if p := decodeStrict(val, &rec); p != "" {
			return p
		}
		if v.docs[keyID(k)] == nil {
			return "the trash holds a document that does not exist"
		}
		return ""
	})
}
