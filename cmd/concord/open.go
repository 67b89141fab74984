package main

import (
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
