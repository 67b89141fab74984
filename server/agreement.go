package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/concordqda/concord/coding"
	"github.com/concordqda/concord/coding/agreement"
	"github.com/concordqda/concord/coding/app"
)

// ParseAgreementQuery reads an app.AgreementRequest from query parameters:
// unit, code, coders (comma-separated), coded_only, overlap,
// all_documents, bootstrap and seed.
func ParseAgreementQuery(q url.Values) (app.AgreementRequest, error) {
	req := app.AgreementRequest{Unit: agreement.Unit(q.Get("unit")), Code: q.Get("code"), Bootstrap: -1, Seed: 1}
	for _, c := range strings.Split(q.Get("coders"), ",") {
		if c = strings.TrimSpace(c); c != "" {
			req.Coders = append(req.Coders, c)
		}
	}
	var err error
	flag := func(name string, dst *bool) {
		if v := q.Get(name); v != "" && err == nil {
			if *dst, err = strconv.ParseBool(v); err != nil {
				err = coding.Errorf(coding.EINVALID, "%s must be true or false, not %q", name, v)
			}
		}
	}
	number := func(name string, parse func(string) error) {
		if v := q.Get(name); v != "" && err == nil {
			if parse(v) != nil {
				err = coding.Errorf(coding.EINVALID, "%s must be a number, not %q", name, v)
			}
		}
	}
	flag("coded_only", &req.CodedOnly)
	flag("all_documents", &req.AllDocuments)
	number("overlap", func(v string) (e error) { req.Overlap, e = strconv.ParseFloat(v, 64); return })
	number("bootstrap", func(v string) (e error) { req.Bootstrap, e = strconv.Atoi(v); return })
	number("seed", func(v string) (e error) { req.Seed, e = strconv.ParseInt(v, 10, 64); return })
	return req, err
}

// agreementInput reads a project and resolves a request into options.
func (s *Server) handleAgreement(w http.ResponseWriter, r *http.Request, c *caller) {
	req, err := ParseAgreementQuery(r.URL.Query())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if req.Unit == app.UnitAll {
		body, err := app.AgreementsJSON(s.store, c.project.ID, req)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		writeJSONBytes(w, http.StatusOK, body)
		return
	}
	report, err := app.Agreement(s.store, c.project.ID, req)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, report)
}

// disagreementView is a disagreement with what a reviewer reads: the
// document's title, the coder's login and the text.
type disagreementView struct {
	agreement.Disagreement
	Title     string `json:"title"`
	CoderName string `json:"coder_name"`
	Excerpt   string `json:"excerpt"`
	// Truncated reports that the excerpt is shorter than the stretch.
	Truncated bool `json:"truncated"`
}

// maxExcerpt bounds the text of one disagreement, in characters.
const maxExcerpt = 500

func (s *Server) handleDisagreements(w http.ResponseWriter, r *http.Request, c *caller) {
	q := r.URL.Query()
	req, err := ParseAgreementQuery(q)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if req.Code == "" || q.Get("a") == "" || q.Get("b") == "" {
		s.writeError(w, r, coding.Errorf(coding.EINVALID, "give the code (code=) and the two coders (a= and b=) whose disagreements to list"))
		return
	}
	req.Coders, req.Bootstrap = []string{q.Get("a"), q.Get("b")}, 0
	in, opt, err := app.ResolveAgreement(s.store, c.project.ID, req, true)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	ds, err := agreement.Disagreements(in, opt, opt.Coders[0], opt.Coders[1])
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	titles := map[string]string{}
	for _, d := range in.Documents {
		titles[d.ID] = d.Title
	}
	texts := map[string]string{}
	out := make([]disagreementView, len(ds))
	for i, d := range ds {
		text, ok := texts[d.Document]
		if !ok {
			doc, err := s.store.Document(c.project.ID, d.Document)
			if err != nil {
				s.writeError(w, r, err)
				return
			}
			text, texts[d.Document] = doc.Text, doc.Text
		}
		end := min(d.End, d.Start+maxExcerpt)
		out[i] = disagreementView{Disagreement: d, Title: titles[d.Document], CoderName: in.CoderNames[d.Coder],
			Excerpt: coding.Slice(text, d.Start, end), Truncated: end < d.End}
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"unit": opt.Unit, "code": opt.Code, "a": opt.Coders[0], "b": opt.Coders[1], "disagreements": out,
	})
}
