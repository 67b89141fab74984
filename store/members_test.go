package store

import (
	"testing"

	"github.com/concordqda/concord/coding"
)

func TestRemoveMember(t *testing.T) {
	f := newFixture(t)
	c := f.coding(f.trust, f.ben, 0, 5)
	if _, err := f.db.AddCoding(c, f.ben.ID); err != nil {
		t.Fatal(err)
	}
	before, _ := f.db.LastSeq(f.project.ID)
	m, err := f.db.RemoveMember(f.project.ID, f.ben.ID, f.lead.ID)
	must(t, err)
	if m.Role != coding.RoleCoder || m.UserID != f.ben.ID {
		t.Fatalf("removed %+v, want ben as he was, a coder", m)
	}
	if _, err := f.db.Role(f.project.ID, f.ben.ID); coding.ErrorCode(err) != coding.ENOTFOUND {
		t.Fatalf("ben's role after his removal: %v, want not found", err)
	}
	events, err := f.db.Events(f.project.ID, before, 10)
	must(t, err)
	if len(events) != 1 || events[0].Type != coding.EventMemberRemoved || events[0].Owner != "" {
		t.Fatalf("events after the removal: %+v, want one member.removed for everyone", events)
	}
	if _, err := f.db.Coding(f.project.ID, c.ID); err != nil {
		t.Fatalf("ben's coding went with him: %v", err)
	}
	// Removing him again is refused and writes nothing.
	_, err = f.db.RemoveMember(f.project.ID, f.ben.ID, f.lead.ID)
	wantCode(t, err, coding.ENOTFOUND)
	if after, _ := f.db.LastSeq(f.project.ID); after != before+1 {
		t.Fatalf("a refused removal moved the log to %d", after)
	}
}
