package server

import (
	"net/http"
	"sort"
	"strconv"

	"github.com/concordqda/concord/coding"
)

// searchHit is a hit with its document's title and the codings (that the
// caller may see) overlapping it.
type searchHit struct {
	coding.Hit
	Title   string          `json:"title"`
	Codings []coding.Coding `json:"codings"`
}

// maxHits bounds one search's answer.
const maxHits = 2000

// search runs a query over every document of the project.
func (s *Server) search(c *caller, q string, context int) ([]searchHit, bool, error) {
	if err := coding.ValidateQuery(q); err != nil {
		return nil, false, err
	}
	docs, err := s.store.Documents(c.project.ID)
	if err != nil {
		return nil, false, err
	}
	texts, err := s.store.DocumentTexts(c.project.ID)
	if err != nil {
		return nil, false, err
	}
	visible, err := s.visibleCodings(c, coding.CodingFilter{})
	if err != nil {
		return nil, false, err
	}
	byDoc := map[string][]coding.Coding{}
	for _, cd := range visible {
		byDoc[cd.DocumentID] = append(byDoc[cd.DocumentID], cd)
	}
	var out []searchHit
	truncated := false
	for _, d := range docs {
		hits := coding.Search(d.ID, texts[d.ID], q, context, maxHits-len(out)+1)
		for _, h := range hits {
			if len(out) == maxHits {
				truncated = true
				break
			}
			sh := searchHit{Hit: h, Title: d.Title, Codings: []coding.Coding{}}
			for _, cd := range byDoc[d.ID] {
				if cd.Start < h.End && h.Start < cd.End {
					sh.Codings = append(sh.Codings, cd)
				}
			}
			out = append(out, sh)
		}
	}
	return out, truncated, nil
}

// handleSearch answers ?q=TEXT&context=N with keyword-in-context hits.
func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request, c *caller) {
	q := r.URL.Query()
	context := 60
	if v := q.Get("context"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 1000 {
			s.writeError(w, r, coding.Errorf(coding.EINVALID, "context must be a number of characters between 0 and 1000"))
			return
		}
		context = n
	}
	hits, truncated, err := s.search(c, q.Get("q"), context)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if hits == nil {
		hits = []searchHit{}
	}
	memos, err := s.searchMemos(c, q.Get("q"), context)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"hits": hits, "total": len(hits), "truncated": truncated, "memos": memos})
}

type autocodeRequest struct {
	Query string `json:"q"`
	Code  string `json:"code"`
}

// handleAutocode codes every hit of a query with one code in the caller's
// layer, skipping hits the caller already coded so, in one transaction.
// The answer lists the new codings so that the UI can undo them with one
// POST …/codings/delete.
func (s *Server) handleAutocode(w http.ResponseWriter, r *http.Request, c *caller) {
	var req autocodeRequest
	if err := decodeBody(r, s.opts.MaxBody, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	hits, truncated, err := s.search(c, req.Query, 0)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if truncated {
		s.writeError(w, r, coding.Errorf(coding.ETOOLARGE, "more than %d hits: narrow the search before coding them all", maxHits))
		return
	}
	mine, err := s.store.Codings(c.project.ID, coding.CodingFilter{CoderID: c.user.ID, CodeIDs: map[string]bool{req.Code: true}})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	have := map[coding.SpanKey]bool{}
	for _, cd := range mine {
		have[cd.Key()] = true
	}
	var add []coding.Coding
	for _, h := range hits {
		cd := coding.Coding{ProjectID: c.project.ID, DocumentID: h.DocumentID, CodeID: req.Code, CoderID: c.user.ID, Start: h.Start, End: h.End}
		if !have[cd.Key()] {
			add = append(add, cd)
		}
	}
	if len(add) == 0 {
		writeJSON(w, http.StatusOK, map[string]any{"codings": []coding.Coding{}, "hits": len(hits)})
		return
	}
	if len(add) > s.opts.MaxBatch*10 {
		s.writeError(w, r, coding.Errorf(coding.ETOOLARGE, "%d hits is too many to code at once", len(add)))
		return
	}
	if _, err := s.store.AddCodings(add, c.user.ID); err != nil {
		s.writeError(w, r, err)
		return
	}
	sort.Slice(add, func(i, j int) bool { return add[i].ID < add[j].ID })
	writeJSON(w, http.StatusCreated, map[string]any{"codings": add, "hits": len(hits)})
}

type deleteCodingsRequest struct {
	IDs []string `json:"ids"`
}

// handleDeleteCodings removes several of the caller's codings at once (the
// undo of an auto-coding): all or none.
func (s *Server) handleDeleteCodings(w http.ResponseWriter, r *http.Request, c *caller) {
	var req deleteCodingsRequest
	if err := decodeBody(r, s.opts.MaxBody, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if len(req.IDs) == 0 || len(req.IDs) > s.opts.MaxBatch*10 {
		s.writeError(w, r, coding.Errorf(coding.EINVALID, "send between 1 and %d coding ids", s.opts.MaxBatch*10))
		return
	}
	deleted, err := s.store.DeleteCodings(c.project.ID, req.IDs, c.user.ID, func(cd *coding.Coding) error {
		if !c.sees(cd.CoderID) {
			return coding.Errorf(coding.ENOTFOUND, "coding %s does not exist", cd.ID)
		}
		return c.layerAllowed(cd.CoderID)
	})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"codings": deleted})
}
