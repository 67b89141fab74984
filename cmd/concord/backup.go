package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/concordqda/concord/store"
)

// backup writes a consistent copy of the database to FILE. It reads the
// database through bbolt's Tx.WriteTo, so it is consistent even while other
// commands write; the file appears only once it is complete.
func (m *Main) backup(ctx context.Context, args []string) error {
	fs := m.flags("backup", "backup [--db FILE] BACKUP_FILE")
	db := m.dbFlag(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("backup needs exactly one argument: the file to write")
	}
	out := pos[0]
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("%s already exists; choose a new file name", out)
	}
	st, err := openDB(*db)
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := writeBackup(st, out)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "Backed up %s to %s (%d bytes).\n", *db, out, n)
	return nil
}

// writeBackup writes to a temporary file beside out, syncs it and renames
// it into place, so a crash never leaves a half-written backup under the
// real name.
func writeBackup(st *store.DB, out string) (int64, error) {
	tmp, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".*")
	if err != nil {
		return 0, fmt.Errorf("%s: %w", out, errUnwrapPath(err))
	}
	defer os.Remove(tmp.Name())
	n, err := st.Backup(tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, fmt.Errorf("write backup %s: %w", out, err)
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return 0, fmt.Errorf("write backup %s: %w", out, err)
	}
	return n, nil
}
