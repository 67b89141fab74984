package main

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/concordqda/concord/coding"
	"github.com/concordqda/concord/store"
)

// serveCheckEnv names a database for the test binary to read as the
// server would, in a child process (see serveCheck).
const serveCheckEnv = "CONCORD_TEST_SERVE_CHECK"

// TestMain lets the test binary stand in for the concord binary when a
// command starts itself as a child (restore checks a backup in one), and
// run serveCheck for tests that must not map a damaged file themselves.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == verifyChildCommand {
		main()
		os.Exit(0)
	}
	if path := os.Getenv(serveCheckEnv); path != "" {
		if err := serveCheck(path); err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		fmt.Println("ok")
		os.Exit(0)
	}
	// Under the race detector every process sleeps on exit (GORACE's
	// atexit_sleep_ms, a second by default) so that goroutines still
	// running can report a race. The children that restore, backup and
	// the tests start are this binary; they end in main, with nothing left
	// running that the check is about, and a second each adds up to
	// minutes. The parent keeps its sleep: GORACE is read at start.
	if raceEnabled && !strings.Contains(os.Getenv("GORACE"), "atexit_sleep_ms") {
		os.Setenv("GORACE", strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
	}
	code := m.Run()
	stopChromium()
	os.Exit(code)
}

// serveCheck opens a database as the server does and reads everything
// the server reads through the store.
func serveCheck(path string) error {
	st, err := openServingDB(path, nil, nil)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.Users(); err != nil {
		return fmt.Errorf("users: %w", err)
	}
	projects, err := st.Projects()
	if err != nil {
		return fmt.Errorf("projects: %w", err)
	}
	for _, p := range projects {
		if err := serveCheckProject(st, p); err != nil {
			return fmt.Errorf("project %s: %w", p.Slug, err)
		}
	}
	return nil
}

func serveCheckProject(st *store.DB, p coding.Project) error {
	if _, err := st.ProjectBySlug(p.Slug); err != nil {
		return err
	}
	members, err := st.Members(p.ID)
	if err != nil {
		return err
	}
	for _, m := range members {
		if _, err := st.User(m.UserID); err != nil {
			return fmt.Errorf("member %s: %w", m.UserID, err)
		}
	}
	docs, err := st.Documents(p.ID)
	if err != nil {
		return err
	}
	for _, d := range docs {
		if _, err := st.Document(p.ID, d.ID); err != nil {
			return err
		}
	}
	for what, read := range map[string]func() error{
		"codes":    func() error { _, err := st.Codes(p.ID); return err },
		"codings":  func() error { _, err := st.Codings(p.ID, coding.CodingFilter{}); return err },
		"memos":    func() error { _, err := st.Memos(p.ID); return err },
		"events":   func() error { _, err := st.Events(p.ID, 0, 0); return err },
		"decide":   func() error { _, err := st.Decisions(p.ID, ""); return err },
		"export":   func() error { _, err := st.ProjectData(p.ID, coding.CodingFilter{}); return err },
		"progress": func() error { _, err := st.Progress(p.ID); return err },
		"texts":    func() error { _, err := st.DocumentTexts(p.ID); return err },
		"floor":    func() error { _, err := st.EventFloor(p.ID); return err },
	} {
		if err := read(); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
	}
	return nil
}
