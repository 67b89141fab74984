package main

import (
	"os"
	"testing"
)

// TestMain lets the test binary stand in for the concord binary when a
// command starts itself as a child: restore checks a backup in one.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == verifyChildCommand {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}
