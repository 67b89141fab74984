package main

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/concordqda/concord/coding"
	"github.com/concordqda/concord/store"
)

// BenchmarkImport100MB imports 100 MB of plain-text transcripts (1,000
// files of 100 kB, with a BOM, CRLF line ends and emoji) into a new
// project through the command line: reading, checking, and one durable
// transaction (target ≥ 100 MB/s).
func BenchmarkImport100MB(b *testing.B) {
	dir := b.TempDir()
	var sb strings.Builder
	sb.WriteString("\ufeff")
	for i := 0; sb.Len() < 100_000; i++ {
		fmt.Fprintf(&sb, "Interviewer: And then? [%d]\r\nP1: We kept going, together — it's what we do 🙂. Nobody else would.\r\n", i)
	}
	files := make([]string, 1000)
	var total int64
	for i := range files {
		files[i] = filepath.Join(dir, fmt.Sprintf("t%04d.txt", i))
		if err := os.WriteFile(files[i], []byte(sb.String()), 0o644); err != nil {
			b.Fatal(err)
		}
		total += int64(sb.Len())
	}
	b.SetBytes(total)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db := filepath.Join(b.TempDir(), "bench.db")
		mustRun(b, "users", "add", "admin", "--password", "administrator", "--admin", "--db", db)
		b.StartTimer()
		mustRun(b, append([]string{"import", "--project", "bench", "--db", db}, files...)...)
	}
}

// exportBenchDB makes a database holding one project with 200 documents of
// 100 kB and 200,000 codings by 5 coders over 50 codes.
func exportBenchDB(b *testing.B) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "bench.db")
	st, err := openDB(path)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	rng := rand.New(rand.NewSource(1))
	var coders []string
	for i := 0; i < 5; i++ {
		u := &coding.User{Login: fmt.Sprintf("coder%d", i), Name: fmt.Sprintf("Coder %d", i)}
		if err := st.CreateUser(u); err != nil {
			b.Fatal(err)
		}
		coders = append(coders, u.ID)
	}
	snap := &store.Snapshot{Project: coding.Project{Slug: "bench", Name: "Bench"}, Lead: coders[0]}
	for _, id := range coders[1:] {
		snap.Members = append(snap.Members, coding.Member{UserID: id, Role: coding.RoleCoder})
	}
	for i := 0; i < 50; i++ {
		c := coding.Code{ID: coding.NewID(), Name: fmt.Sprintf("Code %d", i), Codable: true, Description: "A definition."}
		if i >= 10 {
			c.ParentID = snap.Codes[i%10].ID
		}
		snap.Codes = append(snap.Codes, c)
	}
	var sb strings.Builder
	for i := 0; sb.Len() < 100_000; i++ {
		fmt.Fprintf(&sb, "P%d: well, you know, we look after each other here — it's hard 😀 but it matters.\n", i)
	}
	for i := 0; i < 200; i++ {
		d := coding.Document{ID: coding.NewID(), Title: fmt.Sprintf("Interview %03d", i), Text: sb.String(), Attributes: map[string]string{"site": "north"}}
		d.Validate()
		snap.Documents = append(snap.Documents, d)
	}
	seen := map[coding.SpanKey]bool{}
	for len(snap.Codings) < 200_000 {
		d := &snap.Documents[rng.Intn(len(snap.Documents))]
		start := rng.Intn(d.Length - 400)
		c := coding.Coding{DocumentID: d.ID, CodeID: snap.Codes[10+rng.Intn(40)].ID, CoderID: coders[rng.Intn(5)], Start: start, End: start + 20 + rng.Intn(300)}
		if !seen[c.Key()] {
			seen[c.Key()] = true
			snap.Codings = append(snap.Codings, c)
		}
	}
	if err := st.ImportProject(snap, coders[0]); err != nil {
		b.Fatal(err)
	}
	return path
}

func benchmarkExportCmd(b *testing.B, format string) {
	db := exportBenchDB(b)
	out := filepath.Join(b.TempDir(), "out."+format)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		mustRun(b, "export", "--project", "bench", "--format", format, "-o", out, "--db", db)
	}
	b.ReportMetric(200_000*float64(b.N)/b.Elapsed().Seconds(), "segments/s")
}

// BenchmarkExportCmd200kCSV and QDPX export 200,000 coded segments through
// the command line: one read transaction, the format, a durable file
// (targets: CSV < 1 s, QDPX < 2 s).
func BenchmarkExportCmd200kCSV(b *testing.B) { benchmarkExportCmd(b, "csv") }

func BenchmarkExportCmd200kQDPX(b *testing.B) { benchmarkExportCmd(b, "qdpx") }
