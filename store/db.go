package store

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/concordqda/concord/coding"
	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Options tune how a database is opened.
type Options struct {
	// LockTimeout bounds the wait for the file lock a second process holds.
	LockTimeout time.Duration
	// ReadOnly opens the file without taking the write lock.
	ReadOnly bool
	// OnCommit, when set, receives the events of every committed
	// transaction, in sequence order, from the commit loop. It must not
	// block: the server hands the events to its hub and returns.
	OnCommit func([]coding.Event)
	// Logger receives operator messages; nil discards them.
	Logger *slog.Logger
	// MaxBatch caps how many mutations share one transaction.
	MaxBatch int
	// InitialMmapSize, when larger than the file, maps that much from the
	// start. bbolt copies every page a transaction holds each time it
	// grows its map, so a transaction that writes a lot (an import of
	// many documents) is much faster when the map already fits it.
	InitialMmapSize int
}

// DB is an open Concord database.
type DB struct {
	path   string
	bolt   *bolt.DB
	opts   Options
	log    *slog.Logger
	queue  chan *request
	closed chan struct{}
	done   chan struct{}
	cache  map[string]*projectState // owned by the commit loop
	spans  map[string]spanIndex     // project+document → index; owned by the commit loop
	// sessions caches signed-in sessions and their users, so that
	// authenticating a request reads nothing from the file.
	sessions sessionCache
}

// Open opens (creating if needed) the database file at path, creates its
// buckets and runs pending schema migrations.
func Open(path string, opts Options) (*DB, error) {
	if opts.LockTimeout == 0 {
		opts.LockTimeout = time.Second
	}
	if opts.MaxBatch == 0 {
		opts.MaxBatch = 2048
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if err := checkFile(path); err != nil {
		return nil, err
	}
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{
		Timeout:  opts.LockTimeout,
		ReadOnly: opts.ReadOnly,
		// The freelist is rebuilt at open instead of written on every
		// commit: smaller commits, same durability.
		NoFreelistSync:  true,
		FreelistType:    bolt.FreelistMapType,
		InitialMmapSize: opts.InitialMmapSize,
	})
	if err != nil {
		switch {
		case errors.Is(err, berrors.ErrTimeout):
			return nil, fmt.Errorf("database %s is in use by another process (is another concord running?); stop it or choose another file with --db", path)
		case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrVersionMismatch), errors.Is(err, berrors.ErrChecksum):
			return nil, fmt.Errorf("%s is not a Concord database or is damaged: %w", path, err)
		case errors.Is(err, os.ErrPermission):
			return nil, fmt.Errorf("cannot open database %s: permission denied", path)
		}
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	db := &DB{
		path:   path,
		bolt:   bdb,
		opts:   opts,
		log:    opts.Logger.With("component", "store"),
		queue:  make(chan *request, 4096),
		closed: make(chan struct{}),
		done:   make(chan struct{}),
		cache:  map[string]*projectState{},
		spans:  map[string]spanIndex{},
	}
	if !opts.ReadOnly {
		if err := db.migrate(); err != nil {
			bdb.Close()
			return nil, fmt.Errorf("database %s: %w", path, err)
		}
	} else if err := db.checkVersion(); err != nil {
		bdb.Close()
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	go db.commitLoop()
	if !opts.ReadOnly {
		if err := db.sweepImport(); err != nil {
			db.Close()
			return nil, fmt.Errorf("database %s: %w", path, err)
		}
	}
	return db, nil
}

// Path returns the file the database lives in.
func (db *DB) Path() string { return db.path }

// Close waits for queued mutations to commit, then closes the file.
func (db *DB) Close() error {
	select {
	case <-db.closed:
		return nil
	default:
	}
	close(db.closed)
	<-db.done
	return db.bolt.Close()
}

// Check runs bbolt's consistency check over the whole file and returns the
// first problem found.
func (db *DB) Check() error {
	return db.bolt.View(func(tx *bolt.Tx) error {
		// Drain the channel: the checker goroutine reads pages of this
		// transaction until it closes it, so leaving at the first error
		// would strand it on its next send and end the transaction under
		// it.
		var first error
		for err := range tx.Check() {
			if first == nil {
				first = err
			}
		}
		return first
	})
}

// Size returns the size of the database file in bytes.
func (db *DB) Size() (int64, error) {
	var n int64
	err := db.bolt.View(func(tx *bolt.Tx) error {
		n = tx.Size()
		return nil
	})
	return n, err
}
