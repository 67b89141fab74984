package main

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A first start says where to sign in before anything else: at the
// default log level, creating the database logs nothing.
func TestFirstStartPrintsTheBannerFirst(t *testing.T) {
	t.Parallel()
	ts := startServer(t, "--log-level", "info")
	out := ts.Out.String()
	if !strings.HasPrefix(out, "Concord is running at ") {
		t.Errorf("a first start printed, before its banner:\n%s", out)
	}
	if strings.Contains(out, "migrated database schema") {
		t.Errorf("a first start logged a migration at info level:\n%s", out)
	}
}

// A server that cannot listen on its port stops with a message that says
// so, and leaves no database file behind.
func TestServeOnATakenPortMakesNoDatabase(t *testing.T) {
	t.Parallel()
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	db := filepath.Join(t.TempDir(), "new.db")
	_, _, err = run(t, "", "serve", "--db", db, "--addr", taken.Addr().String())
	if err == nil || !strings.Contains(err.Error(), "cannot listen on "+taken.Addr().String()) {
		t.Fatalf("serve on a taken port = %v, want a refusal naming the address", err)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("serve on a taken port left %s behind (stat: %v)", db, err)
	}
}
