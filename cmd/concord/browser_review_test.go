package main

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/concordqda/concord/coding"
	"github.com/concordqda/concord/coding/agreement"
)

// TestBrowserReview has the lead open the agreement dashboard of the demo
// project, watch it follow a coder's work live, click a cell, open a
// disagreement side by side and accept coder A's version; ana, reading
// the document, sees the consensus coding appear live. A rejection is
// recorded on the server and follows another lead's changes live, and a
// rejection an older version kept in the browser is handed to the server.
func TestBrowserReview(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	started := time.Now()
	shots := shotsDir(t, "review")
	ts := startServer(t)
	lead := ts.login(t, "lead", DemoPassword)
	ben := ts.login(t, "ben", DemoPassword)

	var proj struct {
		Project   struct{ ID string }
		Consensus string `json:"consensus"`
		Members   []struct{ ID, Login string }
	}
	lead.mustDo(200, "GET", "/api/projects/peer-support", nil, &proj)
	ids := map[string]string{}
	for _, m := range proj.Members {
		ids[m.Login] = m.ID
	}

	// The worst code, and the first stretch ana coded there and ben did not.
	var report agreement.Report
	lead.mustDo(200, "GET", "/api/projects/peer-support/agreement?bootstrap=0", nil, &report)
	type diff struct {
		agreement.Disagreement
		Excerpt string `json:"excerpt"`
	}
	var code string
	var pick *diff
	for _, row := range report.Codes {
		var ds struct{ Disagreements []diff }
		lead.mustDo(200, "GET", "/api/projects/peer-support/agreement/disagreements?"+url.Values{"code": {row.Code}, "a": {"ana"}, "b": {"ben"}}.Encode(), nil, &ds)
		for i, d := range ds.Disagreements {
			if d.Coder == ids["ana"] {
				code, pick = row.Code, &ds.Disagreements[i]
				break
			}
		}
		if pick != nil {
			break
		}
	}
	if pick == nil {
		t.Fatal("the demo project has no stretch that ana coded and ben did not")
	}
	var anaHere struct{ Codings []coding.Coding }
	lead.mustDo(200, "GET", "/api/projects/peer-support/codings?"+url.Values{"document": {pick.Document}, "coder": {ids["ana"]}, "code": {code}}.Encode(), nil, &anaHere)
	var anaCoding *coding.Coding
	for i, c := range anaHere.Codings {
		if c.Start <= pick.Start && pick.Start < c.End {
			anaCoding = &anaHere.Codings[i]
		}
	}
	if anaCoding == nil {
		t.Fatalf("no coding of ana's covers the disagreement %+v", pick)
	}
	var doc struct{ Document coding.Document }
	lead.mustDo(200, "GET", "/api/projects/peer-support/documents/"+pick.Document, nil, &doc)
	wantText := coding.Slice(doc.Document.Text, anaCoding.Start, anaCoding.End)

	// Ana reads the document at that place.
	ana := newBrowser(t, exe, "ana", shots)
	ana.signIn(ts.URL, "ana", "peer-support", pick.Document, coding.Slice(doc.Document.Text, 0, 12))
	ana.run("open the document at the disagreement", chromedp.Navigate(fmt.Sprintf("%s/p/peer-support/d/%s?at=%d", ts.URL, pick.Document, pick.Start)))
	ana.waitFor("the text at the disagreement", `document.querySelector(".doc-text").textContent.includes(`+jsString(pick.Excerpt)+`)`, `document.querySelector(".doc-text").textContent.slice(0, 200)`, 10*time.Second)

	// The lead signs in and opens the dashboard from the top bar.
	b := newBrowser(t, exe, "lead", shots)
	b.run("sign in", chromedp.Navigate(ts.URL+"/p/peer-support"), chromedp.WaitVisible(chromedp.CSS("#login")),
		chromedp.SendKeys(chromedp.CSS("#login"), "lead"), chromedp.SendKeys(chromedp.CSS("#password"), DemoPassword+"\r"),
		chromedp.WaitVisible(chromedp.CSS(".topbar .nav-agreement")))
	// A rejection from before the server kept them, in this browser only:
	// opening a review hands it over.
	oldKey := fmt.Sprintf("%s|%s|%s|%s|0|1", pick.Document, code, ids["ana"], ids["ben"])
	oldList := "concord.rejected." + proj.Project.ID
	b.run("keep a rejection the old way", chromedp.Evaluate[chromedp.Void](`localStorage.setItem(`+jsString(oldList)+`, JSON.stringify([`+jsString(oldKey)+`]))`))
	b.run("open the dashboard", chromedp.Click(chromedp.CSS(".topbar .nav-agreement")))
	cell := fmt.Sprintf(`.agr-cell[data-cell="%s|%s|%s"]`, code, ids["ana"], ids["ben"])
	b.waitFor("the heatmap", `document.querySelector(`+jsString(cell)+`)`, `document.querySelector(".agreement") && document.querySelector(".agreement").innerText.slice(0, 300)`, 10*time.Second)
	if first := evalString(t, b, `document.querySelector(".agr-cell").dataset.code`); first != report.Codes[0].Code {
		t.Errorf("the first row is code %s, want the worst, %s", first, report.Codes[0].Code)
	}
	if n, _ := eval[int](b, `document.querySelectorAll(".agr-legend .agr-key").length`); n < 3 {
		t.Errorf("the legend has %d keys, want the colour scale", n)
	}
	// The legend names the coefficient and where its thresholds come from;
	// a cell's details hold κ and percent agreement beside α; the overall
	// count says what it counts.
	legendText := evalString(t, b, `document.querySelector(".agr-legend").innerText`)
	for _, want := range []string{"Krippendorff's α", "Krippendorff 2004", "≥ .800 reliable", "≥ .667 tentative"} {
		if !strings.Contains(legendText, want) {
			t.Errorf("the legend %q does not say %q", legendText, want)
		}
	}
	title := evalString(t, b, `document.querySelector(`+jsString(cell)+`).title`)
	for _, want := range []string{"Krippendorff's α: ", "Cohen's κ: ", "percent agreement: "} {
		if !strings.Contains(title, want) {
			t.Errorf("the cell's details %q lack %q", title, want)
		}
	}
	if o := evalString(t, b, `document.querySelector(".agr-overall").innerText`); !strings.Contains(o, "code × character units compared") {
		t.Errorf("the overall figure %q does not say it counts code × character units", o)
	}
	b.shot("dashboard")

	// Ben codes: the dashboard follows without a reload.
	before := evalString(t, b, `document.querySelector(`+jsString(cell)+`).title`)
	other := ""
	for _, d := range report.Documents {
		if d.Document != pick.Document {
			other = d.Document
			break
		}
	}
	ben.mustDo(201, "POST", "/api/projects/peer-support/codings", map[string]any{"document": other, "code": code, "start": 0, "end": 40}, nil)
	b.waitFor("the dashboard to recompute after ben coded", `document.querySelector(`+jsString(cell)+`).title !== `+jsString(before), `document.querySelector(`+jsString(cell)+`).title`, 10*time.Second)

	// Enter on the focused cell lists the disagreements.
	b.run("focus the cell and press Enter", chromedp.Focus(chromedp.CSS(cell)), keys("\r"))
	item := fmt.Sprintf(`a.agr-diff[href$="doc=%s&at=%d"]`, pick.Document, pick.Start)
	b.waitFor("the list of disagreements", `document.querySelector(`+jsString(item)+`)`, `document.querySelector(".agr-list").innerText.slice(0, 300)`, 10*time.Second)
	b.shot("disagreements")

	// Side by side, accept A.
	b.run("open it side by side", chromedp.Click(chromedp.CSS(item)))
	b.waitFor("the case of the disagreement to be focused", `document.activeElement && document.activeElement.matches("[data-case]") && +document.activeElement.dataset.start <= `+fmt.Sprint(pick.Start)+` && document.activeElement.textContent.includes(`+jsString(pick.Excerpt)+`)`, `document.querySelector(".adjudicate") && document.querySelector(".adjudicate").innerText.slice(0, 300)`, 10*time.Second)
	b.shot("side-by-side")
	b.waitFor("the browser's old rejection list to be handed over", `localStorage.getItem(`+jsString(oldList)+`) === null`, "", 10*time.Second)
	if d, ok := decisionsOf(t, lead, pick.Document)[oldKey]; !ok || d.By != ids["lead"] || d.Start != 0 || d.End != 1 || d.CoderA != ids["ana"] {
		t.Errorf("the rejection kept in the browser is on the server as %+v (found: %v); want it, by the lead", d, ok)
	}
	b.run("accept A", chromedp.Click(chromedp.CSS(`[data-case]:focus button[data-act="a"]`)))
	consensus := waitConsensus(t, lead, pick.Document, proj.Consensus, 1)[0]
	if consensus.Start != anaCoding.Start || consensus.End != anaCoding.End || consensus.CodeID != anaCoding.CodeID {
		t.Errorf("consensus coding is %s [%d,%d), want ana's %s [%d,%d)", consensus.CodeID, consensus.Start, consensus.End, anaCoding.CodeID, anaCoding.Start, anaCoding.End)
	}
	took := ana.waitFor("the consensus coding to appear in ana's reader", highlightJS(consensus.ID)+` === `+jsString(wantText), highlightJS(consensus.ID), 2*time.Second)
	t.Logf("ana saw the consensus coding %v after the API had it", took)
	b.waitFor("the case to show as settled", `document.querySelector('[data-case] .adj-badge.settled')`, `document.querySelector(".adj-cases").innerText.slice(0, 300)`, 10*time.Second)
	b.shot("settled")
	ana.shot("ana-sees-consensus")
	if n, _ := eval[int](ana, `document.querySelectorAll(".topbar .nav-agreement").length`); n != 0 {
		t.Errorf("ana, a coder, has %d links to the agreement dashboard; want none", n)
	}

	// Edit span on another open case, by keyboard: e, then the offsets.
	open := `document.querySelector("[data-case]:not(.done)")`
	if ok, _ := eval[bool](b, "!!"+open); ok {
		caseStart, _ := eval[int](b, "+"+open+".dataset.start")
		b.run("focus the open case and press e", chromedp.Evaluate[chromedp.Void](open+".focus()"), press('e'))
		b.waitFor("the span editor", `document.activeElement && document.activeElement.closest(".adj-edit")`, "", 10*time.Second)
		b.run("set the span", chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const f = document.querySelector(".adj-edit"); const [s, e] = f.querySelectorAll("input[type=number]");
  s.value = "%d"; e.value = "%d"; e.dispatchEvent(new Event("input")); })()`, caseStart+1, caseStart+11)))
		b.shot("edit-span")
		clickWhenThere(b, "save it", `.adj-edit button[type="submit"]`)
		edited := waitConsensus(t, lead, pick.Document, proj.Consensus, 2)
		found := false
		for _, c := range edited {
			found = found || (c.Start == caseStart+1 && c.End == caseStart+11)
		}
		if !found {
			t.Errorf("after editing the span the consensus holds %+v, want a coding [%d,%d)", edited, caseStart+1, caseStart+11)
		}
		// Undo clears it from the consensus again.
		sel := fmt.Sprintf(`[data-case][data-start="%d"] button[data-act="undo"]`, caseStart)
		clickWhenThere(b, "undo it", sel)
		waitConsensus(t, lead, pick.Document, proj.Consensus, 1)

		// Reject writes nothing, and can be undone too.
		again := fmt.Sprintf(`[data-case][data-start="%d"]`, caseStart)
		b.waitFor("the case to be open again", `document.querySelector(`+jsString(again+` .adj-badge.open`)+`)`, "", 10*time.Second)
		b.run("reject it with r", chromedp.Evaluate[chromedp.Void](`document.querySelector(`+jsString(again)+`).focus()`), press('r'))
		b.waitFor("the case to show as rejected", `document.querySelector(`+jsString(again+` .adj-badge.rejected`)+`)`, "", 10*time.Second)
		b.shot("rejected")
		waitConsensus(t, lead, pick.Document, proj.Consensus, 1)
		// The rejection is on the server, by the lead, for every lead.
		key := evalString(t, b, `document.querySelector(`+jsString(again)+`).dataset.case`)
		rejected, ok := decisionsOf(t, lead, pick.Document)[key]
		if !ok || rejected.By != ids["lead"] || rejected.Decided != coding.DecisionRejected || rejected.Start != caseStart {
			t.Fatalf("after r the server holds %+v (found: %v) for case %q; want the lead's rejection", rejected, ok, key)
		}
		// A second lead takes it back and rejects it again, elsewhere: the
		// review follows without a reload.
		lead2 := ts.sessionFor(t, "lead2", proj.Project.ID, coding.RoleLead)
		// It is taken back while the review is reloading: ana codes
		// something else in the document, the review reloads, and its
		// reload is held with the decisions read (the rejection still in
		// them) and the codings not yet answered. The live event of the
		// take-back arrives in that gap, and must outlast the reload (it
		// once did not: the reload put back the rejection it had read).
		otherCode := report.Codes[0].Code
		if otherCode == code {
			otherCode = report.Codes[1].Code
		}
		b.run("forget the requests so far", chromedp.Evaluate[chromedp.Void](`performance.clearResourceTimings()`))
		held, release := b.holdRequests("*/codings?document=*")
		requested := func(path string) string {
			return `performance.getEntriesByType("resource").filter((e) => e.name.includes(` + jsString(path) + `)).length`
		}
		ts.login(t, "ana", DemoPassword).mustDo(201, "POST", "/api/projects/peer-support/codings", map[string]any{"document": pick.Document, "code": otherCode, "start": 0, "end": 5}, nil)
		b.waitFor("the review to reload its decisions", requested("/decisions?document=")+` > 0`, requested("/decisions?document="), 10*time.Second)
		waitAPI(t, "the review's reload to have its three codings requests held", func() bool { return held() >= 3 })
		lead2.mustDo(200, "DELETE", "/api/projects/peer-support/decisions?"+url.Values{"key": {key}}.Encode(), nil, nil)
		b.waitFor("the case to reopen live when another lead takes the rejection back", `document.querySelector(`+jsString(again+` .adj-badge.open`)+`)`, "", 10*time.Second)
		b.run("mark the case as drawn before the reload", chromedp.Evaluate[chromedp.Void](`document.querySelector(`+jsString(again)+`).beforeReload = true`))
		release()
		b.waitFor("the reload to draw the cases again", `(() => { const c = document.querySelector(`+jsString(again)+`); return c && !c.beforeReload; })()`, "", 10*time.Second)
		if ok, _ := eval[bool](b, `!!document.querySelector(`+jsString(again+` .adj-badge.open`)+`)`); !ok {
			b.shot("failed-reload-brought-back")
			t.Fatalf("after the reload the case shows %q; the rejection taken back during it came back", evalString(t, b, `document.querySelector(`+jsString(again)+`).innerText`))
		}
		body := map[string]any{"key": key, "document": rejected.Document, "code": rejected.Code, "coder_a": rejected.CoderA, "coder_b": rejected.CoderB,
			"start": rejected.Start, "end": rejected.End, "decided": rejected.Decided}
		lead2.mustDo(200, "PUT", "/api/projects/peer-support/decisions", body, nil)
		b.waitFor("another lead's rejection to show live, with their name", `document.querySelector(`+jsString(again+` .adj-badge.rejected`)+`).textContent.includes("lead2")`,
			`document.querySelector(`+jsString(again)+`).innerText`, 10*time.Second)
		b.shot("rejected-by-another-lead")
		clickWhenThere(b, "undo the rejection", again+` button[data-act="undo"]`)
		b.waitFor("the case to be open after undoing the rejection", `document.querySelector(`+jsString(again+` .adj-badge.open`)+`)`, "", 10*time.Second)
		if _, ok := decisionsOf(t, lead2, pick.Document)[key]; ok {
			t.Errorf("after undoing the rejection the server still holds it")
		}
	}

	// Back on the dashboard, the consensus layer can join the comparison.
	b.run("back to the dashboard", chromedp.Click(chromedp.CSS(".adjudicate .back")))
	b.waitFor("the heatmap again", `document.querySelector(".agr-cell")`, "", 10*time.Second)
	b.run("compare with consensus", chromedp.Click(chromedp.CSS(`.agr-tools input[type="checkbox"]`)))
	b.waitFor("columns for the consensus layer", `document.querySelectorAll(".agr-table thead th").length === 4 && document.querySelector(".agr-table thead").textContent.includes("Consensus")`,
		`document.querySelector(".agreement").innerText.slice(0, 400)`, 10*time.Second)
	b.shot("with-consensus")

	// Another unit: figures that cannot be computed say why.
	b.run("choose presence", chromedp.SetValue(chromedp.CSS(`.agr-tools select`), "presence"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector(".agr-tools select").dispatchEvent(new Event("change"))`))
	b.waitFor("an undefined cell with its reason", `document.querySelector('.agr-grid[data-unit="presence"] .agr-cell.undefined[title*="Cannot be computed: "]')`,
		`document.querySelector(".agreement").innerText.slice(0, 400)`, 10*time.Second)
	b.shot("presence")

	b.checkClean()
	ana.checkClean()
	t.Logf("review scenario took %v", time.Since(started))
}

// waitConsensus waits until the consensus layer holds n codings of a
// document, and returns them.
func waitConsensus(t *testing.T, c *apiClient, doc, consensus string, n int) []coding.Coding {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var out struct{ Codings []coding.Coding }
		c.mustDo(200, "GET", "/api/projects/peer-support/codings?"+url.Values{"document": {doc}, "coder": {consensus}}.Encode(), nil, &out)
		if len(out.Codings) == n {
			return out.Codings
		}
		if time.Now().After(deadline) {
			t.Fatalf("the consensus layer holds %d codings of the document, want %d: %+v", len(out.Codings), n, out.Codings)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// decisionsOf returns the leads' decisions on a document's cases, by key.
func decisionsOf(t *testing.T, c *apiClient, doc string) map[string]coding.Decision {
	t.Helper()
	var out struct{ Decisions []coding.Decision }
	c.mustDo(200, "GET", "/api/projects/peer-support/decisions?"+url.Values{"document": {doc}}.Encode(), nil, &out)
	m := map[string]coding.Decision{}
	for _, d := range out.Decisions {
		m[d.Key] = d
	}
	return m
}

// clickWhenThere waits for a button and clicks it in the same step. The
// review redraws its cases on live events, which can replace a button
// between a lookup and a mouse click at its place.
func clickWhenThere(b *browser, what, selector string) {
	b.t.Helper()
	b.waitFor(what, `(() => { const e = document.querySelector(`+jsString(selector)+`); if (e) e.click(); return !!e; })()`, "", 10*time.Second)
}
