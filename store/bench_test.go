package store

import (
	"strings"
	"sync/atomic"
	"testing"

	"github.com/concordqda/concord/coding"
)

// BenchmarkAddCoding measures durable coding writes through the public API:
// each op returns only after its transaction committed with fsync.
func BenchmarkAddCoding(b *testing.B) {
	for _, writers := range []int{1, 64} {
		b.Run(map[int]string{1: "writers=1", 64: "writers=64"}[writers], func(b *testing.B) {
			f := newFixture(b)
			doc := &coding.Document{ProjectID: f.project.ID, Title: "Bench", Text: strings.Repeat("abcdefghij", 100_000)}
			_, err := f.db.AddDocument(doc, f.lead.ID)
			must(b, err)
			var next atomic.Int64
			b.SetParallelism((writers + 1) / 2) // RunParallel starts parallelism × GOMAXPROCS goroutines
			if writers == 1 {
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					s := int(next.Add(1)) % 999_000
					c := &coding.Coding{ProjectID: f.project.ID, DocumentID: doc.ID, CodeID: f.trust.ID, CoderID: f.ana.ID, Start: s, End: s + 1 + i/999_000}
					if _, err := f.db.AddCoding(c, f.ana.ID); err != nil {
						b.Fatal(err)
					}
				}
				return
			}
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := int(next.Add(1))
					s := i % 999_000
					c := &coding.Coding{ProjectID: f.project.ID, DocumentID: doc.ID, CodeID: f.trust.ID, CoderID: f.ana.ID, Start: s, End: s + 1 + i/999_000}
					if _, err := f.db.AddCoding(c, f.ana.ID); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
