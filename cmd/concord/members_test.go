package main

import (
	"net/http"
	"testing"
	"time"
)

// A lead takes a coder out of the project: the coder's open connection
// closes with 1008 and no event from the removal on reaches it, the project is gone for
// them, their codings stay, and a lead can add them back.
func TestRemoveMemberClosesTheirConnectionKeepsTheirCodings(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	lead, ana, ben := ts.login(t, "lead", DemoPassword), ts.login(t, "ana", DemoPassword), ts.login(t, "ben", DemoPassword)
	ids := ana.demo()
	benID := ben.userID(t)
	mine := ben.addCoding(ids, ids.Codes[0], 3, 9)
	lb := ben.live(ids.Project, 1<<62)
	defer lb.close()
	lb.ready()

	if status := ben.do("DELETE", "/api/projects/peer-support/members/ana", nil, nil); status != http.StatusForbidden {
		t.Fatalf("a coder removing someone: %d, want 403", status)
	}
	var out struct{ Error string }
	if status := lead.do("DELETE", "/api/projects/peer-support/members/lead", nil, &out); status != http.StatusBadRequest {
		t.Fatalf("a lead removing themselves: %d %q, want 400", status, out.Error)
	}
	if status := lead.do("DELETE", "/api/projects/peer-support/members/nobody", nil, nil); status != http.StatusNotFound {
		t.Fatalf("removing a login that does not exist: %d, want 404", status)
	}

	var head struct{ Seq uint64 }
	lead.mustDo(http.StatusOK, "GET", "/api/projects/peer-support", nil, &head)
	var removed struct{ Member struct{ Login, Role string } }
	lead.mustDo(http.StatusOK, "DELETE", "/api/projects/peer-support/members/ben", nil, &removed)
	if removed.Member.Login != "ben" || removed.Member.Role != "coder" {
		t.Fatalf("removed %+v, want ben, who was a coder", removed.Member)
	}
	select {
	case <-lb.done:
	case <-time.After(5 * time.Second):
		t.Fatal("ben's live connection stayed open")
	}
	if lb.closeCode != 1008 {
		t.Fatalf("ben's connection closed with %d, want 1008", lb.closeCode)
	}
	// From the removal on, the hub sends him nothing, not even the
	// removal's own event: only the close.
	for len(lb.msgs) > 0 {
		if m := <-lb.msgs; m.Seq > head.Seq {
			t.Fatalf("ben received %s after his removal", m.Raw)
		}
	}
	if status := ben.do("GET", "/api/projects/peer-support", nil, nil); status != http.StatusNotFound {
		t.Fatalf("ben opening the project after his removal: %d, want 404", status)
	}
	if status := lead.do("DELETE", "/api/projects/peer-support/members/ben", nil, nil); status != http.StatusNotFound {
		t.Fatalf("removing ben twice: %d, want 404", status)
	}
	var codings struct{ Codings []struct{ ID, Coder string } }
	lead.mustDo(http.StatusOK, "GET", "/api/projects/peer-support/codings?coder="+benID, nil, &codings)
	kept := false
	for _, c := range codings.Codings {
		kept = kept || c.ID == mine
	}
	if !kept {
		t.Fatal("ben's coding went with him")
	}

	lead.mustDo(http.StatusOK, "PUT", "/api/projects/peer-support/members/ben", map[string]string{"role": "coder"}, nil)
	ben.mustDo(http.StatusOK, "GET", "/api/projects/peer-support", nil, nil)
}
