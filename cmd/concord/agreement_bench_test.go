package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/concordqda/concord/coding"
	"github.com/concordqda/concord/server"
	"github.com/concordqda/concord/store"
)

// BenchmarkAgreementAll is every unit's report on the project
// (1,000 documents, 5 coders, 100 codes, 200,000 codings) end to end:
// through the CLI (`concord agreement --unit all --json`, reading the
// database file) and through the API (`GET …/agreement?unit=all` from the
// real server), without intervals and with 1,000 resamples. The CLI runs
// in this process, so the bcrypt hash server/auth.go makes at start-up is
// not in the figures. With CONCORD_LARGE_DB set, the database is written
// there and kept, for measuring the binary itself (BENCHMARKS.md).
func BenchmarkAgreementAll(b *testing.B) {
	db := os.Getenv("CONCORD_LARGE_DB")
	if db == "" {
		db = filepath.Join(b.TempDir(), "large.db")
	}
	if _, err := os.Stat(db); err != nil {
		writeLargeDB(b, db)
	}
	for _, boot := range []string{"0", "1000"} {
		b.Run("cli/bootstrap="+boot, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" }}
				if err := m.Run(b.Context(), []string{"agreement", "--db", db, "--project", "large", "--unit", "all", "--bootstrap", boot, "--json"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	ts := startServerAt(b, db)
	lead := ts.login(b, "large-lead", DemoPassword)
	for _, boot := range []string{"0", "1000"} {
		b.Run("api/bootstrap="+boot, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				lead.mustDo(200, "GET", "/api/projects/large/agreement?unit=all&bootstrap="+boot, nil, nil)
			}
		})
	}
}

// writeLargeDB stores the agreement benchmark's project, with a lead who
// can log in, in a new database file.
func writeLargeDB(b *testing.B, path string) {
	st, err := store.Open(path, store.Options{LockTimeout: time.Second})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	lead := &coding.User{Login: "large-lead", Name: "Large lead"}
	if err := st.CreateUser(lead); err != nil {
		b.Fatal(err)
	}
	hash, err := server.HashPassword(DemoPassword, 0)
	if err != nil {
		b.Fatal(err)
	}
	if err := st.SetPassword(lead.ID, hash); err != nil {
		b.Fatal(err)
	}
	snap, _ := largeProject(lead.ID)
	if err := st.ImportProject(snap, lead.ID); err != nil {
		b.Fatal(err)
	}
}
