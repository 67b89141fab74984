package formats

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/concordqda/concord/coding"
)

func checkProject(t *testing.T, name string, d *coding.ProjectData, err error) {
	t.Helper()
	if err != nil {
		checkImportError(t, name, err)
		return
	}
	if err := d.Validate(); err != nil {
		t.Fatalf("imported project is not valid: %v", err)
	}
	checkDocuments(t, d.Documents)
	var buf bytes.Buffer
	if err := WriteQDPX(&buf, d); err != nil {
		t.Fatalf("an imported project does not export: %v", err)
	}
}

func sampleSeeds(f *testing.F, exts ...string) [][]byte {
	var out [][]byte
	for _, ext := range exts {
		files, _ := filepath.Glob(filepath.Join("testdata", "refi", "*"+ext))
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			out = append(out, data)
		}
	}
	return out
}

func FuzzReadQDPX(f *testing.F) {
	for _, s := range sampleSeeds(f, ".qdpx", ".zip") {
		f.Add(s)
	}
	var buf bytes.Buffer
	WriteQDPX(&buf, fixtureProject())
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := readQDPXBytes("f.qdpx", data)
		checkProject(t, "f.qdpx", d, err)
	})
}

// FuzzReadQDE fuzzes the project document and a source's text inside a
// well-formed archive, where the mutations that matter happen. Its seeds
// are the small samples (large ones make each mutation slow to try).
func FuzzReadQDE(f *testing.F) {
	for _, s := range sampleSeeds(f, ".qdpx", ".zip") {
		for name, qde := range unzipF(f, s) {
			if strings.HasSuffix(name, ".qde") && len(qde) < 30000 {
				f.Add(qde, []byte(variantText))
			}
		}
	}
	entries := unzipF(f, variantArchive(f, "NVivo 12", "utf8", "sources"))
	f.Add(entries["export/project.qde"], []byte(variantText))
	entries = unzipF(f, variantArchive(f, "ATLAS.ti", "utf16", "sources"))
	f.Add(entries["export/project.qde"], entries["export/sources/{CCCCCCCC-0000-4000-8000-000000000001}.txt"])
	f.Fuzz(func(t *testing.T, qde, text []byte) {
		data := makeZip(t, map[string]string{"project.qde": string(qde), "sources/{CCCCCCCC-0000-4000-8000-000000000001}.txt": string(text)})
		d, err := readQDPXBytes("f.qdpx", data)
		checkProject(t, "f.qdpx", d, err)
	})
}

func unzipF(f *testing.F, data []byte) map[string][]byte {
	out := map[string][]byte{}
	for k, v := range unzip(f, data) {
		out[k] = v
	}
	return out
}

func FuzzReadQDC(f *testing.F) {
	for _, s := range sampleSeeds(f, ".qdc") {
		f.Add(s)
	}
	var buf bytes.Buffer
	WriteQDC(&buf, fixtureProject())
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ReadQDC("f.qdc", data)
		checkProject(t, "f.qdc", d, err)
	})
}
