package server

import (
	"net/http"
	"sort"

	"github.com/concordqda/concord/coding"
)

// codeUsage is what deleting or merging a code would touch: a lead must
// know how many codings move or vanish before choosing which. It spans
// every layer, so only leads may ask (a coder of a blind project would
// learn how much the others coded).
type codeUsage struct {
	Code string `json:"code"`
	// Codings counts the codings of the code and of its sub-codes, in
	// every layer; ByLayer splits them by coder (the consensus included),
	// most first.
	Codings int          `json:"codings"`
	ByLayer []layerCount `json:"by_layer"`
	// SubCodes counts the code's descendants, which a deletion removes too.
	SubCodes int `json:"sub_codes"`
	// Memos counts the memos about the code or a sub-code.
	Memos int `json:"memos"`
}

// layerCount is how many codings one layer holds.
type layerCount struct {
	Coder   string `json:"coder"`
	Codings int    `json:"codings"`
}

// handleCodeUsage answers GET …/codes/{cid}/usage.
func (s *Server) handleCodeUsage(w http.ResponseWriter, r *http.Request, c *caller) {
	codes, err := s.store.Codes(c.project.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	cb := coding.NewCodebook(codes)
	id := r.PathValue("cid")
	if _, ok := cb.Code(id); !ok {
		s.writeError(w, r, coding.Errorf(coding.ENOTFOUND, "code %s does not exist", id))
		return
	}
	subs := cb.Descendants(id)
	set := map[string]bool{id: true}
	for _, d := range subs {
		set[d] = true
	}
	codings, err := s.store.Codings(c.project.ID, coding.CodingFilter{CodeIDs: set})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	memos, err := s.store.Memos(c.project.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	u := codeUsage{Code: id, Codings: len(codings), ByLayer: []layerCount{}, SubCodes: len(subs)}
	per := map[string]int{}
	for _, cd := range codings {
		per[cd.CoderID]++
	}
	for coder, n := range per {
		u.ByLayer = append(u.ByLayer, layerCount{Coder: coder, Codings: n})
	}
	sort.Slice(u.ByLayer, func(i, j int) bool {
		a, b := u.ByLayer[i], u.ByLayer[j]
		if a.Codings != b.Codings {
			return a.Codings > b.Codings
		}
		return a.Coder < b.Coder
	})
	for _, m := range memos {
		if set[m.CodeID] {
			u.Memos++
		}
	}
	writeJSON(w, http.StatusOK, u)
}
