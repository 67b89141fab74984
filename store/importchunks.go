package store

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"

	"github.com/concordqda/concord/coding"
	bolt "go.etcd.io/bbolt"
)

// A large import is written in several commits, so that memory stays
// bounded: bbolt keeps every page a transaction dirties in memory until it
// commits, and one transaction of 200,000 codings peaked near a gigabyte.
// It stays all or nothing. The first commit creates the project without
// registering its slug (nothing finds it by name), the accounts the import
// brings and its members, and notes all of that in the meta bucket; the
// last commit registers the slug and removes the note. Should anything
// fail in between, the project and the accounts are removed again; should
// the process die, the next writable open removes them (sweepImport).

// importChunkBytes is about how much one commit of a large import writes.
// A variable so that tests can make imports large.
var importChunkBytes int64 = 8 << 20

// keyImport names, in the meta bucket, the import being written.
var keyImport = []byte("import")

// importJournal is what an unfinished import has made.
type importJournal struct {
	Project string   `json:"project"`
	Slug    string   `json:"slug"`
	Users   []string `json:"users"` // accounts it created
}

// What storing each part of an import writes, about: a record, its event
// and index entries take a kilobyte, and documents and memos their text.
const recordCost = 1 << 10

// codingDocCost is what an entry of the coding → document index writes.
const codingDocCost = 64

func documentCost(d *coding.Document) int64 { return recordCost + int64(len(d.Text)) }
func memoCost(m *coding.Memo) int64         { return recordCost + int64(len(m.Text)) }

// importCost estimates what storing s writes.
func importCost(s *Snapshot) int64 {
	n := int64(len(s.Codes)+len(s.Codings)) * recordCost
	for i := range s.Documents {
		n += documentCost(&s.Documents[i])
	}
	for i := range s.Memos {
		n += memoCost(&s.Memos[i])
	}
	return n
}

// inChunks stores n parts in consecutive ranges [from, to) whose cost
// stays near importChunkBytes, one commit for each range; once a range is
// committed, release lets go of its parts.
func (db *DB) inChunks(n int, cost func(i int) int64, write func(w *writeTx, from, to int) error, release func(from, to int)) error {
	for from := 0; from < n; {
		to, sum := from, int64(0)
		for to < n && (to == from || sum+cost(to) <= importChunkBytes) {
			sum += cost(to)
			to++
		}
		if _, err := db.update(func(w *writeTx) error { return write(w, from, to) }); err != nil {
			return err
		}
		release(from, to)
		from = to
	}
	return nil
}

// importProjectInChunks stores s as the new project p in several commits;
// see the comment at the top of this file.
func (db *DB) importProjectInChunks(p *coding.Project, key, leadKey []byte, s *Snapshot, actor string) (err error) {
	_, err = db.update(func(w *writeTx) error {
		meta := w.tx.Bucket(bucketMeta)
		if meta.Get(keyImport) != nil {
			return coding.Errorf(coding.ECONFLICT, "another import is still being written; try again when it is done")
		}
		if err := w.slugFree(p.Slug); err != nil {
			return err
		}
		if err := w.createUsers(s.Users); err != nil {
			return err
		}
		if err := w.createProjectBucket(p, key, s.Lead, leadKey); err != nil {
			return err
		}
		if err := w.addMembers(p.ID, s.Members, actor); err != nil {
			return err
		}
		j := importJournal{Project: p.ID, Slug: p.Slug}
		for _, u := range s.Users {
			j.Users = append(j.Users, u.ID)
		}
		data, err := encodeJSON(&j)
		if err != nil {
			return err
		}
		return meta.Put(keyImport, data)
	})
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			if _, uerr := db.undoImport(); uerr != nil {
				err = fmt.Errorf("%w (and removing what the import had stored failed: %v; the next start removes it)", err, uerr)
			}
		}
	}()
	// What is committed is let go of (see ImportProject): the texts of
	// the documents, whole codings and memos.
	// Documents, like codings, are stored in the order of their keys, so
	// that each commit appends to the buckets the last one wrote: a text
	// put between two stored ones makes bbolt read and write again the
	// leaf that holds them, and most of an import's texts would be
	// written several times.
	docs, memos, order := s.Documents, s.Memos, codingOrder(s.Codings)
	sortByKey(docs)
	if err = db.inChunks(len(docs), func(i int) int64 { return documentCost(&docs[i]) }, func(w *writeTx, from, to int) error {
		return w.importDocuments(p.ID, docs[from:to], actor)
	}, func(from, to int) {
		for i := from; i < to; i++ {
			docs[i].Text = ""
		}
	}); err != nil {
		return err
	}
	if _, err = db.update(func(w *writeTx) error { return w.importCodes(p.ID, s.Codes, actor) }); err != nil {
		return err
	}
	var index, part []codingDoc
	if err = db.inChunks(len(order), func(int) int64 { return recordCost }, func(w *writeTx, from, to int) (err error) {
		part, err = w.importCodings(p.ID, s.Codings, order[from:to], actor)
		return err
	}, func(from, to int) {
		index = append(index, part...)
		for _, o := range order[from:to] {
			s.Codings[o.i] = coding.Coding{}
		}
		clear(order[from:to])
	}); err != nil {
		return err
	}
	sortCodingDocs(index)
	if err = db.inChunks(len(index), func(int) int64 { return codingDocCost }, func(w *writeTx, from, to int) error {
		return w.writeCodingDocs(p.ID, index[from:to])
	}, func(int, int) {}); err != nil {
		return err
	}
	if err = db.inChunks(len(memos), func(i int) int64 { return memoCost(&memos[i]) }, func(w *writeTx, from, to int) error {
		return w.importMemos(p.ID, memos[from:to], actor)
	}, func(from, to int) { clear(memos[from:to]) }); err != nil {
		return err
	}
	_, err = db.update(func(w *writeTx) error {
		if err := w.slugFree(p.Slug); err != nil {
			return err
		}
		if err := w.tx.Bucket(bucketSlugs).Put([]byte(p.Slug), key); err != nil {
			return err
		}
		if err := w.addUserGUIDs(s.UserGUIDs); err != nil {
			return err
		}
		return w.tx.Bucket(bucketMeta).Delete(keyImport)
	})
	return err
}

// unfinishedImport returns the journal of an import being written, or nil.
func unfinishedImport(tx *bolt.Tx) (*importJournal, error) {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		return nil, nil
	}
	data := meta.Get(keyImport)
	if data == nil {
		return nil, nil
	}
	var j importJournal
	if err := decodeJSON(data, &j); err != nil {
		return nil, fmt.Errorf("the note of an unfinished import is damaged: %w", err)
	}
	return &j, nil
}

// undoImport removes what an unfinished import stored: its project and
// the accounts it created. It returns the journal it followed, or nil when
// no import was unfinished.
func (db *DB) undoImport() (*importJournal, error) {
	var j *importJournal
	_, err := db.update(func(w *writeTx) error {
		var err error
		j, err = w.undoImport()
		return err
	})
	return j, err
}

func (w *writeTx) undoImport() (*importJournal, error) {
	j, err := unfinishedImport(w.tx)
	if err != nil || j == nil {
		return j, err
	}
	key, err := idKey("project", j.Project)
	if err != nil {
		return nil, err
	}
	projects := w.tx.Bucket(bucketProjects)
	if projects.Bucket(key) != nil {
		if err := projects.DeleteBucket(key); err != nil {
			return nil, err
		}
	}
	// The slug is registered only by the commit that ends the import, so it
	// names another project if it names one.
	users, logins := w.tx.Bucket(bucketUsers), w.tx.Bucket(bucketLogins)
	for _, id := range j.Users {
		uk, err := idKey("user", id)
		if err != nil {
			return nil, err
		}
		r, err := getUserRecord(users, uk)
		if coding.ErrorCode(err) == coding.ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, err
		}
		if err := users.Delete(uk); err != nil {
			return nil, err
		}
		if bytes.Equal(logins.Get([]byte(r.Login)), uk) {
			if err := logins.Delete([]byte(r.Login)); err != nil {
				return nil, err
			}
		}
	}
	w.invalidate(j.Project)
	w.dropSpans(j.Project)
	return j, w.tx.Bucket(bucketMeta).Delete(keyImport)
}

// sweepImport removes what an import that did not finish (the process
// died while it was written) left behind; a writable open calls it.
func (db *DB) sweepImport() error {
	// Looked for in a read transaction first: a commit, even an empty one,
	// rewrites a meta page, and opening a file must not change it when
	// there is nothing to do (see migrate).
	var left *importJournal
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		left, err = unfinishedImport(tx)
		return err
	})
	if err != nil || left == nil {
		return err
	}
	j, err := db.undoImport()
	if err != nil {
		return fmt.Errorf("remove an import that did not finish: %w", err)
	}
	if j != nil {
		db.log.Warn("removed an import that did not finish (the process stopped while it was written)", "project", j.Slug)
	}
	return nil
}

// sortByKey gives documents without an id one and sorts them by key
// (documents whose id is no UUID go last, to be refused when stored).
func sortByKey(docs []coding.Document) {
	keys := make(map[string][]byte, len(docs))
	for i := range docs {
		if docs[i].ID == "" {
			docs[i].ID = newID()
		}
		if k, err := idKey("document", docs[i].ID); err == nil {
			keys[docs[i].ID] = k
		}
	}
	slices.SortStableFunc(docs, func(a, b coding.Document) int {
		ka, kb := keys[a.ID], keys[b.ID]
		if (ka == nil) != (kb == nil) {
			return cmp.Compare(len(kb), len(ka))
		}
		return bytes.Compare(ka, kb)
	})
}
