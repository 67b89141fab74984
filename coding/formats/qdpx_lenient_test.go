package formats

import (
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/concordqda/concord/coding"
)

// oneSourceQDPX builds a QDPX of one text source (its text in
// sources/s.txt, as given: CRLF stays CRLF) and the selections given as
// XML, with one code "Topic" (guid ...c1) and one user (guid ...a1).
func oneSourceQDPX(t *testing.T, origin, text, selections string) []byte {
	t.Helper()
	qde := `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Lenient" origin="` + origin + `">
 <Users><User guid="00000000-0000-4000-8000-0000000000a1" name="Ana"/></Users>
 <CodeBook><Codes><Code guid="00000000-0000-4000-8000-0000000000c1" name="Topic" isCodable="true"/></Codes></CodeBook>
 <Sources>
  <TextSource guid="00000000-0000-4000-8000-0000000000d1" name="Interview" plainTextPath="internal://s.txt" creatingUser="00000000-0000-4000-8000-0000000000a1">
` + selections + `
  </TextSource>
 </Sources>
</Project>`
	return makeZip(t, map[string]string{"project.qde": qde, "sources/s.txt": text})
}

// selection writes a PlainTextSelection of [start, end) with the inner XML.
func selection(guid string, start, end int, inner string) string {
	return `<PlainTextSelection guid="` + guid + `" startPosition="` + itoa(start) + `" endPosition="` + itoa(end) + `">` + inner + `</PlainTextSelection>`
}

func coded(guid, code, user string) string {
	u := ""
	if user != "" {
		u = ` creatingUser="` + user + `"`
	}
	return `<Coding guid="` + guid + `"` + u + `><CodeRef targetGUID="` + code + `"/></Coding>`
}

func hasWarning(d *coding.ProjectData, parts ...string) bool {
	for _, w := range d.Warnings {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(w, p)
		}
		if all {
			return true
		}
	}
	return false
}

// A coding of a code the codebook lacks is left out with a warning naming
// it; the rest of the project is imported.
func TestQDPXSkipsCodingsOfMissingCodes(t *testing.T) {
	const text = "One two three four.\n"
	const missing = "00000000-0000-4000-8000-0000000000ff"
	sels := selection("00000000-0000-4000-8000-0000000000e1", 0, 3, coded("00000000-0000-4000-8000-0000000000f1", "00000000-0000-4000-8000-0000000000c1", "")) +
		selection("00000000-0000-4000-8000-0000000000e2", 4, 7,
			coded("00000000-0000-4000-8000-0000000000f2", missing, "")+
				coded("00000000-0000-4000-8000-0000000000f3", "00000000-0000-4000-8000-0000000000c1", ""))
	d, err := readQDPXBytes("missing.qdpx", oneSourceQDPX(t, "QualCoder 3.5", text, sels))
	if err != nil {
		t.Fatalf("import refused the whole project: %v", err)
	}
	var got []string
	for _, c := range d.Codings {
		got = append(got, coding.Slice(d.Documents[0].Text, c.Start, c.End))
	}
	if strings.Join(got, ",") != "One,two" {
		t.Errorf("codings cover %q, want One,two", got)
	}
	if !hasWarning(d, missing, "not in the codebook", "00000000-0000-4000-8000-0000000000f2") {
		t.Errorf("warnings = %q, want one naming code %s and its coding", d.Warnings, missing)
	}
}

// A creatingUser the user list lacks gets a placeholder coder and a
// warning naming the GUID.
func TestQDPXWarnsAboutUnknownUsers(t *testing.T) {
	const stranger = "00000000-0000-4000-8000-0000000000b9"
	sels := selection("00000000-0000-4000-8000-0000000000e1", 0, 3, coded("00000000-0000-4000-8000-0000000000f1", "00000000-0000-4000-8000-0000000000c1", stranger))
	d, err := readQDPXBytes("users.qdpx", oneSourceQDPX(t, "QualCoder 3.5", "One two.\n", sels))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Codings) != 1 || d.Codings[0].CoderID != stranger {
		t.Fatalf("codings = %+v, want one by %s", d.Codings, stranger)
	}
	if !hasWarning(d, stranger, "not among the file's users") {
		t.Errorf("warnings = %q, want one naming user %s", d.Warnings, stranger)
	}
	known := selection("00000000-0000-4000-8000-0000000000e1", 0, 3, coded("00000000-0000-4000-8000-0000000000f1", "00000000-0000-4000-8000-0000000000c1", "00000000-0000-4000-8000-0000000000a1"))
	d, err = readQDPXBytes("users.qdpx", oneSourceQDPX(t, "QualCoder 3.5", "One two.\n", known))
	if err != nil {
		t.Fatal(err)
	}
	if hasWarning(d, "not among the file's users") {
		t.Errorf("warnings = %q for a file whose users are all listed", d.Warnings)
	}
}

// A comment on a selection nobody coded becomes a memo anchored to the
// selection, its positions converted like codings' (UTF-16 units for
// NVivo, past emoji and CRLFs).
func TestQDPXCommentKeepsItsSpan(t *testing.T) {
	raw := "\ufeffFirst 😀 line\r\nSecond 💸💸 line with the comment here.\r\nLast.\r\n"
	quote := "the comment here"
	body := strings.TrimPrefix(raw, "\ufeff")
	before := body[:strings.Index(body, quote)]
	for _, tt := range []struct {
		origin     string
		start, end int
	}{
		{"NVivo for Windows 12.6", len(utf16.Encode([]rune(before))), len(utf16.Encode([]rune(before + quote)))},
		{"QualCoder 3.5", len([]rune(before)), len([]rune(before + quote))},
	} {
		sels := selection("00000000-0000-4000-8000-0000000000e1", tt.start, tt.end, `<Description>Look at this</Description>`) +
			selection("00000000-0000-4000-8000-0000000000e2", 0, 0, `<Description>About it all</Description>`)
		d, err := readQDPXBytes("comment.qdpx", oneSourceQDPX(t, tt.origin, raw, sels))
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Memos) != 2 {
			t.Fatalf("%s: memos = %+v, want 2", tt.origin, d.Memos)
		}
		m := d.Memos[0]
		if got := coding.Slice(d.Documents[0].Text, m.Start, m.End); got != quote || m.Text != "Look at this" || m.DocumentID != d.Documents[0].ID {
			t.Errorf("%s: memo %q anchored to [%d, %d) = %q, want %q", tt.origin, m.Text, m.Start, m.End, got, quote)
		}
		if err := m.Validate(); err != nil {
			t.Errorf("%s: anchored memo does not validate: %v", tt.origin, err)
		}
		if w := d.Memos[1]; w.Start != 0 || w.End != 0 || w.Text != "About it all" {
			t.Errorf("%s: comment on an empty selection = %+v, want a memo of the whole document", tt.origin, w)
		}
	}
}

// ATLAS.ti counts a CRLF as one character: a selection after several line
// breaks of a CRLF text lands on the words it names, and the same
// positions from another tool (CRLF counting two) do not.
func TestATLASCountsCRLFAsOne(t *testing.T) {
	raw := "Q: How was it?\r\nA: Fine.\r\n\r\nQ: And the rent?\r\nA: The rent is too high for us.\r\n"
	quote := "The rent is too high"
	lf := strings.ReplaceAll(raw, "\r\n", "\n")
	start := len([]rune(lf[:strings.Index(lf, quote)]))
	end := start + len([]rune(quote))
	sels := selection("00000000-0000-4000-8000-0000000000e1", start, end, coded("00000000-0000-4000-8000-0000000000f1", "00000000-0000-4000-8000-0000000000c1", ""))
	for _, tt := range []struct{ origin, want string }{
		{"ATLAS.ti for Windows 23.2.3.27778", quote},
		{"ATLAS.ti Mac 22", quote},
		{"QualCoder 3.5", "\nA: The rent is too "}, // CRLF as two: the four line breaks before shift it
	} {
		d, err := readQDPXBytes("atlas.qdpx", oneSourceQDPX(t, tt.origin, raw, sels))
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Codings) != 1 {
			t.Fatalf("%s: %d codings, want 1", tt.origin, len(d.Codings))
		}
		c := d.Codings[0]
		if got := coding.Slice(d.Documents[0].Text, c.Start, c.End); got != tt.want {
			t.Errorf("%s: selection [%d, %d) = %q, want %q", tt.origin, start, end, got, tt.want)
		}
	}
}
