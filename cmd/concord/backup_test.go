package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestBackupOfAStoppedDatabase(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	mustRun(t, "users", "add", "maya", "--password", "correct horse", "--db", db)
	mustRun(t, "projects", "create", "p", "--name", "P", "--lead", "maya", "--db", db)
	out := filepath.Join(dir, "copy.db")
	if got := mustRun(t, "backup", out, "--db", db); !strings.Contains(got, "Backed up") {
		t.Fatalf("backup said %q", got)
	}
	if got := mustRun(t, "projects", "list", "--db", out); !strings.HasPrefix(got, "p ") {
		t.Fatalf("the copy lists %q", got)
	}
	if _, _, err := run(t, "", "backup", out, "--db", db); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("overwriting a backup: %v", err)
	}
}

// While the server runs the file is locked; the backup goes through the
// server, hot and consistent, while a coder keeps writing.
func TestBackupWhileServing(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "hot.db")
	if _, _, err := run(t, "", "backup", out, "--db", ts.DB); err == nil || !strings.Contains(err.Error(), "--url") {
		t.Fatalf("backup of a served file: %v, want a hint to use --url", err)
	}
	ana := ts.login(t, "ana", "concord-demo")
	ids := ana.demo()
	stop := make(chan struct{})
	done := make(chan int)
	go func() {
		n := 0
		for {
			select {
			case <-stop:
				done <- n
				return
			default:
			}
			ana.addCoding(ids, ids.Codes[n%len(ids.Codes)], n%(ids.DocLen-5), n%(ids.DocLen-5)+4+n/(ids.DocLen-5))
			n++
		}
	}()
	if _, errOut, err := run(t, "concord-demo\n", "backup", "--url", ts.URL, "--user", "lead", out); err != nil {
		t.Fatalf("backup --url: %v %s", err, errOut)
	}
	close(stop)
	<-done
	if got := mustRun(t, "projects", "list", "--db", out); !strings.Contains(got, "peer-support") {
		t.Fatalf("the hot copy lists %q", got)
	}
	if _, _, err := run(t, "concord-demo\n", "backup", "--url", ts.URL, "--user", "ana", filepath.Join(dir, "x.db")); err == nil || !strings.Contains(err.Error(), "administrator") {
		t.Fatalf("a coder's backup: %v, want a refusal naming administrators", err)
	}
}

func TestRestoreChecksTheBackup(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	mustRun(t, "users", "add", "maya", "--password", "correct horse", "--db", db)
	mustRun(t, "projects", "create", "p", "--name", "P", "--lead", "maya", "--db", db)
	good := filepath.Join(dir, "good.db")
	mustRun(t, "backup", good, "--db", db)

	restored := filepath.Join(dir, "restored.db")
	if out := mustRun(t, "restore", good, "--db", restored); !strings.Contains(out, "Restored") {
		t.Fatalf("restore said %q", out)
	}
	if out := mustRun(t, "projects", "list", "--db", restored); !strings.HasPrefix(out, "p ") {
		t.Fatalf("the restored database lists %q", out)
	}

	data, _ := os.ReadFile(good)
	writeFiles(t, dir, map[string]string{
		"truncated.db": string(data[:len(data)/2]),
		"foreign.db":   "this is not a database at all",
	})
	for _, bad := range []string{"truncated.db", "foreign.db"} {
		target := filepath.Join(dir, "from-"+bad)
		_, _, err := run(t, "", "restore", filepath.Join(dir, bad), "--db", target)
		if err == nil || !strings.Contains(err.Error(), "not a usable Concord backup") {
			t.Errorf("restore %s: %v, want a refusal", bad, err)
		}
		if _, err := os.Stat(target); err == nil {
			t.Errorf("restore %s left %s behind", bad, target)
		}
	}
	if _, _, err := run(t, "", "restore", good, "--db", restored); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("restore over an existing database: %v", err)
	}
}

func TestScheduledBackupsRotate(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "backups")
	ts := startServer(t, "--backup-every", "1s", "--backup-dir", dir, "--keep", "2")
	// After four rotations, the folder holds the two newest backups. A
	// backup is written and checked under a temporary dot-name first (not
	// counted here), then renamed before the oldest is removed, so for a
	// moment there may be three: the count is taken when it is the same
	// twice in a row.
	start := time.Now()
	deadline := start.Add(30 * time.Second)
	prev := -1
	for {
		var entries []os.DirEntry
		all, _ := os.ReadDir(dir)
		for _, e := range all {
			if strings.HasPrefix(e.Name(), backupPrefix) && strings.HasSuffix(e.Name(), ".db") {
				entries = append(entries, e)
			}
		}
		if time.Since(start) > 4*time.Second && len(entries) == prev && len(entries) >= 2 {
			if len(entries) > 2 {
				t.Fatalf("%d backups kept, want 2", len(entries))
			}
			if out := mustRun(t, "projects", "list", "--db", filepath.Join(dir, entries[len(entries)-1].Name())); !strings.Contains(out, "peer-support") {
				t.Fatalf("the newest scheduled backup lists %q", out)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("scheduled backups: %d files after 30s", len(entries))
		}
		prev = len(entries)
		time.Sleep(100 * time.Millisecond)
	}
	_ = ts
}
