package store

import (
	"crypto/sha256"
	"io"

	bolt "go.etcd.io/bbolt"
)

// Backup writes a consistent copy of the whole database to w while the
// database stays in use: one read transaction sees a single snapshot, and
// writers go on (bbolt only defers reusing the pages it reads). The copy
// ends in a checksum trailer (see backupsum.go) that restore verifies.
func (db *DB) Backup(w io.Writer) (int64, error) {
	var n int64
	err := db.bolt.View(func(tx *bolt.Tx) error {
		h := sha256.New()
		var err error
		if n, err = tx.WriteTo(io.MultiWriter(w, h)); err != nil {
			return err
		}
		m, err := w.Write(backupTrailer(h.Sum(nil)))
		n += int64(m)
		return err
	})
	return n, err
}
