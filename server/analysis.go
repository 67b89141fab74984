package server

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/concordqda/concord/coding"
)

// frequencyRow is one code's counts, overall and by the chosen key.
type frequencyRow struct {
	Code  string                  `json:"code"`
	Path  string                  `json:"path"`
	Depth int                     `json:"depth"`
	Total coding.Count            `json:"total"`
	By    map[string]coding.Count `json:"by,omitempty"`
}

// handleFrequencies counts segments, documents and characters per code
// (with descendants unless &descendants=false), optionally broken down
// ?by=document|coder|attr:NAME — the crosstab of codes by an attribute.
// It takes the same filters as segments.
func (s *Server) handleFrequencies(w http.ResponseWriter, r *http.Request, c *caller) {
	ps, _, err := s.slice(r, c)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	descendants := r.URL.Query().Get("descendants") != "false"
	counted := ps.codings
	if descendants {
		counted = coding.WithAncestors(ps.codings, ps.codebook)
	}
	var key func(*coding.Coding) string
	columns := []string{}
	seen := map[string]bool{}
	addColumn := func(v string) {
		if v != "" && !seen[v] {
			seen[v] = true
			columns = append(columns, v)
		}
	}
	switch by := r.URL.Query().Get("by"); {
	case by == "":
	case by == "document":
		key = coding.ByDocument
		for _, d := range ps.list {
			addColumn(d.ID)
		}
	case by == "coder":
		key = coding.ByCoder
		for _, cd := range ps.codings {
			addColumn(cd.CoderID)
		}
	case strings.HasPrefix(by, "attr:"):
		name := strings.TrimPrefix(by, "attr:")
		key = coding.ByAttribute(ps.list, name)
		for _, d := range ps.list {
			addColumn(d.Attributes[name])
		}
	default:
		s.writeError(w, r, coding.Errorf(coding.EINVALID, "by must be document, coder or attr:NAME"))
		return
	}
	totals := coding.CountByCode(counted, nil, false)
	var cross map[string]map[string]coding.Count
	if key != nil {
		cross = coding.CountByCodeAnd(counted, key)
	}
	rows := []frequencyRow{}
	ps.codebook.Walk(func(code *coding.Code, depth int) {
		rows = append(rows, frequencyRow{Code: code.ID, Path: ps.codebook.PathString(code.ID), Depth: depth, Total: totals[code.ID], By: cross[code.ID]})
	})
	writeJSON(w, http.StatusOK, map[string]any{"rows": rows, "columns": columns, "descendants": descendants})
}

type cooccurrenceCell struct {
	A     string `json:"a"`
	B     string `json:"b"`
	Count int    `json:"count"`
}

// cooccurrenceBudget bounds the comparisons of two codings one count may
// make (about a third of a second here): past it the answer says it was
// cut short rather than keep a core busy for as long as a member likes.
const cooccurrenceBudget = 10_000_000

// handleCooccurrence counts pairs of codes applied to overlapping text (or
// within ?gap=N characters, at most MaxCooccurrenceGap), with the same
// filters as segments. An answer cut short by the budget says so in
// "truncated" and "reason".
func (s *Server) handleCooccurrence(w http.ResponseWriter, r *http.Request, c *caller) {
	ps, _, err := s.slice(r, c)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	gap := 0
	if v := r.URL.Query().Get("gap"); v != "" {
		if gap, err = strconv.Atoi(v); err != nil || gap < 0 || gap > coding.MaxCooccurrenceGap {
			s.writeError(w, r, coding.Errorf(coding.EINVALID, "gap must be a number of characters between 0 and %d", coding.MaxCooccurrenceGap))
			return
		}
	}
	counts, capped := coding.CooccurrenceWithin(ps.codings, gap, cooccurrenceBudget)
	cells := []cooccurrenceCell{}
	for p, n := range counts {
		cells = append(cells, cooccurrenceCell{A: p.A, B: p.B, Count: n})
	}
	codes := []map[string]string{}
	ps.codebook.Walk(func(code *coding.Code, depth int) {
		if code.Codable {
			codes = append(codes, map[string]string{"id": code.ID, "path": ps.codebook.PathString(code.ID), "colour": code.Colour})
		}
	})
	answer := map[string]any{"codes": codes, "cells": cells, "gap": gap, "truncated": capped}
	if capped {
		answer["reason"] = fmt.Sprintf("counting stopped after %d comparisons of codings, so the counts are too low; narrow the filters or lower the gap", cooccurrenceBudget)
	}
	writeJSON(w, http.StatusOK, answer)
}
