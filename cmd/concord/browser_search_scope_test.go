package main

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/concordqda/concord/coding"
)

// TestBrowserAutocodeSentences has ana search the demo for the whole word
// "stigma" with sentence scope, see each sentence previewed (and not the
// "stigmatization" ones), untick one hit with the keyboard and code the
// rest: exactly the ticked sentence is coded, in her layer.
func TestBrowserAutocodeSentences(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	ts := startServer(t)
	api := ts.login(t, "ana", DemoPassword)
	me, code := demoMeAndCode(t, api, "Emotional triggers")
	var want struct {
		Hits []struct {
			Document  string
			UnitStart int `json:"unit_start"`
			UnitEnd   int `json:"unit_end"`
		}
	}
	api.mustDo(200, "GET", "/api/projects/peer-support/search?"+url.Values{"q": {"stigma"}, "match": {"words"}, "scope": {"sentence"}}.Encode(), nil, &want)
	if len(want.Hits) < 2 {
		t.Fatalf("the demo has %d whole-word sentences with stigma, want 2 or more", len(want.Hits))
	}
	mine := func() []coding.Coding {
		var cs struct{ Codings []coding.Coding }
		api.mustDo(200, "GET", "/api/projects/peer-support/codings?coder="+me+"&code="+code.ID+"&descendants=false", nil, &cs)
		return cs.Codings
	}
	before := len(mine())

	b := newBrowser(t, exe, "ana", shotsDir(t, "search-scope"))
	b.run("sign in", chromedp.Navigate(ts.URL+"/p/peer-support/search"), chromedp.WaitVisible(chromedp.CSS("#login")),
		chromedp.SendKeys(chromedp.CSS("#login"), "ana"), chromedp.SendKeys(chromedp.CSS("#password"), DemoPassword+"\r"),
		chromedp.WaitVisible(chromedp.CSS("#search-q")))
	b.run("whole words, sentences", chromedp.Click(chromedp.CSS("#search-words")), chromedp.SetValue(chromedp.CSS("#search-scope"), "sentence"),
		chromedp.SendKeys(chromedp.CSS("#search-q"), "stigma\r"))
	n := len(want.Hits)
	b.waitFor("one sentence per hit", `document.querySelectorAll(".hit").length === `+strconv.Itoa(n)+` && document.querySelectorAll(".hit-tick:checked").length === `+strconv.Itoa(n)+
		` && location.search.includes("scope=sentence") && location.search.includes("match=words")`,
		`document.querySelector(".search-page").innerText.slice(0, 400)`, 10*time.Second)
	if marks := evalString(t, b, `[...document.querySelectorAll(".hit mark")].map(m => m.textContent).join("|")`); strings.Contains(strings.ToLower(marks), "stigmati") {
		t.Errorf("whole words found %q", marks)
	}
	if s := evalString(t, b, `document.querySelector(".hit").innerText`); !strings.Contains(s, "sentence of") {
		t.Errorf("a hit does not say it codes its sentence: %q", s)
	}
	if s := evalString(t, b, `document.querySelector("#autocode").textContent`); s != "Code all "+strconv.Itoa(n)+" hits with…" {
		t.Errorf("the button says %q", s)
	}
	// Untick the first hit with the keyboard: focus its box, press space.
	b.run("untick the first hit", chromedp.Focus(chromedp.CSS(".hit .hit-tick")), keys(" "))
	b.waitFor("the count follows", `document.querySelector("#autocode").textContent === "Code `+hitsText(n-1)+` with…"`, `document.querySelector("#autocode").textContent`, 5*time.Second)
	b.shot("preview")
	b.pickCode("#autocode", "Emotional triggers")
	b.waitFor("the result", `document.querySelector(".autocode-status").textContent.includes("Coded `+hitsText(n-1)+`")`, `document.querySelector(".autocode-status").textContent`, 10*time.Second)
	b.shot("coded")
	got := mine()
	if len(got) != before+n-1 {
		t.Fatalf("ana has %d codings of the code, want %d", len(got), before+n-1)
	}
	coded := map[[3]any]bool{}
	for _, c := range got {
		coded[[3]any{c.DocumentID, c.Start, c.End}] = true
	}
	for i, h := range want.Hits {
		if on := coded[[3]any{h.Document, h.UnitStart, h.UnitEnd}]; on != (i > 0) {
			t.Errorf("sentence %d [%d,%d) coded: %v, want %v", i, h.UnitStart, h.UnitEnd, on, i > 0)
		}
	}
	b.checkClean()
}

// hitsText says "1 hit" or "N hits", as the page does.
func hitsText(n int) string {
	if n == 1 {
		return "1 hit"
	}
	return strconv.Itoa(n) + " hits"
}

// demoMeAndCode returns the signed-in user's id and the demo code named name.
func demoMeAndCode(t *testing.T, api *apiClient, name string) (string, coding.Code) {
	t.Helper()
	var proj struct {
		Me string `json:"me"`
	}
	api.mustDo(200, "GET", "/api/projects/peer-support", nil, &proj)
	var codes struct{ Codes []coding.Code }
	api.mustDo(200, "GET", "/api/projects/peer-support/codes", nil, &codes)
	for _, c := range codes.Codes {
		if c.Name == name {
			return proj.Me, c
		}
	}
	t.Fatalf("the demo codebook has no code %s", name)
	return "", coding.Code{}
}

// pickCode clicks the button that opens the code picker and applies the
// code named name, typed and chosen with Enter.
func (b *browser) pickCode(button, name string) {
	b.t.Helper()
	b.run("open the picker", chromedp.Click(chromedp.CSS(button)))
	b.waitFor("the picker", `document.activeElement && document.activeElement.classList.contains("picker-input")`, "", 10*time.Second)
	b.run("choose the code", keys(name))
	b.waitFor("the code highlighted", `document.querySelector(".picker-list [aria-selected=true]") && document.querySelector(".picker-list [aria-selected=true]").textContent.includes(`+jsString(name)+`)`,
		`document.querySelector(".picker-list").innerText`, 10*time.Second)
	b.run("apply", keys("\r"))
}
