package main

import (
	"archive/zip"
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserTeamAndSettings: a lead starts a project from the UI, adds a
// new coder to the demo project and passes on the one-time password,
// changes a role, turns on blind coding, downloads the project archive and
// a database backup (which `concord restore` accepts), and changes their
// own password.
func TestBrowserTeamAndSettings(t *testing.T) {
	exe := chromiumPath(t)
	t.Parallel()
	ts := startServer(t)
	api := ts.login(t, "lead", DemoPassword)
	b := newBrowser(t, exe, "lead", shotsDir(t, "settings"))
	downloads := t.TempDir()
	b.downloadsTo(downloads)

	b.run("sign in", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#login")),
		chromedp.SendKeys(chromedp.CSS("#login"), "lead"), chromedp.SendKeys(chromedp.CSS("#password"), DemoPassword+"\r"),
		chromedp.WaitVisible(chromedp.CSS("#new-project")))

	// A new project, by keyboard, from the projects page.
	b.run("open the new project dialog", chromedp.Click(chromedp.CSS("#new-project")))
	b.waitFor("the dialog's name field focused", `document.activeElement && document.activeElement.id === "np-name"`, "", 10*time.Second)
	b.run("name it and create", keys("Pilot: shelter staff\r"))
	b.waitFor("the new project's page", `location.pathname === "/p/pilot-shelter-staff"`, `location.pathname`, 10*time.Second)
	// A project without a description shows none: not the word "null".
	b.waitFor("the new project's heading", `document.querySelector("main h1") && document.querySelector("main h1").textContent === "Pilot: shelter staff"`, `document.querySelector("main") && document.querySelector("main").innerText`, 10*time.Second)
	if text, err := eval[string](b, `document.querySelector("main").innerText`); err != nil || strings.Contains(text, "null") {
		t.Errorf("the new project's page reads %q (%v), want no \"null\"", text, err)
	}
	var created struct{ Role string }
	api.mustDo(http.StatusOK, "GET", "/api/projects/pilot-shelter-staff", nil, &created)
	if created.Role != "lead" {
		t.Fatalf("the lead's role in the project they made: %q", created.Role)
	}

	// The demo project's team page.
	b.run("open the demo project's team page", chromedp.Navigate(ts.URL+"/p/peer-support/settings"))
	b.waitFor("the team table", `document.querySelector('tr[data-member="ben"] select')`, "", 10*time.Second)
	b.shot("team")

	// Add a new person: the page shows a one-time password, which works.
	b.run("fill in the new coder", chromedp.SendKeys(chromedp.CSS("#invite-login"), "noor"),
		chromedp.SendKeys(chromedp.CSS("#invite-name"), "Noor Haddad"),
		chromedp.Click(chromedp.CSS("form.invite button[type=submit]")))
	b.waitFor("the one-time password", `document.querySelector("dialog[open] #new-password")`, "", 10*time.Second)
	b.shot("one-time-password")
	password, err := eval[string](b, `document.querySelector("dialog[open] #new-password").value`)
	if err != nil || len(password) < 8 {
		t.Fatalf("one-time password %q (%v)", password, err)
	}
	noor := ts.login(t, "noor", password)
	// The one-time password opens nothing until noor chooses her own.
	noor.mustDo(http.StatusOK, "POST", "/api/me/password", map[string]string{"current": password, "new": "noor's own secret"}, nil)
	noor = ts.login(t, "noor", "noor's own secret")
	var mine struct{ Role string }
	noor.mustDo(http.StatusOK, "GET", "/api/projects/peer-support", nil, &mine)
	if mine.Role != "coder" {
		t.Fatalf("noor joined as %q, want coder", mine.Role)
	}
	b.run("close the dialog", keys("\x1b"))
	b.waitFor("noor in the table", `document.querySelector('tr[data-member="noor"]')`, "", 10*time.Second)

	// Ben becomes a viewer.
	b.run("make ben a viewer", chromedp.SetValue(chromedp.CSS(`tr[data-member="ben"] select`), "viewer"))
	waitAPI(t, "ben to be a viewer", func() bool {
		var ms struct {
			Members []struct{ Login, Role string }
		}
		api.mustDo(http.StatusOK, "GET", "/api/projects/peer-support/members", nil, &ms)
		for _, m := range ms.Members {
			if m.Login == "ben" {
				return m.Role == "viewer"
			}
		}
		return false
	})

	// Blind coding on.
	b.run("tick blind coding and save", chromedp.Click(chromedp.CSS("#set-blind")),
		chromedp.Click(chromedp.CSS(".settings form button[type=submit]")))
	waitAPI(t, "the project to be blind", func() bool {
		var p struct{ Project struct{ Blind bool } }
		api.mustDo(http.StatusOK, "GET", "/api/projects/peer-support", nil, &p)
		return p.Project.Blind
	})
	b.waitFor("the blind tag in the top bar", `[...document.querySelectorAll(".topbar .tag")].some(e => e.textContent === "blind")`, "", 10*time.Second)

	// Noor leaves the project: Remove, then confirm in the dialog.
	b.run("remove noor", chromedp.Click(chromedp.CSS(`tr[data-member="noor"] button.danger`)))
	b.waitFor("the remove dialog", `document.querySelector("dialog[open] button.danger") === document.activeElement`, "", 10*time.Second)
	b.shot("remove-dialog")
	b.run("confirm", keys("\r"))
	b.waitFor("noor gone from the table", `!document.querySelector('tr[data-member="noor"]')`, "", 10*time.Second)
	if status := noor.do("GET", "/api/projects/peer-support", nil, nil); status != http.StatusNotFound {
		t.Fatalf("noor opening the project after her removal: %d, want 404", status)
	}

	// Downloads: the project archive and a backup of the database.
	b.run("download the project", chromedp.Click(chromedp.CSS(`a[data-format="qdpx"]`)))
	qdpx := b.waitDownload(downloads, ".qdpx")
	zr, err := zip.NewReader(bytes.NewReader(qdpx), int64(len(qdpx)))
	if err != nil {
		t.Fatalf("the downloaded project is not a zip: %v", err)
	}
	if !hasZipEntry(zr, "project.qde") {
		t.Fatalf("the downloaded project has no project.qde")
	}
	b.run("download a database backup", chromedp.Click(chromedp.CSS("#backup-db")))
	backup := filepath.Join(downloads, "backup.db")
	if err := os.WriteFile(backup, b.waitDownload(downloads, ".db"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	m := &Main{Stdout: &out, Stderr: &out, Getenv: func(string) string { return "" }, BcryptCost: testBcryptCost}
	if err := m.Run(context.Background(), []string{"restore", backup, "--db", filepath.Join(t.TempDir(), "restored.db")}); err != nil {
		t.Fatalf("concord restore refused the backup downloaded from the UI: %v\n%s", err, out.String())
	}
	if strings.Contains(out.String(), "no checksum") {
		t.Errorf("the backup downloaded from the UI carried no checksum: restore said %q", out.String())
	}
	b.shot("settings-after")

	// Change my password: it signs me out, and the new one works.
	b.run("open my account", chromedp.Click(chromedp.CSS("#account")))
	b.waitFor("the password form", `document.activeElement && document.activeElement.id === "pw-current"`, "", 10*time.Second)
	b.run("change the password", keys(DemoPassword), chromedp.SendKeys(chromedp.CSS("#pw-new"), "a new long secret"),
		chromedp.SendKeys(chromedp.CSS("#pw-again"), "a new long secret\r"))
	b.waitFor("the sign-in page", `location.pathname === "/login"`, `location.pathname`, 10*time.Second)
	ts.login(t, "lead", "a new long secret")
	b.checkClean()
}

func hasZipEntry(zr *zip.Reader, name string) bool {
	for _, f := range zr.File {
		if f.Name == name {
			return true
		}
	}
	return false
}

// waitAPI polls cond for up to 10 s.
func waitAPI(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 10s for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
