package main

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/concordqda/concord/coding"
	"github.com/concordqda/concord/store"
	"github.com/google/uuid"
)

// BenchmarkDocumentCodings is what the reader waits for when it opens a
// 1 MB transcript holding 20,000 codings: GET …/documents/{id}/codings
// from the real server, as a browser asks (gzip accepted) and as a client
// that does not accept compression. wire-bytes is the answer's size on
// the wire.
func BenchmarkDocumentCodings(b *testing.B) {
	ts := startServer(b)
	lead := ts.login(b, "lead", DemoPassword)
	var me struct{ User coding.User }
	lead.mustDo(200, "GET", "/api/me", nil, &me)
	p := coding.Project{ID: uuid.NewString(), Slug: "long", Name: "Long transcript"}
	text := strings.Repeat("Peer workers bring lived experience to the work. ", 22000)[:1<<20]
	d := coding.Document{ID: uuid.NewString(), ProjectID: p.ID, Title: "Long", Text: text}
	snap := &store.Snapshot{Project: p, Lead: me.User.ID, Documents: []coding.Document{d}}
	for i := 0; i < 100; i++ {
		snap.Codes = append(snap.Codes, coding.Code{ID: uuid.NewString(), ProjectID: p.ID, Name: fmt.Sprintf("Code %d", i), Codable: true})
	}
	for i := 0; i < 20000; i++ {
		s := (i * 7919) % (len(text) - 400)
		snap.Codings = append(snap.Codings, coding.Coding{ID: uuid.NewString(), ProjectID: p.ID, DocumentID: d.ID,
			CodeID: snap.Codes[i%100].ID, CoderID: me.User.ID, Start: s, End: s + 5 + (i*31)%300})
	}
	if err := ts.Store.ImportProject(snap, me.User.ID); err != nil {
		b.Fatal(err)
	}
	for _, enc := range []string{"gzip", "identity"} {
		b.Run("accept="+enc, func(b *testing.B) {
			var wire int64
			for i := 0; i < b.N; i++ {
				req, _ := http.NewRequest("GET", ts.URL+"/api/projects/long/documents/"+d.ID+"/codings", nil)
				req.Header.Set("Accept-Encoding", enc) // set by hand: the client does not unpack it
				resp, err := lead.http.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				n, _ := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Fatalf("status %d", resp.StatusCode)
				}
				wire = n
			}
			b.ReportMetric(float64(wire), "wire-bytes")
		})
	}
}
