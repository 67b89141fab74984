package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/concordqda/concord/coding"
	"github.com/concordqda/concord/coding/formats"
)

// get fetches path and returns the status, headers and body as they came.
func (c *apiClient) get(path string) (int, http.Header, []byte) {
	c.t.Helper()
	resp, err := c.http.Get(c.base + path)
	if err != nil {
		c.t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, body
}

type exportedJSON struct {
	Codings []struct{ Coder string }
	Memos   []struct{ Author string }
}

func TestExportEndpoint(t *testing.T) {
	ts := startServer(t)
	lead := ts.login(t, "lead", "concord-demo")
	ana := ts.login(t, "ana", "concord-demo")

	status, h, body := lead.get("/api/projects/peer-support/export?format=qdpx")
	if status != 200 || h.Get("Content-Type") != "application/zip" || h.Get("Content-Disposition") != `attachment; filename=peer-support.qdpx` {
		t.Fatalf("qdpx: %d %v", status, h)
	}
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil || len(zr.File) != 6 || zr.File[0].Name != "project.qde" {
		t.Fatalf("the QDPX download is not the project: %v", err)
	}
	for _, f := range formats.ExportFormats() {
		status, h, body := lead.get("/api/projects/peer-support/export?format=" + f.Name)
		if status != 200 || h.Get("Content-Type") != f.ContentType || len(body) < 100 || !strings.Contains(h.Get("Content-Disposition"), f.FileName("peer-support", "")) {
			t.Errorf("%s: status %d, %q, %d bytes, %q", f.Name, status, h.Get("Content-Type"), len(body), h.Get("Content-Disposition"))
		}
	}
	decode := func(c *apiClient, query string) exportedJSON {
		t.Helper()
		status, _, body := c.get("/api/projects/peer-support/export?format=json" + query)
		if status != 200 {
			t.Fatalf("json%s: status %d %s", query, status, body)
		}
		var got exportedJSON
		if err := json.Unmarshal(body, &got); err != nil {
			t.Fatal(err)
		}
		return got
	}
	coders := func(e exportedJSON) map[string]int {
		out := map[string]int{}
		for _, c := range e.Codings {
			out[c.Coder]++
		}
		return out
	}
	// An open project: a coder exports everyone's layers, or one.
	if got := coders(decode(ana, "")); got["ana"] == 0 || got["ben"] == 0 {
		t.Errorf("open project, ana's export: %v", got)
	}
	if got := coders(decode(ana, "&coder=ben")); len(got) != 1 || got["ben"] == 0 {
		t.Errorf("?coder=ben: %v", got)
	}
	// A blind project: a coder gets only their own layer and memos.
	ana.mustDo(200, "POST", "/api/projects/peer-support/memos", map[string]string{"title": "mine", "text": "ana's memo"}, nil)
	ts.login(t, "ben", "concord-demo").mustDo(200, "POST", "/api/projects/peer-support/memos", map[string]string{"title": "his", "text": "ben's memo"}, nil)
	lead.mustDo(200, "PATCH", "/api/projects/peer-support", map[string]any{"blind": true}, nil)
	got := decode(ana, "")
	if c := coders(got); len(c) != 1 || c["ana"] == 0 {
		t.Errorf("blind project, ana's export has the layers %v", c)
	}
	if len(got.Memos) != 1 || got.Memos[0].Author != "ana" {
		t.Errorf("blind project, ana's export has the memos %+v", got.Memos)
	}
	status, h, _ = ana.get("/api/projects/peer-support/export?format=csv")
	if status != 200 || h.Get("Content-Disposition") != `attachment; filename=peer-support-ana-segments.csv` {
		t.Errorf("blind CSV: %d %q", status, h.Get("Content-Disposition"))
	}
	if c := coders(decode(lead, "")); c["ana"] == 0 || c["ben"] == 0 {
		t.Errorf("the lead of a blind project sees every layer: %v", c)
	}
	for _, tt := range []struct {
		c      *apiClient
		query  string
		status int
		want   string
	}{
		{ana, "?format=json&coder=ben", 403, "only your own"},
		{ana, "?format=pdf", 400, "format must be one of csv, xlsx"},
		{ana, "", 400, "format must be one of"},
		{lead, "?format=csv&coder=nobody", 400, "no coder"},
	} {
		status, _, body := tt.c.get("/api/projects/peer-support/export" + tt.query)
		if status != tt.status || !strings.Contains(string(body), tt.want) {
			t.Errorf("%s: %d %s, want %d %q", tt.query, status, body, tt.status, tt.want)
		}
	}
	// Viewers cannot export; strangers do not see the project.
	p, _ := ts.Store.ProjectBySlug("peer-support")
	viewer := ts.addCoders(t, 1)[0]
	u, _ := ts.Store.UserByLogin("coder000")
	if _, err := ts.Store.SetMember(coding.Member{ProjectID: p.ID, UserID: u.ID, Role: coding.RoleViewer}, u.ID); err != nil {
		t.Fatal(err)
	}
	if status, _, body := viewer.get("/api/projects/peer-support/export?format=csv"); status != 403 {
		t.Errorf("a viewer's export: %d %s", status, body)
	}
	anon := &apiClient{t: t, base: ts.URL, http: &http.Client{}}
	if status, _, _ := anon.get("/api/projects/peer-support/export?format=csv"); status != 401 {
		t.Errorf("without a session: %d", status)
	}
}
