package store

import (
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/concordqda/concord/coding"
	bolt "go.etcd.io/bbolt"
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

// BenchmarkBareCommitLoop is the floor under BenchmarkAddCoding on this
// disk: the same commit loop and bbolt options, but each request is one
// 300-byte Put under an increasing key, with no validation, index or
// event. What AddCoding costs above it is Concord's own work.
func BenchmarkBareCommitLoop(b *testing.B) {
	for _, writers := range []int{1, 64} {
		b.Run(map[int]string{1: "writers=1", 64: "writers=64"}[writers], func(b *testing.B) {
			bdb, err := bolt.Open(filepath.Join(b.TempDir(), "bare.db"), 0o600, &bolt.Options{NoFreelistSync: true, FreelistType: bolt.FreelistMapType})
			must(b, err)
			defer bdb.Close()
			must(b, bdb.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("b")); return err }))
			queue := make(chan chan error, 1024)
			stop := make(chan struct{})
			defer close(stop)
			go func() {
				val := make([]byte, 300)
				var seq uint64
				for {
					var batch []chan error
					select {
					case r := <-queue:
						batch = append(batch, r)
					case <-stop:
						return
					}
				drain:
					for {
						select {
						case r := <-queue:
							batch = append(batch, r)
						default:
							break drain
						}
					}
					err := bdb.Update(func(tx *bolt.Tx) error {
						bk := tx.Bucket([]byte("b"))
						for range batch {
							seq++
							if err := bk.Put(u64(seq), val); err != nil {
								return err
							}
						}
						return nil
					})
					for _, r := range batch {
						r <- err
					}
				}
			}()
			put := func() {
				r := make(chan error, 1)
				queue <- r
				if err := <-r; err != nil {
					b.Fatal(err)
				}
			}
			b.SetParallelism((writers + 1) / 2)
			b.ResetTimer()
			if writers == 1 {
				for i := 0; i < b.N; i++ {
					put()
				}
				return
			}
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					put()
				}
			})
		})
	}
}
