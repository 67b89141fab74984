package formats

import (
	"fmt"
	"strings"

	"github.com/concordqda/concord/coding"
)

// Warnings says what of d the format cannot carry or changes on the way
// out, one plain sentence each, as REFI-QDA (§7) asks exporters to: the
// CLI prints them and the server returns them with the download, so that
// nobody learns of a loss from the tool they open the file in.
func (f ExportFormat) Warnings(d *coding.ProjectData) []string {
	var w exportWarnings
	switch f.Name {
	case "qdpx":
		w.repeatedCodeNames(d)
	case "qdc":
		w.repeatedCodeNames(d)
		w.codeMemos(d, "a REFI-QDA codebook")
	case "codebook-csv", "codebook-md":
		w.codeMemos(d, "the codebook table")
	case "csv":
		w.memos(d, "CSV")
		w.uncodedDocuments(d)
		w.formulaCells(d)
	case "xlsx":
		w.memos(d, "the workbook")
		w.uncodedDocuments(d)
		w.cutCells(d)
	}
	return w.list
}

type exportWarnings struct{ list []string }

func (w *exportWarnings) add(format string, args ...any) {
	w.list = append(w.list, fmt.Sprintf(format, args...))
}

// someOf names up to five of names, and how many more there are.
func someOf(names []string) string {
	const shown = 5
	if len(names) <= shown {
		return strings.Join(names, "; ")
	}
	return strings.Join(names[:shown], "; ") + fmt.Sprintf("; and %d more", len(names)-shown)
}

// repeatedCodeNames warns of codes that share a name under different
// parents: legal in REFI-QDA, but QualCoder keeps names unique (codes
// and categories apart) and drops the second code with its codings.
func (w *exportWarnings) repeatedCodeNames(d *coding.ProjectData) {
	cb := d.Codebook()
	paths := map[[2]string][]string{}
	var keys [][2]string
	cb.Walk(func(c *coding.Code, _ int) {
		k := [2]string{c.Name, "code"}
		if !c.Codable {
			k[1] = "category"
		}
		if paths[k] == nil {
			keys = append(keys, k)
		}
		paths[k] = append(paths[k], coding.FormatPath(cb.Path(c.ID)))
	})
	for _, k := range keys {
		if p := paths[k]; len(p) > 1 {
			w.add("%d %ss are named %q (%s): QualCoder keeps only the first and leaves out the others with their codings; rename them to keep them apart.", len(p), k[1], k[0], someOf(p))
		}
	}
}

// codeMemos warns of code memos in a format that holds only the codebook.
func (w *exportWarnings) codeMemos(d *coding.ProjectData, what string) {
	n := 0
	for i := range d.Memos {
		if d.Memos[i].CodeID != "" {
			n++
		}
	}
	if n > 0 {
		w.add("%d %s about codes %s not in %s, which has no place for memos; export QDPX or JSON to keep them.", n, plural(n, "memo", "memos"), plural(n, "is", "are"), what)
	}
}

// memos warns of project, document, code and span memos in a table of
// segments, which holds only the codings' own memos.
func (w *exportWarnings) memos(d *coding.ProjectData, what string) {
	if n := len(d.Memos); n > 0 {
		w.add("%d %s (about the project, documents, codes or passages) %s not in %s: it has a row per coded segment and keeps only the codings' own memos. Export JSON, QDPX or the HTML report to keep them.", n, plural(n, "memo", "memos"), plural(n, "is", "are"), what)
	}
}

// uncodedDocuments warns of documents a table of segments leaves out.
func (w *exportWarnings) uncodedDocuments(d *coding.ProjectData) {
	coded := map[string]bool{}
	for i := range d.Codings {
		coded[d.Codings[i].DocumentID] = true
	}
	var titles []string
	for i := range d.Documents {
		if !coded[d.Documents[i].ID] {
			titles = append(titles, d.Documents[i].Title)
		}
	}
	if len(titles) > 0 {
		n := len(titles)
		w.add("%d %s without coded segments %s no rows, so %s and attributes are not in the file: %s.", n, plural(n, "document", "documents"), plural(n, "has", "have"), plural(n, "its title", "their titles"), someOf(titles))
	}
}

// formulaCells warns of the cells the CSV changes with cellSafe.
func (w *exportWarnings) formulaCells(d *coding.ProjectData) {
	t := newSegmentTable(d)
	n := 0
	count := func(s string) {
		if cellSafe(s) != s {
			n++
		}
	}
	for _, c := range t.columns() {
		count(c)
	}
	t.each(func(s *segmentRow) error {
		count(s.doc.Title)
		for _, a := range t.attrNames {
			count(s.doc.Attributes[a])
		}
		count(s.path)
		count(s.coder.Login)
		count(s.coder.Name)
		count(s.text)
		count(s.coding.Memo)
		return nil
	})
	if n > 0 {
		w.add("%d %s with =, +, -, @, a tab or a carriage return, which a spreadsheet would run as a formula: the CSV puts an apostrophe before %s. The XLSX and JSON exports keep the text exactly.", n, plural(n, "cell begins", "cells begin"), plural(n, "it", "them"))
	}
}

// cutCells warns of the segment texts and memos longer than a cell may
// hold, naming the document and code of each.
func (w *exportWarnings) cutCells(d *coding.ProjectData) {
	t := newSegmentTable(d)
	var cut []string
	t.each(func(s *segmentRow) error {
		for _, v := range []struct{ what, text string }{{"text", s.text}, {"memo", s.coding.Memo}} {
			if len(v.text) > xlsxMaxCellChars && coding.UTF16Len(v.text) > xlsxMaxCellChars {
				cut = append(cut, fmt.Sprintf("the %s of %q coded %q by %s (characters %d–%d)", v.what, s.doc.Title, s.path, s.coder.Login, s.coding.Start, s.coding.End))
			}
		}
		return nil
	})
	if len(cut) > 0 {
		n := len(cut)
		w.add("%d %s longer than the %d characters (UTF-16 units) an Excel cell holds: %s cut there, ending in “…”: %s. The CSV and JSON exports hold the full text.", n, plural(n, "segment text or memo is", "segment texts or memos are"), xlsxMaxCellChars, plural(n, "it is", "they are"), someOf(cut))
	}
}
