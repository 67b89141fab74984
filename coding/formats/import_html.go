package formats

import (
	"strings"

	"golang.org/x/net/html"

	"github.com/concordqda/concord/coding"
)

// ImportHTML reads the text of a web page: one line per paragraph, heading,
// list item or table row (cells separated by tabs), white space collapsed
// outside <pre>, scripts and styles left out. The title is the page's
// <title>, else its first <h1>, else the file name. It reads tags with
// golang.org/x/net/html's tokenizer, which follows the HTML standard's
// rules for broken markup (unclosed tags and comments, stray "<", Word's
// conditional comments, raw text in scripts and styles): any bytes give
// text or a clear error.
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
	var h1, titleText strings.Builder
	inTitle, inH1, seenH1 := false, false, false
	skip := 0 // how deep inside elements whose content is not text
	z := html.NewTokenizer(strings.NewReader(s))
	for w.sb.Len() <= coding.MaxDocumentBytes+1 {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			// The end of the input, or input the tokenizer gives up on:
			// what was read so far is the text.
			return finishHTML(&w, &titleText, &h1)
		case html.TextToken:
			if skip > 0 {
				continue
			}
			chunk := string(z.Text()) // entities already decoded
			if inTitle {
				titleText.WriteString(chunk)
				continue
			}
			if inH1 {
				h1.WriteString(chunk)
			}
			w.text(chunk)
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			tag := string(name)
			if htmlSkipped[tag] || skip > 0 {
				if htmlSkipped[tag] && tt == html.StartTagToken {
					skip++
				}
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
		case html.EndTagToken:
			name, _ := z.TagName()
			tag := string(name)
			if skip > 0 {
				if htmlSkipped[tag] {
					skip--
				}
				continue
			}
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
