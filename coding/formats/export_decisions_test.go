package formats

import (
	"encoding/csv"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/concordqda/concord/coding"
)

func TestWriteDecisionsCSV(t *testing.T) {
	doc, code, ana, ben, lead := coding.NewID(), coding.NewID(), coding.NewID(), coding.NewID(), coding.NewID()
	at := time.Date(2026, 12, 5, 8, 30, 0, 0, time.FixedZone("CET", 3600))
	ds := []coding.Decision{
		{Key: "1", Document: doc, Code: code, CoderA: ana, CoderB: ben, Start: 3, End: 9, Decided: coding.DecisionAcceptedB, Reason: "Ben is right, \"quoted\",\nand on two lines 🙂", By: lead, At: at},
		{Key: "2", Document: doc, Code: code, CoderA: ana, CoderB: coding.ConsensusCoder, Start: 10, End: 12, Decided: coding.DecisionRejected, Reason: "=HYPERLINK(\"x\")", By: coding.NewID(), At: at},
	}
	names := DecisionNames{
		Documents: map[string]string{doc: "Interview 1"},
		Codes:     map[string]string{code: `Stressors › Rejection \/ Antipathy`},
		People:    map[string]string{ana: "ana", ben: "ben", lead: "lead", coding.ConsensusCoder: "consensus"},
	}
	var b strings.Builder
	if err := WriteDecisionsCSV(&b, ds, names); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), "\ufeff") {
		t.Errorf("no byte order mark")
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(b.String(), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"document", "code", "coder_a", "coder_b", "start", "end", "decided", "reason", "decided_by", "decided_at"},
		{"Interview 1", `Stressors › Rejection \/ Antipathy`, "ana", "ben", "3", "9", "accepted_b", "Ben is right, \"quoted\",\nand on two lines 🙂", "lead", "2026-12-05T07:30:00Z"},
		{"Interview 1", `Stressors › Rejection \/ Antipathy`, "ana", "consensus", "10", "12", "rejected", "'=HYPERLINK(\"x\")", ds[1].By, "2026-12-05T07:30:00Z"},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("WriteDecisionsCSV rows =\n%q\nwant\n%q", rows, want)
	}
}
