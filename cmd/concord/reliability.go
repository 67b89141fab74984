package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/concordqda/concord/cmd/internal/cli"
	"github.com/concordqda/concord/coding/agreement"
)

const reliabilityUsage = `reliability FILE.csv [--level nominal|ordinal|interval|ratio] [--json]
       concord reliability --spans FILE.csv --length L [--coders a,b,c] [--json]`

// metricLabels name the coefficients in the tables people read.
var metricLabels = map[string]string{
	agreement.MetricPercentAgreement:     "percent agreement",
	agreement.MetricCohenKappa:           "Cohen's κ",
	agreement.MetricScottPi:              "Scott's π",
	agreement.MetricBrennanPrediger:      "Brennan–Prediger κ",
	agreement.MetricFleissKappa:          "Fleiss' κ",
	agreement.MetricRandolphKappa:        "Randolph's κ",
	agreement.MetricKrippendorffAlpha:    "Krippendorff's α",
	agreement.MetricNVivoPercent:         "NVivo agreement",
	agreement.MetricNVivoKappa:           "NVivo κ",
	agreement.MetricUnitizedAlpha1995:    "α_u (1995)",
	agreement.MetricUnitizedAlpha1995Cat: "α_u (1995)",
	agreement.MetricUAlpha2016:           "uα",
	agreement.MetricBinaryUAlpha2016:     "|uα",
	agreement.MetricCUAlpha2016:          "cuα",
	agreement.MetricKUAlpha2016:          "(k)uα",
}

// tableMetrics is the order the table coefficients are printed in.
var tableMetrics = []string{
	agreement.MetricPercentAgreement, agreement.MetricCohenKappa, agreement.MetricScottPi, agreement.MetricBrennanPrediger,
	agreement.MetricFleissKappa, agreement.MetricRandolphKappa, agreement.MetricKrippendorffAlpha,
}

func (m *Main) reliability(args []string) error {
	fs := m.flags("reliability", reliabilityUsage)
	level := fs.String("level", "nominal", "level of measurement of the values, for Krippendorff's α: nominal, ordinal, interval or ratio")
	spans := fs.Bool("spans", false, "the file holds coder,start,end,code rows on a continuum: compute the unitizing coefficients")
	length := fs.Int("length", 0, "with --spans: the length L of the continuum [0, L)")
	coderList := fs.String("coders", "", "with --spans: everyone who read the continuum, comma-separated, so that a coder who marked nothing (and so has no row) counts")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := cli.Parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return cli.Usagef("reliability needs exactly one file: concord %s", reliabilityUsage)
	}
	name := pos[0]
	if *spans {
		if *length <= 0 {
			return cli.Usagef("--spans needs --length L, the length of the continuum the positions lie in")
		}
		coders, err := parseCoderList(*coderList)
		if err != nil {
			return err
		}
		c, err := readFile(name, func(r io.Reader) (agreement.Continuum, error) { return readSpans(name, r, *length, coders) })
		if err != nil {
			return err
		}
		return m.printUnitized(name, c, *asJSON)
	}
	if *coderList != "" {
		return cli.Usagef("--coders goes with --spans; a table's header names its coders")
	}
	lv := agreement.Level(*level)
	switch lv {
	case agreement.LevelNominal, agreement.LevelOrdinal, agreement.LevelInterval, agreement.LevelRatio:
	default:
		return cli.Usagef("unknown --level %q: use nominal, ordinal, interval or ratio", *level)
	}
	var units []string
	r, err := readFile(name, func(in io.Reader) (agreement.Ratings, error) {
		r, u, err := readRatings(name, in, lv)
		units = u
		return r, err
	})
	if err != nil {
		return err
	}
	res := agreement.Reliability(r, lv)
	if *asJSON {
		out := struct {
			Coefficients map[string]float64 `json:"coefficients"`
			Undefined    map[string]string  `json:"undefined"`
		}{map[string]float64{}, map[string]string{}}
		for metric, c := range res {
			if c.Defined {
				out.Coefficients[metric] = c.Value
			} else {
				out.Undefined[metric] = c.Reason
			}
		}
		return writeJSONTo(m.Stdout, out)
	}
	fmt.Fprintf(m.Stdout, "%s: %d units, %d coders (%s), %s level\n\n", name, len(units), len(r.Coders), strings.Join(r.Coders, ", "), lv)
	tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	for _, metric := range tableMetrics {
		fmt.Fprintf(tw, "%s\t%s\n", metricLabels[metric], show(res[metric]))
	}
	return tw.Flush()
}

// printUnitized prints the unitizing coefficients of a continuum: overall,
// and per code (NVivo's figures only for exactly two coders).
func (m *Main) printUnitized(name string, c agreement.Continuum, asJSON bool) error {
	coders, codes := spanCoders(c), spanCodes(c)
	overall := map[string]agreement.Coefficient{
		agreement.MetricUAlpha2016:        agreement.UAlpha2016(c),
		agreement.MetricBinaryUAlpha2016:  agreement.BinaryUAlpha2016(c),
		agreement.MetricCUAlpha2016:       agreement.CUAlpha2016(c),
		agreement.MetricUnitizedAlpha1995: agreement.UnitizedAlpha1995Overall(c),
	}
	perCode := map[string]map[string]agreement.Coefficient{}
	for _, code := range codes {
		p := map[string]agreement.Coefficient{
			agreement.MetricKUAlpha2016:          agreement.KUAlpha2016(c, code),
			agreement.MetricUnitizedAlpha1995Cat: agreement.UnitizedAlpha1995(c, code),
		}
		if len(coders) == 2 {
			p[agreement.MetricNVivoKappa] = agreement.NVivoKappa(c, code, coders[0], coders[1])
			p[agreement.MetricNVivoPercent] = agreement.NVivoPercentAgreement(c, code, coders[0], coders[1])
		}
		perCode[code] = p
	}
	if asJSON {
		out := struct {
			Overall map[string]any            `json:"overall"`
			PerCode map[string]map[string]any `json:"per_code"`
		}{valuesAndReasons(overall), map[string]map[string]any{}}
		for code, p := range perCode {
			out.PerCode[code] = valuesAndReasons(p)
		}
		return writeJSONTo(m.Stdout, out)
	}
	fmt.Fprintf(m.Stdout, "%s: %d spans by %d coders (%s) in %d codes on [0, %d)\n\n", name, len(c.Spans), len(coders), strings.Join(coders, ", "), len(codes), c.Length)
	tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	for _, metric := range []string{agreement.MetricUAlpha2016, agreement.MetricBinaryUAlpha2016, agreement.MetricCUAlpha2016, agreement.MetricUnitizedAlpha1995} {
		fmt.Fprintf(tw, "%s\t%s\n", metricLabels[metric], show(overall[metric]))
	}
	tw.Flush()
	columns := []string{agreement.MetricKUAlpha2016, agreement.MetricUnitizedAlpha1995Cat}
	if len(coders) == 2 {
		columns = append(columns, agreement.MetricNVivoKappa, agreement.MetricNVivoPercent)
	}
	fmt.Fprintln(m.Stdout)
	header := "code"
	for _, metric := range columns {
		header += "\t" + metricLabels[metric]
	}
	fmt.Fprintln(tw, header)
	var notes []string
	for _, code := range codes {
		line := code
		for _, metric := range columns {
			v := perCode[code][metric]
			line += "\t" + number(v)
			if !v.Defined {
				notes = append(notes, fmt.Sprintf("%s, %s: %s", code, metricLabels[metric], v.Reason))
			}
		}
		fmt.Fprintln(tw, line)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return printNotes(m.Stdout, notes)
}

// valuesAndReasons is the JSON of a group of coefficients: each metric's
// value, null where undefined, and an "undefined" object giving the
// reasons.
func valuesAndReasons(cs map[string]agreement.Coefficient) map[string]any {
	out := map[string]any{}
	why := map[string]string{}
	for metric, c := range cs {
		if c.Defined {
			out[metric] = c.Value
		} else {
			out[metric] = nil
			why[metric] = c.Reason
		}
	}
	out["undefined"] = why
	return out
}

// show prints a coefficient with its reason when undefined.
func show(c agreement.Coefficient) string {
	if !c.Defined {
		return "—  " + c.Reason
	}
	return number(c)
}

// number prints a coefficient's value, or a dash.
func number(c agreement.Coefficient) string {
	if !c.Defined {
		return "—"
	}
	return fmt.Sprintf("%.3f", c.Value)
}

func printNotes(w io.Writer, notes []string) error {
	if len(notes) == 0 {
		return nil
	}
	fmt.Fprintln(w, "\nUndefined:")
	for _, n := range notes {
		fmt.Fprintln(w, "  "+n)
	}
	return nil
}

// writeJSONTo prints v as JSON: indented for a person at a terminal,
// compact for a program reading a pipe or a file (indenting a project's
// whole agreement report took longer than computing it).
func writeJSONTo(w io.Writer, v any) error {
	return jsonEncoder(w).Encode(v)
}

func jsonEncoder(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	if isTerminal(w) {
		enc.SetIndent("", "  ")
	}
	return enc
}

// isTerminal says whether w is a terminal, where JSON is indented for a
// person; pipes and files get it compact.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
