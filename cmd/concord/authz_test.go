package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/concordqda/concord/coding"
	"github.com/concordqda/concord/server"
	"github.com/gorilla/websocket"
)

// authzReq is one request of the authorization walk: a valid one, so that
// a caller who is allowed must get what want says.
type authzReq struct {
	method, path string
	body         any    // JSON body; nil sends none
	upload       string // a file to import (multipart), instead of body
	// want is the status an allowed caller gets; 0 means any 2xx.
	// wantText must then be in the answer.
	want     int
	wantText string
	// throwaway sends a second session of the caller's user instead of
	// the caller's own (for sign-out, which ends the session it is sent
	// with).
	throwaway bool
	// live dials the websocket instead of sending a plain request.
	live bool
	// origin replaces the Origin header, our own by default.
	origin string
}

// authzRow is who may use a route and the request that tries it.
type authzRow struct {
	access string
	req    func(f *authzFixture) authzReq
}

// authzGet is a row's request for a GET of path.
func authzGet(path string) func(*authzFixture) authzReq {
	return func(f *authzFixture) authzReq { return authzReq{method: "GET", path: f.fill(path)} }
}

// authzJSON is a row's request with a JSON body.
func authzJSON(method, path string, body func(f *authzFixture) any) func(*authzFixture) authzReq {
	return func(f *authzFixture) authzReq {
		return authzReq{method: method, path: f.fill(path), body: body(f)}
	}
}

// authzTable says who may use each API route and how to call it. Every
// route the server registers must have a row: a new route without one
// fails the test.
var authzTable = map[string]authzRow{
	"GET /api/health": {"public", authzGet("/api/health")},
	"GET /healthz":    {"public", authzGet("/healthz")},
	"POST /api/login": {"public", authzJSON("POST", "/api/login", func(f *authzFixture) any {
		return map[string]string{"login": "ana", "password": DemoPassword}
	})},
	"POST /api/logout": {"user", func(f *authzFixture) authzReq {
		return authzReq{method: "POST", path: "/api/logout", body: map[string]any{}, throwaway: true}
	}},
	"GET /api/me": {"user", authzGet("/api/me")},
	// A wrong current password: the handler's own refusal (403 with its
	// message) shows the caller got through, without ending any session.
	"POST /api/me/password": {"user", func(f *authzFixture) authzReq {
		return authzReq{method: "POST", path: "/api/me/password", body: map[string]string{"current": "not-the-password", "new": "a new password 1"},
			want: http.StatusForbidden, wantText: "current password is not right"}
	}},
	"GET /api/projects": {"user", authzGet("/api/projects")},
	"POST /api/projects": {"admin", authzJSON("POST", "/api/projects", func(f *authzFixture) any {
		return map[string]string{"name": "Authz " + f.tag}
	})},
	"GET /api/backup":         {"admin", authzGet("/api/backup")},
	"GET /api/projects/{pid}": {"read", authzGet("/api/projects/{pid}")},
	"PATCH /api/projects/{pid}": {"lead", authzJSON("PATCH", "/api/projects/{pid}", func(f *authzFixture) any {
		return map[string]string{"description": "walked by " + f.tag}
	})},
	"GET /api/projects/{pid}/members": {"read", authzGet("/api/projects/{pid}/members")},
	"PUT /api/projects/{pid}/members/{login}": {"lead", authzJSON("PUT", "/api/projects/{pid}/members/extra", func(f *authzFixture) any {
		return map[string]string{"role": "viewer"}
	})},
	"DELETE /api/projects/{pid}/members/{login}": {"lead", func(f *authzFixture) authzReq {
		return authzReq{method: "DELETE", path: f.fill("/api/projects/{pid}/members/{member}")}
	}},
	"POST /api/projects/{pid}/invitations": {"lead", authzJSON("POST", "/api/projects/{pid}/invitations", func(f *authzFixture) any {
		return map[string]string{"login": "inv-" + f.tag, "role": "viewer"}
	})},
	"GET /api/projects/{pid}/documents": {"read", authzGet("/api/projects/{pid}/documents")},
	"POST /api/projects/{pid}/documents": {"lead", authzJSON("POST", "/api/projects/{pid}/documents", func(f *authzFixture) any {
		return map[string]string{"title": "Added by " + f.tag, "text": "A short text."}
	})},
	"GET /api/projects/{pid}/documents/{did}": {"read", authzGet("/api/projects/{pid}/documents/{did}")},
	"PATCH /api/projects/{pid}/documents/{did}": {"lead", authzJSON("PATCH", "/api/projects/{pid}/documents/{did}", func(f *authzFixture) any {
		return map[string]any{"attributes": map[string]string{"walked": f.tag}}
	})},
	"GET /api/projects/{pid}/documents/{did}/codings": {"read", authzGet("/api/projects/{pid}/documents/{did}/codings")},
	"PATCH /api/projects/{pid}/documents": {"lead", authzJSON("PATCH", "/api/projects/{pid}/documents", func(f *authzFixture) any {
		return map[string]any{"documents": []any{map[string]any{"id": f.did, "sets": []string{"walked " + f.tag}}}}
	})},
	"PUT /api/projects/{pid}/documents/order": {"lead", authzJSON("PUT", "/api/projects/{pid}/documents/order", func(f *authzFixture) any {
		return map[string]any{"order": f.order()}
	})},
	"DELETE /api/projects/{pid}/documents/{did}": {"lead", func(f *authzFixture) authzReq {
		return authzReq{method: "DELETE", path: f.fill("/api/projects/{pid}/documents/{trash}"), wantText: `"trashed"`}
	}},
	"POST /api/projects/{pid}/documents/{did}/restore": {"lead", authzJSON("POST", "/api/projects/{pid}/documents/{restore}/restore", func(f *authzFixture) any {
		return map[string]any{}
	})},
	"GET /api/projects/{pid}/trash": {"lead", authzGet("/api/projects/{pid}/trash")},
	"GET /api/projects/{pid}/codes": {"read", authzGet("/api/projects/{pid}/codes")},
	"POST /api/projects/{pid}/codes": {"lead", authzJSON("POST", "/api/projects/{pid}/codes", func(f *authzFixture) any {
		return map[string]string{"name": "New " + f.tag}
	})},
	"PATCH /api/projects/{pid}/codes/{cid}": {"lead", authzJSON("PATCH", "/api/projects/{pid}/codes/{code}", func(f *authzFixture) any {
		return map[string]string{"description": "patched by " + f.tag}
	})},
	"DELETE /api/projects/{pid}/codes/{cid}": {"lead", func(f *authzFixture) authzReq {
		return authzReq{method: "DELETE", path: f.fill("/api/projects/{pid}/codes/{delete}?codings=delete")}
	}},
	"POST /api/projects/{pid}/codes/{cid}/merge": {"lead", authzJSON("POST", "/api/projects/{pid}/codes/{merge}/merge", func(f *authzFixture) any {
		return map[string]string{"into": f.code}
	})},
	"GET /api/projects/{pid}/codes/{cid}/usage": {"lead", authzGet("/api/projects/{pid}/codes/{code}/usage")},
	"GET /api/projects/{pid}/codings":           {"read", authzGet("/api/projects/{pid}/codings")},
	"POST /api/projects/{pid}/codings": {"code", authzJSON("POST", "/api/projects/{pid}/codings", func(f *authzFixture) any {
		return map[string]any{"document": f.did, "code": f.code, "start": f.offset + 3, "end": f.offset + 8}
	})},
	"PATCH /api/projects/{pid}/codings/{id}": {"code", authzJSON("PATCH", "/api/projects/{pid}/codings/{coding0}", func(f *authzFixture) any {
		return map[string]string{"memo": "patched by " + f.tag}
	})},
	"DELETE /api/projects/{pid}/codings/{id}": {"code", func(f *authzFixture) authzReq {
		return authzReq{method: "DELETE", path: f.fill("/api/projects/{pid}/codings/{coding1}")}
	}},
	"POST /api/projects/{pid}/codings/delete": {"code", authzJSON("POST", "/api/projects/{pid}/codings/delete", func(f *authzFixture) any {
		return map[string][]string{"ids": {f.codings[2]}}
	})},
	"GET /api/projects/{pid}/search":                {"read", authzGet("/api/projects/{pid}/search?q=peer")},
	"GET /api/projects/{pid}/segments":              {"read", authzGet("/api/projects/{pid}/segments")},
	"GET /api/projects/{pid}/analysis/frequencies":  {"read", authzGet("/api/projects/{pid}/analysis/frequencies?by=coder")},
	"GET /api/projects/{pid}/analysis/cooccurrence": {"read", authzGet("/api/projects/{pid}/analysis/cooccurrence")},
	"POST /api/projects/{pid}/autocode": {"code", authzJSON("POST", "/api/projects/{pid}/autocode", func(f *authzFixture) any {
		return map[string]string{"q": "peer", "code": f.code}
	})},
	"GET /api/projects/{pid}/memos": {"read", authzGet("/api/projects/{pid}/memos")},
	"POST /api/projects/{pid}/memos": {"code", authzJSON("POST", "/api/projects/{pid}/memos", func(f *authzFixture) any {
		return map[string]string{"title": "New", "text": "memo by " + f.tag}
	})},
	"PUT /api/projects/{pid}/memos/{id}": {"code", authzJSON("PUT", "/api/projects/{pid}/memos/{memo0}", func(f *authzFixture) any {
		return map[string]string{"title": "Changed", "text": "changed by " + f.tag}
	})},
	"DELETE /api/projects/{pid}/memos/{id}": {"code", func(f *authzFixture) authzReq {
		return authzReq{method: "DELETE", path: f.fill("/api/projects/{pid}/memos/{memo1}")}
	}},
	"GET /api/projects/{pid}/agreement":               {"lead", authzGet("/api/projects/{pid}/agreement?bootstrap=0")},
	"GET /api/projects/{pid}/agreement/disagreements": {"lead", authzGet("/api/projects/{pid}/agreement/disagreements?a=ana&b=ben&code=" + url.QueryEscape("Benefits/Shared lived experience"))},
	"GET /api/projects/{pid}/export":                  {"code", authzGet("/api/projects/{pid}/export?format=json")},
	"GET /api/projects/{pid}/events":                  {"read", authzGet("/api/projects/{pid}/events?since=0")},
	"GET /api/projects/{pid}/live": {"read", func(f *authzFixture) authzReq {
		return authzReq{method: "GET", path: f.fill("/api/projects/{pid}/live?since=0"), live: true,
			want: http.StatusSwitchingProtocols, wantText: `"hello"`}
	}},
	"GET /api/projects/{pid}/decisions": {"lead", authzGet("/api/projects/{pid}/decisions?document={did}")},
	"PUT /api/projects/{pid}/decisions": {"lead", authzJSON("PUT", "/api/projects/{pid}/decisions", func(f *authzFixture) any {
		return map[string]any{"key": "walk|" + f.tag + "|put", "document": f.did, "code": f.code, "coder_a": f.lead, "coder_b": coding.ConsensusCoder,
			"start": f.offset + 3, "end": f.offset + 8, "decided": coding.DecisionRejected}
	})},
	"DELETE /api/projects/{pid}/decisions": {"lead", func(f *authzFixture) authzReq {
		return authzReq{method: "DELETE", path: f.fill("/api/projects/{pid}/decisions?key={decision}"), want: http.StatusOK, wantText: `"decided":"rejected"`}
	}},
	"GET /api/projects/{pid}/assignments": {"read", authzGet("/api/projects/{pid}/assignments")},
	"PUT /api/projects/{pid}/assignments": {"lead", authzJSON("PUT", "/api/projects/{pid}/assignments", func(f *authzFixture) any {
		return map[string]any{"coders": []string{"ana"}, "documents": []string{f.did}}
	})},
	"POST /api/projects/{pid}/assignments/clear": {"lead", func(f *authzFixture) authzReq {
		return authzReq{method: "POST", path: f.fill("/api/projects/{pid}/assignments/clear"), body: map[string]any{"coders": []string{f.lead}, "documents": []string{f.did}},
			wantText: `"cleared"`}
	}},
	"PUT /api/projects/{pid}/documents/{did}/done": {"code", func(f *authzFixture) authzReq {
		return authzReq{method: "PUT", path: f.fill("/api/projects/{pid}/documents/{did}/done"), body: map[string]any{}, wantText: `"done":true`}
	}},
	"DELETE /api/projects/{pid}/documents/{did}/done": {"code", func(f *authzFixture) authzReq {
		return authzReq{method: "DELETE", path: f.fill("/api/projects/{pid}/documents/{did}/done"), wantText: `"done":false`}
	}},
	"POST /api/projects/{pid}/import": {"lead", func(f *authzFixture) authzReq {
		return authzReq{method: "POST", path: f.fill("/api/projects/{pid}/import"), upload: "imported-" + f.tag + ".txt"}
	}},
}

// authzFixture is what one caller's walk works on: fresh codes, codings
// and memos, so that each allowed write succeeds on its own target.
type authzFixture struct {
	tag            string // the caller, for names
	pid, did       string
	code           string // patched, merged into, coded with
	deleteCode     string
	mergeCode      string
	codings, memos []string // in the caller's layer (the lead's for callers without one)
	member         string   // the login of a member the caller may try to remove
	offset         int      // where the caller's new coding starts
	lead           string   // the lead's user id
	decision       string   // the key of a decision to clear
	trash, restore string   // documents to delete, and one in the trash to restore
	order          func() []string
}

func (f *authzFixture) fill(path string) string {
	r := strings.NewReplacer("{pid}", f.pid, "{did}", f.did, "{code}", f.code, "{delete}", f.deleteCode, "{merge}", f.mergeCode,
		"{member}", f.member, "{coding0}", f.codings[0], "{coding1}", f.codings[1], "{memo0}", f.memos[0], "{memo1}", f.memos[1],
		"{decision}", url.QueryEscape(f.decision), "{trash}", f.trash, "{restore}", f.restore)
	return r.Replace(path)
}

// authzCaller is one kind of caller: its cookies (none when anonymous) and
// its user.
type authzCaller struct {
	kind    string
	userID  string
	cookies []*http.Cookie
}

// newAuthzFixture makes a caller's targets through the store.
func (ts *testServer) newAuthzFixture(t testing.TB, c authzCaller, pid, did, leadID string, n int) *authzFixture {
	t.Helper()
	f := &authzFixture{tag: strings.ReplaceAll(c.kind, " ", "-"), pid: pid, did: did, offset: 10 * n}
	owner := leadID
	if c.kind == "coder" || c.kind == "blind coder" || c.kind == "lead" {
		owner = c.userID
	}
	for i, p := range []*string{&f.code, &f.deleteCode, &f.mergeCode} {
		cd := &coding.Code{ProjectID: pid, Name: fmt.Sprintf("Walk %s %d", f.tag, i), Codable: true}
		if _, err := ts.Store.CreateCode(cd, leadID); err != nil {
			t.Fatal(err)
		}
		*p = cd.ID
	}
	for i := 0; i < 3; i++ {
		cd := &coding.Coding{ProjectID: pid, DocumentID: did, CodeID: f.code, CoderID: owner, Start: 500 + f.offset + i, End: 503 + f.offset + i}
		if _, err := ts.Store.AddCoding(cd, owner); err != nil {
			t.Fatal(err)
		}
		f.codings = append(f.codings, cd.ID)
	}
	f.member = "walk-" + f.tag
	u := &coding.User{Login: f.member, Name: "Walk " + f.tag}
	if err := ts.Store.CreateUser(u); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.Store.SetMember(coding.Member{ProjectID: pid, UserID: u.ID, Role: coding.RoleViewer}, leadID); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		m := &coding.Memo{ProjectID: pid, AuthorID: owner, Title: "Walk", Text: fmt.Sprintf("memo %d of %s", i, f.tag)}
		if _, err := ts.Store.SaveMemo(m, owner); err != nil {
			t.Fatal(err)
		}
		f.memos = append(f.memos, m.ID)
	}
	f.lead = leadID
	d := &coding.Decision{Key: "walk|" + f.tag + "|clear", Document: did, Code: f.code, CoderA: leadID, CoderB: coding.ConsensusCoder,
		Start: 500 + f.offset, End: 503 + f.offset, Decided: coding.DecisionRejected}
	if _, err := ts.Store.SetDecision(pid, d, leadID); err != nil {
		t.Fatal(err)
	}
	f.decision = d.Key
	if _, _, err := ts.Store.Assign(pid, coding.AssignRequest{Coders: []string{leadID}, Documents: []string{did}}, leadID); err != nil {
		t.Fatal(err)
	}
	for i, id := range []*string{&f.trash, &f.restore} {
		d := &coding.Document{ProjectID: pid, Title: fmt.Sprintf("Walk %s %d", f.tag, i), Text: "A text to delete."}
		if _, err := ts.Store.AddDocument(d, leadID); err != nil {
			t.Fatal(err)
		}
		*id = d.ID
	}
	if _, _, err := ts.Store.DeleteDocument(pid, f.restore, leadID); err != nil {
		t.Fatal(err)
	}
	f.order = func() []string {
		docs, err := ts.Store.Documents(pid)
		if err != nil {
			t.Error(err)
		}
		ids := make([]string, len(docs))
		for i, d := range docs {
			ids[len(docs)-1-i] = d.ID
		}
		return ids
	}
	return f
}

// authzWalkStart readies the demo project for a walk of the routes: it
// returns the project, its documents and its lead, and creates "extra",
// the user PUT …/members/{login} adds.
func (ts *testServer) authzWalkStart(t testing.TB) (*coding.Project, []coding.Document, *coding.User) {
	t.Helper()
	p, err := ts.Store.ProjectBySlug("peer-support")
	if err != nil {
		t.Fatal(err)
	}
	docs, _ := ts.Store.Documents(p.ID)
	lead, _ := ts.Store.UserByLogin("lead")
	if err := ts.Store.CreateUser(&coding.User{Login: "extra", Name: "Extra"}); err != nil {
		t.Fatal(err)
	}
	return p, docs, lead
}

// allowedFor says whether a caller kind may use a route of an access level.
func allowedFor(caller, access string) bool {
	switch access {
	case "public":
		return true
	case "user":
		return caller != "anonymous"
	case "admin":
		return caller == "lead" // the demo lead is the administrator
	}
	level := map[string]int{"read": 0, "code": 1, "lead": 2}[access]
	role := map[string]int{"viewer": 0, "coder": 1, "blind coder": 1, "lead": 2}
	r, member := role[caller]
	return member && r >= level
}

// deniedStatus is how the server refuses a caller a route: 401 without a
// session, 404 (as for a project that does not exist) for a project the
// caller is not a member of, 403 otherwise.
func deniedStatus(caller, access string) (int, string) {
	switch {
	case caller == "anonymous":
		return http.StatusUnauthorized, "sign in"
	case caller == "stranger" && access != "admin" && access != "user":
		return http.StatusNotFound, "there is no project"
	}
	return http.StatusForbidden, ""
}

// TestAuthorizationTable walks every API route, and the websocket, as
// each kind of caller and checks that each is allowed (and gets a real
// answer) or refused as the table says.
func TestAuthorizationTable(t *testing.T) {
	t.Parallel()
	routes := apiRoutes()
	for _, r := range routes {
		if row, ok := authzTable[r.Pattern]; !ok {
			t.Errorf("route %q has no row in authzTable", r.Pattern)
		} else if row.access != r.Access {
			t.Errorf("route %q: the server declares %q, the table says %q", r.Pattern, r.Access, row.access)
		}
	}
	if len(routes) != len(authzTable) {
		t.Errorf("the server has %d routes, the table %d rows", len(routes), len(authzTable))
	}

	ts := startServer(t)
	p, docs, lead := ts.authzWalkStart(t)
	ana, _ := ts.Store.UserByLogin("ana")
	// A viewer of the demo, and a stranger who leads another project only.
	viewer := ts.sessionFor(t, "vera", p.ID, coding.RoleViewer)
	stranger := ts.sessionFor(t, "sam", "", "")
	sam, _ := ts.Store.UserByLogin("sam")
	if _, err := ts.Store.CreateProject(&coding.Project{Slug: "other", Name: "Other"}, sam.ID); err != nil {
		t.Fatal(err)
	}
	base, _ := url.Parse(ts.URL)
	callers := []authzCaller{
		{kind: "anonymous"},
		{kind: "viewer", userID: viewer.userID(t), cookies: viewer.http.Jar.Cookies(base)},
		{kind: "coder", userID: ana.ID, cookies: ts.login(t, "ana", DemoPassword).http.Jar.Cookies(base)},
		{kind: "lead", userID: lead.ID, cookies: ts.login(t, "lead", DemoPassword).http.Jar.Cookies(base)},
		{kind: "stranger", userID: sam.ID, cookies: stranger.http.Jar.Cookies(base)},
	}
	walk := func(n int, c authzCaller) {
		f := ts.newAuthzFixture(t, c, p.ID, docs[0].ID, lead.ID, n)
		for _, r := range routes {
			req := authzTable[r.Pattern].req(f)
			var status int
			var body string
			if req.live {
				status, body = ts.dialAs(t, c, req.path)
			} else {
				status, body = ts.send(t, c, req)
			}
			where := fmt.Sprintf("%s %s %s", c.kind, req.method, req.path)
			if status >= 500 {
				t.Errorf("%s: status %d %s", where, status, body)
				continue
			}
			access := authzTable[r.Pattern].access
			if allowedFor(c.kind, access) {
				switch {
				case req.want != 0 && (status != req.want || !strings.Contains(body, req.wantText)):
					t.Errorf("%s: status %d %s; want %d with %q", where, status, body, req.want, req.wantText)
				case req.want == 0 && (status < 200 || status > 299):
					t.Errorf("%s: status %d %s; want it allowed (2xx)", where, status, body)
				}
				continue
			}
			if want, text := deniedStatus(c.kind, access); status != want || !strings.Contains(body, text) {
				t.Errorf("%s: status %d %s; want it refused with %d %q", where, status, body, want, text)
			}
		}
	}
	for i, c := range callers {
		walk(i, c)
	}
	// The same coder in a blind project: the same routes, less content.
	bp := *p
	bp.Blind = true
	if _, err := ts.Store.UpdateProject(&bp, lead.ID); err != nil {
		t.Fatal(err)
	}
	blind := callers[2]
	blind.kind = "blind coder"
	walk(len(callers), blind)

	// Paths under /api/ that are not routes answer 404, whoever asks:
	// nothing is served there outside the table.
	for _, c := range callers {
		for _, probe := range []string{"GET /api/users", "GET /api/admin", "DELETE /api/projects/" + p.ID,
			"GET /api/projects/" + p.ID + "/secrets", "PUT /api/me", "POST /api/health", "GET /api/projects/" + p.ID + "/codings/x/y"} {
			method, path, _ := strings.Cut(probe, " ")
			if status, body := ts.send(t, c, authzReq{method: method, path: path}); status != http.StatusNotFound || !strings.Contains(body, "there is no API route") {
				t.Errorf("%s %s: status %d %s; want 404, no such route", c.kind, probe, status, body)
			}
		}
	}
}

// send sends one request of the walk with the caller's cookies (and no
// cookie jar: a sign-in must not change who the caller is) and returns
// the status and the start of the answer.
func (ts *testServer) send(t testing.TB, c authzCaller, r authzReq) (int, string) {
	t.Helper()
	var body io.Reader
	contentType := ""
	switch {
	case r.upload != "":
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		w, _ := mw.CreateFormFile("file", r.upload)
		w.Write([]byte("An imported interview.\n"))
		mw.Close()
		body, contentType = &b, mw.FormDataContentType()
	case r.body != nil:
		data, err := json.Marshal(r.body)
		if err != nil {
			t.Fatal(err)
		}
		body, contentType = bytes.NewReader(data), "application/json"
	}
	req, err := http.NewRequest(r.method, ts.URL+r.path, body)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if r.upload != "" {
		req.Header.Set("X-Concord-Upload", "1")
	}
	req.Header.Set("Origin", ts.URL)
	if r.origin != "" {
		req.Header.Set("Origin", r.origin)
	}
	cookies := c.cookies
	if r.throwaway && c.userID != "" {
		token, _, err := ts.Store.CreateSession(c.userID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		cookies = []*http.Cookie{{Name: server.SessionCookie, Value: token}}
	}
	for _, ck := range cookies {
		req.AddCookie(ck)
	}
	resp, err := (&http.Client{Timeout: 60 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	return resp.StatusCode, string(data)
}

// dialAs opens the websocket at path for real, as a browser page of this
// server would (the caller's cookie, our Origin), and returns the status
// of the handshake: 101 once the hello has arrived.
func (ts *testServer) dialAs(t testing.TB, c authzCaller, path string) (int, string) {
	t.Helper()
	h := http.Header{"Origin": {ts.URL}}
	for _, ck := range c.cookies {
		h.Add("Cookie", ck.String())
	}
	d := websocket.Dialer{HandshakeTimeout: 10 * time.Second}
	conn, resp, err := d.Dial(strings.Replace(ts.URL, "http://", "ws://", 1)+path, h)
	if err != nil {
		if resp == nil {
			t.Fatalf("%s: dial %s: %v", c.kind, path, err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return resp.StatusCode, string(data)
	}
	defer conn.Close()
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, msg, err := conn.ReadMessage()
	if err != nil || !strings.Contains(string(msg), `"hello"`) {
		return 599, fmt.Sprintf("the websocket opened but sent no hello: %v %s", err, msg)
	}
	return resp.StatusCode, string(msg)
}

func (c *apiClient) userID(t testing.TB) string {
	var me struct{ User coding.User }
	c.mustDo(http.StatusOK, "GET", "/api/me", nil, &me)
	return me.User.ID
}

// sessionFor creates a user (a member of project with role, unless
// project is "") and a client signed in through a session made in the
// store: bcrypt makes real sign-ins slow, and sign-in has its own tests.
func (ts *testServer) sessionFor(t testing.TB, login, project string, role coding.Role) *apiClient {
	t.Helper()
	u := &coding.User{Login: login, Name: login}
	if err := ts.Store.CreateUser(u); err != nil {
		t.Fatal(err)
	}
	if project != "" {
		if _, err := ts.Store.SetMember(coding.Member{ProjectID: project, UserID: u.ID, Role: role}, u.ID); err != nil {
			t.Fatal(err)
		}
	}
	token, _, err := ts.Store.CreateSession(u.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	base, _ := url.Parse(ts.URL)
	jar.SetCookies(base, []*http.Cookie{{Name: "concord_session", Value: token, Path: "/"}})
	return &apiClient{t: t, base: ts.URL, http: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}
