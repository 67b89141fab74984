package main

import (
	"archive/zip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/concordqda/concord/coding"
)

// florianGUID is the REFI-QDA GUID of the user "floriansipos" in the
// NVivo sample, who made all of its codings.
const florianGUID = "f93ad076-5ca1-4f46-abf4-b4b67130a6e2"

// refiVariant writes a copy of a sample whose project.qde is changed as r
// says, as another export of the same project by the same people would
// differ: another GUID for a user, another spelling of a name.
func refiVariant(t *testing.T, sample, name string, r *strings.Replacer) string {
	t.Helper()
	zr, err := zip.OpenReader(refiSample(sample))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	entries := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		entries[f.Name] = string(b)
		if f.Name == "project.qde" {
			entries[f.Name] = r.Replace(string(b))
		}
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, zipBytes(t, entries), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// accounts returns the logins in the database, and the login of the coder
// of every coding of project slug.
func accounts(t *testing.T, db, slug string) (logins []string, coders map[string]int) {
	t.Helper()
	st, err := openDB(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	users, err := st.Users()
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]string{}
	for _, u := range users {
		logins = append(logins, u.Login)
		byID[u.ID] = u.Login
	}
	coders = map[string]int{}
	if slug != "" {
		p, err := st.ProjectBySlug(slug)
		if err != nil {
			t.Fatal(err)
		}
		cs, err := st.Codings(p.ID, coding.CodingFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			coders[byID[c.CoderID]]++
		}
	}
	return logins, coders
}

// The same person, in several NVivo files under other GUIDs and names,
// stays one account: matched by name, then by the GUID the account
// remembers, then by --map-user. No "-2" accounts appear.
func TestImportMatchesUsersAcrossFiles(t *testing.T) {
	db := filepath.Join(t.TempDir(), "users.db")
	mustRun(t, "users", "add", "admin", "--password", "administrator", "--admin", "--db", db)
	mustRun(t, "import", "--project", "one", refiSample("oltas.qdpx"), "--db", db)
	before, coders := accounts(t, db, "one")
	if coders["floriansipos"] == 0 {
		t.Fatalf("the sample's codings are by %v, want some by floriansipos", coders)
	}
	const otherGUID = "0f0f0f0f-0000-4000-8000-00000000a001"
	const thirdGUID = "0f0f0f0f-0000-4000-8000-00000000a002"
	sameName := refiVariant(t, "oltas.qdpx", "b.qdpx", strings.NewReplacer(florianGUID, otherGUID))
	renamed := refiVariant(t, "oltas.qdpx", "c.qdpx", strings.NewReplacer(florianGUID, otherGUID, `name="floriansipos"`, `name="fs"`))
	unknown := refiVariant(t, "oltas.qdpx", "d.qdpx", strings.NewReplacer(florianGUID, thirdGUID, `name="floriansipos"`, `name="F. Sipos"`))
	tests := []struct {
		name, project string
		args          []string
		say           string
	}{
		{"the same file again", "again", []string{refiSample("oltas.qdpx")}, ""},
		{"another GUID, the same name", "two", []string{sameName}, `User "floriansipos" of the files is floriansipos (same name).`},
		{"that file again", "three", []string{sameName}, ""},
		{"the remembered GUID, another name", "four", []string{renamed}, `User "fs" of the files is floriansipos (imported under the same GUID before).`},
		{"--map-user", "five", []string{"--map-user", "F. Sipos=floriansipos", unknown}, `User "F. Sipos" of the files is floriansipos (--map-user).`},
	}
	for _, tt := range tests {
		out := mustRun(t, append([]string{"import", "--project", tt.project, "--db", db}, tt.args...)...)
		if tt.say != "" && !strings.Contains(out, tt.say) {
			t.Errorf("%s: output lacks %q:\n%s", tt.name, tt.say, out)
		}
		if strings.Contains(out, "Added") {
			t.Errorf("%s: created accounts:\n%s", tt.name, out)
		}
		logins, got := accounts(t, db, tt.project)
		if strings.Join(logins, ",") != strings.Join(before, ",") {
			t.Errorf("%s: accounts %q, want %q", tt.name, logins, before)
		}
		if got["floriansipos"] != coders["floriansipos"] {
			t.Errorf("%s: %d codings by floriansipos, want %d (all: %v)", tt.name, got["floriansipos"], coders["floriansipos"], got)
		}
	}
}

// --map-user names a user of the files and an account; either unknown,
// or a malformed flag, is an error that says which, and nothing is stored.
func TestImportMapUserErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "users.db")
	mustRun(t, "users", "add", "admin", "--password", "administrator", "--admin", "--db", db)
	tests := []struct {
		flag, want string
	}{
		{"Nobody=admin", `the files name no user "Nobody"; they name "Gergo", "floriansipos"`},
		{"Gergo=nosuch", `there is no account with the login "nosuch"`},
		{"Gergo", "must look like NAME=LOGIN"},
		{"=admin", "names no user"},
		{"Gergo=Not A Login", "login"},
	}
	for _, tt := range tests {
		_, _, err := run(t, "", "import", "--project", "mapped", "--map-user", tt.flag, refiSample("oltas.qdpx"), "--db", db)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("import --map-user %q: error %v, want one saying %q", tt.flag, err, tt.want)
		}
	}
	st, err := openDB(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.ProjectBySlug("mapped"); coding.ErrorCode(err) != coding.ENOTFOUND {
		t.Errorf("a refused import created the project: %v", err)
	}
}

func FuzzParseUserMapping(f *testing.F) {
	for _, s := range []string{"Gergo=gergo", "A=B=c", "=x", "x=", "", "Pethő Gergely = petho.g"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		name, login, err := parseUserMapping(s)
		if err != nil {
			return
		}
		if name == "" || strings.Contains(login, "=") || (&coding.User{Login: login, Name: name}).Validate() != nil {
			t.Fatalf("parseUserMapping(%q) = %q, %q: accepted what it should refuse", s, name, login)
		}
		n2, l2, err := parseUserMapping(name + "=" + login)
		if err != nil || n2 != name || l2 != login {
			t.Fatalf("parseUserMapping(%q) = %q, %q, %v; want %q, %q", name+"="+login, n2, l2, err, name, login)
		}
	})
}

// A round trip of the demo project into a database where its lead's
// account already exists keeps that account (no "lead-2"), and a member
// who coded nothing is not exported at all.
func TestQDPXRoundTripKeepsTheLeadsLogin(t *testing.T) {
	src := interopDemoDB(t)
	st, err := openDB(src)
	if err != nil {
		t.Fatal(err)
	}
	idle := &coding.User{Login: "idle", Name: "Idle Member"}
	if err := st.CreateUser(idle); err != nil {
		t.Fatal(err)
	}
	p, _ := st.ProjectBySlug("peer-support")
	lead := mustLead(t, st, p.ID)
	if _, err := st.SetMember(coding.Member{ProjectID: p.ID, UserID: idle.ID, Role: coding.RoleCoder}, lead); err != nil {
		t.Fatal(err)
	}
	st.Close()
	dir := t.TempDir()
	file := filepath.Join(dir, "demo.qdpx")
	mustRun(t, "export", "--project", "peer-support", "-o", file, "--db", src)
	if qde := string(zipEntries(t, file)["project.qde"]); strings.Contains(qde, "Idle Member") || !strings.Contains(qde, `id="lead"`) {
		t.Errorf("the export names a member who coded nothing, or not the lead:\n%.600s", qde)
	}
	_, want := accounts(t, src, "peer-support")

	fresh := filepath.Join(dir, "fresh.db")
	mustRun(t, "users", "add", "lead", "--password", "the-lead-pw", "--admin", "--db", fresh)
	out := mustRun(t, "import", "--project", "again", "--lead", "lead", file, "--db", fresh)
	logins, got := accounts(t, fresh, "again")
	for _, l := range logins {
		if strings.HasSuffix(l, "-2") || l == "idle" {
			t.Errorf("accounts after the round trip: %q (output:\n%s)", logins, out)
		}
	}
	if got["lead"] != want["lead"] || want["lead"] == 0 {
		t.Errorf("%d codings by lead after the round trip, want %d (all: %v)", got["lead"], want["lead"], got)
	}
}

// An account matched by name remembers the file's GUID on disk.
func TestImportRemembersUserGUIDs(t *testing.T) {
	db := filepath.Join(t.TempDir(), "users.db")
	mustRun(t, "users", "add", "floriansipos", "--password", "florian-password", "--admin", "--db", db)
	mustRun(t, "import", "--project", "one", refiSample("oltas.qdpx"), "--db", db)
	st, err := openDB(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	u, err := st.UserByLogin("floriansipos")
	if err != nil {
		t.Fatal(err)
	}
	if !u.HasRefiID(florianGUID) || len(u.PasswordHash) == 0 {
		t.Errorf("floriansipos = %+v, want the REFI GUID %s kept and the password unchanged", u, florianGUID)
	}
}

// The command line prints what a lenient import left out, and stores a
// comment on an uncoded selection as a memo anchored to its span.
func TestCLIImportWarnsAndKeepsCommentSpans(t *testing.T) {
	text := "First line.\r\nThe rent is too high.\r\n"
	qde := `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Lenient" origin="ATLAS.ti 23">
 <Users><User guid="00000000-0000-4000-8000-0000000000a1" name="Ana"/></Users>
 <CodeBook><Codes><Code guid="00000000-0000-4000-8000-0000000000c1" name="Costs / rent" isCodable="true"/></Codes></CodeBook>
 <Sources><TextSource guid="00000000-0000-4000-8000-0000000000d1" name="Interview" plainTextPath="internal://s.txt">
  <PlainTextSelection guid="00000000-0000-4000-8000-0000000000e1" startPosition="12" endPosition="20">
   <Coding guid="00000000-0000-4000-8000-0000000000f1" creatingUser="00000000-0000-4000-8000-0000000000a1"><CodeRef targetGUID="00000000-0000-4000-8000-0000000000c1"/></Coding>
   <Coding guid="00000000-0000-4000-8000-0000000000f2" creatingUser="00000000-0000-4000-8000-0000000000a1"><CodeRef targetGUID="00000000-0000-4000-8000-0000000000ff"/></Coding>
  </PlainTextSelection>
  <PlainTextSelection guid="00000000-0000-4000-8000-0000000000e2" startPosition="16" endPosition="32" creatingUser="00000000-0000-4000-8000-0000000000b9">
   <Description>Too high for whom?</Description>
  </PlainTextSelection>
 </TextSource></Sources>
</Project>`
	file := filepath.Join(t.TempDir(), "lenient.qdpx")
	if err := os.WriteFile(file, zipBytes(t, map[string]string{"project.qde": qde, "sources/s.txt": text}), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "l.db")
	mustRun(t, "users", "add", "admin", "--password", "administrator", "--admin", "--db", db)
	_, stderr, err := run(t, "", "import", "--project", "lenient", file, "--db", db)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, stderr)
	}
	for _, want := range []string{"00000000-0000-4000-8000-0000000000ff", "00000000-0000-4000-8000-0000000000b9"} {
		if !strings.Contains(stderr, "warning: "+file+": ") || !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks a warning naming %s:\n%s", want, stderr)
		}
	}
	st, err := openDB(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p, err := st.ProjectBySlug("lenient")
	if err != nil {
		t.Fatal(err)
	}
	d, err := st.ProjectData(p.ID, coding.CodingFilter{})
	if err != nil {
		t.Fatal(err)
	}
	doc := d.Documents[0].Text
	if len(d.Codings) != 1 || coding.Slice(doc, d.Codings[0].Start, d.Codings[0].End) != "The rent" || d.Codes[0].Name != "Costs / rent" {
		t.Errorf("codings %+v of codes %+v, want one of \"The rent\" by Costs / rent", d.Codings, d.Codes)
	}
	if len(d.Memos) != 1 || coding.Slice(doc, d.Memos[0].Start, d.Memos[0].End) != "rent is too high" {
		t.Errorf("memos %+v, want one anchored to \"rent is too high\"", d.Memos)
	}
}

// The HTTP import answers with the warnings of what it renamed, and keeps
// a code name with "/" exactly; its path escapes the slash.
func TestImportHTTPWarnsAndKeepsCodeNames(t *testing.T) {
	ts := startServer(t)
	lead := ts.login(t, "lead", DemoPassword)
	qdc := `<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
 <Code guid="00000000-0000-4000-8000-0000000000c1" name="Rejection / Antipathy" isCodable="true">
  <Code guid="00000000-0000-4000-8000-0000000000c2" name="Family" isCodable="true"/>
  <Code guid="00000000-0000-4000-8000-0000000000c3" name="family" isCodable="true"/>
 </Code>
</Codes></CodeBook>`
	status, out := lead.upload("peer-support", []uploadFile{{"book.qdc", []byte(qdc)}}, nil, nil)
	if status != 201 {
		t.Fatalf("status %d: %v", status, out)
	}
	warnings, _ := out["warnings"].([]any)
	if len(warnings) != 1 || !strings.Contains(warnings[0].(string), `book.qdc: a second code named "family"`) {
		t.Errorf("warnings = %v, want one naming book.qdc and the renamed code", out["warnings"])
	}
	_, codes := projectShape(t, ts, "peer-support")
	for _, want := range []string{`Rejection \/ Antipathy`, `Rejection \/ Antipathy › Family`, `Rejection \/ Antipathy › family (2)`} {
		found := false
		for _, c := range codes {
			found = found || c == want
		}
		if !found {
			t.Errorf("code paths %q lack %q", codes, want)
		}
	}
	status, out = lead.upload("peer-support", []uploadFile{{"notes.txt", []byte("Plain notes\n")}}, nil, nil)
	if w, ok := out["warnings"].([]any); status != 201 || !ok || len(w) != 0 {
		t.Errorf("a clean import: status %d, warnings %v, want 201 and []", status, out["warnings"])
	}
}
