package main

import (
	"net/http"
	"strings"
	"testing"
)

func TestServeAnswersRootAndHealth(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	for _, path := range []string{"/", "/api/health", "/healthz"} {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("GET %s = %d, want 200", path, resp.StatusCode)
		}
	}
	out := ts.Out.String()
	for _, want := range []string{"Concord is running at http://127.0.0.1:", "lead", "concord-demo"} {
		if !strings.Contains(out, want) {
			t.Errorf("start-up message lacks %q:\n%s", want, out)
		}
	}
}
