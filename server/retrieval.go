package server

import (
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/concordqda/concord/coding"
)

// segment is a coded segment as the retrieval view shows it: the coding,
// its text and the text around it, its code's path and its document.
type segment struct {
	coding.Coding
	Title    string `json:"title"`
	CodePath string `json:"code_path"`
	Text     string `json:"text"`
	Before   string `json:"before"`
	After    string `json:"after"`
}

// segmentQuery reads the filters shared by retrieval and analysis:
// ?code= (with descendants unless &descendants=false), ?coder=,
// ?document=, and ?attr=name:value (repeatable; all must match).
type segmentQuery struct {
	filter coding.CodingFilter
	attrs  map[string]string
}

func (s *Server) parseSegmentQuery(r *http.Request, cb *coding.Codebook) (*segmentQuery, error) {
	q := r.URL.Query()
	sq := &segmentQuery{filter: coding.CodingFilter{DocumentID: q.Get("document"), CoderID: q.Get("coder")}, attrs: map[string]string{}}
	if code := q.Get("code"); code != "" {
		if _, ok := cb.Code(code); !ok {
			return nil, coding.Errorf(coding.ENOTFOUND, "code %s does not exist", code)
		}
		sq.filter.CodeIDs = map[string]bool{code: true}
		if q.Get("descendants") != "false" {
			for _, id := range cb.Descendants(code) {
				sq.filter.CodeIDs[id] = true
			}
		}
	}
	for _, a := range q["attr"] {
		name, value, ok := strings.Cut(a, ":")
		if !ok || name == "" {
			return nil, coding.Errorf(coding.EINVALID, "attr %q must look like name:value, e.g. setting:shelter", a)
		}
		sq.attrs[name] = value
	}
	return sq, nil
}

// matchDoc reports whether a document has every asked-for attribute value.
func (sq *segmentQuery) matchDoc(d *coding.Document) bool {
	for k, v := range sq.attrs {
		if d.Attributes[k] != v {
			return false
		}
	}
	return true
}

// projectView gathers what retrieval and analysis read: the codebook, the
// documents and the visible codings that pass the query.
type projectSlice struct {
	codebook *coding.Codebook
	docs     map[string]*coding.Document
	list     []coding.Document
	codings  []coding.Coding
}

func (s *Server) slice(r *http.Request, c *caller) (*projectSlice, *segmentQuery, error) {
	codes, err := s.store.Codes(c.project.ID)
	if err != nil {
		return nil, nil, err
	}
	ps := &projectSlice{codebook: coding.NewCodebook(codes), docs: map[string]*coding.Document{}}
	sq, err := s.parseSegmentQuery(r, ps.codebook)
	if err != nil {
		return nil, nil, err
	}
	docs, err := s.store.Documents(c.project.ID)
	if err != nil {
		return nil, nil, err
	}
	for i := range docs {
		if sq.matchDoc(&docs[i]) {
			ps.docs[docs[i].ID] = &docs[i]
			ps.list = append(ps.list, docs[i])
		}
	}
	all, err := s.visibleCodings(c, sq.filter)
	if err != nil {
		return nil, nil, err
	}
	for _, cd := range all {
		if ps.docs[cd.DocumentID] != nil {
			ps.codings = append(ps.codings, cd)
		}
	}
	return ps, sq, nil
}

// handleSegments lists coded segments with their text and context, in
// document order.
func (s *Server) handleSegments(w http.ResponseWriter, r *http.Request, c *caller) {
	ps, sq, err := s.slice(r, c)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	withMemos, err := wantMemos(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	context := 80
	if v := r.URL.Query().Get("context"); v != "" {
		if context, err = strconv.Atoi(v); err != nil || context < 0 || context > 2000 {
			s.writeError(w, r, coding.Errorf(coding.EINVALID, "context must be between 0 and 2000 characters"))
			return
		}
	}
	texts, err := s.store.DocumentTexts(c.project.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	sort.Slice(ps.codings, func(i, j int) bool {
		a, b := ps.codings[i], ps.codings[j]
		if a.DocumentID != b.DocumentID {
			return ps.docs[a.DocumentID].Title < ps.docs[b.DocumentID].Title
		}
		return a.Start < b.Start
	})
	runes := map[string][]rune{}
	out := make([]segment, 0, len(ps.codings))
	for _, cd := range ps.codings {
		rs, ok := runes[cd.DocumentID]
		if !ok {
			rs = []rune(texts[cd.DocumentID])
			runes[cd.DocumentID] = rs
		}
		end := min(cd.End, len(rs))
		start := min(cd.Start, end)
		out = append(out, segment{
			Coding: cd, Title: ps.docs[cd.DocumentID].Title, CodePath: ps.codebook.PathString(cd.CodeID),
			Text: string(rs[start:end]), Before: string(rs[max(0, start-context):start]), After: string(rs[end:min(len(rs), end+context)]),
		})
	}
	body := map[string]any{"segments": out, "total": len(out)}
	if withMemos {
		if body["memos"], err = s.segmentMemos(c, ps, sq); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, body)
}
