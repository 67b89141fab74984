package server

import (
	"fmt"
	"math"
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
// ?code= (with descendants unless &descendants=false), ?coder= (one id, or
// several joined by commas: a pair of coders in agreement), ?document=,
// and ?attr=name:value (repeatable; all must match).
type segmentQuery struct {
	filter coding.CodingFilter
	attrs  map[string]string
	coders map[string]bool // several coders; nil keeps the one in filter
	sets   []string        // ?set=: documents in every one of these sets
}

func (s *Server) parseSegmentQuery(r *http.Request, cb *coding.Codebook) (*segmentQuery, error) {
	q := r.URL.Query()
	sq := &segmentQuery{filter: coding.CodingFilter{DocumentID: q.Get("document"), CoderID: q.Get("coder")}, attrs: map[string]string{}}
	if strings.Contains(sq.filter.CoderID, ",") {
		sq.coders = map[string]bool{}
		for _, id := range strings.Split(sq.filter.CoderID, ",") {
			if id != "" {
				sq.coders[id] = true
			}
		}
		sq.filter.CoderID = ""
	}
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
	sq.sets = q["set"]
	return sq, nil
}

// matchDoc reports whether a document has every asked-for attribute value
// and is in every asked-for set.
func (sq *segmentQuery) matchDoc(d *coding.Document) bool {
	for k, v := range sq.attrs {
		if d.Attributes[k] != v {
			return false
		}
	}
	for _, s := range sq.sets {
		if !d.InSet(s) {
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
	if ps.codings, err = s.sliceCodings(c, ps, sq, sq.filter); err != nil {
		return nil, nil, err
	}
	return ps, sq, nil
}

// sliceCodings reads the visible codings that pass f, in the slice's
// documents and of the query's coders.
func (s *Server) sliceCodings(c *caller, ps *projectSlice, sq *segmentQuery, f coding.CodingFilter) ([]coding.Coding, error) {
	all, err := s.visibleCodings(c, f)
	if err != nil {
		return nil, err
	}
	var out []coding.Coding
	for _, cd := range all {
		if ps.docs[cd.DocumentID] != nil && (sq.coders == nil || sq.coders[cd.CoderID]) {
			out = append(out, cd)
		}
	}
	return out, nil
}

// Paging of the coded segments: a page holds at most maxSegmentPage.
const (
	defaultSegmentPage = 500
	maxSegmentPage     = 2000
)

// handleSegments lists coded segments with their text and context, in
// document order, a page at a time (?offset=&limit=); "total" counts them
// all. ?with=CODE&gap=N keeps only the codings that meet a coding of CODE
// (on overlapping text, or within N characters): the segments behind a
// cell of the co-occurrence heatmap.
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
	q := r.URL.Query()
	number := func(name string, def, lo, hi int, msg string) int {
		v := q.Get(name)
		if v == "" || err != nil {
			return def
		}
		n, e := strconv.Atoi(v)
		if e != nil || n < lo || n > hi {
			err = coding.Errorf(coding.EINVALID, "%s", msg)
		}
		return n
	}
	context := number("context", 80, 0, 2000, "context must be between 0 and 2000 characters")
	offset := number("offset", 0, 0, math.MaxInt32, "offset must be a whole number of segments, 0 or more")
	limit := number("limit", defaultSegmentPage, 1, maxSegmentPage, fmt.Sprintf("limit must be between 1 and %d segments", maxSegmentPage))
	gap := number("gap", 0, 0, coding.MaxCooccurrenceGap, fmt.Sprintf("gap must be a number of characters between 0 and %d", coding.MaxCooccurrenceGap))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if with := q.Get("with"); with != "" {
		if _, ok := ps.codebook.Code(with); !ok {
			s.writeError(w, r, coding.Errorf(coding.ENOTFOUND, "code %s (with) does not exist", with))
			return
		}
		f := sq.filter
		f.CodeIDs = map[string]bool{with: true}
		partners, err := s.sliceCodings(c, ps, sq, f)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		ps.codings = coding.Meeting(ps.codings, partners, gap)
	}
	sort.Slice(ps.codings, func(i, j int) bool {
		a, b := ps.codings[i], ps.codings[j]
		if a.DocumentID != b.DocumentID {
			ta, tb := ps.docs[a.DocumentID].Title, ps.docs[b.DocumentID].Title
			if ta != tb {
				return ta < tb
			}
			return a.DocumentID < b.DocumentID
		}
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		if a.End != b.End {
			return a.End < b.End
		}
		return a.ID < b.ID
	})
	docs := map[string]bool{}
	for _, cd := range ps.codings {
		docs[cd.DocumentID] = true
	}
	total := len(ps.codings)
	page := ps.codings[min(offset, total):min(offset+limit, total)]
	// Only the page's documents are read: a page is a small part of a
	// large project.
	runes := map[string][]rune{}
	out := make([]segment, 0, len(page))
	for _, cd := range page {
		rs, ok := runes[cd.DocumentID]
		if !ok {
			d, err := s.store.Document(c.project.ID, cd.DocumentID)
			if err != nil {
				s.writeError(w, r, err)
				return
			}
			rs = []rune(d.Text)
			runes[cd.DocumentID] = rs
		}
		end := min(cd.End, len(rs))
		start := min(cd.Start, end)
		out = append(out, segment{
			Coding: cd, Title: ps.docs[cd.DocumentID].Title, CodePath: ps.codebook.PathString(cd.CodeID),
			Text: string(rs[start:end]), Before: string(rs[max(0, start-context):start]), After: string(rs[end:min(len(rs), end+context)]),
		})
	}
	body := map[string]any{"segments": out, "total": total, "documents": len(docs), "offset": offset, "limit": limit}
	if withMemos {
		if body["memos"], err = s.segmentMemos(c, ps, sq); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, body)
}
