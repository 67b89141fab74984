// Package bench is Concord's load tool, run as concord bench: durable
// coding writes through the store (bench store), and simulated coders
// over websockets against a temporary or a running server (bench live),
// with fan-out latency, missing and duplicated events, and memory.
package bench

import (
	"context"
	"fmt"
	"io"

	"github.com/concordqda/concord/cmd/internal/cli"
	"github.com/concordqda/concord/store"
)

// Env is what the load tool gets from the program that runs it.
type Env struct {
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// Serve runs Concord's real serve path on a new database at db, with
	// extra serve flags, until ctx ends; it calls ready once the server
	// accepts connections. bench live uses it when it drives no running
	// server (--url).
	Serve func(ctx context.Context, db string, flags []string, ready func(addr string, st *store.DB)) error
}

type runner struct{ Env }

// Run runs concord bench with its arguments (store or live, and flags).
func Run(ctx context.Context, env Env, args []string) error {
	r := &runner{Env: env}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(r.Stderr, "Usage: concord bench store [--writers N] [--duration D] [--json]\n       concord bench live [--coders N] [--duration D] [--rate R] [--json] [--url URL --project SLUG --user LOGIN --password PW] [--acked FILE]")
		if len(args) == 0 {
			return cli.Usagef("bench needs a target: store or live")
		}
		return nil
	}
	switch args[0] {
	case "store":
		return r.benchStore(ctx, args[1:])
	case "live":
		return r.benchLive(ctx, args[1:])
	}
	return cli.Usagef("unknown bench target %q: use store or live", args[0])
}
