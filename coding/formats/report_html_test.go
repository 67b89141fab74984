package formats

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/concordqda/concord/coding"
)

// The report shows memos of every kind, each with its author and time.
func TestHTMLReportMemos(t *testing.T) {
	d := fixtureProject()
	var buf bytes.Buffer
	if err := WriteHTMLReport(&buf, d); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	_, memos, _ := strings.Cut(page, "<h2>Memos</h2>")
	memos, _, _ = strings.Cut(memos, "<h2>Coders</h2>")
	for _, want := range []string{
		"<h3>About the project</h3>", "<strong>Project memo</strong>", "Overall &lt;impressions&gt; &amp; plans", "Lee Adler, 3 February 2026, 10:00 UTC",
		"<h3>About codes</h3>", "Stressors › Loss", "Includes jobs.",
		"<h3>About documents and passages</h3>", "Interview 1 — Zoë</span>", "Long pauses.", "Ana Ruiz",
		"Interview 1 — Zoë, characters 24–39", "<blockquote>" + coding.Slice(d.Documents[0].Text, 24, 39) + "</blockquote>", "Said quietly,\nthen &#34;loud&#34;.", "Ben &#34;B&#34; Okafor",
		"Interview 2 · Stressors › Workload", "Workload here is about &lt;tabs&gt; &amp; keys.",
	} {
		if !strings.Contains(memos, want) {
			t.Errorf("the memos section lacks %q:\n%s", want, memos)
		}
	}
	if strings.Index(memos, "About the project") > strings.Index(memos, "About codes") || strings.Index(memos, "About codes") > strings.Index(memos, "About documents") {
		t.Errorf("memo groups out of order:\n%s", memos)
	}
}

// Every C0 control (NUL cannot be stored) and DEL, wherever it appears,
// follows one rule: tab, line feed and carriage return stay, form feed is
// a paragraph break, the others show as their Control Pictures symbol.
func TestHTMLReportControls(t *testing.T) {
	for c := byte(1); c < 0x80; c++ {
		if c >= 0x20 && c != 0x7f {
			continue
		}
		var want string
		switch {
		case c == '\t' || c == '\n' || c == '\r':
			want = string(c)
		case c == '\f':
			want = "\n\n"
		case c == 0x7f:
			want = "␡"
		default:
			want = string(rune(0x2400 + int(c)))
		}
		ch := string(c)
		t0 := time.Date(2026, 2, 3, 10, 0, 0, 0, time.UTC)
		d := &coding.ProjectData{
			Project:   coding.Project{Name: "P" + ch + "Q", Description: "a" + ch + "b", Created: t0},
			Users:     []coding.User{{ID: "u", Login: "u", Name: "U" + ch}},
			Documents: []coding.Document{{ID: "d", Title: "Doc", Text: "x" + ch + "y", Attributes: map[string]string{"k": "v" + ch}}},
			Codes:     []coding.Code{{ID: "c", Name: "Code", Codable: true, Description: "def" + ch}},
			Codings:   []coding.Coding{{ID: "k", DocumentID: "d", CodeID: "c", CoderID: "u", Start: 0, End: 3, Memo: "m" + ch, Created: t0}},
			Memos:     []coding.Memo{{ID: "m", AuthorID: "u", Title: "T", Text: "memo" + ch, Created: t0, Updated: t0}},
		}
		var buf bytes.Buffer
		if err := WriteHTMLReport(&buf, d); err != nil {
			t.Fatal(err)
		}
		page := buf.String()
		for i := 0; i < len(page); i++ {
			if b := page[i]; (b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7f {
				t.Fatalf("U+%04X: the report holds the raw control U+%04X", c, b)
			}
		}
		for _, s := range []string{"x" + want + "y", "a" + want + "b", "def" + want, "memo" + want, "m" + want, "v" + want} {
			if !strings.Contains(page, s) {
				t.Errorf("U+%04X: the report lacks %q", c, s)
			}
		}
	}
}
