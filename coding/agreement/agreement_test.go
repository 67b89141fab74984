package agreement

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/concordqda/concord/coding"
)

// handProject is small enough to compute by hand. Two documents of ten
// characters; a category P with codes X and Y, and a code Z; coders A and
// B (and C, who coded only d2, when three is true):
//
//	d1  0123456789         d2  0123456789
//	A   XXXX    ZZ         A   YYYYY
//	B     XXXX             B   YYYYY
//	                       C   YYY
func handProject(three bool) Input {
	codes := []coding.Code{
		{ID: "P", Name: "P"},
		{ID: "X", Name: "X", ParentID: "P", Codable: true, Order: 1},
		{ID: "Y", Name: "Y", ParentID: "P", Codable: true, Order: 2},
		{ID: "Z", Name: "Z", Codable: true, Order: 3},
	}
	cs := []coding.Coding{
		{ID: "a1", DocumentID: "d1", CodeID: "X", CoderID: "A", Start: 0, End: 4},
		{ID: "b1", DocumentID: "d1", CodeID: "X", CoderID: "B", Start: 2, End: 6},
		{ID: "a2", DocumentID: "d2", CodeID: "Y", CoderID: "A", Start: 0, End: 5},
		{ID: "b2", DocumentID: "d2", CodeID: "Y", CoderID: "B", Start: 0, End: 5},
		{ID: "a3", DocumentID: "d1", CodeID: "Z", CoderID: "A", Start: 8, End: 10},
	}
	if three {
		cs = append(cs, coding.Coding{ID: "c1", DocumentID: "d2", CodeID: "Y", CoderID: "C", Start: 0, End: 3})
	}
	return Input{
		Codebook:  coding.NewCodebook(codes),
		Documents: []coding.Document{{ID: "d1", Title: "One", Length: 10}, {ID: "d2", Title: "Two", Length: 10}},
		Codings:   cs,
	}
}

func mustAgree(t *testing.T, in Input, opt Options) *Report {
	t.Helper()
	r, err := ProjectAgreement(in, opt)
	if err != nil {
		t.Fatalf("ProjectAgreement(%+v): %v", opt, err)
	}
	return r
}

func (r *Report) code(id string) CodeAgreement {
	for _, c := range r.Codes {
		if c.Code == id {
			return c
		}
	}
	return CodeAgreement{}
}

func (r *Report) document(id string) DocumentAgreement {
	for _, d := range r.Documents {
		if d.Document == id {
			return d
		}
	}
	return DocumentAgreement{}
}

// want is an expected coefficient: a value, or NaN for undefined.
type want map[string]float64

func checkFigures(t *testing.T, what string, f Figures, w want) {
	t.Helper()
	for metric, v := range w {
		c, ok := f.Coefficients[metric]
		switch {
		case !ok:
			t.Errorf("%s has no %s", what, metric)
		case math.IsNaN(v) && c.Defined:
			t.Errorf("%s %s = %v, want undefined", what, metric, c.Value)
		case math.IsNaN(v) && c.Reason == "":
			t.Errorf("%s %s is undefined without a reason", what, metric)
		case !math.IsNaN(v) && (!c.Defined || math.Abs(c.Value-v) > 1e-9):
			t.Errorf("%s %s = %v, want %.10g", what, metric, c, v)
		}
	}
}

var undef = math.NaN()

func TestProjectAgreementByHand(t *testing.T) {
	in := handProject(false)
	tests := []struct {
		name string
		opt  Options
		// rows and overall by code id ("" is overall, "d1" a document)
		want map[string]want
	}{
		{"characters", Options{Unit: UnitCharacters}, map[string]want{
			"X": {MetricPercentAgreement: 0.8, MetricCohenKappa: 0.375, MetricFleissKappa: 0.375, MetricKrippendorffAlpha: 0.390625},
			"Y": {MetricPercentAgreement: 1, MetricCohenKappa: 1, MetricKrippendorffAlpha: 1},
			"Z": {MetricPercentAgreement: 0.9, MetricCohenKappa: 0, MetricKrippendorffAlpha: 1 - 78.0/76},
			// P counts X and Y as one code.
			"P": {MetricPercentAgreement: 0.8, MetricCohenKappa: 59.0 / 99, MetricKrippendorffAlpha: 1 - 39.0*4/(18*22)},
			// X, Y and Z stacked: 60 units, both 7, only A 4, only B 2.
			"": {MetricPercentAgreement: 0.9, MetricCohenKappa: (0.9 - 2598.0/3600) / (1 - 2598.0/3600), MetricKrippendorffAlpha: 0.643},
			// d1: X, Y and Z over its 10 characters: both 2, only A 4, only B 2, neither 22.
			"d1": {MetricPercentAgreement: 24.0 / 30},
		}},
		{"characters coded only", Options{Unit: UnitCharacters, CodedOnly: true}, map[string]want{
			"X": {MetricPercentAgreement: 2.0 / 6, MetricCohenKappa: undef, MetricKrippendorffAlpha: undef, MetricFleissKappa: undef},
			"Y": {MetricPercentAgreement: 1},
			"Z": {MetricPercentAgreement: 0},
			"":  {MetricPercentAgreement: 7.0 / 13},
		}},
		{"segments", Options{Unit: UnitSegments}, map[string]want{
			// X overlaps by 2 of the shorter 4: exactly half. A code's κ
			// takes q from the report: 3 codes compared.
			"X": {MetricPercentAgreement: 1, MetricBrennanPrediger: 1},
			"Z": {MetricPercentAgreement: 0, MetricBrennanPrediger: -0.5},
			"P": {MetricPercentAgreement: 1, MetricBrennanPrediger: 1},
			// 5 codings, 4 matched, over 3 codes.
			"": {MetricPercentAgreement: 0.8, MetricBrennanPrediger: (0.8 - 1.0/3) / (1 - 1.0/3)},
		}},
		{"segments stricter", Options{Unit: UnitSegments, Overlap: 0.6}, map[string]want{
			"X": {MetricPercentAgreement: 0, MetricBrennanPrediger: -0.5},
			"P": {MetricPercentAgreement: 0.5, MetricBrennanPrediger: 0.25},
			"":  {MetricPercentAgreement: 0.4, MetricBrennanPrediger: (0.4 - 1.0/3) / (1 - 1.0/3)},
		}},
		{"presence", Options{Unit: UnitPresence}, map[string]want{
			// Two documents: X in d1 by both, in d2 by neither.
			"X": {MetricPercentAgreement: 1, MetricCohenKappa: 1, MetricKrippendorffAlpha: 1},
			"Z": {MetricPercentAgreement: 0.5, MetricCohenKappa: 0, MetricKrippendorffAlpha: 1 - 3.0/3},
			"P": {MetricPercentAgreement: 1, MetricCohenKappa: undef, MetricKrippendorffAlpha: undef},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustAgree(t, in, tt.opt)
			for id, w := range tt.want {
				switch {
				case id == "":
					checkFigures(t, "overall", r.Overall, w)
				case strings.HasPrefix(id, "d"):
					checkFigures(t, "document "+id, r.document(id).Figures, w)
				default:
					checkFigures(t, "code "+id, r.code(id).Figures, w)
				}
			}
		})
	}
}

func TestProjectAgreementCounts(t *testing.T) {
	r := mustAgree(t, handProject(false), Options{})
	x := r.code("X").Counts
	if x.Compared != 20 || x.Both != 2 || x.Either != 4 || x.Neither != 14 || x.CodedBy["A"] != 4 || x.CodedBy["B"] != 4 {
		t.Errorf("counts of X = %+v, want 20 compared, 2 both, 4 either, 14 neither, 4 by each", x)
	}
	if p := r.code("P"); !p.Rollup || p.Path != "P" {
		t.Errorf("P: rollup %v path %q", p.Rollup, p.Path)
	}
	if x := r.code("X"); x.Rollup || x.Path != "P › X" {
		t.Errorf("X: rollup %v path %q", x.Rollup, x.Path)
	}
	if len(r.Pairs) != 1 || r.Pairs[0].A != "A" || r.Pairs[0].B != "B" {
		t.Fatalf("pairs = %+v", r.Pairs)
	}
	if got, want := r.Pairs[0].Coefficients[MetricCohenKappa], r.Overall.Coefficients[MetricCohenKappa]; got != want {
		t.Errorf("the one pair's κ %v differs from the overall κ %v", got, want)
	}
	// Worst first: Z (α < 0), X, P, Y.
	var order []string
	for _, c := range r.Codes {
		order = append(order, c.Code)
	}
	if strings.Join(order, ",") != "Z,X,P,Y" {
		t.Errorf("codes in order %v, want Z, X, P, Y (worst first)", order)
	}
	if len(r.Matrix.Codes) != 4 || r.Matrix.Codes[0] != "P" || len(r.Matrix.Cells[0]) != 1 {
		t.Errorf("matrix = %+v", r.Matrix)
	}
	if got := r.Matrix.Cells[1][0].Coefficients[MetricCohenKappa]; math.Abs(got.Value-0.375) > 1e-12 {
		t.Errorf("matrix cell X × (A, B) κ = %v, want 0.375", got)
	}
	if _, err := json.Marshal(r); err != nil {
		t.Fatal(err)
	}
}

// A coder who did not mark a document done is missing there, not absent:
// with C, who marked only d2 done, X's presence table is d1 (A 1, B 1, C —),
// d2 (A 0, B 0, C 0).
func TestProjectAgreementMissingCoders(t *testing.T) {
	in := handProject(true)
	in.Assignments = doneWhereCoded(in)
	r := mustAgree(t, in, Options{Unit: UnitPresence})
	x := Ratings{Coders: []string{"A", "B", "C"}, Units: [][]string{{"1", "1", ""}, {"0", "0", "0"}}}
	y := Ratings{Coders: []string{"A", "B", "C"}, Units: [][]string{{"0", "0", ""}, {"1", "1", "1"}}}
	for id, table := range map[string]Ratings{"X": x, "Y": y} {
		checkFigures(t, "code "+id, r.code(id).Figures, want{
			MetricPercentAgreement:  PercentAgreement(table).Value,
			MetricFleissKappa:       nanIfUndefined(FleissKappa(table)),
			MetricKrippendorffAlpha: nanIfUndefined(KrippendorffAlpha(table, LevelNominal)),
			MetricCohenKappa:        undef,
		})
	}
	if r.Coders[2].ID != "C" || r.Coders[2].Documents != 1 {
		t.Errorf("coders = %+v, want C taking part in one document", r.Coders)
	}
	all := mustAgree(t, in, Options{Unit: UnitPresence, AllDocuments: true})
	x.Units[0][2] = "0"
	checkFigures(t, "code X, all documents", all.code("X").Figures, want{
		MetricKrippendorffAlpha: nanIfUndefined(KrippendorffAlpha(x, LevelNominal)),
	})
}

func nanIfUndefined(c Coefficient) float64 {
	if !c.Defined {
		return math.NaN()
	}
	return c.Value
}

func TestProjectAgreementConsensus(t *testing.T) {
	in := handProject(false)
	in.Codings = append(in.Codings, coding.Coding{ID: "k1", DocumentID: "d1", CodeID: "X", CoderID: coding.ConsensusCoder, Start: 0, End: 4})
	r := mustAgree(t, in, Options{})
	if len(r.Coders) != 2 {
		t.Fatalf("the consensus layer was compared by default: %+v", r.Coders)
	}
	r = mustAgree(t, in, Options{Coders: []string{"A", coding.ConsensusCoder}})
	if r.Coders[1].Name != "consensus" {
		t.Errorf("coders = %+v", r.Coders)
	}
	// A and the consensus agree on X in d1, the only document the
	// consensus layer takes part in.
	checkFigures(t, "A vs consensus, X", r.code("X").Figures, want{MetricPercentAgreement: 1, MetricCohenKappa: 1})
}

func TestProjectAgreementCodeScope(t *testing.T) {
	r := mustAgree(t, handProject(false), Options{Code: "P"})
	if len(r.Codes) != 3 || r.code("Z").Code != "" {
		t.Fatalf("rows %+v, want P, X and Y only", r.Codes)
	}
	// Overall is X and Y stacked: 40 units, both 7, only A 2, only B 2.
	checkFigures(t, "overall", r.Overall, want{MetricPercentAgreement: 36.0 / 40})
}

func TestProjectAgreementUnusedCodes(t *testing.T) {
	in := handProject(false)
	in.Codebook = coding.NewCodebook(append([]coding.Code{{ID: "W", Name: "W", Codable: true, Order: 9}}, codesOf(in.Codebook)...))
	r := mustAgree(t, in, Options{})
	if len(r.UnusedCodes) != 1 || r.UnusedCodes[0] != "W" || r.code("W").Code != "" {
		t.Errorf("unused %v, rows %d", r.UnusedCodes, len(r.Codes))
	}
}

func codesOf(cb *coding.Codebook) []coding.Code {
	var out []coding.Code
	cb.Walk(func(c *coding.Code, _ int) { out = append(out, *c) })
	return out
}

func TestProjectAgreementRefusesBadOptions(t *testing.T) {
	in := handProject(false)
	for _, tt := range []struct {
		opt  Options
		want string
	}{
		{Options{Unit: "words"}, "unknown unit"},
		{Options{Unit: UnitSegments, Overlap: 1.5}, "overlap"},
		{Options{Unit: UnitCharacters, Overlap: 0.3}, "segments unit only"},
		{Options{Unit: UnitPresence, CodedOnly: true}, "characters unit only"},
		{Options{Bootstrap: -1}, "bootstrap"},
		{Options{Unit: UnitSegments, Bootstrap: 10}, "no α"},
		{Options{Coders: []string{"A", "A"}}, "twice"},
		{Options{Code: "nope"}, "does not exist"},
	} {
		_, err := ProjectAgreement(in, tt.opt)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ProjectAgreement(%+v) = %v, want an error about %q", tt.opt, err, tt.want)
		}
	}
	bad := handProject(false)
	bad.Codings[0].End = 11
	if _, err := ProjectAgreement(bad, Options{}); err == nil || !strings.Contains(err.Error(), "a1") {
		t.Errorf("a coding past the end of its document: %v", err)
	}
}

func TestProjectAgreementDegenerate(t *testing.T) {
	in := handProject(false)
	empty := Input{Codebook: in.Codebook, Documents: in.Documents}
	oneCoder := handProject(false)
	oneCoder.Codings = oneCoder.Codings[:1]
	for name, in := range map[string]Input{"nothing coded": empty, "one coder": oneCoder} {
		for _, unit := range Units {
			r := mustAgree(t, in, Options{Unit: unit})
			if len(r.Overall.Coefficients) == 0 {
				t.Errorf("%s, %s: no overall coefficients", name, unit)
			}
			for m, c := range r.Overall.Coefficients {
				if c.Defined || c.Reason == "" {
					t.Errorf("%s, %s: overall %s = %v, want undefined with a reason", name, unit, m, c)
				}
			}
			for _, row := range r.Codes {
				for m, c := range row.Coefficients {
					if c.Defined || c.Reason == "" {
						t.Errorf("%s, %s: %s %s = %v, want undefined with a reason", name, unit, row.Code, m, c)
					}
				}
			}
		}
	}
}

// The matrix's cells are read by a chance-corrected coefficient of the
// unit, the same family as the rows: α for characters and presence, the
// unitizing α for unitized, Brennan–Prediger's κ for segments (which have
// no α); never raw percent agreement, except with coded_only, where
// nothing chance-corrected is defined.
func TestMatrixCellsReadByAlpha(t *testing.T) {
	in := handProject(false)
	tests := []struct {
		opt        Options
		pairMetric string
		cells      map[string]float64 // by code: the (A, B) cell's value
	}{
		{Options{Unit: UnitCharacters}, MetricKrippendorffAlpha, map[string]float64{"X": 0.390625, "Y": 1, "Z": 1 - 78.0/76}},
		{Options{Unit: UnitPresence}, MetricKrippendorffAlpha, map[string]float64{"X": 1, "Z": 0}},
		{Options{Unit: UnitSegments}, MetricBrennanPrediger, map[string]float64{"X": 1, "Z": -0.5, "P": 1}},
		{Options{Unit: UnitUnitized}, MetricUnitizedAlpha1995Cat, nil},
		{Options{Unit: UnitCharacters, CodedOnly: true}, MetricPercentAgreement, map[string]float64{"X": 2.0 / 6}},
	}
	for _, tt := range tests {
		name := string(tt.opt.Unit)
		if tt.opt.CodedOnly {
			name += " coded only"
		}
		t.Run(name, func(t *testing.T) {
			r := mustAgree(t, in, tt.opt)
			if r.PairMetric != tt.pairMetric {
				t.Errorf("pair_metric = %s, want %s", r.PairMetric, tt.pairMetric)
			}
			for ci, code := range r.Matrix.Codes {
				got := r.Matrix.Cells[ci][0].Coefficients[r.PairMetric]
				want, ok := tt.cells[code]
				if !ok {
					// Two coders: the cell is the row.
					if row := r.code(code).Coefficients[r.Metric]; !sameCoefficient(got, row) {
						t.Errorf("cell %s × (A, B) %s = %v, row %v", code, r.PairMetric, got, row)
					}
					continue
				}
				if !got.Defined || math.Abs(got.Value-want) > 1e-12 {
					t.Errorf("cell %s × (A, B) %s = %v, want %v", code, r.PairMetric, got, want)
				}
			}
		})
	}
}

// Every report says, in its method notes, what is computed where a reader
// could take it for something else.
func TestAgreementMethodSaysWhatIsComputed(t *testing.T) {
	tests := []struct {
		opt  Options
		want map[string]string // key: a phrase its sentence must hold
	}{
		{Options{Unit: UnitCharacters}, map[string]string{
			MethodCoefficient: "Krippendorff's α", MethodThresholds: "Krippendorff 2004: α ≥ .800 reliable; ≥ .667",
			MethodKappa: "pooled over documents", MethodUndefined: "undefined, not 1", MethodCompared: "code × character units"}},
		{Options{Unit: UnitPresence}, map[string]string{
			MethodCoefficient: "Krippendorff's α", MethodCompared: "code × document units", MethodUndefined: "undefined, not 1"}},
		{Options{Unit: UnitSegments}, map[string]string{
			MethodCoefficient: "Brennan–Prediger", MethodChance: "q counted per row"}},
		{Options{Unit: UnitUnitized}, map[string]string{
			MethodCoefficient: "unitizing α", MethodContinuum: "not joined end to end"}},
		{Options{Unit: UnitCharacters, CodedOnly: true}, map[string]string{
			MethodCoefficient: "not corrected for chance"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.opt.Unit), func(t *testing.T) {
			r := mustAgree(t, handProject(false), tt.opt)
			for key, phrase := range tt.want {
				if !strings.Contains(r.Method[key], phrase) {
					t.Errorf("method[%s] = %q, want it to say %q", key, r.Method[key], phrase)
				}
			}
		})
	}
}
