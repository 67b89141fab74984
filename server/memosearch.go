package server

import (
	"github.com/concordqda/concord/coding"
)

// memoHit is a memo whose title or text holds a search's words, with the
// words in their context; Field says which of the two.
type memoHit struct {
	memoView
	Field  string `json:"field"`
	Before string `json:"before"`
	Match  string `json:"match"`
	After  string `json:"after"`
}

// searchMemos finds q in the memos the caller may see, one hit per memo
// (in its text, else its title), oldest memo first.
func (s *Server) searchMemos(c *caller, q string, context int) ([]memoHit, error) {
	all, err := s.store.Memos(c.project.ID)
	if err != nil {
		return nil, err
	}
	var mc *memoContext
	out := []memoHit{}
	for _, m := range all {
		if len(out) == maxHits {
			break
		}
		if !c.sees(m.AuthorID) {
			continue
		}
		field := "text"
		hits := coding.Search(m.ID, m.Text, q, context, 1)
		if len(hits) == 0 {
			field = "title"
			hits = coding.Search(m.ID, m.Title, q, context, 1)
		}
		if len(hits) == 0 {
			continue
		}
		if mc == nil {
			if mc, err = s.newMemoContext(c.project.ID); err != nil {
				return nil, err
			}
		}
		h := hits[0]
		out = append(out, memoHit{memoView: mc.view(m), Field: field, Before: h.Before, Match: h.Match, After: h.After})
	}
	return out, nil
}
