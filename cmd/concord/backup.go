package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/concordqda/concord/cmd/internal/cli"
	"github.com/concordqda/concord/store"
)

// backup writes a consistent copy of the database to FILE. It reads the
// database through bbolt's Tx.WriteTo, so it is consistent even while other
// commands write; the file appears only once it is complete.
func (m *Main) backup(ctx context.Context, args []string) error {
	fs := m.flags("backup", "backup [--db FILE | --url URL --user LOGIN] BACKUP_FILE")
	db := m.dbFlag(fs)
	server := fs.String("url", "", "back up through a running server at this URL instead of opening the file (the password is read from $CONCORD_PASSWORD or standard input)")
	user := fs.String("user", "", "an administrator's login, with --url")
	pos, err := cli.Parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return cli.Usagef("backup needs exactly one argument: the file to write")
	}
	out := pos[0]
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("%s already exists; choose a new file name", out)
	}
	if *server != "" {
		return m.backupFromServer(ctx, *server, *user, out)
	}
	st, err := openDB(*db)
	if err != nil {
		return fmt.Errorf("%w\nTo back up while the server runs, ask it: concord backup --url http://ADDRESS --user ADMIN %s", err, out)
	}
	defer st.Close()
	n, err := writeBackup(st.Backup, out)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "Backed up %s to %s (%d bytes).\n", *db, out, n)
	return nil
}

// writeBackup writes to a temporary file beside out, syncs it and renames
// it into place, so a crash never leaves a half-written backup under the
// real name.
func writeBackup(copyTo func(io.Writer) (int64, error), out string) (int64, error) {
	tmp, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".*")
	if err != nil {
		return 0, fmt.Errorf("%s: %w", out, cli.UnwrapPath(err))
	}
	defer os.Remove(tmp.Name())
	n, err := copyTo(tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if err == nil {
		err = checkBackupSum(tmp)
	}
	if err == nil {
		err = checkBackup(tmp.Name())
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

// checkBackupSum reads a written backup back and compares it with the
// checksum at its end, so that a copy the disk or the network garbled is
// never reported as a backup. A server older than backup checksums sends
// none; its copy is still checked by checkBackup.
func checkBackupSum(f *os.File) error {
	info, err := f.Stat()
	if err != nil {
		return err
	}
	sum, err := store.ReadBackupSum(f, info.Size())
	if err != nil || sum.SHA256 == nil {
		return err
	}
	h := sha256.New()
	if _, err := io.Copy(h, io.NewSectionReader(f, 0, sum.Body)); err != nil {
		return err
	}
	if !bytes.Equal(h.Sum(nil), sum.SHA256) {
		return fmt.Errorf("the copy does not match its checksum")
	}
	return nil
}

// checkBackup opens a written backup and runs the consistency check, so a
// truncated or damaged copy is never reported as a backup.
func checkBackup(path string) error {
	st, err := store.Open(path, store.Options{ReadOnly: true, LockTimeout: time.Second})
	if err != nil {
		return fmt.Errorf("the copy does not open: %w", err)
	}
	defer st.Close()
	if err := st.Check(); err != nil {
		return fmt.Errorf("the copy fails the consistency check: %w", err)
	}
	return nil
}

// backupFromServer signs in to a running server as an administrator and
// downloads its backup.
func (m *Main) backupFromServer(ctx context.Context, base, user, out string) error {
	if user == "" {
		return cli.Usagef("--url needs --user LOGIN (an administrator)")
	}
	base = strings.TrimRight(base, "/")
	pw := m.Getenv("CONCORD_PASSWORD")
	if pw == "" {
		line, err := bufio.NewReader(m.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return fmt.Errorf("read the password from standard input (or set CONCORD_PASSWORD): %w", err)
		}
		pw = strings.TrimRight(line, "\r\n")
	}
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 30 * time.Minute}
	body, _ := json.Marshal(map[string]string{"login": user, "password": pw})
	req, err := http.NewRequestWithContext(ctx, "POST", base+"/api/login", bytes.NewReader(body))
	if err != nil {
		return cli.Usagef("--url %q: %v", base, err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("cannot reach %s: %w", base, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("signing in to %s as %s failed (status %d)", base, user, resp.StatusCode)
	}
	n, err := writeBackup(func(w io.Writer) (int64, error) {
		req, err := http.NewRequestWithContext(ctx, "GET", base+"/api/backup", nil)
		if err != nil {
			return 0, err
		}
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			var e struct{ Error string }
			json.NewDecoder(resp.Body).Decode(&e)
			return 0, fmt.Errorf("the server refused: %s", e.Error)
		}
		return io.Copy(w, resp.Body)
	}, out)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "Backed up %s to %s (%d bytes).\n", base, out, n)
	return nil
}
