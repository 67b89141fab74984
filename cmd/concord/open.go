package main

import (
	"log/slog"
	"time"

	"github.com/concordqda/concord/coding"
	"github.com/concordqda/concord/store"
)

// openDB opens the database for a command that does not serve.
func openDB(path string) (*store.DB, error) {
	return store.Open(path, store.Options{LockTimeout: 500 * time.Millisecond})
}

// openServingDB opens the database for serve, publishing committed events.
func openServingDB(path string, log *slog.Logger, publish func([]coding.Event)) (*store.DB, error) {
	return store.Open(path, store.Options{LockTimeout: 500 * time.Millisecond, Logger: log, OnCommit: publish})
}
