package main

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A full disk gives coders a clear 503 and changes nothing; reads go on,
// and what was acknowledged before is still there. It needs a small tmpfs,
// so it runs as root only (CI runs as root).
func TestFullDiskKeepsServingReads(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("needs root to mount a small tmpfs")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	db := filepath.Join(dir, "c.db")
	ts := startServerAt(t, db)
	ana := ts.login(t, "ana", "concord-demo")
	ids := ana.demo()
	memo := strings.Repeat("a long memo to fill the disk quickly ", 400)
	var lastOK string
	full := false
	for i := 0; i < 5000 && !full; i++ {
		var out struct {
			Coding struct{ ID string }
			Error  string
		}
		status := ana.do("POST", "/api/projects/peer-support/codings",
			map[string]any{"document": ids.Doc, "code": ids.Codes[i%len(ids.Codes)], "start": i % (ids.DocLen - 10), "end": i%(ids.DocLen-10) + 5 + i/(ids.DocLen-10), "memo": memo}, &out)
		switch status {
		case http.StatusCreated:
			lastOK = out.Coding.ID
		case http.StatusServiceUnavailable:
			if !strings.Contains(out.Error, "could not save") || !strings.Contains(out.Error, "nothing was saved") {
				t.Fatalf("the full-disk error does not say what happened: %q", out.Error)
			}
			full = true
		default:
			t.Fatalf("coding %d: status %d %q", i, status, out.Error)
		}
	}
	if !full {
		t.Fatal("the disk never filled up")
	}
	// Reads still work, and the last acknowledged coding is there.
	var got struct{ Codings []struct{ ID string } }
	ana.mustDo(http.StatusOK, "GET", "/api/projects/peer-support/codings", nil, &got)
	found := false
	for _, c := range got.Codings {
		found = found || c.ID == lastOK
	}
	if !found {
		t.Fatal("the last acknowledged coding is missing after the disk filled")
	}
	if !strings.Contains(ts.Out.String(), "commit failed") {
		t.Errorf("the operator was not told:\n%s", ts.Out.String())
	}
}
