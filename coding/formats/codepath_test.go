package formats

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/concordqda/concord/coding"
)

// A code name with "/" (and a backslash) from another tool survives an
// import and an export byte for byte, so the tool matches it again. The
// file is the real NVivo sample with two of its codes renamed.
func TestQDPXKeepsSlashesInCodeNames(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "refi", "oltas.qdpx"))
	if err != nil {
		t.Fatal(err)
	}
	entries := map[string]string{}
	for name, b := range unzip(t, data) {
		entries[name] = string(b)
	}
	renames := map[string]string{
		`name="alacsony fogékonyság"`: `name="Rejection / Antipathy"`,
		`name="méreg"`:                `name="méreg \ poison / 毒 › x"`,
	}
	qde := entries["project.qde"]
	for old, nu := range renames {
		if !strings.Contains(qde, old) {
			t.Fatalf("the sample has no code %s", old)
		}
		qde = strings.Replace(qde, old, nu, 1)
	}
	entries["project.qde"] = qde
	in, err := readQDPXBytes("slashes.qdpx", makeZip(t, entries))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Rejection / Antipathy", `méreg \ poison / 毒 › x`}
	names := func(d *coding.ProjectData) map[string]bool {
		m := map[string]bool{}
		for _, c := range d.Codes {
			m[c.Name] = true
		}
		return m
	}
	for _, w := range want {
		if !names(in)[w] {
			t.Errorf("imported codes lack %q", w)
		}
	}
	for _, w := range in.Warnings {
		if strings.Contains(w, "Rejection") || strings.Contains(w, "méreg") {
			t.Errorf("warning about a kept name: %s", w)
		}
	}
	var buf bytes.Buffer
	if err := WriteQDPX(&buf, in); err != nil {
		t.Fatal(err)
	}
	exported := string(unzip(t, buf.Bytes())["project.qde"])
	for _, w := range []string{`name="Rejection / Antipathy"`, `name="méreg \ poison / 毒 › x"`} {
		if !strings.Contains(exported, w) {
			t.Errorf("the exported project.qde lacks %s", w)
		}
	}
	out, err := readQDPXBytes("again.qdpx", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	for i := range in.Codes {
		if in.Codes[i].Name != out.Codes[i].Name {
			t.Errorf("code %d after a round trip = %q, want %q", i, out.Codes[i].Name, in.Codes[i].Name)
		}
	}
	cb := out.Codebook()
	for _, c := range out.Codes {
		if got, err := cb.Resolve(cb.PathString(c.ID)); err != nil || got.ID != c.ID {
			t.Errorf("Resolve(%q) = %+v, %v; want code %s", cb.PathString(c.ID), got, err, c.ID)
		}
	}
}

// The JSON export names a code's path as an escaped string and as a list
// of the names exactly as they are.
func TestJSONExportCodePaths(t *testing.T) {
	d := &coding.ProjectData{
		Project:   coding.Project{Name: "P", Slug: "p"},
		Users:     []coding.User{{ID: "u", Login: "ana", Name: "Ana"}},
		Documents: []coding.Document{{ID: "d", Title: "Doc", Text: "Some text here", Length: 14}},
		Codes: []coding.Code{
			{ID: "s", Name: "Stressors", Codable: true},
			{ID: "r", ParentID: "s", Name: "Rejection / Antipathy", Codable: true},
		},
		Codings: []coding.Coding{{ID: "c", DocumentID: "d", CodeID: "r", CoderID: "u", Start: 0, End: 4}},
	}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, d); err != nil {
		t.Fatal(err)
	}
	var out struct {
		Codes []struct {
			Path      string   `json:"path"`
			PathNames []string `json:"path_names"`
		}
		Codings []struct {
			CodePath      string   `json:"code_path"`
			CodePathNames []string `json:"code_path_names"`
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	want := []string{"Stressors", "Rejection / Antipathy"}
	if len(out.Codes) != 2 || !reflect.DeepEqual(out.Codes[1].PathNames, want) || out.Codes[1].Path != `Stressors › Rejection \/ Antipathy` {
		t.Errorf("codes = %+v, want the second with path_names %q", out.Codes, want)
	}
	if len(out.Codings) != 1 || !reflect.DeepEqual(out.Codings[0].CodePathNames, want) || out.Codings[0].CodePath != `Stressors › Rejection \/ Antipathy` {
		t.Errorf("codings = %+v, want code_path_names %q", out.Codings, want)
	}
}
