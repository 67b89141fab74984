package formats

import "testing"

// HTML as people actually have it: pages saved from Word, markup cut
// short, stray brackets. Each gives the text a reader sees.
func TestImportHTMLAsFound(t *testing.T) {
	tests := []struct {
		name, data, title, text string
	}{
		{"word.htm", `<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><title>Interview 4</title>
<!--[if gte mso 9]><xml><o:DocumentProperties><o:Author>R</o:Author></o:DocumentProperties></xml><![endif]-->
<style><!-- p.MsoNormal {margin:0} --></style></head>
<body><p class=MsoNormal>Interviewer: How was it?<o:p></o:p></p>
<p class=MsoListParagraph><![if !supportLists]><span>1.<span>&nbsp;&nbsp; </span></span><![endif]>Housing first<o:p></o:p></p>
</body></html>`, "Interview 4", "Interviewer: How was it?\n1. Housing first\n"},
		{"unclosed.html", `<p>one<p>two<ul><li>a<li>b</ul><table><tr><td>x<td>y</table>`, "unclosed", "one\ntwo\na\nb\nx\ty\n"},
		{"cut.html", "<p>kept</p><!-- a comment never closed <p>lost", "cut", "kept\n"},
		{"brackets.html", "<p>a < b and c <= d, <3</p>", "brackets", "a < b and c <= d, <3\n"},
		{"script.html", `<p>before</p><script>document.write("</p><p>not text")</script><p>after</p>`, "script", "before\nafter\n"},
		{"entities.html", "<p>caf&eacute; &amp; &#x1F600; &nosuch;</p>", "entities", "café & 😀 &nosuch;\n"},
		{"svg.html", `<p>a</p><svg><title>icon</title><text>no</text></svg><p>b</p>`, "svg", "a\nb\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ImportHTML(tt.name, []byte(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			if d.Title != tt.title || d.Text != tt.text {
				t.Errorf("title %q, text %q\nwant %q, %q", d.Title, d.Text, tt.title, tt.text)
			}
		})
	}
}
