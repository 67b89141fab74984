package formats

import (
	"fmt"
	"io"
	"math/rand"
	"strings"
	"testing"
	"time"

	"github.com/concordqda/concord/coding"
)

// interopBenchProject builds a project of docs documents of about docChars
// characters each (transcript-like lines with some emoji, CRLF-free) and
// n codings by 5 coders over 50 codes.
func interopBenchProject(docs, docChars, n int) *coding.ProjectData {
	rng := rand.New(rand.NewSource(1))
	d := &coding.ProjectData{Project: coding.Project{Name: "Bench", Slug: "bench", Created: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}}
	for i := 0; i < 5; i++ {
		d.Users = append(d.Users, coding.User{ID: derivedID(fmt.Sprint("user", i)), Login: fmt.Sprintf("coder%d", i), Name: fmt.Sprintf("Coder %d", i)})
	}
	for i := 0; i < 50; i++ {
		c := coding.Code{ID: derivedID(fmt.Sprint("code", i)), Name: fmt.Sprintf("Code %d", i), Colour: "#1f77b4", Codable: true, Order: i + 1, Description: "A definition of the code."}
		if i >= 10 {
			c.ParentID = d.Codes[i%10].ID
		}
		d.Codes = append(d.Codes, c)
	}
	line := "P%d: well, you know, we look after each other here — it's hard 😀 but it matters.\n"
	for i := 0; i < docs; i++ {
		var sb strings.Builder
		for sb.Len() < docChars {
			fmt.Fprintf(&sb, line, sb.Len()%97)
		}
		doc := coding.Document{ID: derivedID(fmt.Sprint("doc", i)), Title: fmt.Sprintf("Interview %03d", i), Text: sb.String(),
			Attributes: map[string]string{"site": []string{"north", "south"}[i%2], "wave": fmt.Sprint(i % 3)}}
		doc.Validate()
		d.Documents = append(d.Documents, doc)
	}
	for i := 0; i < n; i++ {
		doc := &d.Documents[rng.Intn(docs)]
		start := rng.Intn(doc.Length - 400)
		d.Codings = append(d.Codings, coding.Coding{
			ID: derivedID(fmt.Sprint("coding", i)), DocumentID: doc.ID, CodeID: d.Codes[10+rng.Intn(40)].ID,
			CoderID: d.Users[rng.Intn(5)].ID, Start: start, End: start + 20 + rng.Intn(300),
			Created: d.Project.Created,
		})
	}
	return d
}

func benchmarkExport(b *testing.B, write func(io.Writer, *coding.ProjectData) error) {
	d := interopBenchProject(200, 100_000, 200_000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cw := &countingWriter{}
		if err := write(cw, d); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(cw.n)
	}
	b.ReportMetric(float64(len(d.Codings))*float64(b.N)/b.Elapsed().Seconds(), "segments/s")
}

type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

// BenchmarkExportCSV200k: 200,000 coded segments (target < 1 s).
func BenchmarkExportCSV200k(b *testing.B) { benchmarkExport(b, WriteSegmentsCSV) }

// BenchmarkExportQDPX200k: 200,000 coded segments (target < 2 s).
func BenchmarkExportQDPX200k(b *testing.B) { benchmarkExport(b, WriteQDPX) }

// BenchmarkExportXLSX200k and JSON, for comparison.
func BenchmarkExportXLSX200k(b *testing.B) { benchmarkExport(b, WriteXLSX) }

func BenchmarkExportJSON200k(b *testing.B) { benchmarkExport(b, WriteJSON) }

// BenchmarkImportText100MB reads 100 MB of plain-text transcripts (1,000
// files of 100 kB with a BOM, CRLF line ends and emoji) into documents
// (target ≥ 100 MB/s).
func BenchmarkImportText100MB(b *testing.B) {
	files := benchTranscripts(1000, 100_000)
	var total int64
	for _, f := range files {
		total += int64(len(f))
	}
	b.SetBytes(total)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j, f := range files {
			if _, err := ImportText(fmt.Sprintf("t%04d.txt", j), f); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// benchTranscripts returns n transcripts of about size bytes each.
func benchTranscripts(n, size int) [][]byte {
	out := make([][]byte, n)
	var sb strings.Builder
	sb.WriteString("\ufeff")
	for i := 0; sb.Len() < size; i++ {
		fmt.Fprintf(&sb, "Interviewer: And then? [%d]\r\nP1: We kept going, together — it's what we do 🙂. Nobody else would.\r\n", i)
	}
	for i := range out {
		out[i] = []byte(sb.String())
	}
	return out
}
