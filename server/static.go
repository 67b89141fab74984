package server

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
)

// staticFiles serves the embedded web UI. Embedded files have no
// modification time, so each gets an ETag from its content hash and
// browsers revalidate cheaply.
type staticFiles struct {
	files map[string]*staticFile
}

type staticFile struct {
	data  []byte
	etag  string
	ctype string
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
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(f.data)
		zw.Close()
		if buf.Len() < len(f.data) {
			f.gz = buf.Bytes()
		}
	})
	return f.gz
}

func newStaticFiles(fsys fs.FS) *staticFiles {
	sf := &staticFiles{files: map[string]*staticFile{}}
	fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		ctype := mime.TypeByExtension(path.Ext(p))
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		sf.files["/"+p] = &staticFile{data: data, etag: `"` + hex.EncodeToString(sum[:12]) + `"`, ctype: ctype,
			zippable: compressible(ctype) && len(data) >= minCompress}
		return nil
	})
	return sf
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
	h.Set("Cache-Control", "no-cache")
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
