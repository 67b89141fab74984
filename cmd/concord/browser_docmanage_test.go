package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/concordqda/concord/coding"
)

// pasteJS pastes text at the element sel as a spreadsheet's copy would
// arrive: a paste event carrying the text.
func pasteJS(sel, text string) string {
	return `(() => { const el = document.querySelector(` + jsString(sel) + `); el.focus();
	  const dt = new DataTransfer(); dt.setData("text/plain", ` + jsString(text) + `);
	  el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true })); })()`
}

// TestBrowserDocumentManagement: the lead renames a document with F2,
// fills the attribute sheet by pasting a block from a spreadsheet (after a
// refused save with two columns of one name), moves a document up with
// Alt+↑, deletes the document a coder has open after a confirmation that
// counts its codings (the coder's reader says so and leaves), and restores
// it from the Trash with every coding.
func TestBrowserDocumentManagement(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	shots := shotsDir(t, "docmanage")
	ts := startServer(t)
	lead := ts.login(t, "lead", DemoPassword)
	ids := lead.demo()
	pid := ids.Project
	docs := lead.documents(pid)
	var kept struct{ Codings []coding.Coding }
	lead.mustDo(200, "GET", "/api/projects/"+pid+"/documents/"+ids.Doc+"/codings", nil, &kept)
	var renamed coding.Document
	for _, d := range docs {
		if d.ID != ids.Doc {
			renamed = d
			break
		}
	}

	b := newBrowser(t, exe, "lead", shots)
	b.run("sign in", chromedp.Navigate(ts.URL+"/p/peer-support"), chromedp.WaitVisible(chromedp.CSS("#login")),
		chromedp.SendKeys(chromedp.CSS("#login"), "lead"), chromedp.SendKeys(chromedp.CSS("#password"), DemoPassword+"\r"),
		chromedp.WaitVisible(chromedp.CSS("#sheet-open")))
	ana := newBrowser(t, exe, "ana", shots)
	ana.signIn(ts.URL, "ana", "peer-support", ids.Doc, "")

	// Rename from the keyboard.
	card := func(id string) string { return `a.doc[data-doc="` + id + `"]` }
	b.run("F2 on a document", chromedp.Focus(chromedp.CSS(card(renamed.ID))), keys(kb.F2), chromedp.WaitVisible(chromedp.CSS("#rename-title")))
	b.run("type the new title", chromedp.Evaluate[chromedp.Void](`document.querySelector("#rename-title").value = ""`), chromedp.SendKeys(chromedp.CSS("#rename-title"), "Focus group, renamed\r"))
	b.waitFor("the new title in the list", `document.querySelector(`+jsString(card(renamed.ID)+" .title")+`).textContent === "Focus group, renamed"`,
		`document.querySelector(`+jsString(card(renamed.ID))+`).innerText`, 10*time.Second)

	// The attribute sheet: a new column named and filled by one paste,
	// a folder and sets by another.
	b.run("open the sheet", chromedp.Click(chromedp.CSS("#sheet-open")), chromedp.WaitVisible(chromedp.CSS("table.casesheet")))
	b.run("add a column", chromedp.Click(chromedp.CSS("#sheet-add-col")))
	col := evalString(t, b, `document.activeElement.dataset.c`)
	b.run("paste a column with its name", chromedp.Evaluate[chromedp.Void](pasteJS(`input[data-r="-1"][data-c="`+col+`"]`, "wave\r\n1\r\n2\r\n1\r\n2\r\n1\r\n2\r\n")))
	if got := evalString(t, b, `document.querySelector(".sheet-status").textContent`); !strings.Contains(got, "did not fit") {
		t.Errorf("a paste one row longer than the sheet says %q, want it to say a row did not fit", got)
	}
	b.run("paste folder and sets as CSV", chromedp.Evaluate[chromedp.Void](pasteJS(`input[data-r="0"][data-c="1"]`, "Pilot,\"pilot, reliability\"\nPilot,reliability\n")))
	// Keyboard: down from the first row's folder reaches the second's.
	b.run("arrow down", chromedp.Focus(chromedp.CSS(`input[data-r="0"][data-c="1"]`)), keys(kb.ArrowDown))
	if got := evalString(t, b, `document.activeElement.dataset.r + "," + document.activeElement.dataset.c`); got != "1,1" {
		t.Errorf("ArrowDown from row 0, column 1 went to %s, want 1,1", got)
	}
	b.shot("attribute-sheet")
	// Two columns of one name: refused in the sheet, nothing sent.
	b.run("add a second wave column", chromedp.Click(chromedp.CSS("#sheet-add-col")), keys("wave"), chromedp.Click(chromedp.CSS("#sheet-save")))
	b.waitFor("the duplicate to be refused", `document.querySelector("dialog.sheet .error").textContent.includes("Two columns are called “wave”")`,
		`document.querySelector("dialog.sheet .error").textContent`, 5*time.Second)
	b.shot("attribute-sheet-refused")
	b.run("remove it and save", chromedp.Click(chromedp.CSS(`th:last-child .remove-col`)), chromedp.Click(chromedp.CSS("#sheet-save")))
	b.waitFor("the sheet to close and the folder to show", `!document.querySelector("dialog.sheet") && [...document.querySelectorAll(".folder-head h2")].some(h => h.textContent === "Pilot")`,
		`(document.querySelector("dialog.sheet .error") || document.body).innerText.slice(0, 300)`, 10*time.Second)
	after := lead.documents(pid)
	if d := after[0]; d.Folder != "Pilot" || strings.Join(d.Sets, "|") != "pilot|reliability" || d.Attributes["wave"] != "1" {
		t.Errorf("after the sheet the first document is %+v", d)
	}
	for i, d := range after {
		if want := string(rune('1' + i%2)); d.Attributes["wave"] != want {
			t.Errorf("document %d has wave %q, want %q", i, d.Attributes["wave"], want)
		}
	}
	b.shot("documents-with-folders")

	// Reorder: Alt+↑ moves the last document of the folderless group up.
	rest := after[2:]
	last := rest[len(rest)-1].ID
	b.run("Alt+ArrowUp", chromedp.Focus(chromedp.CSS(card(last))), keys(kb.ArrowUp, chromedp.ModifierAlt))
	b.waitFor("the order to change", `(() => { const ids = [...document.querySelectorAll(".doclist a.doc")].map(a => a.dataset.doc); return ids.indexOf(`+jsString(last)+`) === ids.length - 2; })()`,
		`[...document.querySelectorAll(".doclist a.doc .title")].map(a => a.textContent).join(" | ")`, 10*time.Second)
	if got := docIDs(lead.documents(pid)); got[len(got)-2] != last {
		t.Errorf("the server's order does not have the moved document one up: %v", got)
	}
	if got := evalString(t, b, `document.activeElement.dataset.doc || ""`); got != last {
		t.Errorf("after moving, focus is on %q, want the moved document", got)
	}

	// Delete the document ana has open.
	b.run("Delete on ana's document", chromedp.Focus(chromedp.CSS(card(ids.Doc))), keys(kb.Delete))
	b.waitFor("the confirmation to count the codings", `document.querySelector("#delete-what") && document.querySelector("#delete-what").textContent.includes("`+fmt.Sprintf("%d codings", len(kept.Codings))+`")`,
		`document.querySelector("#delete-what") && document.querySelector("#delete-what").textContent`, 10*time.Second)
	b.shot("delete-confirmation")
	b.run("confirm", chromedp.Click(chromedp.CSS("#delete-confirm")))
	b.waitFor("the document to leave the list", `!document.querySelector(`+jsString(card(ids.Doc))+`)`, `document.querySelector(".doclist").innerText.slice(0, 300)`, 10*time.Second)
	ana.waitFor("ana's reader to say the document was deleted", `document.querySelector("#deleted-back") && document.querySelector("dialog").textContent.includes("moved")`,
		`document.body.innerText.slice(0, 300)`, 10*time.Second)
	ana.shot("reader-document-deleted")
	ana.run("back to the documents", chromedp.Click(chromedp.CSS("#deleted-back")))
	ana.waitFor("the documents page without it", `location.pathname === "/p/peer-support" && document.querySelector(".doclist a.doc") && !document.querySelector(`+jsString(card(ids.Doc))+`)`,
		`location.pathname`, 10*time.Second)

	// Restore from the Trash.
	b.run("open the trash", chromedp.Click(chromedp.CSS("#trash-open")))
	b.waitFor("the deleted document in the trash", `document.querySelector(`+jsString(`#trash li[data-doc="`+ids.Doc+`"]`)+`)`, `document.querySelector("#trash").innerText`, 10*time.Second)
	b.shot("trash")
	b.run("restore it", chromedp.Click(chromedp.CSS(`#trash button.restore[data-doc="`+ids.Doc+`"]`)))
	b.waitFor("the trash to be empty", `document.querySelector("#trash").textContent.includes("The trash is empty")`, `document.querySelector("#trash").innerText`, 10*time.Second)
	b.run("close the trash", chromedp.Evaluate[chromedp.Void](`document.querySelector("#trash").close()`))
	b.waitFor("the document back in the list", `document.querySelector(`+jsString(card(ids.Doc))+`)`, `document.querySelector(".doclist").innerText.slice(0, 300)`, 10*time.Second)
	ana.waitFor("the document back in ana's list, live", `document.querySelector(`+jsString(card(ids.Doc))+`)`, `document.querySelector(".doclist").innerText.slice(0, 300)`, 10*time.Second)
	var back struct{ Codings []coding.Coding }
	lead.mustDo(200, "GET", "/api/projects/"+pid+"/documents/"+ids.Doc+"/codings", nil, &back)
	if len(back.Codings) != len(kept.Codings) {
		t.Errorf("after restore the document has %d codings, want %d", len(back.Codings), len(kept.Codings))
	}
	b.shot("restored")

	// The reader's ] follows the project's order.
	order := docIDs(lead.documents(pid))
	ana.run("open the first document", chromedp.Navigate(ts.URL+"/p/peer-support/d/"+order[0]))
	ana.waitFor("the next link", `document.querySelector(".doc-next") && !document.querySelector(".doc-next").hidden && document.querySelector(".doc-text .block")`,
		`document.body.innerText.slice(0, 200)`, 10*time.Second)
	ana.run("press ]", chromedp.Evaluate[chromedp.Void](`document.querySelector(".scroller").focus()`), keys("]"))
	ana.waitFor("the second document", `location.pathname === "/p/peer-support/d/`+order[1]+`"`, `location.pathname`, 10*time.Second)
	ana.waitFor("its text and both links", `document.querySelector(".doc-text .block") && !document.querySelector(".doc-prev").hidden`, `document.body.innerText.slice(0, 200)`, 10*time.Second)
	ana.shot("reader-previous-next")

	// The coded segments' document filter offers the sets.
	b.run("open coded segments", chromedp.Navigate(ts.URL+"/p/peer-support/segments"))
	b.waitFor("the segments", `document.querySelector("#seg-doc option[value='set:reliability']") && /segments? in/.test(document.querySelector(".segments-page [role=status]").textContent)`,
		`document.querySelector(".segments-page").innerText.slice(0, 300)`, 10*time.Second)
	everyone := evalString(t, b, `document.querySelector(".segments-page [role=status]").textContent`)
	b.run("pick the reliability set", chromedp.SetValue(chromedp.CSS("#seg-doc"), "set:reliability"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#seg-doc").dispatchEvent(new Event("change"))`))
	b.waitFor("fewer segments, in 2 documents", `/in 2 documents/.test(document.querySelector(".segments-page [role=status]").textContent) && location.search.includes("set=reliability")`,
		`document.querySelector(".segments-page [role=status]").textContent + " (before: `+strings.ReplaceAll(everyone, "`", "")+`)"`, 10*time.Second)
	b.checkClean()
	ana.checkClean()
}
