package formats

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"io"
	"strings"
	"testing"

	"github.com/concordqda/concord/coding"
)

// bombZip returns an archive whose entry is head, then unit n times, then
// tail. With unit "<a>" and n ten million it is the 29 KB DOCX of issue
// #11. method is zip.Deflate, or zip.Store to reach the XML limits
// without first meeting ZipLimits.MaxRatio.
func bombZip(t testing.TB, method uint16, entry, head, unit string, n int, tail string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	switch method {
	case zip.Store:
		f, err := zw.CreateHeader(&zip.FileHeader{Name: entry, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(f, head)
		chunk := []byte(strings.Repeat(unit, 4096))
		for left := n; left > 0; left -= 4096 {
			if left < 4096 {
				chunk = chunk[:left*len(unit)]
			}
			f.Write(chunk)
		}
		io.WriteString(f, tail)
	case zip.Deflate:
		raw, sum, size := deflatedRepeat(t, head, unit, n, tail)
		f, err := zw.CreateRaw(&zip.FileHeader{Name: entry, Method: zip.Deflate, CRC32: sum,
			CompressedSize64: uint64(len(raw)), UncompressedSize64: size})
		if err != nil {
			t.Fatal(err)
		}
		f.Write(raw)
	default:
		t.Fatalf("bombZip: method %d", method)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// deflatedRepeat returns the raw deflate stream of head, unit n times and
// tail, with its CRC-32 and length, without compressing all of it: a block
// ended by a sync flush is byte-aligned and refers back only to what it
// wrote itself, so one compressed run of units, repeated, is a valid
// stream. (Compressing 150 MB of bombs at the best level took a dozen
// seconds under the race detector.)
func deflatedRepeat(t testing.TB, head, unit string, n int, tail string) (raw []byte, sum uint32, size uint64) {
	t.Helper()
	const perRun = 1 << 20 // units per compressed run: big enough for a ratio near deflate's best
	block := func(s string, final bool) []byte {
		var b bytes.Buffer
		w, err := flate.NewWriter(&b, flate.BestCompression)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, s)
		if final {
			err = w.Close()
		} else {
			err = w.Flush()
		}
		if err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	crc := crc32.NewIEEE()
	add := func(s string, final bool) {
		raw = append(raw, block(s, final)...)
		io.WriteString(crc, s)
		size += uint64(len(s))
	}
	add(head, false)
	if runs := n / perRun; runs > 0 {
		run := strings.Repeat(unit, perRun)
		compressed := block(run, false)
		for range runs {
			raw = append(raw, compressed...)
			io.WriteString(crc, run)
			size += uint64(len(run))
		}
	}
	add(strings.Repeat(unit, n%perRun), false)
	add(tail, true)
	return raw, crc.Sum32(), size
}

// The deflated bombs are built from repeated runs; the archive must
// still be one a reader inflates whole, with the right length and CRC
// (archive/zip checks both at the end), or the tests below would prove
// only that a broken file is refused.
func TestBombZipInflates(t *testing.T) {
	const n = 2_500_000 // two runs and part of a third
	data := bombZip(t, zip.Deflate, "x.xml", "<r>", "<a/>", n, "</r>")
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := zr.File[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	body, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("inflate: %v", err)
	}
	if want := "<r>" + strings.Repeat("<a/>", n) + "</r>"; string(body) != want {
		t.Fatalf("inflated %d bytes, want the %d written", len(body), len(want))
	}
	if ratio := len(body) / len(data); ratio < 500 {
		t.Fatalf("ratio %d, want a bomb (at least 500)", ratio)
	}
}

const qdeHead = `<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="bomb">`

// TestXMLBombsRefused feeds every XML reader a bomb: an archive that
// inflates a thousandfold (the 29 KB DOCX of issue #11 and its kin), or
// elements nested past any real file, or more elements than the limit.
// Each is refused with an error that names the file (and the entry) and
// says what was wrong.
func TestXMLBombsRefused(t *testing.T) {
	// The item limits, lowered: reading up to the real ones (4,194,304
	// and 2,097,152 elements) took 13 seconds under the race detector.
	// What is checked here is that each reader counts against its own
	// limit and says so; TestXMLGuardLimits checks the count at its edges.
	defer func(d, c xmlLimits) { documentXMLLimits, codebookXMLLimits = d, c }(documentXMLLimits, codebookXMLLimits)
	documentXMLLimits.items, codebookXMLLimits.items = 100_000, 50_000
	deep := func(unit string) string { return strings.Repeat(unit, documentXMLLimits.depth+1) }
	docx := func(name string, data []byte) func() error {
		return func() error { _, err := ImportDocuments(name, data, ImportOptions{}); return err }
	}
	qdpx := func(name string, data []byte) func() error {
		return func() error {
			_, err := ReadQDPX(name, bytes.NewReader(data), int64(len(data)), ImportOptions{})
			return err
		}
	}
	cases := []struct {
		name string
		read func() error
		want string
	}{
		{"docx of issue 11", docx("bomb.docx", bombZip(t, zip.Deflate, "word/document.xml", "", "<a>", 10_000_000, "")),
			"bomb.docx: entry word/document.xml expands 10"},
		{"docx flat deflated", docx("flat.docx", bombZip(t, zip.Deflate, "word/document.xml", "<w:document>", "<a/>", 5_000_000, "</w:document>")),
			"flat.docx: entry word/document.xml expands"},
		{"odt deflated", docx("bomb.odt", bombZip(t, zip.Deflate, "content.xml", "", "<text:p>", 5_000_000, "")),
			"bomb.odt: entry content.xml expands"},
		{"qdpx deflated", qdpx("bomb.qdpx", bombZip(t, zip.Deflate, "project.qde", qdeHead, "<Code>", 10_000_000, "")),
			"bomb.qdpx: entry project.qde expands"},
		{"docx nested", docx("deep.docx", bombZip(t, zip.Store, "word/document.xml", "", "<a>", 1_000_000, "")),
			"deep.docx: word/document.xml: the XML nests elements more than 256 deep"},
		{"odt nested", docx("deep.odt", bombZip(t, zip.Store, "content.xml", "", "<text:p>", 1_000_000, "")),
			"deep.odt: content.xml: the XML nests elements more than 256 deep"},
		{"qdpx nested", qdpx("deep.qdpx", bombZip(t, zip.Store, "project.qde", qdeHead, "<Code>", 1_000_000, "")),
			"deep.qdpx: project.qde: the XML nests elements more than 256 deep"},
		{"docx inside qdpx", func() error {
			inner := bombZip(t, zip.Store, "word/document.xml", "", "<a>", 100_000, "")
			qde := qdeHead + `<Sources><TextSource guid="0b5b6a43-61d4-4a5a-9f0e-6c8a5a1f6f11" name="s" richTextPath="internal://s.docx"/></Sources></Project>`
			data := makeZip(t, map[string]string{"project.qde": qde, "sources/s.docx": string(inner)})
			return qdpx("inner.qdpx", data)()
		}, "inner.qdpx: sources/s.docx: word/document.xml: the XML nests elements more than 256 deep"},
		{"qde nested", func() error {
			_, err := ReadQDE("deep.qde", []byte(qdeHead+deep("<Sets>")))
			return err
		}, "deep.qde: the XML nests elements more than 256 deep"},
		{"qdc nested codes", func() error {
			_, err := ReadQDC("deep.qdc", []byte(`<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>`+deep(`<Code name="c">`)))
			return err
		}, "deep.qdc: the XML nests elements more than 256 deep"},
		{"qdc utf-16 nested", func() error {
			_, err := ReadQDC("deep16.qdc", utf16LE(`<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>`+deep(`<Code name="c">`)))
			return err
		}, "deep16.qdc: the XML nests elements more than 256 deep"},
		// The HTML reader keeps no stack and reads an upload (at most 16
		// MiB) in one linear pass, so deep nesting costs nothing to refuse.
		{"html nested", func() error {
			_, err := ImportDocuments("deep.html", []byte(strings.Repeat("<div><span>", 1_000_000)), ImportOptions{})
			return err
		}, "deep.html: the file is empty"},
		// At the item limits: stored, so nothing but the count stops them.
		{"docx flat stored", docx("flat.docx", bombZip(t, zip.Store, "word/document.xml", "<w:document>", "<a/>", documentXMLLimits.items, "</w:document>")),
			"flat.docx: word/document.xml: the XML holds more than 100000 elements and attributes"},
		{"qdc flat", func() error {
			_, err := ReadQDC("flat.qdc", []byte(`<CodeBook xmlns="urn:QDA-XML:codebook:1.0">`+strings.Repeat("<x/>", codebookXMLLimits.items)+`</CodeBook>`))
			return err
		}, "flat.qdc: the XML holds more than 50000 elements and attributes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.read()
			if err == nil {
				t.Fatalf("read = nil error, want %q", c.want)
			}
			if !strings.HasPrefix(coding.ErrorMessage(err), c.want) {
				t.Fatalf("read = %q, want it to start %q", coding.ErrorMessage(err), c.want)
			}
			if code := coding.ErrorCode(err); code != coding.EINVALID && code != coding.ETOOLARGE {
				t.Fatalf("ErrorCode = %s, want %s or %s", code, coding.EINVALID, coding.ETOOLARGE)
			}
		})
	}
}

// TestXMLGuardLimits checks the guard at its edges: exactly the limit is
// read, one more is refused; attributes count as items.
func TestXMLGuardLimits(t *testing.T) {
	limits := xmlLimits{depth: 3, items: 6}
	cases := []struct {
		xml  string
		want string // "" for no error
	}{
		{"<a><b><c/></b></a>", ""},
		{"<a><b><c><d/></c></b></a>", "the XML nests elements more than 3 deep"},
		{"<a><b/><b/><b/><b/><b/></a>", ""},
		{"<a><b/><b/><b/><b/><b/><b/></a>", "the XML holds more than 6 elements and attributes"},
		{`<a x="1" y="2"><b z="3"/><b/></a>`, ""},
		{`<a x="1" y="2"><b z="3"/><b/><b/></a>`, "the XML holds more than 6 elements and attributes"},
		{"<a><b>\n</b>\n</c>", "XML syntax error on line 3: element <a> closed by </c>"}, // the line the lexer reached, not 1
	}
	for _, c := range cases {
		x := newXMLReader(strings.NewReader(c.xml), limits)
		var err error
		for err == nil {
			_, err = x.Token()
		}
		if err == io.EOF {
			err = nil
		}
		switch {
		case c.want == "" && err != nil:
			t.Errorf("Token(%s) = %v, want no error", c.xml, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("Token(%s) = %v, want %q", c.xml, err, c.want)
		}
	}
}

// utf16LE encodes s (ASCII) as UTF-16 little endian with a byte order mark.
func utf16LE(s string) []byte {
	out := []byte{0xFF, 0xFE}
	for i := 0; i < len(s); i++ {
		out = append(out, s[i], 0)
	}
	return out
}

// TestXMLLimitsAcceptNesting: a file just within the limits still reads,
// and a syntax error found by the tag matcher names its real line.
func TestXMLLimitsAcceptNesting(t *testing.T) {
	n := documentXMLLimits.depth - 4 // with the five elements around the text, exactly the limit
	body := "<w:document><w:body>" + strings.Repeat("<x>", n-1) + "<w:p><w:r><w:t>deep</w:t></w:r></w:p>" + strings.Repeat("</x>", n-1) + "</w:body></w:document>"
	docs, err := ImportDocuments("ok.docx", makeZip(t, map[string]string{"word/document.xml": body}), ImportOptions{})
	if err != nil {
		t.Fatalf("ImportDocuments(%d deep) = %v, want no error", n+4, err)
	}
	if got := docs[0].Text; got != "deep\n" {
		t.Fatalf("text = %q, want %q", got, "deep\n")
	}
	_, err = ImportDocuments("bad.odt", makeZip(t, map[string]string{"content.xml": "<a>\n\n<b>\n</a>"}), ImportOptions{})
	if want := "bad.odt: content.xml:4: malformed XML"; err == nil || !strings.HasPrefix(coding.ErrorMessage(err), want) {
		t.Fatalf("ImportDocuments(mismatched tags) = %v, want %q…", err, want)
	}
}

// BenchmarkRefuseDOCXBomb measures the time and memory it takes to refuse
// the 29 KB DOCX of issue #11 (ten million nested <a>, deflated), its flat
// variant, and a stored (uncompressed) nested one that only the depth limit
// stops; see BENCHMARKS.md.
func BenchmarkRefuseDOCXBomb(b *testing.B) {
	for _, c := range []struct {
		name   string
		method uint16
		unit   string
		n      int
	}{
		{"nested", zip.Deflate, "<a>", 10_000_000},
		{"flat", zip.Deflate, "<a/>", 10_000_000},
		{"nested-stored", zip.Store, "<a>", 1_000_000},
	} {
		data := bombZip(b, c.method, "word/document.xml", "", c.unit, c.n, "")
		b.Run(c.name, func(b *testing.B) {
			b.ReportMetric(float64(len(data)), "file-bytes")
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ImportDocuments("bomb.docx", data, ImportOptions{}); err == nil {
					b.Fatal("the bomb was accepted")
				}
			}
		})
	}
}
