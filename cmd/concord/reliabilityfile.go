package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/concordqda/concord/cmd/internal/cli"
	"github.com/concordqda/concord/coding/agreement"
)

// fileError is a problem in an input file, named by file and line.
func fileError(name string, line int, format string, args ...any) error {
	if line > 0 {
		return fmt.Errorf("%s:%d: %s", name, line, fmt.Sprintf(format, args...))
	}
	return fmt.Errorf("%s: %s", name, fmt.Sprintf(format, args...))
}

// csvFile reads a CSV file record by record, turning the reader's errors
// into messages that name the file and line.
type csvFile struct {
	name string
	r    *csv.Reader
	line int // of the last record read
}

func openCSV(name string, in io.Reader) *csvFile {
	r := csv.NewReader(in)
	r.FieldsPerRecord = -1 // counted here, to say what was expected
	r.ReuseRecord = false
	return &csvFile{name: name, r: r}
}

// next returns the next record with its fields trimmed, or io.EOF.
func (f *csvFile) next() ([]string, error) {
	rec, err := f.r.Read()
	if err == io.EOF {
		return nil, err
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		msg := pe.Err.Error()
		if errors.Is(pe.Err, csv.ErrQuote) || errors.Is(pe.Err, csv.ErrBareQuote) {
			msg = "a quotation mark is out of place (quote a field with \"…\" and double any \" inside it)"
			if pe.StartLine != pe.Line {
				msg += fmt.Sprintf("; the quoted field runs on to line %d", pe.Line)
			}
		}
		return nil, fileError(f.name, pe.StartLine, "%s", msg)
	}
	if err != nil {
		return nil, fileError(f.name, 0, "%v", err)
	}
	f.line, _ = f.r.FieldPos(0)
	for i, v := range rec {
		if !utf8.ValidString(v) {
			return nil, fileError(f.name, f.line, "field %d is not valid UTF-8 text", i+1)
		}
		rec[i] = strings.TrimSpace(v)
	}
	if f.line == 1 && len(rec) > 0 {
		rec[0] = strings.TrimSpace(strings.TrimPrefix(rec[0], "\ufeff"))
	}
	return rec, nil
}

// readRatings reads a units × coders table: a header of coder names,
// optionally after a first column named "unit"; then one row per unit,
// a blank cell where a coder left the unit unrated. At the numeric levels
// every value must be a number (at the ratio level not negative).
func readRatings(name string, in io.Reader, level agreement.Level) (agreement.Ratings, []string, error) {
	var r agreement.Ratings
	f := openCSV(name, in)
	header, err := f.next()
	if err == io.EOF {
		return r, nil, fileError(name, 0, "the file is empty; expected a header row of coder names")
	}
	if err != nil {
		return r, nil, err
	}
	unitColumn := strings.EqualFold(header[0], "unit")
	coders := header
	if unitColumn {
		coders = header[1:]
	}
	if len(coders) == 0 {
		return r, nil, fileError(name, f.line, "the header names no coders")
	}
	seen := map[string]bool{}
	for i, c := range coders {
		if c == "" {
			return r, nil, fileError(name, f.line, "column %d of the header has no coder name", i+1+len(header)-len(coders))
		}
		if seen[c] {
			return r, nil, fileError(name, f.line, "coder %q appears twice in the header", c)
		}
		seen[c] = true
	}
	r.Coders = coders
	var units []string
	unitLine := map[string]int{}
	for {
		rec, err := f.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return r, nil, err
		}
		if len(rec) == 1 && rec[0] == "" {
			continue // a blank line
		}
		if len(rec) != len(header) {
			return r, nil, fileError(name, f.line, "expected %d fields, as in the header, but found %d", len(header), len(rec))
		}
		unit := strconv.Itoa(len(r.Units) + 1)
		if unitColumn {
			unit, rec = rec[0], rec[1:]
			if unit == "" {
				return r, nil, fileError(name, f.line, "the unit has no id")
			}
			if prev, ok := unitLine[unit]; ok {
				return r, nil, fileError(name, f.line, "unit %q appears twice (also on line %d)", unit, prev)
			}
			unitLine[unit] = f.line
		}
		if level != agreement.LevelNominal {
			for j, v := range rec {
				if v == "" {
					continue
				}
				x, err := strconv.ParseFloat(v, 64)
				if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
					return r, nil, fileError(name, f.line, "%s's value %q is not a number, as the %s level needs", coders[j], v, level)
				}
				if level == agreement.LevelRatio && x < 0 {
					return r, nil, fileError(name, f.line, "%s's value %q is negative, which the ratio level does not allow", coders[j], v)
				}
			}
		}
		r.Units = append(r.Units, rec)
		units = append(units, unit)
	}
	if len(r.Units) == 0 {
		return r, nil, fileError(name, 0, "there are no units after the header")
	}
	return r, units, nil
}

// readSpans reads coder,start,end,code rows (the header names the columns,
// in any order) on the continuum [0, length). coders, when given, are
// everyone who read the continuum: a coder who marked nothing has no row,
// so only the list can say they took part; every row's coder must be on
// it.
func readSpans(name string, in io.Reader, length int, coders []string) (agreement.Continuum, error) {
	c := agreement.Continuum{Length: length, Coders: coders}
	listed := map[string]bool{}
	for _, n := range coders {
		listed[n] = true
	}
	f := openCSV(name, in)
	header, err := f.next()
	if err == io.EOF {
		return c, fileError(name, 0, "the file is empty; expected the header coder,start,end,code")
	}
	if err != nil {
		return c, err
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(h)
		switch h {
		case "coder", "start", "end", "code":
		default:
			return c, fileError(name, f.line, "unknown column %q: the header must name the columns coder, start, end and code", header[i])
		}
		if _, ok := col[h]; ok {
			return c, fileError(name, f.line, "column %q appears twice in the header", h)
		}
		col[h] = i
	}
	if len(col) != 4 {
		var missing []string
		for _, h := range []string{"coder", "start", "end", "code"} {
			if _, ok := col[h]; !ok {
				missing = append(missing, h)
			}
		}
		return c, fileError(name, f.line, "the header lacks the column %s (it must name coder, start, end and code)", strings.Join(missing, ", "))
	}
	for {
		rec, err := f.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return c, err
		}
		if len(rec) == 1 && rec[0] == "" {
			continue
		}
		if len(rec) != 4 {
			return c, fileError(name, f.line, "expected 4 fields (coder, start, end, code) but found %d", len(rec))
		}
		s := agreement.Span{Coder: rec[col["coder"]], Category: rec[col["code"]]}
		if s.Coder == "" || s.Category == "" {
			return c, fileError(name, f.line, "the span needs a coder and a code")
		}
		if len(coders) > 0 && !listed[s.Coder] {
			return c, fileError(name, f.line, "coder %q is not among --coders (%s)", s.Coder, strings.Join(coders, ", "))
		}
		for _, p := range []struct {
			field string
			dst   *int
		}{{"start", &s.Start}, {"end", &s.End}} {
			v := rec[col[p.field]]
			n, err := strconv.Atoi(v)
			if err != nil {
				return c, fileError(name, f.line, "%s %q is not a whole number", p.field, v)
			}
			*p.dst = n
		}
		switch {
		case s.Start < 0:
			return c, fileError(name, f.line, "start %d is negative; positions count from 0", s.Start)
		case s.End <= s.Start:
			return c, fileError(name, f.line, "end %d must be after start %d", s.End, s.Start)
		case s.End > length:
			return c, fileError(name, f.line, "end %d is past the end of the continuum (--length %d)", s.End, length)
		}
		c.Spans = append(c.Spans, s)
	}
	if len(c.Spans) == 0 && len(coders) == 0 {
		return c, fileError(name, 0, "there are no spans after the header (if the coders marked nothing, list them with --coders)")
	}
	return c, nil
}

// parseCoderList reads --coders: names separated by commas, each once.
func parseCoderList(list string) ([]string, error) {
	if strings.TrimSpace(list) == "" {
		return nil, nil
	}
	var out []string
	seen := map[string]bool{}
	for _, n := range strings.Split(list, ",") {
		n = strings.TrimSpace(n)
		switch {
		case n == "":
			return nil, cli.Usagef("--coders %q has an empty name; separate the names with single commas", list)
		case seen[n]:
			return nil, cli.Usagef("--coders names %q twice", n)
		}
		seen[n] = true
		out = append(out, n)
	}
	if len(out) < 2 {
		return nil, cli.Usagef("--coders lists one coder; agreement needs at least two")
	}
	return out, nil
}

// readFile opens name and hands it to read, closing it after.
func readFile[T any](name string, read func(io.Reader) (T, error)) (T, error) {
	fh, err := os.Open(name)
	if err != nil {
		var zero T
		if errors.Is(err, os.ErrNotExist) {
			return zero, fileError(name, 0, "no such file")
		}
		return zero, err
	}
	defer fh.Close()
	return read(fh)
}

// spanCoders and spanCodes list a continuum's coders (those listed, in
// their order, else those with a span) and codes, sorted.
func spanCoders(c agreement.Continuum) []string {
	if len(c.Coders) > 0 {
		return c.Coders
	}
	return distinct(c.Spans, func(s agreement.Span) string { return s.Coder })
}

func spanCodes(c agreement.Continuum) []string {
	return distinct(c.Spans, func(s agreement.Span) string { return s.Category })
}

func distinct(spans []agreement.Span, key func(agreement.Span) string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range spans {
		if k := key(s); !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}
