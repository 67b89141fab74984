// Command concord is Concord's one binary: it serves the web UI and API,
// and manages users, projects, imports, backups and benchmarks.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/concordqda/concord/cmd/internal/bench"
	"github.com/concordqda/concord/cmd/internal/cli"
	"github.com/concordqda/concord/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	m := NewMain()
	if err := m.Run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "concord:", err)
		stop()
		if errors.As(err, new(cli.UsageError)) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// Main is the whole program behind a value, so that tests run it end to
// end: same flags, same wiring, temporary files, port 0.
type Main struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// Ready, when set, is called with the address the server listens on
	// and its open database once it accepts connections (tests use both).
	Ready func(addr string, db *store.DB)
	// LookPath finds external programs (pdftotext); nil means
	// exec.LookPath. Tests replace it.
	LookPath func(file string) (string, error)
	// BcryptCost is the work factor of the password hashes this program
	// makes (0: server.BcryptCost). Tests lower it; the binary never does.
	BcryptCost int
}

// NewMain returns a Main wired to the process's standard streams and
// environment.
func NewMain() *Main {
	return &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
}

const usage = `Concord — a qualitative coding workbench for teams.

Usage:
  concord [serve] [flags]      serve the web UI and API (the default)
  concord import  --project SLUG [--lead LOGIN] [--attr key=value]... FILE...
  concord export  --project SLUG --format FORMAT -o FILE [--coder LOGIN|consensus]
  concord users   add|list|passwd|grant ...
  concord projects list|create ...
  concord backup  FILE
  concord restore BACKUP_FILE --db NEW_DATABASE
  concord agreement --project SLUG [--unit characters|segments|presence|unitized] [--code NAME] [--coders a,b] [--json]
  concord assign  --project SLUG --coders a,b (--documents T1,T2 | --all | --sample 20 [--seed N]) [--clear]
  concord reliability FILE.csv [--level nominal|ordinal|interval|ratio] [--json]
  concord reliability --spans FILE.csv --length L [--json]
  concord bench   store ...
  concord help

Every command takes --db FILE (or $CONCORD_DB; default concord.db).
Run "concord COMMAND --help" for a command's flags.
`

// Run runs the command named by args[0] (serve when there is none). Asking
// for help is not an error.
func (m *Main) Run(ctx context.Context, args []string) error {
	err := m.run(ctx, args)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return err
}

func (m *Main) run(ctx context.Context, args []string) error {
	cmd := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return m.serve(ctx, args)
	case "import":
		return m.importCmd(args)
	case "export":
		return m.exportCmd(args)
	case "users":
		return m.users(args)
	case "projects":
		return m.projects(args)
	case "backup":
		return m.backup(ctx, args)
	case "restore":
		return m.restore(ctx, args)
	case verifyChildCommand:
		return m.verifyChild(args)
	case "agreement":
		return m.agreement(args)
	case "assign":
		return m.assign(args)
	case "reliability":
		return m.reliability(args)
	case "bench":
		return bench.Run(ctx, bench.Env{Stdout: m.Stdout, Stderr: m.Stderr, Getenv: m.Getenv, Serve: m.serveForBench}, args)
	case "help", "-h", "--help":
		fmt.Fprint(m.Stdout, usage)
		return nil
	}
	fmt.Fprint(m.Stderr, usage)
	return cli.Usagef("unknown command %q", cmd)
}

// flags returns a flag set for a subcommand that prints its help to
// Stderr and reports errors instead of exiting.
func (m *Main) flags(name, synopsis string) *flag.FlagSet { return cli.Flags(m.Stderr, name, synopsis) }

// splitList reads a comma-separated flag value: its items, trimmed, empty
// ones left out.
func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// env returns the environment variable or def.
func (m *Main) env(key, def string) string {
	if v := m.Getenv(key); v != "" {
		return v
	}
	return def
}

func (m *Main) dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", m.env("CONCORD_DB", "concord.db"), "database file (env CONCORD_DB)")
}
