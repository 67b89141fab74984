// Command concord-bench is Concord's load tool on its own, for a machine
// that drives a running server without being one:
//
//	concord-bench live --url https://coding.example.org --project SLUG --user LOGIN --password PW
//	concord-bench store
//
// concord bench runs the same tool and can also start a temporary server
// to drive (bench live without --url).
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/concordqda/concord/cmd/internal/bench"
	"github.com/concordqda/concord/cmd/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	err := bench.Run(ctx, bench.Env{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}, os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "concord-bench:", err)
		stop()
		if errors.As(err, new(cli.UsageError)) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}
