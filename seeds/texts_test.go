package seeds

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The demo texts were copied from web pages; these patterns catch what the
// pages left behind, so that a new user's first document reads as an
// article and not as a scraped page.
var leftovers = []struct {
	name string
	re   *regexp.Regexp
}{
	{"portal banner", regexp.MustCompile(`Search Result|DTES RESEARCH|ACCESS PORTAL|Free Use|Open Access Item|Access issues\?|Available at:`)},
	{"loading message", regexp.MustCompile(`Cargando`)},
	{"citation metrics", regexp.MustCompile(`\d+(Citations|Readers)\b|Citations of this article|Impact Index|Reference Citation Analysis`)},
	{"Mendeley prompt", regexp.MustCompile(`Mendeley|Sign up for free|Already have an account|Register to see more`)},
	{"citation widget", regexp.MustCompile(`CITATION STYLE|(?m)^(Cite|APA)$`)},
	{"link list", regexp.MustCompile(`\[Citation\(s\)|\[(Abstract|Key Words|MESH Headings|Grants|Track Full Text|Download PDF|Figures|Subscribe)\]`)},
	{"bracketed identifiers", regexp.MustCompile(`\[[^\]]*\b(PMID|PMCID|DOI):`)},
	{"page controls", regexp.MustCompile(`(?m)^(Collapse|Highlights|Read more|Summary|Full Text|Talk to us|Schedule a call)$|Published version \(Free\)|30 min session`)},
	{"table cell", regexp.MustCompile(`\|`)},
	{"index record", regexp.MustCompile(`pubmed-\d|_version_|author_facet|spellingShingle|work_keys_str_mv|record_format`)},
	{"web address", regexp.MustCompile(`https?://|www\.|doi\.org`)},
	{"licence address", regexp.MustCompile(`creativecommons`)},
	{"journal boilerplate", regexp.MustCompile(`Supplementary Information|supplementary material available`)},
	{"heading run into the previous sentence", regexp.MustCompile(`[A-Za-z]\.(Background|Methods|Results|Conclusions?|Introduction)[A-Z]`)},
	{"heading run into its text", regexp.MustCompile(`(?m)^(Background|Methods|Results|Conclusions?|Introduction)([A-Z]|:)`)},
	{"heading inside a paragraph", regexp.MustCompile(`[.?!] (Background|Methods|Results|Conclusions?):`)},
	{"capitalized heading", regexp.MustCompile(`\b(BACKGROUND|OBJECTIVES?|INTRODUCTION|METHODS|RESULTS|DISCUSSION|CONCLUSIONS?|TRIAL REGISTRATION|PRACTICE IMPLICATIONS)\b`)},
	{"word split at a line break", regexp.MustCompile(`\p{L}‐ \p{L}`)},
	{"bullet", regexp.MustCompile(`•`)},
	{"stray whitespace", regexp.MustCompile(`  |\t|(?m) $|(?m)^ |\n\n\n`)},
}

func TestDemoTextsHaveNoWebLeftovers(t *testing.T) {
	d := loadDemo(t)
	for _, doc := range d.Documents {
		for _, l := range leftovers {
			if loc := l.re.FindStringIndex(doc.Text); loc != nil {
				t.Errorf("%s: %s at byte %d: %q", doc.Source, l.name, loc[0], around(doc.Text, loc[0], loc[1]))
			}
		}
	}
}

// headings are the section headings the demo texts use, each on a line of
// its own above the paragraph it heads.
var headings = map[string]bool{
	"Abstract": true, "Background": true, "Objective": true, "Objectives": true,
	"Introduction": true, "Case presentation": true, "Methods": true, "Results": true,
	"Discussion": true, "Conclusion": true, "Conclusions": true,
	"Practice implications": true, "Trial registration": true,
}

var (
	// cleanEnd is a sentence's last character, then any closing quotes
	// and brackets.
	cleanEnd = regexp.MustCompile(`[.?!]["”’')\]]*$`)
	// cleanStart rules out a paragraph that begins mid-sentence.
	cleanStart = regexp.MustCompile(`^[\p{Lu}\p{N}"“'‘(©]`)
)

// TestDemoTextsParagraphs checks the layout every demo text follows: a
// title line, then blocks separated by one blank line, each block an
// optional heading line and one paragraph that starts and ends a sentence.
func TestDemoTextsParagraphs(t *testing.T) {
	d := loadDemo(t)
	for _, doc := range d.Documents {
		if !strings.HasSuffix(doc.Text, "\n") || strings.HasSuffix(doc.Text, "\n\n") {
			t.Errorf("%s: text should end with exactly one line break", doc.Source)
		}
		blocks := strings.Split(strings.TrimSuffix(doc.Text, "\n"), "\n\n")
		if len(blocks) < 3 {
			t.Errorf("%s: %d blocks, want a title, an author line or citation, and text", doc.Source, len(blocks))
			continue
		}
		if strings.Contains(blocks[0], "\n") {
			t.Errorf("%s: title %q spans lines, want one line", doc.Source, blocks[0])
		}
		for i, b := range blocks[1:] {
			lines := strings.Split(b, "\n")
			if len(lines) == 2 && headings[lines[0]] {
				lines = lines[1:]
			}
			if len(lines) != 1 || headings[lines[0]] {
				t.Errorf("%s: block %d = %q, want an optional heading line and one paragraph", doc.Source, i+1, b)
				continue
			}
			p := lines[0]
			if !cleanStart.MatchString(p) {
				t.Errorf("%s: block %d starts %q, want the start of a sentence", doc.Source, i+1, prefix(p))
			}
			if !cleanEnd.MatchString(p) {
				t.Errorf("%s: block %d ends %q, want the end of a sentence", doc.Source, i+1, p[max(0, len(p)-40):])
			}
		}
	}
}

// TestDemoTextsAreStructured checks that the structured abstracts kept
// their sections, so that cleaning cannot silently merge them away.
func TestDemoTextsAreStructured(t *testing.T) {
	d := loadDemo(t)
	want := map[string][]string{
		"000_e0ca4f738726d00e.txt": {"Background", "Methods", "Results", "Conclusion"},
		"001_3a358f3843e35457.txt": {"Background", "Methods", "Results", "Conclusion"},
		"004_67a043a3a7ebc917.txt": {"Background", "Methods", "Results", "Conclusion", "Introduction"},
	}
	for _, doc := range d.Documents {
		w, ok := want[doc.Source]
		if !ok {
			continue
		}
		var got []string
		for _, line := range strings.Split(doc.Text, "\n") {
			if headings[line] {
				got = append(got, line)
			}
		}
		if strings.Join(got, ",") != strings.Join(w, ",") {
			t.Errorf("%s: headings = %v, want %v", doc.Source, got, w)
		}
	}
}

// TestDemoRelatedArticles checks that the list of related articles keeps
// each one as a numbered citation line ending in its journal and year.
func TestDemoRelatedArticles(t *testing.T) {
	d := loadDemo(t)
	var text string
	for _, doc := range d.Documents {
		if doc.Source == "002_30978f859731ece0.txt" {
			text = doc.Text
		}
	}
	citation := regexp.MustCompile(`(?m)^(\d+)\. \S.*\. [^.]+ (19|20)\d\d; [^ ]+\.$`)
	got := citation.FindAllStringSubmatch(text, -1)
	if len(got) != 17 {
		t.Fatalf("%d citation lines, want 17", len(got))
	}
	for i, m := range got {
		if m[1] != strconv.Itoa(i+1) {
			t.Errorf("citation %d is numbered %s", i+1, m[1])
		}
	}
}

// around quotes the match at text[i:j] with a little context.
func around(text string, i, j int) string {
	const pad = 20
	return text[max(0, i-pad):min(len(text), j+pad)]
}
