package formats

import (
	"bytes"
	"encoding/xml"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/concordqda/concord/coding"
)

// xlsxUnescape undoes the OOXML escape as a reader following ECMA-376
// (ST_Xstring) does: each _xHHHH_, left to right, is the character HHHH.
var xlsxEscapePattern = regexp.MustCompile(`_x([0-9A-Fa-f]{4})_`)

func xlsxUnescape(s string) string {
	return xlsxEscapePattern.ReplaceAllStringFunc(s, func(m string) string {
		n, _ := strconv.ParseUint(m[2:6], 16, 16)
		return string(rune(n))
	})
}

// readXLSXSheet reads a worksheet of ours back with encoding/xml: one
// slice of cell values per row, strings unescaped, numbers as written.
func readXLSXSheet(t *testing.T, data []byte, part string) [][]string {
	t.Helper()
	var ws struct {
		Rows []struct {
			Cells []struct {
				Type   string `xml:"t,attr"`
				Value  string `xml:"v"`
				Inline string `xml:"is>t"`
			} `xml:"c"`
		} `xml:"sheetData>row"`
	}
	if err := xml.Unmarshal(unzip(t, data)[part], &ws); err != nil {
		t.Fatalf("%s: %v", part, err)
	}
	var out [][]string
	for _, r := range ws.Rows {
		var row []string
		for _, c := range r.Cells {
			if c.Type == "inlineStr" {
				row = append(row, xlsxUnescape(c.Inline))
			} else {
				row = append(row, c.Value)
			}
		}
		out = append(out, row)
	}
	return out
}

// Every C0 control (NUL aside: no text may hold it), U+FFFE and U+FFFF,
// text that looks like an escape, and text past Excel's cell limit counted
// in UTF-16 units: the workbook reads back exactly, or cut where Excel
// would cut and said so by Warnings.
func TestXLSXTextIsExact(t *testing.T) {
	var controls strings.Builder
	for c := rune(1); c < 0x20; c++ {
		controls.WriteString("<" + string(c) + ">")
	}
	odd := []string{
		controls.String(),
		"page one\fpage two\u000bvertical\u0001start",
		"noncharacters \uFFFE and \uFFFF",
		"escape-like _x0041_ _x005F_ _X00e9_ _x12_ __x0041__ _xZZZZ_",
		"emoji 😀 and CR\r and tab\t",
	}
	long := strings.Repeat("😀", 20000) // 20,000 code points, 40,000 UTF-16 units
	text := strings.Join(odd, "\n") + "\n" + long
	t0 := time.Date(2026, 2, 3, 10, 0, 0, 0, time.UTC)
	d := &coding.ProjectData{
		Project:   coding.Project{Name: "Escapes", Created: t0},
		Users:     []coding.User{{ID: "u1", Login: "ana", Name: "Ana"}},
		Documents: []coding.Document{{ID: "d1", Title: "Scan _x0041_\f", Text: text, Attributes: map[string]string{"note": "form\ffeed"}}},
		Codes:     []coding.Code{{ID: "c1", Name: "Odd", Codable: true, Description: "bell\a"}, {ID: "c2", Name: "Long", Codable: true}},
	}
	if err := d.Documents[0].Validate(); err != nil {
		t.Fatal(err)
	}
	var want []string
	pos := 0
	for i, s := range odd {
		n := len([]rune(s))
		d.Codings = append(d.Codings, coding.Coding{ID: "k" + strconv.Itoa(i), DocumentID: "d1", CodeID: "c1", CoderID: "u1", Start: pos, End: pos + n, Memo: s, Created: t0})
		want = append(want, s)
		pos += n + 1
	}
	d.Codings = append(d.Codings, coding.Coding{ID: "long", DocumentID: "d1", CodeID: "c2", CoderID: "u1", Start: pos, End: pos + 20000, Created: t0})

	var buf bytes.Buffer
	if err := WriteXLSX(&buf, d); err != nil {
		t.Fatal(err)
	}
	rows := readXLSXSheet(t, buf.Bytes(), "xl/worksheets/sheet1.xml")
	if len(rows) != len(odd)+2 {
		t.Fatalf("%d rows, want a header and %d segments", len(rows), len(odd)+1)
	}
	// Columns: document, note, code, coder, coder_name, start, end, text, memo.
	for i, s := range want {
		row := rows[i+1]
		if row[0] != d.Documents[0].Title || row[1] != "form\ffeed" || row[7] != s || row[8] != s {
			t.Errorf("row %d reads back as %q, want title %q, attribute %q, text and memo %q", i+1, row, d.Documents[0].Title, "form\ffeed", s)
		}
	}
	cut := rows[len(rows)-1][7]
	if coding.UTF16Len(cut) != xlsxMaxCellChars || !strings.HasSuffix(cut, "😀…") || !strings.HasPrefix(long, strings.TrimSuffix(cut, "…")) {
		t.Errorf("the long cell holds %d UTF-16 units ending in %q, want %d ending in an emoji and …", coding.UTF16Len(cut), cut[len(cut)-8:], xlsxMaxCellChars)
	}
	codebook := readXLSXSheet(t, buf.Bytes(), "xl/worksheets/sheet2.xml")
	if got := codebook[1][1] + codebook[2][6]; got != "Long"+"bell\a" { // Long sorts before Odd
		t.Errorf("codebook rows read back as %q, want Long, then Odd described %q", codebook[1:], "bell\a")
	}

	f, _ := FindExportFormat("xlsx")
	warnings := strings.Join(f.Warnings(d), "\n")
	if !strings.Contains(warnings, `the text of "Scan _x0041_\f" coded "Long" by ana`) || !strings.Contains(warnings, "1 segment text or memo is longer than the 32767") {
		t.Errorf("warnings do not name the cut cell's document and code:\n%s", warnings)
	}
}

func TestClipUTF16(t *testing.T) {
	for _, tc := range []struct {
		in   string
		max  int
		want string
	}{
		{"abc", 3, "abc"},
		{"abcd", 3, "ab…"},
		{"a😀", 3, "a😀"},
		{"a😀b", 3, "a…"}, // the pair does not fit before the ellipsis
		{"😀😀", 4, "😀😀"},
		{"😀😀x", 4, "😀…"},
	} {
		if got := clipUTF16(tc.in, tc.max); got != tc.want {
			t.Errorf("clipUTF16(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
		}
	}
}
