package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/concordqda/concord/coding"
	"github.com/concordqda/concord/coding/formats"
	"github.com/concordqda/concord/store"
)

// refiSample is the path of a REFI-QDA sample kept with package coding.
func refiSample(name string) string {
	return filepath.Join("..", "..", "coding", "formats", "testdata", "refi", name)
}

// interopDemoDB makes a database with the demo project, plus what the demo lacks
// for a full round trip: memos of every kind (project, document, code,
// span), a coding memo and codings
// of the consensus layer. It returns the database file.
func interopDemoDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "demo.db")
	st, err := openDB(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := loadDemo(st, testBcryptCost); err != nil {
		t.Fatal(err)
	}
	p, _ := st.ProjectBySlug("peer-support")
	lead, _ := st.UserByLogin("lead")
	ana, _ := st.UserByLogin("ana")
	docs, _ := st.Documents(p.ID)
	codes, _ := st.Codes(p.ID)
	cb := coding.NewCodebook(codes)
	codable := ""
	cb.Walk(func(c *coding.Code, _ int) {
		if c.Codable && codable == "" {
			codable = c.ID
		}
	})
	for _, m := range []*coding.Memo{
		{ProjectID: p.ID, AuthorID: lead.ID, Title: "Plan", Text: "Second round in March.\nThen adjudicate."},
		{ProjectID: p.ID, DocumentID: docs[0].ID, AuthorID: ana.ID, Title: "Tone", Text: "Hopeful <despite> & because."},
		{ProjectID: p.ID, CodeID: codable, AuthorID: lead.ID, Text: "Definition needs an exclusion."},
		{ProjectID: p.ID, DocumentID: docs[1].ID, Start: 10, End: 60, AuthorID: ana.ID, Title: "Check this", Text: "The hospital, or the team?"},
	} {
		if _, err := st.SaveMemo(m, m.AuthorID); err != nil {
			t.Fatal(err)
		}
	}
	cs, _ := st.Codings(p.ID, coding.CodingFilter{CoderID: ana.ID})
	for i, c := range cs[:5] {
		c.ID = ""
		c.CoderID = coding.ConsensusCoder
		if i == 0 {
			c.Memo = "settled: both right"
		}
		if _, err := st.AddCoding(&c, lead.ID); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

// projectSummary is what a round trip must keep, comparable with ==.
type projectSummary struct {
	Documents, Codes, Codings, Memos []string
}

func summarize(t *testing.T, dbPath, slug string) projectSummary {
	t.Helper()
	st, err := openDB(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p, err := st.ProjectBySlug(slug)
	if err != nil {
		t.Fatal(err)
	}
	d, err := st.ProjectData(p.ID, coding.CodingFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return summarizeData(d)
}

func summarizeData(d *coding.ProjectData) projectSummary {
	var s projectSummary
	cb := d.Codebook()
	for _, doc := range d.Documents {
		attrs, _ := json.Marshal(doc.Attributes)
		s.Documents = append(s.Documents, fmt.Sprintf("%s|%s|%s|%q", doc.ID, doc.Title, attrs, doc.Text))
	}
	cb.Walk(func(c *coding.Code, depth int) {
		s.Codes = append(s.Codes, fmt.Sprintf("%d|%s|%s|%s|%s|%q|%v", depth, c.ID, c.ParentID, c.Name, c.Colour, c.Description, c.Codable))
	})
	for _, c := range d.Codings {
		s.Codings = append(s.Codings, fmt.Sprintf("%s|%s|%s|%s|%d|%d|%q", c.ID, c.DocumentID, c.CodeID, c.CoderID, c.Start, c.End, c.Memo))
	}
	for _, m := range d.Memos {
		s.Memos = append(s.Memos, fmt.Sprintf("%s|%s|%s|%d|%d|%s|%q|%q", m.ID, m.DocumentID, m.CodeID, m.Start, m.End, m.AuthorID, m.Title, m.Text))
	}
	for _, l := range [][]string{s.Documents, s.Codings, s.Memos} {
		sort.Strings(l)
	}
	return s
}

// The demo project goes to QDPX, into a fresh database, and to QDPX
// again: codes, documents, codings (offsets and coders) and memos are
// the same, and so are the source files.
func TestQDPXRoundTripThroughTheCLI(t *testing.T) {
	src := interopDemoDB(t)
	dir := t.TempDir()
	first := filepath.Join(dir, "first.qdpx")
	mustRun(t, "export", "--project", "peer-support", "-o", first, "--db", src)

	fresh := filepath.Join(dir, "fresh.db")
	mustRun(t, "users", "add", "admin", "--password", "administrator", "--admin", "--db", fresh)
	out := mustRun(t, "import", "--project", "again", first, "--db", fresh)
	if !strings.Contains(out, "Created project again (Peer support work in substance use services) with admin as lead.") {
		t.Errorf("import output:\n%s", out)
	}
	second := filepath.Join(dir, "second.qdpx")
	mustRun(t, "export", "--project", "again", "--format", "qdpx", "-o", second, "--db", fresh)

	want, got := summarize(t, src, "peer-support"), summarize(t, fresh, "again")
	if len(want.Codings) < 100 || len(want.Memos) != 4 {
		t.Fatalf("the source project is too small to prove anything: %d codings, %d memos", len(want.Codings), len(want.Memos))
	}
	for name, pair := range map[string][2][]string{
		"documents": {want.Documents, got.Documents}, "codes": {want.Codes, got.Codes},
		"codings": {want.Codings, got.Codings}, "memos": {want.Memos, got.Memos},
	} {
		if !reflect.DeepEqual(pair[0], pair[1]) {
			t.Errorf("%s differ after the round trip:\n got %q\nwant %q", name, pair[1], pair[0])
		}
	}
	// The second export holds the same sources and the same selections.
	a, b := zipEntries(t, first), zipEntries(t, second)
	for name, data := range a {
		if strings.HasPrefix(name, "sources/") && !bytes.Equal(data, b[name]) {
			t.Errorf("%s differs between the two exports", name)
		}
	}
	if n1, n2 := strings.Count(string(a["project.qde"]), "<PlainTextSelection"), strings.Count(string(b["project.qde"]), "<PlainTextSelection"); n1 != n2 || n1 != len(want.Codings)+1 {
		t.Errorf("%d and %d selections, want %d: one per coding and one for the span memo", n1, n2, len(want.Codings)+1)
	}
	// The imported coders cannot sign in until given a password.
	st, err := openDB(fresh)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ana, err := st.UserByLogin("ana")
	if err != nil || len(ana.PasswordHash) != 0 {
		t.Errorf("imported coder ana: %+v, %v", ana, err)
	}
}

func zipEntries(t *testing.T, path string) map[string][]byte {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		out[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	return out
}

// Every sample from another tool imports through the command line into a
// project of its own, with its users as coders.
func TestCLIImportsEverySample(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	mustRun(t, "users", "add", "admin", "--password", "administrator", "--admin", "--db", db)
	for _, tt := range []struct {
		file, slug                string
		docs, codes, codings, who int
	}{
		{"target-atlas-project.qdpx", "atlas", 0, 3, 0, 2},
		{"nvivo_project.qdpx", "nvivo-mac", 2, 262, 0, 2},
		{"2025-06-16_ICLS_Conf_Themes_ALL_just10.zip", "maxqda", 10, 307, 0, 1},
		{"oltas.qdpx", "nvivo-windows", 1, 60, 97, 2},
		{"codebook.qdc", "taguette", 0, 3, 0, 0},
	} {
		slug := tt.slug
		mustRun(t, "import", "--project", slug, refiSample(tt.file), "--db", db)
		st, err := openDB(db)
		if err != nil {
			t.Fatal(err)
		}
		p, _ := st.ProjectBySlug(slug)
		d, err := st.ProjectData(p.ID, coding.CodingFilter{})
		members, _ := st.Members(p.ID)
		st.Close()
		if err != nil {
			t.Fatal(err)
		}
		got := []int{len(d.Documents), len(d.Codes), len(d.Codings), len(members) - 1}
		if want := []int{tt.docs, tt.codes, tt.codings, tt.who}; !reflect.DeepEqual(got, want) {
			t.Errorf("%s: documents, codes, codings, coders = %v, want %v", tt.file, got, want)
		}
	}
}

// Documents of every format import into a new project led by the first
// admin; the survey CSV gives one document per answer.
func TestCLIImportDocumentFormats(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	mustRun(t, "users", "add", "root", "--password", "administrator", "--admin", "--db", db)
	docx := zipBytes(t, map[string]string{"word/document.xml": `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>From Word 📄</w:t></w:r></w:p></w:body></w:document>`})
	odt := zipBytes(t, map[string]string{"content.xml": `<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text><text:p>From Writer</text:p></office:text></office:body></office:document-content>`})
	writeFiles(t, dir, map[string]string{
		"a.txt": "\ufeffplain\r\ntext\r\n", "b.md": "# Field notes\nbody", "c.html": "<title>Web page</title><p>Hello &amp; bye</p>",
		"d.docx": string(docx), "e.odt": string(odt),
		"survey.csv": "respondent,age,comment\nr1,30,\"I liked it, mostly\"\nr2,41,\nr3,25,Too long\n",
	})
	files := []string{"a.txt", "b.md", "c.html", "d.docx", "e.odt", "survey.csv"}
	args := []string{"import", "--project", "mixed", "--attr", "wave=2", "--text-column", "comment", "--db", db}
	for _, f := range files {
		args = append(args, filepath.Join(dir, f))
	}
	out := mustRun(t, args...)
	if !strings.Contains(out, "Created project mixed (mixed) with root as lead.") {
		t.Errorf("output:\n%s", out)
	}
	st, err := openDB(db)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := st.ProjectBySlug("mixed")
	d, _ := st.ProjectData(p.ID, coding.CodingFilter{})
	st.Close()
	got := map[string]string{}
	for _, doc := range d.Documents {
		got[doc.Title] = doc.Text
		if doc.Attributes["wave"] != "2" {
			t.Errorf("%s: attributes %v", doc.Title, doc.Attributes)
		}
	}
	want := map[string]string{"a": "plain\ntext\n", "Field notes": "# Field notes\nbody", "Web page": "Hello & bye\n",
		"d": "From Word 📄\n", "e": "From Writer\n", "survey #1": "I liked it, mostly", "survey #3": "Too long"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("documents %q, want %q", got, want)
	}
	for _, doc := range d.Documents {
		if doc.Title == "survey #1" && (doc.Attributes["respondent"] != "r1" || doc.Attributes["age"] != "30") {
			t.Errorf("survey attributes %v", doc.Attributes)
		}
	}
	// The same files again: titles get " (2)".
	out = mustRun(t, "import", "--project", "mixed", filepath.Join(dir, "a.txt"), "--db", db)
	if !strings.Contains(out, `Imported "a (2)"`) {
		t.Errorf("second import:\n%s", out)
	}
}

func zipBytes(t *testing.T, entries map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range entries {
		f, _ := zw.Create(name)
		io.WriteString(f, body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// minimalPDF returns a one-page PDF showing text (ASCII only).
func minimalPDF(text string) []byte {
	content := fmt.Sprintf("BT /F1 24 Tf 72 700 Td (%s) Tj ET", text)
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

func TestCLIImportPDF(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	mustRun(t, "users", "add", "root", "--password", "administrator", "--admin", "--db", db)
	pdf := filepath.Join(dir, "scan.pdf")
	if err := os.WriteFile(pdf, minimalPDF("Hello from a PDF"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Without pdftotext, the error names the file and the fix.
	var out, errb syncBuffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }, BcryptCost: testBcryptCost,
		LookPath: func(string) (string, error) { return "", exec.ErrNotFound }}
	err := m.Run(t.Context(), []string{"import", "--project", "pdfs", pdf, "--db", db})
	if err == nil || !strings.Contains(err.Error(), "scan.pdf: cannot read PDF files without pdftotext") {
		t.Fatalf("without pdftotext: %v", err)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext is not installed (apt-get install poppler-utils)")
	}
	o := mustRun(t, "import", "--project", "pdfs", pdf, "--db", db)
	if !strings.Contains(o, `Imported "scan"`) {
		t.Fatalf("output:\n%s", o)
	}
	st, _ := openDB(db)
	defer st.Close()
	p, _ := st.ProjectBySlug("pdfs")
	d, _ := st.ProjectData(p.ID, coding.CodingFilter{})
	if len(d.Documents) != 1 || strings.TrimSpace(d.Documents[0].Text) != "Hello from a PDF" {
		t.Errorf("PDF text %q", d.Documents[0].Text)
	}
	bad := filepath.Join(dir, "bad.pdf")
	os.WriteFile(bad, []byte("%PDF-1.4 nonsense"), 0o644)
	if _, _, err := run(t, "", "import", "--project", "pdfs", bad, "--db", db); err == nil || !strings.Contains(err.Error(), "bad.pdf") {
		t.Errorf("a broken PDF: %v", err)
	}
}

// A bad file among good ones stops the whole import: no project, no
// users, no documents, and the error names the file.
func TestCLIImportIsAllOrNothing(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	mustRun(t, "users", "add", "admin", "--password", "administrator", "--admin", "--db", db)
	oltas, err := os.ReadFile(refiSample("oltas.qdpx"))
	if err != nil {
		t.Fatal(err)
	}
	writeFiles(t, dir, map[string]string{
		"good.txt":       "fine\n",
		"truncated.qdpx": string(oltas[:len(oltas)/2]),
		"evil.qdpx":      string(zipBytes(t, map[string]string{"project.qde": "<Project/>", "../../x": "x"})),
		"broken.qdc":     "<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"><Codes><Code guid=\"x\"",
		"latin1.csv":     "a,b\nx,caf\xe9\n",
	})
	for _, tt := range []struct{ file, want string }{
		{"truncated.qdpx", "truncated.qdpx: not a readable zip"},
		{"evil.qdpx", "evil.qdpx: entry \"../../x\" has an unsafe name"},
		{"broken.qdc", "broken.qdc:1: malformed XML"},
		{"latin1.csv", "latin1.csv:2: not valid UTF-8"},
	} {
		_, _, err := run(t, "", "import", "--project", "p", filepath.Join(dir, "good.txt"), filepath.Join(dir, tt.file), refiSample("oltas.qdpx"), "--db", db)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.file, err, tt.want)
		}
	}
	// A file that reads but does not fit the project: a coding of a
	// category in the existing codebook. The store refuses; nothing stays.
	mustRun(t, "import", "--project", "p", refiSample("codebook.qdc"), "--db", db)
	before := mustRun(t, "projects", "list", "--db", db)
	st, _ := openDB(db)
	p, _ := st.ProjectBySlug("p")
	codes, _ := st.Codes(p.ID)
	codes[0].Codable = false
	if _, err := st.UpdateCode(&codes[0], mustLead(t, st, p.ID)); err != nil {
		t.Fatal(err)
	}
	st.Close()
	qde := `<Project xmlns="urn:QDA-XML:project:1.0" name="x"><Users><User guid="AAAAAAAA-0000-4000-8000-000000000001" name="Newcomer"/></Users><CodeBook><Codes><Code guid="` + codes[0].ID + `" name="` + codes[0].Name + `" isCodable="true"/></Codes></CodeBook><Sources><TextSource guid="CCCCCCCC-0000-4000-8000-000000000001" name="t"><PlainTextContent>some text</PlainTextContent><PlainTextSelection guid="EEEEEEEE-0000-4000-8000-000000000001" startPosition="0" endPosition="4"><Coding guid="FFFFFFFF-0000-4000-8000-000000000001" creatingUser="AAAAAAAA-0000-4000-8000-000000000001"><CodeRef targetGUID="` + codes[0].ID + `"/></Coding></PlainTextSelection></TextSource></Sources></Project>`
	writeFiles(t, dir, map[string]string{"category.qde": qde})
	_, _, err = run(t, "", "import", "--project", "p", filepath.Join(dir, "good.txt"), filepath.Join(dir, "category.qde"), "--db", db)
	if err == nil || !strings.Contains(err.Error(), "is a category") {
		t.Fatalf("coding a category: %v", err)
	}
	if after := mustRun(t, "projects", "list", "--db", db); after != before {
		t.Errorf("a refused import changed the database:\n%s\nthen\n%s", before, after)
	}
	if out := mustRun(t, "users", "list", "--db", db); strings.Contains(out, "newcomer") {
		t.Errorf("a refused import left its user behind:\n%s", out)
	}
}

func mustLead(t *testing.T, st *store.DB, projectID string) string {
	t.Helper()
	members, err := st.Members(projectID)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range members {
		if m.Role == coding.RoleLead {
			return m.UserID
		}
	}
	t.Fatal("the project has no lead")
	return ""
}

func TestCLIExport(t *testing.T) {
	db := interopDemoDB(t)
	dir := t.TempDir()
	for _, f := range formats.ExportFormats() {
		path := filepath.Join(dir, f.FileName("demo", ""))
		out := mustRun(t, "export", "--project", "peer-support", "--format", f.Name, "-o", path, "--db", db)
		info, err := os.Stat(path)
		if err != nil || info.Size() < 100 || !strings.Contains(out, "Wrote "+path) {
			t.Errorf("%s: %v, %d bytes, output %q", f.Name, err, info.Size(), out)
		}
	}
	// The format follows the extension; -o - writes to standard output.
	out := mustRun(t, "export", "--project", "peer-support", "-o", "-", "--format", "json", "--coder", "ana", "--db", db)
	var got struct {
		Codings []struct{ Coder string }
		Memos   []struct{ Author string }
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("-o - did not print JSON: %v", err)
	}
	if len(got.Codings) == 0 || len(got.Memos) != 2 { // her document memo and her span memo
		t.Errorf("ana's layer: %d codings, %d memos", len(got.Codings), len(got.Memos))
	}
	for _, c := range got.Codings {
		if c.Coder != "ana" {
			t.Fatalf("--coder ana exported a coding by %s", c.Coder)
		}
	}
	out = mustRun(t, "export", "--project", "peer-support", "-o", "-", "--format", "csv", "--coder", "consensus", "--db", db)
	if n := strings.Count(out, "\n"); n != 6 || !strings.Contains(out, ",consensus,Consensus,") {
		t.Errorf("consensus layer CSV has %d lines:\n%s", n, out)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--format", "pdf", "-o", "x.pdf"}, "unknown format \"pdf\""},
		{[]string{"-o", filepath.Join(dir, "x.unknown")}, "cannot tell the format"},
		{[]string{"--format", "csv"}, "needs -o FILE"},
		{[]string{"--format", "csv", "-o", "-", "--coder", "nobody"}, "there is no coder \"nobody\" in this project"},
		{[]string{"--format", "csv", "-o", filepath.Join(dir, "missing", "x.csv")}, "x.csv"},
	} {
		_, _, err := run(t, "", append([]string{"export", "--project", "peer-support", "--db", db}, tt.args...)...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("export %v: %v, want %q", tt.args, err, tt.want)
		}
	}
	// A codebook of an empty project cannot be written; no file is left.
	mustRun(t, "users", "add", "root", "--password", "administrator", "--admin", "--db", db)
	writeFiles(t, dir, map[string]string{"one.txt": "text\n"})
	mustRun(t, "import", "--project", "bare", filepath.Join(dir, "one.txt"), "--db", db)
	target := filepath.Join(dir, "bare.qdc")
	if _, _, err := run(t, "", "export", "--project", "bare", "-o", target, "--db", db); err == nil || !strings.Contains(err.Error(), "codebook is empty") {
		t.Errorf("empty codebook: %v", err)
	}
	if _, err := os.Stat(target); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed export left %s behind", target)
	}
}
