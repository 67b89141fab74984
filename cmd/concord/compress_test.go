package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"testing"
)

// fetch asks for path with the given Accept-Encoding and returns the
// answer's headers and its body as sent (not unpacked).
func (c *apiClient) fetch(path, acceptEncoding string) (http.Header, []byte) {
	c.t.Helper()
	req, err := http.NewRequest("GET", c.base+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Accept-Encoding", acceptEncoding)
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		c.t.Fatalf("GET %s: status %d: %s", path, resp.StatusCode, body)
	}
	return resp.Header, body
}

// Text answers go out gzipped to a client that accepts it and unpack to
// exactly what a client that does not gets; small answers and archives go
// as they are.
func TestAnswersAreGzippedForClientsThatAcceptIt(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	lead := ts.login(t, "lead", DemoPassword)
	ids := lead.demo()
	for _, tc := range []struct {
		path string
		gzip bool
	}{
		{"/api/projects/peer-support/documents/" + ids.Doc + "/codings", true},
		{"/api/projects/peer-support/codings", true},
		{"/api/projects/peer-support/export?format=csv", true},
		{"/api/projects/peer-support/export?format=html", true},
		{"/app.js", true},
		{"/app.css", true},
		{"/api/me", false}, // small
		{"/api/projects/peer-support/export?format=qdpx", false}, // a zip already
		{"/favicon.svg", false},                                  // small
	} {
		plainH, plain := lead.fetch(tc.path, "identity")
		if plainH.Get("Content-Encoding") != "" {
			t.Errorf("%s without gzip accepted: Content-Encoding %q", tc.path, plainH.Get("Content-Encoding"))
		}
		h, body := lead.fetch(tc.path, "gzip, deflate, br")
		if got := h.Get("Content-Encoding") == "gzip"; got != tc.gzip {
			t.Errorf("%s: gzipped %v, want %v (%d bytes)", tc.path, got, tc.gzip, len(plain))
			continue
		}
		if !tc.gzip {
			continue
		}
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("%s: %v", tc.path, err)
		}
		unpacked, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("%s: %v", tc.path, err)
		}
		if !bytes.Equal(unpacked, plain) {
			t.Errorf("%s: gzipped answer unpacks to %d bytes, the plain one is %d", tc.path, len(unpacked), len(plain))
		}
		if len(body) >= len(plain) {
			t.Errorf("%s: gzipped %d bytes, plain %d", tc.path, len(body), len(plain))
		}
		if h.Get("Vary") != "Accept-Encoding" {
			t.Errorf("%s: Vary %q", tc.path, h.Get("Vary"))
		}
	}
	if _, body := lead.fetch("/app.js", "gzip;q=0"); bytes.HasPrefix(body, []byte{0x1f, 0x8b}) {
		t.Errorf("gzip;q=0 got a gzipped answer")
	}
}
