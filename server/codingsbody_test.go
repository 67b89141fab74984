package server

import (
	"bytes"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/concordqda/concord/coding"
)

// writeCodings writes what writeJSON writes for the same answer, however
// many codings it holds (across the pieces it is written in).
func TestWriteCodingsIsWhatWriteJSONWrites(t *testing.T) {
	many := make([]coding.Coding, 3000)
	for i := range many {
		many[i] = coding.Coding{ID: fmt.Sprintf("c%d", i), DocumentID: "d", CodeID: "k", CoderID: "u", Start: i, End: i + 9,
			Memo: []string{"", "a <memo> & \"quote\"\n", "café"}[i%3], Created: time.Unix(1764918900, int64(i)).UTC()}
	}
	for _, tc := range []struct {
		name string
		cs   []coding.Coding
		seq  any
	}{
		{"none", []coding.Coding{}, nil},
		{"none with a seq", []coding.Coding{}, uint64(0)},
		{"many with a number", many, uint64(123456)},
		{"many with a cursor", many, "c.3f1c2f9e"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := httptest.NewRecorder()
			body := map[string]any{"codings": tc.cs}
			if tc.seq != nil {
				body["seq"] = tc.seq
			}
			writeJSON(want, 200, body)
			got := httptest.NewRecorder()
			writeCodings(got, tc.cs, tc.seq)
			if !bytes.Equal(got.Body.Bytes(), want.Body.Bytes()) || got.Code != want.Code || got.Header().Get("Content-Type") != want.Header().Get("Content-Type") {
				t.Fatalf("writeCodings wrote %d bytes (%d, %q), writeJSON %d (%d, %q)", got.Body.Len(), got.Code, got.Header().Get("Content-Type"), want.Body.Len(), want.Code, want.Header().Get("Content-Type"))
			}
		})
	}
}
