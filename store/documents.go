package store

import (
	"sort"
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
	if _, ok := st.docs[d.ID]; ok {
		return coding.Errorf(coding.ECONFLICT, "a document with id %s already exists", d.ID)
	}
	for _, other := range st.docs {
		if strings.EqualFold(other.Title, d.Title) {
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

// UpdateDocument changes a document's title and attributes (never its
// text: codings point into it).
func (db *DB) UpdateDocument(d *coding.Document, actor string) (*coding.Event, error) {
	events, err := db.update(func(w *writeTx) error {
		pb, st, err := w.projectState(d.ProjectID)
		if err != nil {
			return err
		}
		old, ok := st.docs[d.ID]
		if !ok {
			return coding.Errorf(coding.ENOTFOUND, "document %s does not exist", d.ID)
		}
		for _, other := range st.docs {
			if other.ID != d.ID && strings.EqualFold(other.Title, d.Title) {
				return coding.Errorf(coding.ECONFLICT, "a document titled %q already exists in this project", d.Title)
			}
		}
		meta := *old
		meta.Title, meta.Attributes = d.Title, d.Attributes
		if meta.Attributes == nil {
			meta.Attributes = map[string]string{}
		}
		if err := meta.Validate(); err != nil {
			return err
		}
		meta.Length = old.Length
		key, _ := idKey("document", d.ID)
		data, err := encodeJSON(&meta)
		if err != nil {
			return err
		}
		if err := pb.Bucket(bucketDocs).Put(key, data); err != nil {
			return err
		}
		w.invalidate(d.ProjectID)
		*d = meta
		return w.event(pb, d.ProjectID, coding.EventDocumentUpdated, actor, "", &meta)
	})
	if err != nil {
		return nil, err
	}
	return &events[0], nil
}

// Documents returns a project's documents without their text, sorted by
// title.
func (db *DB) Documents(projectID string) ([]coding.Document, error) {
	var out []coding.Document
	err := db.view(projectID, func(tx *bolt.Tx, pb *bolt.Bucket) error {
		return pb.Bucket(bucketDocs).ForEach(func(k, v []byte) error {
			var d coding.Document
			if err := decodeJSON(v, &d); err != nil {
				return err
			}
			out = append(out, d)
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Title < out[j].Title })
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
// export, which need them all).
func (db *DB) DocumentTexts(projectID string) (map[string]string, error) {
	out := map[string]string{}
	err := db.view(projectID, func(tx *bolt.Tx, pb *bolt.Bucket) error {
		return pb.Bucket(bucketTexts).ForEach(func(k, v []byte) error {
			out[keyID(k)] = string(v)
			return nil
		})
	})
	return out, err
}
