package main

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/concordqda/concord/coding"
	"github.com/concordqda/concord/store"
)

// openDB opens the database for a command that does not serve.
func openDB(path string) (*store.DB, error) {
	return store.Open(path, store.Options{LockTimeout: 500 * time.Millisecond})
}

// openDBForReading opens the database for a command that only reads, such
// as a report: read-only, bbolt neither takes the write lock nor rebuilds
// the freelist, which it does at every writable open by visiting every
// page of the file (the store does not write the freelist, see
// store.Open) — on a 240 MB database most of a report's time.
func openDBForReading(path string) (*store.DB, error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("database %s does not exist; choose the file with --db or CONCORD_DB", path)
	}
	st, err := store.Open(path, store.Options{ReadOnly: true, LockTimeout: 500 * time.Millisecond})
	if errors.Is(err, store.ErrOlderSchema) {
		return nil, fmt.Errorf("%w\nUpgrade it once with `concord projects list --db %s` (or by serving it), then run this again", err, path)
	}
	return st, err
}

// openDBForWriting opens the database for a command that is about to
// write about extra bytes in one transaction: the map is made large enough
// from the start (see store.Options.InitialMmapSize).
func openDBForWriting(path string, extra int64) (*store.DB, error) {
	size := int64(0)
	if info, err := os.Stat(path); err == nil {
		size = info.Size()
	}
	want := size + 2*extra + 1<<20
	if want > 1<<40 {
		want = 1 << 40
	}
	return store.Open(path, store.Options{LockTimeout: 500 * time.Millisecond, InitialMmapSize: int(want)})
}

// openServingDB opens the database for serve, publishing committed events.
func openServingDB(path string, log *slog.Logger, publish func([]coding.Event)) (*store.DB, error) {
	return store.Open(path, store.Options{LockTimeout: 500 * time.Millisecond, Logger: log, OnCommit: publish})
}
