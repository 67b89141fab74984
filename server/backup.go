package server

import (
	"fmt"
	"net/http"
	"time"

	"github.com/concordqda/concord/coding"
)

// handleBackup streams a consistent copy of the whole database. It holds
// every project, so only administrators may take it.
func (s *Server) handleBackup(w http.ResponseWriter, r *http.Request, u *coding.User) {
	if !u.Admin {
		s.writeError(w, r, coding.Errorf(coding.EFORBIDDEN, "only an administrator can download a backup of the whole database"))
		return
	}
	name := fmt.Sprintf("concord-%s.db", time.Now().UTC().Format("20060102-150405"))
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	if _, err := s.store.Backup(w); err != nil {
		// Headers are gone; the truncated body fails the client's check.
		s.log.Error("backup failed", "err", err)
	}
}
