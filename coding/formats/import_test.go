package formats

import (
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/concordqda/concord/coding"
)

func utf16Bytes(s string, bigEndian bool) []byte {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 0, 2*len(u)+2)
	if bigEndian {
		b = append(b, 0xFE, 0xFF)
	} else {
		b = append(b, 0xFF, 0xFE)
	}
	for _, x := range u {
		if bigEndian {
			b = append(b, byte(x>>8), byte(x))
		} else {
			b = append(b, byte(x), byte(x>>8))
		}
	}
	return b
}

func TestDecodeText(t *testing.T) {
	const text = "Zoë said 🙂\r\nline 2\n"
	tests := []struct {
		name string
		data []byte
		want string
		err  string
	}{
		{"utf8", []byte(text), text, ""},
		{"utf8 bom", append([]byte{0xEF, 0xBB, 0xBF}, text...), text, ""},
		{"utf16le", utf16Bytes(text, false), text, ""},
		{"utf16be", utf16Bytes(text, true), text, ""},
		{"latin1", []byte("ok\ncaf\xe9\n"), "", "x.txt:2: not valid UTF-8"},
		{"odd utf16", append(utf16Bytes("ab", false), 'c'), "", "ends in the middle of a character"},
		{"lone surrogate", []byte{0xFF, 0xFE, 'a', 0, '\n', 0, 0x00, 0xD8, 'b', 0}, "", "x.txt:2: not valid UTF-16"},
		{"utf32", []byte{0xFF, 0xFE, 0, 0, 'a', 0, 0, 0}, "", "UTF-32"},
		{"nul", []byte("a\nb\x00"), "", "x.txt:2: contains a NUL"},
	}
	for _, tt := range tests {
		got, err := DecodeText("x.txt", tt.data)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: error %v, want %q", tt.name, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%s: %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
}

func TestImportDocuments(t *testing.T) {
	docx := makeZip(t, map[string]string{"word/document.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>
<w:p><w:r><w:t>Interviewer:</w:t></w:r><w:r><w:tab/><w:t xml:space="preserve"> How was it? </w:t></w:r></w:p>
<w:p><w:r><w:t>P1: Hard </w:t></w:r><w:del><w:r><w:delText>deleted</w:delText></w:r></w:del><w:r><w:t>😀 &amp; long</w:t><w:br/><w:t>next line</w:t></w:r></w:p>
<w:p/>
<w:p><w:r><mc:AlternateContent><mc:Choice><w:t>box</w:t></mc:Choice><mc:Fallback><w:t>box</w:t></mc:Fallback></mc:AlternateContent></w:r><w:r><w:instrText>PAGE</w:instrText></w:r></w:p>
</w:body></w:document>`})
	odt := makeZip(t, map[string]string{"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": `<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>
<text:h text:outline-level="1">Focus   group 2</text:h>
<text:p>First<text:s text:c="3"/>spaced <text:span>word</text:span><text:tab/>tab<text:note><text:note-body><text:p>footnote</text:p></text:note-body></text:note></text:p>
<text:p>
  Wrapped
  line<text:line-break/>break 💬</text:p>
<office:annotation><text:p>a comment</text:p></office:annotation>
</office:text></office:body></office:document-content>`})
	tests := []struct {
		name, data  string
		title, text string
		attrs       map[string]string
	}{
		{"notes.txt", "\ufeffHello\r\nthere\r\n", "notes", "Hello\nthere\n", nil},
		{"p2.md", "intro\n## Focus group 3  \ntext", "Focus group 3", "intro\n## Focus group 3  \ntext", nil},
		{"page.html", `<!DOCTYPE html><html><head><title>Site  visit</title><style>p{}</style><script>alert("<p>x</p>")</script></head>
<body><h1>Heading</h1><p>First &amp; <b>bold</b>
para.</p><!-- gone --><ul><li>one</li><li>two &lt;3</li></ul><p>a<br>b</p><pre>  keep
   this</pre><table><tr><td>c1</td><td>c2</td></tr></table> 5 < 6</body></html>`,
			"Site visit", "Heading\nFirst & bold para.\none\ntwo <3\na\nb\n  keep\n   this\nc1\tc2\n5 < 6\n", nil},
		{"h1.htm", "<h1>Only  a heading</h1>text", "Only a heading", "Only a heading\ntext\n", nil},
		{"t.docx", string(docx), "t", "Interviewer:\t How was it? \nP1: Hard 😀 & long\nnext line\n\nbox\n", nil},
		{"f.odt", string(odt), "f", "Focus group 2\nFirst   spaced word\ttab\nWrapped line\nbreak 💬\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs, err := ImportDocuments(tt.name, []byte(tt.data), ImportOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(docs) != 1 || docs[0].Title != tt.title || docs[0].Text != tt.text {
				t.Fatalf("got %d documents, first %q %q; want %q %q", len(docs), docs[0].Title, docs[0].Text, tt.title, tt.text)
			}
			if docs[0].Source != tt.name || docs[0].Length == 0 {
				t.Errorf("source %q length %d", docs[0].Source, docs[0].Length)
			}
		})
	}
}

func TestImportCSV(t *testing.T) {
	const survey = "id;age;answer;site\r\n1;34;\"I felt \"\"heard\"\" 🙂\nmostly\";north\r\n2;51;;south\r\n3;29;Short;north\r\n"
	docs, err := ImportCSV("survey.csv", []byte("\ufeff"+survey), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 {
		t.Fatalf("%d documents, want 2 (the empty answer is left out)", len(docs))
	}
	if docs[0].Title != "survey #1" || docs[0].Text != "I felt \"heard\" 🙂\nmostly" || docs[0].Attributes["age"] != "34" || docs[0].Attributes["site"] != "north" || docs[0].Attributes["id"] != "1" {
		t.Errorf("first document %+v", docs[0])
	}
	if docs[1].Title != "survey #3" || docs[1].Text != "Short" {
		t.Errorf("second document %q %q", docs[1].Title, docs[1].Text)
	}
	// The chosen column wins over the longest; UTF-16 with tabs (Excel's
	// "Unicode text") reads too.
	tsv := "name\tcomment\nAna\tok\nBen\tfine\n"
	docs, err = ImportCSV("u.txt", utf16Bytes(tsv, false), "NAME")
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 || docs[0].Text != "Ana" || docs[0].Attributes["comment"] != "ok" {
		t.Errorf("UTF-16 TSV: %+v", docs)
	}
	for _, tt := range []struct{ data, col, want string }{
		{"a,b\n1,2\n3\n", "", "survey.csv:3: 1 fields, but the header names 2"},
		{"a,b\n1,\"open\n", "", "survey.csv:2"},
		{"a,b\n1,2\n", "c", `there is no column "c"; the columns are "a", "b"`},
		{"a,b\n,\n", "", "no row has an answer"},
		{"", "", "the file is empty"},
		{"a,b\nx," + strings.Repeat("y", 1001) + "\n", "a", "survey.csv:2: the \"b\" value is longer"},
	} {
		if _, err := ImportCSV("survey.csv", []byte(tt.data), tt.col); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ImportCSV(%q, %q): %v, want %q", tt.data, tt.col, err, tt.want)
		}
	}
}

func TestImportErrorsNameTheFile(t *testing.T) {
	for _, tt := range []struct{ name, data, want string }{
		{"x.docx", "not a zip", "x.docx: not a readable zip"},
		{"x.docx", string(makeZip(t, map[string]string{"a.txt": "x"})), "x.docx: not a Word document"},
		{"x.docx", string(makeZip(t, map[string]string{"word/document.xml": "<w:document><w:p>"})), "x.docx: word/document.xml"},
		{"x.odt", string(makeZip(t, map[string]string{"content.xml": "<a><b></a>"})), "x.odt: content.xml:1: malformed XML"},
		{"x.odt", string(makeZip(t, map[string]string{"../content.xml": "x"})), "unsafe name"},
		{"x.html", "<p>caf\xe9</p>", "x.html:1: not valid UTF-8"},
		{"x.html", "<script>only</script>", "x.html: the file is empty"},
		{"x.rtf", "{\\rtf1}", "cannot import .rtf files"},
	} {
		_, err := ImportDocuments(tt.name, []byte(tt.data), ImportOptions{})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ImportDocuments(%s): %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestLoginFor(t *testing.T) {
	for in, want := range map[string]string{
		"Pethő Gergely": "petho-gergely", "CP": "cp", "ATLAS.ti": "atlas.ti", "  _x_ ": "x",
		"黄": "", "Ana María O'Neil": "ana-maria-o-neil", "a-very-long-name-that-goes-on-and-on-forever": "a-very-long-name-that-goes-on-an",
	} {
		if got := coding.LoginFor(in); got != want {
			t.Errorf("LoginFor(%q) = %q, want %q", in, got, want)
		}
	}
	taken := map[string]bool{"a": true, "a (2)": true}
	if got := coding.UniqueName("a", 300, func(s string) bool { return taken[s] }); got != "a (3)" {
		t.Errorf("UniqueName = %q", got)
	}
}

func TestNormalizeText(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "a": "a", "\ufeffa\r\nb": "a\nb", "a\rb": "a\nb", "a\r": "a\n", "\r\n\r\n": "\n\n",
		"a\r\r\nb": "a\n\nb", "x\n\ry": "x\n\ny", "\ufeff\ufeffz": "z", "a\ufeffb": "a\ufeffb", "é\r\n😀\r": "é\n😀\n",
	} {
		if got := coding.NormalizeText(in); got != want {
			t.Errorf("NormalizeText(%q) = %q, want %q", in, got, want)
		}
	}
}
