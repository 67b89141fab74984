package formats

import (
	"bufio"
	"html/template"
	"io"
	"sort"
	"strings"

	"github.com/concordqda/concord/coding"
)

// ReportExamples is how many example excerpts the HTML report shows per
// code.
const ReportExamples = 3

type (
	reportCode struct {
		Code     *coding.Code
		Depth    int
		Path     string
		Own, All coding.Count
		Examples []reportExample
		More     int
	}
	reportExample struct {
		Document, Coder, Text, Memo string
		Start, End                  int
	}
	reportCoder struct {
		Name, Login string
		Segments    int
	}
	reportDocument struct {
		Title      string
		Attributes []string
		Segments   int
	}
	reportData struct {
		Project   coding.Project
		Codes     []reportCode
		Coders    []reportCoder
		Documents []reportDocument
		Segments  int
		Memos     []reportMemoGroup
	}
)

// WriteHTMLReport writes a self-contained, printable HTML report: the
// codebook with each code's definition and frequencies (segments,
// documents and characters, with and without its sub-codes, as
// CountByCode counts them), a few example excerpts per code, the memos
// (about the project, codes, documents and passages, with author and
// time), the coders and the documents. It has no scripts and loads
// nothing. Control characters are mapped as reportControls says.
func WriteHTMLReport(w io.Writer, d *coding.ProjectData) error {
	t := newSegmentTable(d)
	own := coding.CountByCode(d.Codings, t.cb, false)
	all := coding.CountByCode(d.Codings, t.cb, true)
	rd := reportData{Project: d.Project, Segments: len(d.Codings)}
	index := map[string]int{}
	t.cb.Walk(func(c *coding.Code, depth int) {
		index[c.ID] = len(rd.Codes)
		rd.Codes = append(rd.Codes, reportCode{Code: c, Depth: depth, Path: t.paths[c.ID], Own: own[c.ID], All: all[c.ID]})
	})
	perCoder := map[string]int{}
	perDoc := map[string]int{}
	t.each(func(s *segmentRow) error {
		perCoder[s.coding.CoderID]++
		perDoc[s.coding.DocumentID]++
		i, ok := index[s.coding.CodeID]
		if !ok {
			return nil
		}
		rc := &rd.Codes[i]
		if len(rc.Examples) >= ReportExamples {
			rc.More++
			return nil
		}
		text, _ := clipText(s.text, 600)
		rc.Examples = append(rc.Examples, reportExample{s.doc.Title, s.coder.Name, text, s.coding.Memo, s.coding.Start, s.coding.End})
		return nil
	})
	for _, u := range exportUsers(d, t.users) {
		if n := perCoder[u.ID]; n > 0 {
			rd.Coders = append(rd.Coders, reportCoder{u.Name, u.Login, n})
		}
	}
	for i := range d.Documents {
		doc := &d.Documents[i]
		var attrs []string
		for k, v := range doc.Attributes {
			attrs = append(attrs, k+": "+v)
		}
		sort.Strings(attrs)
		rd.Documents = append(rd.Documents, reportDocument{doc.Title, attrs, perDoc[doc.ID]})
	}
	rd.Memos = reportMemos(d, t)
	bw := bufio.NewWriter(w)
	if err := reportTemplate.Execute(reportControls{bw}, rd); err != nil {
		return err
	}
	return bw.Flush()
}

var reportTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"indent": func(depth int) string { return strings.Repeat("\u2003", depth) },
	"colour": func(c string) template.CSS {
		if coding.IsColour(c) {
			return template.CSS("background:" + c)
		}
		return ""
	},
	"anchor": func(id string) string { return "code-" + id },
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{.Project.Name}} — coding report</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body { font: 11pt/1.45 Georgia, "Times New Roman", serif; color: #222; max-width: 50em; margin: 2em auto; padding: 0 1em; }
h1, h2, h3 { font-family: "Helvetica Neue", Arial, sans-serif; line-height: 1.2; }
h1 { font-size: 1.7em; margin-bottom: .2em; }
h2 { font-size: 1.3em; border-bottom: 1px solid #999; padding-bottom: .2em; margin-top: 2em; }
h3 { font-size: 1.05em; margin: 1.6em 0 .3em; }
table { border-collapse: collapse; width: 100%; font-size: .92em; }
th, td { border-bottom: 1px solid #ddd; padding: .25em .4em; text-align: left; vertical-align: top; }
th { border-bottom: 2px solid #999; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.swatch { display: inline-block; width: .8em; height: .8em; border: 1px solid #888; margin-right: .35em; vertical-align: baseline; }
.cat { color: #666; font-style: italic; }
.def { white-space: pre-wrap; margin: .3em 0; }
blockquote { margin: .5em 0 .8em; padding: .3em .8em; border-left: 3px solid #bbb; white-space: pre-wrap; }
.src { display: block; font: .85em "Helvetica Neue", Arial, sans-serif; color: #555; margin-top: .25em; white-space: normal; }
.memo { display: block; font-style: italic; color: #444; }
.muted { color: #666; font-size: .9em; }
.note { margin: .6em 0 1.2em; }
.note blockquote { margin: .3em 0; }
a { color: inherit; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  h2 { break-before: page; }
  h2:first-of-type { break-before: auto; }
  h3, blockquote, tr, .note { break-inside: avoid; }
  h3 { break-after: avoid; }
  a { text-decoration: none; }
}
</style>
</head>
<body>
<h1>{{.Project.Name}}</h1>
{{with .Project.Description}}<p class="def">{{.}}</p>{{end}}
<p class="muted">{{len .Documents}} documents, {{len .Codes}} codes, {{.Segments}} coded segments{{if .Coders}} by {{range $i, $c := .Coders}}{{if $i}}, {{end}}{{$c.Name}}{{end}}{{end}}. Positions are characters (Unicode code points) from 0.</p>

<h2>Codebook</h2>
{{if .Codes}}<table>
<thead><tr><th>Code</th><th class="n">Segments</th><th class="n">Documents</th><th class="n">Characters</th><th class="n">With sub-codes</th></tr></thead>
<tbody>
{{range .Codes}}<tr><td>{{indent .Depth}}<span class="swatch" style="{{colour .Code.Colour}}"></span><a href="#{{anchor .Code.ID}}">{{.Code.Name}}</a>{{if not .Code.Codable}} <span class="cat">(category)</span>{{end}}</td><td class="n">{{.Own.Segments}}</td><td class="n">{{.Own.Documents}}</td><td class="n">{{.Own.Characters}}</td><td class="n">{{.All.Segments}}</td></tr>
{{end}}</tbody>
</table>{{else}}<p>The codebook is empty.</p>{{end}}

<h2>Definitions and examples</h2>
{{range .Codes}}<h3 id="{{anchor .Code.ID}}"><span class="swatch" style="{{colour .Code.Colour}}"></span>{{.Path}}</h3>
{{if .Code.Description}}<p class="def">{{.Code.Description}}</p>{{else}}<p class="muted">No definition yet.</p>{{end}}
<p class="muted">{{if not .Code.Codable}}A category: it groups codes and is not applied to text. {{end}}{{.Own.Segments}} segments in {{.Own.Documents}} documents ({{.Own.Characters}} characters){{if ne .All.Segments .Own.Segments}}; {{.All.Segments}} with its sub-codes{{end}}.</p>
{{range .Examples}}<blockquote>{{.Text}}<span class="src">{{.Document}}, characters {{.Start}}–{{.End}}, coded by {{.Coder}}</span>{{with .Memo}}<span class="memo">Memo: {{.}}</span>{{end}}</blockquote>
{{end}}{{if .More}}<p class="muted">… and {{.More}} more.</p>{{end}}
{{end}}
<h2>Memos</h2>
{{range .Memos}}<h3>{{.Heading}}</h3>
{{range .Memos}}<div class="note">{{with .About}}<span class="src">{{.}}</span>{{end}}{{with .Quote}}<blockquote>{{.}}</blockquote>{{end}}{{with .Title}}<strong>{{.}}</strong>{{end}}<p class="def">{{.Text}}</p><span class="src">{{.Author}}, {{.When}}</span></div>
{{end}}{{else}}<p>No memos yet.</p>
{{end}}
<h2>Coders</h2>
{{if .Coders}}<table><thead><tr><th>Coder</th><th>Login</th><th class="n">Segments</th></tr></thead><tbody>
{{range .Coders}}<tr><td>{{.Name}}</td><td>{{.Login}}</td><td class="n">{{.Segments}}</td></tr>
{{end}}</tbody></table>{{else}}<p>No coded segments yet.</p>{{end}}

<h2>Documents</h2>
<table><thead><tr><th>Document</th><th>Attributes</th><th class="n">Segments</th></tr></thead><tbody>
{{range .Documents}}<tr><td>{{.Title}}</td><td>{{range $i, $a := .Attributes}}{{if $i}}<br>{{end}}{{$a}}{{end}}</td><td class="n">{{.Segments}}</td></tr>
{{end}}</tbody></table>
</body>
</html>
`))
