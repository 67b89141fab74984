package store

import (
	"github.com/concordqda/concord/coding"
	bolt "go.etcd.io/bbolt"
)

// SetMember gives a user a role in a project (adding or changing it).
func (db *DB) SetMember(m coding.Member, actor string) (*coding.Event, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	userKey, err := idKey("user", m.UserID)
	if err != nil {
		return nil, err
	}
	events, err := db.update(func(w *writeTx) error {
		pb, err := w.project(m.ProjectID)
		if err != nil {
			return err
		}
		if w.tx.Bucket(bucketUsers).Get(userKey) == nil {
			return coding.Errorf(coding.ENOTFOUND, "user %s does not exist", m.UserID)
		}
		if err := pb.Bucket(bucketMembers).Put(userKey, []byte(m.Role)); err != nil {
			return err
		}
		w.invalidate(m.ProjectID)
		return w.event(pb, m.ProjectID, coding.EventMemberSet, actor, "", m)
	})
	if err != nil {
		return nil, err
	}
	return &events[0], nil
}

// RemoveMember takes a user out of a project. Their codings and memos stay
// (the project's history and the agreement figures need them); they can no
// longer open the project. The event carries the role they had.
func (db *DB) RemoveMember(projectID, userID, actor string) (*coding.Member, error) {
	userKey, err := idKey("user", userID)
	if err != nil {
		return nil, err
	}
	m := &coding.Member{ProjectID: projectID, UserID: userID}
	_, err = db.update(func(w *writeTx) error {
		pb, err := w.project(projectID)
		if err != nil {
			return err
		}
		members := pb.Bucket(bucketMembers)
		v := members.Get(userKey)
		if v == nil {
			return refuse(coding.Errorf(coding.ENOTFOUND, "user %s is not a member of this project", userID))
		}
		m.Role = coding.Role(v)
		if err := members.Delete(userKey); err != nil {
			return err
		}
		w.invalidate(projectID)
		return w.event(pb, projectID, coding.EventMemberRemoved, actor, "", m)
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// Members returns a project's members.
func (db *DB) Members(projectID string) ([]coding.Member, error) {
	var out []coding.Member
	err := db.view(projectID, func(tx *bolt.Tx, pb *bolt.Bucket) error {
		return pb.Bucket(bucketMembers).ForEach(func(k, v []byte) error {
			out = append(out, coding.Member{ProjectID: projectID, UserID: keyID(k), Role: coding.Role(v)})
			return nil
		})
	})
	return out, err
}

// Role returns a user's role in a project, or ENOTFOUND when the user is
// not a member.
func (db *DB) Role(projectID, userID string) (coding.Role, error) {
	userKey, err := idKey("user", userID)
	if err != nil {
		return "", err
	}
	var role coding.Role
	err = db.view(projectID, func(tx *bolt.Tx, pb *bolt.Bucket) error {
		v := pb.Bucket(bucketMembers).Get(userKey)
		if v == nil {
			return coding.Errorf(coding.ENOTFOUND, "user %s is not a member of this project", userID)
		}
		role = coding.Role(v)
		return nil
	})
	return role, err
}
