package formats

import (
	"bufio"
	"io"
	"strconv"
	"time"
	"unicode/utf8"
)

// xmlWriter writes XML by hand: exports of hundreds of thousands of
// codings are several times faster this way than through encoding/xml's
// reflection, and the element order the schemas demand is plain to see.
// The first write error sticks and is returned by flush.
type xmlWriter struct {
	w   *bufio.Writer
	err error
}

func newXMLWriter(w io.Writer) *xmlWriter {
	return &xmlWriter{w: bufio.NewWriterSize(w, 64<<10)}
}

func (x *xmlWriter) raw(s string) {
	if x.err == nil {
		_, x.err = x.w.WriteString(s)
	}
}

// attr writes ` name="value"`, escaped so that a parser reads value back
// exactly (line ends and tabs included).
func (x *xmlWriter) attr(name, value string) {
	x.raw(" ")
	x.raw(name)
	x.raw(`="`)
	x.escape(value, true)
	x.raw(`"`)
}

// attrInt writes ` name="n"`.
func (x *xmlWriter) attrInt(name string, n int) {
	if x.err != nil {
		return
	}
	var buf [24]byte
	x.raw(" ")
	x.raw(name)
	x.raw(`="`)
	_, x.err = x.w.Write(strconv.AppendInt(buf[:0], int64(n), 10))
	x.raw(`"`)
}

// attrTime writes a dateTime attribute, or nothing for the zero time.
func (x *xmlWriter) attrTime(name string, t time.Time) {
	if !t.IsZero() {
		x.attr(name, t.UTC().Format(time.RFC3339))
	}
}

// text writes character data, escaped.
func (x *xmlWriter) text(s string) { x.escape(s, false) }

// element writes <name>text</name>.
func (x *xmlWriter) element(name, text string) {
	x.raw("<" + name + ">")
	x.text(text)
	x.raw("</" + name + ">")
}

// xmlPlain marks the ASCII bytes that never need escaping.
var xmlPlain = func() (t [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = c != '&' && c != '<' && c != '>' && c != '"'
	}
	return t
}()

func (x *xmlWriter) escape(s string, inAttr bool) {
	if x.err != nil {
		return
	}
	plain := true
	for i := 0; i < len(s); i++ {
		if !xmlPlain[s[i]] {
			plain = false
			break
		}
	}
	if plain {
		_, x.err = x.w.WriteString(s)
		return
	}
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		var rep string
		w := 1
		switch {
		case c == '&':
			rep = "&amp;"
		case c == '<':
			rep = "&lt;"
		case c == '>':
			rep = "&gt;"
		case c == '"' && inAttr:
			rep = "&quot;"
		case c == '\r':
			rep = "&#13;"
		case c == '\n' && inAttr:
			rep = "&#10;"
		case c == '\t' && inAttr:
			rep = "&#9;"
		case c < 0x20 && c != '\n' && c != '\t':
			rep = "\uFFFD" // not allowed in XML 1.0, even escaped
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRuneInString(s[i:])
			w = n
			if r == 0xFFFE || r == 0xFFFF || r == utf8.RuneError && n == 1 {
				rep = "\uFFFD"
			}
		}
		if rep != "" {
			x.w.WriteString(s[last:i])
			x.w.WriteString(rep)
			last = i + w
		}
		i += w
	}
	_, x.err = x.w.WriteString(s[last:])
}

func (x *xmlWriter) flush() error {
	if x.err != nil {
		return x.err
	}
	return x.w.Flush()
}
