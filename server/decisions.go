package server

import (
	"mime"
	"net/http"

	"github.com/concordqda/concord/coding"
	"github.com/concordqda/concord/coding/app"
	"github.com/concordqda/concord/coding/formats"
	"github.com/google/uuid"
)

// Decisions are the review's rulings, kept on the server so that every
// lead sees them, live, with who decided, when and why. A ruling that
// writes nothing into the consensus layer (a rejection, or siding with a
// coder who coded nothing) lives only here. The routes are for leads
// only, as the review is; the events are the consensus layer's, so coders
// of a blind project never receive them.

// handleDecisions lists a project's decisions, those about one document
// with ?document=ID; ?format=csv makes it a download.
func (s *Server) handleDecisions(w http.ResponseWriter, r *http.Request, c *caller) {
	doc := r.URL.Query().Get("document")
	if doc != "" {
		if _, err := uuid.Parse(doc); err != nil {
			s.writeError(w, r, coding.Errorf(coding.EINVALID, "document must be a document's id, not %.40q", doc))
			return
		}
	}
	format := r.URL.Query().Get("format")
	if format != "" && format != "json" && format != "csv" {
		s.writeError(w, r, coding.Errorf(coding.EINVALID, "format must be \"json\" or \"csv\", not %.40q", format))
		return
	}
	out, err := s.store.Decisions(c.project.ID, doc)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if format == "csv" {
		s.writeDecisionsCSV(w, r, c, out)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"decisions": out})
}

// writeDecisionsCSV answers the decisions as a CSV download, with titles,
// code paths and logins in place of ids.
func (s *Server) writeDecisionsCSV(w http.ResponseWriter, r *http.Request, c *caller, ds []coding.Decision) {
	names := formats.DecisionNames{Documents: map[string]string{}, Codes: map[string]string{}, People: map[string]string{coding.ConsensusCoder: "consensus"}}
	docs, err := s.store.Documents(c.project.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	for _, d := range docs {
		names.Documents[d.ID] = d.Title
	}
	codes, err := s.store.Codes(c.project.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	cb := coding.NewCodebook(codes)
	for _, code := range codes {
		names.Codes[code.ID] = cb.PathString(code.ID)
	}
	for _, d := range ds {
		for _, id := range []string{d.CoderA, d.CoderB, d.By} {
			if _, ok := names.People[id]; ok {
				continue
			}
			// A person since deleted keeps their id: the decision stays.
			if u, err := s.store.User(id); err == nil {
				names.People[id] = u.Login
			}
		}
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": c.project.Slug + "-decisions.csv"}))
	w.Header().Set("Cache-Control", "no-store")
	if err := formats.WriteDecisionsCSV(w, ds, names); err != nil {
		s.log.Warn("decisions download interrupted", "project", c.project.Slug, "err", err)
	}
}

// decisionRequest is a decision as a client sends it: who decided and when
// are the server's to say.
type decisionRequest struct {
	Key      string `json:"key"`
	Document string `json:"document"`
	Code     string `json:"code"`
	CoderA   string `json:"coder_a"`
	CoderB   string `json:"coder_b"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	Decided  string `json:"decided"`
	Reason   string `json:"reason"`
}

// handleSetDecision records a decision, replacing the one on the same
// case. Sending the same decision again changes nothing and answers the
// stored one, so a retry is harmless.
func (s *Server) handleSetDecision(w http.ResponseWriter, r *http.Request, c *caller) {
	var req decisionRequest
	if err := decodeBody(r, s.opts.MaxBody, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	d := &coding.Decision{Key: req.Key, Document: req.Document, Code: req.Code, CoderA: req.CoderA, CoderB: req.CoderB,
		Start: req.Start, End: req.End, Decided: req.Decided, Reason: req.Reason}
	if err := d.Validate(); err != nil {
		s.writeError(w, r, err)
		return
	}
	// A case is between two layers of this project; any other user of the
	// server is no party to it (and the answer must not tell who exists).
	for _, coder := range []string{d.CoderA, d.CoderB} {
		if _, _, err := app.ResolveCoder(s.store, c.project.ID, coder); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	if _, err := s.store.SetDecision(c.project.ID, d, c.user.ID); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"decision": d})
}

// handleClearDecision takes the decision on ?key= back, reopening its case.
func (s *Server) handleClearDecision(w http.ResponseWriter, r *http.Request, c *caller) {
	key := r.URL.Query().Get("key")
	if key == "" {
		s.writeError(w, r, coding.Errorf(coding.EINVALID, "give the key of the case whose decision to clear (?key=)"))
		return
	}
	d, _, err := s.store.ClearDecision(c.project.ID, key, c.user.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"decision": d})
}
