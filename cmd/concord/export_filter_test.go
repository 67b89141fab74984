package main

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/concordqda/concord/coding"
)

// TestExportFiltered: an export with the retrieval filters holds exactly
// the codings the segments route lists for the same query.
func TestExportFiltered(t *testing.T) {
	ts := startServer(t)
	lead := ts.login(t, "lead", DemoPassword)
	var codes struct{ Codes []coding.Code }
	lead.mustDo(200, "GET", "/api/projects/peer-support/codes", nil, &codes)
	id := map[string]string{}
	for _, c := range codes.Codes {
		id[c.Name] = c.ID
	}
	var docs struct{ Documents []coding.Document }
	lead.mustDo(200, "GET", "/api/projects/peer-support/documents", nil, &docs)
	var proj struct {
		Members []struct{ ID, Login string }
	}
	lead.mustDo(200, "GET", "/api/projects/peer-support", nil, &proj)
	ana := ""
	for _, m := range proj.Members {
		if m.Login == "ana" {
			ana = m.ID
		}
	}

	tests := []struct {
		name   string
		query  url.Values
		status int
		err    string
	}{
		{name: "a code and its sub-codes", query: url.Values{"code": {id["Boundaries"]}}, status: 200},
		{name: "a code alone", query: url.Values{"code": {id["Emotional triggers"]}, "descendants": {"false"}}, status: 200},
		{name: "a document", query: url.Values{"document": {docs.Documents[1].ID}}, status: 200},
		{name: "an attribute", query: url.Values{"attr": {"setting:hospital"}}, status: 200},
		{name: "a coder's layer and a code", query: url.Values{"coder": {ana}, "code": {id["Stressors"]}}, status: 200},
		{name: "a code that does not exist", query: url.Values{"code": {"nope"}}, status: 404, err: "code nope does not exist"},
		{name: "an attribute without a value", query: url.Values{"attr": {"setting"}}, status: 400, err: "must look like name:value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, body := lead.get("/api/projects/peer-support/export?format=json&" + tt.query.Encode())
			if status != tt.status {
				t.Fatalf("status %d, want %d: %.200s", status, tt.status, body)
			}
			if tt.status != 200 {
				if !strings.Contains(string(body), tt.err) {
					t.Errorf("error %s, want %q", body, tt.err)
				}
				return
			}
			var got struct {
				Codings []struct{ ID string }
			}
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatal(err)
			}
			var want struct {
				Segments []coding.Coding
			}
			lead.mustDo(200, "GET", "/api/projects/peer-support/segments?"+tt.query.Encode(), nil, &want)
			if len(want.Segments) == 0 {
				t.Fatal("the filter selects no segment; the case tests nothing")
			}
			ids := map[string]bool{}
			for _, c := range got.Codings {
				ids[c.ID] = true
			}
			for _, s := range want.Segments {
				if !ids[s.ID] {
					t.Errorf("segment %s is listed but not exported", s.ID)
				}
			}
			if len(got.Codings) != len(want.Segments) {
				t.Errorf("exported %d codings, the segments route lists %d", len(got.Codings), len(want.Segments))
			}
		})
	}
}
