package formats

import (
	"html"
	"strings"

	"github.com/concordqda/concord/coding"
)

// ImportHTML reads the text of a web page: one line per paragraph, heading,
// list item or table row (cells separated by tabs), white space collapsed
// outside <pre>, scripts and styles left out. The title is the page's
// <title>, else its first <h1>, else the file name. It is a tolerant
// scanner, not a validating parser: any bytes give text or a clear error.
func ImportHTML(name string, data []byte) (*coding.Document, error) {
	src, err := DecodeText(name, data)
	if err != nil {
		return nil, err
	}
	text, title := htmlText(coding.NormalizeText(src))
	return NewImportedDocument(name, title, text)
}

var htmlBlocks = map[string]bool{
	"address": true, "article": true, "aside": true, "blockquote": true, "caption": true,
	"dd": true, "details": true, "dialog": true, "div": true, "dl": true, "dt": true,
	"fieldset": true, "figcaption": true, "figure": true, "footer": true, "form": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "header": true,
	"hgroup": true, "hr": true, "li": true, "main": true, "nav": true, "ol": true, "p": true,
	"pre": true, "section": true, "summary": true, "table": true, "tr": true, "ul": true,
	"body": true, "title": true, "head": true,
}

// htmlSkipped are elements whose content is not text for a reader.
var htmlSkipped = map[string]bool{"script": true, "style": true, "template": true, "noscript": true, "svg": true, "math": true, "iframe": true, "object": true}

type htmlWriter struct {
	sb           strings.Builder
	lineHasText  bool
	pendingSpace bool
	pendingBreak bool
	pre          int
}

func (w *htmlWriter) text(s string) {
	for _, r := range s {
		if r == '\u00a0' {
			r = ' '
		}
		if w.pre == 0 && (r == ' ' || r == '\t' || r == '\n' || r == '\f') {
			if w.lineHasText {
				w.pendingSpace = true
			}
			continue
		}
		if w.pendingBreak {
			w.sb.WriteByte('\n')
			w.pendingBreak, w.pendingSpace = false, false
		}
		if w.pendingSpace {
			w.sb.WriteByte(' ')
			w.pendingSpace = false
		}
		w.sb.WriteRune(r)
		w.lineHasText = r != '\n'
	}
}

func (w *htmlWriter) block() {
	if w.lineHasText {
		w.pendingBreak = true
	}
	w.lineHasText, w.pendingSpace = false, false
}

func (w *htmlWriter) lineBreak() {
	if w.pendingBreak {
		w.sb.WriteByte('\n')
		w.pendingBreak = false
	}
	w.sb.WriteByte('\n')
	w.lineHasText, w.pendingSpace = false, false
}

func (w *htmlWriter) cell() {
	if w.lineHasText {
		w.sb.WriteByte('\t')
		w.pendingSpace = false
	}
}

// htmlText returns the readable text of an HTML page and its title.
func htmlText(s string) (text, title string) {
	var w htmlWriter
	var h1 strings.Builder
	inTitle, inH1, seenH1 := false, false, false
	var titleText strings.Builder
	for i := 0; i < len(s); {
		if w.sb.Len() > coding.MaxDocumentBytes+1 {
			break
		}
		lt := strings.IndexByte(s[i:], '<')
		if lt < 0 {
			lt = len(s) - i
		}
		if lt > 0 {
			chunk := html.UnescapeString(s[i : i+lt])
			switch {
			case inTitle:
				titleText.WriteString(chunk)
			default:
				if inH1 {
					h1.WriteString(chunk)
				}
				w.text(chunk)
			}
			i += lt
			continue
		}
		// s[i] == '<'
		rest := s[i:]
		switch {
		case strings.HasPrefix(rest, "<!--"):
			end := strings.Index(rest[4:], "-->")
			if end < 0 {
				return finishHTML(&w, &titleText, &h1)
			}
			i += 4 + end + 3
			continue
		case strings.HasPrefix(rest, "<!"), strings.HasPrefix(rest, "<?"):
			end := strings.IndexByte(rest, '>')
			if end < 0 {
				return finishHTML(&w, &titleText, &h1)
			}
			i += end + 1
			continue
		}
		closing := strings.HasPrefix(rest, "</")
		j := 1
		if closing {
			j = 2
		}
		// A tag name starts with a letter, as the HTML standard says:
		// "<3" or "< b" in a sentence is text.
		k := j
		if k < len(rest) && isASCIILetter(rest[k]) {
			for k < len(rest) && isTagNameByte(rest[k]) {
				k++
			}
		}
		if k == j {
			// Not a tag: a literal "<".
			w.text("<")
			if inTitle {
				titleText.WriteString("<")
			}
			i++
			continue
		}
		tag := strings.ToLower(rest[j:k])
		end := tagEnd(rest, k)
		if end < 0 {
			return finishHTML(&w, &titleText, &h1)
		}
		i += end + 1
		if closing {
			switch {
			case tag == "title":
				inTitle = false
			case tag == "h1" && inH1:
				inH1, seenH1 = false, true
			case tag == "pre" && w.pre > 0:
				w.pre--
			}
			if htmlBlocks[tag] {
				w.block()
			}
			continue
		}
		if htmlSkipped[tag] && !strings.HasSuffix(strings.TrimSpace(rest[k:end]), "/") {
			// Skip to the matching end tag.
			closeAt := indexFold(s[i:], "</"+tag)
			if closeAt < 0 {
				return finishHTML(&w, &titleText, &h1)
			}
			i += closeAt
			continue
		}
		switch tag {
		case "title":
			inTitle = titleText.Len() == 0
		case "h1":
			inH1 = !seenH1 && h1.Len() == 0
		case "br":
			w.lineBreak()
		case "pre":
			w.block()
			w.pre++
		case "td", "th":
			w.cell()
		}
		if htmlBlocks[tag] && tag != "pre" {
			w.block()
		}
	}
	return finishHTML(&w, &titleText, &h1)
}

func finishHTML(w *htmlWriter, title, h1 *strings.Builder) (string, string) {
	t := strings.Join(strings.Fields(title.String()), " ")
	if t == "" {
		t = strings.Join(strings.Fields(h1.String()), " ")
	}
	return strings.TrimRight(w.sb.String(), "\n ") + "\n", t
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isTagNameByte(c byte) bool {
	return isASCIILetter(c) || c >= '0' && c <= '9' || c == '-' || c == ':' || c == '_'
}

// tagEnd returns the index of the '>' that ends the tag starting at s[0],
// scanning from k and skipping quoted attribute values, or -1.
func tagEnd(s string, k int) int {
	var quote byte
	for ; k < len(s); k++ {
		c := s[k]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return k
		}
	}
	return -1
}

// indexFold is strings.Index ignoring ASCII case in s.
func indexFold(s, sub string) int {
	n := len(sub)
	for i := 0; i+n <= len(s); i++ {
		if strings.EqualFold(s[i:i+n], sub) {
			return i
		}
	}
	return -1
}
