package main

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// An export says what its format cannot carry: the download brings the
// warnings in X-Concord-Warnings (plain ASCII JSON), ?dry_run=1 answers
// them without the file, and the CLI prints them on standard error.
func TestExportWarnsAboutLoss(t *testing.T) {
	ts := startServer(t)
	lead := ts.login(t, "lead", "concord-demo")
	const pp = "/api/projects/peer-support"
	lead.mustDo(http.StatusOK, "POST", pp+"/memos", map[string]string{"title": "Zoë’s plan 😀", "text": "Second round."}, nil)

	status, h, body := lead.get(pp + "/export?format=csv")
	raw := h.Get("X-Concord-Warnings")
	if status != 200 || len(body) < 100 || raw == "" {
		t.Fatalf("csv: status %d, %d bytes, warnings header %q", status, len(body), raw)
	}
	for _, r := range raw {
		if r < 0x20 || r > 0x7e {
			t.Fatalf("the warnings header holds %q, which is not printable ASCII: %s", r, raw)
		}
	}
	var header []string
	if err := json.Unmarshal([]byte(raw), &header); err != nil || len(header) != 1 || !strings.Contains(header[0], "1 memo (about the project, documents, codes or passages) is not in CSV") {
		t.Fatalf("X-Concord-Warnings = %s (%v), want the memo CSV cannot hold", raw, err)
	}

	var dry struct{ Warnings []string }
	lead.mustDo(http.StatusOK, "GET", pp+"/export?format=csv&dry_run=1", nil, &dry)
	if len(dry.Warnings) != 1 || dry.Warnings[0] != header[0] {
		t.Errorf("dry run: %q, want the header's %q", dry.Warnings, header)
	}
	var none struct{ Warnings []string }
	status, h, body = lead.get(pp + "/export?format=json&dry_run=1")
	if err := json.Unmarshal(body, &none); status != 200 || err != nil || none.Warnings == nil || len(none.Warnings) != 0 || !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
		t.Errorf("json dry run: %d %s, want {\"warnings\":[]}", status, body)
	}
	if status, h, _ := lead.get(pp + "/export?format=json"); status != 200 || h.Get("X-Concord-Warnings") != "" {
		t.Errorf("json: status %d, warnings %q, want none", status, h.Get("X-Concord-Warnings"))
	}

	// The CLI, on a database of its own.
	db := interopDemoDB(t)
	_, stderr, err := run(t, "", "export", "--project", "peer-support", "-o", filepath.Join(t.TempDir(), "s.xlsx"), "--db", db)
	if err != nil || !strings.Contains(stderr, "warning: 4 memos (about the project, documents, codes or passages) are not in the workbook") {
		t.Errorf("concord export to XLSX: %v, standard error:\n%s", err, stderr)
	}
	_, stderr, err = run(t, "", "export", "--project", "peer-support", "-o", filepath.Join(t.TempDir(), "p.qdpx"), "--db", db)
	if err != nil || stderr != "" {
		t.Errorf("concord export to QDPX: %v, standard error %q, want nothing to warn of", err, stderr)
	}
}
