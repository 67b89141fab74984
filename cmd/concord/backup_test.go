package main

import (
	"path/filepath"
	"strings"
	"testing"
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
