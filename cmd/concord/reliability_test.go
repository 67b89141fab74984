package main

import (
	"encoding/json"
	"errors"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/concordqda/concord/cmd/internal/cli"
	"github.com/concordqda/concord/coding/agreement"
)

// The expected values are the reference vectors' exact values
// (../shared/agreement/vectors.json) for the examples in testdata.
func TestReliabilityTables(t *testing.T) {
	tests := []struct {
		file      string
		args      []string
		want      map[string]float64
		undefined []string
	}{
		{"reliability_4x12.csv", nil, map[string]float64{"krippendorff_alpha": 0.743421052632}, []string{"cohen_kappa", "scott_pi"}},
		{"reliability_4x12.csv", []string{"--level", "ordinal"}, map[string]float64{"krippendorff_alpha": 0.815387503755}, nil},
		{"reliability_4x12.csv", []string{"--level", "interval"}, map[string]float64{"krippendorff_alpha": 0.849107142857}, nil},
		{"reliability_4x12.csv", []string{"--level", "ratio"}, map[string]float64{"krippendorff_alpha": 0.797402774712}, nil},
		{"reliability_cohen50.csv", nil, map[string]float64{
			"cohen_kappa": 0.4, "scott_pi": 0.393939393939, "brennan_prediger_kappa": 0.4, "percent_agreement": 0.7, "krippendorff_alpha": 0.4,
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.file+strings.Join(tt.args, " "), func(t *testing.T) {
			out := mustRun(t, append([]string{"reliability", filepath.Join("testdata", tt.file), "--json"}, tt.args...)...)
			var got struct {
				Coefficients map[string]float64 `json:"coefficients"`
				Undefined    map[string]string  `json:"undefined"`
			}
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, out)
			}
			for metric, want := range tt.want {
				if v, ok := got.Coefficients[metric]; !ok || math.Abs(v-want) > 1e-9 {
					t.Errorf("%s = %v (present %v), want %v", metric, v, ok, want)
				}
			}
			for _, metric := range tt.undefined {
				if got.Undefined[metric] == "" {
					t.Errorf("%s has no reason: %s", metric, out)
				}
				if _, ok := got.Coefficients[metric]; ok {
					t.Errorf("%s is both defined and undefined", metric)
				}
			}
			if n := len(got.Coefficients) + len(got.Undefined); n != 7 {
				t.Errorf("%d coefficients, want all 7: %s", n, out)
			}
		})
	}
	out := mustRun(t, "reliability", filepath.Join("testdata", "reliability_4x12.csv"))
	for _, want := range []string{"12 units, 4 coders (A, B, C, D)", "Krippendorff's α    0.743", "needs exactly two coders"} {
		if !strings.Contains(out, want) {
			t.Errorf("the table lacks %q:\n%s", want, out)
		}
	}
}

func TestReliabilitySpans(t *testing.T) {
	type group map[string]any
	decode := func(t *testing.T, args ...string) (overall group, perCode map[string]group) {
		out := mustRun(t, append([]string{"reliability", "--spans", "--json"}, args...)...)
		var got struct {
			Overall group            `json:"overall"`
			PerCode map[string]group `json:"per_code"`
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, out)
		}
		return got.Overall, got.PerCode
	}
	near := func(t *testing.T, what string, g group, metric string, want float64) {
		t.Helper()
		v, ok := g[metric].(float64)
		if !ok || math.Abs(v-want) > 1e-9 {
			t.Errorf("%s %s = %v, want %v", what, metric, g[metric], want)
		}
	}
	undefined := func(t *testing.T, what string, g group, metric string) {
		t.Helper()
		why, _ := g["undefined"].(map[string]any)
		if v, ok := g[metric]; !ok || v != nil || why[metric] == nil || why[metric] == "" {
			t.Errorf("%s %s = %v (reason %v), want null with a reason", what, metric, g[metric], why[metric])
		}
	}

	overall, perCode := decode(t, filepath.Join("testdata", "spans_fig12_11.csv"), "--length", "60")
	near(t, "overall", overall, "u_alpha_2016", 0.509981907792)
	near(t, "overall", overall, "binary_u_alpha_2016", 0.413599230449)
	near(t, "overall", overall, "cu_alpha_2016", 0.724168965017)
	for code, want := range map[string]float64{"1": 1, "2": 0, "5": 1, "6": 1} {
		near(t, "code "+code, perCode[code], "k_u_alpha_2016", want)
	}
	undefined(t, "code 7", perCode["7"], "k_u_alpha_2016")
	if _, ok := perCode["1"]["nvivo_kappa"]; ok {
		t.Error("NVivo's κ is reported for three coders")
	}

	overall, perCode = decode(t, filepath.Join("testdata", "spans_1995_p57.csv"), "--length", "24")
	near(t, "overall", overall, "krippendorff_alpha_u_1995", -0.756552738726)
	for code, want := range map[string]float64{"A": 0.515287769784, "B": -1.081078508599, "C": 0.603347889374, "D": -0.206848659004} {
		near(t, "code "+code, perCode[code], "krippendorff_alpha_u_1995_category", want)
	}
	undefined(t, "overall", overall, "u_alpha_2016") // the example's units of different codes overlap

	_, perCode = decode(t, filepath.Join("testdata", "spans_nvivo.csv"), "--length", "1000")
	near(t, "Trust", perCode["Trust"], "nvivo_percent_agreement", 0.85)
	near(t, "Trust", perCode["Trust"], "nvivo_kappa", 0.318181818182)
}

// A coder who marked nothing has no row in the file; listed with
// --coders, they count. The expected values are the reference: A
// marks [2,5) and [7,9) of [0,10), B nothing.
func TestReliabilitySpansCoderWhoMarkedNothing(t *testing.T) {
	file := filepath.Join("testdata", "spans_silent_coder.csv")
	tests := []struct {
		coders  string
		overall map[string]float64 // rounded as the reference gives them
		decimal map[string]int
		code    map[string]float64
	}{
		{"A,B", map[string]float64{"krippendorff_alpha_u_1995": -0.889, "u_alpha_2016": -0.24},
			map[string]int{"krippendorff_alpha_u_1995": 3, "u_alpha_2016": 2},
			map[string]float64{"krippendorff_alpha_u_1995_category": -0.889}},
		{"B, A", map[string]float64{"krippendorff_alpha_u_1995": -0.889, "u_alpha_2016": -0.24},
			map[string]int{"krippendorff_alpha_u_1995": 3, "u_alpha_2016": 2},
			map[string]float64{"krippendorff_alpha_u_1995_category": -0.889}},
	}
	for _, tt := range tests {
		t.Run(tt.coders, func(t *testing.T) {
			out := mustRun(t, "reliability", "--spans", file, "--length", "10", "--coders", tt.coders, "--json")
			var got struct {
				Overall map[string]any            `json:"overall"`
				PerCode map[string]map[string]any `json:"per_code"`
			}
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, out)
			}
			round := func(v float64, places int) float64 {
				p := math.Pow(10, float64(places))
				return math.Round(v*p) / p
			}
			for metric, want := range tt.overall {
				v, ok := got.Overall[metric].(float64)
				if !ok || round(v, tt.decimal[metric]) != want {
					t.Errorf("overall %s = %v, want %v", metric, got.Overall[metric], want)
				}
			}
			for metric, want := range tt.code {
				v, ok := got.PerCode["x"][metric].(float64)
				if !ok || round(v, 3) != want {
					t.Errorf("code x %s = %v, want %v", metric, got.PerCode["x"][metric], want)
				}
			}
		})
	}
	// Without the list, B is not there: one coder, nothing to compare.
	out := mustRun(t, "reliability", "--spans", file, "--length", "10", "--json")
	if !strings.Contains(out, `"krippendorff_alpha_u_1995":null`) {
		t.Errorf("α_u with one coder is not undefined:\n%s", out)
	}
	text := mustRun(t, "reliability", "--spans", file, "--length", "10", "--coders", "A,B")
	if !strings.Contains(text, "2 spans by 2 coders (A, B)") {
		t.Errorf("the table does not name the coder who marked nothing:\n%s", text)
	}
}

func TestReliabilityErrorsNameTheLine(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"bad_fields.csv"}, "bad_fields.csv:4: expected 3 fields"},
		{[]string{"bad_quote.csv"}, "bad_quote.csv:3: a quotation mark is out of place"},
		{[]string{"bad_number.csv", "--level", "interval"}, `bad_number.csv:3: B's value "two" is not a number`},
		{[]string{"bad_header.csv"}, `bad_header.csv:1: coder "A" appears twice`},
		{[]string{"--spans", "bad_spans.csv", "--length", "10"}, "bad_spans.csv:3: end 3 must be after start 7"},
		{[]string{"--spans", "bad_spans_header.csv", "--length", "10"}, `bad_spans_header.csv:1: unknown column "begin"`},
		{[]string{"--spans", "spans_nvivo.csv", "--length", "100"}, "spans_nvivo.csv:2: end 150 is past the end"},
		{[]string{"missing.csv"}, "missing.csv: no such file"},
		{[]string{"--spans", "spans_silent_coder.csv", "--length", "10", "--coders", "B,C"}, `spans_silent_coder.csv:2: coder "A" is not among --coders (B, C)`},
	} {
		args := append([]string{"reliability"}, tt.args...)
		for i, a := range args {
			if strings.HasSuffix(a, ".csv") {
				args[i] = filepath.Join("testdata", a)
			}
		}
		_, _, err := run(t, "", args...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("concord %s: %v, want an error containing %q", strings.Join(args, " "), err, tt.want)
		}
	}
	for _, args := range [][]string{
		{"reliability"},
		{"reliability", "--spans", filepath.Join("testdata", "spans_nvivo.csv")},
		{"reliability", "--level", "fuzzy", filepath.Join("testdata", "reliability_4x12.csv")},
		{"reliability", "--coders", "A,B", filepath.Join("testdata", "reliability_4x12.csv")},
		{"reliability", "--spans", "--length", "10", "--coders", "A,,B", filepath.Join("testdata", "spans_silent_coder.csv")},
		{"reliability", "--spans", "--length", "10", "--coders", "A,A", filepath.Join("testdata", "spans_silent_coder.csv")},
		{"reliability", "--spans", "--length", "10", "--coders", "A", filepath.Join("testdata", "spans_silent_coder.csv")},
	} {
		if _, _, err := run(t, "", args...); !errors.As(err, new(cli.UsageError)) {
			t.Errorf("concord %s: %v, want a usage error", strings.Join(args, " "), err)
		}
	}
}

// The table and span readers take files from anywhere: whatever they hold,
// reading them either works or fails naming the file.
func FuzzReadRatings(f *testing.F) {
	for _, seed := range []string{"unit,A,B\nu1,1,2\nu2,,3\n", "A,B\n\"x\",y\n", "A\n1\n", "\ufeffunit,A\n", "A,B\n1,\"2\n"} {
		f.Add(seed, uint8(0))
	}
	levels := []agreement.Level{agreement.LevelNominal, agreement.LevelOrdinal, agreement.LevelInterval, agreement.LevelRatio}
	f.Fuzz(func(t *testing.T, data string, level uint8) {
		r, units, err := readRatings("f.csv", strings.NewReader(data), levels[int(level)%len(levels)])
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.csv") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		if len(units) != len(r.Units) || r.Validate() != nil {
			t.Fatalf("read %d units and %d ids; %v", len(r.Units), len(units), r.Validate())
		}
		agreement.Reliability(r, levels[int(level)%len(levels)])
	})
}

func FuzzReadSpans(f *testing.F) {
	for _, seed := range []string{"coder,start,end,code\nA,0,5,x\nB,2,7,x\n", "code,end,start,coder\nx,3,1,A\n", "coder,start,end,code\nA,-1,2,x\n"} {
		f.Add(seed, 10, "")
	}
	f.Add("coder,start,end,code\nA,0,5,x\n", 10, "A,B")
	f.Add("coder,start,end,code\n", 10, "A,B")
	f.Fuzz(func(t *testing.T, data string, length int, coderList string) {
		if length <= 0 || length > 1<<20 {
			return
		}
		coders, err := parseCoderList(coderList)
		if err != nil {
			return
		}
		c, err := readSpans("s.csv", strings.NewReader(data), length, coders)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "s.csv") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("read spans the coefficients refuse: %v", err)
		}
	})
}
