package main

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/concordqda/concord/coding"
)

// layoutJS measures the page as a person would see it and returns what
// is wrong with it, "" when nothing: the page scrolls sideways, the top
// bar wraps onto a second line or spills past the window, the reader's
// document title is squeezed into a narrow column, or an element that
// must be on screen (the codebook in the reader) is not.
const layoutJS = `(() => {
  const bad = [];
  const W = innerWidth;
  const doc = document.scrollingElement;
  if (doc.scrollWidth > doc.clientWidth + 1) bad.push("the page scrolls sideways: " + doc.scrollWidth + "px wide in " + doc.clientWidth);
  for (const el of document.querySelectorAll(".page, .layout, .reader, .side")) {
    if (el.offsetParent && el.scrollWidth > el.clientWidth + 1) bad.push((el.className || el.tagName) + " scrolls sideways: " + el.scrollWidth + "px in " + el.clientWidth);
  }
  const title = document.querySelector(".reader-head .doc-title");
  if (title && title.offsetParent && title.getBoundingClientRect().width < 240) bad.push("the document title is squeezed into " + Math.round(title.getBoundingClientRect().width) + "px");
  const bar = document.getElementById("topbar").getBoundingClientRect();
  if (bar.height > 49) bad.push("the top bar is " + Math.round(bar.height) + "px high: it wrapped");
  for (const el of document.querySelectorAll("#topbar > *, #topbar .research > *")) {
    const r = el.getBoundingClientRect();
    if (!r.width) continue;
    if (r.top < bar.top - 1 || r.bottom > bar.bottom + 1) bad.push("top bar item " + (el.id || el.className || el.tagName) + " is off the bar's line");
    if (r.right > W + 1) bad.push("top bar item " + (el.id || el.className || el.tagName) + " ends at " + Math.round(r.right) + "px, past the window");
  }
  return bad.join("; ");
})()`

// boxJS is the page box of the first element a selector finds, or null.
func boxJS(sel string) string {
	return `(() => { const el = document.querySelector(` + jsString(sel) + `); if (!el || !el.getClientRects().length) return null;
  const r = el.getBoundingClientRect(); return {left: Math.round(r.left), top: Math.round(r.top), width: Math.round(r.width), height: Math.round(r.height)}; })()`
}

type box struct{ Left, Top, Width, Height int }

// hashedName is a UI file's name with its content hash (server/static.go).
var hashedName = regexp.MustCompile(`^/[a-z]+\.[0-9a-f]{24}\.js$`)

// TestBrowserLayoutWidths visits every page at 900 and at 1,280 pixels
// wide and measures it: nothing scrolls sideways, the top bar stays one
// line, the project tabs stand in the same place on every project page,
// and the reader keeps its text readable and its codebook reachable.
// Screenshots of each page at each width are saved for a person to look at.
func TestBrowserLayoutWidths(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	ts := startServer(t)
	api := ts.login(t, "lead", DemoPassword)
	var docs struct{ Documents []coding.Document }
	api.mustDo(200, "GET", "/api/projects/peer-support/documents", nil, &docs)
	doc := docs.Documents[0].ID
	b := newBrowser(t, exe, "lead", shotsDir(t, "layout"))
	b.signIn(ts.URL, "lead", "peer-support", doc, "")
	base := ts.URL + "/p/peer-support"

	// Every module came by its hashed name, which browsers keep without
	// asking again: index.html's import map reached the modules' own
	// imports (and the Content-Security-Policy let the map run).
	scripts, err := eval[[]string](b, `performance.getEntriesByType("resource").map(e => new URL(e.name).pathname).filter(p => p.endsWith(".js"))`)
	if err != nil {
		t.Fatal(err)
	}
	if len(scripts) < 10 {
		t.Errorf("only %d scripts loaded: %v", len(scripts), scripts)
	}
	for _, p := range scripts {
		if !hashedName.MatchString(p) {
			t.Errorf("%s was loaded by its plain name, not its hashed one", p)
		}
	}

	pages := []struct {
		name, path, ready string
		tabs              bool
	}{
		{"projects", "/", `document.querySelector('a[href="/p/peer-support"]')`, false},
		{"documents", "/p/peer-support", `document.querySelector("a.doc")`, true},
		{"reader", "/p/peer-support/d/" + doc, `document.querySelector(".doc-text .block") && document.querySelector(".side .code-row")`, false},
		{"search", "/p/peer-support/search", `document.querySelector("#search-q")`, true},
		{"segments", "/p/peer-support/segments", `document.querySelector(".segment")`, true},
		{"analysis", "/p/peer-support/analysis", `document.querySelector("#freq-chart svg") && document.querySelector("#co-chart svg")`, true},
		{"agreement", "/p/peer-support/agreement", `document.querySelector(".agr-cell")`, true},
		{"team", "/p/peer-support/settings", `document.querySelector("table.team")`, true},
	}
	for _, width := range []int{900, 1280} {
		b.run(fmt.Sprintf("a window %d wide", width), chromedp.EmulateViewport(int64(width), 800))
		var tabsAt *string
		check := func(name string) {
			t.Helper()
			if bad := evalString(t, b, layoutJS); bad != "" {
				b.shot(fmt.Sprintf("%d-%s-broken", width, name))
				t.Errorf("%s at %dpx: %s", name, width, bad)
			}
		}
		for i, p := range pages {
			if i == 0 {
				b.run("open "+p.name, chromedp.Navigate(ts.URL+p.path))
			} else {
				// The other pages the way the app goes to them: in the
				// page, as the browser's Back and Forward do. A full load
				// of each cost more than the rest of the test.
				b.run("go to "+p.name, chromedp.Evaluate[chromedp.Void](`history.pushState(null, "", `+jsString(p.path)+`); dispatchEvent(new PopStateEvent("popstate"))`))
			}
			b.waitFor(p.name, p.ready, `location.pathname + " " + document.body.innerText.slice(0, 200)`, 15*time.Second)
			check(p.name)
			if p.tabs {
				// Where each tab stands (their line may be longer beside no codebook).
				at, err := eval[*string](b, `JSON.stringify([...document.querySelectorAll(".tabs .tab")].map((a) => { const r = a.getBoundingClientRect(); return [a.textContent, Math.round(r.left), Math.round(r.top), Math.round(r.width), Math.round(r.height)]; }))`)
				switch {
				case err != nil || at == nil || *at == "[]":
					t.Errorf("%s at %dpx: no project tabs (%v)", p.name, width, err)
				case tabsAt == nil:
					tabsAt = at
				case *at != *tabsAt:
					t.Errorf("%s at %dpx: the tabs stand at %s, on the documents page at %s", p.name, width, *at, *tabsAt)
				}
			}
			b.shot(fmt.Sprintf("%d-%s", width, p.name))
			if p.name == "reader" {
				checkReaderAt(t, b, width)
			}
		}
		// The review of a disagreement, from the first cell's list.
		b.run("open agreement", chromedp.Navigate(base+"/agreement"))
		b.waitFor("the heatmap", `document.querySelector(".agr-cell")`, "", 15*time.Second)
		b.run("open the first cell", chromedp.Click(chromedp.CSS(".agr-cell:not(.undefined)")))
		b.waitFor("the disagreements", `document.querySelector("a.agr-diff")`, `document.querySelector(".agr-list") && document.querySelector(".agr-list").innerText.slice(0, 200)`, 15*time.Second)
		b.run("open a disagreement", chromedp.Click(chromedp.CSS("a.agr-diff")))
		b.waitFor("the review", `document.querySelector(".adj-case")`, `location.pathname`, 15*time.Second)
		check("review")
		b.shot(fmt.Sprintf("%d-review", width))
		// Your account: a dialog over the documents page.
		b.run("open the documents", chromedp.Navigate(base))
		b.waitFor("the documents", `document.querySelector("a.doc")`, "", 15*time.Second)
		// On a narrow window the account sits in a menu, opened from the keyboard here.
		if menu, _ := eval[*box](b, boxJS("#user-menu")); menu != nil {
			b.run("open the user menu", chromedp.Focus(chromedp.CSS("#user-menu")), keys("\r"))
			b.waitFor("the menu", `document.querySelector("#account").getClientRects().length > 0`, "", 5*time.Second)
			check("user menu")
			b.shot(fmt.Sprintf("%d-user-menu", width))
		}
		b.run("open your account", chromedp.Click(chromedp.CSS("#account")))
		b.waitFor("the account dialog", `document.querySelector("dialog[open] #pw-current")`, "", 10*time.Second)
		check("account")
		if d, err := eval[*box](b, boxJS("dialog[open]")); err != nil || d == nil || d.Left < 0 || d.Left+d.Width > width {
			t.Errorf("account at %dpx: the dialog is not inside the window: %+v %v", width, d, err)
		}
		b.shot(fmt.Sprintf("%d-account", width))
		b.run("close the dialog", keys("\x1b"))
	}
	// Narrower still, the reader's codebook folds behind its button.
	b.run("a window 700 wide", chromedp.EmulateViewport(700, 800), chromedp.Navigate(ts.URL+pages[2].path))
	b.waitFor("the reader", pages[2].ready, "", 15*time.Second)
	if bad := evalString(t, b, layoutJS); bad != "" {
		t.Errorf("reader at 700px: %s", bad)
	}
	b.shot("700-reader")
	checkReaderAt(t, b, 700)
	b.checkClean()
}

// checkReaderAt checks that the reader's text is wide enough to read and
// that its codebook is on screen or one keyboard-reachable button away.
func checkReaderAt(t *testing.T, b *browser, width int) {
	t.Helper()
	text, err := eval[*box](b, boxJS(".doc-text"))
	if err != nil || text == nil || text.Width < 420 {
		t.Errorf("reader at %dpx: the text is %+v wide, want at least 420px (%v)", width, text, err)
	}
	visible := `(() => { const r = document.querySelector(".side").getBoundingClientRect(); return r.width > 200 && r.left >= 0 && r.right <= innerWidth + 1 && r.height > 200; })()`
	if ok, _ := eval[bool](b, visible); ok {
		return
	}
	toggle, _ := eval[*box](b, boxJS("#codebook-toggle"))
	if toggle == nil {
		t.Errorf("reader at %dpx: the codebook is hidden and there is no button to show it", width)
		return
	}
	b.run("focus the codebook button", chromedp.Focus(chromedp.CSS("#codebook-toggle")))
	b.run("press Enter on it", keys("\r"))
	b.waitFor("the codebook", visible, `document.querySelector(".side").getBoundingClientRect().toJSON()`, 5*time.Second)
	b.shot(fmt.Sprintf("%d-reader-codebook", width))
	b.run("press Enter again", chromedp.Focus(chromedp.CSS("#codebook-toggle")), keys("\r"))
	b.waitFor("the codebook to fold away", "!"+visible, "", 5*time.Second)
}
