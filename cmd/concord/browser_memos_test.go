package main

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/chromedp/chromedp"

	"github.com/concordqda/concord/coding"
)

// A coder writes memos as a user does, with the keyboard: a memo on a
// passage (select, m), a memo on the document (m with nothing selected)
// and a journal entry; another coder's memos appear in her reader live;
// search finds a memo and opens it; the coded segments list memos.
func TestBrowserMemos(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	shots := shotsDir(t, "memos")
	ts := startServer(t)
	lead, ben := ts.login(t, "lead", DemoPassword), ts.login(t, "ben", DemoPassword)
	text := "We meet every week and share 🙂 hope with each other.\nSome weeks nobody comes, and that is hard."
	var added struct{ Document coding.Document }
	lead.mustDo(201, "POST", "/api/projects/peer-support/documents", map[string]any{"title": "Memo interview", "text": text}, &added)
	docID := added.Document.ID
	pp := "/api/projects/peer-support"

	ana := newBrowser(t, exe, "ana", shots)
	ana.signIn(ts.URL, "ana", "peer-support", docID, "every week")
	memosOf := func() []coding.Memo {
		var out struct{ Memos []coding.Memo }
		lead.mustDo(200, "GET", pp+"/memos", nil, &out)
		return out.Memos
	}
	focused := func(what, cond string) {
		t.Helper()
		ana.waitFor(what, `document.activeElement && document.activeElement.matches(`+jsString(cond)+`)`, `document.activeElement && document.activeElement.outerHTML.slice(0, 200)`, 10*time.Second)
	}
	ctrlEnter := keys("\r", chromedp.ModifierCtrl)

	// A memo on a passage, with the keyboard only.
	phrase := "share 🙂 hope"
	if ok, err := eval[bool](ana, selectJS(phrase)); err != nil || !ok {
		t.Fatalf("could not select %q (err %v)", phrase, err)
	}
	ana.waitFor("the selection to be noticed", `document.querySelector(".reader-status").textContent.includes("m for a memo")`, `document.querySelector(".reader-status").textContent`, 10*time.Second)
	ana.waitFor("the Memo button beside the Code button", `!document.querySelector(".memo-btn").hidden`, `document.querySelector(".memo-btn").outerHTML`, 10*time.Second)
	ana.run("press m", press('m'))
	focused("the memo title", "#memo-title")
	ana.run("write the passage memo", keys("Hope as a shared thing"), keys("\t"), keys("Hope is passed on between peers."))
	ana.shot("ana-span-memo-editor")
	ana.run("save it with Ctrl+Enter", ctrlEnter)
	ana.waitFor("the passage's memo underline and pin", `document.querySelector(".memo-pin") && [...document.querySelectorAll(".seg.memo-anchor")].map(s => s.textContent).join("") === `+jsString(phrase), `document.querySelector(".doc-text").innerHTML.slice(0, 600)`, 10*time.Second)
	ms := memosOf()
	if len(ms) != 1 || ms[0].Title != "Hope as a shared thing" || ms[0].DocumentID != docID {
		t.Fatalf("after the passage memo the API holds %+v", ms)
	}
	start := utf8.RuneCountInString(text[:strings.Index(text, phrase)])
	if ms[0].Start != start || ms[0].End != start+utf8.RuneCountInString(phrase) {
		t.Errorf("passage memo at [%d, %d), want [%d, %d) in code points", ms[0].Start, ms[0].End, start, start+utf8.RuneCountInString(phrase))
	}
	spanID := ms[0].ID
	if got := evalString(t, ana, `document.querySelector(".doc-text").textContent`); got != text {
		t.Errorf("the pin changed the document's text: %q", got)
	}
	ana.shot("ana-span-memo-marked")

	// A memo on the whole document: m with nothing selected opens the
	// document's memos, Enter on "New memo" opens the editor.
	if _, err := eval[any](ana, `getSelection().removeAllRanges(); document.querySelector(".scroller").focus()`); err != nil {
		t.Fatal(err)
	}
	ana.run("press m", press('m'))
	focused("the new-memo button of the panel", ".memo-drawer .memo-new")
	ana.run("press Enter", keys("\r"))
	focused("the memo title", "#memo-title")
	ana.run("write the document memo", keys("First reading"), keys("\t"), keys("A quiet interview; weeks without anyone."))
	ana.run("save it", ctrlEnter)
	ana.waitFor("two memos in the panel", `document.querySelectorAll(".memo-drawer .memo-card").length === 2`, `document.querySelector(".memo-drawer").innerText`, 10*time.Second)

	// Ben writes a memo on the same document and one on a passage: they
	// reach ana's open panel and text live.
	ben.mustDo(200, "POST", pp+"/memos", map[string]any{"document": docID, "title": "Ben's view", "text": "Nobody comes: a sign of burnout?"}, nil)
	ben.mustDo(200, "POST", pp+"/memos", map[string]any{"document": docID, "start": 0, "end": 7, "title": "", "text": "Routine matters."}, nil)
	ana.waitFor("ben's memos live in ana's panel", `document.querySelectorAll(".memo-drawer .memo-card").length === 4 && document.querySelector(".memo-drawer").textContent.includes("Ben's view")`, `document.querySelector(".memo-drawer").innerText`, 10*time.Second)
	ana.waitFor("ben's passage pin live", `document.querySelectorAll(".memo-pin").length === 2`, `document.querySelectorAll(".memo-pin").length`, 10*time.Second)
	if n, _ := eval[int](ana, `[...document.querySelectorAll(".memo-drawer .memo-card")].filter(c => c.textContent.includes("Ben's view") && c.querySelector(".memo-edit")).length`); n != 0 {
		t.Error("ana may edit ben's memo in the UI; the server would refuse")
	}
	ana.shot("ana-memo-panel")

	// Escape closes the panel; Enter on a pin opens its memo.
	ana.run("press Escape", keys("\x1b"))
	ana.waitFor("the panel to close", `!document.querySelector(".memo-drawer")`, `document.querySelector(".memo-drawer") && "still open"`, 10*time.Second)
	if _, err := eval[any](ana, `document.querySelector('.memo-pin[data-memo="`+spanID+`"]').focus()`); err != nil {
		t.Fatal(err)
	}
	ana.run("press Enter", keys("\r"))
	focused("ana's passage memo in the panel", `.memo-card[data-memo="`+spanID+`"]`)
	ana.shot("ana-pin-opened")
	ana.run("press Escape", keys("\x1b"))

	// A memo on a code, from the codebook beside the text.
	ana.run("choose a code in the codebook", chromedp.Click(chromedp.CSS(".codebook .code-row:not(.category)")))
	ana.run("open the code's memos", chromedp.WaitVisible(chromedp.CSS(".code-details .code-memos")), chromedp.Click(chromedp.CSS(".code-details .code-memos")))
	focused("the new-memo button of the code's panel", ".memo-drawer .memo-new")
	ana.run("press Enter", keys("\r"))
	focused("the memo title", "#memo-title")
	ana.run("write the code memo", keys("When to use it"), keys("\t"), keys("Only when hope is named."))
	ana.run("save it", ctrlEnter)
	ana.waitFor("the code memo in the panel", `document.querySelectorAll(".memo-drawer .memo-card").length === 1 && document.querySelector(".memo-drawer .memo-kind").textContent === "Code"`, `document.querySelector(".memo-drawer").innerText`, 10*time.Second)
	ana.shot("ana-code-memo")

	// Editing keeps the memo and says when it changed.
	ana.run("edit the code memo", chromedp.Click(chromedp.CSS(".memo-drawer .memo-edit")))
	focused("the memo text", "#memo-text")
	ana.run("add to it", keys(" Or shown."), ctrlEnter)
	ana.waitFor("the changed memo", `document.querySelector(".memo-drawer .memo-text").textContent === "Only when hope is named. Or shown." && document.querySelector(".memo-drawer .memo-meta").textContent.includes("changed")`, `document.querySelector(".memo-drawer").innerText`, 10*time.Second)
	ana.run("press Escape", keys("\x1b"))

	// A journal entry on the Memos page.
	ana.run("open the Memos page", chromedp.Click(chromedp.CSS("#nav-memos")))
	focused("the new journal entry button", "#journal-new")
	ana.run("press Enter", keys("\r"))
	focused("the memo title", "#memo-title")
	ana.run("write the journal entry", keys("Week one"), keys("\t"), keys("Themes so far: hope, routine, absence."))
	ana.run("save it", ctrlEnter)
	ana.waitFor("the journal entry", `document.querySelector(".journal .memo-card") && document.querySelector(".journal").textContent.includes("Themes so far")`, `document.querySelector(".memos-page").innerText.slice(0, 500)`, 10*time.Second)
	ana.waitFor("every document memo listed", `document.querySelectorAll(".others .memo-card").length === 5`, `document.querySelector(".others").innerText`, 10*time.Second)
	ana.shot("ana-journal")
	var journal int
	for _, m := range memosOf() {
		if m.Kind() == coding.MemoProject && m.Text == "Themes so far: hope, routine, absence." {
			journal++
		}
	}
	if journal != 1 {
		t.Errorf("the API holds %d journal entries by ana, want 1", journal)
	}

	// Search finds the passage memo and opens it in the reader.
	ana.run("open search", chromedp.Click(chromedp.CSS("#nav-search")))
	ana.run("search for a memo's words", chromedp.WaitVisible(chromedp.CSS("#search-q")), chromedp.SendKeys(chromedp.CSS("#search-q"), "passed on\r"))
	ana.waitFor("the memo hit", `document.querySelector(".memo-hit") && document.querySelector(".memo-hit").textContent.includes("Passage")`, `document.querySelector(".search-page").innerText.slice(0, 500)`, 10*time.Second)
	ana.shot("ana-search-memo")
	ana.run("open the memo", chromedp.Click(chromedp.CSS(".memo-hit .memo-goto")))
	focused("the passage memo opened from search", `.memo-card[data-memo="`+spanID+`"]`)
	ana.waitFor("the passage selected", `getSelection().toString() === `+jsString(phrase), `location.search + " / " + getSelection().rangeCount + " / " + getSelection().toString()`, 10*time.Second)
	ana.shot("ana-search-opened")

	// The coded segments list the document's memos when asked.
	ana.run("open coded segments", chromedp.Click(chromedp.CSS("#nav-segments")))
	ana.run("show memos", chromedp.WaitVisible(chromedp.CSS("#seg-memos")), chromedp.Click(chromedp.CSS("#seg-memos")))
	ana.waitFor("memos beside the segments", `document.querySelectorAll(".memo-segments .memo-card").length === 6 && document.querySelector(".memo-segments").textContent.includes(`+jsString("“"+phrase+"”")+`)`, `document.querySelector(".memo-segments").innerText.slice(0, 500)`, 10*time.Second)
	ana.shot("ana-segments-memos")

	// The lead makes the project blind: ben's memos leave ana's Memos
	// page, and a memo he writes now never reaches it, while hers do.
	ana.run("open the Memos page", chromedp.Click(chromedp.CSS("#nav-memos")))
	ana.waitFor("ben's memos listed", `document.querySelector(".others").textContent.includes("Ben's view")`, `document.querySelector(".others").innerText`, 10*time.Second)
	lead.mustDo(200, "PATCH", pp, map[string]any{"blind": true}, nil)
	ana.waitFor("ben's memos gone once blind", `!document.querySelector(".others").textContent.includes("Ben's view") && !document.querySelector(".others").textContent.includes("Routine matters")`, `document.querySelector(".others").innerText`, 10*time.Second)
	ben.mustDo(200, "POST", pp+"/memos", map[string]any{"title": "Hidden thought", "text": "ben-blind-memo"}, nil)
	ts.login(t, "ana", DemoPassword).mustDo(200, "POST", pp+"/memos", map[string]any{"title": "Week two", "text": "ana-after-ben"}, nil)
	ana.waitFor("ana's own new entry", `document.querySelector(".journal").textContent.includes("ana-after-ben")`, `document.querySelector(".journal").innerText`, 10*time.Second)
	if got := evalString(t, ana, `document.querySelector(".memos-page").textContent`); strings.Contains(got, "ben-blind-memo") || strings.Contains(got, "Hidden thought") {
		t.Error("blind: ana's Memos page shows ben's new memo")
	}
	ana.shot("ana-blind-memos")
	ana.checkClean()
}
