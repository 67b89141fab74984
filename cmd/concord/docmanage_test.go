package main

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/concordqda/concord/coding"
)

type docsAnswer struct {
	Documents []coding.Document `json:"documents"`
}

func (c *apiClient) documents(pid string) []coding.Document {
	c.t.Helper()
	var out docsAnswer
	c.mustDo(http.StatusOK, "GET", "/api/projects/"+pid+"/documents", nil, &out)
	return out.Documents
}

func docIDs(docs []coding.Document) []string {
	out := make([]string, len(docs))
	for i, d := range docs {
		out[i] = d.ID
	}
	return out
}

// TestDocumentManagementOverHTTP drives the attribute sheet's batch save,
// the order, deletion to the trash and restore through the real server:
// bad input changes nothing, a deleted document leaves every read path and
// export, and a restore brings back exactly the codings it had.
func TestDocumentManagementOverHTTP(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	lead, ana := ts.login(t, "lead", DemoPassword), ts.login(t, "ana", DemoPassword)
	ids := ana.demo()
	pid := ids.Project
	docs := lead.documents(pid)
	if len(docs) < 3 {
		t.Fatalf("the demo has %d documents, want at least 3", len(docs))
	}
	for i := 0; i < 3; i++ {
		ana.addCoding(ids, ids.Codes[i%len(ids.Codes)], 10*i, 10*i+5)
	}

	// Bad batches: each refused with a message, nothing changed.
	before := lead.documents(pid)
	for _, c := range []struct {
		name string
		body any
		want int
		text string
	}{
		{"empty attribute name", map[string]any{"documents": []any{map[string]any{"id": docs[0].ID, "attributes": map[string]string{"": "x"}}}}, 400, "attribute name must not be empty"},
		{"unknown document", map[string]any{"documents": []any{map[string]any{"id": docs[0].ID, "folder": "A"}, map[string]any{"id": "nope"}}}, 404, "does not exist"},
		{"title clash", map[string]any{"documents": []any{map[string]any{"id": docs[1].ID, "title": docs[0].Title}}}, 409, "already exists"},
		{"set twice", map[string]any{"documents": []any{map[string]any{"id": docs[0].ID, "sets": []string{"a", "a"}}}}, 400, "twice"},
		{"unknown field", map[string]any{"documents": []any{map[string]any{"id": docs[0].ID, "colour": "red"}}}, 400, "unknown field"},
		{"nothing", map[string]any{"documents": []any{}}, 400, "no documents"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var raw json.RawMessage
			if status := lead.do("PATCH", "/api/projects/"+pid+"/documents", c.body, &raw); status != c.want || !strings.Contains(string(raw), c.text) {
				t.Fatalf("status %d %s, want %d with %q", status, raw, c.want, c.text)
			}
		})
	}
	if after := lead.documents(pid); !reflect.DeepEqual(before, after) {
		t.Fatalf("refused batches changed the documents")
	}

	// A good batch: attributes of all, a folder and sets.
	var patch []any
	for i, d := range docs {
		attrs := map[string]string{"wave": string(rune('1' + i%2))}
		item := map[string]any{"id": d.ID, "attributes": attrs, "sets": []string{"all"}}
		if i == 0 {
			item["title"] = "Renamed first"
			item["folder"] = "Pilot"
			item["sets"] = []string{"all", "reliability"}
		}
		patch = append(patch, item)
	}
	lead.mustDo(http.StatusOK, "PATCH", "/api/projects/"+pid+"/documents", map[string]any{"documents": patch}, nil)
	got := lead.documents(pid)
	byID := map[string]coding.Document{}
	for _, d := range got {
		byID[d.ID] = d
	}
	if d := byID[docs[0].ID]; d.Title != "Renamed first" || d.Folder != "Pilot" || !reflect.DeepEqual(d.Sets, []string{"all", "reliability"}) || d.Attributes["wave"] != "1" || len(d.Attributes) != 1 {
		t.Fatalf("after the batch: %+v", d)
	}

	// Sets filter retrieval.
	var segs struct{ Total int }
	lead.mustDo(http.StatusOK, "GET", "/api/projects/"+pid+"/segments?set=reliability", nil, &segs)
	var all struct{ Total int }
	lead.mustDo(http.StatusOK, "GET", "/api/projects/"+pid+"/segments", nil, &all)
	var inAll struct{ Total int }
	lead.mustDo(http.StatusOK, "GET", "/api/projects/"+pid+"/segments?set=all", nil, &inAll)
	if all.Total < 3 || inAll.Total != all.Total || segs.Total == 0 || segs.Total >= all.Total {
		t.Fatalf("segments: %d in all, %d in set \"all\", %d in set \"reliability\"; want the set to narrow them", all.Total, inAll.Total, segs.Total)
	}

	// Order: reversed, then followed by the list and the JSON export.
	order := docIDs(got)
	for i, j := 0, len(order)-1; i < j; i, j = i+1, j-1 {
		order[i], order[j] = order[j], order[i]
	}
	var raw json.RawMessage
	if status := lead.do("PUT", "/api/projects/"+pid+"/documents/order", map[string]any{"order": order[1:]}, &raw); status != 400 || !strings.Contains(string(raw), "leaves out") {
		t.Fatalf("an order without one document: %d %s, want 400", status, raw)
	}
	lead.mustDo(http.StatusOK, "PUT", "/api/projects/"+pid+"/documents/order", map[string]any{"order": order}, nil)
	if got := docIDs(lead.documents(pid)); !reflect.DeepEqual(got, order) {
		t.Fatalf("documents after reorder = %v, want %v", got, order)
	}
	var export coding.ProjectData
	lead.mustDo(http.StatusOK, "GET", "/api/projects/"+pid+"/export?format=json", nil, &export)
	if got := docIDs(export.Documents); !reflect.DeepEqual(got, order) {
		t.Fatalf("JSON export order = %v, want %v", got, order)
	}

	// Delete the document ana coded: gone from lists, codings, search,
	// segments and exports; listed in the trash with its counts.
	var codings struct{ Codings []coding.Coding }
	lead.mustDo(http.StatusOK, "GET", "/api/projects/"+pid+"/documents/"+ids.Doc+"/codings", nil, &codings)
	// Unmarshal reuses a slice's array: keep a copy.
	kept := append([]coding.Coding(nil), codings.Codings...)
	if len(kept) == 0 {
		t.Fatal("no codings to keep")
	}
	if status := ana.do("DELETE", "/api/projects/"+pid+"/documents/"+ids.Doc, nil, &raw); status != http.StatusForbidden {
		t.Fatalf("a coder deleting a document: %d %s, want 403", status, raw)
	}
	var del struct{ Trashed coding.TrashedDocument }
	lead.mustDo(http.StatusOK, "DELETE", "/api/projects/"+pid+"/documents/"+ids.Doc, nil, &del)
	if del.Trashed.Document.ID != ids.Doc {
		t.Fatalf("DELETE answered %+v", del)
	}
	for _, d := range lead.documents(pid) {
		if d.ID == ids.Doc {
			t.Fatal("the deleted document is still listed")
		}
	}
	if status := ana.do("GET", "/api/projects/"+pid+"/documents/"+ids.Doc, nil, &raw); status != 404 || !strings.Contains(string(raw), "deleted") {
		t.Fatalf("GET of a deleted document: %d %s, want 404 saying it was deleted", status, raw)
	}
	lead.mustDo(http.StatusOK, "GET", "/api/projects/"+pid+"/codings", nil, &codings)
	for _, c := range codings.Codings {
		if c.DocumentID == ids.Doc {
			t.Fatal("codings of the deleted document are still listed")
		}
	}
	var segsAfter struct{ Total int }
	lead.mustDo(http.StatusOK, "GET", "/api/projects/"+pid+"/segments", nil, &segsAfter)
	if segsAfter.Total != all.Total-len(kept) {
		t.Fatalf("segments after delete = %d, want %d", segsAfter.Total, all.Total-len(kept))
	}
	export = coding.ProjectData{}
	lead.mustDo(http.StatusOK, "GET", "/api/projects/"+pid+"/export?format=json", nil, &export)
	for _, d := range export.Documents {
		if d.ID == ids.Doc {
			t.Fatal("the deleted document is in the export")
		}
	}
	for _, c := range export.Codings {
		if c.DocumentID == ids.Doc {
			t.Fatal("a coding of the deleted document is in the export")
		}
	}
	var trash struct{ Trash []coding.TrashedDocument }
	lead.mustDo(http.StatusOK, "GET", "/api/projects/"+pid+"/trash", nil, &trash)
	if len(trash.Trash) != 1 || trash.Trash[0].Codings != len(kept) {
		t.Fatalf("trash = %+v, want the document with %d codings", trash.Trash, len(kept))
	}
	// New work on it is refused with a clear error.
	if status := ana.do("POST", "/api/projects/"+pid+"/codings", map[string]any{"document": ids.Doc, "code": ids.Codes[0], "start": 50, "end": 60}, &raw); status != 404 {
		t.Fatalf("coding a deleted document: %d %s, want 404", status, raw)
	}

	// Restore: everything back, exactly.
	lead.mustDo(http.StatusOK, "POST", "/api/projects/"+pid+"/documents/"+ids.Doc+"/restore", map[string]any{}, nil)
	lead.mustDo(http.StatusOK, "GET", "/api/projects/"+pid+"/documents/"+ids.Doc+"/codings", nil, &codings)
	if !reflect.DeepEqual(codings.Codings, kept) {
		t.Fatalf("after restore the document has %d codings, want the %d it had, unchanged", len(codings.Codings), len(kept))
	}
	if status := lead.do("POST", "/api/projects/"+pid+"/documents/"+ids.Doc+"/restore", map[string]any{}, &raw); status != 404 {
		t.Fatalf("restoring twice: %d %s, want 404", status, raw)
	}
	lead.mustDo(http.StatusOK, "GET", "/api/projects/"+pid+"/trash", nil, &trash)
	if len(trash.Trash) != 0 {
		t.Fatalf("trash after restore = %+v", trash.Trash)
	}
}

// TestDocumentManagementIsLive checks that other open windows hear of
// every change: a coder's live connection gets the batch's updates, the
// new order, the deletion (without counts of others' work in a blind
// project) and the restore.
func TestDocumentManagementIsLive(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	lead, ana := ts.login(t, "lead", DemoPassword), ts.login(t, "ana", DemoPassword)
	ids := ana.demo()
	pid := ids.Project
	lead.mustDo(http.StatusOK, "PATCH", "/api/projects/"+pid, map[string]any{"blind": true}, nil)
	ben := ts.login(t, "ben", DemoPassword)
	ben.addCoding(ids, ids.Codes[0], 0, 5)
	anaLive := ana.live(pid, 0)
	defer anaLive.close()
	anaLive.ready()
	leadLive := lead.live(pid, 0)
	defer leadLive.close()
	leadLive.ready()

	docs := lead.documents(pid)
	lead.mustDo(http.StatusOK, "PATCH", "/api/projects/"+pid+"/documents", map[string]any{"documents": []any{
		map[string]any{"id": docs[0].ID, "sets": []string{"wave 1"}},
		map[string]any{"id": docs[1].ID, "folder": "Pilot"},
		map[string]any{"id": docs[2].ID}, // unchanged: no event
	}}, nil)
	order := docIDs(docs)
	order[0], order[1] = order[1], order[0]
	lead.mustDo(http.StatusOK, "PUT", "/api/projects/"+pid+"/documents/order", map[string]any{"order": order}, nil)
	lead.mustDo(http.StatusOK, "DELETE", "/api/projects/"+pid+"/documents/"+ids.Doc, nil, nil)
	lead.mustDo(http.StatusOK, "POST", "/api/projects/"+pid+"/documents/"+ids.Doc+"/restore", map[string]any{}, nil)

	want := []string{coding.EventDocumentUpdated, coding.EventDocumentUpdated, coding.EventDocumentsReordered, coding.EventDocumentDeleted, coding.EventDocumentRestored}
	for name, lc := range map[string]*liveConn{"ana": anaLive, "lead": leadLive} {
		evs := lc.events(len(want), 10*time.Second)
		for i, ev := range evs {
			if ev.Type != want[i] {
				t.Errorf("%s: event %d is %s, want %s", name, i, ev.Type, want[i])
			}
			if ev.Type == coding.EventDocumentDeleted {
				var p map[string]json.RawMessage
				json.Unmarshal(ev.Payload, &p)
				if _, ok := p["codings"]; ok {
					t.Errorf("%s: the deletion event counts codings: %s", name, ev.Payload)
				}
				var td coding.TrashedDocument
				json.Unmarshal(ev.Payload, &td)
				if td.Document.ID != ids.Doc {
					t.Errorf("%s: the deletion event names %q", name, td.Document.ID)
				}
			}
		}
	}
}
