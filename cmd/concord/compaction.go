package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/concordqda/concord/store"
)

// compactLoop keeps every project's event log to its newest keep events:
// once at start, then every interval.
func compactLoop(ctx context.Context, st *store.DB, keep int, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		projects, err := st.Projects()
		if err != nil {
			log.Error("list projects", "err", err)
		}
		for _, p := range projects {
			n, err := st.CompactEvents(p.ID, keep, "")
			if err != nil {
				log.Error("compact event log", "project", p.Slug, "err", err)
			} else if n > 0 {
				log.Info("compacted event log", "project", p.Slug, "removed", n)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
