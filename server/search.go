package server

import (
	"net/http"
	"sort"
	"strconv"

	"github.com/concordqda/concord/coding"
)

// searchHit is a hit, widened to its unit, with its document's title and
// the codings (that the caller may see) overlapping the unit.
type searchHit struct {
	coding.UnitHit
	Title   string          `json:"title"`
	Codings []coding.Coding `json:"codings"`
}

// maxHits bounds one search's answer.
const maxHits = 2000

// searchQuery is what a search looks for: the text, whether only whole
// words count (phrases matched word by word), and the unit a hit stands
// for.
type searchQuery struct {
	Text  string
	Words bool
	Scope coding.Scope
}

// parseMatch reads how a query matches: "text" (anywhere, the default) or
// "words" (whole words and phrases).
func parseMatch(v string) (bool, error) {
	switch v {
	case "", "text":
		return false, nil
	case "words":
		return true, nil
	}
	return false, coding.Errorf(coding.EINVALID, "match must be \"text\" (anywhere, also inside longer words) or \"words\" (whole words only), not %.40q", v)
}

// search runs a query over every document of the project.
func (s *Server) search(c *caller, sq searchQuery, context int) ([]searchHit, bool, error) {
	if err := coding.ValidateQuery(sq.Text); err != nil {
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
	find := coding.Search
	if sq.Words {
		find = coding.SearchWords
	}
	var out []searchHit
	truncated := false
	for _, d := range docs {
		limit := maxHits - len(out) + 1
		found := find(d.ID, texts[d.ID], sq.Text, context, limit)
		// A unit can hold several hits, so a search cut short may show
		// fewer units than the limit: it is still cut short.
		truncated = len(found) == limit
		for _, h := range coding.Widen(texts[d.ID], found, sq.Scope) {
			if len(out) == maxHits {
				truncated = true
				break
			}
			sh := searchHit{UnitHit: h, Title: d.Title, Codings: []coding.Coding{}}
			for _, cd := range byDoc[d.ID] {
				if cd.Start < h.UnitEnd && h.UnitStart < cd.End {
					sh.Codings = append(sh.Codings, cd)
				}
			}
			out = append(out, sh)
		}
		if truncated {
			break
		}
	}
	return out, truncated, nil
}

// handleSearch answers ?q=TEXT&context=N&match=text|words&scope=match|sentence|paragraph
// with keyword-in-context hits.
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
	sq := searchQuery{Text: q.Get("q")}
	var err error
	if sq.Words, err = parseMatch(q.Get("match")); err != nil {
		s.writeError(w, r, err)
		return
	}
	if sq.Scope, err = coding.ParseScope(q.Get("scope")); err != nil {
		s.writeError(w, r, err)
		return
	}
	hits, truncated, err := s.search(c, sq, context)
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
	Match string `json:"match"`
	Scope string `json:"scope"`
	// Hits, when sent, are the units to code (the preview's ticked hits,
	// by document and unit span); without it every hit is coded.
	Hits []autocodeHit `json:"hits"`
}

// autocodeHit names one hit of a search by its unit.
type autocodeHit struct {
	Document string `json:"document"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
}

// handleAutocode codes the hits of a query (all of them, or those the
// request lists) with one code in the caller's layer, each over its unit,
// skipping units the caller already coded so, in one transaction. The
// search runs again here, so what is coded is what the search finds now:
// a listed hit it no longer finds is refused, and nothing is coded. The
// answer lists the new codings so that the UI can undo them with one
// POST …/codings/delete.
func (s *Server) handleAutocode(w http.ResponseWriter, r *http.Request, c *caller) {
	var req autocodeRequest
	if err := decodeBody(r, s.opts.MaxBody, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	sq := searchQuery{Text: req.Query}
	var err error
	if sq.Words, err = parseMatch(req.Match); err != nil {
		s.writeError(w, r, err)
		return
	}
	if sq.Scope, err = coding.ParseScope(req.Scope); err != nil {
		s.writeError(w, r, err)
		return
	}
	if req.Hits != nil && len(req.Hits) == 0 {
		s.writeError(w, r, coding.Errorf(coding.EINVALID, "no hits are ticked: tick at least one hit to code"))
		return
	}
	hits, truncated, err := s.search(c, sq, 0)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if truncated {
		s.writeError(w, r, coding.Errorf(coding.ETOOLARGE, "more than %d hits: narrow the search before coding them all", maxHits))
		return
	}
	if req.Hits != nil {
		if hits, err = pickHits(hits, req.Hits); err != nil {
			s.writeError(w, r, err)
			return
		}
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
		cd := coding.Coding{ProjectID: c.project.ID, DocumentID: h.DocumentID, CodeID: req.Code, CoderID: c.user.ID, Start: h.UnitStart, End: h.UnitEnd}
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

// pickHits keeps the hits a request lists, in search order, and refuses a
// listed hit the search does not find (so nothing unseen is coded).
func pickHits(hits []searchHit, want []autocodeHit) ([]searchHit, error) {
	type unit struct {
		doc        string
		start, end int
	}
	found := make(map[unit]int, len(hits))
	for i, h := range hits {
		found[unit{h.DocumentID, h.UnitStart, h.UnitEnd}] = i
	}
	keep := make([]bool, len(hits))
	for _, x := range want {
		i, ok := found[unit{x.Document, x.Start, x.End}]
		if !ok {
			return nil, coding.Errorf(coding.EINVALID, "characters %d–%d of document %.40q are not a hit of this search (the documents or the search changed?): search again, then code", x.Start, x.End, x.Document)
		}
		keep[i] = true
	}
	var out []searchHit
	for i, h := range hits {
		if keep[i] {
			out = append(out, h)
		}
	}
	return out, nil
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
