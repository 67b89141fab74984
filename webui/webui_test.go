package webui

import (
	"io/fs"
	"path"
	"regexp"
	"strings"
	"testing"
)

// The UI is served under a Content-Security-Policy of script-src 'self'
// and style-src 'self', with no build step: these tests catch what would
// only fail in a browser (a broken import, an inline handler or style).

var (
	importRe      = regexp.MustCompile(`(?m)^\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"|import\("([^"]+)"\)`)
	inlineHandler = regexp.MustCompile(`(?i)<[^>]*\son[a-z]+\s*=`)
	inlineStyle   = regexp.MustCompile(`(?i)<[^>]*\sstyle\s*=`)
	inlineScript  = regexp.MustCompile(`(?is)<script(?:\s[^>]*)?>\s*[^<\s]`)
	styleElement  = regexp.MustCompile(`(?i)<style[\s>]`)
	setStyleAttr  = regexp.MustCompile(`setAttribute\(\s*["']style["']|\.innerHTML\s*=|cssText\s*=|\beval\(|new Function\(`)
)

func TestEveryImportResolves(t *testing.T) {
	files := FS()
	err := fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".js") {
			return err
		}
		data, err := fs.ReadFile(files, p)
		if err != nil {
			return err
		}
		for _, m := range importRe.FindAllStringSubmatch(string(data), -1) {
			spec := m[1] + m[2]
			if !strings.HasPrefix(spec, "./") {
				t.Errorf("%s imports %q; want a relative path (./x.js): there is no bundler", p, spec)
				continue
			}
			target := path.Join(path.Dir(p), spec)
			if _, err := fs.Stat(files, target); err != nil {
				t.Errorf("%s imports %q, which is not in webui/static", p, spec)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestNothingInlineThatTheCSPBlocks(t *testing.T) {
	files := FS()
	fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, _ := fs.ReadFile(files, p)
		s := string(data)
		switch path.Ext(p) {
		case ".html", ".svg":
			for what, re := range map[string]*regexp.Regexp{
				"an inline event handler": inlineHandler, "a style attribute": inlineStyle,
				"an inline script": inlineScript, "a <style> element": styleElement,
			} {
				if loc := re.FindStringIndex(s); loc != nil {
					t.Errorf("%s has %s (the CSP blocks it): %q", p, what, s[loc[0]:min(len(s), loc[1]+40)])
				}
			}
		case ".js":
			if loc := setStyleAttr.FindStringIndex(s); loc != nil {
				t.Errorf("%s sets styles or markup in a way the CSP blocks or that invites injection: %q (use el.style.x or classes, and textContent)", p, s[loc[0]:loc[1]])
			}
		}
		return nil
	})
}

func TestIndexLoadsTheApp(t *testing.T) {
	data, err := fs.ReadFile(FS(), "index.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<script type="module" src="/app.js"></script>`, `href="/app.css"`, `id="app"`, `id="topbar"`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("index.html lacks %s", want)
		}
	}
}
