package formats

import (
	"bufio"
	"encoding/csv"
	"io"
	"strconv"

	"github.com/concordqda/concord/coding"
)

// WriteSegmentsCSV writes one row per coded segment: the document's title,
// its attributes (one column each), the code's path, the coder's login and
// name, start and end (code points, half-open, as Concord counts), the
// segment's text and the coding's memo. The file is UTF-8 with a byte
// order mark so that Excel reads it as UTF-8; lines end in LF, so text
// with line breaks stays exactly as stored.
//
// A cell that a spreadsheet would take for a formula (starting with =, +,
// -, @, a tab or a carriage return), header cells included, is written
// with a leading apostrophe,
// as OWASP advises against CSV injection: survey answers come from
// strangers. The JSON and XLSX exports keep such text exactly.
func WriteSegmentsCSV(w io.Writer, d *coding.ProjectData) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("\ufeff")
	cw := newSafeCSV(bw)
	t := newSegmentTable(d)
	if err := cw.Write(t.columns()); err != nil {
		return err
	}
	row := make([]string, 0, len(t.attrNames)+8)
	var num [2][20]byte
	err := t.each(func(s *segmentRow) error {
		row = append(row[:0], s.doc.Title)
		for _, a := range t.attrNames {
			row = append(row, s.doc.Attributes[a])
		}
		row = append(row, s.path, s.coder.Login, s.coder.Name,
			string(strconv.AppendInt(num[0][:0], int64(s.coding.Start), 10)),
			string(strconv.AppendInt(num[1][:0], int64(s.coding.End), 10)),
			s.text, s.coding.Memo)
		return cw.Write(row)
	})
	if err != nil {
		return err
	}
	return cw.flushTo(bw)
}

// safeCSV is the one way Concord writes CSV: every cell, header cells
// included (attribute names become column names), goes through cellSafe.
type safeCSV struct {
	*csv.Writer
	cells []string
}

func newSafeCSV(w io.Writer) *safeCSV { return &safeCSV{Writer: csv.NewWriter(w)} }

// Write writes one row with every cell neutralised.
func (c *safeCSV) Write(row []string) error {
	c.cells = c.cells[:0]
	for _, s := range row {
		c.cells = append(c.cells, cellSafe(s))
	}
	return c.Writer.Write(c.cells)
}

// flushTo writes out what the CSV writer holds, then bw, and reports the
// first error of either.
func (c *safeCSV) flushTo(bw *bufio.Writer) error {
	c.Flush()
	if err := c.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// cellSafe keeps a spreadsheet from reading s as a formula.
func cellSafe(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
