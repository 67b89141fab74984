package store

import (
	"encoding/json"
	"time"

	"github.com/concordqda/concord/coding"
	bolt "go.etcd.io/bbolt"
)

// AddCoding validates and stores one coding, and returns its event.
func (db *DB) AddCoding(c *coding.Coding, actor string) (*coding.Event, error) {
	// Fill in what the commit loop would and encode the payload here, in
	// the caller's goroutine, so the loop only validates and writes.
	if c.ID == "" {
		c.ID = newID()
	}
	if c.Created.IsZero() {
		c.Created = time.Now().UTC()
	}
	raw, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	events, err := db.update(func(w *writeTx) error { return w.addCoding(c, actor, raw) })
	if err != nil {
		return nil, err
	}
	return &events[0], nil
}

// AddCodings stores several codings in one transaction: all or none.
func (db *DB) AddCodings(cs []coding.Coding, actor string) ([]coding.Event, error) {
	return db.update(func(w *writeTx) error {
		for i := range cs {
			if err := w.addCoding(&cs[i], actor, nil); err != nil {
				if len(cs) > 1 {
					return coding.Errorf(coding.ErrorCode(err), "coding %d of %d: %s", i+1, len(cs), coding.ErrorMessage(err))
				}
				return err
			}
		}
		return nil
	})
}

// keys holds the 16-byte forms of a coding's ids.
type codingKeys struct{ id, doc, code, coder []byte }

func (w *writeTx) codingContext(c *coding.Coding) (*bolt.Bucket, codingKeys, error) {
	var k codingKeys
	pb, st, err := w.projectState(c.ProjectID)
	if err != nil {
		return nil, k, err
	}
	if _, ok := st.docs[c.DocumentID]; !ok && readTrash(pb).hasID(c.DocumentID) {
		// Said plainly: a coder's browser shows this beside the coding it
		// keeps unsent.
		return nil, k, coding.Errorf(coding.ENOTFOUND, "this document was deleted (a lead can restore it from the trash); the coding was not saved")
	}
	if err := coding.ValidateCoding(c, st.docs[c.DocumentID], st.codebook); err != nil {
		return nil, k, err
	}
	if c.CoderID != coding.ConsensusCoder && !st.members[c.CoderID].CanCode() {
		return nil, k, coding.Errorf(coding.EFORBIDDEN, "user %s is not a coder in this project", c.CoderID)
	}
	if k.id, err = idKey("coding", c.ID); err != nil {
		return nil, k, err
	}
	k.doc, _ = idKey("document", c.DocumentID)
	k.code, _ = idKey("code", c.CodeID)
	k.coder, _ = idKey("coder", c.CoderID)
	return pb, k, nil
}

// addCoding stores c; raw, when not nil, is c already encoded as JSON.
func (w *writeTx) addCoding(c *coding.Coding, actor string, raw json.RawMessage) error {
	if c.ID == "" {
		c.ID = newID()
	}
	pb, k, err := w.codingContext(c)
	if err != nil {
		return refuse(err)
	}
	if pb.Bucket(bucketCodingDocs).Get(k.id) != nil || w.codingDocs[string(k.id)] != nil {
		return refuse(coding.Errorf(coding.ECONFLICT, "a coding with id %s already exists", c.ID))
	}
	spans, err := w.spans(pb, c.ProjectID, k.doc)
	if err != nil {
		return err
	}
	span := makeSpanKey(k.code, k.coder, c.Start, c.End)
	if other, ok := spans[span]; ok {
		return refuse(coding.ErrDuplicateCoding(keyID(other[:])))
	}
	if c.Created.IsZero() {
		c.Created = w.now
	}
	if err := appendOnly(pb.Bucket(bucketCodings)).Put(cat(k.doc, k.id), encodeCoding(c, k.code, k.coder)); err != nil {
		return err
	}
	if w.codingDocs != nil {
		w.codingDocs[string(k.id)] = k.doc // written in id order by importCodings
	} else if err := appendOnly(pb.Bucket(bucketCodingDocs)).Put(k.id, k.doc); err != nil {
		return err
	}
	w.setSpan(spans, span, k.id)
	if raw != nil {
		return w.event(pb, c.ProjectID, coding.EventCodingAdded, actor, c.CoderID, raw)
	}
	return w.event(pb, c.ProjectID, coding.EventCodingAdded, actor, c.CoderID, c)
}

// UpdateCoding changes a coding's code, span or memo. Its document, coder
// and creation time stay; the updated coding is written back into c.
func (db *DB) UpdateCoding(c *coding.Coding, actor string) (*coding.Event, error) {
	events, err := db.update(func(w *writeTx) error {
		old, err := w.coding(c.ProjectID, c.ID)
		if err != nil {
			return err
		}
		if c.DocumentID != "" && c.DocumentID != old.DocumentID {
			return coding.Errorf(coding.EINVALID, "a coding cannot move to another document")
		}
		if c.CoderID != "" && c.CoderID != old.CoderID {
			return coding.Errorf(coding.EINVALID, "a coding cannot change its coder")
		}
		c.DocumentID, c.CoderID, c.Created = old.DocumentID, old.CoderID, old.Created
		pb, k, err := w.codingContext(c)
		if err != nil {
			return err
		}
		spans, err := w.spans(pb, c.ProjectID, k.doc)
		if err != nil {
			return err
		}
		oldCode, _ := idKey("code", old.CodeID)
		newSpan := makeSpanKey(k.code, k.coder, c.Start, c.End)
		if other, ok := spans[newSpan]; ok && keyID(other[:]) != c.ID {
			return coding.ErrDuplicateCoding(keyID(other[:]))
		}
		w.deleteSpan(spans, makeSpanKey(oldCode, k.coder, old.Start, old.End))
		w.setSpan(spans, newSpan, k.id)
		if err := pb.Bucket(bucketCodings).Put(cat(k.doc, k.id), encodeCoding(c, k.code, k.coder)); err != nil {
			return err
		}
		return w.event(pb, c.ProjectID, coding.EventCodingUpdated, actor, c.CoderID, c)
	})
	if err != nil {
		return nil, err
	}
	return &events[0], nil
}

// DeleteCoding removes a coding; its event carries the whole coding so
// that undo can bring it back.
func (db *DB) DeleteCoding(projectID, id, actor string) (*coding.Coding, *coding.Event, error) {
	var deleted *coding.Coding
	events, err := db.update(func(w *writeTx) error {
		c, err := w.deleteCoding(projectID, id, actor)
		deleted = c
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return deleted, &events[0], nil
}

// DeleteCodings removes several codings in one transaction: all or none.
// check, when not nil, may refuse a coding (for example another coder's).
func (db *DB) DeleteCodings(projectID string, ids []string, actor string, check func(*coding.Coding) error) ([]coding.Coding, error) {
	var out []coding.Coding
	_, err := db.update(func(w *writeTx) error {
		out = out[:0]
		for _, id := range ids {
			if check != nil {
				c, err := w.coding(projectID, id)
				if err != nil {
					return err
				}
				if err := check(c); err != nil {
					return err
				}
			}
			c, err := w.deleteCoding(projectID, id, actor)
			if err != nil {
				return err
			}
			out = append(out, *c)
		}
		return nil
	})
	return out, err
}

func (w *writeTx) deleteCoding(projectID, id, actor string) (*coding.Coding, error) {
	c, err := w.coding(projectID, id)
	if err != nil {
		return nil, err
	}
	pb, _ := w.project(projectID)
	doc, _ := idKey("document", c.DocumentID)
	code, _ := idKey("code", c.CodeID)
	coder, _ := idKey("coder", c.CoderID)
	key, _ := idKey("coding", c.ID)
	if err := pb.Bucket(bucketCodings).Delete(cat(doc, key)); err != nil {
		return nil, err
	}
	if err := pb.Bucket(bucketCodingDocs).Delete(key); err != nil {
		return nil, err
	}
	spans, err := w.spans(pb, projectID, doc)
	if err != nil {
		return nil, err
	}
	w.deleteSpan(spans, makeSpanKey(code, coder, c.Start, c.End))
	return c, w.event(pb, projectID, coding.EventCodingDeleted, actor, c.CoderID, coding.CodingDeleted{Coding: *c})
}

func (w *writeTx) coding(projectID, id string) (*coding.Coding, error) {
	pb, err := w.project(projectID)
	if err != nil {
		return nil, err
	}
	return getCoding(pb, projectID, id)
}

func getCoding(pb *bolt.Bucket, projectID, id string) (*coding.Coding, error) {
	key, err := idKey("coding", id)
	if err != nil {
		return nil, err
	}
	doc := pb.Bucket(bucketCodingDocs).Get(key)
	if doc == nil {
		return nil, coding.Errorf(coding.ENOTFOUND, "coding %s does not exist", id)
	}
	if readTrash(pb).has(doc) {
		return nil, coding.Errorf(coding.ENOTFOUND, "coding %s is in a deleted document (a lead can restore it from the trash)", id)
	}
	k := cat(doc, key)
	c := new(coding.Coding)
	return c, decodeCoding(k, pb.Bucket(bucketCodings).Get(k), projectID, c, nil)
}

// Coding returns one coding.
func (db *DB) Coding(projectID, id string) (*coding.Coding, error) {
	var c *coding.Coding
	err := db.view(projectID, func(tx *bolt.Tx, pb *bolt.Bucket) error {
		var err error
		c, err = getCoding(pb, projectID, id)
		return err
	})
	return c, err
}

// Codings returns the codings that match f. With a DocumentID it reads only
// that document's range of keys.
func (db *DB) Codings(projectID string, f coding.CodingFilter) ([]coding.Coding, error) {
	var out []coding.Coding
	err := db.view(projectID, func(tx *bolt.Tx, pb *bolt.Bucket) error {
		var err error
		out, err = readCodings(pb, projectID, f)
		return err
	})
	return out, err
}

// readCodings decodes the codings of a project (of one document if the
// filter names it) that the filter keeps.
func readCodings(pb *bolt.Bucket, projectID string, f coding.CodingFilter) ([]coding.Coding, error) {
	b := pb.Bucket(bucketCodings)
	cur := b.Cursor()
	var out []coding.Coding
	var prefix []byte
	k, v := cur.First()
	if f.DocumentID != "" {
		var err error
		if prefix, err = idKey("document", f.DocumentID); err != nil {
			return nil, err
		}
		k, v = cur.Seek(prefix)
	} else if f.CoderID == "" && f.CodeIDs == nil {
		// Sized up front: growing a slice of 200,000 codings by doubling
		// copied each one about twice, under the garbage collector's
		// write barriers, and cost more than decoding them.
		out = make([]coding.Coding, 0, b.Stats().KeyN)
	}
	ids := newIDReader()
	// A deleted document's codings stay where they are, unread.
	tr := readTrash(pb)
	if tr.has(prefix) {
		return out, nil
	}
	for ; k != nil; k, v = cur.Next() {
		if prefix != nil && string(k[:16]) != string(prefix) {
			break
		}
		if tr.has(k[:16]) {
			continue
		}
		out = append(out, coding.Coding{})
		c := &out[len(out)-1]
		if err := decodeCoding(k, v, projectID, c, ids); err != nil {
			return nil, err
		}
		if !f.Match(c) {
			out = out[:len(out)-1]
		}
	}
	return out, nil
}

// CountCodings returns how many codings a project holds.
func (db *DB) CountCodings(projectID string) (int, error) {
	n := 0
	err := db.view(projectID, func(tx *bolt.Tx, pb *bolt.Bucket) error {
		n = pb.Bucket(bucketCodingDocs).Stats().KeyN
		return nil
	})
	return n, err
}
