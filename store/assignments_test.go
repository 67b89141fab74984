package store

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/concordqda/concord/coding"
	bolt "go.etcd.io/bbolt"
)

// assignmentEvents returns the project's assignment and done events after
// seq.
func assignmentEvents(t *testing.T, db *DB, project string, since uint64) []coding.Event {
	t.Helper()
	all, err := db.Events(project, since, 0)
	must(t, err)
	var out []coding.Event
	for _, ev := range all {
		if strings.HasPrefix(ev.Type, "assignment.") || strings.HasPrefix(ev.Type, "document.done") || ev.Type == coding.EventDocumentUndone {
			out = append(out, ev)
		}
	}
	return out
}

// moreDocuments adds n documents to the fixture's project and returns
// every document's id.
func (f *fixture) moreDocuments(t *testing.T, n int) []string {
	t.Helper()
	ids := []string{f.doc.ID}
	for i := 0; i < n; i++ {
		d := &coding.Document{ProjectID: f.project.ID, Title: fmt.Sprintf("Answer %d", i+1), Text: "An answer."}
		_, err := f.db.AddDocument(d, f.lead.ID)
		must(t, err)
		ids = append(ids, d.ID)
	}
	return ids
}

func assignedTo(all []coding.Assignment, coder string) []string {
	var out []string
	for _, a := range all {
		if a.Coder == coder && a.Assigned {
			out = append(out, a.Document)
		}
	}
	return out
}

func TestAssignListClear(t *testing.T) {
	f := newFixture(t)
	docs := f.moreDocuments(t, 3)
	head, _ := f.db.LastSeq(f.project.ID)

	change, ev, err := f.db.Assign(f.project.ID, coding.AssignRequest{Coders: []string{f.ana.ID, f.ben.ID}, Documents: docs[:2]}, f.lead.ID)
	must(t, err)
	if ev == nil || ev.Type != coding.EventAssignmentSet || ev.Owner != "" || ev.Actor != f.lead.ID {
		t.Fatalf("Assign event = %+v, want assignment.set without owner, by the lead", ev)
	}
	var payload coding.AssignmentChange
	must(t, json.Unmarshal(ev.Payload, &payload))
	if len(payload.Coders) != 2 || len(payload.Documents) != 2 || len(change.Documents) != 2 {
		t.Errorf("Assign change %+v, payload %+v; want two coders and two documents", change, payload)
	}
	// Again, with one more document: only the new pairs change.
	change, ev, err = f.db.Assign(f.project.ID, coding.AssignRequest{Coders: []string{f.ana.ID}, Documents: docs[1:3]}, f.lead.ID)
	must(t, err)
	if ev == nil || !slices.Equal(change.Documents, []string{docs[2]}) {
		t.Errorf("Assign again: change %+v, event %v; want only %s new", change, ev, docs[2])
	}
	// The same again changes nothing and logs nothing.
	_, ev, err = f.db.Assign(f.project.ID, coding.AssignRequest{Coders: []string{f.ana.ID}, Documents: docs[1:3]}, f.lead.ID)
	if err != nil || ev != nil {
		t.Errorf("Assign unchanged = event %v, %v; want no event", ev, err)
	}
	all, err := f.db.Assignments(f.project.ID)
	must(t, err)
	if got := assignedTo(all, f.ana.ID); len(got) != 3 {
		t.Errorf("ana assigned %v, want 3 documents", got)
	}
	if got := assignedTo(all, f.ben.ID); len(got) != 2 {
		t.Errorf("ben assigned %v, want 2 documents", got)
	}
	for _, a := range all {
		if a.AssignedBy != f.lead.ID || a.AssignedAt.IsZero() {
			t.Errorf("assignment %+v, want by the lead, with a time", a)
		}
	}

	// Done survives clearing the assignment; clearing all of ben's.
	_, ev, err = f.db.SetDone(f.project.ID, docs[0], f.ben.ID, true, f.ben.ID)
	must(t, err)
	if ev == nil || ev.Type != coding.EventDocumentDone || ev.Owner != f.ben.ID {
		t.Fatalf("SetDone event = %+v, want document.done owned by ben", ev)
	}
	change, ev, err = f.db.Unassign(f.project.ID, []string{f.ben.ID}, nil, f.lead.ID)
	must(t, err)
	if ev == nil || ev.Type != coding.EventAssignmentCleared || len(change.Documents) != 2 {
		t.Fatalf("Unassign = %+v, %+v; want assignment.cleared of 2 documents", change, ev)
	}
	all, _ = f.db.Assignments(f.project.ID)
	var bens []coding.Assignment
	for _, a := range all {
		if a.Coder == f.ben.ID {
			bens = append(bens, a)
		}
	}
	if len(bens) != 1 || bens[0].Assigned || !bens[0].Done || bens[0].Document != docs[0] {
		t.Errorf("ben after clearing: %+v, want only the done mark on %s", bens, docs[0])
	}
	// Undone and unassigned: the record goes.
	_, ev, err = f.db.SetDone(f.project.ID, docs[0], f.ben.ID, false, f.ben.ID)
	must(t, err)
	if ev == nil || ev.Type != coding.EventDocumentUndone {
		t.Fatalf("SetDone(false) event = %+v, want document.undone", ev)
	}
	if _, ev, _ := f.db.SetDone(f.project.ID, docs[0], f.ben.ID, false, f.ben.ID); ev != nil {
		t.Errorf("SetDone(false) again logged %+v, want nothing", ev)
	}
	all, _ = f.db.Assignments(f.project.ID)
	if got := assignedTo(all, f.ben.ID); len(got) != 0 || len(all) != 3 {
		t.Errorf("after undo: %+v, want ana's three assignments only", all)
	}
	// A former member's assignments can still be taken back.
	_, _, err = f.db.Assign(f.project.ID, coding.AssignRequest{Coders: []string{f.ben.ID}, Documents: docs[3:4]}, f.lead.ID)
	must(t, err)
	_, err = f.db.RemoveMember(f.project.ID, f.ben.ID, f.lead.ID)
	must(t, err)
	if change, ev, err := f.db.Unassign(f.project.ID, []string{f.ben.ID}, nil, f.lead.ID); err != nil || ev == nil || len(change.Documents) != 1 {
		t.Errorf("Unassign of a former member = %+v, %v, %v; want their one document back", change, ev, err)
	}
	// Clearing one of ana's documents.
	_, _, err = f.db.Unassign(f.project.ID, []string{f.ana.ID}, docs[:1], f.lead.ID)
	must(t, err)
	all, _ = f.db.Assignments(f.project.ID)
	if got := assignedTo(all, f.ana.ID); !slices.Equal(got, sortedIDs(docs[1:3])) {
		t.Errorf("ana after clearing %s: %v", docs[0], got)
	}

	evs := assignmentEvents(t, f.db, f.project.ID, head)
	var types []string
	for _, ev := range evs {
		types = append(types, ev.Type)
	}
	want := []string{"assignment.set", "assignment.set", "document.done", "assignment.cleared", "document.undone", "assignment.set", "assignment.cleared", "assignment.cleared"}
	if !slices.Equal(types, want) {
		t.Errorf("events %v, want %v", types, want)
	}
}

// A sample is the same documents for every coder, its share of the
// project, and drawn again from the same seed it is the same.
func TestAssignSample(t *testing.T) {
	f := newFixture(t)
	docs := f.moreDocuments(t, 19)
	sample := &coding.Sample{Percent: 20, Seed: 9}
	change, _, err := f.db.Assign(f.project.ID, coding.AssignRequest{Coders: []string{f.ana.ID, f.ben.ID}, Sample: sample}, f.lead.ID)
	must(t, err)
	if len(change.Documents) != 4 || change.Sample == nil || change.Sample.Seed != 9 {
		t.Fatalf("sample of 20%% of 20 documents = %+v, want 4 documents and the seed", change)
	}
	all, _ := f.db.Assignments(f.project.ID)
	ana, ben := assignedTo(all, f.ana.ID), assignedTo(all, f.ben.ID)
	if !slices.Equal(ana, ben) || !slices.Equal(ana, change.Documents) {
		t.Errorf("ana %v, ben %v, change %v: want the same documents", ana, ben, change.Documents)
	}
	if again := sample.Draw(docs); !slices.Equal(sortedIDs(again), change.Documents) {
		t.Errorf("drawn again: %v, stored %v", sortedIDs(again), change.Documents)
	}
}

func TestAssignRefusals(t *testing.T) {
	f := newFixture(t)
	viewer := &coding.User{Login: "vic", Name: "Vic"}
	must(t, f.db.CreateUser(viewer))
	_, err := f.db.SetMember(coding.Member{ProjectID: f.project.ID, UserID: viewer.ID, Role: coding.RoleViewer}, f.lead.ID)
	must(t, err)
	stranger := &coding.User{Login: "sam", Name: "Sam"}
	must(t, f.db.CreateUser(stranger))
	head, _ := f.db.LastSeq(f.project.ID)
	for _, tc := range []struct {
		name string
		req  coding.AssignRequest
		code string
	}{
		{"no coders", coding.AssignRequest{All: true}, coding.EINVALID},
		{"no documents", coding.AssignRequest{Coders: []string{f.ana.ID}}, coding.EINVALID},
		{"two ways", coding.AssignRequest{Coders: []string{f.ana.ID}, All: true, Documents: []string{f.doc.ID}}, coding.EINVALID},
		{"bad sample", coding.AssignRequest{Coders: []string{f.ana.ID}, Sample: &coding.Sample{Percent: 0}}, coding.EINVALID},
		{"viewer", coding.AssignRequest{Coders: []string{viewer.ID}, All: true}, coding.EINVALID},
		{"stranger", coding.AssignRequest{Coders: []string{stranger.ID}, All: true}, coding.ENOTFOUND},
		{"twice", coding.AssignRequest{Coders: []string{f.ana.ID, f.ana.ID}, All: true}, coding.EINVALID},
		{"unknown document", coding.AssignRequest{Coders: []string{f.ana.ID}, Documents: []string{f.doc.ID, f.ana.ID}}, coding.ENOTFOUND},
		{"not an id", coding.AssignRequest{Coders: []string{f.ana.ID}, Documents: []string{"T1"}}, coding.ENOTFOUND},
	} {
		_, _, err := f.db.Assign(f.project.ID, tc.req, f.lead.ID)
		if coding.ErrorCode(err) != tc.code {
			t.Errorf("Assign(%s) = %v, want %s", tc.name, err, tc.code)
		}
	}
	_, _, err = f.db.SetDone(f.project.ID, f.doc.ID, viewer.ID, true, viewer.ID)
	wantCode(t, err, coding.EINVALID)
	_, _, err = f.db.SetDone(f.project.ID, f.ana.ID, f.ana.ID, true, f.ana.ID)
	wantCode(t, err, coding.ENOTFOUND)
	_, _, err = f.db.Unassign(f.project.ID, nil, nil, f.lead.ID)
	wantCode(t, err, coding.EINVALID)
	if all, _ := f.db.Assignments(f.project.ID); len(all) != 0 {
		t.Errorf("refused requests stored %+v", all)
	}
	if now, _ := f.db.LastSeq(f.project.ID); now != head {
		t.Errorf("refused requests moved the log from %d to %d", head, now)
	}
}

// A project made before assignments were stored has no bucket for them: it
// lists none, opens read-only, and gets the bucket with its first mark.
func TestAssignmentsInAnOlderProject(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := Open(path, Options{})
	must(t, err)
	f := newFixtureIn(t, db)
	must(t, db.bolt.Update(func(tx *bolt.Tx) error {
		pb, err := projectBucket(tx, f.project.ID)
		if err != nil {
			return err
		}
		return pb.DeleteBucket(bucketAssignments)
	}))
	must(t, db.Close())

	ro, err := Open(path, Options{ReadOnly: true})
	must(t, err)
	if all, err := ro.Assignments(f.project.ID); err != nil || len(all) != 0 {
		t.Fatalf("read-only Assignments of an older project = %+v, %v", all, err)
	}
	must(t, ro.Close())

	db, err = Open(path, Options{})
	must(t, err)
	defer db.Close()
	if _, ev, err := db.Unassign(f.project.ID, []string{f.ana.ID}, nil, f.lead.ID); err != nil || ev != nil {
		t.Fatalf("Unassign in an older project = %v, %v; want nothing to do", ev, err)
	}
	if _, _, err := db.SetDone(f.project.ID, f.doc.ID, f.ana.ID, true, f.ana.ID); err != nil {
		t.Fatal(err)
	}
	if all, _ := db.Assignments(f.project.ID); len(all) != 1 || !all[0].Done {
		t.Fatalf("after the first done mark, Assignments = %+v", all)
	}
	must(t, db.Check())
}

// Assignments live in the database, so a backup carries them.
func TestBackupKeepsAssignments(t *testing.T) {
	f := newFixture(t)
	_, _, err := f.db.Assign(f.project.ID, coding.AssignRequest{Coders: []string{f.ana.ID, f.ben.ID}, All: true}, f.lead.ID)
	must(t, err)
	_, _, err = f.db.SetDone(f.project.ID, f.doc.ID, f.ana.ID, true, f.ana.ID)
	must(t, err)
	path := filepath.Join(t.TempDir(), "backup.db")
	out, err := os.Create(path)
	must(t, err)
	_, err = f.db.Backup(out)
	must(t, err)
	must(t, out.Close())
	copyDB, err := Open(path, Options{ReadOnly: true})
	must(t, err)
	defer copyDB.Close()
	want, _ := f.db.Assignments(f.project.ID)
	got, err := copyDB.Assignments(f.project.ID)
	must(t, err)
	if len(got) != 2 || len(want) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("the backup's assignments = %+v, want %+v", got, want)
	}
}
