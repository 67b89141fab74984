package main

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/chromedp/chromedp"

	"github.com/concordqda/concord/coding"
	"github.com/concordqda/concord/coding/agreement"
)

// onlyACase finds, in the demo, a review case of ana and ben where ana
// coded and ben coded nothing: a run of overlapping codings of one code
// (its sub-codes included) that holds only ana's.
func onlyACase(t *testing.T, lead *apiClient, anaID, benID string) (code, doc string, start int) {
	t.Helper()
	var report agreement.Report
	lead.mustDo(200, "GET", "/api/projects/peer-support/agreement?bootstrap=0", nil, &report)
	for _, row := range report.Codes {
		var ds struct{ Disagreements []agreement.Disagreement }
		lead.mustDo(200, "GET", "/api/projects/peer-support/agreement/disagreements?"+url.Values{"code": {row.Code}, "a": {"ana"}, "b": {"ben"}}.Encode(), nil, &ds)
		for _, d := range ds.Disagreements {
			var all []coding.Coding
			for _, who := range []string{anaID, benID} {
				var cs struct{ Codings []coding.Coding }
				lead.mustDo(200, "GET", "/api/projects/peer-support/codings?"+url.Values{"document": {d.Document}, "coder": {who}, "code": {row.Code}}.Encode(), nil, &cs)
				all = append(all, cs.Codings...)
			}
			sort.Slice(all, func(i, j int) bool { return all[i].Start < all[j].Start })
			for i := 0; i < len(all); {
				end, ben, j := all[i].End, false, i
				for ; j < len(all) && all[j].Start < end; j++ {
					end = max(end, all[j].End)
					ben = ben || all[j].CoderID == benID
				}
				if !ben {
					return row.Code, d.Document, all[i].Start
				}
				i = j
			}
		}
	}
	t.Fatal("the demo has no case that ana coded and ben did not")
	return "", "", 0
}

// TestBrowserReviewWording has the lead read the dashboard's labelled
// cell numbers, then side with ben on a case he did not code: the button
// says it keeps no coding, the decision is recorded as siding with ben
// (not as a rejection) with the reason typed, and the case shows both.
// The context around each case is cut between words.
func TestBrowserReviewWording(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	ts := startServer(t)
	lead := ts.login(t, "lead", DemoPassword)
	var proj struct {
		Members []struct{ ID, Login string }
	}
	lead.mustDo(200, "GET", "/api/projects/peer-support", nil, &proj)
	ids := map[string]string{}
	for _, m := range proj.Members {
		ids[m.Login] = m.ID
	}
	code, doc, start := onlyACase(t, lead, ids["ana"], ids["ben"])
	var d struct{ Document coding.Document }
	lead.mustDo(200, "GET", "/api/projects/peer-support/documents/"+doc, nil, &d)
	text := d.Document.Text

	// A "/" in a code's name is escaped in path strings for files; the UI
	// shows the names as they are, joined by " › ".
	lead.mustDo(200, "PATCH", "/api/projects/peer-support/codes/"+code, map[string]string{"name": "Rejection / Antipathy"}, nil)

	b := newBrowser(t, exe, "lead", shotsDir(t, "review-words"))
	b.run("sign in", chromedp.Navigate(ts.URL+"/p/peer-support/agreement"), chromedp.WaitVisible(chromedp.CSS("#login")),
		chromedp.SendKeys(chromedp.CSS("#login"), "lead"), chromedp.SendKeys(chromedp.CSS("#password"), DemoPassword+"\r"))
	b.waitFor("the heatmap", `document.querySelector(".agr-cell .n")`, "", 10*time.Second)
	label := evalString(t, b, `(() => { const n = document.querySelector(".agr-cell .n"); return n.textContent + "|" + n.title + "|" + n.closest(".agr-cell").getAttribute("aria-label"); })()`)
	if parts := strings.Split(label, "|"); len(parts) != 3 || !strings.HasSuffix(parts[0], " differ") || !strings.Contains(parts[1], "coded by one only") || !strings.Contains(parts[2], parts[1]) {
		t.Errorf("the cell's small number reads %q; want a visible label, a tooltip and the same words for screen readers", label)
	}

	review := ts.URL + "/p/peer-support/agreement/review?" + url.Values{"code": {code}, "a": {ids["ana"]}, "b": {ids["ben"]}, "unit": {"characters"}, "doc": {doc}}.Encode()
	b.run("open the review", chromedp.Navigate(review))
	card := `[data-case][data-start="` + strconv.Itoa(start) + `"]`
	b.waitFor("the case ben did not code", `document.querySelector(`+jsString(card+` button[data-act="b"]`)+`)`, `document.querySelector(".adjudicate") && document.querySelector(".adjudicate").innerText.slice(0, 400)`, 10*time.Second)
	if h1 := evalString(t, b, `document.querySelector(".adjudicate h1").textContent`); !strings.HasSuffix(h1, " › Rejection / Antipathy") {
		t.Errorf("the review's title is %q, want the path unescaped", h1)
	}
	if got := evalString(t, b, `document.querySelector(`+jsString(card+` button[data-act="b"]`)+`).textContent`); got != "Keep no coding here (B coded nothing)" {
		t.Errorf("the button for siding with ben says %q", got)
	}
	if got := evalString(t, b, `document.querySelector(`+jsString(card+` button[data-act="a"]`)+`).textContent`); got != "Code it as A did" {
		t.Errorf("the button for siding with ana says %q", got)
	}
	// Every passage starts and ends between words.
	cuts := evalString(t, b, `[...document.querySelectorAll(".adj-text")].map((p) => { const s = p.querySelectorAll("[data-from]"); const last = s[s.length - 1];
  return s[0].dataset.from + "-" + (+last.dataset.from + [...last.textContent].length); }).join(",")`)
	for _, c := range strings.Split(cuts, ",") {
		var from, to int
		if _, err := fmt.Sscanf(c, "%d-%d", &from, &to); err != nil {
			t.Fatalf("passage bounds %q: %v", c, err)
		}
		if from > 0 && !isSpace(coding.Slice(text, from-1, from)) {
			t.Errorf("a passage starts mid-word at %d: %q|%q", from, coding.Slice(text, from-10, from), coding.Slice(text, from, from+10))
		}
		if to < len([]rune(text)) && !isSpace(coding.Slice(text, to, to+1)) {
			t.Errorf("a passage ends mid-word at %d: %q|%q", to, coding.Slice(text, to-10, to), coding.Slice(text, to, to+10))
		}
	}

	reason := "Ben is right: this is about the programme, not the worker."
	b.run("write a reason", chromedp.SendKeys(chromedp.CSS(card+` .adj-reason`), reason))
	b.shot("before")
	b.run("side with ben", chromedp.Click(chromedp.CSS(card+` button[data-act="b"]`)))
	b.waitFor("the decision with its words and reason", `(() => { const c = document.querySelector(`+jsString(card)+`); const badge = c && c.querySelector(".adj-badge");
  return badge && badge.textContent.startsWith("No coding here: sided with B · Ben Okafor, who coded nothing") && badge.textContent.includes("decided by you") && c.querySelector(".adj-reason-text") && c.querySelector(".adj-reason-text").textContent === `+jsString(reason)+`; })()`,
		`document.querySelector(`+jsString(card)+`).innerText`, 10*time.Second)
	if n, _ := eval[int](b, `document.querySelectorAll("#toasts .toast").length`); n != 0 {
		t.Errorf("%d toasts after deciding: the badge says it, and a toast covered the next case's buttons", n)
	}
	if s := evalString(t, b, `document.querySelector(`+jsString(card)+`).innerText`); strings.Contains(s, "Rejected") {
		t.Errorf("siding with the coder who coded nothing reads as a rejection: %q", s)
	}
	b.shot("decided")
	var got coding.Decision
	for _, dd := range decisionsOf(t, lead, doc) {
		if dd.Start == start {
			got = dd
		}
	}
	if got.Decided != coding.DecisionAcceptedB || got.Reason != reason || got.By != ids["lead"] {
		t.Fatalf("the server holds %+v, want ben's side taken, with the reason, by the lead", got)
	}

	// The reason can be changed afterwards.
	b.run("change the reason", chromedp.Click(chromedp.CSS(card+` button[data-act="reason"]`)))
	b.waitFor("the reason field", `document.activeElement && document.activeElement.classList.contains("adj-reason")`, "", 5*time.Second)
	b.run("type it", chromedp.SetValue(chromedp.CSS(card+` .adj-reason`), "Checked with the definition."), chromedp.Click(chromedp.CSS(card+` .adj-reason-form button[type=submit]`)))
	b.waitFor("the new reason shown", `document.querySelector(`+jsString(card+` .adj-reason-text`)+`) && document.querySelector(`+jsString(card+` .adj-reason-text`)+`).textContent === "Checked with the definition."`, `document.querySelector(`+jsString(card)+`).innerText`, 10*time.Second)
	b.shot("reason-changed")
	b.waitFor("the decisions download to hold the reason", `(async () => {
  const a = document.querySelector(".adj-download");
  const r = await fetch(a.href);
  const text = await r.text();
  return r.status === 200 && text.includes("accepted_b,Checked with the definition.,lead");
})()`, `document.querySelector(".adj-download") && document.querySelector(".adj-download").href`, 10*time.Second)

	// The analysis charts, whose paths come from the server, show it
	// unescaped too.
	b.run("open the analysis", chromedp.Navigate(ts.URL+"/p/peer-support/analysis"))
	b.waitFor("the charts with the code", `document.querySelector(".analysis-page") && document.querySelector(".analysis-page").innerHTML.includes("Rejection / Antipathy")`, "", 10*time.Second)
	if n, _ := eval[int](b, `document.querySelector(".analysis-page").innerHTML.split("Rejection \\/ Antipathy").length - 1`); n != 0 {
		t.Errorf("the analysis shows the escaped path %d times", n)
	}
	b.checkClean()
}

func isSpace(s string) bool {
	for _, r := range s {
		return unicode.IsSpace(r)
	}
	return false
}
