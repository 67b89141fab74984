package formats

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/concordqda/concord/coding"
)

func TestSegmentsCSV(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteSegmentsCSV(&buf, fixtureProject()); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\ufeff")) {
		t.Error("no byte order mark for Excel")
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"document", "site", "wave", "code", "coder", "coder_name", "start", "end", "text", "memo"}
	if strings.Join(rows[0], ",") != strings.Join(want, ",") {
		t.Errorf("header %v, want %v", rows[0], want)
	}
	if len(rows) != 8 {
		t.Fatalf("%d rows, want a header and 7 segments", len(rows))
	}
	// Reading order: first document, by start.
	first := rows[1]
	if first[0] != "Interview 1 — Zoë" || first[1] != "shelter" || first[3] != "Stressors › Workload" || first[4] != "ana" || first[8] != "Hard." {
		t.Errorf("first row %q", first)
	}
	byText := map[string][]string{}
	for _, r := range rows[1:] {
		byText[r[8]] = r
	}
	if r := byText["We lost someone 💔"]; r == nil || r[6] != "26" || r[7] != "43" || r[9] != "grief, shown with an emoji" {
		t.Errorf("emoji row %q: start and end must be code points", r)
	}
	if r := byText["We lost someone 💔 last week"]; r == nil || r[4] != "consensus" || r[5] != "Consensus" {
		t.Errorf("consensus row %q", r)
	}
	if r := byText["'=SUM(A1) said the sheet."]; r == nil {
		t.Errorf("a formula-like cell was not guarded: %q", byText)
	}
	if r := byText["Tabs\tand"]; r == nil || r[1] != "hospital" || r[2] != "" {
		t.Errorf("second document row %q", r)
	}
}

func TestJSONExport(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteJSON(&buf, fixtureProject()); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Project   struct{ Name string }
		Coders    []struct{ ID, Login, Name string }
		Documents []struct {
			ID, Title  string
			Length     int
			Attributes map[string]string
		}
		Codes   []struct{ ID, Parent, Name, Path string }
		Codings []struct {
			ID, Document, Code, Coder, Text, Memo string
			Start, End                            int
			CodePath                              string `json:"code_path"`
		}
		Memos []struct {
			ID, Author, Text string
			Start, End       int
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, buf.String())
	}
	if got.Project.Name != "Fixture <study> & co" || len(got.Documents) != 2 || len(got.Codes) != 5 || len(got.Codings) != 7 || len(got.Memos) != 5 {
		t.Fatalf("counts: %+v", got)
	}
	if len(got.Coders) != 4 || got.Coders[3].Login != "consensus" {
		t.Errorf("coders %+v", got.Coders)
	}
	if m := got.Memos[3]; m.Start != 24 || m.End != 39 || got.Memos[1].End != 0 {
		t.Errorf("the span memo is %+v and a document memo %+v; want the span [24, 39) on the first only", m, got.Memos[1])
	}
	if got.Codes[1].Path != "Stressors › Loss" || got.Codes[1].Parent != got.Codes[0].ID {
		t.Errorf("codes %+v", got.Codes)
	}
	d := fixtureProject()
	for _, c := range got.Codings {
		for _, doc := range d.Documents {
			if doc.ID == c.Document && coding.Slice(doc.Text, c.Start, c.End) != c.Text {
				t.Errorf("coding %s: text %q is not the document's [%d,%d)", c.ID, c.Text, c.Start, c.End)
			}
		}
		if c.Text == "=SUM(A1) said the sheet." && c.Coder != "ben" {
			t.Errorf("coding %+v", c)
		}
	}
	if !strings.Contains(buf.String(), `"text":"=SUM(A1) said the sheet."`) || strings.Contains(buf.String(), `\u003c`) {
		t.Error("JSON must keep text exactly, without HTML escaping")
	}
}

func TestXLSX(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, fixtureProject()); err != nil {
		t.Fatal(err)
	}
	files := unzip(t, buf.Bytes())
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"} {
		data, ok := files[name]
		if !ok {
			t.Fatalf("%s is missing", name)
		}
		if err := xml.Unmarshal(data, new(struct{})); err != nil {
			t.Errorf("%s is not well-formed XML: %v", name, err)
		}
	}
	type cell struct {
		T string `xml:"t,attr"`
		V string `xml:"v"`
		S string `xml:"is>t"`
	}
	var ws struct {
		Rows []struct {
			R     int    `xml:"r,attr"`
			Cells []cell `xml:"c"`
		} `xml:"sheetData>row"`
		Filter struct {
			Ref string `xml:"ref,attr"`
		} `xml:"autoFilter"`
	}
	if err := xml.Unmarshal(files["xl/worksheets/sheet1.xml"], &ws); err != nil {
		t.Fatal(err)
	}
	if len(ws.Rows) != 8 || ws.Filter.Ref != "J8" && ws.Filter.Ref != "A1:J8" {
		t.Fatalf("%d rows, filter %q", len(ws.Rows), ws.Filter.Ref)
	}
	found := false
	for _, r := range ws.Rows[1:] {
		if len(r.Cells) != 10 {
			t.Fatalf("row %d has %d cells", r.R, len(r.Cells))
		}
		if r.Cells[8].S == "=SUM(A1) said the sheet." && r.Cells[6].V != "" && r.Cells[6].T == "" {
			found = true
		}
	}
	if !found {
		t.Error("the formula-like text must be an exact string cell next to numeric start/end cells")
	}
	for n, want := range map[int]string{1: "A", 26: "Z", 27: "AA", 52: "AZ", 703: "AAA"} {
		if got := xlsxColumn(n); got != want {
			t.Errorf("xlsxColumn(%d) = %s, want %s", n, got, want)
		}
	}
}

func TestCodebookExports(t *testing.T) {
	var c, m bytes.Buffer
	if err := WriteCodebookCSV(&c, fixtureProject()); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(c.String(), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 6 || rows[1][0] != "Stressors" || rows[1][4] != "false" || rows[2][0] != "Stressors › Loss" || rows[2][7] != "3" || rows[1][9] != "5" {
		t.Errorf("codebook CSV %q", rows)
	}
	if err := WriteCodebookMarkdown(&m, fixtureProject()); err != nil {
		t.Fatal(err)
	}
	md := m.String()
	for _, want := range []string{"# Codebook: Fixture &lt;study&gt; &amp; co", "## Stressors", "*a category (not applied to text); colour `#d62728`; 0 segments in 0 documents*", "### Loss", "Anything that wears people down.\nInclude: grief.", "### Humour \"&amp;\" &lt;jokes&gt;"} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown codebook lacks %q:\n%s", want, md)
		}
	}
}

func TestHTMLReport(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteHTMLReport(&buf, fixtureProject()); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, want := range []string{
		"<title>Fixture &lt;study&gt; &amp; co — coding report</title>",
		"Humour &#34;&amp;&#34; &lt;jokes&gt;",
		"We lost someone 💔", "@media print", "style=\"background:#1f77b4\"",
		"Anything that wears people down.\nInclude: grief.",
		"Stressors › Loss",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	for _, bad := range []string{"<script", "<tags>", "ZgotmplZ", "http://", "https://"} {
		if strings.Contains(page, bad) {
			t.Errorf("report contains %q", bad)
		}
	}
}

func TestExportFormats(t *testing.T) {
	d := fixtureProject()
	for _, f := range ExportFormats() {
		var buf bytes.Buffer
		if err := f.Write(&buf, d); err != nil || buf.Len() == 0 {
			t.Errorf("%s: %v (%d bytes)", f.Name, err, buf.Len())
		}
		if g, ok := FindExportFormat(f.Name); !ok || g.Name != f.Name {
			t.Errorf("FindExportFormat(%s) failed", f.Name)
		}
	}
	if f, _ := FindExportFormat("codebook-md"); f.FileName("peer-support", "") != "peer-support-codebook.md" {
		t.Errorf("file name %q", f.FileName("peer-support", ""))
	}
	if f, ok := ExportFormatFor("out/x.QDPX"); !ok || f.Name != "qdpx" {
		t.Errorf("ExportFormatFor(.QDPX) = %v", f.Name)
	}
	// An empty project exports too (except a codebook, which needs a code).
	empty := &coding.ProjectData{Project: coding.Project{Name: "Empty"}}
	for _, f := range ExportFormats() {
		err := f.Write(new(bytes.Buffer), empty)
		if (err != nil) != (f.Name == "qdc") {
			t.Errorf("%s of an empty project: %v", f.Name, err)
		}
	}
	var qde bytes.Buffer
	if err := WriteQDPX(&qde, empty); err != nil {
		t.Fatal(err)
	}
	validateXML(t, unzip(t, qde.Bytes())["project.qde"], "Project-mrt2019.xsd")
}
