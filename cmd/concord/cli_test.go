package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/concordqda/concord/cmd/internal/cli"
	"github.com/concordqda/concord/coding"
	"github.com/concordqda/concord/store"
)

// run runs the concord command line through Main and returns its output.
func run(t testing.TB, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb syncBuffer
	m := &Main{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }, BcryptCost: testBcryptCost}
	err = m.Run(context.Background(), args)
	return out.String(), errb.String(), err
}

func mustRun(t testing.TB, args ...string) string {
	t.Helper()
	out, errOut, err := run(t, "", args...)
	if err != nil {
		t.Fatalf("concord %s: %v\n%s", strings.Join(args, " "), err, errOut)
	}
	return out
}

func writeFiles(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCLIUsersProjectsImport(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	mustRun(t, "users", "add", "maya", "--password", "correct horse", "--name", "Maya K", "--db", db)
	mustRun(t, "users", "add", "olu", "--password", "battery staple", "--db", db)
	if out := mustRun(t, "users", "list", "--db", db); !strings.Contains(out, "maya") || !strings.Contains(out, "Maya K") || !strings.Contains(out, "olu") {
		t.Fatalf("users list:\n%s", out)
	}
	mustRun(t, "projects", "create", "harm-reduction", "--name", "Harm reduction study", "--lead", "maya", "--db", db)
	mustRun(t, "users", "grant", "olu", "--project", "harm-reduction", "--role", "coder", "--db", db)

	writeFiles(t, dir, map[string]string{
		"p01.txt": "Interviewer: How was the shift?\r\nP01: Long. We lost someone 💔.\r\n",
		"p02.md":  "# Participant 2, shelter\n\nWe look after each other here.\n",
	})
	out := mustRun(t, "import", "--project", "harm-reduction", "--attr", "site=shelter", "--attr", "wave=1",
		filepath.Join(dir, "p01.txt"), filepath.Join(dir, "p02.md"), "--db", db)
	if !strings.Contains(out, `Imported "p01"`) || !strings.Contains(out, `Imported "Participant 2, shelter"`) {
		t.Fatalf("import output:\n%s", out)
	}
	out = mustRun(t, "projects", "list", "--db", db)
	if !strings.HasPrefix(out, "harm-reduction") || !strings.Contains(out, "2 documents") {
		t.Fatalf("projects list:\n%s", out)
	}

	st, err := openDB(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p, err := st.ProjectBySlug("harm-reduction")
	if err != nil {
		t.Fatal(err)
	}
	docs, _ := st.Documents(p.ID)
	for _, d := range docs {
		if d.Attributes["site"] != "shelter" || d.Attributes["wave"] != "1" {
			t.Errorf("%s: attributes %v", d.Title, d.Attributes)
		}
		full, _ := st.Document(p.ID, d.ID)
		if strings.Contains(full.Text, "\r") {
			t.Errorf("%s: CRLF was not normalized", d.Title)
		}
	}
	u, _ := st.UserByLogin("olu")
	if role, _ := st.Role(p.ID, u.ID); role != coding.RoleCoder {
		t.Errorf("olu's role = %q", role)
	}
}

func TestCLIErrorsNameTheProblemAndChangeNothing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	mustRun(t, "users", "add", "maya", "--password", "correct horse", "--db", db)
	mustRun(t, "projects", "create", "p", "--name", "P", "--lead", "maya", "--db", db)
	writeFiles(t, dir, map[string]string{
		"good.txt":  "fine text\n",
		"bad.txt":   "line one\nline two\nbroken \xff here\n",
		"empty.txt": "   \n",
		"doc.rtf":   "{\\rtf1}",
	})
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"invalid UTF-8 names file and line", []string{"import", "--project", "p", filepath.Join(dir, "good.txt"), filepath.Join(dir, "bad.txt")}, "bad.txt:3: not valid UTF-8"},
		{"empty file", []string{"import", "--project", "p", filepath.Join(dir, "empty.txt")}, "empty.txt: the file is empty"},
		{"missing file", []string{"import", "--project", "p", filepath.Join(dir, "nope.txt")}, "nope.txt: no such file"},
		{"unsupported type", []string{"import", "--project", "p", filepath.Join(dir, "doc.rtf")}, "cannot import .rtf"},
		{"new project without an admin", []string{"import", "--project", "zzz", filepath.Join(dir, "good.txt")}, "no admin to lead it"},
		{"unknown lead", []string{"import", "--project", "zzz", "--lead", "nobody", filepath.Join(dir, "good.txt")}, "--lead: there is no user"},
		{"duplicate login", []string{"users", "add", "maya", "--password", "whatever123"}, "already exists"},
		{"weak password", []string{"users", "add", "kim", "--password", "short"}, "at least 8"},
		{"unknown role", []string{"users", "grant", "maya", "--project", "p", "--role", "boss"}, "lead, coder or viewer"},
		{"bad slug", []string{"projects", "create", "Bad Slug", "--name", "x", "--lead", "maya"}, "lower-case"},
		{"slug shaped like an id", []string{"projects", "create", "6f1c2a3b-0d4e-4f5a-8b6c-7d8e9f0a1b2c", "--name", "x", "--lead", "maya"}, "looks like a project id"},
		{"import into a new project with an id-shaped slug", []string{"import", "--project", "6f1c2a3b0d4e4f5a8b6c7d8e9f0a1b2c", "--lead", "maya", filepath.Join(dir, "good.txt")}, "looks like a project id"},
		{"unknown command", []string{"frobnicate"}, "unknown command"},
		{"bad attr", []string{"import", "--project", "p", "--attr", "novalue", filepath.Join(dir, "good.txt")}, "key=value"},
		{"bad trusted proxy", []string{"serve", "--trusted-proxy", "127.0.0.1, proxy.local"}, `--trusted-proxy "proxy.local" must be an address or a CIDR range`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := run(t, "", append(tt.args, "--db", db)...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
	out := mustRun(t, "projects", "list", "--db", db)
	if !strings.Contains(out, "0 documents") {
		t.Fatalf("failed imports changed the project:\n%s", out)
	}
	if _, _, err := run(t, "", "users", "add"); !errors.As(err, new(cli.UsageError)) {
		t.Errorf("users add without a login: %v, want a usage error", err)
	}
}

func TestCLIPasswdFromStdin(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "c.db")
	mustRun(t, "users", "add", "maya", "--password", "correct horse", "--db", db)
	if _, errOut, err := run(t, "new password 1\n", "users", "passwd", "maya", "--db", db); err != nil {
		t.Fatalf("passwd: %v %s", err, errOut)
	}
}

// A second process on the same file fails at once, naming the file.
func TestSecondProcessGetsAClearError(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	start := time.Now()
	_, _, err := run(t, "", "projects", "list", "--db", ts.DB)
	if err == nil || !strings.Contains(err.Error(), ts.DB) || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("error %v, want one naming %s and saying it is in use", err, ts.DB)
	}
	if time.Since(start) > 10*time.Second {
		t.Fatal("the second process waited too long")
	}
}

// The demo loads once: a second start adds nothing. Both starts name the
// demo accounts and their password.
func TestDemoLoadIsIdempotent(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "c.db")
	type counts struct {
		users, codings int
		seq            uint64
	}
	start := func() counts {
		var got counts
		out := serveOnce(t, db, func(st *store.DB) {
			us, _ := st.Users()
			p, err := st.ProjectBySlug("peer-support")
			if err != nil {
				t.Error(err)
			} else {
				got.codings, _ = st.CountCodings(p.ID)
				got.seq, _ = st.LastSeq(p.ID)
			}
			got.users = len(us)
		})
		for _, want := range []string{"lead", "ana", "ben", DemoPassword} {
			if !strings.Contains(out, want) {
				t.Errorf("the start-up message does not name %q:\n%s", want, out)
			}
		}
		return got
	}
	first := start()
	if first.users != 3 || first.codings < 100 {
		t.Fatalf("after the first start: %+v, want 3 users and the demo codings", first)
	}
	if second := start(); second != first {
		t.Fatalf("the second start changed the database: %+v, then %+v", first, second)
	}
}

// Without the demo, the admin's one-time password is printed at the first
// start only.
func TestNoDemoPasswordShownOnce(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "c.db")
	first := serveOnce(t, db, nil, "--no-demo")
	m := regexp.MustCompile(`admin with the one-time password (\S+)`).FindStringSubmatch(first)
	if m == nil {
		t.Fatalf("the first start printed no password:\n%s", first)
	}
	second := serveOnce(t, db, nil, "--no-demo")
	if strings.Contains(second, m[1]) || strings.Contains(second, "one-time password") || !strings.Contains(second, "Sign in with your account") {
		t.Fatalf("the second start printed:\n%s", second)
	}
}

func TestBenchStoreJSON(t *testing.T) {
	t.Parallel()
	out := mustRun(t, "bench", "store", "--writers", "4", "--duration", "300ms", "--json")
	var res map[string]float64
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("bench store --json printed %q: %v", out, err)
	}
	for _, k := range []string{"writers", "codings", "codings_per_sec", "p50_us", "p99_us"} {
		if _, ok := res[k]; !ok {
			t.Errorf("bench store --json lacks %q: %s", k, out)
		}
	}
	if res["writers"] != 4 || res["codings"] < 1 || res["p99_us"] < res["p50_us"] {
		t.Errorf("implausible figures: %s", out)
	}
}

func TestBenchLiveJSON(t *testing.T) {
	t.Parallel()
	for _, via := range []string{"ws", "http"} {
		t.Run(via, func(t *testing.T) {
			t.Parallel()
			out := mustRun(t, "bench", "live", "--coders", "3", "--duration", "500ms", "--via", via, "--json")
			var res map[string]float64
			var got struct{ Via string }
			if err := json.Unmarshal([]byte(strings.Replace(out, `"via":"`+via+`",`, "", 1)), &res); err != nil {
				t.Fatalf("bench live --json printed %q: %v", out, err)
			}
			if json.Unmarshal([]byte(out), &got); got.Via != via {
				t.Errorf("bench live --via %s reports via %q: %s", via, got.Via, out)
			}
			for _, k := range []string{"coders", "codings_acked", "codings_per_sec", "fanout_p50_ms", "fanout_p99_ms", "fanout_max_ms", "events_missing", "events_duplicated",
				"rss_end_mb", "heap_end_mb", "db_bytes_end"} {
				if _, ok := res[k]; !ok {
					t.Errorf("bench live --json lacks %q: %s", k, out)
				}
			}
			if res["codings_acked"] < 1 || res["events_missing"] != 0 || res["events_duplicated"] != 0 || res["errors"] != 0 {
				t.Errorf("bench live: %s", out)
			}
			// Memory and growth are read off the process and the file (which
			// bbolt grows in steps: a short run may not grow it at all).
			if res["rss_end_mb"] <= 0 || res["rss_max_mb"] < res["rss_end_mb"] || res["db_bytes_end"] < res["db_bytes_start"] || res["db_bytes_per_1000_codings"] < 0 {
				t.Errorf("bench live memory and growth: %s", out)
			}
		})
	}
}

// The load tool drives a running server as one user, and records every
// acknowledged coding before counting it.
func TestBenchLiveAgainstARunningServer(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	acked := filepath.Join(t.TempDir(), "acked.txt")
	out := mustRun(t, "bench", "live", "--url", ts.URL, "--project", "peer-support", "--user", "ana", "--password", "concord-demo",
		"--coders", "2", "--duration", "500ms", "--acked", acked, "--json")
	var res struct {
		CodingsAcked  int `json:"codings_acked"`
		EventsMissing int `json:"events_missing"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(acked)
	if err != nil {
		t.Fatal(err)
	}
	ids := strings.Fields(string(data))
	if len(ids) != res.CodingsAcked || res.CodingsAcked == 0 || res.EventsMissing != 0 {
		t.Fatalf("acked file has %d ids, the tool reported %+v", len(ids), res)
	}
	p, _ := ts.Store.ProjectBySlug("peer-support")
	for _, id := range ids[:min(len(ids), 50)] {
		if _, err := ts.Store.Coding(p.ID, id); err != nil {
			t.Fatalf("acknowledged coding %s is not in the database: %v", id, err)
		}
	}
}

func TestEverySubcommandHasHelp(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"serve", "--help"}, {"import", "--help"}, {"users", "--help"}, {"users", "add", "--help"},
		{"projects", "--help"}, {"projects", "create", "--help"}, {"backup", "--help"},
		{"bench", "--help"}, {"bench", "store", "--help"}, {"bench", "live", "--help"}, {"help"},
		{"agreement", "--help"}, {"reliability", "--help"},
		{"export", "--help"},
	} {
		out, errOut, err := run(t, "", args...)
		if err != nil {
			t.Errorf("concord %s: %v", strings.Join(args, " "), err)
		}
		if !strings.Contains(out+errOut, "Usage") {
			t.Errorf("concord %s printed no usage:\n%s%s", strings.Join(args, " "), out, errOut)
		}
	}
}
