package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/concordqda/concord/cmd/internal/cli"
	"github.com/concordqda/concord/store"
)

// backupRotation writes a backup into dir every interval while serving and
// keeps the newest keep of them.
type backupRotation struct {
	every time.Duration
	dir   string
	keep  int
}

const backupPrefix = "concord-"

func (b *backupRotation) run(ctx context.Context, st *store.DB, log *slog.Logger) {
	t := time.NewTicker(b.every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			name := filepath.Join(b.dir, backupPrefix+now.UTC().Format("20060102-150405.000")+".db")
			n, err := writeBackup(st.Backup, name)
			if err != nil {
				log.Error("scheduled backup failed", "file", name, "err", err)
				continue
			}
			log.Info("scheduled backup written", "file", name, "bytes", n)
			if err := b.prune(); err != nil {
				log.Error("removing old backups failed", "dir", b.dir, "err", err)
			}
		}
	}
}

// prune removes all but the newest keep backups (names sort by time).
func (b *backupRotation) prune() error {
	entries, err := os.ReadDir(b.dir)
	if err != nil {
		return err
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasPrefix(e.Name(), backupPrefix) && strings.HasSuffix(e.Name(), ".db") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	for len(names) > b.keep {
		if err := os.Remove(filepath.Join(b.dir, names[0])); err != nil {
			return err
		}
		names = names[1:]
	}
	return nil
}

func (b *backupRotation) validate() error {
	if b.every == 0 {
		return nil
	}
	if b.every < time.Second {
		return cli.Usagef("--backup-every must be at least 1s")
	}
	if b.dir == "" {
		return cli.Usagef("--backup-every needs --backup-dir")
	}
	if b.keep < 1 {
		return cli.Usagef("--keep must be at least 1")
	}
	if err := os.MkdirAll(b.dir, 0o700); err != nil {
		return fmt.Errorf("--backup-dir %s: %w", b.dir, cli.UnwrapPath(err))
	}
	return nil
}
