package agreement

import (
	"cmp"
	"slices"

	"github.com/concordqda/concord/coding"
)

// Unit is what ProjectAgreement compares coders on.
type Unit string

// The units of a project agreement.
const (
	// UnitCharacters compares, for each code, whether each coder coded
	// each character with it, as NVivo's coding comparison and QualCoder
	// do.
	UnitCharacters Unit = "characters"
	// UnitSegments compares codings: a coder's coding agrees with another
	// coder when that coder has a coding of the same code overlapping it
	// by at least a share of the shorter span, as MAXQDA does.
	UnitSegments Unit = "segments"
	// UnitPresence compares, for each code, whether each coder applied it
	// anywhere in each document.
	UnitPresence Unit = "presence"
	// UnitUnitized compares where coders placed their units of each code
	// with Krippendorff's unitizing α.
	UnitUnitized Unit = "unitized"
)

// Units lists the units in the order a user is offered them.
var Units = []Unit{UnitCharacters, UnitSegments, UnitPresence, UnitUnitized}

// DefaultOverlap is the share of the shorter of two segments they must
// share to match.
const DefaultOverlap = 0.5

// ConfidenceLevel is the level of the bootstrap confidence intervals.
const ConfidenceLevel = 0.95

// MaxBootstrap bounds the number of bootstrap resamples.
const MaxBootstrap = 100_000

// Options choose what ProjectAgreement computes.
type Options struct {
	Unit Unit `json:"unit"`
	// CodedOnly (characters only) counts only the characters that at
	// least one compared coder coded with the code: text nobody coded
	// does not inflate agreement. Only percent agreement is meaningful
	// then; the chance-corrected coefficients are undefined.
	CodedOnly bool `json:"coded_only"`
	// Overlap (segments only) is the share of the shorter of two segments
	// they must share to match; 0 means DefaultOverlap.
	Overlap float64 `json:"overlap,omitempty"`
	// Coders are the coder ids to compare. Empty means every coder with a
	// coding except the consensus layer; list ConsensusCoder to compare a
	// coder with the consensus.
	Coders []string `json:"coders,omitempty"`
	// Code limits the report to one code and its descendants.
	Code string `json:"code,omitempty"`
	// AllDocuments counts every document as read by every compared coder.
	// Without it a coder takes part in the documents assigned to them or
	// marked done by them (Input.Assignments), or in every
	// document when no compared coder has any: a document a coder was not
	// given is missing data, not a string of "absent" decisions.
	AllDocuments bool `json:"all_documents"`
	// Bootstrap is the number of resamples for confidence intervals of α
	// (0: none); Seed makes them reproducible.
	Bootstrap int   `json:"bootstrap"`
	Seed      int64 `json:"seed"`
}

// Input is the project an agreement is computed on. Documents
// need ID, Title and Length, not their text.
type Input struct {
	Codebook  *coding.Codebook
	Documents []coding.Document
	Codings   []coding.Coding
	// Spans, when set, are the codings a report compares, in place of
	// Codings (which may then be nil): much smaller on a large project.
	// Disagreements name codings by id, so they need Codings.
	Spans *coding.CodingSpans
	// CoderNames optionally names coders by id, for the report.
	CoderNames map[string]string
	// Assignments are the documents assigned to or marked done by each
	// coder: they choose the documents each coder is compared on.
	Assignments []coding.Assignment
}

// Report is a project's agreement for one unit: overall, per
// code (worst first), per document, per pair of coders, and a matrix of
// codes × coder pairs.
type Report struct {
	Unit    Unit    `json:"unit"`
	Options Options `json:"options"`
	// Metric is the coefficient over all coders that Codes are sorted by;
	// PairMetric the one Matrix shows.
	Metric     string  `json:"metric"`
	PairMetric string  `json:"pair_metric"`
	Coders     []Coder `json:"coders"`
	Overall    Figures `json:"overall"`
	// Codes has a row per code that at least one compared coder applied
	// (a parent's row counts its descendants' codings as its own).
	Codes     []CodeAgreement     `json:"codes"`
	Documents []DocumentAgreement `json:"documents"`
	Pairs     []PairAgreement     `json:"pairs"`
	Matrix    Matrix              `json:"matrix"`
	// UnusedCodes are the codes in scope that no compared coder applied.
	UnusedCodes []string `json:"unused_codes"`
	// DocumentsBasis says which documents each coder was compared on, and
	// DocumentsNote says it in a sentence; Warnings name documents whose
	// place in the comparison a lead should check.
	DocumentsBasis DocumentsBasis `json:"documents_basis"`
	DocumentsNote  string         `json:"documents_note"`
	Warnings       []Warning      `json:"warnings"`
	// Method says in plain sentences, keyed, what the figures are and how
	// they were computed, where a reader could take them for something
	// else (method.go).
	Method map[string]string `json:"method"`
}

// Coder is one compared coder.
type Coder struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Documents is the number of documents the coder takes part in.
	Documents int `json:"documents"`
}

// Figures are the coefficients of one row, keyed by the Metric
// names, with the counts behind them.
type Figures struct {
	Coefficients map[string]Coefficient `json:"coefficients"`
	// AlphaCI is the bootstrap interval of the row's α, when asked for.
	AlphaCI *ConfidenceInterval `json:"alpha_ci,omitempty"`
	Counts  Counts              `json:"counts"`
}

// Counts are what a row's coefficients were computed from.
// Compared counts the units: characters, documents, or segment
// comparisons (one per segment and other coder). Both counts those every
// coder coded (segments: comparisons that matched), Either those some but
// not all coded (segments: comparisons that did not match), Neither those
// nobody coded. CodedBy counts, per coder name, the units (or segments)
// each coded. For the unitized unit Compared is the length of the
// continuum and CodedBy the units of each coder.
type Counts struct {
	Compared int            `json:"compared"`
	Both     int            `json:"both"`
	Either   int            `json:"either"`
	Neither  int            `json:"neither"`
	CodedBy  map[string]int `json:"coded_by"`
}

// CodeAgreement is the agreement on one code.
type CodeAgreement struct {
	Code string `json:"code"`
	Path string `json:"path"`
	// Rollup reports that the code has descendants whose codings count
	// as the code's own here.
	Rollup bool `json:"rollup"`
	Figures
}

// DocumentAgreement is the agreement in one document, over its codes.
type DocumentAgreement struct {
	Document string `json:"document"`
	Title    string `json:"title"`
	Figures
}

// PairAgreement is the agreement of two coders over every code.
type PairAgreement struct {
	A string `json:"a"`
	B string `json:"b"`
	Figures
}

// Matrix holds the figures of every code (rows, in codebook
// order) for every pair of coders (columns), for a heatmap.
type Matrix struct {
	Codes []string    `json:"codes"`
	Pairs [][2]string `json:"pairs"`
	Cells [][]Figures `json:"cells"`
}

// ConfidenceInterval is a percentile bootstrap interval.
type ConfidenceInterval struct {
	Level     float64 `json:"level"`
	Low       float64 `json:"low"`
	High      float64 `json:"high"`
	Defined   bool    `json:"defined"`
	Reason    string  `json:"reason,omitempty"`
	Resamples int     `json:"resamples"`
	// Used counts the resamples in which the coefficient was defined.
	Used int `json:"used"`
	// Documents is the number of documents resampled: with few, the
	// interval is rough.
	Documents int `json:"documents"`
}

// ProjectAgreement computes the agreement of a project's coders.
func ProjectAgreement(in Input, opt Options) (*Report, error) {
	s, err := newAgreementScope(in, &opt)
	if err != nil {
		return nil, err
	}
	return s.report(), nil
}

// report computes the scope's agreement for the unit its options name.
func (s *agreementScope) report() *Report {
	opt := *s.opt
	r := &Report{Unit: opt.Unit, Options: opt}
	switch opt.Unit {
	case UnitCharacters, UnitPresence:
		binaryAgreement(s, r)
	case UnitSegments:
		segmentAgreement(s, r)
	case UnitUnitized:
		unitizedAgreement(s, r)
	}
	s.describe(r)
	r.Method = agreementMethod(r.Unit, opt.CodedOnly)
	sortWorstFirst(r.Codes, r.Metric)
	return r
}

// sortWorstFirst orders rows by metric, lowest first; rows where it is
// undefined come last, as nothing can be said about them.
func sortWorstFirst(rows []CodeAgreement, metric string) {
	slices.SortStableFunc(rows, func(a, b CodeAgreement) int {
		ca, cb := a.Coefficients[metric], b.Coefficients[metric]
		switch {
		case ca.Defined && cb.Defined:
			if c := cmp.Compare(ca.Value, cb.Value); c != 0 {
				return c
			}
		case ca.Defined:
			return -1
		case cb.Defined:
			return 1
		}
		return cmp.Compare(a.Path, b.Path)
	})
}
