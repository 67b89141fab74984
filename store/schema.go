package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"

	bolt "go.etcd.io/bbolt"
)

// schemaVersion is the layout this code reads and writes. Every change to
// the on-disk shape adds a migration and bumps it.
const schemaVersion = 1

var keySchema = []byte("schema")

// migrations[v] upgrades a database from version v to v+1.
var migrations = map[uint32]func(tx *bolt.Tx) error{
	0: func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketUsers, bucketLogins, bucketProjects, bucketSlugs, bucketSessions} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	},
}

func (db *DB) migrate() error {
	// A file already at this schema is left as it is: every bbolt commit
	// rewrites a meta page, so even an empty one would change a backup
	// opened to look at it, and its checksum would no longer match.
	current := false
	db.bolt.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		current = meta != nil && readVersion(meta) == schemaVersion
		return nil
	})
	if current {
		return nil
	}
	return db.bolt.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		v := readVersion(meta)
		created := v == 0 && tx.Bucket(bucketUsers) == nil
		if v > schemaVersion {
			return fmt.Errorf("it was written by a newer Concord (schema %d, this one reads up to %d)", v, schemaVersion)
		}
		for ; v < schemaVersion; v++ {
			if err := migrations[v](tx); err != nil {
				return fmt.Errorf("migrate schema %d to %d: %w", v, v+1, err)
			}
			// A new file has nothing to migrate: say so only at debug
			// level, so that a normal first start prints its banner alone.
			level := slog.LevelInfo
			if created {
				level = slog.LevelDebug
			}
			db.log.Log(context.Background(), level, "migrated database schema", "from", v, "to", v+1)
		}
		return meta.Put(keySchema, binary.BigEndian.AppendUint32(nil, schemaVersion))
	})
}

// ErrOlderSchema is what a read-only open answers for a database an older
// Concord wrote: reading must not write, so the caller says how to upgrade.
var ErrOlderSchema = errors.New("the database was written by an older Concord and needs upgrading once")

func (db *DB) checkVersion() error {
	return db.bolt.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil {
			return fmt.Errorf("not a Concord database (no schema)")
		}
		if v := readVersion(meta); v != schemaVersion {
			return fmt.Errorf("%w (schema %d, this Concord reads %d)", ErrOlderSchema, v, schemaVersion)
		}
		return nil
	})
}

func readVersion(meta *bolt.Bucket) uint32 {
	b := meta.Get(keySchema)
	if len(b) != 4 {
		return 0
	}
	return binary.BigEndian.Uint32(b)
}
