package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/concordqda/concord/coding"
)

// A coder named in a query (?coder= of an export, ?coders= and ?a=/?b= of
// the agreement, coder_a and coder_b of a decision) resolves among the
// project's layers only: its members, someone removed whose codings are
// still in it, and the consensus layer. Any other user of the server gets
// the answer a login that exists nowhere gets, so no route tells who has
// an account.
func TestCodersResolveAmongTheProjectsLayers(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	lead := ts.login(t, "lead", DemoPassword)
	ids := lead.demo()
	zoe := &coding.User{Login: "zoe", Name: "Zoe, of another project"}
	if err := ts.Store.CreateUser(zoe); err != nil {
		t.Fatal(err)
	}
	gone := ts.sessionFor(t, "gone", ids.Project, coding.RoleCoder)
	gone.mustDo(http.StatusCreated, "POST", "/api/projects/peer-support/codings", map[string]any{"document": ids.Doc, "code": ids.Codes[0], "start": 0, "end": 5}, nil)
	lead.mustDo(http.StatusOK, "DELETE", "/api/projects/peer-support/members/gone", nil, nil)
	goneUser, _ := ts.Store.UserByLogin("gone")
	ana, _ := ts.Store.UserByLogin("ana")

	routes := []struct {
		name string
		send func(coder, id string) (int, string)
	}{
		{"export ?coder=", func(coder, _ string) (int, string) {
			status, _, body := lead.get("/api/projects/peer-support/export?format=csv&coder=" + url.QueryEscape(coder))
			return status, string(body)
		}},
		{"agreement ?coders=", func(coder, _ string) (int, string) {
			status, _, body := lead.get("/api/projects/peer-support/agreement?bootstrap=0&coders=ana," + url.QueryEscape(coder))
			return status, string(body)
		}},
		{"disagreements ?b=", func(coder, _ string) (int, string) {
			status, _, body := lead.get("/api/projects/peer-support/agreement/disagreements?code=" + ids.Codes[0] + "&a=ana&b=" + url.QueryEscape(coder))
			return status, string(body)
		}},
		{"decision coder_b", func(_, id string) (int, string) {
			var raw map[string]any
			status := lead.do("PUT", "/api/projects/peer-support/decisions", decisionCase(ids, ids.Codes[0], ana.ID, id, 0, 5), &raw)
			msg, _ := raw["error"].(string)
			return status, msg
		}},
	}
	const nobodyID = "0b0b0b0b-0000-4000-8000-000000000000"
	for _, r := range routes {
		_, unknown := r.send("nobody-here", nobodyID)
		unknown = strings.ReplaceAll(unknown, "nobody-here", "REF")
		unknown = strings.ReplaceAll(unknown, nobodyID, "ID")
		for _, tt := range []struct {
			name, coder, id string
			want            int
		}{
			{"a user of another project", "zoe", zoe.ID, http.StatusBadRequest},
			{"a removed member with codings", "gone", goneUser.ID, http.StatusOK},
			{"a member", "ben", "", http.StatusOK},
		} {
			id := tt.id
			if id == "" {
				u, _ := ts.Store.UserByLogin(tt.coder)
				id = u.ID
			}
			status, body := r.send(tt.coder, id)
			if status != tt.want {
				t.Errorf("%s, %s (%s) = %d %.200s, want %d", r.name, tt.name, tt.coder, status, body, tt.want)
			}
			if tt.want != http.StatusBadRequest {
				continue
			}
			body = strings.ReplaceAll(strings.ReplaceAll(body, tt.coder, "REF"), id, "ID")
			if body != unknown {
				t.Errorf("%s, %s = %.200s; want the answer of a login that does not exist: %s", r.name, tt.name, body, unknown)
			}
		}
	}
}
