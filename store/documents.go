package store

import (
	"maps"
	"slices"
	"strings"

	"github.com/concordqda/concord/coding"
	"github.com/google/uuid"
	bolt "go.etcd.io/bbolt"
)

// AddDocument stores a new document in a project. Titles are unique within
// a project so that re-running an import does not add a second copy.
func (db *DB) AddDocument(d *coding.Document, actor string) (*coding.Event, error) {
	events, err := db.update(func(w *writeTx) error { return w.addDocument(d, actor) })
	if err != nil {
		return nil, err
	}
	return &events[0], nil
}

func (w *writeTx) addDocument(d *coding.Document, actor string) error {
	if err := d.Validate(); err != nil {
		return err
	}
	if d.ID == "" {
		d.ID = uuid.NewString()
	}
	key, err := idKey("document", d.ID)
	if err != nil {
		return coding.Errorf(coding.EINVALID, "document id %q is not a UUID", d.ID)
	}
	pb, st, err := w.projectState(d.ProjectID)
	if err != nil {
		return err
	}
	// The bucket, not the state: a deleted document keeps its id.
	if pb.Bucket(bucketDocs).Get(key) != nil {
		return coding.Errorf(coding.ECONFLICT, "a document with id %s already exists", d.ID)
	}
	for _, other := range st.docs {
		if titleClash(other.Title, d.Title) {
			return coding.Errorf(coding.ECONFLICT, "a document titled %q already exists in this project", d.Title)
		}
	}
	if d.Attributes == nil {
		d.Attributes = map[string]string{}
	}
	if d.Created.IsZero() {
		d.Created = w.now
	}
	meta := *d
	meta.Text = ""
	data, err := encodeJSON(&meta)
	if err != nil {
		return err
	}
	if err := pb.Bucket(bucketDocs).Put(key, data); err != nil {
		return err
	}
	if err := pb.Bucket(bucketTexts).Put(key, []byte(d.Text)); err != nil {
		return err
	}
	own, err := w.ownState(pb, d.ProjectID)
	if err != nil {
		return err
	}
	own.docs[d.ID] = &meta
	return w.event(pb, d.ProjectID, coding.EventDocumentAdded, actor, "", &meta)
}

// AddDocuments stores several documents in one transaction: all or none.
func (db *DB) AddDocuments(projectID string, docs []coding.Document, actor string) error {
	_, err := db.update(func(w *writeTx) error {
		for i := range docs {
			docs[i].ProjectID = projectID
			if err := w.addDocument(&docs[i], actor); err != nil {
				return coding.Errorf(coding.ErrorCode(err), "%s: %s", docs[i].Source, coding.ErrorMessage(err))
			}
		}
		return nil
	})
	return err
}

// UpdateDocument changes a document's title, attributes, folder and sets
// (never its text: codings point into it).
func (db *DB) UpdateDocument(d *coding.Document, actor string) (*coding.Event, error) {
	events, err := db.update(func(w *writeTx) error { return w.updateDocument(d, actor, false) })
	if err != nil {
		return nil, err
	}
	return &events[0], nil
}

// UpdateDocuments changes several documents as UpdateDocument does, in one
// transaction: all or none, one document.updated event for each document
// that changed. The updated documents are written back into docs.
func (db *DB) UpdateDocuments(projectID string, docs []coding.Document, actor string) ([]coding.Event, error) {
	return db.update(func(w *writeTx) error {
		seen := make(map[string]bool, len(docs))
		for i := range docs {
			d := &docs[i]
			if seen[d.ID] {
				return refuse(coding.Errorf(coding.EINVALID, "document %.40q is listed twice", d.ID))
			}
			seen[d.ID] = true
			d.ProjectID = projectID
			if err := w.updateDocument(d, actor, true); err != nil {
				if len(docs) > 1 {
					return coding.Errorf(coding.ErrorCode(err), "%s: %s", d.Title, coding.ErrorMessage(err))
				}
				return err
			}
		}
		return nil
	})
}

// updateDocument stores d's changes; with skipSame a document that would
// not change is left alone, without an event.
func (w *writeTx) updateDocument(d *coding.Document, actor string, skipSame bool) error {
	pb, st, err := w.projectState(d.ProjectID)
	if err != nil {
		return err
	}
	old, ok := st.docs[d.ID]
	if !ok {
		return coding.Errorf(coding.ENOTFOUND, "document %s does not exist", d.ID)
	}
	for _, other := range st.docs {
		if other.ID != d.ID && titleClash(other.Title, d.Title) {
			return coding.Errorf(coding.ECONFLICT, "a document titled %q already exists in this project", d.Title)
		}
	}
	meta := *old
	meta.Title, meta.Attributes, meta.Folder, meta.Sets = d.Title, d.Attributes, d.Folder, d.Sets
	if meta.Attributes == nil {
		meta.Attributes = map[string]string{}
	}
	if err := meta.Validate(); err != nil {
		return err
	}
	meta.Length = old.Length
	if skipSame && sameDocument(&meta, old) {
		*d = meta
		return nil
	}
	key, _ := idKey("document", d.ID)
	data, err := encodeJSON(&meta)
	if err != nil {
		return err
	}
	if err := pb.Bucket(bucketDocs).Put(key, data); err != nil {
		return err
	}
	// The state of this transaction sees the change at once: a batch
	// that renames two documents into each other's titles is then checked
	// against the titles as they are at each step.
	own, err := w.ownState(pb, d.ProjectID)
	if err != nil {
		return err
	}
	stored := meta
	own.docs[d.ID] = &stored
	*d = meta
	return w.event(pb, d.ProjectID, coding.EventDocumentUpdated, actor, "", &meta)
}

// sameDocument reports whether a and b hold the same title, attributes,
// folder and sets.
func sameDocument(a, b *coding.Document) bool {
	return a.Title == b.Title && a.Folder == b.Folder && maps.Equal(a.Attributes, b.Attributes) && slices.Equal(a.Sets, b.Sets)
}

// titleClash reports whether two titles would name the same document.
func titleClash(a, b string) bool { return strings.EqualFold(a, b) }

// Documents returns a project's documents without their text and without
// those in the trash, in the project's order (by title until a lead sets
// one).
func (db *DB) Documents(projectID string) ([]coding.Document, error) {
	var out []coding.Document
	var order map[string]int
	err := db.view(projectID, func(tx *bolt.Tx, pb *bolt.Bucket) error {
		var err error
		if order, err = readOrder(pb); err != nil {
			return err
		}
		tr := readTrash(pb)
		return pb.Bucket(bucketDocs).ForEach(func(k, v []byte) error {
			if tr.has(k) {
				return nil
			}
			var d coding.Document
			if err := decodeJSON(v, &d); err != nil {
				return err
			}
			out = append(out, d)
			return nil
		})
	})
	sortDocuments(out, order)
	return out, err
}

// Document returns one document with its text.
func (db *DB) Document(projectID, id string) (*coding.Document, error) {
	key, err := idKey("document", id)
	if err != nil {
		return nil, err
	}
	var d *coding.Document
	err = db.view(projectID, func(tx *bolt.Tx, pb *bolt.Bucket) error {
		v := pb.Bucket(bucketDocs).Get(key)
		if v == nil {
			return coding.Errorf(coding.ENOTFOUND, "document %s does not exist", id)
		}
		if readTrash(pb).has(key) {
			return coding.Errorf(coding.ENOTFOUND, "this document was deleted (a lead can restore it from the trash)")
		}
		d = new(coding.Document)
		if err := decodeJSON(v, d); err != nil {
			return err
		}
		d.Text = string(pb.Bucket(bucketTexts).Get(key))
		return nil
	})
	return d, err
}

// DocumentTexts returns every document's text by id (for search and
// export, which need them all), leaving out those in the trash.
func (db *DB) DocumentTexts(projectID string) (map[string]string, error) {
	out := map[string]string{}
	err := db.view(projectID, func(tx *bolt.Tx, pb *bolt.Bucket) error {
		tr := readTrash(pb)
		return pb.Bucket(bucketTexts).ForEach(func(k, v []byte) error {
			if tr.has(k) {
				return nil
			}
			out[keyID(k)] = string(v)
			return nil
		})
	})
	return out, err
}
