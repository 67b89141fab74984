package main

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"github.com/concordqda/concord/coding"
)

// TestDecisionKindsAndReasons records each kind of decision with a reason
// (in a real bbolt file, through the API), reads it back from the list,
// changes only the reason (a change, logged) and sends it again (no
// change, nothing logged).
func TestDecisionKindsAndReasons(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	lead := ts.login(t, "lead", DemoPassword)
	ana := ts.login(t, "ana", DemoPassword)
	ids := lead.demo()
	anaID := ana.userID(t)
	ben, _ := ts.Store.UserByLogin("ben")
	pp := "/api/projects/" + ids.Project
	cases := []struct {
		kind, reason string
	}{
		{coding.DecisionAcceptedA, "Ana's span fits the definition."},
		{coding.DecisionAcceptedB, "Ben coded nothing here, and rightly: it is about the past."},
		{coding.DecisionAcceptedBoth, ""},
		{coding.DecisionEdited, "Only the second sentence is about stigma 🙂"},
		{coding.DecisionRejected, "Neither: this is the interviewer speaking."},
	}
	for i, c := range cases {
		t.Run(c.kind, func(t *testing.T) {
			body := decisionCase(ids, ids.Codes[0], anaID, ben.ID, 10*i, 10*i+5)
			body["decided"], body["reason"] = c.kind, c.reason
			var set struct{ Decision coding.Decision }
			lead.mustDo(http.StatusOK, "PUT", pp+"/decisions", body, &set)
			if set.Decision.Decided != c.kind || set.Decision.Reason != c.reason {
				t.Fatalf("PUT answered %+v, want %s with reason %q", set.Decision, c.kind, c.reason)
			}
			var list struct{ Decisions []coding.Decision }
			lead.mustDo(http.StatusOK, "GET", pp+"/decisions?document="+ids.Doc, nil, &list)
			found := false
			for _, d := range list.Decisions {
				if d.Key == body["key"] {
					found = d.Decided == c.kind && d.Reason == c.reason
				}
			}
			if !found {
				t.Fatalf("the list %+v lacks %s with its reason", list.Decisions, c.kind)
			}
			// A new reason is a change; the same one again is not.
			head, _ := ts.Store.LastSeq(ids.Project)
			body["reason"] = "On second thought: " + c.reason
			lead.mustDo(http.StatusOK, "PUT", pp+"/decisions", body, &set)
			if now, _ := ts.Store.LastSeq(ids.Project); now != head+1 || set.Decision.Reason != body["reason"] {
				t.Errorf("changing the reason: log went %d → %d, answer %q", head, now, set.Decision.Reason)
			}
			lead.mustDo(http.StatusOK, "PUT", pp+"/decisions", body, &set)
			if now, _ := ts.Store.LastSeq(ids.Project); now != head+1 {
				t.Errorf("the same decision again logged %d events", now-head-1)
			}
		})
	}

	// The CSV download holds every decision with its reason, in names.
	status, h, data := lead.get(pp + "/decisions?format=csv")
	if status != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") || !strings.Contains(h.Get("Content-Disposition"), "peer-support-decisions.csv") {
		t.Fatalf("CSV download: status %d, %q, %q", status, h.Get("Content-Type"), h.Get("Content-Disposition"))
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(data), "\ufeff"))).ReadAll()
	if err != nil || len(rows) != len(cases)+1 {
		t.Fatalf("the CSV has %d rows (%v), want a header and %d decisions", len(rows), err, len(cases))
	}
	for i, c := range cases {
		row := rows[i+1]
		if row[2] != "ana" || row[3] != "ben" || row[6] != c.kind || row[7] != "On second thought: "+c.reason || row[8] != "lead" {
			t.Errorf("CSV row %d = %q, want ana, ben, %s, its reason, by lead", i+1, row, c.kind)
		}
	}
	if status, _, _ := lead.get(pp + "/decisions?format=xml"); status != http.StatusBadRequest {
		t.Errorf("an unknown format: status %d, want 400", status)
	}
}
