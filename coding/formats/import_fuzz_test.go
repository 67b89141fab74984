package formats

import (
	"strings"
	"testing"

	"github.com/concordqda/concord/coding"
)

// Every importer is fuzzed: any input gives documents the store accepts, or
// an error that names the file and is not an internal one; never a panic.
// Normalized text has no CR and does not start with U+FEFF.

func checkImportError(t *testing.T, name string, err error) {
	t.Helper()
	if coding.ErrorCode(err) == coding.EINTERNAL {
		t.Fatalf("internal error: %v", err)
	}
	if !strings.HasPrefix(coding.ErrorMessage(err), name) {
		t.Fatalf("error %q does not start with the file name %q", coding.ErrorMessage(err), name)
	}
}

func checkDocuments(t *testing.T, docs []coding.Document) {
	t.Helper()
	d := &coding.ProjectData{Documents: docs}
	if err := d.Validate(); err != nil {
		t.Fatalf("imported documents are not valid: %v", err)
	}
	for _, doc := range docs {
		if strings.Contains(doc.Text, "\r") || strings.HasPrefix(doc.Text, "\ufeff") {
			t.Fatalf("text was not normalized: %q", doc.Text)
		}
	}
}

func FuzzImportText(f *testing.F) {
	for _, s := range []string{"hello", "# Title\nbody", "\ufeffa\r\nb", "\xff\xfe", "\xff\xfea\x00\r\x00\n\x00", "a\x00b", "🙂\u0301", "\xfe\xff\x00a\xd8\x00"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, data string, markdown bool) {
		name := "f.txt"
		if markdown {
			name = "f.md"
		}
		docs, err := ImportDocuments(name, []byte(data), ImportOptions{})
		if err != nil {
			checkImportError(t, name, err)
			return
		}
		checkDocuments(t, docs)
	})
}

func FuzzImportHTML(f *testing.F) {
	for _, s := range []string{"<p>a</p>", "<title>T</title><h1>x</h1><pre> a\n b</pre><br>", "<script>x</script>y", "<a href='>'>q</a>", "<!-- x", "<", "a &amp; b &#128512;", "<td>1<td>2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		docs, err := ImportDocuments("f.html", []byte(data), ImportOptions{})
		if err != nil {
			checkImportError(t, "f.html", err)
			return
		}
		checkDocuments(t, docs)
	})
}

// FuzzImportDOCX fuzzes word/document.xml inside a well-formed archive.
func FuzzImportDOCX(f *testing.F) {
	for _, s := range []string{
		`<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>Hi</w:t><w:tab/><w:br/></w:r></w:p></w:body></w:document>`,
		`<w:p><mc:Fallback><w:t>x</w:t></mc:Fallback></w:p>`, `<?xml version="1.0" encoding="UTF-16"?><a/>`, `<a>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		data := makeZip(t, map[string]string{"word/document.xml": string(body)})
		docs, err := ImportDocuments("f.docx", data, ImportOptions{})
		if err != nil {
			checkImportError(t, "f.docx", err)
			return
		}
		checkDocuments(t, docs)
	})
}

// FuzzImportODT fuzzes content.xml inside a well-formed archive.
func FuzzImportODT(f *testing.F) {
	for _, s := range []string{
		`<office:text xmlns:text="t"><text:p>a<text:s text:c="3"/>b<text:tab/><text:line-break/></text:p><text:h>H</text:h></office:text>`,
		`<text:p><text:note><text:p>n</text:p></text:note></text:p>`, `<text:p><text:s text:c="-9"/></text:p>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		data := makeZip(t, map[string]string{"content.xml": string(body)})
		docs, err := ImportDocuments("f.odt", data, ImportOptions{})
		if err != nil {
			checkImportError(t, "f.odt", err)
			return
		}
		checkDocuments(t, docs)
	})
}

func FuzzImportCSV(f *testing.F) {
	for _, s := range []string{"id,answer\n1,yes\n2,\"no, \"\"never\"\"\"\n", "a;b\r\n1;2\r\n", "x\ty\n1\t2\n", "a,b\n1\n", "\"", ""} {
		f.Add(s, "")
		f.Add(s, "b")
	}
	f.Fuzz(func(t *testing.T, data, column string) {
		docs, err := ImportCSV("f.csv", []byte(data), column)
		if err != nil {
			checkImportError(t, "f.csv", err)
			return
		}
		checkDocuments(t, docs)
	})
}
