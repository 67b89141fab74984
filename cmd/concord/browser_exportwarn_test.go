package main

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserExportWarnings: a download whose format cannot hold part of
// the project first shows what would be lost; by keyboard alone the lead
// cancels, then downloads anyway. A format that loses nothing downloads
// without asking.
func TestBrowserExportWarnings(t *testing.T) {
	exe := chromiumPath(t)
	t.Parallel()
	ts := startServer(t)
	api := ts.login(t, "lead", DemoPassword)
	api.mustDo(http.StatusOK, "POST", "/api/projects/peer-support/memos", map[string]string{"title": "Round two", "text": "Start with the hospital interviews."}, nil)
	b := newBrowser(t, exe, "lead", shotsDir(t, "exportwarn"))
	downloads := t.TempDir()
	b.downloadsTo(downloads)

	b.run("sign in", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#login")),
		chromedp.SendKeys(chromedp.CSS("#login"), "lead"), chromedp.SendKeys(chromedp.CSS("#password"), DemoPassword+"\r"),
		chromedp.WaitVisible(chromedp.CSS("#new-project")))
	b.run("open the downloads", chromedp.Navigate(ts.URL+"/p/peer-support/settings"))
	b.waitFor("the CSV link", `document.querySelector('a[data-format="csv"]')`, "", 10*time.Second)

	const open = `document.querySelector("dialog[open] .export-warnings")`
	b.run("press Enter on the CSV link", chromedp.Focus(chromedp.CSS(`a[data-format="csv"]`)), keys("\r"))
	b.waitFor("the warnings dialog, its button focused", open+` && document.activeElement && document.activeElement.id === "export-anyway"`, `document.activeElement && document.activeElement.outerHTML`, 10*time.Second)
	text, err := eval[string](b, open+".innerText")
	if err != nil || !strings.Contains(text, "1 memo (about the project, documents, codes or passages) is not in CSV") {
		t.Fatalf("the dialog reads %q (%v), want the memo CSV cannot hold", text, err)
	}
	b.shot("export-warnings")

	b.run("cancel with Escape", keys("\x1b"))
	b.waitFor("the dialog closed, focus back on the link", `!document.querySelector("dialog[open]") && document.activeElement && document.activeElement.dataset.format === "csv"`, `document.activeElement && document.activeElement.outerHTML`, 10*time.Second)

	b.run("press Enter on the CSV link again", keys("\r"))
	b.waitFor("the warnings dialog again", open+` && document.activeElement.id === "export-anyway"`, "", 10*time.Second)
	b.run("download anyway", keys("\r"))
	csv := b.waitDownload(downloads, ".csv")
	if !bytes.HasPrefix(csv, []byte("\ufeffdocument,")) {
		t.Errorf("the downloaded CSV starts %q", csv[:min(40, len(csv))])
	}
	b.waitFor("the dialog closed", `!document.querySelector("dialog[open]")`, "", 10*time.Second)

	// JSON holds everything: no dialog, straight to the file.
	b.run("download JSON", chromedp.Focus(chromedp.CSS(`a[data-format="json"]`)), keys("\r"))
	if data := b.waitDownload(downloads, ".json"); !bytes.Contains(data, []byte("Start with the hospital interviews.")) {
		t.Errorf("the JSON download lacks the memo")
	}
	if open, _ := eval[bool](b, `!!document.querySelector("dialog[open]")`); open {
		t.Errorf("a dialog opened for the JSON download, which loses nothing")
	}

	// The report, also without a dialog, shows the memo with its author.
	b.run("download the report", chromedp.Focus(chromedp.CSS(`a[data-format="html"]`)), keys("\r"))
	report := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(report, b.waitDownload(downloads, ".html"), 0o644); err != nil {
		t.Fatal(err)
	}
	b.checkClean()
	b.run("open the report", chromedp.Navigate("file://"+report))
	b.waitFor("the report's memos", `[...document.querySelectorAll("h2")].some((h) => h.textContent === "Memos")`, "", 10*time.Second)
	b.run("scroll to the memos", chromedp.Evaluate[chromedp.Void](`[...document.querySelectorAll("h2")].find((h) => h.textContent === "Memos").scrollIntoView()`))
	if text, err := eval[string](b, `document.body.innerText`); err != nil || !strings.Contains(text, "Round two\n\nStart with the hospital interviews.\n\nLee Adler (lead), ") {
		t.Errorf("the report's memos read %q (%v)", text[strings.Index(text, "Memos"):][:200], err)
	}
	b.shot("report-memos")
}
