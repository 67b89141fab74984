package main

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
)

// Hostile and malformed requests each get a clear 4xx and leave the
// database file byte-for-byte unchanged.
func TestHostileInputChangesNothing(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	ana := ts.login(t, "ana", "concord-demo")
	lead := ts.login(t, "lead", "concord-demo")
	ids := ana.demo()
	coding := func(fields string) string {
		return `{"document":"` + ids.Doc + `","code":"` + ids.Codes[0] + `",` + fields + `}`
	}
	codings := "/api/projects/peer-support/codings"
	tests := []struct {
		name       string
		who        *apiClient
		method     string
		path, body string
		status     int
	}{
		{"oversized body", ana, "POST", codings, coding(`"start":0,"end":1,"memo":"` + strings.Repeat("x", 2<<20) + `"`), 413},
		{"deep JSON", ana, "POST", codings, strings.Repeat(`{"a":`, 5000) + "1" + strings.Repeat("}", 5000), 400},
		{"invalid UTF-8", ana, "POST", codings, coding("\"start\":0,\"end\":1,\"memo\":\"\xff\xfe\""), 400},
		{"offsets beyond the text", ana, "POST", codings, coding(fmt.Sprintf(`"start":%d,"end":%d`, ids.DocLen, ids.DocLen+5)), 400},
		{"negative start", ana, "POST", codings, coding(`"start":-4,"end":2`), 400},
		{"huge numbers", ana, "POST", codings, coding(`"start":99999999999999999999,"end":1`), 400},
		{"float offsets", ana, "POST", codings, coding(`"start":1.5,"end":3`), 400},
		{"unknown code", ana, "POST", codings, `{"document":"` + ids.Doc + `","code":"00000000-0000-4000-8000-000000000001","start":0,"end":2}`, 404},
		{"code that is not an id", ana, "POST", codings, `{"document":"` + ids.Doc + `","code":"../../etc/passwd","start":0,"end":2}`, 404},
		{"unknown field", ana, "POST", codings, coding(`"start":0,"end":1,"colour":"red"`), 400},
		{"someone else's layer", ana, "POST", codings, coding(`"start":0,"end":1,"coder":"` + ids.Project + `"`), 403},
		{"too many in a batch", ana, "POST", codings, `{"codings":[` + strings.TrimSuffix(strings.Repeat(coding(`"start":0,"end":1`)+",", 1001), ",") + `]}`, 413},
		{"one bad coding in a batch", ana, "POST", codings, `{"codings":[` + coding(`"start":0,"end":1`) + "," + coding(`"start":5,"end":1`) + `]}`, 400},
		{"empty batch", ana, "POST", codings, `{"codings":[]}`, 400},
		{"not JSON", ana, "POST", codings, `start=0&end=1`, 400},
		{"trailing garbage", ana, "POST", codings, coding(`"start":0,"end":1`) + "xyz", 400},
		{"bad since", ana, "GET", "/api/projects/peer-support/events?since=-1", "", 400},
		{"bad limit", ana, "GET", "/api/projects/peer-support/events?limit=999999999", "", 400},
		{"code cycle", lead, "PATCH", "/api/projects/peer-support/codes/" + ids.Codes[0], `{"parent":"` + ids.Codes[0] + `"}`, 400},
		{"delete a code without saying where its codings go", lead, "DELETE", "/api/projects/peer-support/codes/" + ids.Codes[0], "", 400},
		{"document too large", lead, "POST", "/api/projects/peer-support/documents", `{"title":"big","text":"` + strings.Repeat("y", 17<<20) + `"}`, 413},
		{"unknown route", ana, "GET", "/api/nothing/here", "", 404},
	}
	before := fileHash(t, ts.DB)
	for _, tt := range tests {
		var rd io.Reader
		if tt.body != "" {
			rd = strings.NewReader(tt.body)
		}
		req, _ := http.NewRequest(tt.method, ts.URL+tt.path, rd)
		if tt.body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := tt.who.http.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		var b bytes.Buffer
		b.ReadFrom(io.LimitReader(resp.Body, 1000))
		resp.Body.Close()
		if resp.StatusCode != tt.status || !strings.Contains(b.String(), `"error"`) {
			t.Errorf("%s: status %d %s, want %d with an error message", tt.name, resp.StatusCode, b.String(), tt.status)
		}
	}
	if after := fileHash(t, ts.DB); after != before {
		t.Fatal("hostile requests changed the database file")
	}
}

func fileHash(t testing.TB, path string) [32]byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(data)
}
