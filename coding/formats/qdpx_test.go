package formats

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/concordqda/concord/coding"
)

func readQDPXBytes(name string, data []byte) (*coding.ProjectData, error) {
	return ReadQDPX(name, bytes.NewReader(data), int64(len(data)), ImportOptions{})
}

func readSample(t *testing.T, file string) *coding.ProjectData {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "refi", file))
	if err != nil {
		t.Fatal(err)
	}
	var d *coding.ProjectData
	if strings.HasSuffix(file, ".qdc") {
		d, err = ReadQDC(file, data)
	} else {
		d, err = readQDPXBytes(file, data)
	}
	if err != nil {
		t.Fatalf("import %s: %v", file, err)
	}
	return d
}

// Every sample from another tool imports, with the codes, hierarchy,
// sources and codings it holds (counted independently from its XML).
func TestSamplesImport(t *testing.T) {
	tests := []struct {
		file                       string
		codes, roots, depth, users int
		docs, codings              int
	}{
		{"target-atlas-project.qdpx", 3, 1, 2, 2, 0, 0},
		{"nvivo_project.qdpx", 262, 3, 7, 2, 2, 0},
		{"2025-06-16_ICLS_Conf_Themes_ALL_just10.zip", 307, 18, 2, 1, 10, 0},
		{"oltas.qdpx", 60, 11, 3, 2, 1, 97},
		{"codebook.qdc", 3, 3, 1, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			d := readSample(t, tt.file)
			cb := d.Codebook()
			depth := 0
			cb.Walk(func(_ *coding.Code, dep int) { depth = max(depth, dep+1) })
			got := []int{len(d.Codes), len(cb.Children("")), depth, len(d.Users), len(d.Documents), len(d.Codings)}
			want := []int{tt.codes, tt.roots, tt.depth, tt.users, tt.docs, tt.codings}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("codes, roots, depth, users, documents, codings = %v, want %v", got, want)
			}
			if err := d.Validate(); err != nil {
				t.Errorf("imported project is not valid: %v", err)
			}
			for _, doc := range d.Documents {
				if strings.ContainsAny(doc.Text, "\r\ufeff") {
					t.Errorf("%s: text was not normalized", doc.Title)
				}
			}
		})
	}
}

func TestSampleDetails(t *testing.T) {
	atlas := readSample(t, "target-atlas-project.qdpx")
	if c, ok := atlas.Codebook().Find("Commits/2022-05-10T02:05:59Z 19e4dce"); !ok || !c.Codable {
		t.Errorf("ATLAS.ti nested code not found: %+v", c)
	}
	maxqda := readSample(t, "2025-06-16_ICLS_Conf_Themes_ALL_just10.zip")
	sets := map[string]int{}
	for _, d := range maxqda.Documents {
		sets[d.Attributes["set"]]++
	}
	if sets["ICLS 2024"] != 5 || sets["ICLS 2025"] != 5 {
		t.Errorf("MAXQDA document sets became %v, want 5 documents in each", sets)
	}
	if c, _ := maxqda.Codebook().Find("Additional Themes and Ideas"); c == nil || c.Colour != "#ef8256" || !strings.HasPrefix(c.Description, "This category encompasses") {
		t.Errorf("MAXQDA code = %+v", c)
	}
	nv := readSample(t, "nvivo_project.qdpx")
	if nv.Users[0].Login != "cp" || nv.Users[0].Name != "chrisp" {
		t.Errorf("NVivo user = %+v, want login cp (its id) and name chrisp", nv.Users[0])
	}
}

// NVivo counts positions in UTF-16 units over text with a BOM and CRLF
// line ends. Every imported coding must cover exactly the characters the
// UTF-16 reading of the raw file gives (computed here without the
// importer's position mapping), including those after emoji.
func TestNVivoCodingsCoverTheComments(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "refi", "oltas.qdpx"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := readQDPXBytes("oltas.qdpx", data)
	if err != nil {
		t.Fatal(err)
	}
	files := unzip(t, data)
	raw := strings.TrimPrefix(string(files["Sources/56a79789-d535-4fb8-bedd-a915504c54ba.txt"]), "\ufeff")
	units := utf16.Encode([]rune(raw))
	var qde struct {
		Sources struct {
			Text []qdeText `xml:"TextSource"`
		} `xml:"Sources"`
	}
	if err := newXMLReader(bytes.NewReader(files["project.qde"]), projectXMLLimits).Decode(&qde); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{} // coding guid → text
	for _, sel := range qde.Sources.Text[0].Selections {
		var s, e int
		fmtSscan(t, sel.Start, &s)
		fmtSscan(t, sel.End, &e)
		text := strings.ReplaceAll(string(utf16.Decode(units[s:e])), "\r\n", "\n")
		for _, c := range sel.Codings {
			want[c.GUID] = text
		}
	}
	doc := d.Documents[0]
	if len(d.Codings) != len(want) {
		t.Fatalf("%d codings, want %d", len(d.Codings), len(want))
	}
	afterEmoji := 0
	firstEmoji := strings.IndexFunc(doc.Text, func(r rune) bool { return r >= 0x10000 })
	for _, c := range d.Codings {
		got := coding.Slice(doc.Text, c.Start, c.End)
		if got != want[c.ID] {
			t.Errorf("coding %s covers %q, want %q", c.ID, got, want[c.ID])
		}
		if c.Start > coding.RuneIndex(doc.Text, firstEmoji) {
			afterEmoji++
		}
		// Each coding is one whole comment: it starts a line and ends one.
		if c.Start > 0 && coding.Slice(doc.Text, c.Start-1, c.Start) != "\n" {
			t.Errorf("coding %s does not start at the start of a comment: %q", c.ID, got)
		}
	}
	if afterEmoji < 10 {
		t.Errorf("only %d codings lie after the first emoji; the test does not exercise the conversion", afterEmoji)
	}
	// Selections SOURCES.md and the file name, read by hand: the first
	// lies after three emoji, the others around and after more.
	for id, text := range map[string]string{
		"4d325f7c-c73d-49d5-8812-34a54667a058": "Nem tehetik kötelezővé! 😡😡", // selection 52322d90…
		"f0700850-5e65-4b33-ae59-83d36a021670": "Na mi van? Nem mertétek kötelezővé tenni? Adtam volna a harminc centis pengével egyből két oltást is. Egyet szívre, egyet meg nyakon. Akkor biztis hogy nem haltok meg covidban.",
	} {
		found := false
		for _, c := range d.Codings {
			if c.ID == id {
				found = true
				if got := coding.Slice(doc.Text, c.Start, c.End); got != text {
					t.Errorf("coding %s covers %q, want %q", id, got, text)
				}
			}
		}
		if !found {
			t.Errorf("coding %s is missing", id)
		}
	}
}

func fmtSscan(t *testing.T, s string, n *int) {
	t.Helper()
	v := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			t.Fatalf("position %q", s)
		}
		v = v*10 + int(c-'0')
	}
	*n = v
}

func TestQDPXExportValidates(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteQDPX(&buf, fixtureProject()); err != nil {
		t.Fatal(err)
	}
	files := unzip(t, buf.Bytes())
	if want := 1 + 2 + len(fixtureProject().Memos); len(files) != want {
		t.Errorf("archive holds %d entries, want %d: project.qde, 2 sources and a text file per memo", len(files), want)
	}
	validateXML(t, files["project.qde"], "Project-mrt2019.xsd")
	var qdc bytes.Buffer
	if err := WriteQDC(&qdc, fixtureProject()); err != nil {
		t.Fatal(err)
	}
	validateXML(t, qdc.Bytes(), "Codebook-mrt2019.xsd")
	// Samples re-exported validate too.
	for _, f := range []string{"oltas.qdpx", "nvivo_project.qdpx", "2025-06-16_ICLS_Conf_Themes_ALL_just10.zip"} {
		buf.Reset()
		if err := WriteQDPX(&buf, readSample(t, f)); err != nil {
			t.Fatal(err)
		}
		validateXML(t, unzip(t, buf.Bytes())["project.qde"], "Project-mrt2019.xsd")
	}
}

// Concord's own round trip is exact: ids, texts, attributes, the codebook
// tree and order, codings (offsets, coders, memos) and memos.
func TestQDPXRoundTrip(t *testing.T) {
	in := fixtureProject()
	var buf bytes.Buffer
	if err := WriteQDPX(&buf, in); err != nil {
		t.Fatal(err)
	}
	out, err := readQDPXBytes("fixture.qdpx", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Warnings) > 0 {
		t.Errorf("warnings: %v", out.Warnings)
	}
	compareProjects(t, in, out)
	var again bytes.Buffer
	if err := WriteQDPX(&again, out); err != nil {
		t.Fatal(err)
	}
	a, b := unzip(t, buf.Bytes()), unzip(t, again.Bytes())
	for name := range a {
		if name == "project.qde" {
			continue // creation times of imported users differ; compared above
		}
		if !bytes.Equal(a[name], b[name]) {
			t.Errorf("%s differs after a round trip", name)
		}
	}
}

// compareProjects checks that out holds what in holds, as a round trip
// must keep it.
func compareProjects(t *testing.T, in, out *coding.ProjectData) {
	t.Helper()
	if in.Project.Name != out.Project.Name || in.Project.Description != out.Project.Description {
		t.Errorf("project %q %q, want %q %q", out.Project.Name, out.Project.Description, in.Project.Name, in.Project.Description)
	}
	type docKey struct{ ID, Title, Text, Attrs string }
	docs := func(d *coding.ProjectData) []docKey {
		var out []docKey
		for _, doc := range d.Documents {
			var attrs []string
			for k, v := range doc.Attributes {
				attrs = append(attrs, k+"="+v)
			}
			sort.Strings(attrs)
			out = append(out, docKey{doc.ID, doc.Title, doc.Text, strings.Join(attrs, ";")})
		}
		return out
	}
	if a, b := docs(in), docs(out); !reflect.DeepEqual(a, b) {
		t.Errorf("documents differ:\n got %q\nwant %q", b, a)
	}
	type codeKey struct {
		ID, Parent, Name, Colour, Desc string
		Codable                        bool
		Place                          int
	}
	codes := func(d *coding.ProjectData) []codeKey {
		var out []codeKey
		cb := d.Codebook()
		cb.Walk(func(c *coding.Code, _ int) {
			place := 0
			for i, s := range cb.Children(c.ParentID) {
				if s.ID == c.ID {
					place = i
				}
			}
			out = append(out, codeKey{c.ID, c.ParentID, c.Name, c.Colour, c.Description, c.Codable, place})
		})
		return out
	}
	if a, b := codes(in), codes(out); !reflect.DeepEqual(a, b) {
		t.Errorf("codes differ:\n got %+v\nwant %+v", b, a)
	}
	type codingKey struct {
		ID, Doc, Code, Coder string
		Start, End           int
		Memo                 string
	}
	codings := func(d *coding.ProjectData) []codingKey {
		var out []codingKey
		for _, c := range d.Codings {
			out = append(out, codingKey{c.ID, c.DocumentID, c.CodeID, c.CoderID, c.Start, c.End, coding.NormalizeText(c.Memo)})
		}
		sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
		return out
	}
	if a, b := codings(in), codings(out); !reflect.DeepEqual(a, b) {
		t.Errorf("codings differ:\n got %+v\nwant %+v", b, a)
	}
	type memoKey struct {
		ID, Doc, Code, Author, Title, Text string
		Start, End                         int
	}
	memos := func(d *coding.ProjectData) []memoKey {
		var out []memoKey
		for _, m := range d.Memos {
			out = append(out, memoKey{m.ID, m.DocumentID, m.CodeID, m.AuthorID, m.Title, m.Text, m.Start, m.End})
		}
		sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
		return out
	}
	if a, b := memos(in), memos(out); !reflect.DeepEqual(a, b) {
		t.Errorf("memos differ:\n got %+v\nwant %+v", b, a)
	}
	users := map[string]string{}
	for _, u := range out.Users {
		users[u.ID] = u.Login + "/" + u.Name
	}
	for _, u := range in.Users {
		if users[u.ID] != u.Login+"/"+u.Name {
			t.Errorf("user %s came back as %q, want %s/%s", u.ID, users[u.ID], u.Login, u.Name)
		}
	}
}
