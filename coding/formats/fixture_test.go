package formats

import (
	"fmt"
	"time"

	"github.com/concordqda/concord/coding"
)

// fixtureProject is a small project with what exports must get right:
// non-BMP text (emoji before coded spans), line breaks, nested codes and a
// category, attributes, every kind of memo, several coders and the
// consensus layer, text that looks like a formula or markup.
func fixtureProject() *coding.ProjectData {
	t0 := time.Date(2026, 2, 3, 10, 0, 0, 0, time.UTC)
	id := func(n int) string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", n) }
	ana, ben, lead := id(901), id(902), id(900)
	d := &coding.ProjectData{
		Project: coding.Project{ID: id(1), Slug: "fixture", Name: "Fixture <study> & co", Description: "Two interviews.\nSecond line.", Created: t0},
		Users: []coding.User{
			{ID: lead, Login: "lead", Name: "Lee Adler"},
			{ID: ana, Login: "ana", Name: "Ana Ruiz"},
			{ID: ben, Login: "ben", Name: "Ben \"B\" Okafor"},
		},
		Documents: []coding.Document{
			{ID: id(101), Title: "Interview 1 — Zoë", Text: "Q: How was it? 😀\nA: Hard. We lost someone 💔 last week.\n=SUM(A1) said the sheet.\n",
				Attributes: map[string]string{"site": "shelter", "wave": "1"}, Source: "p1.txt", Created: t0},
			{ID: id(102), Title: "Interview 2", Text: "Tabs\tand <tags> & ampersands.\nNo emoji here.\n",
				Attributes: map[string]string{"site": "hospital"}, Source: "p2.txt", Created: t0},
		},
		Codes: []coding.Code{
			{ID: id(201), Name: "Stressors", Colour: "#d62728", Description: "Anything that wears people down.\nInclude: grief.", Order: 1, Codable: false},
			{ID: id(202), ParentID: id(201), Name: "Loss", Colour: "#1f77b4", Order: 1, Codable: true},
			{ID: id(203), ParentID: id(201), Name: "Workload", Colour: "#2ca02c", Order: 2, Codable: true, Description: "Too much to do"},
			{ID: id(204), Name: "Benefits", Colour: "#9467bd", Order: 2, Codable: true},
			{ID: id(205), ParentID: id(204), Name: "Humour \"&\" <jokes>", Colour: "#ff7f0e", Order: 1, Codable: true},
		},
		Memos: []coding.Memo{
			{ID: id(301), AuthorID: lead, Title: "Project memo", Text: "Overall <impressions> & plans", Created: t0, Updated: t0},
			{ID: id(302), DocumentID: id(101), AuthorID: ana, Title: "About interview 1", Text: "Long pauses.", Created: t0, Updated: t0},
			{ID: id(303), CodeID: id(202), AuthorID: lead, Title: "Loss is broad", Text: "Includes jobs.", Created: t0, Updated: t0},
			{ID: id(304), DocumentID: id(101), Start: 24, End: 39, AuthorID: ben, Title: "Span 💔 memo", Text: "Said quietly,\nthen \"loud\".", Created: t0, Updated: t0},
			{ID: id(305), DocumentID: id(102), CodeID: id(203), AuthorID: ana, Title: "", Text: "Workload here is about <tabs> & keys.", Created: t0, Updated: t0},
		},
	}
	for i := range d.Documents {
		if err := d.Documents[i].Validate(); err != nil {
			panic(err)
		}
	}
	text := d.Documents[0].Text
	at := func(doc int, quote string) (int, int) {
		s := d.Documents[doc].Text
		for i := 0; i < len(s); i++ {
			if len(s)-i >= len(quote) && s[i:i+len(quote)] == quote {
				start := coding.RuneIndex(s, i)
				return start, start + coding.RuneIndex(quote, len(quote))
			}
		}
		panic("no " + quote + " in " + text)
	}
	add := func(n, doc int, code, coder int, quote, memo string) {
		s, e := at(doc, quote)
		coderID := map[int]string{0: lead, 1: ana, 2: ben, 3: coding.ConsensusCoder}[coder]
		d.Codings = append(d.Codings, coding.Coding{ID: id(400 + n), DocumentID: d.Documents[doc].ID, CodeID: id(code), CoderID: coderID,
			Start: s, End: e, Memo: memo, Created: t0.Add(time.Duration(n) * time.Minute)})
	}
	add(1, 0, 202, 1, "We lost someone 💔", "grief, shown with an emoji")
	add(2, 0, 202, 2, "lost someone 💔 last week", "")
	add(3, 0, 203, 1, "Hard.", "")
	add(4, 0, 205, 2, "=SUM(A1) said the sheet.", "looks like a formula")
	add(5, 0, 202, 3, "We lost someone 💔 last week", "agreed")
	add(6, 1, 205, 1, "<tags> & ampersands", "line one\r\nline two")
	add(7, 1, 203, 2, "Tabs\tand", "")
	return d
}
