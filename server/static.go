package server

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
)

// staticFiles serves the embedded web UI. Every file is also served under
// a name that holds its content hash (app.1a2b3c4d5e6f.js), which browsers
// may keep for a year without asking again: index.html names those, and
// its import map sends each module's imports of its neighbours ("./ui.js")
// to their hashed names too. A page load then asks only for index.html,
// instead of revalidating every module. The plain names stay, revalidated
// by ETag, for anything that links to them.
type staticFiles struct {
	files map[string]*staticFile
	// scriptHash allows index.html's inline import map under the
	// Content-Security-Policy, which allows no other inline script.
	scriptHash string
}

type staticFile struct {
	data  []byte
	etag  string
	ctype string
	// immutable says the name holds the content's hash.
	immutable bool
	// zippable says whether the file is text large enough to gzip; it is
	// gzipped at its first request, not at start-up, where every file
	// took 60 ms of each server start (every test server's too).
	zippable bool
	zipOnce  sync.Once
	gz       []byte // nil until then, or when gzip would not be smaller
}

// gzipped returns the file gzipped, or nil when it is not worth it.
func (f *staticFile) gzipped() []byte {
	if !f.zippable {
		return nil
	}
	f.zipOnce.Do(func() {
		if gz, ok := gzipCache.Load(f.etag); ok {
			f.gz = gz.([]byte)
			return
		}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(f.data)
		zw.Close()
		if buf.Len() < len(f.data) {
			f.gz = buf.Bytes()
		}
		gzipCache.Store(f.etag, f.gz)
	})
	return f.gz
}

// gzipCache holds every gzipped file by its ETag (a hash of its content),
// for all servers of the process: a file is compressed once, however many
// servers start. That is one in production; the tests start hundreds, and
// compressing the UI at the best level costs half a second of CPU under
// the race detector.
var gzipCache sync.Map

func newStaticFiles(fsys fs.FS) *staticFiles {
	sf := &staticFiles{files: map[string]*staticFile{}}
	add := func(name string, data []byte, immutable bool) *staticFile {
		sum := sha256.Sum256(data)
		ctype := mime.TypeByExtension(path.Ext(name))
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		f := &staticFile{data: data, etag: `"` + hex.EncodeToString(sum[:12]) + `"`, ctype: ctype, immutable: immutable,
			zippable: compressible(ctype) && len(data) >= minCompress}
		sf.files[name] = f
		return f
	}
	hashed := map[string]string{} // "/ui.js" → "/ui.1a2b3c4d5e6f.js"
	var index []byte
	fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		if p == "index.html" {
			index = data
			return nil
		}
		f := add("/"+p, data, false)
		ext := path.Ext(p)
		name := "/" + strings.TrimSuffix(p, ext) + "." + strings.Trim(f.etag, `"`) + ext
		sf.files[name] = &staticFile{data: f.data, etag: f.etag, ctype: f.ctype, immutable: true, zippable: f.zippable}
		hashed["/"+p] = name
		return nil
	})
	if index != nil {
		page, importMap := hashedIndex(index, hashed)
		add("/index.html", page, false)
		sum := sha256.Sum256([]byte(importMap))
		sf.scriptHash = "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	}
	return sf
}

// hashedIndex points index.html's links at the files' hashed names and
// adds an import map that does the same for every module's imports; it
// returns the page and the map's text.
func hashedIndex(index []byte, hashed map[string]string) (page []byte, importMap string) {
	html := string(index)
	for plain, name := range hashed {
		html = strings.ReplaceAll(html, `="`+plain+`"`, `="`+name+`"`)
	}
	imports := map[string]string{}
	for plain, name := range hashed {
		if strings.HasSuffix(plain, ".js") {
			imports[plain] = name
		}
	}
	m, _ := json.Marshal(map[string]any{"imports": imports})
	importMap = string(m)
	// The map must come before the first module script.
	if i := strings.Index(html, `<script type="module"`); i >= 0 {
		html = html[:i] + `<script type="importmap">` + importMap + "</script>\n" + html[i:]
	}
	return []byte(html), importMap
}

// handleStatic serves a UI file, and index.html for every other path so
// that the UI's own routes survive a reload.
func (s *Server) handleStatic(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if s.static == nil {
		writeJSON(w, http.StatusOK, map[string]string{"status": "Concord API; no web UI is bundled"})
		return
	}
	f, ok := s.static.files[r.URL.Path]
	if !ok {
		if strings.Contains(path.Base(r.URL.Path), ".") {
			http.NotFound(w, r)
			return
		}
		f, ok = s.static.files["/index.html"]
		if !ok {
			http.NotFound(w, r)
			return
		}
	}
	h := w.Header()
	h.Set("ETag", f.etag)
	if f.immutable {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	h.Set("Content-Type", f.ctype)
	if f.zippable {
		h.Add("Vary", "Accept-Encoding")
	}
	if match := r.Header.Get("If-None-Match"); match == f.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := f.data
	if acceptsGzip(r.Header.Get("Accept-Encoding")) {
		if gz := f.gzipped(); gz != nil {
			body = gz
			h.Set("Content-Encoding", "gzip")
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	w.Write(body)
}
