package server

import (
	"github.com/concordqda/concord/coding"
)

// memoView is a memo as search and retrieval list it: with its kind and
// the names of what it is about, so that a list can say so without
// loading the documents and the codebook, and, for a span memo, the text
// it is anchored to.
type memoView struct {
	coding.Memo
	Kind          string `json:"kind"`
	DocumentTitle string `json:"document_title,omitempty"`
	CodePath      string `json:"code_path,omitempty"`
	// Excerpt is a span memo's text, at most maxMemoExcerpt code points;
	// Truncated says it was cut.
	Excerpt   string `json:"excerpt,omitempty"`
	Truncated bool   `json:"truncated,omitempty"`
}

// maxMemoExcerpt bounds a span memo's excerpt: a memo on a whole page should
// not make a list of memos as long as the document.
const maxMemoExcerpt = 300

// memoContext holds what memoViews are made from.
type memoContext struct {
	titles   map[string]string
	codebook *coding.Codebook
	texts    map[string]string
	runes    map[string][]rune
}

// newMemoContext reads the project's documents, codebook and texts once
// for many memos.
func (s *Server) newMemoContext(projectID string) (*memoContext, error) {
	docs, err := s.store.Documents(projectID)
	if err != nil {
		return nil, err
	}
	codes, err := s.store.Codes(projectID)
	if err != nil {
		return nil, err
	}
	texts, err := s.store.DocumentTexts(projectID)
	if err != nil {
		return nil, err
	}
	mc := &memoContext{titles: map[string]string{}, codebook: coding.NewCodebook(codes), texts: texts, runes: map[string][]rune{}}
	for _, d := range docs {
		mc.titles[d.ID] = d.Title
	}
	return mc, nil
}

// view dresses m for a list.
func (mc *memoContext) view(m coding.Memo) memoView {
	v := memoView{Memo: m, Kind: m.Kind(), DocumentTitle: mc.titles[m.DocumentID]}
	if m.CodeID != "" {
		v.CodePath = mc.codebook.PathString(m.CodeID)
	}
	if m.Anchored() {
		rs, ok := mc.runes[m.DocumentID]
		if !ok {
			rs = []rune(mc.texts[m.DocumentID])
			mc.runes[m.DocumentID] = rs
		}
		end := min(m.End, len(rs))
		start := min(m.Start, end)
		if end-start > maxMemoExcerpt {
			end, v.Truncated = start+maxMemoExcerpt, true
		}
		v.Excerpt = string(rs[start:end])
	}
	return v
}
