package store

import (
	"encoding/binary"

	"github.com/concordqda/concord/coding"
	bolt "go.etcd.io/bbolt"
)

var keyEventFloor = []byte("event-floor")

// compactChunk bounds how many events one transaction removes, so that a
// large compaction never holds the writer for long.
const compactChunk = 20000

// CompactEvents removes a project's oldest events, keeping the newest keep.
// The state they built lives on in the entities; what is gone is only the
// history. Clients that ask to resume from before the new floor are told
// to reload instead of receiving a partial history. It returns how many
// events were removed.
func (db *DB) CompactEvents(projectID string, keep int, actor string) (int, error) {
	if keep < 1 {
		return 0, coding.Errorf(coding.EINVALID, "keep at least one event")
	}
	total := 0
	for {
		removed := 0
		_, err := db.update(func(w *writeTx) error {
			removed = 0
			pb, err := w.project(projectID)
			if err != nil {
				return err
			}
			events := pb.Bucket(bucketEvents)
			head := events.Sequence()
			if head <= uint64(keep) {
				return nil
			}
			cut := head - uint64(keep) // remove seq <= cut
			var dead [][]byte
			cur := events.Cursor()
			for k, _ := cur.First(); k != nil && binary.BigEndian.Uint64(k) <= cut && len(dead) < compactChunk; k, _ = cur.Next() {
				dead = append(dead, append([]byte(nil), k...))
			}
			if len(dead) == 0 {
				return nil
			}
			for _, k := range dead {
				if err := events.Delete(k); err != nil {
					return err
				}
			}
			removed = len(dead)
			floor := binary.BigEndian.Uint64(dead[len(dead)-1])
			if err := pb.Put(keyEventFloor, u64(floor)); err != nil {
				return err
			}
			return w.event(pb, projectID, coding.EventLogCompacted, actor, "", coding.LogCompacted{Floor: floor, Removed: removed})
		})
		if err != nil {
			return total, err
		}
		total += removed
		if removed < compactChunk {
			return total, nil
		}
	}
}

// EventFloor returns the sequence number up to which a project's events
// were compacted away (0 when none were): a client that last saw an
// earlier event must reload the project.
func (db *DB) EventFloor(projectID string) (uint64, error) {
	var floor uint64
	err := db.view(projectID, func(tx *bolt.Tx, pb *bolt.Bucket) error {
		if v := pb.Get(keyEventFloor); len(v) == 8 {
			floor = binary.BigEndian.Uint64(v)
		}
		return nil
	})
	return floor, err
}
