package server

import (
	"bytes"
	"mime/multipart"
	"strings"
	"testing"

	"github.com/concordqda/concord/coding"
)

// FuzzReadUploads: any body gives files within the limit or an
// application error (a 4xx for the client); never a panic, never an
// internal error.
func FuzzReadUploads(f *testing.F) {
	var good bytes.Buffer
	mw := multipart.NewWriter(&good)
	mw.SetBoundary("xyz")
	mw.WriteField("text_column", "answer")
	w, _ := mw.CreateFormFile("file", "a.txt")
	w.Write([]byte("hello 🙂\n"))
	mw.Close()
	f.Add(good.Bytes())
	f.Add([]byte("--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"..\\\\x.md\"\r\n\r\nabc\r\n--xyz--\r\n"))
	f.Add([]byte("--xyz\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nno name\r\n--xyz--"))
	f.Add([]byte("--xyz\r\n\r\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		const limit = 1 << 10
		files, _, err := readUploads("multipart/form-data; boundary=xyz", bytes.NewReader(body), limit)
		if err != nil {
			if code := coding.ErrorCode(err); code == coding.EINTERNAL {
				t.Fatalf("internal error for outside input: %v", err)
			}
			return
		}
		total := 0
		for _, u := range files {
			total += len(u.data)
			if u.name == "" || strings.ContainsAny(u.name, "/\\") {
				t.Errorf("file name %q", u.name)
			}
		}
		if total > limit {
			t.Errorf("read %d bytes, limit %d", total, limit)
		}
	})
}
