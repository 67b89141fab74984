package store

import (
	"github.com/concordqda/concord/coding"
	"github.com/google/uuid"
	bolt "go.etcd.io/bbolt"
)

// CreateCode adds a code to a project's codebook. An Order of 0 puts it
// after its siblings.
func (db *DB) CreateCode(c *coding.Code, actor string) (*coding.Event, error) {
	events, err := db.update(func(w *writeTx) error { return w.createCode(c, actor) })
	if err != nil {
		return nil, err
	}
	return &events[0], nil
}

func (w *writeTx) createCode(c *coding.Code, actor string) error {
	if c.ID == "" {
		c.ID = uuid.NewString()
	}
	if err := c.Validate(); err != nil {
		return err
	}
	key, err := idKey("code", c.ID)
	if err != nil {
		return coding.Errorf(coding.EINVALID, "code id %q is not a UUID", c.ID)
	}
	pb, st, err := w.projectState(c.ProjectID)
	if err != nil {
		return err
	}
	if _, ok := st.codebook.Code(c.ID); ok {
		return coding.Errorf(coding.ECONFLICT, "a code with id %s already exists", c.ID)
	}
	if err := st.codebook.CheckPlace(c, c.ParentID); err != nil {
		return err
	}
	if c.Order <= 0 {
		c.Order = 1
		for _, s := range st.codebook.Children(c.ParentID) {
			if s.Order >= c.Order {
				c.Order = s.Order + 1
			}
		}
	}
	if c.Colour == "" {
		// Not the parent's colour: codes of one category in shades of one
		// colour cannot be told apart in the reader.
		used := make([]string, 0, st.codebook.Len())
		st.codebook.Walk(func(o *coding.Code, _ int) { used = append(used, o.Colour) })
		c.Colour = coding.NextCodeColour(used)
	}
	if c.Created.IsZero() {
		c.Created = w.now
	}
	if err := putCode(pb, key, c); err != nil {
		return err
	}
	w.invalidate(c.ProjectID)
	return w.event(pb, c.ProjectID, coding.EventCodeCreated, actor, "", c)
}

// UpdateCode changes a code's name, colour, description, codability, order
// and parent. Moving a code under itself or its descendants is refused.
func (db *DB) UpdateCode(c *coding.Code, actor string) (*coding.Event, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	key, err := idKey("code", c.ID)
	if err != nil {
		return nil, err
	}
	events, err := db.update(func(w *writeTx) error {
		pb, st, err := w.projectState(c.ProjectID)
		if err != nil {
			return err
		}
		old, ok := st.codebook.Code(c.ID)
		if !ok {
			return coding.Errorf(coding.ENOTFOUND, "code %s does not exist", c.ID)
		}
		if err := st.codebook.CheckPlace(c, c.ParentID); err != nil {
			return err
		}
		if !c.Codable && old.Codable {
			if n := countCodings(pb, map[string]bool{c.ID: true}); n > 0 {
				return coding.Errorf(coding.ECONFLICT, "code %q has %d codings; move or delete them before making it a category", old.Name, n)
			}
		}
		c.Created = old.Created
		if c.Order <= 0 {
			c.Order = old.Order
		}
		if err := putCode(pb, key, c); err != nil {
			return err
		}
		w.invalidate(c.ProjectID)
		return w.event(pb, c.ProjectID, coding.EventCodeUpdated, actor, "", c)
	})
	if err != nil {
		return nil, err
	}
	return &events[0], nil
}

// DeleteCode removes a code and its descendants. Their codings move to the
// code moveTo, or, when moveTo is "", are deleted with them: a code is never
// removed from under its codings silently.
func (db *DB) DeleteCode(projectID, codeID, moveTo, actor string) (*coding.CodeDeleted, *coding.Event, error) {
	var res coding.CodeDeleted
	events, err := db.update(func(w *writeTx) error {
		res = coding.CodeDeleted{}
		pb, st, err := w.projectState(projectID)
		if err != nil {
			return err
		}
		code, ok := st.codebook.Code(codeID)
		if !ok {
			return coding.Errorf(coding.ENOTFOUND, "code %s does not exist", codeID)
		}
		removed := append([]string{codeID}, st.codebook.Descendants(codeID)...)
		gone := map[string]bool{}
		for _, id := range removed {
			gone[id] = true
		}
		if moveTo != "" {
			target, ok := st.codebook.Code(moveTo)
			if !ok {
				return coding.Errorf(coding.ENOTFOUND, "code %s (where the codings should go) does not exist", moveTo)
			}
			if gone[moveTo] {
				return coding.Errorf(coding.EINVALID, "cannot move the codings of %q into a code that is being deleted with it", code.Name)
			}
			if !target.Codable {
				return coding.Errorf(coding.EINVALID, "code %q is a category and cannot take codings", target.Name)
			}
		}
		moved, dropped, err := w.recode(pb, projectID, gone, moveTo)
		if err != nil {
			return err
		}
		for _, id := range removed {
			key, _ := idKey("code", id)
			if err := pb.Bucket(bucketCodes).Delete(key); err != nil {
				return err
			}
		}
		res = coding.CodeDeleted{Code: *code, Removed: removed, MovedTo: moveTo, CodingsMoved: moved, CodingsDeleted: dropped}
		w.invalidate(projectID)
		return w.event(pb, projectID, coding.EventCodeDeleted, actor, "", &res)
	})
	if err != nil {
		return nil, nil, err
	}
	return &res, &events[0], nil
}

// MergeCodes moves every coding and child of code from into code into,
// then removes from. Codings that would duplicate one of into's are dropped.
func (db *DB) MergeCodes(projectID, from, into, actor string) (*coding.CodesMerged, *coding.Event, error) {
	var res coding.CodesMerged
	events, err := db.update(func(w *writeTx) error {
		pb, st, err := w.projectState(projectID)
		if err != nil {
			return err
		}
		cb := st.codebook
		if err := cb.CheckMerge(from, into); err != nil {
			return err
		}
		target, _ := cb.Code(into)
		if !target.Codable {
			return coding.Errorf(coding.EINVALID, "code %q is a category and cannot take codings", target.Name)
		}
		for _, child := range cb.Children(from) {
			moved := *child
			moved.ParentID = into
			if err := cb.CheckPlace(&moved, into); err != nil {
				return err
			}
			key, _ := idKey("code", child.ID)
			if err := putCode(pb, key, &moved); err != nil {
				return err
			}
		}
		n, dropped, err := w.recode(pb, projectID, map[string]bool{from: true}, into)
		if err != nil {
			return err
		}
		key, _ := idKey("code", from)
		if err := pb.Bucket(bucketCodes).Delete(key); err != nil {
			return err
		}
		res = coding.CodesMerged{From: from, Into: into, CodingsMoved: n, Dropped: dropped}
		w.invalidate(projectID)
		return w.event(pb, projectID, coding.EventCodesMerged, actor, "", &res)
	})
	if err != nil {
		return nil, nil, err
	}
	return &res, &events[0], nil
}

// Codes returns a project's codebook as a flat list.
func (db *DB) Codes(projectID string) ([]coding.Code, error) {
	var out []coding.Code
	err := db.view(projectID, func(tx *bolt.Tx, pb *bolt.Bucket) error {
		return pb.Bucket(bucketCodes).ForEach(func(k, v []byte) error {
			var c coding.Code
			if err := decodeJSON(v, &c); err != nil {
				return err
			}
			out = append(out, c)
			return nil
		})
	})
	return out, err
}

func putCode(pb *bolt.Bucket, key []byte, c *coding.Code) error {
	data, err := encodeJSON(c)
	if err != nil {
		return err
	}
	return pb.Bucket(bucketCodes).Put(key, data)
}

// recode gives every coding of the codes in from the code to (or deletes
// it when to is ""). A coding that would then duplicate another is deleted.
// Keys are collected first: changing a bucket inside its cursor loop skips
// keys.
func (w *writeTx) recode(pb *bolt.Bucket, projectID string, from map[string]bool, to string) (moved, deleted int, err error) {
	codings := pb.Bucket(bucketCodings)
	type hit struct {
		key []byte
		c   coding.Coding
	}
	var hits []hit
	err = codings.ForEach(func(k, v []byte) error {
		if len(v) < 17 || !from[keyID(v[1:17])] {
			return nil
		}
		h := hit{key: append([]byte(nil), k...)}
		if err := decodeCoding(k, v, "", &h.c, nil); err != nil {
			return err
		}
		hits = append(hits, h)
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	var toKey []byte
	if to != "" {
		toKey, _ = idKey("code", to)
	}
	for _, h := range hits {
		doc, _ := idKey("document", h.c.DocumentID)
		code, _ := idKey("code", h.c.CodeID)
		coder, _ := idKey("coder", h.c.CoderID)
		spans, err := w.spans(pb, projectID, doc)
		if err != nil {
			return 0, 0, err
		}
		w.deleteSpan(spans, makeSpanKey(code, coder, h.c.Start, h.c.End))
		newSpan := makeSpanKey(toKey, coder, h.c.Start, h.c.End)
		if _, dup := spans[newSpan]; to == "" || dup {
			if err := codings.Delete(h.key); err != nil {
				return 0, 0, err
			}
			if err := pb.Bucket(bucketCodingDocs).Delete(h.key[16:]); err != nil {
				return 0, 0, err
			}
			deleted++
			continue
		}
		h.c.CodeID = to
		if err := codings.Put(h.key, encodeCoding(&h.c, toKey, coder)); err != nil {
			return 0, 0, err
		}
		w.setSpan(spans, newSpan, h.key[16:])
		moved++
	}
	return moved, deleted, nil
}

func countCodings(pb *bolt.Bucket, codes map[string]bool) int {
	n := 0
	pb.Bucket(bucketCodings).ForEach(func(k, v []byte) error {
		if len(v) >= 17 && codes[keyID(v[1:17])] {
			n++
		}
		return nil
	})
	return n
}
