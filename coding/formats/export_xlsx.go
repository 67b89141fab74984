package formats

import (
	"io"
	"strconv"

	"github.com/concordqda/concord/coding"
)

// Spreadsheet limits Excel enforces on every workbook it opens.
const (
	xlsxMaxRows      = 1 << 20
	xlsxMaxCellChars = 32767
)

// WriteXLSX writes the coded segments as an Excel workbook: a "Segments"
// sheet with the columns of WriteSegmentsCSV (start and end as numbers,
// text exactly as stored, no formula guard needed: every cell is a
// string) and a "Codebook" sheet with those of WriteCodebookCSV. The
// header row is bold, frozen and filterable. The workbook is minimal
// OOXML written by hand, read by Excel, LibreOffice, pandas and readxl
// (excelize's streaming writer was measured at 6× the time: BENCHMARKS.md).
//
// Characters XML cannot hold (C0 controls but tab, line feed and carriage
// return, such as the U+000C pdftotext puts between pages; U+FFFE, U+FFFF)
// are written with the OOXML escape _xHHHH_, and a literal "_xHHHH_" in the
// text gets its underscore escaped as _x005F_, so that text reads back
// exactly. Text longer than the 32,767 UTF-16 units a cell may hold is cut
// there, ending in "…" (Warnings names those cells).
func WriteXLSX(w io.Writer, d *coding.ProjectData) error {
	t := newSegmentTable(d)
	if len(t.codings)+1 > xlsxMaxRows {
		return coding.Errorf(coding.EINVALID, "%d segments do not fit in one spreadsheet (at most %d rows); export CSV instead", len(t.codings), xlsxMaxRows-1)
	}
	z := newZipWriter(w, d.Project.Created)
	part := func(name, body string) error {
		f, err := z.create(name)
		if err != nil {
			return err
		}
		_, err = io.WriteString(f, body)
		return err
	}
	for _, p := range [][2]string{
		{"[Content_Types].xml", xlsxContentTypes},
		{"_rels/.rels", xlsxRootRels},
		{"xl/workbook.xml", xlsxWorkbook},
		{"xl/_rels/workbook.xml.rels", xlsxWorkbookRels},
		{"xl/styles.xml", xlsxStyles},
	} {
		if err := part(p[0], p[1]); err != nil {
			return err
		}
	}
	f, err := z.create("xl/worksheets/sheet1.xml")
	if err != nil {
		return err
	}
	if err := writeSegmentSheet(f, t); err != nil {
		return err
	}
	f, err = z.create("xl/worksheets/sheet2.xml")
	if err != nil {
		return err
	}
	if err := writeCodebookSheet(f, d); err != nil {
		return err
	}
	return z.close()
}

// sheet writes one worksheet row by row.
type sheet struct {
	x    *xmlWriter
	row  int
	cols int
}

func newSheet(w io.Writer, widths []int) *sheet {
	s := &sheet{x: newXMLWriter(w), cols: len(widths)}
	s.x.raw(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
		`<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><cols>`)
	for i, w := range widths {
		s.x.raw(`<col min="` + strconv.Itoa(i+1) + `" max="` + strconv.Itoa(i+1) + `" width="` + strconv.Itoa(w) + `" customWidth="1"/>`)
	}
	s.x.raw("</cols><sheetData>\n")
	return s
}

func (s *sheet) startRow() {
	s.row++
	s.x.raw(`<row r="`)
	s.x.raw(strconv.Itoa(s.row))
	s.x.raw(`">`)
}

func (s *sheet) endRow() { s.x.raw("</row>\n") }

// str writes a string cell with style (0 plain, 1 bold, 2 wrapped).
func (s *sheet) str(v string, style int) {
	if v == "" {
		s.x.raw("<c/>")
		return
	}
	if len(v) > xlsxMaxCellChars {
		v = clipUTF16(v, xlsxMaxCellChars)
	}
	switch style {
	case 1:
		s.x.raw(`<c t="inlineStr" s="1"><is><t xml:space="preserve">`)
	case 2:
		s.x.raw(`<c t="inlineStr" s="2"><is><t xml:space="preserve">`)
	default:
		s.x.raw(`<c t="inlineStr"><is><t xml:space="preserve">`)
	}
	s.x.text(xlsxEscape(v))
	s.x.raw("</t></is></c>")
}

func (s *sheet) num(n int) {
	s.x.raw("<c><v>")
	s.x.raw(strconv.Itoa(n))
	s.x.raw("</v></c>")
}

func (s *sheet) header(cols []string) {
	s.startRow()
	for _, c := range cols {
		s.str(c, 1)
	}
	s.endRow()
}

func (s *sheet) close() error {
	s.x.raw("</sheetData>")
	if s.row > 1 {
		s.x.raw(`<autoFilter ref="A1:` + xlsxColumn(s.cols) + strconv.Itoa(s.row) + `"/>`)
	}
	s.x.raw("</worksheet>\n")
	return s.x.flush()
}

// xlsxColumn returns the letters of the n-th column from 1 (A … Z, AA …).
func xlsxColumn(n int) string {
	var b []byte
	for n > 0 {
		n--
		b = append([]byte{byte('A' + n%26)}, b...)
		n /= 26
	}
	return string(b)
}

func writeSegmentSheet(w io.Writer, t *segmentTable) error {
	cols := t.columns()
	widths := make([]int, len(cols))
	for i, c := range cols {
		switch c {
		case "document", "code":
			widths[i] = 30
		case "text", "memo":
			widths[i] = 60
		case "start", "end":
			widths[i] = 8
		default:
			widths[i] = 14
		}
	}
	s := newSheet(w, widths)
	s.header(cols)
	err := t.each(func(seg *segmentRow) error {
		s.startRow()
		s.str(seg.doc.Title, 0)
		for _, a := range t.attrNames {
			s.str(seg.doc.Attributes[a], 0)
		}
		s.str(seg.path, 0)
		s.str(seg.coder.Login, 0)
		s.str(seg.coder.Name, 0)
		s.num(seg.coding.Start)
		s.num(seg.coding.End)
		s.str(seg.text, 2)
		s.str(seg.coding.Memo, 2)
		s.endRow()
		return s.x.err
	})
	if err != nil {
		return err
	}
	return s.close()
}

func writeCodebookSheet(w io.Writer, d *coding.ProjectData) error {
	cb := d.Codebook()
	own := coding.CountByCode(d.Codings, cb, false)
	all := coding.CountByCode(d.Codings, cb, true)
	s := newSheet(w, []int{40, 25, 30, 6, 8, 9, 60, 9, 9, 12})
	s.header([]string{"code", "name", "parent", "level", "codable", "colour", "description", "segments", "documents", "segments_with_subcodes"})
	cb.Walk(func(c *coding.Code, depth int) {
		s.startRow()
		s.str(cb.PathString(c.ID), 0)
		s.str(c.Name, 0)
		parent := ""
		if c.ParentID != "" {
			parent = cb.PathString(c.ParentID)
		}
		s.str(parent, 0)
		s.num(depth)
		s.str(strconv.FormatBool(c.Codable), 0)
		s.str(c.Colour, 0)
		s.str(c.Description, 2)
		s.num(own[c.ID].Segments)
		s.num(own[c.ID].Documents)
		s.num(all[c.ID].Segments)
		s.endRow()
	})
	return s.close()
}

const (
	xlsxContentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>
`
	xlsxRootRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
`
	xlsxWorkbook = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Segments" sheetId="1" r:id="rId1"/><sheet name="Codebook" sheetId="2" r:id="rId2"/></sheets></workbook>
`
	xlsxWorkbookRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>
`
	xlsxStyles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
`
)
