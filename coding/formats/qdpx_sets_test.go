package formats

import (
	"bytes"
	"strings"
	"testing"
)

// TestQDPXExportWritesDocumentSets checks that the sets documents are in
// become schema-valid <Sets> with one MemberSource per document, and that
// a project without sets writes none.
func TestQDPXExportWritesDocumentSets(t *testing.T) {
	d := fixtureProject()
	d.Documents[0].Sets = []string{"Reliability sample", "Wave 1"}
	d.Documents[1].Sets = []string{"Reliability sample"}
	d.Documents[1].Folder = "Hospital"
	var buf bytes.Buffer
	if err := WriteQDPX(&buf, d); err != nil {
		t.Fatal(err)
	}
	qde := unzip(t, buf.Bytes())["project.qde"]
	validateXML(t, qde, "Project-mrt2019.xsd")
	s := string(qde)
	if n := strings.Count(s, "<Set "); n != 2 {
		t.Errorf("the export holds %d sets, want 2", n)
	}
	if n := strings.Count(s, "<MemberSource "); n != 3 {
		t.Errorf("the export holds %d set members, want 3", n)
	}
	if !strings.Contains(s, `name="Reliability sample"`) {
		t.Errorf("the export lacks the set's name:\n%s", s)
	}

	buf.Reset()
	if err := WriteQDPX(&buf, fixtureProject()); err != nil {
		t.Fatal(err)
	}
	if s := string(unzip(t, buf.Bytes())["project.qde"]); strings.Contains(s, "<Sets>") {
		t.Errorf("a project without sets exports <Sets>")
	}
}
