package main

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/concordqda/concord/coding"
)

// TestBrowserAssignments: the lead assigns a 20% reliability sample to ana
// and ben from the documents page; ana sees her assigned document, opens
// it and marks it done with the keyboard; the lead's documents page shows
// that live, and the agreement dashboard says what it compares and warns
// that ben has not marked his document done.
func TestBrowserAssignments(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	shots := shotsDir(t, "assign")
	ts := startServer(t)
	lead := ts.login(t, "lead", DemoPassword)
	var proj struct {
		Project struct{ ID string }
		Members []struct{ ID, Login string }
	}
	lead.mustDo(200, "GET", "/api/projects/peer-support", nil, &proj)
	ids := map[string]string{}
	for _, m := range proj.Members {
		ids[m.Login] = m.ID
	}

	// The lead opens the documents page and the "Assign…" dialog.
	b := newBrowser(t, exe, "lead", shots)
	b.run("sign in", chromedp.Navigate(ts.URL+"/p/peer-support"), chromedp.WaitVisible(chromedp.CSS("#login")),
		chromedp.SendKeys(chromedp.CSS("#login"), "lead"), chromedp.SendKeys(chromedp.CSS("#password"), DemoPassword+"\r"),
		chromedp.WaitVisible(chromedp.CSS("#assign-open")))
	b.run("open the dialog", chromedp.Click(chromedp.CSS("#assign-open")), chromedp.WaitVisible(chromedp.CSS("dialog #assign-go")))
	checked := evalString(t, b, `[...document.querySelectorAll("dialog input[name=assign-coder]:checked")].map(i => i.value).sort().join(",")`)
	want := []string{ids["ana"], ids["ben"]}
	slices.Sort(want)
	if checked != strings.Join(want, ",") {
		t.Errorf("coders ticked at first: %s, want ana and ben (the coders)", checked)
	}
	b.run("a 20% sample with seed 5", chromedp.SetValue(chromedp.CSS("#assign-percent"), "20"), chromedp.SendKeys(chromedp.CSS("#assign-seed"), "5"))
	b.shot("assign-dialog")
	b.run("assign", chromedp.Click(chromedp.CSS("#assign-go")))
	b.waitFor("the dialog to report the sample", `document.querySelector("dialog .assign-status .ok") && document.querySelector("dialog .assign-status").textContent.includes("seed 5")`,
		`document.querySelector("dialog .assign-status").textContent`, 10*time.Second)
	b.shot("assigned")

	var list struct{ Assignments []coding.Assignment }
	lead.mustDo(200, "GET", "/api/projects/peer-support/assignments", nil, &list)
	var sampled []string
	for _, a := range list.Assignments {
		if a.Coder == ids["ana"] {
			sampled = append(sampled, a.Document)
		}
	}
	if len(sampled) != 1 || len(list.Assignments) != 2 {
		t.Fatalf("after assigning 20%% of the 5 demo documents to ana and ben: %+v; want one document each, the same", list.Assignments)
	}
	doc := sampled[0]
	b.run("close the dialog", chromedp.Evaluate[chromedp.Void](`document.querySelector("dialog").close()`))
	card := `li[data-doc="` + doc + `"]`
	b.waitFor("the sampled document to show both coders assigned", `document.querySelectorAll(`+jsString(card+` .badge[data-coder]`)+`).length === 2`,
		`document.querySelector(".doclist").innerText.slice(0, 400)`, 10*time.Second)

	// Ana sees her document, narrows the list to it, opens it, presses d.
	ana := newBrowser(t, exe, "ana", shots)
	ana.run("sign in", chromedp.Navigate(ts.URL+"/p/peer-support"), chromedp.WaitVisible(chromedp.CSS("#login")),
		chromedp.SendKeys(chromedp.CSS("#login"), "ana"), chromedp.SendKeys(chromedp.CSS("#password"), DemoPassword+"\r"),
		chromedp.WaitVisible(chromedp.CSS(card+" .badge.mine")))
	ana.run("show only my documents", chromedp.Click(chromedp.CSS("#mine-only")))
	if n, _ := eval[int](ana, `document.querySelectorAll(".doclist a.doc").length`); n != 1 {
		t.Errorf("with “Assigned to you”, ana's list shows %d documents, want 1", n)
	}
	ana.shot("ana-assigned-to-you")
	ana.run("open it from the keyboard", chromedp.Focus(chromedp.CSS(`a.doc[data-doc="`+doc+`"]`)), keys("\r"))
	ana.waitFor("the reader with its Mark done button", `document.querySelector("#mark-done") && document.querySelector(".doc-text .block")`, `document.body.innerText.slice(0, 300)`, 10*time.Second)
	ana.waitFor("the button to know the document is assigned", `document.querySelector("#mark-done").title.startsWith("Assigned to you")`, `document.querySelector("#mark-done").title`, 10*time.Second)
	ana.run("press d", chromedp.Evaluate[chromedp.Void](`document.querySelector(".scroller").focus()`), press('d'))
	ana.waitFor("the button to show done", `document.querySelector("#mark-done").textContent === "Done ✓ (undo)" && document.querySelector("#mark-done").getAttribute("aria-pressed") === "true"`,
		`document.querySelector("#mark-done").textContent`, 10*time.Second)
	ana.shot("ana-marked-done")

	// The lead's page shows it without a reload.
	b.waitFor("ana's done mark to appear live", `document.querySelector(`+jsString(card+` .badge.done[data-coder="`+ids["ana"]+`"]`)+`)`,
		`document.querySelector(`+jsString(card)+`).innerText`, 10*time.Second)
	if ok, _ := eval[bool](b, `!!document.querySelector(`+jsString(card+` .badge.done[data-coder="`+ids["ben"]+`"]`)+`)`); ok {
		t.Error("ben shows as done on the lead's page; he did not mark it")
	}
	b.run("scroll to it", chromedp.Evaluate[chromedp.Void](`document.querySelector(`+jsString(card)+`).scrollIntoView({block: "center"})`))
	b.shot("lead-sees-done")

	// The dashboard says what it compares and warns about ben.
	b.run("open the dashboard", chromedp.Click(chromedp.CSS(".topbar .nav-agreement")))
	b.waitFor("the basis sentence", `document.querySelector(".agr-basis-note") && document.querySelector(".agr-basis-note").textContent.includes("compared on the documents assigned to them or marked done by them")`,
		`document.querySelector(".agreement") && document.querySelector(".agreement").innerText.slice(0, 400)`, 20*time.Second)
	warn := evalString(t, b, `[...document.querySelectorAll(".agr-warnings li[data-kind=assigned_not_done]")].map(li => li.textContent).join(" | ")`)
	if !strings.Contains(warn, "ben has 1 document assigned but not marked done") || strings.Contains(warn, "ana has") {
		t.Errorf("the dashboard warns %q, want ben's document not done (and nothing about ana's)", warn)
	}
	b.run("scroll to the sentence", chromedp.Evaluate[chromedp.Void](`document.querySelector(".agr-overall").scrollIntoView({block: "start"})`))
	b.shot("dashboard-basis")

	// Ana takes the mark back with the button, from the keyboard too.
	ana.run("focus the button and press Enter", chromedp.Focus(chromedp.CSS("#mark-done")), keys("\r"))
	ana.waitFor("the button to offer Mark done again", `document.querySelector("#mark-done").textContent === "Mark done"`, `document.querySelector("#mark-done").textContent`, 10*time.Second)
	lead.mustDo(200, "GET", "/api/projects/peer-support/assignments", nil, &list)
	for _, a := range list.Assignments {
		if a.Done {
			t.Errorf("after ana's undo the server has %+v done", a)
		}
	}
	b.checkClean()
	ana.checkClean()
}
