package formats

import (
	"fmt"
	"sort"

	"github.com/concordqda/concord/coding"
)

type (
	reportMemoGroup struct {
		Heading string
		Memos   []reportMemo
	}
	reportMemo struct {
		About, Quote, Title, Text, Author, When string
	}
)

// reportMemos groups d's memos for the report: about the project, about
// codes (in codebook order), about documents (in document order, a
// passage's memo with its span and text); oldest first within a target.
func reportMemos(d *coding.ProjectData, t *segmentTable) []reportMemoGroup {
	codeOrder := map[string]int{}
	t.cb.Walk(func(c *coding.Code, _ int) { codeOrder[c.ID] = len(codeOrder) })
	docOrder := map[string]int{}
	for i := range d.Documents {
		docOrder[d.Documents[i].ID] = i
	}
	memos := make([]*coding.Memo, len(d.Memos))
	for i := range d.Memos {
		memos[i] = &d.Memos[i]
	}
	group := func(m *coding.Memo) int {
		switch {
		case m.DocumentID != "" && t.docs[m.DocumentID] != nil:
			return 2
		case m.CodeID != "" && t.paths[m.CodeID] != "":
			return 1
		}
		return 0
	}
	place := func(m *coding.Memo) int {
		switch group(m) {
		case 2:
			return docOrder[m.DocumentID]
		case 1:
			return codeOrder[m.CodeID]
		}
		return 0
	}
	sort.SliceStable(memos, func(i, j int) bool {
		a, b := memos[i], memos[j]
		if ga, gb := group(a), group(b); ga != gb {
			return ga < gb
		}
		if pa, pb := place(a), place(b); pa != pb {
			return pa < pb
		}
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		return a.Created.Before(b.Created)
	})
	headings := []string{"About the project", "About codes", "About documents and passages"}
	var out []reportMemoGroup
	for _, m := range memos {
		g := group(m)
		if len(out) == 0 || out[len(out)-1].Heading != headings[g] {
			out = append(out, reportMemoGroup{Heading: headings[g]})
		}
		rm := reportMemo{Title: m.Title, Text: m.Text, Author: t.users.get(m.AuthorID).Name, When: m.Updated.UTC().Format("2 January 2006, 15:04 UTC")}
		if m.Updated.IsZero() {
			rm.When = "time unknown"
		}
		switch g {
		case 2:
			doc := t.docs[m.DocumentID]
			rm.About = doc.Title
			if m.Anchored() {
				rm.About = fmt.Sprintf("%s, characters %d–%d", doc.Title, m.Start, m.End)
				rm.Quote, _ = clipText(coding.Slice(doc.Text, m.Start, m.End), 600)
			}
			if m.CodeID != "" && t.paths[m.CodeID] != "" {
				rm.About += " · " + t.paths[m.CodeID]
			}
		case 1:
			rm.About = t.paths[m.CodeID]
		}
		out[len(out)-1].Memos = append(out[len(out)-1].Memos, rm)
	}
	return out
}
