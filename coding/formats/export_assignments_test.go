package formats

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/concordqda/concord/coding"
)

// withAssignments is the fixture with ana and ben assigned the first
// interview, ana done with it, and ben done with the second (not assigned).
func withAssignments() *coding.ProjectData {
	d := fixtureProject()
	t0 := time.Date(2026, 2, 4, 9, 0, 0, 0, time.UTC)
	ana, ben := d.Users[1].ID, d.Users[2].ID
	d.Assignments = []coding.Assignment{
		{Document: d.Documents[0].ID, Coder: ana, Assigned: true, AssignedAt: t0, Done: true, DoneAt: t0.Add(time.Hour)},
		{Document: d.Documents[0].ID, Coder: ben, Assigned: true, AssignedAt: t0},
		{Document: d.Documents[1].ID, Coder: ben, Done: true, DoneAt: t0},
	}
	return d
}

// The QDPX export carries who was assigned each source and who marked it
// done as two text variables, and still validates, also when no document
// has attributes (so there are variables but no cases).
func TestQDPXExportAssignments(t *testing.T) {
	for _, tc := range []struct {
		name       string
		attributes bool
	}{{"with attributes", true}, {"without attributes", false}} {
		d := withAssignments()
		if !tc.attributes {
			for i := range d.Documents {
				d.Documents[i].Attributes = nil
			}
		}
		var buf bytes.Buffer
		if err := WriteQDPX(&buf, d); err != nil {
			t.Fatal(err)
		}
		qde := unzip(t, buf.Bytes())["project.qde"]
		validateXML(t, qde, "Project-mrt2019.xsd")
		in, err := ReadQDPX("export.qdpx", bytes.NewReader(buf.Bytes()), int64(buf.Len()), ImportOptions{})
		if err != nil {
			t.Fatalf("%s: reading the export back: %v", tc.name, err)
		}
		got := map[string]map[string]string{}
		for _, doc := range in.Documents {
			got[doc.Title] = doc.Attributes
		}
		for _, want := range []struct{ doc, name, value string }{
			{"Interview 1 — Zoë", VariableAssignedTo, "ana, ben"},
			{"Interview 1 — Zoë", VariableDoneBy, "ana"},
			{"Interview 2", VariableAssignedTo, ""},
			{"Interview 2", VariableDoneBy, "ben"},
		} {
			if v := got[want.doc][want.name]; v != want.value {
				t.Errorf("%s: %s of %q = %q, want %q", tc.name, want.name, want.doc, v, want.value)
			}
		}
	}
}

func TestJSONExportAssignments(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteJSON(&buf, withAssignments()); err != nil {
		t.Fatal(err)
	}
	var out struct {
		Assignments []struct {
			Document, Coder string
			CoderName       string `json:"coder_name"`
			Assigned, Done  bool
			DoneAt          time.Time `json:"done_at"`
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range out.Assignments {
		got = append(got, strings.Join([]string{a.Coder, map[bool]string{true: "assigned"}[a.Assigned], map[bool]string{true: "done"}[a.Done]}, " "))
	}
	want := "ana assigned done|ben assigned |ben  done"
	if strings.Join(got, "|") != want {
		t.Errorf("JSON assignments = %q, want %q", strings.Join(got, "|"), want)
	}
	if out.Assignments[0].DoneAt.IsZero() {
		t.Errorf("ana's done mark has no time: %+v", out.Assignments[0])
	}
}
