package agreement

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
)

// vectorCase is one case of testdata/agreement_vectors.json.
type vectorCase struct {
	Name         string      `json:"name"`
	Metric       string      `json:"metric"`
	Level        string      `json:"level"`
	Input        vectorInput `json:"input"`
	Expected     *float64    `json:"expected"`
	ExpectedKind string      `json:"expected_kind"`
	Tolerance    *float64    `json:"tolerance"`
	Exact        *float64    `json:"exact"`
}

type vectorInput struct {
	Ratings   [][]any  `json:"ratings"`
	Raters    []string `json:"raters"`
	Continuum *struct {
		Begin  int `json:"begin"`
		Length int `json:"length"`
	} `json:"continuum"`
	Observers int          `json:"observers"`
	Spans     []vectorSpan `json:"spans"`
	// Stretch is set where the published value is for a continuous
	// continuum; the integer positions are multiplied by it.
	Stretch        int          `json:"stretch_factor_used_for_crosschecks"`
	DocumentLength int          `json:"document_length"`
	UserA          []vectorSpan `json:"user_A_spans"`
	UserB          []vectorSpan `json:"user_B_spans"`
}

type vectorSpan struct {
	Begin    int    `json:"begin"`
	Length   int    `json:"length"`
	Rater    int    `json:"rater"`
	Category string `json:"category"`
}

func loadVectors(t testing.TB) []vectorCase {
	t.Helper()
	data, err := os.ReadFile("testdata/agreement_vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber() // ratings like 1 and 2 become the strings "1" and "2"
	var cases []vectorCase
	if err := dec.Decode(&cases); err != nil {
		t.Fatal(err)
	}
	return cases
}

// ratings converts the JSON table: null is missing, numbers keep their
// printed form.
func (in vectorInput) ratings() Ratings {
	var r Ratings
	for i, row := range in.Ratings {
		u := make([]string, len(row))
		for j, v := range row {
			switch v := v.(type) {
			case nil:
			case string:
				u[j] = v
			case json.Number:
				u[j] = v.String()
			default:
				u[j] = fmt.Sprint(v)
			}
		}
		r.Units = append(r.Units, u)
		if i == 0 {
			for j := range row {
				r.Coders = append(r.Coders, fmt.Sprintf("coder%d", j+1))
			}
		}
	}
	if len(in.Raters) == len(r.Coders) {
		r.Coders = in.Raters
	}
	return r
}

func (in vectorInput) continuum() Continuum {
	k := max(in.Stretch, 1)
	c := Continuum{Begin: in.Continuum.Begin * k, Length: in.Continuum.Length * k}
	for i := 0; i < in.Observers; i++ {
		c.Coders = append(c.Coders, fmt.Sprint(i))
	}
	for _, s := range in.Spans {
		c.Spans = append(c.Spans, Span{
			Coder:    fmt.Sprint(s.Rater),
			Category: s.Category,
			Start:    s.Begin * k,
			End:      (s.Begin + s.Length) * k,
		})
	}
	return c
}

// nvivo converts the two users' spans of one code in one document.
func (in vectorInput) nvivo() Continuum {
	c := Continuum{Length: in.DocumentLength, Coders: []string{"A", "B"}}
	for coder, spans := range map[string][]vectorSpan{"A": in.UserA, "B": in.UserB} {
		for _, s := range spans {
			c.Spans = append(c.Spans, Span{Coder: coder, Category: "code", Start: s.Begin, End: s.Begin + s.Length})
		}
	}
	return c
}

// category is the code in brackets at the end of a per-code case's name.
func (v vectorCase) category() string {
	i := strings.LastIndexByte(v.Name, '[')
	if i < 0 || !strings.HasSuffix(v.Name, "]") {
		return ""
	}
	return v.Name[i+1 : len(v.Name)-1]
}

// vectorMetrics computes each metric of the reference file; the string is
// the function's name for failure messages.
var vectorMetrics = map[string]struct {
	fn      string
	compute func(v vectorCase) Coefficient
}{
	MetricPercentAgreement: {"PercentAgreement", func(v vectorCase) Coefficient { return PercentAgreement(v.Input.ratings()) }},
	MetricCohenKappa:       {"CohenKappa", func(v vectorCase) Coefficient { return CohenKappa(v.Input.ratings()) }},
	MetricScottPi:          {"ScottPi", func(v vectorCase) Coefficient { return ScottPi(v.Input.ratings()) }},
	MetricBrennanPrediger:  {"BrennanPredigerKappa", func(v vectorCase) Coefficient { return BrennanPredigerKappa(v.Input.ratings()) }},
	MetricFleissKappa:      {"FleissKappa", func(v vectorCase) Coefficient { return FleissKappa(v.Input.ratings()) }},
	MetricRandolphKappa:    {"RandolphKappa", func(v vectorCase) Coefficient { return RandolphKappa(v.Input.ratings()) }},
	MetricKrippendorffAlpha: {"KrippendorffAlpha", func(v vectorCase) Coefficient {
		return KrippendorffAlpha(v.Input.ratings(), Level(v.Level))
	}},
	MetricNVivoPercent: {"NVivoPercentAgreement", func(v vectorCase) Coefficient {
		return NVivoPercentAgreement(v.Input.nvivo(), "code", "A", "B")
	}},
	MetricNVivoKappa: {"NVivoKappa", func(v vectorCase) Coefficient { return NVivoKappa(v.Input.nvivo(), "code", "A", "B") }},
	MetricUnitizedAlpha1995Cat: {"UnitizedAlpha1995", func(v vectorCase) Coefficient {
		return UnitizedAlpha1995(v.Input.continuum(), v.category())
	}},
	MetricUnitizedAlpha1995: {"UnitizedAlpha1995Overall", func(v vectorCase) Coefficient {
		return UnitizedAlpha1995Overall(v.Input.continuum())
	}},
	MetricUAlpha2016:       {"UAlpha2016", func(v vectorCase) Coefficient { return UAlpha2016(v.Input.continuum()) }},
	MetricBinaryUAlpha2016: {"BinaryUAlpha2016", func(v vectorCase) Coefficient { return BinaryUAlpha2016(v.Input.continuum()) }},
	MetricCUAlpha2016:      {"CUAlpha2016", func(v vectorCase) Coefficient { return CUAlpha2016(v.Input.continuum()) }},
	MetricKUAlpha2016: {"KUAlpha2016", func(v vectorCase) Coefficient {
		return KUAlpha2016(v.Input.continuum(), v.category())
	}},
}

// vectorSkips lists cases that cannot be reproduced, with the reason why.
// It is empty: every reference case is reproduced.
var vectorSkips = map[string]string{}

func TestAgreementVectors(t *testing.T) {
	cases := loadVectors(t)
	if len(cases) != 93 {
		t.Errorf("loaded %d reference cases, want 93", len(cases))
	}
	for _, v := range cases {
		t.Run(v.Name, func(t *testing.T) {
			if reason, ok := vectorSkips[v.Name]; ok {
				t.Skip(reason)
			}
			m, ok := vectorMetrics[v.Metric]
			if !ok {
				t.Fatalf("no implementation of metric %q", v.Metric)
			}
			call := fmt.Sprintf("%s(%s)", m.fn, strings.SplitN(v.Name, "/", 2)[0])
			if cat := v.category(); cat != "" {
				call = fmt.Sprintf("%s(%s, %q)", m.fn, strings.SplitN(v.Name, "/", 2)[0], cat)
			}
			got := m.compute(v)
			if v.Expected == nil {
				if got.Defined {
					t.Errorf("%s = %v, want undefined (%s)", call, got.Value, v.ExpectedKind)
				} else if got.Reason == "" {
					t.Errorf("%s is undefined without a reason", call)
				}
				return
			}
			if !got.Defined {
				t.Fatalf("%s is undefined (%s), want %v", call, got.Reason, *v.Expected)
			}
			want, tol := *v.Expected, 0.0
			switch {
			case v.Exact != nil:
				want, tol = *v.Exact, 1e-9
			case v.Tolerance != nil:
				tol = *v.Tolerance
			default:
				t.Fatalf("case has neither exact nor tolerance")
			}
			if math.Abs(got.Value-want) > tol {
				t.Errorf("%s = %.12g, want %.12g (±%g)", call, got.Value, want, tol)
			}
		})
	}
}
