package formats

import (
	"encoding/xml"
	"io"
	"strconv"
	"strings"

	"github.com/concordqda/concord/coding"
)

// ImportODT reads the text of an OpenDocument text file: one line per
// paragraph or heading, with ODF's white-space rules (runs of spaces
// collapse; text:s, text:tab and text:line-break spell them out). Notes,
// comments and tracked deletions are left out. The title is the file name.
func ImportODT(name string, data []byte, limits ZipLimits) (*coding.Document, error) {
	return importZippedXML(name, data, limits, "content.xml", "an OpenDocument file", odtText)
}

func odtText(body io.Reader) (string, error) {
	var sb strings.Builder
	dec := newXMLReader(body, documentXMLLimits)
	para := 0     // depth of open text:p / text:h elements
	skip := 0     // depth inside notes, comments and tracked changes
	space := true // the last character written was white space
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
			if skip > 0 {
				skip++
				continue
			}
			switch t.Name.Local {
			case "note", "annotation", "tracked-changes":
				skip = 1
			case "p", "h":
				para++
				space = true
			case "s":
				n := 1
				for _, a := range t.Attr {
					if a.Name.Local == "c" {
						if v, err := strconv.Atoi(a.Value); err == nil && v > 0 {
							n = min(v, 1000)
						}
					}
				}
				sb.WriteString(strings.Repeat(" ", n))
				space = true
			case "tab":
				sb.WriteByte('\t')
				space = true
			case "line-break":
				sb.WriteByte('\n')
				space = true
			}
		case xml.EndElement:
			if skip > 0 {
				skip--
				continue
			}
			if (t.Name.Local == "p" || t.Name.Local == "h") && para > 0 {
				para--
				sb.WriteByte('\n')
				space = true
			}
		case xml.CharData:
			if para == 0 || skip > 0 {
				continue
			}
			for _, r := range string(t) {
				if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
					if !space {
						sb.WriteByte(' ')
						space = true
					}
					continue
				}
				sb.WriteRune(r)
				space = false
			}
		}
	}
	return strings.TrimRight(sb.String(), "\n") + "\n", nil
}
