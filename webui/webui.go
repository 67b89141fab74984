// Package webui holds Concord's browser UI: plain HTML, CSS and ES modules,
// embedded into the binary with no build step.
package webui

import (
	"embed"
	"io/fs"
)

//go:embed static
var files embed.FS

// FS returns the UI's files, rooted so that index.html is at the top.
func FS() fs.FS {
	sub, err := fs.Sub(files, "static")
	if err != nil {
		panic(err) // the embed pattern guarantees the directory
	}
	return sub
}
