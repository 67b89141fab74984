package main

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/concordqda/concord/coding"
)

// uploadFile is one part of an import upload.
type uploadFile struct {
	name string
	data []byte
}

// upload posts files (and fields) to the project's import route as the
// web UI does and returns the status and the decoded answer.
func (c *apiClient) upload(pid string, files []uploadFile, fields map[string]string, header map[string]string) (int, map[string]any) {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	for _, f := range files {
		w, err := mw.CreateFormFile("file", f.name)
		if err != nil {
			c.t.Fatal(err)
		}
		w.Write(f.data)
	}
	mw.Close()
	req, err := http.NewRequest("POST", c.base+"/api/projects/"+pid+"/import", &body)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("X-Concord-Upload", "1")
	for k, v := range header {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if err := json.Unmarshal(data, &out); err != nil {
		c.t.Fatalf("import answer is not JSON: %s", data)
	}
	return resp.StatusCode, out
}

// projectShape is what an import may change: document titles and code paths.
func projectShape(t *testing.T, ts *testServer, slug string) (titles, codes []string) {
	t.Helper()
	p, err := ts.Store.ProjectBySlug(slug)
	if err != nil {
		t.Fatal(err)
	}
	docs, _ := ts.Store.Documents(p.ID)
	for _, d := range docs {
		titles = append(titles, d.Title)
	}
	cs, _ := ts.Store.Codes(p.ID)
	cb := coding.NewCodebook(cs)
	for _, c := range cs {
		codes = append(codes, cb.PathString(c.ID))
	}
	sort.Strings(titles)
	sort.Strings(codes)
	return titles, codes
}

func TestImportHTTP(t *testing.T) {
	ts := startServer(t, "--max-document", "4096")
	lead := ts.login(t, "lead", DemoPassword)
	coder := ts.login(t, "ana", DemoPassword)
	qdc, err := os.ReadFile(filepath.Join("..", "..", "coding", "formats", "testdata", "refi", "codebook.qdc"))
	if err != nil {
		t.Fatal(err)
	}
	docx := zipBytes(t, map[string]string{"word/document.xml": `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>From Word 📄</w:t></w:r></w:p></w:body></w:document>`})
	survey := "id,site,What helped?\n1,north,Talking to someone who had been there\n2,south,\n3,south,Being listened to 🙂\n"

	tests := []struct {
		name    string
		client  *apiClient
		files   []uploadFile
		fields  map[string]string
		header  map[string]string
		status  int
		err     string   // part of the error message
		titles  []string // new document titles, for a success
		newCode bool     // the codebook grew
	}{
		{name: "text, Markdown and Word at once", client: lead, status: 201,
			files:  []uploadFile{{"notes.txt", []byte("Plain notes\n")}, {"fg.md", []byte("# Focus group 9\nWe talked.\n")}, {"w.docx", docx}},
			titles: []string{"Focus group 9", "notes", "w"}},
		{name: "survey rows with an answer column", client: lead, status: 201,
			files: []uploadFile{{"survey.csv", []byte(survey)}}, fields: map[string]string{"text_column": "What helped?"},
			titles: []string{"survey #1", "survey #3"}},
		{name: "a title already there gets a number", client: lead, status: 201,
			files: []uploadFile{{"notes.txt", []byte("Notes again\n")}}, titles: []string{"notes (2)"}},
		{name: "a codebook", client: lead, status: 201, files: []uploadFile{{"book.qdc", qdc}}, newCode: true},
		{name: "unknown kind of file, after a good one", client: lead, status: 400, err: "tool.exe: cannot import .exe files",
			files: []uploadFile{{"fine.txt", []byte("fine\n")}, {"tool.exe", []byte("MZ")}}},
		{name: "text that is not UTF-8", client: lead, status: 400, err: "latin.txt:1: not valid UTF-8",
			files: []uploadFile{{"ok.txt", []byte("ok\n")}, {"latin.txt", []byte("caf\xe9\n")}}},
		{name: "an empty file", client: lead, status: 400, err: "empty.md: the file is empty",
			files: []uploadFile{{"empty.md", []byte(" \n")}}},
		{name: "a whole project from another tool", client: lead, status: 400, err: "p.qdpx: a whole project from another QDA tool",
			files: []uploadFile{{"p.qdpx", []byte("PK")}}},
		{name: "larger than --max-document", client: lead, status: 413, err: "big.txt: the upload is too large",
			files: []uploadFile{{"big.txt", bytes.Repeat([]byte("words "), 1000)}}},
		{name: "no files", client: lead, status: 400, err: "choose at least one file"},
		{name: "an unknown field", client: lead, status: 400, err: `unknown field "title"`,
			files: []uploadFile{{"a.txt", []byte("a\n")}}, fields: map[string]string{"title": "x"}},
		{name: "a coder may not import", client: coder, status: 403, err: "only a lead",
			files: []uploadFile{{"a.txt", []byte("a\n")}}},
		{name: "a form from another site", client: lead, status: 403, err: "another site",
			files: []uploadFile{{"a.txt", []byte("a\n")}}, header: map[string]string{"Origin": "https://evil.example"}},
		{name: "multipart without the upload header", client: lead, status: 400, err: "as JSON",
			files: []uploadFile{{"a.txt", []byte("a\n")}}, header: map[string]string{"X-Concord-Upload": ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			titlesBefore, codesBefore := projectShape(t, ts, "peer-support")
			status, out := tt.client.upload("peer-support", tt.files, tt.fields, tt.header)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %v", status, tt.status, out)
			}
			titlesAfter, codesAfter := projectShape(t, ts, "peer-support")
			if tt.status != 201 {
				if msg, _ := out["error"].(string); !strings.Contains(msg, tt.err) {
					t.Errorf("error %q, want it to contain %q", msg, tt.err)
				}
				if strings.Join(titlesAfter, "|") != strings.Join(titlesBefore, "|") || strings.Join(codesAfter, "|") != strings.Join(codesBefore, "|") {
					t.Errorf("a refused import changed the project: documents %v → %v, codes %d → %d", titlesBefore, titlesAfter, len(codesBefore), len(codesAfter))
				}
				return
			}
			var got []string
			for _, d := range out["documents"].([]any) {
				got = append(got, d.(map[string]any)["title"].(string))
			}
			sort.Strings(got)
			if strings.Join(got, "|") != strings.Join(tt.titles, "|") {
				t.Errorf("imported %q, want %q", got, tt.titles)
			}
			if len(titlesAfter) != len(titlesBefore)+len(tt.titles) {
				t.Errorf("the project has %d documents, want %d", len(titlesAfter), len(titlesBefore)+len(tt.titles))
			}
			if grew := len(codesAfter) > len(codesBefore); grew != tt.newCode || int(out["codes"].(float64)) != len(codesAfter)-len(codesBefore) {
				t.Errorf("codes %d → %d, answer says %v new", len(codesBefore), len(codesAfter), out["codes"])
			}
		})
	}

	t.Run("PDF through pdftotext", func(t *testing.T) {
		if _, err := exec.LookPath("pdftotext"); err != nil {
			t.Skip("pdftotext is not installed (apt-get install poppler-utils)")
		}
		status, out := lead.upload("peer-support", []uploadFile{{"scan.pdf", minimalPDF("Hello from a PDF")}}, nil, nil)
		if status != 201 {
			t.Fatalf("status %d: %v", status, out)
		}
		status, out = lead.upload("peer-support", []uploadFile{{"broken.pdf", []byte("%PDF-1.4 nothing")}}, nil, nil)
		if msg, _ := out["error"].(string); status != 400 || !strings.HasPrefix(msg, "broken.pdf: ") || strings.Contains(msg, "concord-upload") {
			t.Errorf("a broken PDF: status %d, %v", status, out)
		}
	})
}
