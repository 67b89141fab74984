package store

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/concordqda/concord/coding"
	bolt "go.etcd.io/bbolt"
)

// rejection is a valid rejection of a case of the fixture's document.
func (f *fixture) rejection(start, end int) *coding.Decision {
	key := strings.Join([]string{f.doc.ID, f.trust.ID, f.ana.ID, f.ben.ID, fmt.Sprint(start), fmt.Sprint(end)}, "|")
	return &coding.Decision{Key: key, Document: f.doc.ID, Code: f.trust.ID, CoderA: f.ana.ID, CoderB: f.ben.ID,
		Start: start, End: end, Decided: coding.DecisionRejected}
}

// decisionEvents returns the project's decision events after seq.
func decisionEvents(t *testing.T, db *DB, project string, since uint64) []coding.Event {
	t.Helper()
	all, err := db.Events(project, since, 0)
	must(t, err)
	var out []coding.Event
	for _, ev := range all {
		if strings.HasPrefix(ev.Type, "decision.") {
			out = append(out, ev)
		}
	}
	return out
}

func TestDecisionSetListClear(t *testing.T) {
	f := newFixture(t)
	other := &coding.Document{ProjectID: f.project.ID, Title: "Interview 2", Text: "Another interview, short."}
	_, err := f.db.AddDocument(other, f.lead.ID)
	must(t, err)
	head, _ := f.db.LastSeq(f.project.ID)

	d := f.rejection(10, 20)
	ev, err := f.db.SetDecision(f.project.ID, d, f.lead.ID)
	must(t, err)
	if ev == nil || ev.Type != coding.EventDecisionSet || ev.Owner != coding.ConsensusCoder || ev.Actor != f.lead.ID {
		t.Fatalf("SetDecision event = %+v, want decision.set owned by the consensus layer, by the lead", ev)
	}
	if d.By != f.lead.ID || d.At.IsZero() {
		t.Fatalf("SetDecision left By %q, At %v; want the lead and the time", d.By, d.At)
	}
	var payload coding.Decision
	must(t, json.Unmarshal(ev.Payload, &payload))
	if payload != *d {
		t.Fatalf("event payload %+v, want the decision %+v", payload, *d)
	}
	early := f.rejection(0, 5)
	_, err = f.db.SetDecision(f.project.ID, early, f.ana.ID)
	must(t, err)
	elsewhere := f.rejection(0, 5)
	elsewhere.Key, elsewhere.Document = "elsewhere", other.ID
	_, err = f.db.SetDecision(f.project.ID, elsewhere, f.lead.ID)
	must(t, err)

	all, err := f.db.Decisions(f.project.ID, "")
	must(t, err)
	if len(all) != 3 {
		t.Fatalf("Decisions = %d, want 3: %+v", len(all), all)
	}
	mine, err := f.db.Decisions(f.project.ID, f.doc.ID)
	must(t, err)
	if len(mine) != 2 || mine[0].Key != early.Key || mine[1].Key != d.Key {
		t.Fatalf("Decisions(document) = %+v, want the two of the document in span order", mine)
	}
	if none, err := f.db.Decisions(f.project.ID, "11111111-2222-4333-8444-000000000009"); err != nil || len(none) != 0 || none == nil {
		t.Fatalf("Decisions(unknown document) = %#v, %v; want an empty list", none, err)
	}

	// The same decision again, by someone else: nothing changes, no event,
	// and whoever decided first stays on record.
	again := f.rejection(10, 20)
	ev, err = f.db.SetDecision(f.project.ID, again, f.ana.ID)
	must(t, err)
	if ev != nil || again.By != f.lead.ID || !again.At.Equal(d.At) {
		t.Fatalf("repeating a decision: event %+v, by %q at %v; want no event, the lead at %v", ev, again.By, again.At, d.At)
	}
	// A changed one under the same key replaces it.
	moved := f.rejection(10, 20)
	moved.End = 22
	ev, err = f.db.SetDecision(f.project.ID, moved, f.ana.ID)
	must(t, err)
	if ev == nil || moved.By != f.ana.ID {
		t.Fatalf("replacing a decision: event %+v, by %q", ev, moved.By)
	}

	gone, ev, err := f.db.ClearDecision(f.project.ID, d.Key, f.lead.ID)
	must(t, err)
	if gone.End != 22 || gone.By != f.ana.ID || ev.Type != coding.EventDecisionCleared || ev.Owner != coding.ConsensusCoder {
		t.Fatalf("ClearDecision = %+v, %+v; want the replaced decision and decision.cleared owned by the consensus", gone, ev)
	}
	_, _, err = f.db.ClearDecision(f.project.ID, d.Key, f.lead.ID)
	wantCode(t, err, coding.ENOTFOUND)
	_, _, err = f.db.ClearDecision(f.project.ID, "", f.lead.ID)
	wantCode(t, err, coding.ENOTFOUND)
	if left, _ := f.db.Decisions(f.project.ID, f.doc.ID); len(left) != 1 || left[0].Key != early.Key {
		t.Fatalf("after clearing, Decisions = %+v", left)
	}

	var types []string
	for _, ev := range decisionEvents(t, f.db, f.project.ID, head) {
		types = append(types, ev.Type)
		if ev.Owner != coding.ConsensusCoder {
			t.Errorf("event %d %s has owner %q, want the consensus layer", ev.Seq, ev.Type, ev.Owner)
		}
	}
	if got, want := strings.Join(types, " "), "decision.set decision.set decision.set decision.set decision.cleared"; got != want {
		t.Errorf("decision events %s, want %s", got, want)
	}
}

func TestDecisionRefusalsChangeNothing(t *testing.T) {
	f := newFixture(t)
	head, _ := f.db.LastSeq(f.project.ID)
	tests := []struct {
		name string
		edit func(d *coding.Decision)
		code string
	}{
		{"no key", func(d *coding.Decision) { d.Key = "" }, coding.EINVALID},
		{"accepted", func(d *coding.Decision) { d.Decided = "accepted" }, coding.EINVALID},
		{"empty span", func(d *coding.Decision) { d.End = d.Start }, coding.EINVALID},
		{"past the end", func(d *coding.Decision) { d.End = len([]rune(fixtureText)) + 1 }, coding.EINVALID},
		{"unknown document", func(d *coding.Decision) { d.Document = "11111111-2222-4333-8444-000000000009" }, coding.ENOTFOUND},
		{"unknown code", func(d *coding.Decision) { d.Code = "11111111-2222-4333-8444-000000000009" }, coding.ENOTFOUND},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := f.rejection(0, 5)
			tt.edit(d)
			ev, err := f.db.SetDecision(f.project.ID, d, f.lead.ID)
			wantCode(t, err, tt.code)
			if ev != nil {
				t.Errorf("a refused decision returned an event: %+v", ev)
			}
		})
	}
	_, err := f.db.SetDecision("11111111-2222-4333-8444-000000000009", f.rejection(0, 5), f.lead.ID)
	wantCode(t, err, coding.ENOTFOUND)
	if all, _ := f.db.Decisions(f.project.ID, ""); len(all) != 0 {
		t.Errorf("refused decisions were stored: %+v", all)
	}
	if now, _ := f.db.LastSeq(f.project.ID); now != head {
		t.Errorf("refused decisions moved the log from %d to %d", head, now)
	}
}

// A project made before decisions were stored has no bucket for them: it
// lists none, opens read-only, and gets the bucket with its first decision.
func TestDecisionsInAnOlderProject(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := Open(path, Options{})
	must(t, err)
	f := newFixtureIn(t, db)
	must(t, db.bolt.Update(func(tx *bolt.Tx) error {
		pb, err := projectBucket(tx, f.project.ID)
		if err != nil {
			return err
		}
		return pb.DeleteBucket(bucketDecisions)
	}))
	must(t, db.Close())

	ro, err := Open(path, Options{ReadOnly: true})
	must(t, err)
	if all, err := ro.Decisions(f.project.ID, ""); err != nil || len(all) != 0 {
		t.Fatalf("read-only Decisions of an older project = %+v, %v", all, err)
	}
	must(t, ro.Close())

	db, err = Open(path, Options{})
	must(t, err)
	defer db.Close()
	_, _, err = db.ClearDecision(f.project.ID, "k", f.lead.ID)
	wantCode(t, err, coding.ENOTFOUND)
	f.db = db
	_, err = db.SetDecision(f.project.ID, f.rejection(1, 4), f.lead.ID)
	must(t, err)
	if all, _ := db.Decisions(f.project.ID, ""); len(all) != 1 {
		t.Fatalf("after the first decision, Decisions = %+v", all)
	}
	must(t, db.Check())
}

// Compaction removes the history of decisions, not the decisions.
func TestCompactionKeepsDecisions(t *testing.T) {
	f := newFixture(t)
	for i := 0; i < 20; i++ {
		_, err := f.db.SetDecision(f.project.ID, f.rejection(i, i+3), f.lead.ID)
		must(t, err)
	}
	_, _, err := f.db.ClearDecision(f.project.ID, f.rejection(0, 3).Key, f.lead.ID)
	must(t, err)
	if _, err := f.db.CompactEvents(f.project.ID, 1, f.lead.ID); err != nil {
		t.Fatal(err)
	}
	if all, _ := f.db.Decisions(f.project.ID, f.doc.ID); len(all) != 19 {
		t.Fatalf("after compaction, %d decisions; want 19", len(all))
	}
	must(t, f.db.Check())
}
