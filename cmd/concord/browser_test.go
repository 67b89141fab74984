package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/concordqda/concord/coding"
)

// The browser tests drive the real UI in headless Chromium through the
// DevTools protocol (chromedp), against the real binary's Main on port 0.

// chromiumPath returns the browser to drive. A missing browser skips the
// test on a developer's machine but fails it in CI, where it must run.
func chromiumPath(t *testing.T) string {
	t.Helper()
	path := os.Getenv("CHROMIUM")
	if path == "" {
		path = "/usr/bin/chromium"
	}
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("no browser at %s (set CHROMIUM, or apt-get install chromium): %v", path, err)
		}
		t.Skipf("no browser at %s (set CHROMIUM, or apt-get install chromium); skipping the browser test", path)
	}
	return path
}

// browser is one headless Chromium with its own profile: one person.
type browser struct {
	t     *testing.T
	name  string
	ctx   context.Context
	shots string

	mu       sync.Mutex
	problems []string // uncaught exceptions and console errors
}

func newBrowser(t *testing.T, exe, name, shots string) *browser {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 800),
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancel()
		acancel()
	})
	b := &browser{t: t, name: name, ctx: ctx, shots: shots}
	// Listen starts the browser (with no deadline: a deadline on the first
	// call would bound the browser's whole life).
	err := chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			text := d.Text
			if d.Exception != nil {
				text += " " + d.Exception.Description
			}
			b.problem(fmt.Sprintf("uncaught exception at %s:%d: %s", d.URL, d.LineNumber+1, text))
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError {
				var parts []string
				for _, a := range ev.Args {
					if a.Description != "" {
						parts = append(parts, a.Description)
					} else {
						parts = append(parts, string(a.Value))
					}
				}
				b.problem("console.error: " + strings.Join(parts, " "))
			}
		case *cdplog.EventEntryAdded:
			// Content-Security-Policy violations and failed loads land here.
			if ev.Entry.Level == cdplog.EntryLevelError && !expectedLog(ev.Entry) {
				b.problem(fmt.Sprintf("%s: %s %s", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL))
			}
		}
	})
	if err != nil {
		t.Fatalf("%s: start %s: %v", name, exe, err)
	}
	b.run("enable the log domain", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, cdplog.Enable, cdp.Empty{})
		return err
	}))
	return b
}

// expectedLog reports whether a logged error is part of normal use: the
// UI asks /api/me to learn whether anyone is signed in, and a 401 is the
// answer "no".
func expectedLog(e *cdplog.Entry) bool {
	return e.Source == cdplog.EntrySourceNetwork && strings.HasSuffix(e.URL, "/api/me") && strings.Contains(e.Text, "401")
}

func (b *browser) problem(s string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.problems = append(b.problems, s)
}

// checkClean fails the test if the page threw or logged errors.
func (b *browser) checkClean() {
	b.t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		b.t.Errorf("%s's page: %s", b.name, p)
	}
	b.problems = nil
}

// run runs actions with a deadline; what names the step in a failure.
func (b *browser) run(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.shot("failed-" + b.name)
		b.t.Fatalf("%s: %s: %v", b.name, what, err)
	}
}

// eval evaluates a JavaScript expression (awaiting a promise) into a T.
func eval[T any](b *browser, expr string) (T, error) {
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	return chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
}

// waitFor polls a JavaScript expression until it returns true. On timeout
// the failure says what was expected and what the page showed instead
// (the value of show, a JavaScript expression).
func (b *browser) waitFor(what, cond, show string, timeout time.Duration) time.Duration {
	b.t.Helper()
	start := time.Now()
	for {
		ok, err := eval[bool](b, "!!("+cond+")")
		if err == nil && ok {
			return time.Since(start)
		}
		if time.Since(start) > timeout {
			var got any
			if show != "" {
				got, _ = eval[any](b, show)
			}
			b.shot("failed-" + b.name)
			b.t.Fatalf("%s: waited %v for %s; it did not happen (eval error: %v; page shows: %v)", b.name, timeout, what, err, got)
		}
		time.Sleep(40 * time.Millisecond)
	}
}

var shotN struct {
	sync.Mutex
	n int
}

// shot saves a screenshot of the viewport as a numbered PNG.
func (b *browser) shot(name string) {
	shotN.Lock()
	shotN.n++
	n := shotN.n
	shotN.Unlock()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Logf("%s: screenshot %s: %v", b.name, name, err)
		return
	}
	path := filepath.Join(b.shots, fmt.Sprintf("%02d-%s.png", n, name))
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		b.t.Logf("screenshot %s: %v", path, err)
	}
}

// keys types text into whatever has focus, as key presses.
func keys(text string, mods ...chromedp.Modifier) chromedp.Action[chromedp.Void] {
	return chromedp.KeyEvent(text, chromedp.KeyModifiers(mods...))
}

// press presses one letter key the way a keyboard does: a keyDown that
// carries its text, so that a page which handles the keydown (and calls
// preventDefault) gets no character typed. chromedp's KeyEvent sends the
// character as a separate event that preventDefault cannot stop.
func press(letter rune) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		up := strings.ToUpper(string(letter))
		p := input.DispatchKeyEventParams{
			Type: input.DispatchKeyEventTypeKeyDown, Key: string(letter), Code: "Key" + up,
			Text: string(letter), UnmodifiedText: string(letter), WindowsVirtualKeyCode: int64(up[0]),
		}
		if _, err := cdp.Call(ctx, tg, input.DispatchKeyEvent, p); err != nil {
			return err
		}
		p.Type, p.Text, p.UnmodifiedText = input.DispatchKeyEventTypeKeyUp, "", ""
		_, err := cdp.Call(ctx, tg, input.DispatchKeyEvent, p)
		return err
	})
}

// signIn goes through the sign-in page and opens a document of a project.
func (b *browser) signIn(base, login, slug, docID string) {
	b.t.Helper()
	b.run("open the sign-in page",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS("#login")),
	)
	b.shot(b.name + "-sign-in")
	b.run("sign in",
		chromedp.SendKeys(chromedp.CSS("#login"), login),
		chromedp.SendKeys(chromedp.CSS("#password"), DemoPassword),
		chromedp.Click(chromedp.CSS(`form.login button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/p/`+slug+`"]`)),
	)
	b.run("open the project",
		chromedp.Click(chromedp.CSS(`a[href="/p/`+slug+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`a.doc[data-doc="`+docID+`"]`)),
	)
	b.shot(b.name + "-documents")
	b.run("open the document",
		chromedp.Click(chromedp.CSS(`a.doc[data-doc="`+docID+`"]`)),
	)
	b.waitFor("the document text", `document.querySelector(".doc-text .block") && document.querySelector(".doc-text").textContent.includes("every day")`, `location.pathname + " " + document.body.innerText.slice(0, 300)`, 10*time.Second)
}

// selectJS selects the first occurrence of phrase in the reader's text by
// setting a DOM Range, as a mouse drag would.
func selectJS(phrase string) string {
	p, _ := json.Marshal(phrase)
	return `(() => {
  const phrase = ` + string(p) + `;
  const root = document.querySelector(".doc-text");
  const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = [];
  let all = "";
  for (let n = walk.nextNode(); n; n = walk.nextNode()) { nodes.push([n, all.length]); all += n.data; }
  const at = all.indexOf(phrase);
  if (at < 0) return false;
  const point = (u) => { for (const [n, s] of nodes) if (u <= s + n.data.length) return [n, u - s]; };
  const r = document.createRange();
  r.setStart(...point(at));
  r.setEnd(...point(at + phrase.length));
  const sel = getSelection();
  sel.removeAllRanges();
  sel.addRange(r);
  return true;
})()`
}

// highlightJS returns the text of the segments drawn for a coding id.
func highlightJS(id string) string {
	return `[...document.querySelectorAll('.seg.coded')].filter(s => s.dataset.codings.split(" ").includes("` + id + `")).map(s => s.textContent).join("")`
}

func TestBrowserTwoCodersLive(t *testing.T) {
	exe := chromiumPath(t)
	started := time.Now()
	shots := filepath.Join("..", "..", "artifacts", "browser")
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	ts := startServer(t)
	lead := ts.login(t, "lead", DemoPassword)

	var proj struct {
		Project coding.Project `json:"project"`
		Members []struct {
			ID, Login string
		} `json:"members"`
	}
	lead.mustDo(200, "GET", "/api/projects/peer-support", nil, &proj)
	ids := map[string]string{}
	for _, m := range proj.Members {
		ids[m.Login] = m.ID
	}
	var codes struct{ Codes []coding.Code }
	lead.mustDo(200, "GET", "/api/projects/peer-support/codes", nil, &codes)
	cb := coding.NewCodebook(codes.Codes)
	// Two codable codes whose names are distinct enough to find by typing.
	var code1, code2 *coding.Code
	for i := range codes.Codes {
		c := &codes.Codes[i]
		if !c.Codable || strings.ContainsAny(c.Name, "’'") {
			continue
		}
		if code1 == nil {
			code1 = c
		} else if code2 == nil && !strings.Contains(strings.ToLower(cb.PathString(c.ID)), strings.ToLower(code1.Name)) {
			code2 = c
		}
	}
	if code1 == nil || code2 == nil {
		t.Fatalf("the demo codebook needs two codable codes; it has %d codes", len(codes.Codes))
	}

	// Precomposed é and ï, a decomposed ë (e + U+0308), an emoji outside
	// the BMP and a ZWJ sequence with a skin tone: every way UTF-16 and
	// code points part company.
	text := "Café owner said: we share 🙂 hope and trust 👩🏽‍⚕️ every day.\nNaïve ideas about recovery, said Zoe\u0308."
	var added struct{ Document coding.Document }
	lead.mustDo(201, "POST", "/api/projects/peer-support/documents", map[string]any{"title": "Emoji interview", "text": text}, &added)
	docID := added.Document.ID

	ana := newBrowser(t, exe, "ana", shots)
	ben := newBrowser(t, exe, "ben", shots)
	ana.signIn(ts.URL, "ana", "peer-support", docID)
	ben.signIn(ts.URL, "ben", "peer-support", docID)
	ana.waitFor("ben to show as reading the document", `document.querySelectorAll(".reader-head .here .avatar").length === 1`, `document.querySelector(".reader-head .here").innerHTML`, 5*time.Second)
	ana.shot("ana-reader-open")

	// codingsOf lists a coder's codings of the document through the API.
	codingsOf := func(coder string) []coding.Coding {
		var out struct{ Codings []coding.Coding }
		lead.mustDo(200, "GET", "/api/projects/peer-support/codings?document="+docID+"&coder="+coder, nil, &out)
		return out.Codings
	}
	// codeWithKeys selects phrase and codes it with the keyboard only.
	codeWithKeys := func(b *browser, phrase string, code *coding.Code) {
		t.Helper()
		if ok, err := eval[bool](b, selectJS(phrase)); err != nil || !ok {
			t.Fatalf("%s: could not select %q in the reader (err %v)", b.name, phrase, err)
		}
		b.waitFor("the selection to be noticed", `document.querySelector(".reader-status").textContent.includes("selected")`, `document.querySelector(".reader-status").textContent`, 3*time.Second)
		b.run("press c", press('c'))
		b.waitFor("the code picker", `document.activeElement && document.activeElement.classList.contains("picker-input")`, `document.activeElement && document.activeElement.outerHTML`, 3*time.Second)
		b.run("type the code's name", keys(code.Name))
		b.waitFor("the code to be first in the picker", `document.querySelector(".picker-item.active") && document.querySelector(".picker-item.active").dataset.code === "`+code.ID+`"`, `[...document.querySelectorAll(".picker-item")].map(e => e.textContent).join(" | ")`, 3*time.Second)
		b.shot(b.name + "-picker")
		b.run("press Enter", keys("\r"))
	}
	// stored waits until the API holds exactly one coding of coder and
	// checks that its offsets slice the text to phrase.
	stored := func(coder, phrase string, code *coding.Code) coding.Coding {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for {
			cs := codingsOf(coder)
			if len(cs) == 1 {
				c := cs[0]
				if got := coding.Slice(text, c.Start, c.End); got != phrase || c.CodeID != code.ID {
					t.Fatalf("stored coding [%d,%d) of code %s slices to %q, want %q of code %s", c.Start, c.End, c.CodeID, got, phrase, code.ID)
				}
				wantStart := utf8.RuneCountInString(text[:strings.Index(text, phrase)])
				if c.Start != wantStart || c.End != wantStart+utf8.RuneCountInString(phrase) {
					t.Fatalf("stored coding is [%d,%d), want [%d,%d) in code points", c.Start, c.End, wantStart, wantStart+utf8.RuneCountInString(phrase))
				}
				return c
			}
			if time.Now().After(deadline) {
				t.Fatalf("the API holds %d codings by %s of the document, want 1: %+v", len(cs), coder, cs)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}

	// Ana codes "share 🙂 hope"; Ben sees it on exactly those characters.
	phrase1 := "share 🙂 hope"
	codeWithKeys(ana, phrase1, code1)
	c1 := stored(ids["ana"], phrase1, code1)
	took := ben.waitFor("ana's highlight on "+phrase1, highlightJS(c1.ID)+` === `+jsString(phrase1), highlightJS(c1.ID), 2*time.Second)
	t.Logf("ben saw ana's coding %v after the API had it", took)
	ana.waitFor("ana's own coding to be confirmed", `document.querySelector('.seg.coded') && !document.querySelector('.seg[data-pending]')`, `document.querySelector(".doc-text").innerHTML`, 3*time.Second)
	ana.shot("ana-coded")
	ben.shot("ben-sees-ana")

	// Ben codes a phrase with a ZWJ emoji sequence; Ana sees it.
	phrase2 := "trust 👩🏽‍⚕️ every"
	codeWithKeys(ben, phrase2, code2)
	c2 := stored(ids["ben"], phrase2, code2)
	ana.waitFor("ben's highlight on "+phrase2, highlightJS(c2.ID)+` === `+jsString(phrase2), highlightJS(c2.ID), 2*time.Second)
	ana.shot("ana-sees-ben")

	// Ben undoes; Ana sees it vanish and the API no longer has it.
	ben.run("press Ctrl+Z", keys("z", chromedp.ModifierCtrl))
	ana.waitFor("ben's coding to vanish after his undo", `!document.querySelector('.seg.coded[data-codings~="`+c2.ID+`"]')`, `document.querySelector(".doc-text").innerHTML`, 2*time.Second)
	if cs := codingsOf(ids["ben"]); len(cs) != 0 {
		t.Fatalf("after ben's undo the API still has his codings: %+v", cs)
	}
	if got := evalString(t, ana, highlightJS(c1.ID)); got != phrase1 {
		t.Errorf("after ben's undo ana's own highlight reads %q, want %q", got, phrase1)
	}
	ana.shot("ana-after-ben-undo")
	ben.shot("ben-after-undo")

	ana.checkClean()
	ben.checkClean()
	t.Logf("browser scenario took %v", time.Since(started))
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func evalString(t *testing.T, b *browser, expr string) string {
	t.Helper()
	s, err := eval[string](b, expr)
	if err != nil {
		t.Fatalf("%s: evaluate %s: %v", b.name, expr, err)
	}
	return s
}

// TestBrowserOffsets runs offsets.js in the browser on tricky strings and
// compares every conversion with Go's own count of code points.
func TestBrowserOffsets(t *testing.T) {
	exe := chromiumPath(t)
	ts := startServer(t)
	b := newBrowser(t, exe, "offsets", filepath.Join("..", "..", "artifacts", "browser"))
	b.run("open a page of the server", chromedp.Navigate(ts.URL+"/login"), chromedp.WaitReady(chromedp.CSS("body")))

	cases := []string{
		"",
		"plain ascii",
		"Café naïve",                 // precomposed
		"Cafe\u0301 nai\u0308ve",     // combining marks
		"🙂",                          // one astral code point
		"a🙂b😀c",                      // several
		"👩🏽‍⚕️ health worker",        // ZWJ sequence with skin tone and VS16
		"🇨🇦 flag and 𝄞 clef",         // regional indicators, musical symbol
		"line one\nline two 🙂\n",     // line breaks
		strings.Repeat("ab🙂\n", 400), // long enough to split into blocks
		strings.Repeat("x", 5000) + "🙂" + strings.Repeat("y", 5000), // no line breaks at all
	}
	for _, s := range cases {
		name := s
		if len(name) > 24 {
			name = name[:24]
		}
		t.Run(name, func(t *testing.T) {
			// Go's truth: for each code point offset, the UTF-16 offset.
			var u16 []int
			n := 0
			for _, r := range s {
				u16 = append(u16, n)
				if r >= 0x10000 {
					n += 2
				} else {
					n++
				}
			}
			u16 = append(u16, n)
			in, _ := json.Marshal(s)
			js := `import("/offsets.js").then(m => {
  const s = ` + string(in) + `;
  const n = m.cpLength(s);
  const toU16 = [], toCp = [], ceilMid = [], floorMid = [];
  for (let i = 0; i <= n; i++) toU16.push(m.cpToUtf16(s, i));
  for (const u of toU16) toCp.push(m.utf16ToCp(s, u));
  for (let u = 0; u < s.length; u++) {
    const c = s.charCodeAt(u);
    if (c >= 0xdc00 && c <= 0xdfff) { ceilMid.push(m.utf16ToCp(s, u, "ceil")); floorMid.push(m.utf16ToCp(s, u, "floor")); }
  }
  const blocks = m.splitBlocks(s, 300);
  return {length: n, toU16, toCp, ceilMid, floorMid,
    blocks: blocks.map(b => [b.cpStart, b.cpEnd, b.u16Start, b.u16End]),
    joined: blocks.map(b => b.text).join("") === s};
})`
			got, err := eval[offsetsResult](b, js)
			if err != nil {
				t.Fatalf("evaluate offsets.js: %v", err)
			}
			want := utf8.RuneCountInString(s)
			if got.Length != want {
				t.Fatalf("cpLength = %d, want %d", got.Length, want)
			}
			for i := range u16 {
				if got.ToU16[i] != u16[i] {
					t.Fatalf("cpToUtf16(%d) = %d, want %d", i, got.ToU16[i], u16[i])
				}
				if got.ToCp[i] != i {
					t.Fatalf("utf16ToCp(%d) = %d, want %d", u16[i], got.ToCp[i], i)
				}
			}
			// Inside a surrogate pair: floor is the code point before, ceil after.
			k := 0
			for i, r := range []rune(s) {
				if r < 0x10000 {
					continue
				}
				if got.FloorMid[k] != i || got.CeilMid[k] != i+1 {
					t.Fatalf("inside the pair of code point %d: floor %d ceil %d, want %d and %d", i, got.FloorMid[k], got.CeilMid[k], i, i+1)
				}
				k++
			}
			if !got.Joined {
				t.Fatal("splitBlocks: the blocks do not add up to the text")
			}
			prev := 0
			for i, bl := range got.Blocks {
				if bl[0] != prev || u16[bl[0]] != bl[2] || u16[bl[1]] != bl[3] {
					t.Fatalf("block %d = %v, want code points from %d with UTF-16 offsets matching Go's", i, bl, prev)
				}
				prev = bl[1]
			}
			if prev != want {
				t.Fatalf("blocks end at code point %d, want %d", prev, want)
			}
		})
	}
	b.checkClean()
}

// offsetsResult is what the offsets test computes in the page.
type offsetsResult struct {
	Length   int     `json:"length"`
	ToU16    []int   `json:"toU16"`
	ToCp     []int   `json:"toCp"`
	CeilMid  []int   `json:"ceilMid"`
	FloorMid []int   `json:"floorMid"`
	Blocks   [][]int `json:"blocks"`
	Joined   bool    `json:"joined"`
}
