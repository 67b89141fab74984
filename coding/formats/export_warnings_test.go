package formats

import (
	"strings"
	"testing"

	"github.com/concordqda/concord/coding"
)

// Each format says what it cannot carry of the fixture, and only that.
func TestExportWarnings(t *testing.T) {
	d := fixtureProject()
	// A second "Loss", under Benefits: legal, but QualCoder drops it.
	d.Codes = append(d.Codes, coding.Code{ID: "00000000-0000-4000-8000-000000000206", ParentID: d.Codes[3].ID, Name: "Loss", Order: 2, Codable: true})
	d.Documents = append(d.Documents, coding.Document{ID: "00000000-0000-4000-8000-000000000103", Title: "Uncoded notes", Text: "Nothing coded.", Attributes: map[string]string{}})
	for _, tc := range []struct {
		format string
		want   []string
	}{
		{"qdpx", []string{`2 codes are named "Loss" (Stressors › Loss; Benefits › Loss): QualCoder keeps only the first`}},
		{"qdc", []string{`2 codes are named "Loss"`, "2 memos about codes are not in a REFI-QDA codebook"}},
		{"codebook-md", []string{"2 memos about codes are not in the codebook table"}},
		{"csv", []string{
			"5 memos (about the project, documents, codes or passages) are not in CSV",
			`1 document without coded segments has no rows, so its title and attributes are not in the file: Uncoded notes.`,
			"1 cell begins with =, +, -, @",
		}},
		{"xlsx", []string{"5 memos", "1 document without coded segments"}},
		{"json", nil},
		{"html", nil},
	} {
		f, ok := FindExportFormat(tc.format)
		if !ok {
			t.Fatal(tc.format)
		}
		got := f.Warnings(d)
		if len(got) != len(tc.want) {
			t.Errorf("%s: %d warnings %q, want %d", tc.format, len(got), got, len(tc.want))
			continue
		}
		for i, w := range tc.want {
			if !strings.Contains(got[i], w) {
				t.Errorf("%s: warning %d is %q, want it to say %q", tc.format, i, got[i], w)
			}
		}
	}
}
