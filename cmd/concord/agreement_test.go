package main

import (
	"encoding/json"
	"math"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/concordqda/concord/coding"
	"github.com/concordqda/concord/coding/agreement"
	bolt "go.etcd.io/bbolt"
)

// demoDB serves a new database once, so that it holds the demo project,
// and stops, leaving the file for commands that open it.
func demoDB(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "demo.db")
	serveOnce(t, db, nil)
	return db
}

func agreementJSON(t *testing.T, args ...string) *agreement.Report {
	t.Helper()
	out := mustRun(t, append([]string{"agreement", "--json"}, args...)...)
	var r agreement.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("concord agreement --json printed something else: %v\n%s", err, out)
	}
	return &r
}

func TestAgreementCommandOnTheDemo(t *testing.T) {
	db := demoDB(t)
	r := agreementJSON(t, "--project", "peer-support", "--db", db)
	if r.Unit != agreement.UnitCharacters || len(r.Coders) != 2 || r.Coders[0].Name != "ana" || r.Coders[1].Name != "ben" {
		t.Fatalf("unit %s, coders %+v; want characters, ana and ben (the members with the coder role)", r.Unit, r.Coders)
	}
	if len(r.Codes) < 10 || len(r.Pairs) != 1 || len(r.Documents) != 5 || len(r.Matrix.Cells) != len(r.Codes) || len(r.Matrix.Cells[0]) != 1 {
		t.Fatalf("%d codes, %d pairs, %d documents, matrix %d×%d", len(r.Codes), len(r.Pairs), len(r.Documents), len(r.Matrix.Cells), len(r.Matrix.Cells[0]))
	}
	prev := math.Inf(-1)
	for _, c := range r.Codes {
		a := c.Coefficients[agreement.MetricKrippendorffAlpha]
		if !a.Defined {
			continue
		}
		if a.Value < prev {
			t.Errorf("codes are not sorted worst first: %s (%v) after %v", c.Path, a.Value, prev)
		}
		prev = a.Value
		if ci := c.AlphaCI; ci == nil || ci.Resamples != 1000 {
			t.Errorf("%s: interval %+v, want 1000 resamples", c.Path, ci)
		}
	}
	k := r.Overall.Coefficients[agreement.MetricCohenKappa]
	if !k.Defined || k.Value <= 0 || k.Value >= 1 || r.Overall.Counts.Compared == 0 {
		t.Errorf("overall κ %v over %d units: the demo's coders partly agree", k, r.Overall.Counts.Compared)
	}

	three := agreementJSON(t, "--project", "peer-support", "--db", db, "--coders", "ana,ben,lead", "--unit", "presence", "--bootstrap", "0")
	if len(three.Coders) != 3 || len(three.Pairs) != 3 || three.Overall.AlphaCI != nil {
		t.Errorf("three coders: %+v, %d pairs, interval %+v", three.Coders, len(three.Pairs), three.Overall.AlphaCI)
	}
	if c := three.Overall.Coefficients[agreement.MetricCohenKappa]; c.Defined || c.Reason == "" {
		t.Errorf("Cohen's κ over three coders = %v, want undefined with a reason", c)
	}

	sub := agreementJSON(t, "--project", "peer-support", "--db", db, "--code", "stressors", "--unit", "segments")
	for _, c := range sub.Codes {
		if !strings.HasPrefix(c.Path, "Stressors") {
			t.Errorf("--code stressors reported %s", c.Path)
		}
	}
	if c := sub.Overall.Coefficients[agreement.MetricPercentAgreement]; !c.Defined {
		t.Errorf("segment agreement %v", c)
	}

	table := mustRun(t, "agreement", "--project", "peer-support", "--db", db, "--unit", "unitized", "--bootstrap", "50")
	for _, want := range []string{"Agreement in peer-support by unitized: ana (5 documents), ben (5 documents)", "α_u (1995)", "overall", "Undefined:"} {
		if !strings.Contains(table, want) {
			t.Errorf("the table lacks %q:\n%s", want, table)
		}
	}

	// Every unit at once: one report per unit, in the order units are
	// offered, the same as each asked for alone.
	var all struct{ Reports []agreement.Report }
	if err := json.Unmarshal([]byte(mustRun(t, "agreement", "--json", "--project", "peer-support", "--db", db, "--unit", "all", "--bootstrap", "0")), &all); err != nil {
		t.Fatal(err)
	}
	if len(all.Reports) != len(agreement.Units) {
		t.Fatalf("--unit all gave %d reports", len(all.Reports))
	}
	for i, u := range agreement.Units {
		alone := agreementJSON(t, "--project", "peer-support", "--db", db, "--unit", string(u), "--bootstrap", "0")
		got := all.Reports[i]
		if got.Unit != u || got.Overall.Coefficients[got.Metric] != alone.Overall.Coefficients[alone.Metric] {
			t.Errorf("--unit all, report %d: unit %s, overall %v; alone: %v", i, got.Unit, got.Overall.Coefficients[got.Metric], alone.Overall.Coefficients[alone.Metric])
		}
	}
	if table := mustRun(t, "agreement", "--project", "peer-support", "--db", db, "--unit", "all", "--bootstrap", "0"); strings.Count(table, "Agreement in peer-support by") != 4 {
		t.Errorf("--unit all printed:\n%s", table)
	}

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--project", "nope"}, "there is no project"},
		{[]string{"--project", "peer-support", "--unit", "words"}, "unknown unit"},
		{[]string{"--project", "peer-support", "--coders", "ana,zoe"}, `there is no coder "zoe"`},
		{[]string{"--project", "peer-support", "--code", "Nothing like it"}, "there is no code"},
		{[]string{"--project", "peer-support", "--unit", "segments", "--coded-only"}, "characters unit only"},
	} {
		_, _, err := run(t, "", append(append([]string{"agreement"}, tt.args...), "--db", db)...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("concord agreement %s: %v, want an error containing %q", strings.Join(tt.args, " "), err, tt.want)
		}
	}
}

func TestAgreementEndpoint(t *testing.T) {
	ts := startServer(t)
	lead := ts.login(t, "lead", "concord-demo")
	ana := ts.login(t, "ana", "concord-demo")

	var api agreement.Report
	lead.mustDo(200, "GET", "/api/projects/peer-support/agreement?unit=characters", nil, &api)
	if len(api.Coders) != 2 || len(api.Codes) == 0 || len(api.Matrix.Pairs) != 1 {
		t.Fatalf("the lead's agreement: %d coders, %d codes, %d pairs", len(api.Coders), len(api.Codes), len(api.Matrix.Pairs))
	}
	var refused map[string]string
	if status := ana.do("GET", "/api/projects/peer-support/agreement", nil, &refused); status != 403 || refused["code"] != "forbidden" {
		t.Errorf("a coder asking for agreement: %d %v, want 403", status, refused)
	}
	if status := ana.do("GET", "/api/projects/peer-support/agreement/disagreements?code=Benefits&a=ana&b=ben", nil, nil); status != 403 {
		t.Errorf("a coder asking for disagreements: %d, want 403", status)
	}
	if status := lead.do("GET", "/api/projects/peer-support/agreement?unit=words", nil, nil); status != 400 {
		t.Errorf("an unknown unit: %d, want 400", status)
	}
	if status := lead.do("GET", "/api/projects/peer-support/agreement?bootstrap=lots", nil, nil); status != 400 {
		t.Errorf("a bootstrap that is not a number: %d, want 400", status)
	}
	var every struct{ Reports []agreement.Report }
	lead.mustDo(200, "GET", "/api/projects/peer-support/agreement?unit=all&bootstrap=0&overlap=0.3", nil, &every)
	if len(every.Reports) != len(agreement.Units) || every.Reports[1].Unit != agreement.UnitSegments || every.Reports[1].Options.Overlap != 0.3 || every.Reports[0].Options.Overlap != 0 {
		t.Errorf("unit=all: %d reports; want one per unit, the overlap applied to segments only", len(every.Reports))
	}

	// The command line prints the same report (on its own copy of the demo,
	// whose coders have other ids).
	cli := agreementJSON(t, "--project", "peer-support", "--db", demoDB(t))
	if a, b := api.Overall.Coefficients, cli.Overall.Coefficients; len(a) != len(b) || a[agreement.MetricKrippendorffAlpha] != b[agreement.MetricKrippendorffAlpha] {
		t.Errorf("API overall %v, command line %v", a, b)
	}
	for i := range api.Codes {
		if api.Codes[i].Path != cli.Codes[i].Path || api.Codes[i].AlphaCI.Low != cli.Codes[i].AlphaCI.Low {
			t.Errorf("row %d: API %s %+v, command line %s %+v", i, api.Codes[i].Path, api.Codes[i].AlphaCI, cli.Codes[i].Path, cli.Codes[i].AlphaCI)
		}
	}

	var ds struct {
		Disagreements []struct {
			Document  string   `json:"document"`
			Title     string   `json:"title"`
			Start     int      `json:"start"`
			End       int      `json:"end"`
			Coder     string   `json:"coder"`
			CoderName string   `json:"coder_name"`
			Codings   []string `json:"codings"`
			Excerpt   string   `json:"excerpt"`
			Truncated bool     `json:"truncated"`
		} `json:"disagreements"`
	}
	q := url.Values{"code": {"Benefits/Shared lived experience"}, "a": {"ana"}, "b": {"ben"}}
	lead.mustDo(200, "GET", "/api/projects/peer-support/agreement/disagreements?"+q.Encode(), nil, &ds)
	if len(ds.Disagreements) == 0 {
		t.Fatal("no disagreements between ana and ben on shared lived experience")
	}
	total := 0
	for _, d := range ds.Disagreements {
		total += d.End - d.Start
		if d.CoderName != "ana" && d.CoderName != "ben" || d.Title == "" || len(d.Codings) == 0 || d.Excerpt == "" {
			t.Fatalf("disagreement %+v", d)
		}
		var doc struct{ Document coding.Document }
		lead.mustDo(200, "GET", "/api/projects/peer-support/documents/"+d.Document, nil, &doc)
		if want := coding.Slice(doc.Document.Text, d.Start, min(d.End, d.Start+500)); d.Excerpt != want {
			t.Fatalf("excerpt %q, want %q", d.Excerpt, want)
		}
	}
	// The stretches add up to the characters only one of them coded.
	var one agreement.Report
	lead.mustDo(200, "GET", "/api/projects/peer-support/agreement?bootstrap=0&code="+url.QueryEscape("Benefits/Shared lived experience"), nil, &one)
	if want := one.Matrix.Cells[0][0].Counts.Either; total != want {
		t.Errorf("disagreements cover %d characters, the pair's table %d", total, want)
	}
	q.Set("unit", "segments")
	lead.mustDo(200, "GET", "/api/projects/peer-support/agreement/disagreements?"+q.Encode(), nil, &ds)
	if status := lead.do("GET", "/api/projects/peer-support/agreement/disagreements?code=Benefits", nil, nil); status != 400 {
		t.Errorf("disagreements without coders: %d, want 400", status)
	}
}

// The dashboard colours each cell by r.pair_metric: for every unit the
// API's cells must carry α of the unit (segments: Brennan–Prediger's κ),
// and with two coders the one pair's cell is the code's own row.
func TestAgreementEndpointCellsReadByAlpha(t *testing.T) {
	ts := startServer(t)
	lead := ts.login(t, "lead", "concord-demo")
	var every struct{ Reports []agreement.Report }
	lead.mustDo(200, "GET", "/api/projects/peer-support/agreement?unit=all&bootstrap=0", nil, &every)
	want := map[agreement.Unit]string{
		agreement.UnitCharacters: agreement.MetricKrippendorffAlpha,
		agreement.UnitSegments:   agreement.MetricBrennanPrediger,
		agreement.UnitPresence:   agreement.MetricKrippendorffAlpha,
		agreement.UnitUnitized:   agreement.MetricUnitizedAlpha1995Cat,
	}
	if len(every.Reports) != len(want) {
		t.Fatalf("%d reports, want %d", len(every.Reports), len(want))
	}
	for _, r := range every.Reports {
		if r.PairMetric != want[r.Unit] || r.Metric != want[r.Unit] {
			t.Errorf("%s: metric %s, pair_metric %s, want %s for both", r.Unit, r.Metric, r.PairMetric, want[r.Unit])
		}
		if r.Method[agreement.MethodThresholds] == "" || r.Method[agreement.MethodCoefficient] == "" {
			t.Errorf("%s: method %v lacks the coefficient or the thresholds", r.Unit, r.Method)
		}
		defined := 0
		for i, code := range r.Matrix.Codes {
			cell, ok := r.Matrix.Cells[i][0].Coefficients[r.PairMetric]
			var row agreement.Coefficient
			for _, c := range r.Codes {
				if c.Code == code {
					row = c.Coefficients[r.PairMetric]
				}
			}
			if !ok || cell != row {
				t.Errorf("%s, code %s: cell %s = %+v (present %v), the code's row %+v", r.Unit, code, r.PairMetric, cell, ok, row)
			}
			if cell.Defined {
				defined++
			}
		}
		if defined == 0 {
			t.Errorf("%s: no cell has a defined %s", r.Unit, r.PairMetric)
		}
	}
}

// A report opens the database read-only, so it cannot upgrade a file an
// older Concord wrote; it must say which command does, and that command
// must make the report work.
func TestAgreementOnAnOlderSchemaSaysHowToUpgrade(t *testing.T) {
	db := demoDB(t)
	b, err := bolt.Open(db, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("meta")).Put([]byte("schema"), []byte{0, 0, 0, 0})
	}); err != nil {
		t.Fatal(err)
	}
	b.Close()

	_, _, err = run(t, "", "agreement", "--project", "peer-support", "--db", db)
	if err == nil || !strings.Contains(err.Error(), "concord projects list --db "+db) {
		t.Fatalf("agreement on schema 0: %v, want the upgrade command", err)
	}
	mustRun(t, "projects", "list", "--db", db)
	if r := agreementJSON(t, "--project", "peer-support", "--db", db); len(r.Coders) != 2 {
		t.Fatalf("after the upgrade: %d coders", len(r.Coders))
	}
}
