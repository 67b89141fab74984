package agreement

import (
	"fmt"
	"math"
	"sort"

	"github.com/concordqda/concord/coding"
)

// Ratings is a reliability data table: one row per unit (a document, a
// segment, a question), one column per coder, each cell the value the coder
// assigned. An empty string means the coder left the unit unrated.
type Ratings struct {
	Coders []string
	Units  [][]string
	// Categories optionally declares the values coders could choose from.
	// Only the free-marginal coefficients (Brennan–Prediger, Randolph) use
	// it: their chance agreement 1/q counts the declared categories together
	// with any other value that occurs in the table. Without it q counts the
	// values that occur, which is what most software reports.
	Categories []string
}

// Validate reports whether the table has a shape the coefficients can read:
// at least one coder and every unit with exactly one cell per coder.
func (r Ratings) Validate() error {
	if len(r.Coders) == 0 {
		return coding.Errorf(coding.EINVALID, "the table has no coders")
	}
	for i, u := range r.Units {
		if len(u) != len(r.Coders) {
			return coding.Errorf(coding.EINVALID, "unit %d has %d values for %d coders", i+1, len(u), len(r.Coders))
		}
	}
	return nil
}

// Coefficient is one agreement statistic: either a Value, or the Reason it
// is undefined for the data at hand. An undefined coefficient's Value is 0,
// never NaN, so that it can be marshalled to JSON as it is.
type Coefficient struct {
	Value   float64 `json:"value"`
	Defined bool    `json:"defined"`
	Reason  string  `json:"reason,omitempty"`
}

// String formats the coefficient for logs and error messages.
func (c Coefficient) String() string {
	if !c.Defined {
		return "undefined (" + c.Reason + ")"
	}
	return fmt.Sprintf("%.6g", c.Value)
}

// defined returns v as a coefficient, or an undefined one if arithmetic on
// extreme inputs produced something that is not a finite number.
func defined(v float64) Coefficient {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return undefined("the values are too large to compute with")
	}
	return Coefficient{Value: v, Defined: true}
}

func undefined(format string, args ...any) Coefficient {
	return Coefficient{Reason: fmt.Sprintf(format, args...)}
}

// invalid turns a validation error into an undefined coefficient.
func invalid(err error) Coefficient {
	return Coefficient{Reason: coding.ErrorMessage(err)}
}

// chanceCorrected returns (observed − expected)/(1 − expected) for
// agreement proportions, the shape shared by every kappa-like coefficient.
func chanceCorrected(po, pe float64) Coefficient {
	if pe >= 1 {
		return undefined("expected agreement is 1, so chance cannot be corrected for")
	}
	return defined((po - pe) / (1 - pe))
}

// Level is the level of measurement of the values in a Ratings table; it
// chooses Krippendorff's α difference function.
type Level string

// The levels of measurement Krippendorff's α knows. Values at the ordinal,
// interval and ratio levels must be numbers.
const (
	LevelNominal  Level = "nominal"
	LevelOrdinal  Level = "ordinal"
	LevelInterval Level = "interval"
	LevelRatio    Level = "ratio"
)

// Names of the coefficients as Reliability and the reference vectors in
// testdata key them.
const (
	MetricPercentAgreement     = "percent_agreement"
	MetricCohenKappa           = "cohen_kappa"
	MetricScottPi              = "scott_pi"
	MetricBrennanPrediger      = "brennan_prediger_kappa"
	MetricFleissKappa          = "fleiss_kappa"
	MetricRandolphKappa        = "randolph_free_marginal_kappa"
	MetricKrippendorffAlpha    = "krippendorff_alpha"
	MetricNVivoPercent         = "nvivo_percent_agreement"
	MetricNVivoKappa           = "nvivo_kappa"
	MetricUnitizedAlpha1995    = "krippendorff_alpha_u_1995"
	MetricUnitizedAlpha1995Cat = "krippendorff_alpha_u_1995_category"
	MetricUAlpha2016           = "u_alpha_2016"
	MetricBinaryUAlpha2016     = "binary_u_alpha_2016"
	MetricCUAlpha2016          = "cu_alpha_2016"
	MetricKUAlpha2016          = "k_u_alpha_2016"
)

// Reliability computes every coefficient of a ratings table, keyed by the
// Metric names. The kappa family treats values as nominal categories
// whatever the level; Krippendorff's α uses level. Coefficients that do not
// apply (Cohen's κ for three coders, say) are present but undefined, with
// the reason, so that a report can show why a column is empty.
func Reliability(r Ratings, level Level) map[string]Coefficient {
	return map[string]Coefficient{
		MetricPercentAgreement:  PercentAgreement(r),
		MetricCohenKappa:        CohenKappa(r),
		MetricScottPi:           ScottPi(r),
		MetricBrennanPrediger:   BrennanPredigerKappa(r),
		MetricFleissKappa:       FleissKappa(r),
		MetricRandolphKappa:     RandolphKappa(r),
		MetricKrippendorffAlpha: KrippendorffAlpha(r, level),
	}
}

// categoryTable holds a Ratings table with values replaced by small
// integers, which every nominal coefficient works on.
type categoryTable struct {
	coders int
	units  [][]int // -1 is missing
	names  []string
}

// nominal indexes the values of r in sorted order so that results do not
// depend on map iteration order.
func nominal(r Ratings) categoryTable {
	seen := map[string]int{}
	for _, u := range r.Units {
		for _, v := range u {
			if v != "" {
				seen[v] = 0
			}
		}
	}
	names := make([]string, 0, len(seen))
	for v := range seen {
		names = append(names, v)
	}
	sort.Strings(names)
	for i, v := range names {
		seen[v] = i
	}
	t := categoryTable{coders: len(r.Coders), units: make([][]int, len(r.Units)), names: names}
	for i, u := range r.Units {
		row := make([]int, len(u))
		for j, v := range u {
			if v == "" {
				row[j] = -1
			} else {
				row[j] = seen[v]
			}
		}
		t.units[i] = row
	}
	return t
}
