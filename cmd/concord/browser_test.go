package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/input"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/concordqda/concord/coding"
)

// The browser tests drive the real UI in headless Chromium through the
// DevTools protocol (chromedp), against the real binary's Main on port 0.

// chromiumPath returns the browser to drive: $CHROMIUM, else Debian's
// chromium-headless-shell, else its chromium. A missing browser skips the
// test on a developer's machine but fails it in CI, where it must run.
//
// The headless shell is Chromium's Blink, V8 and compositor without the
// browser's own window and its user interface: the same page, laid out
// and run the same way, for about 60% of the CPU (the suite's browser
// tests: 132 CPU-seconds instead of 221 on two cores). CHROMIUM=/usr/bin/chromium
// runs them in the full browser.
func chromiumPath(t *testing.T) string {
	t.Helper()
	candidates := []string{"/usr/bin/chromium-headless-shell", "/usr/bin/chromium"}
	if path := os.Getenv("CHROMIUM"); path != "" {
		candidates = []string{path}
	}
	var err error
	for _, path := range candidates {
		if _, err = os.Stat(path); err == nil {
			return path
		}
	}
	const install = "set CHROMIUM, or apt-get install chromium-headless-shell"
	if os.Getenv("CI") != "" {
		t.Fatalf("no browser (%s): %v", install, err)
	}
	t.Skipf("no browser (%s); skipping the browser test: %v", install, err)
	return ""
}

// browser is one person: a tab in a browser context of its own (an
// incognito-like profile with its own cookies, storage and cache) in the
// test binary's one headless Chromium.
type browser struct {
	t     *testing.T
	name  string
	ctx   context.Context
	shots shotSet

	mu       sync.Mutex
	problems []string // uncaught exceptions and console errors
}

// chromium is the test binary's one Chromium process, started by the
// first browser test that needs it and stopped by TestMain. Starting a
// Chromium costs about a second of CPU; a browser context costs little
// and isolates as well for what the tests check (cookies, storage, cache).
var chromium struct {
	once   sync.Once
	ctx    context.Context // the browser's first tab; parent of every person's context
	cancel func()
	err    error
}

// sharedChromium starts the one Chromium at exe, once.
func sharedChromium(exe string) (context.Context, error) {
	chromium.once.Do(func() {
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
			chromedp.WindowSize(1280, 800),
		}
		dir, err := os.MkdirTemp("", "concord-chromium-")
		if err != nil {
			chromium.err = err
			return
		}
		opts = append(opts, chromedp.UserDataDir(dir))
		actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancel := chromedp.NewContext(actx)
		chromium.ctx = ctx
		chromium.cancel = func() {
			cancel()
			acancel()
			os.RemoveAll(dir)
		}
		// The first Run starts the browser (with no deadline: a deadline
		// here would bound the browser's whole life).
		if err := chromedp.Do(ctx); err != nil {
			chromium.err = fmt.Errorf("start %s: %w", exe, err)
		}
	})
	return chromium.ctx, chromium.err
}

// stopChromium stops the shared Chromium, if a test started it.
func stopChromium() {
	if chromium.cancel != nil {
		chromium.cancel()
	}
}

func newBrowser(t *testing.T, exe, name string, shots shotSet) *browser {
	t.Helper()
	root, err := sharedChromium(exe)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	// Each person gets a new browser context in a new window (so the tab
	// is visible and gets animation frames); cancel closes the tab and
	// disposes of the context with its cookies and storage.
	ctx, cancel := chromedp.NewContext(root, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	b := &browser{t: t, name: name, ctx: ctx, shots: shots}
	// Listen opens the tab (with no deadline: a deadline on the first call
	// would bound the tab's whole life).
	err = chromedp.Listen(ctx, func(ev any) {
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
		t.Fatalf("%s: open a tab in %s: %v", name, exe, err)
	}
	b.run("enable the log domain", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, cdplog.Enable, cdp.Empty{})
		return err
	}))
	// Each person asks for reduced motion, as some people do: a blinking
	// caret kept Chromium drawing frames in software for as long as a
	// document was open (5% of a core per window, idle), and the tests
	// keep several windows open at once. What it changes is cosmetic.
	b.run("ask for reduced motion", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}},
		})
		return err
	}))
	return b
}

// expectedLog reports whether a logged error is part of normal use: the
// UI asks /api/me to learn whether anyone is signed in, and a 401 is the
// answer "no"; requests fail while a test has taken the browser offline.
func expectedLog(e *cdplog.Entry) bool {
	if e.Source != cdplog.EntrySourceNetwork {
		return false
	}
	return (strings.HasSuffix(e.URL, "/api/me") && strings.Contains(e.Text, "401")) || strings.Contains(e.Text, "ERR_INTERNET_DISCONNECTED")
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

// holdRequests makes the tab's requests whose URL matches pattern (a
// DevTools Fetch pattern: * for any run of characters) wait in the
// browser, unanswered, until release lets them go, so that a test can
// make something happen while a page's answer is out. held counts the
// requests waiting.
func (b *browser) holdRequests(pattern string) (held func() int, release func()) {
	b.t.Helper()
	var mu sync.Mutex
	var ids []fetch.RequestID
	// A second listener on the tab; it only records, as Listen requires.
	if err := chromedp.Listen(b.ctx, func(ev any) {
		if ev, ok := ev.(*fetch.EventRequestPaused); ok {
			mu.Lock()
			ids = append(ids, ev.RequestID)
			mu.Unlock()
		}
	}); err != nil {
		b.t.Fatalf("%s: listen for held requests: %v", b.name, err)
	}
	b.run("hold requests to "+pattern, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: pattern}}})
		return err
	}))
	held = func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(ids)
	}
	release = func() {
		b.t.Helper()
		b.run("let the held requests go", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			take := func() []fetch.RequestID {
				mu.Lock()
				defer mu.Unlock()
				waiting := ids
				ids = nil
				return waiting
			}
			for _, id := range take() {
				if _, err := cdp.Call(ctx, tg, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: id}); err != nil {
					return fmt.Errorf("request %s: %w", id, err)
				}
			}
			if _, err := cdp.Call(ctx, tg, fetch.Disable, cdp.Empty{}); err != nil {
				return err
			}
			// One held after the first pass may already have gone with
			// the Disable; the error for that one says nothing.
			for _, id := range take() {
				cdp.Call(ctx, tg, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: id})
			}
			return nil
		}))
	}
	return held, release
}

// shotsDir returns where a test's screenshots go (artifacts/browser at
// the repository root; tests run in cmd/concord) and removes the ones an
// earlier run of the same test left, named prefix-NN-….png.
func shotsDir(t *testing.T, prefix string) shotSet {
	t.Helper()
	dir := filepath.Join("..", "..", "artifacts", "browser")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// Only this test's numbered shots: "review-*" would also take
	// "review-words-…", another test's, perhaps running beside this one.
	old, _ := filepath.Glob(filepath.Join(dir, prefix+"-[0-9][0-9]-*.png"))
	for _, f := range old {
		os.Remove(f)
	}
	return shotSet{dir: dir, prefix: prefix, n: new(int), mu: new(sync.Mutex)}
}

// shotSet numbers one test's screenshots in the order they are taken.
type shotSet struct {
	dir, prefix string
	mu          *sync.Mutex
	n           *int
}

func (s shotSet) next(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	*s.n++
	return filepath.Join(s.dir, fmt.Sprintf("%s-%02d-%s.png", s.prefix, *s.n, name))
}

// shot saves a screenshot of the viewport as a numbered PNG.
func (b *browser) shot(name string) {
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Logf("%s: screenshot %s: %v", b.name, name, err)
		return
	}
	path := b.shots.next(name)
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
func (b *browser) signIn(base, login, slug, docID, expect string) {
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
	b.waitFor("the document text", `document.querySelector(".doc-text .block") && document.querySelector(".doc-text").textContent.includes(`+jsString(expect)+`)`, `location.pathname + " " + document.body.innerText.slice(0, 300)`, 10*time.Second)
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
	t.Parallel()
	exe := chromiumPath(t)
	started := time.Now()
	shots := shotsDir(t, "live")
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
	ana.signIn(ts.URL, "ana", "peer-support", docID, "every day")
	ben.signIn(ts.URL, "ben", "peer-support", docID, "every day")
	ana.waitFor("ben to show as reading the document", `document.querySelectorAll(".reader-head .here .avatar").length === 1`, `document.querySelector(".reader-head .here").innerHTML`, 10*time.Second)
	ana.shot("ana-reader-open")
	if n, _ := eval[int](ana, `document.querySelectorAll(".codebook .panel-head button").length`); n != 0 {
		t.Errorf("ana, a coder, sees %d lead-only codebook buttons; want none", n)
	}

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
		b.waitFor("the selection to be noticed", `document.querySelector(".reader-status").textContent.includes("selected")`, `document.querySelector(".reader-status").textContent`, 10*time.Second)
		b.run("press c", press('c'))
		b.waitFor("the code picker", `document.activeElement && document.activeElement.classList.contains("picker-input")`, `document.activeElement && document.activeElement.outerHTML`, 10*time.Second)
		b.run("type the code's name", keys(code.Name))
		b.waitFor("the code to be first in the picker", `document.querySelector(".picker-item.active") && document.querySelector(".picker-item.active").dataset.code === "`+code.ID+`"`, `[...document.querySelectorAll(".picker-item")].map(e => e.textContent).join(" | ")`, 10*time.Second)
		b.shot(b.name + "-picker")
		b.run("press Enter", keys("\r"))
	}
	// stored waits until the API holds exactly one coding of coder and
	// checks that its offsets slice the text to phrase.
	stored := func(coder, phrase string, code *coding.Code) coding.Coding {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
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
	ana.waitFor("ana's own coding to be confirmed", `document.querySelector('.seg.coded') && !document.querySelector('.seg[data-pending]')`, `document.querySelector(".doc-text").innerHTML`, 10*time.Second)
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

	// Redo brings the same coding back, and Ana sees it again.
	ben.run("press Ctrl+Y", keys("y", chromedp.ModifierCtrl))
	ana.waitFor("ben's coding back after his redo", highlightJS(c2.ID)+` === `+jsString(phrase2), highlightJS(c2.ID), 2*time.Second)
	if cs := codingsOf(ids["ben"]); len(cs) != 1 || cs[0].ID != c2.ID {
		t.Fatalf("after ben's redo the API has %+v, want his coding %s back", cs, c2.ID)
	}

	// Ana's selection shows faintly on Ben's screen.
	phrase3 := "Naïve ideas"
	if ok, err := eval[bool](ana, selectJS(phrase3)); err != nil || !ok {
		t.Fatalf("ana: could not select %q: %v", phrase3, err)
	}
	ben.waitFor("ana's selection drawn faintly", `[...document.querySelectorAll(".seg.presence")].map(s => s.textContent).join("") === `+jsString(phrase3), `[...document.querySelectorAll(".seg.presence")].map(s => s.textContent).join("|")`, 10*time.Second)
	ben.shot("ben-sees-ana-selecting")

	// Ana clicks her highlight and writes a memo from the panel.
	ana.run("clear the selection and click the highlight", chromedp.Evaluate[chromedp.Void](`getSelection().removeAllRanges()`),
		chromedp.Click(chromedp.CSS(`.seg.coded[data-codings~="`+c1.ID+`"]`)))
	ana.waitFor("the coding panel", `document.querySelector(".coding-panel textarea") === document.activeElement`, `document.activeElement && document.activeElement.outerHTML`, 10*time.Second)
	ana.run("write a memo", keys("Hope shared with an emoji 🙂"))
	ana.shot("ana-coding-panel")
	ana.run("save the memo", chromedp.Click(chromedp.CSS(`.coding-panel .row button:nth-child(2)`)))
	deadline := time.Now().Add(10 * time.Second)
	for {
		cs := codingsOf(ids["ana"])
		if len(cs) == 1 && cs[0].Memo == "Hope shared with an emoji 🙂" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("ana's memo was not stored: %+v", cs)
		}
		time.Sleep(50 * time.Millisecond)
	}

	// A memo longer than a websocket message may be is saved too (over
	// HTTP), and the live connection stays up.
	long := strings.Repeat("A long reflection on hope 🙂. ", 600) // ~18,000 characters
	// Ana clicks her highlight again, and while her mouse button is down
	// Ben codes in the same paragraph: the live redraw replaces the
	// element she pressed. The click must still open the panel.
	hl := `.seg.coded[data-codings~="` + c1.ID + `"]`
	ana.waitFor("the panel closed and the memo saved", `!document.querySelector(".coding-panel") && !!document.querySelector('`+hl+`') && !document.querySelector(".seg[data-pending]")`, `document.querySelector(".doc-text").innerHTML`, 10*time.Second)
	xy, err := eval[[]float64](ana, `(() => { const r = document.querySelector('`+hl+`').getClientRects()[0]; return [r.left + r.width / 2, r.top + 8]; })()`)
	if err != nil || len(xy) != 2 {
		t.Fatalf("ana: where is her highlight? %v %v", xy, err)
	}
	ana.run("press the mouse on the highlight", chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, xy[0], xy[1], chromedp.ButtonLeft, chromedp.ClickCount(1)))
	ana.run("mark the pressed element", chromedp.Evaluate[chromedp.Void](`document.querySelector('`+hl+`').dataset.pressed = "1"`))
	benAPI := ts.login(t, "ben", DemoPassword)
	bs, be := span(t, text, "owner")
	benAPI.mustDo(201, "POST", "/api/projects/peer-support/codings", map[string]any{"codings": []map[string]any{{"document": docID, "code": code2.ID, "start": bs, "end": be}}}, nil)
	ana.waitFor("ben's live coding to redraw the paragraph", `!!document.querySelector('`+hl+`') && !document.querySelector("[data-pressed]")`, `document.querySelector(".doc-text").innerHTML`, 10*time.Second)
	ana.run("release the mouse", chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, xy[0], xy[1], chromedp.ButtonLeft, chromedp.ClickCount(1)))
	ana.waitFor("the coding panel again", `document.querySelector(".coding-panel textarea") === document.activeElement`, `document.activeElement && document.activeElement.outerHTML`, 10*time.Second)
	ana.run("write a long memo", chromedp.Evaluate[chromedp.Void](`(() => { const a = document.querySelector(".coding-panel textarea"); a.value = `+jsString(long)+`; a.dispatchEvent(new Event("input", {bubbles: true})); })()`),
		chromedp.Click(chromedp.CSS(`.coding-panel .row button:nth-child(2)`)))
	deadline = time.Now().Add(10 * time.Second)
	for {
		cs := codingsOf(ids["ana"])
		if len(cs) == 1 && cs[0].Memo == long {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("ana's long memo was not stored")
		}
		time.Sleep(50 * time.Millisecond)
	}
	ana.waitFor("the live connection still up", `document.querySelector(".conn") && /live/i.test(document.querySelector(".conn").textContent)`, `document.querySelector(".conn") && document.querySelector(".conn").textContent`, 5*time.Second)

	// The shortcuts are one key away.
	ana.run("press ?", keys("?"))
	ana.waitFor("the shortcuts dialog", `document.querySelector("dialog.help[open]")`, "", 10*time.Second)
	ana.shot("ana-help")
	ana.run("close it", keys("\x1b"))
	ana.waitFor("the dialog to close", `!document.querySelector("dialog[open]")`, "", 10*time.Second)

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
	t.Parallel()
	exe := chromiumPath(t)
	ts := startServer(t)
	b := newBrowser(t, exe, "offsets", shotsDir(t, "offsets"))
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

// TestBrowserLongDocument opens a 1 MB transcript with 20,000 codings,
// scrolls through it, and codes a selection that crosses a block boundary.
func TestBrowserLongDocument(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	ts := startServer(t)
	lead := ts.login(t, "lead", DemoPassword)
	coders := []*apiClient{ts.login(t, "ana", DemoPassword), ts.login(t, "ben", DemoPassword)}

	var codes struct{ Codes []coding.Code }
	lead.mustDo(200, "GET", "/api/projects/peer-support/codes", nil, &codes)
	var codable []coding.Code
	for _, c := range codes.Codes {
		if c.Codable && !strings.ContainsAny(c.Name, "’'") {
			codable = append(codable, c)
		}
	}

	// Lines with a unique label, accents and, now and then, an emoji.
	var sb strings.Builder
	words := []string{"peer", "support", "café", "naïve", "trust", "recovery", "hope", "housing", "stigma", "outreach", "Zoe\u0308", "shift"}
	for i := 0; sb.Len() < 1<<20; i++ {
		fmt.Fprintf(&sb, "L%05d:", i)
		for j := 0; j < 30; j++ {
			sb.WriteString(" " + words[(i*7+j*3)%len(words)])
			if (i+j)%41 == 0 {
				sb.WriteString(" 🙂")
			}
		}
		sb.WriteString(".\n")
	}
	text := sb.String()
	n := utf8.RuneCountInString(text)
	var added struct{ Document coding.Document }
	lead.mustDo(201, "POST", "/api/projects/peer-support/documents", map[string]any{"title": "Long transcript", "text": text}, &added)
	docID := added.Document.ID

	start := time.Now()
	const total, batch = 20000, 1000
	for k := 0; k < total/batch; k++ {
		list := make([]map[string]any, 0, batch)
		for j := 0; j < batch; j++ {
			i := k*batch + j
			s := (i * 7919) % (n - 400)
			list = append(list, map[string]any{"document": docID, "code": codable[i%len(codable)].ID, "start": s, "end": s + 5 + (i*31)%300})
		}
		coders[k%2].mustDo(201, "POST", "/api/projects/peer-support/codings", map[string]any{"codings": list}, nil)
	}
	t.Logf("stored %d codings on a %d-byte document in %v", total, len(text), time.Since(start))

	b := newBrowser(t, exe, "ana", shotsDir(t, "long"))
	b.run("sign in", chromedp.Navigate(ts.URL+"/login"), chromedp.WaitVisible(chromedp.CSS("#login")),
		chromedp.SendKeys(chromedp.CSS("#login"), "ana"), chromedp.SendKeys(chromedp.CSS("#password"), DemoPassword),
		chromedp.Click(chromedp.CSS(`form.login button[type="submit"]`)), chromedp.WaitVisible(chromedp.CSS(`a[href="/p/peer-support"]`)))
	start = time.Now()
	b.run("open the long document", chromedp.Navigate(ts.URL+"/p/peer-support/d/"+docID))
	b.waitFor("the first lines of the long document", `document.querySelector(".doc-text .block .seg.coded") && document.querySelector(".doc-text").textContent.startsWith("L00000:")`, `document.body.innerText.slice(0, 200)`, 20*time.Second)
	opened := time.Since(start)
	// Timings are recorded, not asserted (they follow the machine's load):
	// BENCHMARKS.md keeps the figures of a quiet machine.
	t.Logf("the 1 MB document with %d codings opened in %v", total, opened)
	b.shot("top")

	type stats struct {
		Blocks   int     `json:"blocks"`
		Rendered int     `json:"rendered"`
		Segments int     `json:"segments"`
		MaxFrame float64 `json:"maxFrame"`
		AvgFrame float64 `json:"avgFrame"`
	}
	// Scroll down through the middle of the document a screen at a time,
	// one step per animation frame, and time the frames.
	st, err := eval[stats](b, `new Promise(done => {
  const sc = document.querySelector(".scroller");
  sc.scrollTop = sc.scrollHeight / 2;
  const gaps = [];
  let last = performance.now(), steps = 0;
  const step = (now) => {
    gaps.push(now - last); last = now;
    sc.scrollTop += sc.clientHeight;
    if (++steps < 60) requestAnimationFrame(step);
    else setTimeout(() => {
      const blocks = document.querySelectorAll(".doc-text .block");
      const rendered = [...blocks].filter(b => b.firstChild).length;
      gaps.shift();
      done({blocks: blocks.length, rendered, segments: document.querySelectorAll(".seg").length,
        maxFrame: Math.max(...gaps), avgFrame: gaps.reduce((a, b) => a + b, 0) / gaps.length});
    }, 300);
  };
  requestAnimationFrame(step);
})`)
	if err != nil {
		t.Fatalf("scrolling: %v", err)
	}
	t.Logf("scrolling: %+v", st)
	if st.Rendered == 0 || st.Rendered > st.Blocks/4 {
		t.Errorf("%d of %d blocks are drawn after scrolling; want only those near the viewport", st.Rendered, st.Blocks)
	}
	b.waitFor("the text in view to be drawn", `(() => { const sc = document.querySelector(".scroller").getBoundingClientRect();
  return [...document.querySelectorAll(".doc-text .block")].filter(b => { const r = b.getBoundingClientRect(); return r.bottom > sc.top && r.top < sc.bottom; }).every(b => b.firstChild); })()`, "", 5*time.Second)
	// The margin draws stripes beside the text in view, and only near it.
	b.waitFor("coding stripes beside the text in view", `(() => { const sc = document.querySelector(".scroller").getBoundingClientRect();
  return [...document.querySelectorAll(".margin .stripe")].some(s => { const r = s.getBoundingClientRect(); return r.bottom > sc.top && r.top < sc.bottom; }); })()`, `document.querySelectorAll(".margin .stripe").length`, 5*time.Second)
	if n, _ := eval[int](b, `document.querySelectorAll(".margin .stripe, .margin .stripe-more").length`); n > total/20 {
		t.Errorf("the margin holds %d stripes of %d codings; want only those near the viewport", n, total)
	}
	b.shot("scrolled")

	// Select from the end of one block into the next one and code it.
	phrase, err := eval[string](b, `(() => {
  const sc = document.querySelector(".scroller").getBoundingClientRect();
  const blocks = [...document.querySelectorAll(".doc-text .block")];
  const i = blocks.findIndex((b, k) => b.firstChild && blocks[k + 1] && blocks[k + 1].firstChild && b.getBoundingClientRect().bottom > sc.top + 60);
  const texts = (el) => { const w = document.createTreeWalker(el, NodeFilter.SHOW_TEXT); const out = []; for (let n = w.nextNode(); n; n = w.nextNode()) out.push(n); return out; };
  const a = texts(blocks[i]), z = texts(blocks[i + 1]);
  const last = a[a.length - 1];
  const r = document.createRange();
  r.setStart(last, Math.max(0, last.length - 12));
  r.setEnd(z[0], Math.min(z[0].length, 9));
  blocks[i].scrollIntoView({block: "end"});
  getSelection().removeAllRanges();
  getSelection().addRange(r);
  return r.toString();
})()`)
	if err != nil || !strings.Contains(phrase, "\n") {
		t.Fatalf("selecting across a block boundary gave %q (err %v); want text with the line break between blocks", phrase, err)
	}
	if strings.Count(text, phrase) != 1 {
		t.Fatalf("the selected text %q is not unique in the document", phrase)
	}
	want0 := utf8.RuneCountInString(text[:strings.Index(text, phrase)])
	want1 := want0 + utf8.RuneCountInString(phrase)
	code := codable[0]
	b.waitFor("the selection to be noticed", `document.querySelector(".reader-status").textContent.includes("selected")`, `document.querySelector(".reader-status").textContent`, 10*time.Second)
	b.run("code the selection", press('c'))
	b.waitFor("the code picker", `document.activeElement && document.activeElement.classList.contains("picker-input")`, "", 10*time.Second)
	b.run("filter", keys(code.Name))
	b.waitFor("the code in the picker", `document.querySelector(".picker-item.active") && document.querySelector(".picker-item.active").dataset.code === "`+code.ID+`"`, `document.querySelector(".picker-list").innerText`, 10*time.Second)
	b.run("apply", keys("\r"))
	var found *coding.Coding
	deadline := time.Now().Add(10 * time.Second)
	for found == nil && time.Now().Before(deadline) {
		var out struct{ Codings []coding.Coding }
		coders[0].mustDo(200, "GET", "/api/projects/peer-support/codings?document="+docID+"&coder=&code="+code.ID+"&descendants=false", nil, &out)
		for i, c := range out.Codings {
			if c.Start == want0 && c.End == want1 {
				found = &out.Codings[i]
			}
		}
		if found == nil {
			time.Sleep(100 * time.Millisecond)
		}
	}
	if found == nil {
		t.Fatalf("no coding [%d,%d) of %q was stored for the selection %q across a block boundary", want0, want1, code.Name, phrase)
	}
	b.waitFor("the new coding drawn across both blocks", highlightJS(found.ID)+" === "+jsString(phrase), highlightJS(found.ID), 10*time.Second)
	b.shot("coded-across-blocks")
	b.checkClean()
}

// TestBrowserOfflineQueue codes while the browser is offline: the coding
// shows at once as pending, is kept in localStorage, and is stored when
// the connection comes back.
func TestBrowserOfflineQueue(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	ts := startServer(t)
	lead := ts.login(t, "lead", DemoPassword)
	text := "Before the storm we talked about trust 🙂 and the night shift.\nAfter it, Zoe\u0308 said nothing."
	var added struct{ Document coding.Document }
	lead.mustDo(201, "POST", "/api/projects/peer-support/documents", map[string]any{"title": "Offline notes", "text": text}, &added)
	docID := added.Document.ID
	var codes struct{ Codes []coding.Code }
	lead.mustDo(200, "GET", "/api/projects/peer-support/codes", nil, &codes)
	var code coding.Code
	for _, c := range codes.Codes {
		if c.Codable && !strings.ContainsAny(c.Name, "’'") {
			code = c
			break
		}
	}

	b := newBrowser(t, exe, "ana", shotsDir(t, "offline"))
	b.signIn(ts.URL, "ana", "peer-support", docID, "night shift")
	b.waitFor("the live connection", `document.querySelector(".conn.connected")`, `document.querySelector(".conn") && document.querySelector(".conn").className`, 10*time.Second)

	setOffline := func(off bool) {
		b.run(fmt.Sprintf("set offline=%v", off), chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, network.Enable, network.EnableParams{})
			if err != nil {
				return err
			}
			_, err = cdp.Call(ctx, tg, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
				MatchedNetworkConditions: []*network.Conditions{{Offline: off, DownloadThroughput: -1, UploadThroughput: -1}},
			})
			if err != nil {
				return err
			}
			_, err = cdp.Call(ctx, tg, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: off, DownloadThroughput: -1, UploadThroughput: -1})
			return err
		}))
	}
	setOffline(true)
	phrase := "trust 🙂 and"
	if ok, err := eval[bool](b, selectJS(phrase)); err != nil || !ok {
		t.Fatalf("could not select %q: %v", phrase, err)
	}
	b.waitFor("the selection to be noticed", `document.querySelector(".reader-status").textContent.includes("selected")`, "", 10*time.Second)
	b.run("press c", press('c'))
	b.waitFor("the code picker", `document.activeElement && document.activeElement.classList.contains("picker-input")`, "", 10*time.Second)
	b.run("filter and apply", keys(code.Name))
	b.waitFor("the code in the picker", `document.querySelector(".picker-item.active") && document.querySelector(".picker-item.active").dataset.code === "`+code.ID+`"`, "", 10*time.Second)
	b.run("apply", keys("\r"))
	b.waitFor("the coding to show at once, marked pending", `document.querySelector(".seg.coded[data-pending]") && document.querySelector(".seg.coded[data-pending]").textContent === `+jsString(phrase), `document.querySelector(".doc-text").innerHTML`, 10*time.Second)
	b.waitFor("the top bar to say a change is waiting", `document.querySelector(".conn .waiting")`, `document.querySelector(".conn") && document.querySelector(".conn").textContent`, 10*time.Second)
	kept, err := eval[string](b, `Object.keys(localStorage).filter(k => k.startsWith("concord.outbox")).map(k => localStorage.getItem(k)).join("")`)
	if err != nil || !strings.Contains(kept, code.ID) {
		t.Fatalf("the queued coding is not kept in localStorage: %q (err %v)", kept, err)
	}
	b.shot("pending")
	var out struct{ Codings []coding.Coding }
	lead.mustDo(200, "GET", "/api/projects/peer-support/codings?document="+docID, nil, &out)
	if len(out.Codings) != 0 {
		t.Fatalf("while offline the server already has %d codings", len(out.Codings))
	}

	setOffline(false)
	b.waitFor("the queued coding to be confirmed after reconnecting", `document.querySelector(".seg.coded") && !document.querySelector(".seg[data-pending]") && !document.querySelector(".conn .waiting")`, `document.querySelector(".conn").textContent`, 20*time.Second)
	lead.mustDo(200, "GET", "/api/projects/peer-support/codings?document="+docID, nil, &out)
	if len(out.Codings) != 1 || coding.Slice(text, out.Codings[0].Start, out.Codings[0].End) != phrase {
		t.Fatalf("after reconnecting the server has %+v, want one coding of %q", out.Codings, phrase)
	}
	b.shot("sent")
	b.checkClean()
}

// TestBrowserCodebookLead has the lead create, rename, merge and delete
// codes from the codebook panel.
func TestBrowserCodebookLead(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	ts := startServer(t)
	api := ts.login(t, "lead", DemoPassword)
	b := newBrowser(t, exe, "lead", shotsDir(t, "codebook"))
	b.run("sign in", chromedp.Navigate(ts.URL+"/p/peer-support"), chromedp.WaitVisible(chromedp.CSS("#login")),
		chromedp.SendKeys(chromedp.CSS("#login"), "lead"), chromedp.SendKeys(chromedp.CSS("#password"), DemoPassword+"\r"),
		chromedp.WaitVisible(chromedp.CSS(".codebook .panel-head button")))
	codeNamed := func(name string) *coding.Code {
		var out struct{ Codes []coding.Code }
		api.mustDo(200, "GET", "/api/projects/peer-support/codes", nil, &out)
		for i := range out.Codes {
			if out.Codes[i].Name == name {
				return &out.Codes[i]
			}
		}
		return nil
	}
	waitCode := func(name string, present bool) *coding.Code {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			c := codeNamed(name)
			if (c != nil) == present {
				return c
			}
			if time.Now().After(deadline) {
				b.shot("failed")
				msg, _ := eval[string](b, `[...document.querySelectorAll("dialog[open] .error, .toast")].map(e => e.textContent).join(" | ")`)
				t.Fatalf("code %q present = %v, want %v (the page says: %q)", name, c != nil, present, msg)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}

	// Create two codes from the dialog, by keyboard.
	for _, name := range []string{"Kindness", "Warmth"} {
		var list struct {
			NextColour string `json:"next_colour"`
		}
		api.mustDo(200, "GET", "/api/projects/peer-support/codes", nil, &list)
		b.run("open the new code dialog", chromedp.Click(chromedp.CSS(".codebook .panel-head button")))
		b.waitFor("the new code dialog", `document.activeElement && document.activeElement.closest("dialog[open]")`, "", 10*time.Second)
		b.waitFor("the dialog to propose the next code colour", `document.querySelector('dialog[open] input[type="color"]').value === "`+list.NextColour+`"`, `document.querySelector('dialog[open] input[type="color"]').value`, 10*time.Second)
		b.run("type a name and submit", keys(name+"\r"))
		waitCode(name, true)
		b.waitFor("the dialog to close", `!document.querySelector("dialog[open]")`, "", 10*time.Second)
	}
	kind := waitCode("Kindness", true)
	warm := waitCode("Warmth", true)
	if kind.Colour == warm.Colour || !slices.Contains(coding.CodePalette, kind.Colour) || !slices.Contains(coding.CodePalette, warm.Colour) {
		t.Errorf("the codes made in the dialog got %s and %s; want two distinct code colours", kind.Colour, warm.Colour)
	}
	if warm.ParentID != "" {
		t.Fatalf("Warmth, made while Kindness (a top-level code) was selected, went under %s; want it beside Kindness", warm.ParentID)
	}
	b.waitFor("the new code in the tree", `document.querySelector('.code-row[data-code="`+kind.ID+`"]')`, "", 10*time.Second)

	// Rename it in the editor, a dialog opened from its row.
	editor := func(id string) {
		t.Helper()
		row := `.code-row[data-code="` + id + `"]`
		b.run("select it", chromedp.Evaluate[chromedp.Void](`(() => { const r = document.querySelector(`+jsString(row)+`); if (!r.classList.contains("selected")) r.click(); })()`))
		clickWhenThere(b, "open its editor", row+` [data-act=edit]`)
		b.waitFor("the editor", `document.querySelector("dialog[open] .code-editor input")`, "", 10*time.Second)
	}
	editor(kind.ID)
	b.run("rename", chromedp.Evaluate[chromedp.Void](`(() => { const i = document.querySelector("dialog[open] .code-editor input"); i.value = "Kindness and care"; })()`),
		chromedp.Click(chromedp.CSS(`dialog[open] .code-editor button[type="submit"]`)))
	waitCode("Kindness and care", true)
	b.waitFor("the editor to close", `!document.querySelector("dialog[open]")`, "", 10*time.Second)
	b.shot("details")

	// Code some text with it through the API, then merge it into Warmth.
	var docs struct{ Documents []coding.Document }
	api.mustDo(200, "GET", "/api/projects/peer-support/documents", nil, &docs)
	api.mustDo(201, "POST", "/api/projects/peer-support/codings", map[string]any{"document": docs.Documents[0].ID, "code": kind.ID, "start": 0, "end": 5}, nil)
	editor(kind.ID)
	b.run("merge into…", chromedp.Click(chromedp.CSS(`dialog[open] .code-editor .spacer + button`)))
	b.waitFor("the merge dialog", `document.querySelector("dialog[open] select")`, "", 10*time.Second)
	b.run("choose Warmth and merge", chromedp.Evaluate[chromedp.Void](`document.querySelector("dialog[open] select").value = "`+warm.ID+`"`),
		chromedp.Click(chromedp.CSS(`dialog[open] button[type="submit"]`)))
	waitCode("Kindness and care", false)
	var cs struct{ Codings []coding.Coding }
	api.mustDo(200, "GET", "/api/projects/peer-support/codings?code="+warm.ID, nil, &cs)
	if len(cs.Codings) != 1 {
		t.Fatalf("after merging, Warmth has %d codings, want the 1 moved from Kindness", len(cs.Codings))
	}

	// Delete Warmth: the dialog asks what happens to its codings.
	b.waitFor("Warmth in the tree", `document.querySelector('.code-row[data-code="`+warm.ID+`"]')`, "", 10*time.Second)
	// The merge left Warmth selected; the editor selects it unless it already is.
	editor(warm.ID)
	b.run("delete…", chromedp.Click(chromedp.CSS("dialog[open] .code-editor .danger")))
	b.waitFor("the delete dialog with its count", `document.querySelector("dialog[open] #what-delete") && !document.querySelector("dialog[open] fieldset").hidden`, "", 10*time.Second)
	b.shot("delete-dialog")
	b.run("delete its codings too", chromedp.Click(chromedp.CSS("dialog[open] #what-delete")),
		chromedp.Click(chromedp.CSS(`dialog[open] button[type="submit"]`)))
	waitCode("Warmth", false)
	api.mustDo(200, "GET", "/api/projects/peer-support/codings?document="+docs.Documents[0].ID, nil, &cs)
	for _, c := range cs.Codings {
		if c.CodeID == warm.ID || c.CodeID == kind.ID {
			t.Fatalf("a coding of a deleted code is left: %+v", c)
		}
	}
	b.waitFor("Warmth gone from the tree", `!document.querySelector('.code-row[data-code="`+warm.ID+`"]')`, "", 10*time.Second)
	b.shot("after-delete")
	b.checkClean()
}
