package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/concordqda/concord/cmd/internal/cli"
	"github.com/concordqda/concord/store"
)

// restore copies a backup into a new database file after checking it: its
// checksum, bbolt's consistency check and every record (see store.Verify).
// A damaged, truncated or foreign file is refused and nothing is left
// behind.
func (m *Main) restore(ctx context.Context, args []string) error {
	fs := m.flags("restore", "restore BACKUP_FILE --db NEW_DATABASE")
	db := m.dbFlag(fs)
	pos, err := cli.Parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return cli.Usagef("restore needs exactly one argument: the backup file")
	}
	src := pos[0]
	if _, err := os.Stat(*db); err == nil {
		return fmt.Errorf("%s already exists; restore into a new file (--db NEW.db) and start the server on it", *db)
	}
	res, err := restoreBackup(ctx, src, *db)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) && pe.Path == src {
			return fmt.Errorf("%s: %w", src, cli.UnwrapPath(err))
		}
		return fmt.Errorf("%s is not a usable Concord backup: %w", src, err)
	}
	if !res.checksummed {
		fmt.Fprintf(m.Stdout, "Note: %s has no checksum to verify (it was made before backups carried one); every record was checked instead.\n", src)
	}
	abs, _ := filepath.Abs(*db)
	fmt.Fprintf(m.Stdout, "Restored %s into %s (%d bytes: %s). Start the server on it with: concord --db %s\n", src, *db, res.bytes, res.summary, abs)
	return nil
}

// restored is what restoreBackup did.
type restored struct {
	bytes       int64
	checksummed bool
	summary     string // what the database holds
}

// restoreBackup copies the database part of the backup src into a
// temporary file beside target, verifying the checksum on the way, checks
// the copy in a child process and only then gives it target's name. The
// temporary file goes on every other path, a panic included. This process
// never maps the copy: a damaged file can crash bbolt, and then it is only
// the child that dies.
func restoreBackup(ctx context.Context, src, target string) (res restored, err error) {
	in, err := os.Open(src)
	if err != nil {
		return res, err
	}
	defer in.Close()
	info, err := in.Stat()
	if err != nil {
		return res, err
	}
	if !info.Mode().IsRegular() {
		return res, fmt.Errorf("it is not a regular file")
	}
	sum, err := store.ReadBackupSum(in, info.Size())
	if err != nil {
		return res, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".restore-*")
	if err != nil {
		return res, fmt.Errorf("%s: %w", target, cli.UnwrapPath(err))
	}
	kept := false
	defer func() {
		if !kept {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	if res.bytes, err = io.Copy(io.MultiWriter(tmp, h), io.NewSectionReader(in, 0, sum.Body)); err != nil {
		return res, fmt.Errorf("copy into %s: %w", target, err)
	}
	if sum.SHA256 != nil && !bytes.Equal(h.Sum(nil), sum.SHA256) {
		return res, fmt.Errorf("its checksum does not match: the file changed after it was written (damaged on disk or in transfer); restore another backup")
	}
	res.checksummed = sum.SHA256 != nil
	if err := tmp.Sync(); err != nil {
		return res, fmt.Errorf("write %s: %w", target, err)
	}
	if err := tmp.Close(); err != nil {
		return res, fmt.Errorf("write %s: %w", target, err)
	}
	if res.summary, err = verifyInChild(ctx, tmp.Name()); err != nil {
		return res, err
	}
	if err := os.Rename(tmp.Name(), target); err != nil {
		return res, fmt.Errorf("write %s: %w", target, err)
	}
	kept = true
	return res, nil
}
