package main

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/concordqda/concord/coding"
)

// The reader's margin (margin.js), caret and keyboard coding (caret.js),
// in real Chromium.

// marginFixture adds a short interview and returns its id, its text and
// two codable codes whose names can be typed into the picker.
func marginFixture(t *testing.T, lead *apiClient, text string) (string, coding.Code, coding.Code) {
	t.Helper()
	var codes struct{ Codes []coding.Code }
	lead.mustDo(200, "GET", "/api/projects/peer-support/codes", nil, &codes)
	var codable []coding.Code
	for _, c := range codes.Codes {
		if c.Codable && !strings.ContainsAny(c.Name, "’'") {
			codable = append(codable, c)
		}
	}
	if len(codable) < 2 {
		t.Fatalf("the demo codebook has %d codable codes, want 2", len(codable))
	}
	var added struct{ Document coding.Document }
	lead.mustDo(201, "POST", "/api/projects/peer-support/documents", map[string]any{"title": "Margin interview", "text": text}, &added)
	return added.Document.ID, codable[0], codable[1]
}

// span returns the code point offsets of the first phrase in text.
func span(t *testing.T, text, phrase string) (int, int) {
	t.Helper()
	i := strings.Index(text, phrase)
	if i < 0 {
		t.Fatalf("%q is not in the text", phrase)
	}
	s := utf8.RuneCountInString(text[:i])
	return s, s + utf8.RuneCountInString(phrase)
}

// hover moves the mouse to the middle of the first element matching sel.
func (b *browser) hover(what, sel string) {
	b.t.Helper()
	xy, err := eval[[]float64](b, `(() => { const e = document.querySelector(`+jsString(sel)+`); if (!e) return null; const r = e.getClientRects()[0]; return [r.left + Math.min(8, r.width / 2), r.top + r.height / 2]; })()`)
	if err != nil || len(xy) != 2 {
		b.t.Fatalf("%s: %s: nothing matches %s (err %v)", b.name, what, sel, err)
	}
	b.run(what, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, input.DispatchMouseEvent, input.DispatchMouseEventParams{Type: input.DispatchMouseEventTypeMouseMoved, X: xy[0], Y: xy[1]})
		return err
	}))
}

// TestBrowserMarginStripes: two coders' identical codings show as two
// stripes in the margin, each labelled with the code and the coder's
// initials; hovering a stripe lights up its text and hovering the text
// lights up its stripes.
func TestBrowserMarginStripes(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	ts := startServer(t)
	lead := ts.login(t, "lead", DemoPassword)
	ana, ben := ts.login(t, "ana", DemoPassword), ts.login(t, "ben", DemoPassword)
	var para strings.Builder
	for i := 0; i < 12; i++ {
		para.WriteString("We met every week and talked about the rent, the night shifts and what helped. ")
	}
	text := "Interviewer: how did the group start?\nAna: we share 🙂 hope and trust in each other, and Zoe\u0308 brought coffee.\n" + para.String() + "\nThe end."
	docID, code1, code2 := marginFixture(t, lead, text)
	s, e := span(t, text, "share 🙂 hope and trust")
	s2, e2 := span(t, text, "trust in each other")
	s3, e3 := span(t, text, "talked about the rent")
	post := func(c *apiClient, code coding.Code, start, end int) string {
		var out struct{ Codings []coding.Coding }
		c.mustDo(201, "POST", "/api/projects/peer-support/codings", map[string]any{"codings": []map[string]any{{"document": docID, "code": code.ID, "start": start, "end": end}}}, &out)
		return out.Codings[0].ID
	}
	aID := post(ana, code1, s, e)
	bID := post(ben, code1, s, e)
	post(ben, code2, s2, e2)
	post(ana, code2, s3, e3)

	b := newBrowser(t, exe, "lead", shotsDir(t, "margin"))
	b.signIn(ts.URL, "lead", "peer-support", docID, "brought coffee")
	b.waitFor("four stripes in the margin", `document.querySelectorAll(".margin .stripe").length === 4`, `document.querySelector(".margin") && document.querySelector(".margin").innerHTML`, 10*time.Second)
	b.shot("stripes")

	type stripe struct {
		Label      string  `json:"label"`
		Left       float64 `json:"left"`
		Top        float64 `json:"top"`
		Height     float64 `json:"height"`
		TextTop    float64 `json:"textTop"`
		TextBottom float64 `json:"textBottom"`
		TextRight  float64 `json:"textRight"`
	}
	get := func(id string) stripe {
		t.Helper()
		st, err := eval[stripe](b, `(() => {
  const s = document.querySelector('.margin .stripe[data-coding="`+id+`"]');
  if (!s) return null;
  const segs = [...document.querySelectorAll('.seg[data-codings~="`+id+`"]')].flatMap(x => [...x.getClientRects()]);
  const r = s.getBoundingClientRect();
  return {label: s.querySelector(".stripe-label").textContent, left: r.left, top: r.top, height: r.height,
    textTop: Math.min(...segs.map(x => x.top)), textBottom: Math.max(...segs.map(x => x.bottom)),
    textRight: document.querySelector(".doc-text").getBoundingClientRect().right};
})()`)
		if err != nil {
			t.Fatalf("no stripe for coding %s: %v", id, err)
		}
		return st
	}
	a, bb := get(aID), get(bID)
	name1 := code1.Name
	if !strings.Contains(a.Label, name1) || !strings.HasSuffix(a.Label, "AR") {
		t.Errorf("ana's stripe reads %q, want the code %q and her initials AR", a.Label, name1)
	}
	if !strings.Contains(bb.Label, name1) || !strings.HasSuffix(bb.Label, "BO") {
		t.Errorf("ben's stripe reads %q, want the code %q and his initials BO", bb.Label, name1)
	}
	if a.Left == bb.Left {
		t.Errorf("ana's and ben's identical codings have stripes in the same lane (left %v): one covers the other", a.Left)
	}
	if a.Top != bb.Top || a.Height != bb.Height {
		t.Errorf("identical codings have stripes of different extent: %+v and %+v", a, bb)
	}
	if a.Left < a.TextRight {
		t.Errorf("the stripe starts at x=%v, inside the text (which ends at %v); want it in the margin", a.Left, a.TextRight)
	}
	if a.Top > a.TextTop+2 || a.Top+a.Height < a.TextBottom-20 {
		t.Errorf("the stripe spans y %v–%v; its text spans %v–%v", a.Top, a.Top+a.Height, a.TextTop, a.TextBottom)
	}

	// Hover a stripe: its text lights up, and only its.
	b.hover("hover ben's stripe", `.margin .stripe[data-coding="`+bID+`"]`)
	b.waitFor("ben's coding's text to light up", `[...document.querySelectorAll('.seg[data-codings~="`+bID+`"]')].every(s => s.classList.contains("linked"))`, `document.querySelector(".doc-text").innerHTML.slice(0, 2000)`, 5*time.Second)
	if n, _ := eval[int](b, `[...document.querySelectorAll(".seg.linked")].filter(s => !s.dataset.codings.split(" ").includes("`+bID+`")).length`); n != 0 {
		t.Errorf("hovering ben's stripe lit up %d pieces of text outside his coding", n)
	}
	b.shot("hover-stripe")

	// Hover the text of the rent passage: its stripe lights up, not the others.
	b.hover("hover the rent passage", `.seg.coded:not([data-codings~="`+aID+`"])[data-codings]`)
	lit, err := eval[[]string](b, `[...document.querySelectorAll(".margin .stripe.linked")].map(s => s.dataset.coding)`)
	if err != nil || len(lit) == 0 {
		t.Fatalf("hovering coded text lit up no stripe (err %v)", err)
	}
	for _, id := range lit {
		if id == aID || id == bID {
			t.Errorf("hovering other text lit up the stripe of %s", id)
		}
	}
	b.hover("hover the shared passage", `.seg[data-codings~="`+aID+`"]`)
	b.waitFor("both stripes of the shared passage to light up", `document.querySelector('.stripe[data-coding="`+aID+`"]').classList.contains("linked") && document.querySelector('.stripe[data-coding="`+bID+`"]').classList.contains("linked")`, `[...document.querySelectorAll(".stripe.linked")].map(s => s.textContent)`, 5*time.Second)
	b.shot("hover-text")

	// A click on a stripe opens the coding, as a click on its text does.
	b.run("click ana's stripe", chromedp.Click(chromedp.CSS(`.margin .stripe[data-coding="`+aID+`"] .stripe-label`)))
	b.waitFor("the coding panel", `document.querySelector('.coding-panel li[data-coding="`+aID+`"]')`, "", 5*time.Second)
	b.shot("stripe-opened")
	b.run("close the panel", keys("\x1b"))

	// A teammate's coding arriving gets its stripe and is announced.
	s4, e4 := span(t, text, "brought coffee")
	newID := post(ana, code2, s4, e4)
	b.waitFor("the new coding's stripe", `document.querySelector('.margin .stripe[data-coding="`+newID+`"]')`, `document.querySelectorAll(".margin .stripe").length`, 10*time.Second)
	b.waitFor("the new coding to be announced", `document.querySelector("#announce") && document.querySelector("#announce").textContent.startsWith("Ana Ruiz coded") && document.querySelector("#announce").textContent.includes("brought coffee")`, `document.querySelector("#announce") && document.querySelector("#announce").textContent`, 10*time.Second)
	b.checkClean()
}

// TestBrowserKeyboardOnlyCoding codes a passage without the mouse: Tab
// into the text, move the caret, select by word with Shift+Ctrl+Right,
// press c, pick the code by typing, then Tab to the new highlight and
// open it with Enter. A screen reader hears each step.
func TestBrowserKeyboardOnlyCoding(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	ts := startServer(t)
	lead := ts.login(t, "lead", DemoPassword)
	ana := ts.login(t, "ana", DemoPassword)
	text := "Interviewer: tell me about the group.\nAna: we share hope and trust every day. Then we go home.\nBen: and the rent?"
	docID, code, _ := marginFixture(t, lead, text)

	b := newBrowser(t, exe, "ana", shotsDir(t, "keyboard"))
	b.signIn(ts.URL, "ana", "peer-support", docID, "every day")

	// Tab from the toolbar into the text: a caret shows.
	b.run("focus the toolbar", chromedp.Evaluate[chromedp.Void](`[...document.querySelectorAll(".layers select")].pop().focus()`))
	for i := 0; i < 20; i++ {
		if in, _ := eval[bool](b, `document.activeElement === document.querySelector(".scroller")`); in {
			break
		}
		b.run("press Tab", keys("\t"))
	}
	b.waitFor("the caret in the text", `document.activeElement === document.querySelector(".scroller") && !document.querySelector(".caret").hidden`, `JSON.stringify({n: getSelection().focusNode && getSelection().focusNode.nodeName, o: getSelection().focusOffset, t: getSelection().type, inDoc: document.querySelector(".doc-text").contains(getSelection().focusNode), caret: document.querySelector(".caret").outerHTML})`, 5*time.Second)

	// Down a line to "Ana: …", right by two words, then select two words.
	b.run("move the caret", keys(kb.ArrowDown), keys(kb.ArrowRight, chromedp.ModifierCtrl), keys(kb.ArrowRight, chromedp.ModifierCtrl))
	b.waitFor("the caret on the second line", `getSelection().isCollapsed && getSelection().focusNode.parentElement.closest(".doc-text")`, "", 5*time.Second)
	b.shot("caret")
	b.run("select two words", keys(kb.ArrowRight, chromedp.ModifierCtrl, chromedp.ModifierShift), keys(kb.ArrowRight, chromedp.ModifierCtrl, chromedp.ModifierShift))
	b.waitFor("the selection to be noticed", `document.querySelector(".reader-status").textContent.includes("selected")`, `document.querySelector(".reader-status").textContent`, 5*time.Second)
	picked := evalString(t, b, `getSelection().toString()`)
	if picked == "" || strings.Contains(picked, "\n") || !strings.Contains(text, picked) || strings.Count(strings.TrimSpace(picked), " ") != 1 {
		t.Fatalf("Shift+Ctrl+Right twice selected %q; want two words of the second line", picked)
	}
	b.waitFor("the selection to be announced", `document.querySelector("#announce") && document.querySelector("#announce").textContent.includes("selected")`, `document.querySelector("#announce") && document.querySelector("#announce").textContent`, 5*time.Second)
	b.shot("selected")

	b.run("press c", press('c'))
	b.waitFor("the code picker", `document.activeElement && document.activeElement.classList.contains("picker-input")`, "", 5*time.Second)
	b.run("type the code's name", keys(code.Name))
	b.waitFor("the code first in the picker", `document.querySelector(".picker-item.active") && document.querySelector(".picker-item.active").dataset.code === "`+code.ID+`"`, `document.querySelector(".picker-list").innerText`, 5*time.Second)
	b.run("apply", keys("\r"))
	want0, want1 := span(t, text, picked)
	var made coding.Coding
	deadline := time.Now().Add(10 * time.Second)
	for made.ID == "" {
		var out struct{ Codings []coding.Coding }
		ana.mustDo(200, "GET", "/api/projects/peer-support/codings?document="+docID, nil, &out)
		for _, c := range out.Codings {
			if c.CodeID == code.ID && c.Start == want0 && c.End == want1 {
				made = c
			}
		}
		if made.ID == "" {
			if time.Now().After(deadline) {
				t.Fatalf("no coding [%d,%d) of %q was stored for the keyboard selection %q: %+v", want0, want1, code.Name, picked, out.Codings)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	b.waitFor("the coding to be announced", `document.querySelector("#announce").textContent.startsWith("Coded")`, `document.querySelector("#announce").textContent`, 5*time.Second)
	b.waitFor("the focus back in the text", `document.activeElement === document.querySelector(".scroller")`, `document.activeElement.outerHTML.slice(0, 200)`, 5*time.Second)

	// Tab goes to the highlight just made; Enter opens it.
	b.run("press Tab", keys("\t"))
	b.waitFor("the highlight in focus", `document.activeElement.matches('.seg.kbd-focus[data-codings~="`+made.ID+`"]')`, `document.activeElement.outerHTML.slice(0, 300)`, 5*time.Second)
	b.waitFor("the highlight to be announced", `document.querySelector("#announce").textContent.includes("Enter opens it")`, `document.querySelector("#announce").textContent`, 5*time.Second)
	b.shot("highlight-focused")
	b.run("press Enter", keys("\r"))
	b.waitFor("the coding's panel", `document.querySelector('.coding-panel li[data-coding="`+made.ID+`"]') && document.querySelector(".coding-panel").contains(document.activeElement)`, "", 5*time.Second)
	b.shot("highlight-opened")
	b.run("press Escape", keys("\x1b"))
	b.waitFor("the panel closed and the focus in the text", `!document.querySelector(".coding-panel") && document.querySelector(".scroller").contains(document.activeElement)`, "", 5*time.Second)

	// Shift+Alt+Down selects to the end of the sentence.
	b.run("home of the line", keys(kb.ArrowDown), keys(kb.Home))
	b.run("select a sentence", keys(kb.ArrowDown, chromedp.ModifierAlt, chromedp.ModifierShift))
	if got := evalString(t, b, `getSelection().toString()`); !strings.HasPrefix(got, "Ben: and the rent?") {
		t.Errorf("Shift+Alt+Down from the start of the last line selected %q; want the sentence \"Ben: and the rent?\"", got)
	}
	b.run("open the shortcuts", keys("?"))
	b.waitFor("the shortcuts for reading without a mouse", `document.querySelector("dialog.help[open]") && document.querySelector("dialog.help").textContent.includes("Reading without a mouse")`, "", 5*time.Second)
	b.shot("shortcuts")
	b.checkClean()
}

// TestBrowserCodeRightAfterMouseUp: "c" pressed before the browser has
// reported a new selection codes the new selection, not the one before.
func TestBrowserCodeRightAfterMouseUp(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	ts := startServer(t)
	lead := ts.login(t, "lead", DemoPassword)
	text := "First we talked about housing.\nThen about trust and hope, late at night."
	docID, _, _ := marginFixture(t, lead, text)
	b := newBrowser(t, exe, "ana", shotsDir(t, "race"))
	b.signIn(ts.URL, "ana", "peer-support", docID, "late at night")
	if ok, err := eval[bool](b, selectJS("talked about housing")); err != nil || !ok {
		t.Fatalf("could not select (err %v)", err)
	}
	b.waitFor("the first selection to be noticed", `document.querySelector(".reader-status").textContent.includes("20 characters selected")`, `document.querySelector(".reader-status").textContent`, 5*time.Second)
	// The second selection and the key press in one task: selectionchange
	// cannot have been delivered in between, as after a quick mouse-up.
	title, err := eval[string](b, `(() => {
  `+strings.TrimSuffix(strings.TrimPrefix(selectJS("trust and hope"), "(() => {"), "})()")+`
})() && (() => {
  document.body.dispatchEvent(new KeyboardEvent("keydown", {key: "c", bubbles: true, cancelable: true}));
  const p = document.querySelector(".picker-title");
  return p ? p.textContent : "";
})()`)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(title, "trust and hope") {
		t.Errorf("c right after a new selection opened the picker titled %q; want it to code “trust and hope”", title)
	}
	b.shot("picker")
	b.checkClean()
}
