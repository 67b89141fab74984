package formats

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/concordqda/concord/coding"
)

// WriteCodebookCSV writes the codebook, one code per row in display order:
// its path, name, parent's path, depth (0 at the top), whether it can be
// applied, colour, description, and how many segments and documents it
// codes (its own codings; with_subcodes adds its descendants'). UTF-8
// with a byte order mark, for Excel.
func WriteCodebookCSV(w io.Writer, d *coding.ProjectData) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("\ufeff")
	cw := newSafeCSV(bw)
	cb := d.Codebook()
	own := coding.CountByCode(d.Codings, cb, false)
	all := coding.CountByCode(d.Codings, cb, true)
	cw.Write([]string{"code", "name", "parent", "level", "codable", "colour", "description", "segments", "documents", "segments_with_subcodes"})
	var err error
	cb.Walk(func(c *coding.Code, depth int) {
		if err != nil {
			return
		}
		parent := ""
		if c.ParentID != "" {
			parent = cb.PathString(c.ParentID)
		}
		err = cw.Write([]string{
			cb.PathString(c.ID), c.Name, parent, strconv.Itoa(depth),
			strconv.FormatBool(c.Codable), c.Colour, c.Description,
			strconv.Itoa(own[c.ID].Segments), strconv.Itoa(own[c.ID].Documents), strconv.Itoa(all[c.ID].Segments),
		})
	})
	if err != nil {
		return err
	}
	return cw.flushTo(bw)
}

// WriteCodebookMarkdown writes the codebook as a Markdown document: a
// heading per code, nested as the codebook is (below the sixth level,
// headings stay at the sixth), with its definition and how much it codes.
func WriteCodebookMarkdown(w io.Writer, d *coding.ProjectData) error {
	bw := bufio.NewWriter(w)
	cb := d.Codebook()
	own := coding.CountByCode(d.Codings, cb, false)
	fmt.Fprintf(bw, "# Codebook: %s\n\n", markdownEscape(d.Project.Name))
	if cb.Len() == 0 {
		bw.WriteString("The codebook is empty.\n")
	}
	cb.Walk(func(c *coding.Code, depth int) {
		level := min(depth+2, 6)
		fmt.Fprintf(bw, "%s %s\n\n", strings.Repeat("#", level), markdownEscape(c.Name))
		var facts []string
		if depth > 0 {
			facts = append(facts, "under "+markdownEscape(cb.PathString(c.ParentID)))
		}
		if !c.Codable {
			facts = append(facts, "a category (not applied to text)")
		}
		if c.Colour != "" {
			facts = append(facts, "colour `"+c.Colour+"`")
		}
		n := own[c.ID]
		facts = append(facts, fmt.Sprintf("%d %s in %d %s", n.Segments, plural(n.Segments, "segment", "segments"), n.Documents, plural(n.Documents, "document", "documents")))
		fmt.Fprintf(bw, "*%s*\n\n", strings.Join(facts, "; "))
		// The description is text a person typed, maybe in another tool:
		// escaped, it reads as typed and cannot add markup to the page.
		if desc := markdownText(c.Description); desc != "" {
			bw.WriteString(desc + "\n\n")
		}
	})
	return bw.Flush()
}

// markdownEscape keeps a name from being read as Markdown or HTML markup,
// on one line: see markdownLine.
func markdownEscape(s string) string {
	return markdownLine(strings.Join(strings.Fields(s), " "))
}

// markdownText is markdownEscape for a description: its lines stay lines
// (and blank lines paragraphs), each escaped on its own. Leading spaces go,
// as an indented line would become a code block, which shows escapes
// literally.
func markdownText(s string) string {
	lines := strings.Split(strings.ReplaceAll(strings.TrimSpace(s), "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = markdownLine(strings.TrimSpace(l))
	}
	return strings.Join(lines, "\n")
}

// markdownLine escapes a line of plain text so that a Markdown renderer
// shows it as it is and makes no markup of it: the characters HTML reads
// (<, >, &) become entities, which every Markdown passes through as text,
// including those that know no backslash escape for them; the characters
// Markdown reads (emphasis, code, links and images, headings, tables,
// strikethrough, attribute lists) get a backslash; and so does what would
// start a list, a quote or a heading underline at the start of the line.
func markdownLine(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
			continue
		case '<':
			b.WriteString("&lt;")
			continue
		case '>':
			b.WriteString("&gt;")
			continue
		case '\\', '`', '*', '_', '[', ']', '#', '|', '!', '~', '{', '}':
			b.WriteByte('\\')
		case '-', '+', '=':
			if i == 0 {
				b.WriteByte('\\')
			}
		case '.', ')':
			if i > 0 && isDigits(s[:i]) {
				b.WriteByte('\\') // "1." or "1)" would start a list
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isDigits reports whether s is made of ASCII digits only.
func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
