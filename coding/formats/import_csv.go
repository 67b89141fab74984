package formats

import (
	"encoding/csv"
	"errors"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/concordqda/concord/coding"
)

// ImportCSV reads a table of survey answers: one document per row, its
// text from the column named textColumn (compared without regard to case)
// or, when that is "", from the column holding the most text; every other
// column becomes an attribute. The first row names the columns. The
// separator is a comma, semicolon or tab, whichever the header uses most
// (spreadsheets in many locales write semicolons; "Unicode text" is
// UTF-16 with tabs). Rows whose answer is empty are left out. Documents are
// titled after the file and the row: "survey #12" is the 12th answer row.
func ImportCSV(name string, data []byte, textColumn string) ([]coding.Document, error) {
	src, err := DecodeText(name, data)
	if err != nil {
		return nil, err
	}
	src = coding.NormalizeText(src)
	r := csv.NewReader(strings.NewReader(src))
	r.Comma = csvSeparator(src)
	r.FieldsPerRecord = -1
	r.ReuseRecord = false
	header, err := r.Read()
	if err == io.EOF {
		return nil, coding.Errorf(coding.EINVALID, "%s: the file is empty", name)
	}
	if err != nil {
		return nil, csvError(name, err)
	}
	for i := range header {
		header[i] = strings.TrimSpace(header[i])
	}
	var rows [][]string
	var lines []int
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(name, err)
		}
		line, _ := r.FieldPos(0)
		if len(rec) != len(header) {
			if blankRecord(rec) {
				continue
			}
			return nil, coding.Errorf(coding.EINVALID, "%s:%d: %d fields, but the header names %d columns", name, line, len(rec), len(header))
		}
		rows = append(rows, rec)
		lines = append(lines, line)
	}
	col, err := csvTextColumn(name, header, rows, textColumn)
	if err != nil {
		return nil, err
	}
	if len(header) > 101 {
		return nil, coding.Errorf(coding.EINVALID, "%s: %d columns; a document holds at most 100 attributes besides its text", name, len(header))
	}
	names := make([]string, len(header))
	for i, h := range header {
		if i == col {
			continue
		}
		if h == "" {
			h = "column " + strconv.Itoa(i+1)
		}
		if utf8.RuneCountInString(h) > 100 {
			return nil, coding.Errorf(coding.EINVALID, "%s:1: column name %q is longer than an attribute name may be (100 characters)", name, coding.ClipRunes(h, 40)+"…")
		}
		names[i] = h
	}
	base := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	if strings.TrimSpace(base) == "" {
		base = "answer"
	}
	var docs []coding.Document
	for k, rec := range rows {
		text := strings.TrimSpace(rec[col])
		if text == "" {
			continue
		}
		attrs := make(map[string]string, len(rec)-1)
		for i, v := range rec {
			if i == col {
				continue
			}
			if utf8.RuneCountInString(v) > 1000 {
				return nil, coding.Errorf(coding.EINVALID, "%s:%d: the %q value is longer than an attribute may be (1000 characters); is it the text column? choose it with --text-column", name, lines[k], names[i])
			}
			attrs[names[i]] = v
		}
		title, _ := clipText(base, 280)
		d := coding.Document{ID: coding.NewID(), Title: title + " #" + strconv.Itoa(k+1), Text: text, Attributes: attrs, Source: coding.ClipRunes(filepath.Base(name), 1000)}
		if err := d.Validate(); err != nil {
			return nil, coding.Errorf(coding.ErrorCode(err), "%s:%d: %s", name, lines[k], coding.ErrorMessage(err))
		}
		docs = append(docs, d)
	}
	if len(docs) == 0 {
		return nil, coding.Errorf(coding.EINVALID, "%s: no row has an answer in the %q column", name, header[col])
	}
	return docs, nil
}

// csvSeparator picks the separator the header line uses most.
func csvSeparator(src string) rune {
	line := src
	if i := strings.IndexByte(src, '\n'); i >= 0 {
		line = src[:i]
	}
	best, count := ',', -1
	for _, sep := range []rune{',', ';', '\t'} {
		if n := strings.Count(line, string(sep)); n > count {
			best, count = sep, n
		}
	}
	return best
}

func blankRecord(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// csvTextColumn finds the answer column: the one named, or the one with
// the most text.
func csvTextColumn(name string, header []string, rows [][]string, want string) (int, error) {
	if want != "" {
		for i, h := range header {
			if strings.EqualFold(h, strings.TrimSpace(want)) {
				return i, nil
			}
		}
		return 0, coding.Errorf(coding.EINVALID, "%s: there is no column %q; the columns are %s", name, want, quoteList(header))
	}
	best, most := 0, -1
	for i := range header {
		n := 0
		for _, rec := range rows {
			n += utf8.RuneCountInString(rec[i])
		}
		if n > most {
			best, most = i, n
		}
	}
	return best, nil
}

func quoteList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}

func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return coding.Errorf(coding.EINVALID, "%s:%d: %s", name, pe.Line, pe.Err)
	}
	return coding.Errorf(coding.EINVALID, "%s: %s", name, err)
}
