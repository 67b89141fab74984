package formats

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"

	"github.com/concordqda/concord/coding"
)

// xmlLimits bound the work of reading one XML document from another tool.
// encoding/xml keeps a stack entry per open element and Unmarshal builds a
// value per element before anyone can count them, so a small archive whose
// entry inflates to millions of elements (an XML bomb) would otherwise cost
// gigabytes and seconds before it is refused.
type xmlLimits struct {
	// depth is the deepest element nesting accepted. Real files nest a few
	// dozen levels at most (a code tree, tables in tables).
	depth int
	// items is the most elements plus attributes accepted; text and end
	// tags are not counted, as there are never more of them than elements.
	items int
}

// The limits by kind of file. An office document's XML is read with at
// most 4×MaxDocumentBytes (64 MiB); a real DOCX (oltas.qdpx's) holds about
// one element or attribute per 16 bytes of XML, so 4M is what that cap
// admits (that DOCX itself holds 1.1M). A codebook (.qdc) is unmarshalled
// whole, which costs far more per element; 2M is some 200,000 codes. A
// project (.qde) holds about 15 items per coding, so Concord's own export
// of a 200,000-coding project is 3M: 16M admits a million codings. What
// keeps a small hostile archive from reaching that is the compression-ratio
// check in zipsafe.go, which refuses the entry before it is inflated.
var (
	documentXMLLimits = xmlLimits{depth: 256, items: 4 << 20}
	codebookXMLLimits = xmlLimits{depth: 256, items: 2 << 20}
	projectXMLLimits  = xmlLimits{depth: 256, items: 16 << 20}
)

// xmlLimitError says which bound a file broke; xmlError names the file.
type xmlLimitError struct {
	code string
	msg  string
}

func (e *xmlLimitError) Error() string { return e.msg }

// xmlGuard is an xml.TokenReader that lexes with RawToken and counts as it
// goes, so a bomb is refused at the first token past a limit. The decoder
// built on it (xml.NewTokenDecoder) still matches end tags and resolves
// namespaces, exactly as a plain decoder would.
type xmlGuard struct {
	lex    *xml.Decoder
	limits xmlLimits
	depth  int
	items  int
}

// Token implements xml.TokenReader.
func (g *xmlGuard) Token() (xml.Token, error) {
	tok, err := g.lex.RawToken()
	if err != nil {
		return tok, err
	}
	switch t := tok.(type) {
	case xml.StartElement:
		g.depth++
		g.items += 1 + len(t.Attr)
		if g.depth > g.limits.depth {
			return nil, &xmlLimitError{coding.EINVALID, fmt.Sprintf("the XML nests elements more than %d deep; the file is damaged or made to exhaust the server", g.limits.depth)}
		}
		if g.items > g.limits.items {
			return nil, &xmlLimitError{coding.ETOOLARGE, fmt.Sprintf("the XML holds more than %d elements and attributes, more than Concord reads from one file", g.limits.items)}
		}
	case xml.EndElement:
		g.depth--
	}
	return tok, nil
}

// xmlReader decodes XML from another tool within limits: Token and Decode
// work as on an xml.Decoder.
type xmlReader struct {
	dec   *xml.Decoder
	guard *xmlGuard
}

// newXMLReader returns a bounded reader of the XML in r, in any of the
// common Unicode and Latin-1 encodings its declaration names.
func newXMLReader(r io.Reader, limits xmlLimits) *xmlReader {
	lex := xml.NewDecoder(r)
	lex.CharsetReader = charsetReader
	g := &xmlGuard{lex: lex, limits: limits}
	return &xmlReader{dec: xml.NewTokenDecoder(g), guard: g}
}

// Token returns the next token, as xml.Decoder.Token does.
func (x *xmlReader) Token() (xml.Token, error) {
	t, err := x.dec.Token()
	return t, x.fixLine(err)
}

// Decode unmarshals the document into v, as xml.Decoder.Decode does.
func (x *xmlReader) Decode(v any) error {
	return x.fixLine(x.dec.Decode(v))
}

// DecodeElement unmarshals the element that start opens into v, as
// xml.Decoder.DecodeElement does.
func (x *xmlReader) DecodeElement(v any, start *xml.StartElement) error {
	return x.fixLine(x.dec.DecodeElement(v, start))
}

// Skip reads past the end of the element whose start was read last.
func (x *xmlReader) Skip() error {
	return x.fixLine(x.dec.Skip())
}

// fixLine puts the line the lexer reached into a syntax error: the outer
// decoder reads no bytes itself, so its own errors (an end tag that does
// not match, a document that ends early) would all say line 1.
func (x *xmlReader) fixLine(err error) error {
	var syn *xml.SyntaxError
	if errors.As(err, &syn) {
		line, _ := x.guard.lex.InputPos()
		syn.Line = line
	}
	return err
}

// xmlInput prepares XML from another tool for the decoder without reading
// it whole: a UTF-8 byte order mark is dropped, and UTF-16 (with a byte
// order mark) becomes UTF-8, which needs the whole text.
func xmlInput(name string, r io.Reader) (io.Reader, error) {
	br := bufio.NewReader(r)
	head, _ := br.Peek(3)
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		data, err := io.ReadAll(br)
		if err != nil {
			return nil, err
		}
		s, err := DecodeText(name, data)
		if err != nil {
			return nil, err
		}
		return bytes.NewReader([]byte(s)), nil
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		br.Discard(3)
	}
	return br, nil
}
