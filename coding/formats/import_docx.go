package formats

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"

	"github.com/concordqda/concord/coding"
)

// ImportDOCX reads the text of a Word document: one line per paragraph,
// tabs and line breaks kept, deleted revisions and field codes left out.
// The title is the file name.
func ImportDOCX(name string, data []byte, limits ZipLimits) (*coding.Document, error) {
	return importZippedXML(name, data, limits, "word/document.xml", "a Word document", docxText)
}

// importZippedXML reads the text of an office document: a zip archive whose
// entry holds XML that extract turns into text. kind names the format in
// the error for a missing entry.
func importZippedXML(name string, data []byte, limits ZipLimits, entry, kind string, extract func(io.Reader) (string, error)) (*coding.Document, error) {
	z, err := openZip(name, bytes.NewReader(data), int64(len(data)), limits)
	if err != nil {
		return nil, err
	}
	f := z.lookup(entry)
	if f == nil {
		return nil, coding.Errorf(coding.EINVALID, "%s: not %s (%s is missing)", name, kind, entry)
	}
	// The entry is read as it is parsed, not first inflated whole: a bomb
	// is refused at its first token past a limit (see xmlLimits).
	body, err := z.open(f, 4*coding.MaxDocumentBytes)
	if err != nil {
		return nil, err
	}
	defer body.Close()
	text, err := extract(body)
	if err != nil {
		return nil, xmlError(name, f.Name, err)
	}
	return NewImportedDocument(name, "", text)
}

func docxText(body io.Reader) (string, error) {
	var sb strings.Builder
	dec := newXMLReader(body, documentXMLLimits)
	inText := false
	skip := 0 // depth inside a subtree whose text is a duplicate (mc:Fallback)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", err
		}
		if sb.Len() > coding.MaxDocumentBytes {
			return "", errTooMuchText
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if skip > 0 || t.Name.Local == "Fallback" {
				skip++
				continue
			}
			switch t.Name.Local {
			case "t":
				inText = true
			case "tab", "ptab":
				sb.WriteByte('\t')
			case "br", "cr":
				sb.WriteByte('\n')
			case "noBreakHyphen":
				sb.WriteByte('-')
			}
		case xml.EndElement:
			if skip > 0 {
				skip--
				continue
			}
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				sb.WriteByte('\n')
			}
		case xml.CharData:
			if inText && skip == 0 {
				sb.Write(t)
			}
		}
	}
	return strings.TrimRight(sb.String(), "\n") + "\n", nil
}

var errTooMuchText = errors.New("the text is longer than a document may be")

// charsetReader accepts the encodings files declare that Concord can read;
// UTF-16 input has already been turned into UTF-8 by then (see xmlInput).
func charsetReader(charset string, input io.Reader) (io.Reader, error) {
	switch strings.ToLower(charset) {
	case "utf-8", "utf8", "us-ascii", "ascii", "utf-16", "utf16", "utf-16le", "utf-16be", "unicode":
		return input, nil
	case "iso-8859-1", "latin1", "latin-1", "iso8859-1":
		data, err := io.ReadAll(input)
		if err != nil {
			return nil, err
		}
		var sb strings.Builder
		for _, b := range data {
			sb.WriteRune(rune(b))
		}
		return strings.NewReader(sb.String()), nil
	}
	return nil, errors.New("the XML is in the " + charset + " encoding, which Concord does not read; save it as UTF-8")
}

// xmlError names the file, the entry and the line of an XML problem.
func xmlError(name, entry string, err error) error {
	var e *coding.Error
	if errors.As(err, &e) {
		return err
	}
	where := name
	if entry != "" {
		where += ": " + entry
	}
	var lim *xmlLimitError
	if errors.As(err, &lim) {
		return coding.Errorf(lim.code, "%s: %s", where, lim.msg)
	}
	var syn *xml.SyntaxError
	if errors.As(err, &syn) {
		return coding.Errorf(coding.EINVALID, "%s:%d: malformed XML: %s", where, syn.Line, syn.Msg)
	}
	if errors.Is(err, errTooMuchText) {
		return coding.Errorf(coding.ETOOLARGE, "%s: %s (at most %d bytes)", where, err, coding.MaxDocumentBytes)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return coding.Errorf(coding.EINVALID, "%s: the XML ends too early", where)
	}
	return coding.Errorf(coding.EINVALID, "%s: %s", where, err)
}
