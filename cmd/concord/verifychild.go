package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime/debug"
	"strings"
	"time"

	"github.com/concordqda/concord/cmd/internal/cli"
	"github.com/concordqda/concord/store"
)

// verifyChildCommand is the hidden command with which concord starts
// itself to check a database file (see verifyInChild).
const verifyChildCommand = "__verify-database"

// verifyTimeout bounds a check: a damaged file could make bbolt loop.
const verifyTimeout = 10 * time.Minute

// verifyResult is what the child prints: a summary when the file is
// sound, otherwise the problem.
type verifyResult struct {
	Summary string `json:"summary,omitempty"`
	Problem string `json:"problem,omitempty"`
}

// verifyInChild runs store.Verify on path in a child process (this same
// binary) and returns its summary or the problem it found.
//
// Why a child: bbolt maps the file and follows the page numbers in it.
// store.Verify turns faults into errors, but a damaged file can also make
// bbolt recurse without end (a page that refers to itself), which Go
// cannot recover from, or loop. Validating every page header ourselves
// would mean re-implementing bbolt's format and still trusting it after.
// A child that crashes or runs out of time tells us all we need: the file
// is damaged.
func verifyInChild(ctx context.Context, path string) (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("cannot start the check: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, verifyTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe, verifyChildCommand, path)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	var res verifyResult
	if err == nil {
		err = json.Unmarshal(out.Bytes(), &res)
	}
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return "", fmt.Errorf("checking it took longer than %s; it is probably damaged", verifyTimeout)
	case ctx.Err() != nil:
		return "", fmt.Errorf("the check was interrupted")
	case err != nil:
		first, _, _ := strings.Cut(strings.TrimSpace(errOut.String()), "\n")
		return "", fmt.Errorf("it is damaged: reading it crashed the check (%v: %.200s)", err, first)
	case res.Problem != "":
		return "", errors.New(res.Problem)
	}
	return res.Summary, nil
}

// verifyChild is the child's side: it checks the file and prints the
// result as JSON. It fails only when it cannot print.
func (m *Main) verifyChild(args []string) error {
	if len(args) != 1 {
		return cli.Usagef("%s needs the database file", verifyChildCommand)
	}
	// A page that refers to itself makes bbolt recurse until the stack
	// limit kills the process; a small limit gets there sooner and
	// without taking a gigabyte of memory first.
	debug.SetMaxStack(64 << 20)
	var res verifyResult
	if rep, err := store.Verify(args[0]); err != nil {
		res.Problem = err.Error()
	} else {
		res.Summary = rep.String()
	}
	return json.NewEncoder(m.Stdout).Encode(res)
}
