package server

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

// The UI's files are served under names holding their content hash, to be
// kept for a year; index.html names them, maps the modules' imports to
// them, and the Content-Security-Policy allows that one inline map.
func TestStaticHashedNames(t *testing.T) {
	ui := fstest.MapFS{
		"index.html": {Data: []byte(`<link rel="stylesheet" href="/app.css"><script type="module" src="/app.js"></script>`)},
		"app.js":     {Data: []byte(`import { x } from "./ui.js";`)},
		"ui.js":      {Data: []byte(`export const x = 1;`)},
		"app.css":    {Data: []byte(`body { margin: 0 }`)},
	}
	s, _ := newTestServer(t, Options{WebUI: ui})
	get := func(path string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		return w
	}
	index := get("/")
	page := index.Body.String()
	m := regexp.MustCompile(`<script type="importmap">(.*?)</script>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("index.html has no import map:\n%s", page)
	}
	sum := sha256.Sum256([]byte(m[1]))
	if csp := index.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self' 'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'") {
		t.Errorf("the policy does not allow the import map: %s", csp)
	}
	if strings.Index(page, "importmap") > strings.Index(page, `type="module"`) {
		t.Errorf("the import map comes after the module script:\n%s", page)
	}
	for _, plain := range []string{"/app.js", "/ui.js", "/app.css"} {
		ext := plain[strings.LastIndex(plain, "."):]
		hashed := regexp.MustCompile(regexp.QuoteMeta(strings.TrimSuffix(plain, ext)) + `\.[0-9a-f]{24}` + regexp.QuoteMeta(ext)).FindString(page)
		if hashed == "" {
			t.Errorf("index.html does not name %s by its hash:\n%s", plain, page)
			continue
		}
		w := get(hashed)
		if w.Code != 200 || w.Body.String() != string(ui[plain[1:]].Data) || w.Header().Get("Cache-Control") != "public, max-age=31536000, immutable" {
			t.Errorf("%s: %d, Cache-Control %q", hashed, w.Code, w.Header().Get("Cache-Control"))
		}
		if w := get(plain); w.Code != 200 || w.Header().Get("Cache-Control") != "no-cache" {
			t.Errorf("%s: %d, Cache-Control %q", plain, w.Code, w.Header().Get("Cache-Control"))
		}
	}
	if strings.Contains(m[1], "app.css") || !strings.Contains(m[1], `"/ui.js":"/ui.`) {
		t.Errorf("the import map holds modules only: %s", m[1])
	}
	if w := get("/ui.000000000000000000000000.js"); w.Code != 404 {
		t.Errorf("a stale hashed name: %d, want 404", w.Code)
	}
}
