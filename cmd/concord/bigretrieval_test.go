package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/concordqda/concord/coding"
)

// bigRetrieval is a project made for retrieval at scale: a long interview
// of 2,000 two-line paragraphs coded 20,000 times by two coders with three
// codes (some codings run across a paragraph break), and a short note
// whose few codings meet or miss each other by known distances.
type bigRetrieval struct {
	Slug, Project string
	Long, Short   string            // document ids
	Codes         map[string]string // name → id
	Lead, Ana     string            // user ids
	Codings       []coding.Coding   // every coding, as stored
}

// The codes of bigRetrieval; the third has a "/" in its name, which a
// code path escapes and labels must not show escaped.
var bigCodeNames = []string{"Alpha", "Beta", "Rejection / Antipathy"}

// newBigRetrieval makes the project through the store (20,000 codings over
// the API would take minutes under the race detector).
func newBigRetrieval(t testing.TB, ts *testServer) *bigRetrieval {
	t.Helper()
	lead := ts.login(t, "lead", DemoPassword).userID(t)
	ana, err := ts.Store.UserByLogin("ana")
	if err != nil {
		t.Fatal(err)
	}
	br := &bigRetrieval{Slug: "big", Codes: map[string]string{}, Lead: lead, Ana: ana.ID}
	p := &coding.Project{Slug: br.Slug, Name: "Retrieval at scale"}
	if _, err := ts.Store.CreateProject(p, lead); err != nil {
		t.Fatal(err)
	}
	br.Project = p.ID
	if _, err := ts.Store.SetMember(coding.Member{ProjectID: p.ID, UserID: ana.ID, Role: coding.RoleCoder}, lead); err != nil {
		t.Fatal(err)
	}
	parent := &coding.Code{ProjectID: p.ID, Name: "Themes", Colour: "#555555"}
	if _, err := ts.Store.CreateCode(parent, lead); err != nil {
		t.Fatal(err)
	}
	for i, name := range bigCodeNames {
		c := &coding.Code{ProjectID: p.ID, ParentID: parent.ID, Name: name, Colour: []string{"#d1495b", "#2e86ab", "#66a182"}[i], Codable: true, Order: i}
		if _, err := ts.Store.CreateCode(c, lead); err != nil {
			t.Fatal(err)
		}
		br.Codes[name] = c.ID
	}
	// Paragraph k spans [starts[k], ends[k]); paragraphs are separated by
	// a blank line. The text is ASCII: bytes count as code points.
	var text strings.Builder
	var starts, ends []int
	for k := 0; k < 2000; k++ {
		if k > 0 {
			text.WriteString("\n\n")
		}
		starts = append(starts, text.Len())
		fmt.Fprintf(&text, "Paragraph %d opens here.\nIts second line.", k)
		ends = append(ends, text.Len())
	}
	long := &coding.Document{ProjectID: p.ID, Title: "Long interview", Text: text.String(), Attributes: map[string]string{"site": "north"}}
	short := &coding.Document{ProjectID: p.ID, Title: "Short note", Text: strings.Repeat("0123456789", 6), Attributes: map[string]string{"site": "south"}}
	for _, d := range []*coding.Document{long, short} {
		if _, err := ts.Store.AddDocument(d, lead); err != nil {
			t.Fatal(err)
		}
	}
	br.Long, br.Short = long.ID, short.ID
	coders := []string{lead, ana.ID}
	for k := 0; k < 2000; k++ {
		for v := 0; v < 10; v++ {
			end := ends[k]
			if v == 9 && k+1 < len(ends) {
				end = ends[k+1] // across the paragraph break
			}
			br.Codings = append(br.Codings, coding.Coding{ProjectID: p.ID, DocumentID: long.ID, CodeID: br.Codes[bigCodeNames[v%3]], CoderID: coders[v%2], Start: starts[k] + v, End: end})
		}
	}
	// In the short note: Alpha [0,10) overlaps Beta [5,15); Alpha [20,30)
	// is 5 characters from it and 11 from Beta [41,50).
	for _, c := range []struct {
		code, coder string
		start, end  int
	}{{"Alpha", lead, 0, 10}, {"Beta", lead, 5, 15}, {"Alpha", lead, 20, 30}, {"Beta", lead, 41, 50}, {"Rejection / Antipathy", ana.ID, 0, 5}} {
		br.Codings = append(br.Codings, coding.Coding{ProjectID: p.ID, DocumentID: short.ID, CodeID: br.Codes[c.code], CoderID: c.coder, Start: c.start, End: c.end})
	}
	if _, err := ts.Store.AddCodings(br.Codings, lead); err != nil {
		t.Fatal(err)
	}
	return br
}

// count is how many of the fixture's codings keep accepts.
func (br *bigRetrieval) count(keep func(c *coding.Coding) bool) int {
	n := 0
	for i := range br.Codings {
		if keep(&br.Codings[i]) {
			n++
		}
	}
	return n
}
