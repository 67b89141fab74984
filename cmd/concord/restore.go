package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// restore copies a backup into a new database file after checking it: a
// truncated, damaged or foreign file is refused and nothing is written.
func (m *Main) restore(args []string) error {
	fs := m.flags("restore", "restore BACKUP_FILE --db NEW_DATABASE")
	db := m.dbFlag(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("restore needs exactly one argument: the backup file")
	}
	src := pos[0]
	if _, err := os.Stat(*db); err == nil {
		return fmt.Errorf("%s already exists; restore into a new file (--db NEW.db) and start the server on it", *db)
	}
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("%s: %w", src, errUnwrapPath(err))
	}
	defer in.Close()
	n, err := writeBackup(func(w io.Writer) (int64, error) { return io.Copy(w, in) }, *db)
	if err != nil {
		return fmt.Errorf("%s is not a usable Concord backup: %w", src, err)
	}
	abs, _ := filepath.Abs(*db)
	fmt.Fprintf(m.Stdout, "Restored %s into %s (%d bytes). Start the server on it with: concord --db %s\n", src, *db, n, abs)
	return nil
}
