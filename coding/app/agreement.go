package app

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"github.com/concordqda/concord/coding"
	"github.com/concordqda/concord/coding/agreement"
)

// AgreementStore is what computing a project's agreement reads. The
// command line passes its open database, the server its Store.
type AgreementStore interface {
	Codes(projectID string) ([]coding.Code, error)
	Documents(projectID string) ([]coding.Document, error)
	Codings(projectID string, f coding.CodingFilter) ([]coding.Coding, error)
	CodingSpans(projectID string) (*coding.CodingSpans, error)
	Members(projectID string) ([]coding.Member, error)
	Users() ([]coding.User, error)
	Assignments(projectID string) ([]coding.Assignment, error)
}

// DefaultBootstrap is the number of bootstrap resamples an agreement gets
// unless it asks otherwise (none for the segments unit, which has no α).
const DefaultBootstrap = 1000

// AgreementRequest is what a lead asks for: the query of the agreement
// endpoints, or the flags of concord agreement.
type AgreementRequest struct {
	Unit agreement.Unit
	// Code is a code's id, its path ("Stressors/Housing") or a name only
	// one code has; empty for the whole codebook.
	Code string
	// Coders are ids, logins or "consensus". Empty means the members with
	// the coder role who coded something — leads adjudicate rather than
	// code — or, if fewer than two did, everyone who coded (never the
	// consensus layer).
	Coders       []string
	CodedOnly    bool
	Overlap      float64
	AllDocuments bool
	// Bootstrap is the number of resamples; negative for the default.
	Bootstrap int
	Seed      int64
}

// ResolveAgreement reads what a project's agreement compares and turns a
// lead's request into options: the code named, the coders named (logins,
// ids or "consensus", among the project's layers only) or chosen by
// default. A report needs only the codings' spans; withCodings also reads
// the codings themselves, which disagreements name.
func ResolveAgreement(st AgreementStore, projectID string, req AgreementRequest, withCodings bool) (agreement.Input, agreement.Options, error) {
	var in agreement.Input
	opt := agreement.Options{Unit: req.Unit, CodedOnly: req.CodedOnly, Overlap: req.Overlap, AllDocuments: req.AllDocuments, Bootstrap: req.Bootstrap, Seed: req.Seed}
	if opt.Unit == "" {
		opt.Unit = agreement.UnitCharacters
	}
	if opt.Bootstrap < 0 {
		opt.Bootstrap = DefaultBootstrap
		if opt.Unit == agreement.UnitSegments || opt.CodedOnly {
			opt.Bootstrap = 0 // no α to bootstrap
		}
	}
	codes, err := st.Codes(projectID)
	if err != nil {
		return in, opt, err
	}
	in.Codebook = coding.NewCodebook(codes)
	if req.Code != "" {
		c, err := in.Codebook.Resolve(req.Code)
		if err != nil {
			return in, opt, err
		}
		opt.Code = c.ID
	}
	if in.Documents, err = st.Documents(projectID); err != nil {
		return in, opt, err
	}
	if withCodings {
		if in.Codings, err = st.Codings(projectID, coding.CodingFilter{}); err != nil {
			return in, opt, err
		}
		in.Spans = coding.SpansOf(in.Codings)
	} else if in.Spans, err = st.CodingSpans(projectID); err != nil {
		return in, opt, err
	}
	// Coders resolve among the project's layers only: its members and
	// whoever has codings in it. Any other user of the server is as
	// unknown as a login that does not exist, with the same answer.
	layers := map[string]bool{}
	members, err := st.Members(projectID)
	if err != nil {
		return in, opt, err
	}
	for _, m := range members {
		layers[m.UserID] = true
	}
	for _, id := range in.Spans.CoderIDs {
		layers[id] = true
	}
	users, err := st.Users()
	if err != nil {
		return in, opt, err
	}
	in.CoderNames = map[string]string{coding.ConsensusCoder: "consensus"}
	byLogin := map[string]string{"consensus": coding.ConsensusCoder}
	for _, u := range users {
		if layers[u.ID] {
			in.CoderNames[u.ID] = u.Login
			byLogin[strings.ToLower(u.Login)] = u.ID
		}
	}
	for _, c := range req.Coders {
		id, ok := byLogin[strings.ToLower(c)]
		if !ok {
			if _, known := in.CoderNames[c]; !known {
				return in, opt, unknownCoder(c)
			}
			id = c
		}
		opt.Coders = append(opt.Coders, id)
	}
	if in.Assignments, err = st.Assignments(projectID); err != nil {
		return in, opt, err
	}
	if len(opt.Coders) == 0 {
		opt.Coders = defaultCoders(members, in)
	}
	return in, opt, err
}

// defaultCoders are the members with the coder role who coded something
// or have a document assigned or marked done, ordered by login, if there are two or more; otherwise nil, which
// compares everyone who coded.
func defaultCoders(members []coding.Member, in agreement.Input) []string {
	coded := map[string]bool{}
	for _, id := range in.Spans.CoderIDs {
		coded[id] = true
	}
	for _, a := range in.Assignments {
		coded[a.Coder] = coded[a.Coder] || a.Counts() // read and found nothing
	}
	var out []string
	for _, m := range members {
		if m.Role == coding.RoleCoder && coded[m.UserID] {
			out = append(out, m.UserID)
		}
	}
	if len(out) < 2 {
		return nil
	}
	slices.SortFunc(out, func(a, b string) int { return strings.Compare(in.CoderNames[a], in.CoderNames[b]) })
	return out
}

// Agreement computes a project's agreement as a lead asked for it.
func Agreement(st AgreementStore, projectID string, req AgreementRequest) (*agreement.Report, error) {
	in, opt, err := ResolveAgreement(st, projectID, req, false)
	if err != nil {
		return nil, err
	}
	return agreement.ProjectAgreement(in, opt)
}

// UnitAll asks for every unit's report at once.
const UnitAll agreement.Unit = "all"

// Agreements computes a project's agreement in every unit, side by side;
// options that belong to one unit apply to that unit only.
func Agreements(st AgreementStore, projectID string, req AgreementRequest) ([]*agreement.Report, error) {
	in, opt, err := resolveAgreements(st, projectID, req)
	if err != nil {
		return nil, err
	}
	return agreement.ProjectAgreementUnits(in, opt, agreement.Units)
}

// resolveAgreements is ResolveAgreement for every unit at once.
func resolveAgreements(st AgreementStore, projectID string, req AgreementRequest) (agreement.Input, agreement.Options, error) {
	req.Unit = agreement.UnitCharacters // resolves the same defaults as one unit…
	if req.Bootstrap < 0 {
		req.Bootstrap = DefaultBootstrap // …but coded_only drops α for characters only
	}
	return ResolveAgreement(st, projectID, req, false)
}

// AgreementsJSON is Agreements as the API and `concord agreement --unit all
// --json` answer it, {"reports":[…]}. Each report is encoded as soon as
// it is computed, while slower units still run (on 200,000 codings the
// quicker three are done and written long before the unitized one).
func AgreementsJSON(st AgreementStore, projectID string, req AgreementRequest) ([]byte, error) {
	in, opt, err := resolveAgreements(st, projectID, req)
	if err != nil {
		return nil, err
	}
	parts := make([][]byte, len(agreement.Units))
	errs := make([]error, len(agreement.Units))
	if _, err := agreement.ProjectAgreementUnitsEach(in, opt, agreement.Units, func(i int, r *agreement.Report) {
		parts[i], errs[i] = json.Marshal(r)
	}); err != nil {
		return nil, err
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	n := len(`{"reports":[]}`) + len(parts)
	for _, p := range parts {
		n += len(p)
	}
	out := make([]byte, 0, n)
	out = append(out, `{"reports":[`...)
	for i, p := range parts {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, p...)
	}
	return append(out, "]}\n"...), nil
}
