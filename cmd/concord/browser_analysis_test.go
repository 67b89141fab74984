package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/concordqda/concord/coding"
)

// TestBrowserAnalysis walks a lead through the research views: search the
// demo for "boundaries", auto-code the hits (and undo, and again), find
// them in the retrieval view, download them as CSV, see the analysis
// charts, and import a document from a file.
func TestBrowserAnalysis(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	ts := startServer(t)
	api := ts.login(t, "lead", DemoPassword)
	me, code := demoMeAndCode(t, api, "Emotional triggers")
	var docs struct{ Documents []coding.Document }
	api.mustDo(200, "GET", "/api/projects/peer-support/documents", nil, &docs)
	var search struct {
		Hits []struct{ Document string }
	}
	api.mustDo(200, "GET", "/api/projects/peer-support/search?q=boundaries", nil, &search)
	hits := len(search.Hits)
	if hits == 0 {
		t.Fatal("the demo has no hit for boundaries")
	}
	mine := func() []coding.Coding {
		var cs struct{ Codings []coding.Coding }
		api.mustDo(200, "GET", "/api/projects/peer-support/codings?coder="+me+"&code="+code.ID+"&descendants=false", nil, &cs)
		return cs.Codings
	}
	before := len(mine())
	waitMine := func(want int) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for len(mine()) != want {
			if time.Now().After(deadline) {
				t.Fatalf("the lead has %d codings of %s, want %d", len(mine()), code.Name, want)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}

	b := newBrowser(t, exe, "lead", shotsDir(t, "analysis"))
	first := docs.Documents[0]
	b.signIn(ts.URL, "lead", "peer-support", first.ID, "")

	// Search, from the reader by its keyboard shortcut.
	b.run("press s for search", press('s'))
	b.waitFor("the search view", `location.pathname === "/p/peer-support/search" && document.querySelector("#search-q")`, "location.pathname", 10*time.Second)
	b.run("search for boundaries", chromedp.SendKeys(chromedp.CSS("#search-q"), "boundaries\r"))
	b.waitFor("the hits", `document.querySelectorAll(".hit").length === `+strconv.Itoa(hits)+` && document.querySelector(".hit mark").textContent.toLowerCase() === "boundaries"`,
		`document.querySelector(".search-page").innerText.slice(0, 300)`, 10*time.Second)
	b.shot("search")

	// Auto-code every hit with the code picker, undo, and code them again.
	autocode := func() {
		b.pickCode("#autocode", "Emotional triggers")
		b.waitFor("the result with an undo", `document.querySelector("#autocode-undo") && document.querySelector(".autocode-status").textContent.includes("Coded `+strconv.Itoa(hits)+`")`,
			`document.querySelector(".autocode-status").textContent`, 10*time.Second)
		waitMine(before + hits)
	}
	autocode()
	b.waitFor("the codings on the hits", `[...document.querySelectorAll(".hit")].every(h => h.querySelector(".chip") && h.textContent.includes("Emotional triggers"))`,
		`document.querySelector(".hits").innerText.slice(0, 300)`, 10*time.Second)
	b.shot("autocoded")
	b.run("undo", chromedp.Click(chromedp.CSS("#autocode-undo")))
	b.waitFor("the undo done", `document.querySelector(".autocode-status").textContent.includes("Undone")`, `document.querySelector(".autocode-status").textContent`, 10*time.Second)
	waitMine(before)
	autocode()

	// The retrieval view, filtered to the lead's codings of the code.
	b.run("open coded segments from the top bar", chromedp.Click(chromedp.CSS(`.topbar .research a[href$="/segments"]`)))
	b.waitFor("the filters", `document.querySelector("#seg-code") && document.querySelector(".segments")`, "location.pathname", 10*time.Second)
	b.run("filter by code and coder", chromedp.Evaluate[chromedp.Void](`(() => {
  const set = (id, v) => { const s = document.getElementById(id); s.value = v; s.dispatchEvent(new Event("change")); };
  set("seg-code", `+jsString(code.ID)+`);
  set("seg-coder", `+jsString(me)+`);
})()`))
	want := before + hits
	b.waitFor("the segments", `document.querySelectorAll(".segment").length === `+strconv.Itoa(want)+` && location.search.includes("code=")`,
		`document.querySelector(".segments-page").innerText.slice(0, 300)`, 10*time.Second)
	b.shot("segments")
	b.waitFor("the Excel download of the same filter", `(async () => {
  const a = document.querySelector("#seg-xlsx");
  if (!a.href.includes("format=xlsx") || !a.href.includes("code=`+code.ID+`")) return false;
  const r = await fetch(a.href);
  return r.status === 200 && r.headers.get("Content-Type").includes("spreadsheetml");
})()`, `document.querySelector("#seg-xlsx").href`, 10*time.Second)

	dir := t.TempDir()
	b.downloadsTo(dir)
	b.run("download CSV", chromedp.Click(chromedp.CSS("#seg-csv")))
	data := b.waitDownload(dir, "peer-support-segments.csv")
	if !strings.HasPrefix(string(data), "\ufeff") {
		t.Errorf("the CSV does not start with a byte order mark: %q", data[:min(len(data), 20)])
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(data), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not parse: %v", err)
	}
	if got := strings.Join(rows[0], ","); got != "document,code,coder,start,end,text,memo,before,after" {
		t.Errorf("CSV header %q", got)
	}
	if len(rows) != want+1 {
		t.Errorf("CSV has %d rows, want a header and %d segments", len(rows), want)
	}
	for _, r := range rows[1:] {
		if r[1] != "Boundaries › Emotional triggers" || !strings.HasPrefix(r[2], "Lee Adler") {
			t.Errorf("CSV row %q: want the code path and the lead", r)
		}
	}

	// A segment's link opens the reader at it, selected.
	b.run("open a segment in the reader", chromedp.Click(chromedp.CSS(".segment .doc-link")))
	b.waitFor("the selection in the reader", `document.querySelector(".doc-text .block") && getSelection().toString().toLowerCase().includes("boundaries")`,
		`location.href + " " + getSelection().toString()`, 10*time.Second)

	// The analysis view by its shortcut: bars, heatmap and crosstab drawn.
	b.run("press a for analysis", press('a'))
	b.waitFor("the charts", `document.querySelectorAll("#freq-chart svg .bar-row").length > 5 && document.querySelectorAll("#co-chart svg .cell").length > 3 && document.querySelectorAll("#ct-table td").length > 3`,
		`document.querySelector(".analysis-page") && document.querySelector(".analysis-page").innerText.slice(0, 400)`, 10*time.Second)
	b.waitFor("the code's bar with its count", `[...document.querySelectorAll("#freq-chart .bar-row")].some(g => g.textContent.includes("Emotional triggers") && Number(g.dataset.value) >= `+strconv.Itoa(want)+`)`, "", 10*time.Second)
	b.shot("analysis")
	for _, id := range []string{"co-section", "ct-section"} {
		b.run("scroll to "+id, chromedp.Evaluate[chromedp.Void](`document.getElementById("`+id+`").scrollIntoView()`))
		b.shot(strings.TrimSuffix(id, "-section"))
	}
	b.run("count documents instead", chromedp.Evaluate[chromedp.Void](`(() => { const s = document.getElementById("freq-measure"); s.value = "documents"; s.dispatchEvent(new Event("change")); })()`))
	b.waitFor("the documents chart", `document.querySelector("#freq-chart svg title").textContent.startsWith("Documents")`, "", 10*time.Second)
	b.run("save the heatmap as PNG", chromedp.Click(chromedp.CSS(`#co-section [data-export="png"]`)))
	b.run("save the heatmap as SVG", chromedp.Click(chromedp.CSS(`#co-section [data-export="svg"]`)))
	var png []byte
	for _, name := range []string{"peer-support-cooccurrence.png", "peer-support-cooccurrence.svg"} {
		data := b.waitDownload(dir, name)
		if len(data) <= 100 {
			t.Fatalf("%s was downloaded with only %d bytes", name, len(data))
		}
		if strings.HasSuffix(name, ".png") {
			png = data
		}
	}
	if !strings.HasPrefix(string(png), "\x89PNG") {
		t.Errorf("the PNG download is not a PNG")
	}

	// Import a document from a file on the project page.
	file := filepath.Join(t.TempDir(), "site-visit.md")
	if err := os.WriteFile(file, []byte("# Site visit notes\nPeers talked about boundaries at work.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b.run("open the project page", chromedp.Click(chromedp.CSS(`.tabs a[href="/p/peer-support"]`)))
	b.run("open the import dialog", chromedp.Click(chromedp.CSS("#import-open")))
	b.run("choose the file", chromedp.SetUploadFiles(chromedp.CSS("#import-files"), []string{file}))
	b.run("import", chromedp.Click(chromedp.CSS("#import-go")))
	b.waitFor("the import result", `document.querySelector(".import-status .ok") && document.querySelector(".import-status").textContent.includes("Site visit notes")`,
		`document.querySelector(".import-status").textContent`, 10*time.Second)
	b.shot("import")
	b.run("close the dialog", chromedp.Click(chromedp.CSS("dialog[open] .close")))
	b.waitFor("the new document in the list", `[...document.querySelectorAll(".doclist .title")].some(e => e.textContent === "Site visit notes")`, "", 10*time.Second)
	b.checkClean()
}
