package server

import (
	"net/http"

	"github.com/concordqda/concord/coding"
)

// segmentMemos lists, for the coded-segments view, the memos that belong
// with what its filters select:
//   - the project's journal only when nothing narrows the view (no
//     document, attribute or code): it is about everything;
//   - a code's memos when no document or attribute narrows the view and,
//     with a code filter, only the codes it selects;
//   - a document's memos when the document passes the document and
//     attribute filters; with a code filter only its span memos that
//     overlap a listed segment, since a whole-document memo is not about
//     the code;
//   - with a coder filter, only that coder's memos.
//
// In a blind project a coder gets only their own, as everywhere.
func (s *Server) segmentMemos(c *caller, ps *projectSlice, sq *segmentQuery) ([]memoView, error) {
	all, err := s.store.Memos(c.project.ID)
	if err != nil {
		return nil, err
	}
	f := sq.filter
	byDoc := f.DocumentID != "" || len(sq.attrs) > 0
	out := []memoView{}
	var mc *memoContext
	for _, m := range all {
		if !c.sees(m.AuthorID) || (f.CoderID != "" && m.AuthorID != f.CoderID) {
			continue
		}
		keep := false
		switch m.Kind() {
		case coding.MemoProject:
			keep = !byDoc && f.CodeIDs == nil
		case coding.MemoCode:
			keep = !byDoc && (f.CodeIDs == nil || f.CodeIDs[m.CodeID])
		default:
			keep = ps.docs[m.DocumentID] != nil && (f.DocumentID == "" || f.DocumentID == m.DocumentID) &&
				(f.CodeIDs == nil || (m.Anchored() && overlapsSegment(ps.codings, &m)))
		}
		if !keep {
			continue
		}
		if mc == nil {
			if mc, err = s.newMemoContext(c.project.ID); err != nil {
				return nil, err
			}
		}
		out = append(out, mc.view(m))
	}
	return out, nil
}

// overlapsSegment reports whether a span memo shares text with a coding.
func overlapsSegment(codings []coding.Coding, m *coding.Memo) bool {
	for i := range codings {
		cd := &codings[i]
		if cd.DocumentID == m.DocumentID && cd.Start < m.End && m.Start < cd.End {
			return true
		}
	}
	return false
}

// wantMemos reads ?memos=true|false of the coded-segments view.
func wantMemos(r *http.Request) (bool, error) {
	switch r.URL.Query().Get("memos") {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	}
	return false, coding.Errorf(coding.EINVALID, "memos must be true or false")
}
