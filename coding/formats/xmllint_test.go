package formats

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// validateXML checks an XML file against a schema in testdata/refi with
// xmllint (Debian's libxml2-utils). Without xmllint the test is skipped,
// except in CI (CI set), where a missing validator is a failure.
func validateXML(t *testing.T, data []byte, schema string) {
	t.Helper()
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("xmllint is missing; install libxml2-utils")
		}
		t.Skip("xmllint is missing (apt-get install libxml2-utils); skipping schema validation")
	}
	file := filepath.Join(t.TempDir(), "doc.xml")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(xmllint, "--noout", "--schema", filepath.Join("testdata", "refi", schema), file).CombinedOutput()
	if err != nil {
		t.Fatalf("xmllint --schema %s: %v\n%s", schema, err, out)
	}
}
