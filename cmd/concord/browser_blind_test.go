package main

import (
	"strings"
	"testing"
	"time"

	"github.com/concordqda/concord/coding"
)

// A blinded coder's page gets cursors instead of sequence numbers: the
// reader must still confirm her own coding, show a code the lead makes
// while she reads, and not show another coder's work.
func TestBrowserBlindCoderLive(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	shots := shotsDir(t, "blindlive")
	ts := startServer(t)
	lead, ben := ts.login(t, "lead", DemoPassword), ts.login(t, "ben", DemoPassword)
	lead.mustDo(200, "PATCH", "/api/projects/peer-support", map[string]any{"blind": true}, nil)
	text := "We meet every week and share what helped.\nSome weeks nobody comes."
	var added struct{ Document coding.Document }
	lead.mustDo(201, "POST", "/api/projects/peer-support/documents", map[string]any{"title": "Blind interview", "text": text}, &added)
	docID := added.Document.ID
	var codes struct{ Codes []coding.Code }
	lead.mustDo(200, "GET", "/api/projects/peer-support/codes", nil, &codes)
	var code *coding.Code
	for i := range codes.Codes {
		if c := &codes.Codes[i]; c.Codable && !strings.ContainsAny(c.Name, "’'") {
			code = c
			break
		}
	}
	if code == nil {
		t.Fatal("the demo codebook has no codable code")
	}

	ana := newBrowser(t, exe, "ana", shots)
	ana.signIn(ts.URL, "ana", "peer-support", docID, "every week")

	// Ana codes a phrase with the keyboard; the server's answer and her
	// own event (with a cursor for seq) settle it.
	phrase := "share what helped"
	if ok, err := eval[bool](ana, selectJS(phrase)); err != nil || !ok {
		t.Fatalf("could not select %q in the reader (err %v)", phrase, err)
	}
	ana.waitFor("the selection to be noticed", `document.querySelector(".reader-status").textContent.includes("selected")`, `document.querySelector(".reader-status").textContent`, 10*time.Second)
	ana.run("press c", press('c'))
	ana.waitFor("the code picker", `document.activeElement && document.activeElement.classList.contains("picker-input")`, `document.activeElement && document.activeElement.outerHTML`, 10*time.Second)
	ana.run("type the code's name", keys(code.Name))
	ana.waitFor("the code to be first in the picker", `document.querySelector(".picker-item.active") && document.querySelector(".picker-item.active").dataset.code === "`+code.ID+`"`, `[...document.querySelectorAll(".picker-item")].map(e => e.textContent).join(" | ")`, 10*time.Second)
	ana.run("press Enter", keys("\r"))
	ana.waitFor("ana's coding to be confirmed", `document.querySelectorAll('.seg.coded').length > 0 && !document.querySelector('.seg[data-pending]') && [...document.querySelectorAll('.seg.coded')].map(s => s.textContent).join("") === `+jsString(phrase), `document.querySelector(".doc-text").innerHTML`, 10*time.Second)

	// Ben's coding stays hidden; the lead's new code arrives live, after
	// it in the log, so once the code shows, Ben's coding would have too.
	var benCoding struct{ Coding coding.Coding }
	ben.mustDo(201, "POST", "/api/projects/peer-support/codings", map[string]any{"document": docID, "code": code.ID, "start": 0, "end": 7}, &benCoding)
	name := "Arrived while blind"
	lead.mustDo(201, "POST", "/api/projects/peer-support/codes", map[string]any{"name": name}, nil)
	ana.waitFor("the lead's new code in ana's codebook", `document.querySelector(".codebook") && document.querySelector(".codebook").textContent.includes(`+jsString(name)+`)`, `document.querySelector(".codebook") && document.querySelector(".codebook").textContent`, 10*time.Second)
	if got := evalString(t, ana, highlightJS(benCoding.Coding.ID)); got != "" {
		t.Errorf("ana, blinded, sees ben's coding on %q", got)
	}
	if got := evalString(t, ana, `[...document.querySelectorAll('.seg.coded')].map(s => s.textContent).join("")`); got != phrase {
		t.Errorf("ana's coded text = %q, want %q", got, phrase)
	}
	ana.shot("ana-blind-live")
}
