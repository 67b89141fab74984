package bench

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/concordqda/concord/cmd/internal/cli"
)

// Without a way to start a server (concord-bench), bench live asks for a
// running one; bench store needs none.
func TestRunWithoutAServer(t *testing.T) {
	var out, errb bytes.Buffer
	env := Env{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
	err := Run(t.Context(), env, []string{"live", "--coders", "1", "--duration", "1s"})
	if !errors.As(err, new(cli.UsageError)) || !strings.Contains(err.Error(), "--url") {
		t.Errorf("bench live without a server: %v, want a usage error naming --url", err)
	}
	if err := Run(t.Context(), env, []string{"store", "--writers", "2", "--duration", "200ms"}); err != nil {
		t.Fatalf("bench store: %v\n%s", err, errb.String())
	}
	if !strings.Contains(out.String(), "durable codings") {
		t.Errorf("bench store printed %q", out.String())
	}
	if err := Run(t.Context(), env, []string{"nonsense"}); !errors.As(err, new(cli.UsageError)) {
		t.Errorf("an unknown target: %v, want a usage error", err)
	}
}
