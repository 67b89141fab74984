package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

// downloadsTo makes the browser save downloads into dir.
func (b *browser) downloadsTo(dir string) {
	b.t.Helper()
	b.run("allow downloads", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		// A setting of the browser context (this person's), not of the
		// page: it goes to the browser, naming the context.
		_, err := chromedp.CallBrowser(ctx, cdpbrowser.SetDownloadBehavior,
			cdpbrowser.SetDownloadBehaviorParams{
				Behavior:         cdpbrowser.SetDownloadBehaviorBehaviorAllow,
				DownloadPath:     dir,
				BrowserContextID: chromedp.FromContext(ctx).BrowserContextID,
			})
		return err
	}))
}

// waitDownload waits up to 10 s for a finished, non-empty file in dir
// whose name ends with suffix (Chromium writes .crdownload files until it
// is done) and returns its content.
func (b *browser) waitDownload(dir, suffix string) []byte {
	b.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), suffix) {
				data, err := os.ReadFile(filepath.Join(dir, e.Name()))
				if err == nil && len(data) > 0 {
					return data
				}
			}
		}
		if time.Now().After(deadline) {
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			b.t.Fatalf("%s: no download ending in %q after 10s (the folder holds %q)", b.name, suffix, names)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
