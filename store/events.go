package store

import (
	"github.com/concordqda/concord/coding"
	bolt "go.etcd.io/bbolt"
)

// Events returns up to limit events of a project with sequence numbers
// greater than since, in order. limit <= 0 means all.
func (db *DB) Events(projectID string, since uint64, limit int) ([]coding.Event, error) {
	var out []coding.Event
	err := db.view(projectID, func(tx *bolt.Tx, pb *bolt.Bucket) error {
		cur := pb.Bucket(bucketEvents).Cursor()
		for k, v := cur.Seek(u64(since + 1)); k != nil; k, v = cur.Next() {
			var ev coding.Event
			if err := decodeJSON(v, &ev); err != nil {
				return err
			}
			ev.Raw = append([]byte(nil), v...)
			out = append(out, ev)
			if limit > 0 && len(out) >= limit {
				break
			}
		}
		return nil
	})
	return out, err
}

// LastSeq returns the sequence number of a project's latest event.
func (db *DB) LastSeq(projectID string) (uint64, error) {
	var seq uint64
	err := db.view(projectID, func(tx *bolt.Tx, pb *bolt.Bucket) error {
		seq = pb.Bucket(bucketEvents).Sequence()
		return nil
	})
	return seq, err
}
