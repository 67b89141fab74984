package main

import (
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/concordqda/concord/coding"
)

// TestBrowserRetrievalAtScale pages through 20,000 coded segments in the
// retrieval view, keeping the filter; sees a segment's paragraph break;
// downloads a CSV of more segments than one request brings; and clicks
// through from a co-occurrence heatmap cell (by keyboard) and a crosstab
// cell to exactly their segments, and finds a frequency bar leading to its
// own.
func TestBrowserRetrievalAtScale(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	ts := startServer(t)
	br := newBigRetrieval(t, ts)
	alpha, beta, rej := br.Codes["Alpha"], br.Codes["Beta"], br.Codes["Rejection / Antipathy"]
	of := func(code string) []coding.Coding {
		var out []coding.Coding
		for _, c := range br.Codings {
			if c.CodeID == code {
				out = append(out, c)
			}
		}
		return out
	}
	all := len(br.Codings)

	b := newBrowser(t, exe, "lead", shotsDir(t, "retrieval"))
	b.signIn(ts.URL, "lead", br.Slug, br.Short, "0123456789")
	base := ts.URL + "/p/" + br.Slug
	summary := `document.querySelector("#seg-summary").textContent`
	wantSummary := func(what, text string) {
		t.Helper()
		b.waitFor(what, summary+` === `+jsString(text), summary, 15*time.Second)
	}

	// The first page of everything, then page by page with a filter on.
	b.run("open coded segments", chromedp.Navigate(base+"/segments"))
	wantSummary("the first page", fmt.Sprintf("1–500 of %s segments in 2 documents.", thousands(all)))
	if n, _ := eval[int](b, `document.querySelectorAll(".segment").length`); n != 500 {
		t.Fatalf("%d segments on the first page, want 500", n)
	}
	// A segment that runs across a paragraph break shows it: its highlight
	// spans several lines although its text would fit on one.
	lines, err := eval[int](b, `(() => { const m = [...document.querySelectorAll(".segment mark")].find((m) => m.textContent.includes("\n\n")); return m ? m.getClientRects().length : -1; })()`)
	if err != nil || lines < 4 {
		t.Errorf("a segment across a paragraph break shows on %d lines, want its 5 (%v)", lines, err)
	}
	b.shot("first-page")
	b.run("choose a code", chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector("#seg-code"); s.value = `+jsString(rej)+`; s.dispatchEvent(new Event("change")); })()`))
	rejs := len(of(rej))
	wantSummary("the code's first page", fmt.Sprintf("1–500 of %s segments in 2 documents.", thousands(rejs)))
	b.run("next page, by keyboard", chromedp.Focus(chromedp.CSS(`.seg-pager [data-page="next"]`)), keys("\r"))
	wantSummary("the second page", fmt.Sprintf("501–1,000 of %s segments in 2 documents.", thousands(rejs)))
	b.waitFor("the filter and the page in the URL", `location.search.includes("code=`+rej+`") && location.search.includes("offset=500") && document.querySelector("#seg-code").value === `+jsString(rej), "location.search", 5*time.Second)
	label, _ := eval[string](b, `document.querySelector(".segment .chip").textContent`)
	if !strings.Contains(label, "Rejection / Antipathy") || strings.Contains(label, `\/`) {
		t.Errorf("segment label %q: want the code's name as typed", label)
	}
	b.shot("second-page")
	b.run("the bottom pager's previous page", chromedp.Click(chromedp.CSS(`.segments + .seg-pager [data-page="prev"]`)))
	wantSummary("the first page again", fmt.Sprintf("1–500 of %s segments in 2 documents.", thousands(rejs)))
	last := (rejs - 1) / 500 * 500
	b.run("open the last page by its URL", chromedp.Navigate(fmt.Sprintf("%s/segments?code=%s&offset=%d", base, rej, last)))
	wantSummary("the last page", fmt.Sprintf("%s–%s of %s segments in 2 documents.", thousands(last+1), thousands(rejs), thousands(rejs)))
	if off, _ := eval[bool](b, `document.querySelector('.seg-pager [data-page="next"]').disabled`); !off {
		t.Error("Next is enabled on the last page")
	}
	// The CSV holds every segment of the filter, gathered 2,000 at a time.
	anas := 0
	for _, c := range of(rej) {
		if c.CoderID == br.Ana {
			anas++
		}
	}
	dir := t.TempDir()
	b.downloadsTo(dir)
	b.run("open Ana's segments of the code", chromedp.Navigate(fmt.Sprintf("%s/segments?code=%s&coder=%s", base, rej, br.Ana)))
	wantSummary("Ana's segments", fmt.Sprintf("1–500 of %s segments in 2 documents.", thousands(anas)))
	b.run("download CSV", chromedp.Click(chromedp.CSS("#seg-csv")))
	b.waitFor("the CSV gathered", `document.querySelector("#seg-csv").textContent === "Download CSV"`, `document.querySelector("#seg-csv").textContent`, 60*time.Second)
	data := b.waitDownload(dir, "big-segments.csv")
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(data), "\ufeff"))).ReadAll()
	if err != nil || len(rows) != anas+1 {
		t.Errorf("the CSV has %d rows (%v), want a header and %d segments", len(rows), err, anas)
	}

	// Click-through from the analysis.
	analysis := func() {
		t.Helper()
		b.run("open analysis", chromedp.Navigate(base+"/analysis"))
		b.waitFor("the charts", `document.querySelector("#freq-chart a.mark-link") && document.querySelector("#co-chart a.mark-link") && document.querySelector("#ct-table a.ct-link")`,
			`document.querySelector("main").innerText.slice(0, 300)`, 60*time.Second)
	}
	analysis()
	heat, _ := eval[string](b, `document.querySelector("#co-chart svg").textContent`)
	if !strings.Contains(heat, "Themes › Rejection / Antipathy") || strings.Contains(heat, `\/`) {
		t.Errorf("the heatmap's labels do not show the code as typed: %.300q", heat)
	}
	b.shot("analysis")
	// A frequency bar leads to its code's segments, by the same kind of
	// link as the heatmap's cells.
	bar := `#freq-chart a.mark-link[href$="/segments?code=` + rej + `"]`
	if ok, _ := eval[bool](b, `!!document.querySelector(`+jsString(bar)+`)`); !ok {
		t.Errorf("no bar links to the segments of Rejection / Antipathy")
	}
	// A heatmap cell, by keyboard: Alpha's codings that meet Beta's.
	cell := `#co-chart a.mark-link[href*="code=` + alpha + `"][href*="with=` + beta + `"]`
	b.run("focus the Alpha × Beta cell", chromedp.Focus(chromedp.CSS(cell)), chromedp.ScrollIntoView(chromedp.CSS(cell)))
	b.shot("heatmap-cell-focused")
	b.run("press Enter", keys("\r"))
	met := len(coding.Meeting(of(alpha), of(beta), 0))
	wantSummary("Alpha meeting Beta", fmt.Sprintf("1–500 of %s segments in 2 documents.", thousands(met)))
	note, _ := eval[string](b, `document.querySelector("#seg-meets").textContent`)
	if !strings.Contains(note, "meet a coding of Themes › Beta") {
		t.Errorf("the segments page says %q about the heatmap's filter", note)
	}
	if codes, _ := eval[string](b, `[...new Set([...document.querySelectorAll(".segment .chip")].map((c) => c.textContent))].join("|")`); codes != "Themes › Alpha · Lee Adler (lead)|Themes › Alpha · Ana Ruiz" && codes != "Themes › Alpha · Ana Ruiz|Themes › Alpha · Lee Adler (lead)" {
		t.Errorf("codes shown for the Alpha × Beta cell: %q", codes)
	}
	b.shot("heatmap-cell")
	// A crosstab cell: Beta in documents whose site is south.
	analysis()
	b.run("click the Beta × south cell", chromedp.Click(chromedp.CSS(`#ct-table a.ct-link[href*="code=`+beta+`"][href*="attr=site%3Asouth"]`)))
	wantSummary("Beta in the south", "2 segments in 1 document.")
	if titles, _ := eval[string](b, `[...document.querySelectorAll(".segment .doc-link")].map((a) => a.textContent).join("|")`); titles != "Short note|Short note" {
		t.Errorf("the crosstab cell's segments are in %q", titles)
	}
	b.shot("crosstab-cell")
	b.checkClean()
}

// thousands writes n as the UI does (en-US grouping).
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// TestBrowserAgreementCellSegments opens an agreement heatmap cell by
// keyboard and follows its link to the two coders' codings of the code.
func TestBrowserAgreementCellSegments(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	ts := startServer(t)
	lead := ts.login(t, "lead", DemoPassword)
	ana, ben := ts.login(t, "ana", DemoPassword).userID(t), ts.login(t, "ben", DemoPassword).userID(t)
	var docs struct{ Documents []coding.Document }
	lead.mustDo(200, "GET", "/api/projects/peer-support/documents", nil, &docs)
	b := newBrowser(t, exe, "lead", shotsDir(t, "agreement-segments"))
	b.signIn(ts.URL, "lead", "peer-support", docs.Documents[0].ID, "")

	b.run("open agreement", chromedp.Navigate(ts.URL+"/p/peer-support/agreement"))
	first := `.agr-cell:not(.undefined)`
	b.waitFor("the heatmap", `document.querySelector(`+jsString(first)+`)`, "", 30*time.Second)
	code := evalString(t, b, `document.querySelector(`+jsString(first)+`).dataset.code`)
	var want segmentsPage
	lead.mustDo(200, "GET", "/api/projects/peer-support/segments?limit=1&code="+code+"&coder="+ana+","+ben, nil, &want)
	if want.Total == 0 {
		t.Fatalf("the demo's first agreement cell has no codings behind it")
	}
	b.run("open the cell by keyboard", chromedp.Focus(chromedp.CSS(first)), keys("\r"))
	b.waitFor("the link to the segments", `document.querySelector("#agr-segments")`, "", 30*time.Second)
	b.shot("cell")
	b.run("follow it by keyboard", chromedp.Focus(chromedp.CSS("#agr-segments")), keys("\r"))
	b.waitFor("the two coders' segments", `document.querySelector("#seg-summary").textContent === `+jsString(fmt.Sprintf("%d segments in %d documents.", want.Total, want.Documents)),
		`document.querySelector("#seg-summary") && document.querySelector("#seg-summary").textContent`, 15*time.Second)
	if who := evalString(t, b, `document.querySelector("#seg-coder").selectedOptions[0].textContent`); who != "Ana Ruiz and Ben Okafor" && who != "Ben Okafor and Ana Ruiz" {
		t.Errorf("the coder filter reads %q, want the pair", who)
	}
	if code != evalString(t, b, `document.querySelector("#seg-code").value`) {
		t.Errorf("the code filter is not the cell's code")
	}
	b.shot("segments")
	b.checkClean()
}
