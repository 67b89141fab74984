package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/concordqda/concord/coding"
)

// TestBrowserCodebookDialog has the lead edit a code low in the reader's
// codebook: the editor opens in a dialog in view, without scrolling; then
// deleting it says how many codings (by whom) it has and chooses nothing
// for them until the lead does; moving them works.
func TestBrowserCodebookDialog(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	ts := startServer(t)
	api := ts.login(t, "lead", DemoPassword)
	ids := api.demo()
	var all struct{ Codings []coding.Coding }
	api.mustDo(200, "GET", "/api/projects/peer-support/codings", nil, &all)
	used := map[string]int{}
	for _, c := range all.Codings {
		used[c.CodeID]++
	}
	var docs struct{ Documents []coding.Document }
	api.mustDo(200, "GET", "/api/projects/peer-support/documents", nil, &docs)

	b := newBrowser(t, exe, "lead", shotsDir(t, "code-editor"))
	b.signIn(ts.URL, "lead", "peer-support", docs.Documents[0].ID, "")
	b.waitFor("the codebook", `document.querySelectorAll(".codebook .code-row").length > 5`, "", 10*time.Second)
	// The lowest code with codings, and no sub-codes, in the tree.
	usedJS := "new Set(["
	for id := range used {
		usedJS += jsString(id) + ","
	}
	usedJS += "])"
	target := evalString(t, b, `(() => { const used = `+usedJS+`;
  const rows = [...document.querySelectorAll(".codebook .code-row:not(.category)")].filter((r) => used.has(r.dataset.code) && !r.parentElement.querySelector("ul"));
  return rows[rows.length - 1].dataset.code; })()`)
	row := `.codebook .code-row[data-code="` + target + `"]`
	b.run("select the code", chromedp.ScrollIntoView(chromedp.CSS(row)), chromedp.Click(chromedp.CSS(row)))
	b.waitFor("the Edit button on the row", `document.querySelector(`+jsString(row+` [data-act=edit]`)+`)`, "", 5*time.Second)
	b.run("open the editor", chromedp.Click(chromedp.CSS(row+` [data-act=edit]`)))
	b.waitFor("the editor in a dialog, in view, its name focused", `(() => { const d = document.querySelector("dialog[open]"); if (!d) return false;
  const r = d.getBoundingClientRect();
  return r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth && d.contains(document.activeElement) && document.activeElement.value !== ""; })()`,
		`document.querySelector("dialog[open]") && document.querySelector("dialog[open]").getBoundingClientRect().toJSON()`, 5*time.Second)
	b.shot("edit-dialog")
	// A new definition, saved from the dialog.
	b.run("write a definition", chromedp.SetValue(chromedp.CSS(`dialog[open] textarea`), "Defined in the dialog."), chromedp.Click(chromedp.CSS(`dialog[open] button[type=submit]`)))
	b.waitFor("the dialog to close", `!document.querySelector("dialog[open]")`, "", 5*time.Second)
	var codes struct{ Codes []coding.Code }
	api.mustDo(200, "GET", "/api/projects/peer-support/codes", nil, &codes)
	for _, c := range codes.Codes {
		if c.ID == target && c.Description != "Defined in the dialog." {
			t.Errorf("the saved definition is %q", c.Description)
		}
	}

	// Delete: the count, by coder, and no choice made for the lead.
	b.run("open the editor with e", chromedp.Focus(chromedp.CSS(row)), keys("e"))
	b.waitFor("the editor", `document.querySelector("dialog[open] .code-editor")`, "", 5*time.Second)
	b.run("press Delete…", chromedp.Click(chromedp.CSS(`dialog[open] button.danger`)))
	n := used[target]
	b.waitFor("the count of codings", `document.querySelector("dialog[open] .usage-codings") && document.querySelector("dialog[open] .usage-codings").textContent.includes(`+jsString(fmt.Sprintf("It has %d coding", n))+`)`,
		`document.querySelector("dialog[open]") && document.querySelector("dialog[open]").innerText`, 10*time.Second)
	text := evalString(t, b, `document.querySelector("dialog[open]").innerText`)
	for _, who := range []string{"Ana Ruiz", "Ben Okafor"} {
		if !strings.Contains(text, "by "+who) {
			t.Logf("the dialog does not name %s (they may not have used the code): %q", who, text)
		}
	}
	if got := evalString(t, b, `[...document.querySelectorAll("dialog[open] input[type=radio]")].filter(r => r.checked).length + "|" + document.querySelector("#move-to").value + "|" + document.querySelector("dialog[open] button[type=submit]").disabled`); got != "0||true" {
		t.Errorf("checked choices | destination | delete disabled = %q, want nothing chosen and the button disabled", got)
	}
	b.shot("delete-dialog")
	// Choosing a destination chooses "move"; the button says what it does.
	dest := ""
	for _, c := range ids.Codes {
		if c != target {
			dest = c
			break
		}
	}
	b.run("choose where the codings go", chromedp.SetValue(chromedp.CSS("#move-to"), dest), chromedp.Evaluate[chromedp.Void](`document.querySelector("#move-to").dispatchEvent(new Event("change"))`))
	want := fmt.Sprintf("Move %d coding", n)
	b.waitFor("the button to say it moves them", `(() => { const go = document.querySelector("dialog[open] button[type=submit]"); return !go.disabled && go.textContent.startsWith(`+jsString(want)+`) && document.querySelector("#what-move").checked; })()`,
		`document.querySelector("dialog[open] button[type=submit]").textContent`, 5*time.Second)
	b.shot("delete-move")
	b.run("delete", chromedp.Click(chromedp.CSS(`dialog[open] button[type=submit]`)))
	b.waitFor("the code gone from the tree", `!document.querySelector(`+jsString(row)+`) && !document.querySelector("dialog[open]")`, "", 10*time.Second)
	api.mustDo(200, "GET", "/api/projects/peer-support/codings", nil, &all)
	moved := 0
	for _, c := range all.Codings {
		if c.CodeID == target {
			t.Fatalf("a coding of the deleted code remains: %+v", c)
		}
		if c.CodeID == dest {
			moved++
		}
	}
	if moved < n {
		t.Errorf("%d codings of the destination after moving %d into it", moved, n)
	}
	b.checkClean()
}
