package store

import (
	"sort"

	"github.com/concordqda/concord/coding"
	"github.com/google/uuid"
	bolt "go.etcd.io/bbolt"
)

// SaveMemo creates or replaces a memo on a project, document or code.
func (db *DB) SaveMemo(m *coding.Memo, actor string) (*coding.Event, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if m.ID == "" {
		m.ID = uuid.NewString()
	}
	key, err := idKey("memo", m.ID)
	if err != nil {
		return nil, err
	}
	events, err := db.update(func(w *writeTx) error {
		pb, st, err := w.projectState(m.ProjectID)
		if err != nil {
			return err
		}
		doc, ok := st.docs[m.DocumentID]
		if m.DocumentID != "" && !ok {
			return coding.Errorf(coding.ENOTFOUND, "document %s does not exist", m.DocumentID)
		}
		if ok && m.End > doc.Length {
			return coding.Errorf(coding.EINVALID, "memo span [%d, %d) reaches past the end of %q (%d characters)", m.Start, m.End, doc.Title, doc.Length)
		}
		if _, ok := st.codebook.Code(m.CodeID); m.CodeID != "" && !ok {
			return coding.Errorf(coding.ENOTFOUND, "code %s does not exist", m.CodeID)
		}
		if old := pb.Bucket(bucketMemos).Get(key); old != nil {
			var prev coding.Memo
			if err := decodeJSON(old, &prev); err != nil {
				return err
			}
			m.Created, m.AuthorID = prev.Created, prev.AuthorID
		} else {
			m.Created = w.now
		}
		m.Updated = w.now
		data, err := encodeJSON(m)
		if err != nil {
			return err
		}
		if err := pb.Bucket(bucketMemos).Put(key, data); err != nil {
			return err
		}
		return w.event(pb, m.ProjectID, coding.EventMemoSaved, actor, m.AuthorID, m)
	})
	if err != nil {
		return nil, err
	}
	return &events[0], nil
}

// DeleteMemo removes a memo.
func (db *DB) DeleteMemo(projectID, id, actor string) (*coding.Event, error) {
	key, err := idKey("memo", id)
	if err != nil {
		return nil, err
	}
	events, err := db.update(func(w *writeTx) error {
		pb, err := w.project(projectID)
		if err != nil {
			return err
		}
		v := pb.Bucket(bucketMemos).Get(key)
		if v == nil {
			return coding.Errorf(coding.ENOTFOUND, "memo %s does not exist", id)
		}
		var m coding.Memo
		if err := decodeJSON(v, &m); err != nil {
			return err
		}
		if readTrash(pb).hasID(m.DocumentID) {
			return coding.Errorf(coding.ENOTFOUND, "memo %s is in a deleted document (a lead can restore it from the trash)", id)
		}
		if err := pb.Bucket(bucketMemos).Delete(key); err != nil {
			return err
		}
		return w.event(pb, projectID, coding.EventMemoDeleted, actor, m.AuthorID, &m)
	})
	if err != nil {
		return nil, err
	}
	return &events[0], nil
}

// Memos returns a project's memos, oldest first.
func (db *DB) Memos(projectID string) ([]coding.Memo, error) {
	var out []coding.Memo
	err := db.view(projectID, func(tx *bolt.Tx, pb *bolt.Bucket) error {
		tr := readTrash(pb)
		return pb.Bucket(bucketMemos).ForEach(func(k, v []byte) error {
			var m coding.Memo
			if err := decodeJSON(v, &m); err != nil {
				return err
			}
			if tr.hasID(m.DocumentID) {
				return nil
			}
			out = append(out, m)
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Created.Before(out[j].Created) })
	return out, err
}
