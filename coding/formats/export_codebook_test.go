package formats

import (
	"bytes"
	"html"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/concordqda/concord/coding"
)

// unescapeMarkdown reads escaped text back as a renderer shows it: a
// backslash before ASCII punctuation is dropped, then entities decode.
func unescapeMarkdown(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", s[i+1]) >= 0 {
			i++
		}
		b.WriteByte(s[i])
	}
	return html.UnescapeString(b.String())
}

// Hostile code names and descriptions come out of the Markdown codebook
// as text: no HTML tag, entity, link, image, heading, list, quote, table
// or attribute list of their own, and they read back as written.
func TestCodebookMarkdownEscapesHostileText(t *testing.T) {
	tests := []struct{ name, description string }{
		{"<script>alert(1)</script>", "<img src=x onerror=alert(1)>"},
		{"[click](javascript:alert(1))", "![x](https://evil.example/x.png)\n[click](javascript:alert(1))"},
		{"# Heading?", "# not a heading\n- not a list\n+ nor this\n1. nor this\n2) nor this\n> not a quote"},
		{"&lt;b&gt; & &#60;i&#62;", "&lt;script&gt; and &#x3C;b&#x3E;"},
		{"**bold** _em_ `code` ~~gone~~", "| a | b |\n|---|---|\n{: onclick=\"alert(1)\"}\n***\n===\n    indented code <b>"},
		{"back\\slash", "a \\<b> c\n\n<!-- comment -->\n<div markdown=1>**x**</div>"},
	}
	d := &coding.ProjectData{Project: coding.Project{Name: "<b>Hostile</b> & co"}}
	for i, tt := range tests {
		d.Codes = append(d.Codes, coding.Code{ID: newTestID(i), Name: tt.name, Description: tt.description, Codable: true})
	}
	var buf bytes.Buffer
	if err := WriteCodebookMarkdown(&buf, d); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	if strings.ContainsAny(md, "<>") {
		t.Errorf("the Markdown codebook holds a raw < or >:\n%s", md)
	}
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "-") || strings.HasPrefix(line, "+") || strings.HasPrefix(line, "=") || strings.HasPrefix(line, " ") {
			t.Errorf("line %q would start a list, a heading underline or a code block", line)
		}
		if line != "" && line[0] >= '0' && line[0] <= '9' && strings.ContainsAny(strings.TrimLeft(line, "0123456789")[:1], ".)") {
			t.Errorf("line %q would start a numbered list", line)
		}
	}
	for _, tt := range tests {
		name := markdownEscape(tt.name)
		if !strings.Contains(md, "# "+name+"\n") {
			t.Errorf("no heading %q for the code %q", name, tt.name)
		}
		if got := unescapeMarkdown(name); got != tt.name {
			t.Errorf("the name %q reads back as %q", tt.name, got)
		}
		desc := markdownText(tt.description)
		if !strings.Contains(md, desc) {
			t.Errorf("the description of %q is not in the codebook as %q", tt.name, desc)
		}
		want := strings.Split(tt.description, "\n")
		for i := range want {
			want[i] = strings.TrimSpace(want[i])
		}
		if got := unescapeMarkdown(desc); got != strings.Join(want, "\n") {
			t.Errorf("the description %q reads back as %q", tt.description, got)
		}
	}
}

// newTestID is a distinct id for the i-th code of a test.
func newTestID(i int) string {
	return "00000000-0000-4000-8000-" + strings.Repeat("0", 11) + string(rune('a'+i))
}

// Whatever a name or description holds, its escaped form has no raw
// HTML and reads back as the text it came from.
func FuzzMarkdownEscape(f *testing.F) {
	for _, s := range []string{"<script>", "a & b", "1. x", "- y", "\\<", "&amp;", "[x](y)", "héllo 💔"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			t.Skip() // names and descriptions are checked to be UTF-8 before they are stored
		}
		line := strings.Join(strings.Fields(s), " ")
		got := markdownEscape(s)
		if strings.ContainsAny(got, "<>") {
			t.Errorf("markdownEscape(%q) = %q holds a raw < or >", s, got)
		}
		if back := unescapeMarkdown(got); back != line {
			t.Errorf("markdownEscape(%q) = %q reads back as %q, want %q", s, got, back, line)
		}
	})
}
