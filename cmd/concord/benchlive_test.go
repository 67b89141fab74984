package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/concordqda/concord/coding"
)

// bench live --url against a server that stops mid-run reports it and
// fails, instead of waiting for a server that is gone.
func TestBenchLiveEndsWhenTheServerStops(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	before, err := ts.Store.Codings(ts.demoProjectID(t), coding.CodingFilter{})
	if err != nil {
		t.Fatal(err)
	}
	out := &syncBuffer{}
	m := &Main{Stdin: strings.NewReader(""), Stdout: out, Stderr: out, Getenv: func(string) string { return "" }, BcryptCost: testBcryptCost}
	done := make(chan error, 1)
	go func() {
		done <- m.Run(context.Background(), []string{"bench", "live", "--url", ts.URL, "--project", "peer-support",
			"--user", "ana", "--password", "concord-demo", "--coders", "3", "--duration", "1h", "--rate", "50"})
	}()
	// Stop the server once the run is writing.
	deadline := time.Now().Add(60 * time.Second)
	for {
		cs, err := ts.Store.Codings(ts.demoProjectID(t), coding.CodingFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) > len(before)+5 {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("bench live ended before the server stopped: %v\n%s", err, out)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("bench live wrote no codings in 60s\n%s", out)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := ts.Stop(); err != nil {
		t.Fatalf("serve: %v", err)
	}
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "ended") {
			t.Fatalf("bench live after the server stopped = %v, want an error saying the connection ended\n%s", err, out)
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("bench live still runs 15s after the server stopped\n%s", out)
	}
}

// demoProjectID is the id of the demo project.
func (ts *testServer) demoProjectID(t testing.TB) string {
	t.Helper()
	p, err := ts.Store.ProjectBySlug("peer-support")
	if err != nil {
		t.Fatal(err)
	}
	return p.ID
}

// A coder of a blind project sees only their own codings and gets cursors
// instead of sequence numbers: bench live says so instead of failing on
// the first event it cannot read.
func TestBenchLiveAsABlindCoderSaysWhy(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	lead := ts.login(t, "lead", "concord-demo")
	lead.mustDo(http.StatusOK, "PATCH", "/api/projects/peer-support", map[string]any{"blind": true}, nil)
	_, _, err := run(t, "", "bench", "live", "--url", ts.URL, "--project", "peer-support",
		"--user", "ana", "--password", "concord-demo", "--coders", "2", "--duration", "1s")
	if err == nil || !strings.Contains(err.Error(), "is blind") || !strings.Contains(err.Error(), "lead") {
		t.Fatalf("bench live as a blind coder = %v, want an error saying the project is blind", err)
	}
}
