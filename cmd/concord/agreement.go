package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/concordqda/concord/cmd/internal/cli"
	"github.com/concordqda/concord/coding"
	"github.com/concordqda/concord/coding/agreement"
	"github.com/concordqda/concord/coding/app"
)

const agreementUsage = `agreement --project SLUG [--unit characters|segments|presence|unitized|all] [--code NAME-or-PATH] [--coders a,b] [--json]`

func (m *Main) agreement(args []string) error {
	fs := m.flags("agreement", agreementUsage)
	db := m.dbFlag(fs)
	slug := fs.String("project", "", "the project's slug")
	unit := fs.String("unit", "characters", "what to compare: characters, segments (codings matched by overlap), presence (of each code in each document), unitized (Krippendorff's unitizing α), or all four side by side")
	code := fs.String("code", "", "only this code and its descendants: a name, or a path such as \"Stressors/Housing challenges\" (a \"/\" inside a name is written \\/)")
	coders := fs.String("coders", "", "comma-separated logins to compare (\"consensus\" for the consensus layer); default: everyone who coded, without the consensus layer")
	codedOnly := fs.Bool("coded-only", false, "characters unit: count only text at least one coder coded with the code")
	overlap := fs.Float64("overlap", 0, fmt.Sprintf("segments unit: the share of the shorter of two codings they must share to match (default %g)", agreement.DefaultOverlap))
	allDocs := fs.Bool("all-documents", false, "count every document as read by every coder, whatever is assigned or marked done")
	bootstrap := fs.Int("bootstrap", -1, fmt.Sprintf("resamples for α's confidence intervals (default %d; 0 for none)", app.DefaultBootstrap))
	seed := fs.Int64("seed", 1, "seed of the bootstrap resamples")
	asJSON := fs.Bool("json", false, "print the whole report as JSON (documented in README.md)")
	pos, err := cli.Parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 || *slug == "" {
		return cli.Usagef("concord %s", agreementUsage)
	}
	req := app.AgreementRequest{Unit: agreement.Unit(*unit), Code: *code, CodedOnly: *codedOnly, Overlap: *overlap,
		AllDocuments: *allDocs, Bootstrap: *bootstrap, Seed: *seed}
	req.Coders = splitList(*coders)
	st, err := openDBForReading(*db)
	if err != nil {
		return fmt.Errorf("%w\nWhile the server runs, ask it: GET /api/projects/%s/agreement", err, *slug)
	}
	defer st.Close()
	p, err := st.ProjectBySlug(*slug)
	if err != nil {
		return err
	}
	if *asJSON && req.Unit == app.UnitAll {
		body, err := app.AgreementsJSON(st, p.ID, req)
		if err != nil {
			return agreementError(err)
		}
		if isTerminal(m.Stdout) {
			var buf bytes.Buffer
			if err := json.Indent(&buf, body, "", "  "); err == nil {
				body = buf.Bytes()
			}
		}
		_, err = m.Stdout.Write(body)
		return err
	}
	var reports []*agreement.Report
	if req.Unit == app.UnitAll {
		reports, err = app.Agreements(st, p.ID, req)
	} else {
		var r *agreement.Report
		r, err = app.Agreement(st, p.ID, req)
		reports = append(reports, r)
	}
	if err != nil {
		return agreementError(err)
	}
	if *asJSON {
		return writeJSONTo(m.Stdout, reports[0])
	}
	for i, r := range reports {
		if i > 0 {
			fmt.Fprintln(m.Stdout)
		}
		if err := m.printAgreement(p, r); err != nil {
			return err
		}
	}
	return nil
}

// agreementError is what the command says when a report fails: for a
// mistake in the request, only what it is.
func agreementError(err error) error {
	if coding.ErrorCode(err) != coding.EINTERNAL {
		return errors.New(coding.ErrorMessage(err))
	}
	return err
}

// agreementColumns are the coefficients a unit's table shows, the first
// being the one rows are sorted by.
func agreementColumns(r *agreement.Report) []string {
	switch r.Unit {
	case agreement.UnitSegments:
		return []string{agreement.MetricBrennanPrediger, agreement.MetricPercentAgreement}
	case agreement.UnitUnitized:
		return []string{agreement.MetricUnitizedAlpha1995Cat, agreement.MetricBinaryUAlpha2016, agreement.MetricKUAlpha2016}
	}
	cols := []string{r.Metric}
	for _, m := range []string{agreement.MetricKrippendorffAlpha, agreement.MetricFleissKappa, agreement.MetricCohenKappa, agreement.MetricPercentAgreement} {
		if m != r.Metric && (m != agreement.MetricCohenKappa || len(r.Coders) == 2) {
			cols = append(cols, m)
		}
	}
	return cols
}

func (m *Main) printAgreement(p *coding.Project, r *agreement.Report) error {
	w := m.Stdout
	var names []string
	for _, c := range r.Coders {
		names = append(names, fmt.Sprintf("%s (%d documents)", c.Name, c.Documents))
	}
	fmt.Fprintf(w, "Agreement in %s by %s: %s\n", p.Slug, r.Unit, strings.Join(names, ", "))
	fmt.Fprintln(w, r.DocumentsNote)
	for _, warn := range r.Warnings {
		fmt.Fprintf(w, "Warning: %s\n", warn.Message)
	}
	if r.Options.Bootstrap > 0 {
		fmt.Fprintf(w, "Intervals: %.0f%% bootstrap over documents, %d resamples, seed %d.\n", agreement.ConfidenceLevel*100, r.Options.Bootstrap, r.Options.Seed)
	}
	fmt.Fprintln(w)

	cols := agreementColumns(r)
	ciAfter := agreement.MetricKrippendorffAlpha // the column the interval belongs to
	if r.Unit == agreement.UnitUnitized {
		ciAfter = agreement.MetricUnitizedAlpha1995Cat
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	header := "code\t"
	for _, c := range cols {
		header += metricLabels[c] + "\t"
		if c == ciAfter && r.Options.Bootstrap > 0 {
			header += "95% interval\t"
		}
	}
	fmt.Fprintln(tw, header+"compared\t"+countLabels(r.Unit))
	var notes []string
	row := func(label string, f agreement.Figures) {
		line := label + "\t"
		for _, col := range cols {
			c := col
			v, ok := f.Coefficients[c]
			if !ok && label == "overall" && c == agreement.MetricUnitizedAlpha1995Cat {
				c = agreement.MetricUnitizedAlpha1995
				v, ok = f.Coefficients[c]
			}
			line += number(v) + "\t"
			if ok && !v.Defined && (c == r.Metric || label == "overall") {
				notes = append(notes, fmt.Sprintf("%s, %s: %s", label, metricLabels[c], v.Reason))
			}
			if col == ciAfter && r.Options.Bootstrap > 0 {
				line += interval(f.AlphaCI) + "\t"
			}
		}
		n := f.Counts
		line += fmt.Sprintf("%d\t", n.Compared)
		if r.Unit != agreement.UnitUnitized {
			line += fmt.Sprintf("%d\t%d\t", n.Both, n.Either)
			if r.Unit != agreement.UnitSegments {
				line += fmt.Sprintf("%d\t", n.Neither)
			}
		}
		fmt.Fprintln(tw, line)
	}
	for _, c := range r.Codes {
		row(c.Path, c.Figures)
	}
	row("overall", r.Overall)
	if err := tw.Flush(); err != nil {
		return err
	}
	if r.Unit == agreement.UnitUnitized {
		fmt.Fprintf(w, "overall %s %s, %s %s\n", metricLabels[agreement.MetricUAlpha2016], number(r.Overall.Coefficients[agreement.MetricUAlpha2016]),
			metricLabels[agreement.MetricCUAlpha2016], number(r.Overall.Coefficients[agreement.MetricCUAlpha2016]))
		for _, m := range []string{agreement.MetricUAlpha2016, agreement.MetricCUAlpha2016} {
			if v := r.Overall.Coefficients[m]; !v.Defined {
				notes = append(notes, fmt.Sprintf("overall, %s: %s", metricLabels[m], v.Reason))
			}
		}
	}
	if n := documentsResampled(r); r.Options.Bootstrap > 0 && n < 10 {
		fmt.Fprintf(w, "Only %d documents were resampled: intervals from so few documents are rough.\n", n)
	}

	if len(r.Pairs) > 1 {
		fmt.Fprintln(w, "\nCoder pairs:")
		byID := map[string]string{}
		for _, c := range r.Coders {
			byID[c.ID] = c.Name
		}
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
		pairCols := []string{r.PairMetric}
		if r.Unit == agreement.UnitUnitized {
			pairCols = []string{agreement.MetricUnitizedAlpha1995}
		}
		for _, pr := range r.Pairs {
			fmt.Fprintf(tw, "%s – %s\t%s\t%s\t\n", byID[pr.A], byID[pr.B], metricLabels[pairCols[0]], number(pr.Coefficients[pairCols[0]]))
		}
		tw.Flush()
	}
	if len(r.UnusedCodes) > 0 {
		fmt.Fprintf(w, "\n%d codes in scope were not applied by the compared coders.\n", len(r.UnusedCodes))
	}
	fmt.Fprintln(w, "\nHow to read these figures:")
	for _, key := range methodOrder {
		if s := r.Method[key]; s != "" {
			fmt.Fprintln(w, "  "+s)
		}
	}
	return printNotes(w, notes)
}

// methodOrder is the order the method notes are printed in: what the
// figures are first, where their thresholds come from last.
var methodOrder = []string{agreement.MethodCoefficient, agreement.MethodCompared, agreement.MethodKappa, agreement.MethodChance,
	agreement.MethodContinuum, agreement.MethodUndefined, agreement.MethodThresholds}

// countLabels head the count columns: for the binary units, the units
// all, some or none of the coders coded.
func countLabels(unit agreement.Unit) string {
	switch unit {
	case agreement.UnitSegments:
		return "matched\tunmatched\t"
	case agreement.UnitUnitized:
		return ""
	}
	return "all\tsome\tnone\t"
}

// documentsResampled is the number of documents the overall interval
// resampled.
func documentsResampled(r *agreement.Report) int {
	if ci := r.Overall.AlphaCI; ci != nil {
		return ci.Documents
	}
	return 0
}

func interval(ci *agreement.ConfidenceInterval) string {
	if ci == nil || !ci.Defined {
		return "—"
	}
	return fmt.Sprintf("[%.3f, %.3f]", ci.Low, ci.High)
}
