package store

import (
	"bytes"
	"sort"

	"github.com/concordqda/concord/coding"
	"github.com/google/uuid"
	bolt "go.etcd.io/bbolt"
)

// CreateProject stores a new project with lead as its first lead. An empty
// ID gets a fresh one; the slug must be free.
func (db *DB) CreateProject(p *coding.Project, lead string) (*coding.Event, error) {
	if err := p.ValidateNew(); err != nil {
		return nil, err
	}
	if p.ID == "" {
		p.ID = uuid.NewString()
	}
	key, err := idKey("project", p.ID)
	if err != nil {
		return nil, coding.Errorf(coding.EINVALID, "project id %q is not a UUID", p.ID)
	}
	leadKey, err := idKey("user", lead)
	if err != nil {
		return nil, err
	}
	events, err := db.update(func(w *writeTx) error {
		return w.createProject(p, key, lead, leadKey)
	})
	if err != nil {
		return nil, err
	}
	return &events[0], nil
}

func (w *writeTx) createProject(p *coding.Project, key []byte, lead string, leadKey []byte) error {
	if err := w.slugFree(p.Slug); err != nil {
		return err
	}
	if err := w.createProjectBucket(p, key, lead, leadKey); err != nil {
		return err
	}
	return w.tx.Bucket(bucketSlugs).Put([]byte(p.Slug), key)
}

func (w *writeTx) slugFree(slug string) error {
	if w.tx.Bucket(bucketSlugs).Get([]byte(slug)) != nil {
		return coding.Errorf(coding.ECONFLICT, "a project with slug %q already exists", slug)
	}
	return nil
}

// createProjectBucket stores a new project with its lead, but does not
// register its slug: nothing finds it by name until that is done.
func (w *writeTx) createProjectBucket(p *coding.Project, key []byte, lead string, leadKey []byte) error {
	if w.tx.Bucket(bucketUsers).Get(leadKey) == nil {
		return coding.Errorf(coding.ENOTFOUND, "user %s does not exist", lead)
	}
	projects := w.tx.Bucket(bucketProjects)
	if projects.Bucket(key) != nil {
		return coding.Errorf(coding.ECONFLICT, "a project with id %s already exists", p.ID)
	}
	pb, err := projects.CreateBucket(key)
	if err != nil {
		return err
	}
	for _, name := range projectBuckets {
		if _, err := pb.CreateBucket(name); err != nil {
			return err
		}
	}
	if p.Created.IsZero() {
		p.Created = w.now
	}
	data, err := encodeJSON(p)
	if err != nil {
		return err
	}
	if err := pb.Put(keyProject, data); err != nil {
		return err
	}
	if err := pb.Bucket(bucketMembers).Put(leadKey, []byte(coding.RoleLead)); err != nil {
		return err
	}
	w.invalidate(p.ID)
	return w.event(pb, p.ID, coding.EventProjectCreated, lead, "", p)
}

// UpdateProject changes a project's name, description and blind flag (the
// slug and id stay).
func (db *DB) UpdateProject(p *coding.Project, actor string) (*coding.Event, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	events, err := db.update(func(w *writeTx) error {
		pb, err := w.project(p.ID)
		if err != nil {
			return err
		}
		var old coding.Project
		if err := decodeJSON(pb.Get(keyProject), &old); err != nil {
			return err
		}
		if old.Slug != p.Slug {
			return coding.Errorf(coding.EINVALID, "a project's slug cannot change")
		}
		p.Created = old.Created
		data, err := encodeJSON(p)
		if err != nil {
			return err
		}
		if err := pb.Put(keyProject, data); err != nil {
			return err
		}
		return w.event(pb, p.ID, coding.EventProjectUpdated, actor, "", p)
	})
	if err != nil {
		return nil, err
	}
	return &events[0], nil
}

// Project returns the project with the given id.
func (db *DB) Project(id string) (*coding.Project, error) {
	var p *coding.Project
	err := db.view(id, func(tx *bolt.Tx, pb *bolt.Bucket) error {
		p = new(coding.Project)
		return decodeJSON(pb.Get(keyProject), p)
	})
	return p, err
}

// ProjectBySlug returns the project with the given slug.
func (db *DB) ProjectBySlug(slug string) (*coding.Project, error) {
	var p *coding.Project
	err := db.bolt.View(func(tx *bolt.Tx) error {
		key := tx.Bucket(bucketSlugs).Get([]byte(slug))
		if key == nil {
			return coding.Errorf(coding.ENOTFOUND, "there is no project %q", slug)
		}
		pb := tx.Bucket(bucketProjects).Bucket(key)
		if pb == nil {
			return coding.Errorf(coding.ENOTFOUND, "there is no project %q", slug)
		}
		p = new(coding.Project)
		return decodeJSON(pb.Get(keyProject), p)
	})
	return p, err
}

// Projects returns every project, sorted by slug.
func (db *DB) Projects() ([]coding.Project, error) {
	var out []coding.Project
	err := db.bolt.View(func(tx *bolt.Tx) error {
		// An import still being written (or one a stopped process left,
		// seen read-only) is not a project yet.
		var hidden []byte
		if j, err := unfinishedImport(tx); err != nil {
			return err
		} else if j != nil {
			hidden, _ = idKey("project", j.Project)
		}
		return tx.Bucket(bucketProjects).ForEachBucket(func(k []byte) error {
			if hidden != nil && bytes.Equal(k, hidden) {
				return nil
			}
			var p coding.Project
			if err := decodeJSON(tx.Bucket(bucketProjects).Bucket(k).Get(keyProject), &p); err != nil {
				return err
			}
			out = append(out, p)
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Slug < out[j].Slug })
	return out, err
}

// project returns a project's bucket inside the write transaction.
func (w *writeTx) project(id string) (*bolt.Bucket, error) {
	return projectBucket(w.tx, id)
}

// view runs fn in a read transaction with the project's bucket.
func (db *DB) view(projectID string, fn func(tx *bolt.Tx, pb *bolt.Bucket) error) error {
	return db.bolt.View(func(tx *bolt.Tx) error {
		pb, err := projectBucket(tx, projectID)
		if err != nil {
			return err
		}
		return fn(tx, pb)
	})
}

func projectBucket(tx *bolt.Tx, id string) (*bolt.Bucket, error) {
	key, err := idKey("project", id)
	if err != nil {
		return nil, err
	}
	pb := tx.Bucket(bucketProjects).Bucket(key)
	if pb == nil {
		return nil, coding.Errorf(coding.ENOTFOUND, "project %s does not exist", id)
	}
	return pb, nil
}
