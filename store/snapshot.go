package store

import (
	"bytes"
	"slices"
	"sort"

	"github.com/concordqda/concord/coding"
)

// Snapshot is a whole project to be stored at once: the demo project and
// imports from other tools arrive this way.
type Snapshot struct {
	Project coding.Project
	Lead    string // user id of the first lead
	// Users are created in the same transaction, before anything else:
	// an import brings its coders along. Their logins and ids must be
	// free.
	Users []coding.User
	// UserGUIDs are REFI-QDA user GUIDs to remember on existing accounts
	// (user id → GUIDs): a file's user that the import matched to an
	// account by name, so that the next import of the file finds it by
	// GUID (coding.User.RefiIDs).
	UserGUIDs map[string][]string
	Members   []coding.Member
	Documents []coding.Document
	Codes     []coding.Code
	Codings   []coding.Coding
	Memos     []coding.Memo
}

// ImportProject stores a snapshot as a new project: either the whole
// project is there afterwards or none of it is. A large one is written in
// several commits (see importchunks.go) and is used up as it is stored,
// so that memory stays bounded: its documents lose their texts, and its
// codings and memos are zeroed, once they are committed. Codes may come in
// any order; parents are stored before their children.
func (db *DB) ImportProject(s *Snapshot, actor string) error {
	p := s.Project
	if err := p.ValidateNew(); err != nil {
		return err
	}
	if p.ID == "" {
		p.ID = newID()
	}
	key, err := idKey("project", p.ID)
	if err != nil {
		return coding.Errorf(coding.EINVALID, "project id %q is not a UUID", p.ID)
	}
	leadKey, err := idKey("user", s.Lead)
	if err != nil {
		return err
	}
	if importCost(s) > importChunkBytes {
		err = db.importProjectInChunks(&p, key, leadKey, s, actor)
	} else {
		_, err = db.update(func(w *writeTx) error {
			if err := w.createUsers(s.Users); err != nil {
				return err
			}
			if err := w.addUserGUIDs(s.UserGUIDs); err != nil {
				return err
			}
			if err := w.createProject(&p, key, s.Lead, leadKey); err != nil {
				return err
			}
			return w.importContent(p.ID, s, actor)
		})
	}
	if err == nil {
		s.Project = p
	}
	return err
}

// ImportIntoProject adds a snapshot's users, members, documents, codes,
// codings and memos to an existing project in one transaction: all of it
// or none. s.Project and s.Lead are ignored; members who already have a
// role keep it.
func (db *DB) ImportIntoProject(projectID string, s *Snapshot, actor string) error {
	_, err := db.update(func(w *writeTx) error {
		if err := w.createUsers(s.Users); err != nil {
			return err
		}
		if err := w.addUserGUIDs(s.UserGUIDs); err != nil {
			return err
		}
		return w.importContent(projectID, s, actor)
	})
	return err
}

// ImportDocuments adds documents and codes to an existing project in one
// transaction: all of them or none (an upload from the web UI, which
// brings no users or codings).
func (db *DB) ImportDocuments(projectID string, docs []coding.Document, codes []coding.Code, actor string) error {
	return db.ImportIntoProject(projectID, &Snapshot{Documents: docs, Codes: codes}, actor)
}

func (w *writeTx) createUsers(users []coding.User) error {
	for i := range users {
		if err := w.createUser(&users[i]); err != nil {
			return coding.Errorf(coding.ErrorCode(err), "user %q: %s", users[i].Login, coding.ErrorMessage(err))
		}
	}
	return nil
}

// addUserGUIDs adds REFI-QDA GUIDs to existing accounts (user id →
// GUIDs), each once.
func (w *writeTx) addUserGUIDs(guids map[string][]string) error {
	ids := make([]string, 0, len(guids))
	for id := range guids {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		key, err := idKey("user", id)
		if err != nil {
			return err
		}
		err = w.changeUser(key, func(r *userRecord) {
			for _, g := range guids[id] {
				if !r.HasRefiID(g) {
					r.RefiIDs = append(r.RefiIDs, g)
				}
			}
		})
		if err != nil {
			return coding.Errorf(coding.ErrorCode(err), "user %s: %s", id, coding.ErrorMessage(err))
		}
	}
	return nil
}

// importContent writes everything of s but the project itself into the
// project's bucket.
func (w *writeTx) importContent(projectID string, s *Snapshot, actor string) error {
	if err := w.addMembers(projectID, s.Members, actor); err != nil {
		return err
	}
	if err := w.importDocuments(projectID, s.Documents, actor); err != nil {
		return err
	}
	if err := w.importCodes(projectID, s.Codes, actor); err != nil {
		return err
	}
	index, err := w.importCodings(projectID, s.Codings, codingOrder(s.Codings), actor)
	if err != nil {
		return err
	}
	sortCodingDocs(index)
	if err := w.writeCodingDocs(projectID, index); err != nil {
		return err
	}
	return w.importMemos(projectID, s.Memos, actor)
}

// addMembers adds members to a project; who already has a role keeps it.
func (w *writeTx) addMembers(projectID string, members []coding.Member, actor string) error {
	pb, err := w.project(projectID)
	if err != nil {
		return err
	}
	for _, m := range members {
		m.ProjectID = projectID
		if err := m.Validate(); err != nil {
			return err
		}
		uk, err := idKey("user", m.UserID)
		if err != nil {
			return err
		}
		if w.tx.Bucket(bucketUsers).Get(uk) == nil {
			return coding.Errorf(coding.ENOTFOUND, "user %s does not exist", m.UserID)
		}
		if pb.Bucket(bucketMembers).Get(uk) != nil {
			continue
		}
		if err := pb.Bucket(bucketMembers).Put(uk, []byte(m.Role)); err != nil {
			return err
		}
		if err := w.event(pb, projectID, coding.EventMemberSet, actor, "", m); err != nil {
			return err
		}
	}
	w.invalidate(projectID)
	return nil
}

func (w *writeTx) importDocuments(projectID string, docs []coding.Document, actor string) error {
	for i := range docs {
		d := docs[i]
		d.ProjectID = projectID
		if err := w.addDocument(&d, actor); err != nil {
			return coding.Errorf(coding.ErrorCode(err), "document %q: %s", d.Title, coding.ErrorMessage(err))
		}
	}
	return nil
}

func (w *writeTx) importCodes(projectID string, codes []coding.Code, actor string) error {
	for _, c := range parentsFirst(codes) {
		c.ProjectID = projectID
		if err := w.createCode(&c, actor); err != nil {
			return coding.Errorf(coding.ErrorCode(err), "code %q: %s", c.Name, coding.ErrorMessage(err))
		}
	}
	return nil
}

func (w *writeTx) importMemos(projectID string, memos []coding.Memo, actor string) error {
	pb, err := w.project(projectID)
	if err != nil {
		return err
	}
	for i := range memos {
		m := memos[i]
		m.ProjectID = projectID
		if m.ID == "" {
			m.ID = newID()
		}
		if err := m.Validate(); err != nil {
			return err
		}
		mk, err := idKey("memo", m.ID)
		if err != nil {
			return err
		}
		if pb.Bucket(bucketMemos).Get(mk) != nil {
			return coding.Errorf(coding.ECONFLICT, "a memo with id %s already exists", m.ID)
		}
		data, err := encodeJSON(&m)
		if err != nil {
			return err
		}
		if err := pb.Bucket(bucketMemos).Put(mk, data); err != nil {
			return err
		}
		if err := w.event(pb, projectID, coding.EventMemoSaved, actor, m.AuthorID, &m); err != nil {
			return err
		}
	}
	return nil
}

// orderedCoding is one coding of an import at its place in key order.
type orderedCoding struct {
	i   int    // index in the import's codings
	id  string // its id, given one when it had none
	key []byte // document + coding id, as the codings bucket orders them
}

// codingOrder puts an import's codings in key order. bbolt splits a node
// only when the transaction commits, so codings with random ids (from
// another tool) would each move half of an ever larger node: quadratic,
// minutes for a few hundred thousand. In key order every insert appends.
func codingOrder(codings []coding.Coding) []orderedCoding {
	order := make([]orderedCoding, len(codings))
	for i, c := range codings {
		o := &order[i]
		o.i, o.id = i, c.ID
		if o.id == "" {
			o.id = newID()
		}
		doc, err1 := idKey("document", c.DocumentID)
		id, err2 := idKey("coding", o.id)
		if err1 == nil && err2 == nil {
			o.key = cat(doc, id)
		}
	}
	sort.Slice(order, func(a, b int) bool { return bytes.Compare(order[a].key, order[b].key) < 0 })
	return order
}

// codingDoc is an entry of the coding → document index: the coding's
// key, then its document's.
type codingDoc [32]byte

// importCodings adds the codings that order names, in its order, and
// returns the index entries they need, for writeCodingDocs once sorted by
// coding id: the codings go in document order, the index in id order,
// and a large import writes the whole index after all its codings so
// that each of its commits appends.
func (w *writeTx) importCodings(projectID string, codings []coding.Coding, order []orderedCoding, actor string) ([]codingDoc, error) {
	w.codingDocs = map[string][]byte{}
	defer func() { w.codingDocs = nil }()
	for _, o := range order {
		c := codings[o.i]
		c.ProjectID, c.ID = projectID, o.id
		if err := w.addCoding(&c, actor, nil); err != nil {
			return nil, coding.Errorf(coding.ErrorCode(err), "coding %d: %s", o.i+1, coding.ErrorMessage(err))
		}
	}
	entries := make([]codingDoc, 0, len(w.codingDocs))
	for id, doc := range w.codingDocs {
		var e codingDoc
		copy(e[:16], id)
		copy(e[16:], doc)
		entries = append(entries, e)
	}
	return entries, nil
}

func sortCodingDocs(entries []codingDoc) {
	slices.SortFunc(entries, func(a, b codingDoc) int { return bytes.Compare(a[:16], b[:16]) })
}

// writeCodingDocs writes index entries sorted by coding id. A coding id
// twice (which a large import finds only here, its codings having been
// committed in several parts) is refused.
func (w *writeTx) writeCodingDocs(projectID string, entries []codingDoc) error {
	pb, err := w.project(projectID)
	if err != nil {
		return err
	}
	b := appendOnly(pb.Bucket(bucketCodingDocs))
	for i := range entries {
		id := entries[i][:16]
		if (i > 0 && bytes.Equal(id, entries[i-1][:16])) || b.Get(id) != nil {
			return coding.Errorf(coding.ECONFLICT, "a coding with id %s already exists", keyID(id))
		}
		if err := b.Put(id, entries[i][16:]); err != nil {
			return err
		}
	}
	return nil
}

// parentsFirst orders codes so that every parent comes before its children;
// codes whose parent is missing keep their place and fail validation later.
func parentsFirst(codes []coding.Code) []coding.Code {
	byID := map[string]bool{}
	for _, c := range codes {
		byID[c.ID] = true
	}
	placed := map[string]bool{}
	out := make([]coding.Code, 0, len(codes))
	for len(out) < len(codes) {
		progress := false
		for _, c := range codes {
			if placed[c.ID] {
				continue
			}
			if c.ParentID == "" || placed[c.ParentID] || !byID[c.ParentID] {
				out = append(out, c)
				placed[c.ID] = true
				progress = true
			}
		}
		if !progress { // a cycle: let createCode report it
			for _, c := range codes {
				if !placed[c.ID] {
					out = append(out, c)
					placed[c.ID] = true
				}
			}
		}
	}
	return out
}
