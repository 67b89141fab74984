package store

import (
	"sort"

	"github.com/concordqda/concord/coding"
	bolt "go.etcd.io/bbolt"
)

// ProjectData reads a whole project for an export in one read transaction,
// so that it is consistent even while coders work: the project, its
// documents with their text (in the project's order, deleted ones left out), codes, the codings f keeps,
// memos (oldest first) and the users who are members or are named by a
// coding or memo (without password hashes).
func (db *DB) ProjectData(projectID string, f coding.CodingFilter) (*coding.ProjectData, error) {
	d := &coding.ProjectData{}
	var order map[string]int
	err := db.view(projectID, func(tx *bolt.Tx, pb *bolt.Bucket) error {
		if err := decodeJSON(pb.Get(keyProject), &d.Project); err != nil {
			return err
		}
		// A deleted document, its codings, memos and assignments are in
		// no export.
		tr := readTrash(pb)
		var err error
		if order, err = readOrder(pb); err != nil {
			return err
		}
		texts := pb.Bucket(bucketTexts)
		if err := pb.Bucket(bucketDocs).ForEach(func(k, v []byte) error {
			if tr.has(k) {
				return nil
			}
			var doc coding.Document
			if err := decodeJSON(v, &doc); err != nil {
				return err
			}
			doc.Text = string(texts.Get(k))
			d.Documents = append(d.Documents, doc)
			return nil
		}); err != nil {
			return err
		}
		if err := pb.Bucket(bucketCodes).ForEach(func(k, v []byte) error {
			var c coding.Code
			if err := decodeJSON(v, &c); err != nil {
				return err
			}
			d.Codes = append(d.Codes, c)
			return nil
		}); err != nil {
			return err
		}
		if d.Codings, err = readCodings(pb, projectID, f); err != nil {
			return err
		}
		if err := pb.Bucket(bucketMemos).ForEach(func(k, v []byte) error {
			var m coding.Memo
			if err := decodeJSON(v, &m); err != nil {
				return err
			}
			if tr.hasID(m.DocumentID) {
				return nil
			}
			d.Memos = append(d.Memos, m)
			return nil
		}); err != nil {
			return err
		}
		if b := pb.Bucket(bucketAssignments); b != nil {
			if err := b.ForEach(func(k, v []byte) error {
				if tr.has(k[:16]) {
					return nil
				}
				var a coding.Assignment
				if err := decodeJSON(v, &a); err != nil {
					return err
				}
				d.Assignments = append(d.Assignments, a)
				return nil
			}); err != nil {
				return err
			}
		}
		// Members first, then anyone else the data names.
		var ids []string
		seen := map[string]bool{}
		pb.Bucket(bucketMembers).ForEach(func(k, _ []byte) error {
			ids = append(ids, keyID(k))
			return nil
		})
		for _, c := range d.Codings {
			ids = append(ids, c.CoderID)
		}
		for _, m := range d.Memos {
			ids = append(ids, m.AuthorID)
		}
		users := tx.Bucket(bucketUsers)
		for _, id := range ids {
			if seen[id] || id == coding.ConsensusCoder {
				continue
			}
			seen[id] = true
			key, err := idKey("user", id)
			if err != nil {
				continue
			}
			u, err := getUser(users, key)
			if coding.ErrorCode(err) == coding.ENOTFOUND {
				continue
			} else if err != nil {
				return err
			}
			u.PasswordHash = nil
			d.Users = append(d.Users, *u)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sortDocuments(d.Documents, order)
	sort.SliceStable(d.Memos, func(i, j int) bool { return d.Memos[i].Created.Before(d.Memos[j].Created) })
	return d, nil
}
