package main

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/concordqda/concord/store"
	"github.com/gorilla/websocket"
)

// Stopping the server tells live clients "going away" (so they reconnect
// and resume) and closes the database cleanly.
func TestGracefulShutdownSaysGoingAway(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	m := &Main{Stdin: strings.NewReader(""), Stdout: &syncBuffer{}, Stderr: &syncBuffer{}, Getenv: func(string) string { return "" }, BcryptCost: testBcryptCost,
		Ready: func(addr string, _ *store.DB) { ready <- addr }}
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx, []string{"--db", db, "--addr", "127.0.0.1:0"}) }()
	ts := &testServer{URL: "http://" + <-ready}
	ana := ts.login(t, "ana", "concord-demo")
	lc := ana.live("peer-support", 0)
	lc.ready()
	cancel()
	select {
	case <-lc.done:
	case <-time.After(15 * time.Second):
		t.Fatal("the live connection was not closed on shutdown")
	}
	if lc.closeCode != websocket.CloseGoingAway {
		t.Fatalf("close code %d, want %d (going away)", lc.closeCode, websocket.CloseGoingAway)
	}
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatalf("reopen after shutdown: %v", err)
	}
	defer st.Close()
	if err := st.Check(); err != nil {
		t.Fatal(err)
	}
}

// buildBinary compiles concord once per test run for tests that need a
// real process to kill.
func buildBinary(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "concord")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

var runningAt = regexp.MustCompile(`running at (http://[0-9.:]+)`)

// startProcess runs the binary as a server and returns its URL.
func startProcess(t testing.TB, bin, db string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--db", db, "--addr", "127.0.0.1:0", "--log-level", "error")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(out)
	deadline := time.Now().Add(60 * time.Second)
	for lines.Scan() && time.Now().Before(deadline) {
		if m := runningAt.FindStringSubmatch(lines.Text()); m != nil {
			go func() {
				for lines.Scan() {
				}
			}()
			return cmd, m[1]
		}
	}
	cmd.Process.Kill()
	cmd.Wait()
	t.Fatal("the server did not say where it runs")
	return nil, ""
}

// Killing the server (SIGKILL) while coders write leaves a database that
// opens cleanly and holds every coding any client saw acknowledged.
func TestCrashLosesNoAcknowledgedCoding(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("crash test: skipped in -short")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	acked := filepath.Join(dir, "acked.txt")
	before := 0
	for round, after := range []time.Duration{300 * time.Millisecond, 700 * time.Millisecond, 1100 * time.Millisecond} {
		cmd, base := startProcess(t, bin, db)
		load := make(chan error, 1)
		go func() {
			_, _, err := run(t, "", "bench", "live", "--url", base, "--project", "peer-support", "--user", "ana",
				"--password", "concord-demo", "--coders", "8", "--duration", "10s", "--acked", acked, "--json")
			load <- err
		}()
		// Kill only once this round's coders are writing (sign-in and
		// connections take a while on a loaded machine), then at a point
		// that differs by round.
		for deadline := time.Now().Add(60 * time.Second); len(ackedIDs(acked)) <= before && time.Now().Before(deadline); {
			time.Sleep(20 * time.Millisecond)
		}
		time.Sleep(after)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()
		<-load // the load tool fails or ends once the server is gone

		st, err := store.Open(db, store.Options{})
		if err != nil {
			t.Fatalf("round %d: the database does not open after SIGKILL: %v", round, err)
		}
		if err := st.Check(); err != nil {
			t.Fatalf("round %d: consistency check: %v", round, err)
		}
		p, err := st.ProjectBySlug("peer-support")
		if err != nil {
			t.Fatal(err)
		}
		ids := ackedIDs(acked)
		for _, id := range ids {
			if _, err := st.Coding(p.ID, id); err != nil {
				st.Close()
				t.Fatalf("round %d: acknowledged coding %s is lost: %v", round, id, err)
			}
		}
		n, _ := st.CountCodings(p.ID)
		st.Close()
		t.Logf("round %d: killed after %s; %d acknowledged codings all present (%d in the database)", round, after, len(ids), n)
		if len(ids) == before {
			t.Fatalf("round %d: nothing was acknowledged before the kill; the test proves nothing", round)
		}
		before = len(ids)
	}
}

// ackedIDs returns the ids the load tool has appended to its --acked
// file so far (none while there is no file).
func ackedIDs(path string) []string {
	data, _ := os.ReadFile(path)
	return strings.Fields(string(data))
}
