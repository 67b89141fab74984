package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/concordqda/concord/coding"
	"github.com/concordqda/concord/coding/agreement"
)

// surveyFixture is issue #12's case, made through the API: a project of
// answers imported from a CSV file, one document per answer, one code, and
// ana and ben who each judge every answer and are right 80% of the time.
// An answer they judge "absent" gets no coding from them.
type surveyFixture struct {
	pp        string // the project's API path
	project   string
	docs      []string
	lead      *apiClient
	ana, ben  *apiClient
	anaID     string
	benID     string
	code      string
	documents int
}

func newSurveyFixture(t *testing.T, ts *testServer, n int, seed uint64) *surveyFixture {
	t.Helper()
	lead := ts.login(t, "lead", DemoPassword)
	leadUser, _ := ts.Store.UserByLogin("lead")
	p := &coding.Project{Slug: "survey", Name: "Survey"}
	if _, err := ts.Store.CreateProject(p, leadUser.ID); err != nil {
		t.Fatal(err)
	}
	f := &surveyFixture{pp: "/api/projects/" + p.ID, project: p.ID, lead: lead, documents: n}
	f.ana = ts.sessionFor(t, "sana", p.ID, coding.RoleCoder)
	f.ben = ts.sessionFor(t, "sben", p.ID, coding.RoleCoder)
	f.anaID, f.benID = f.ana.userID(t), f.ben.userID(t)

	var csv strings.Builder
	csv.WriteString("respondent,What helped?\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&csv, "r%d,Answer number %d: the group listened to me.\n", i+1, i+1)
	}
	if status, answer := lead.upload(p.ID, []uploadFile{{"survey.csv", []byte(csv.String())}}, map[string]string{"text_column": "What helped?"}, nil); status != http.StatusCreated {
		t.Fatalf("importing the survey: %d %v", status, answer)
	}
	var docs struct {
		Documents []struct {
			ID     string
			Length int
		}
	}
	lead.mustDo(http.StatusOK, "GET", f.pp+"/documents", nil, &docs)
	if len(docs.Documents) != n {
		t.Fatalf("the survey imported %d documents, want %d", len(docs.Documents), n)
	}
	var code struct{ Code coding.Code }
	lead.mustDo(http.StatusCreated, "POST", f.pp+"/codes", map[string]any{"name": "Being heard", "codable": true}, &code)
	f.code = code.Code.ID

	rng := rand.New(rand.NewPCG(seed, 80))
	for _, d := range docs.Documents {
		f.docs = append(f.docs, d.ID)
		truth := rng.IntN(2) == 0
		for _, coder := range []*apiClient{f.ana, f.ben} {
			says := truth
			if rng.Float64() >= 0.8 {
				says = !says
			}
			if says {
				coder.mustDo(http.StatusCreated, "POST", f.pp+"/codings", map[string]any{"document": d.ID, "code": f.code, "start": 0, "end": d.Length}, nil)
			}
		}
	}
	return f
}

// agreementReport is what the tests read of an agreement.
type agreementReport struct {
	Overall struct {
		Coefficients map[string]agreement.Coefficient
	}
	Coders []struct {
		ID        string
		Documents int
	}
	DocumentsBasis string `json:"documents_basis"`
	DocumentsNote  string `json:"documents_note"`
	Warnings       []agreement.Warning
}

func (f *surveyFixture) agreement(t *testing.T, query string) agreementReport {
	t.Helper()
	var r agreementReport
	f.lead.mustDo(http.StatusOK, "GET", f.pp+"/agreement?bootstrap=0&"+query, nil, &r)
	return r
}

// TestAgreementSurveyCompared is issue #12's survey case end to end: the
// default report no longer claims full agreement because coders coded few
// of the same answers. Without any assignment it compares every answer and
// says so; with every answer assigned to both coders (or marked done by
// them) it gives the all-documents figure too, and warns about answers
// assigned but not done.
func TestAgreementSurveyCompared(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	f := newSurveyFixture(t, ts, 60, 7)
	for _, unit := range []string{"characters", "presence"} {
		want := f.agreement(t, "unit="+unit+"&all_documents=true").Overall.Coefficients
		alpha := want[agreement.MetricKrippendorffAlpha]
		if !alpha.Defined || alpha.Value < 0.2 || alpha.Value > 0.7 {
			t.Fatalf("%s, all documents: α = %+v, want a defined α near 0.44", unit, alpha)
		}
		check := func(stage string, r agreementReport, basis string) {
			t.Helper()
			for _, m := range []string{agreement.MetricKrippendorffAlpha, agreement.MetricPercentAgreement} {
				if got := r.Overall.Coefficients[m]; got.Defined != want[m].Defined || fmt.Sprintf("%.9f", got.Value) != fmt.Sprintf("%.9f", want[m].Value) {
					t.Errorf("%s, %s: %s = %+v, want %+v as with all documents", unit, stage, m, got, want[m])
				}
			}
			if pa := r.Overall.Coefficients[agreement.MetricPercentAgreement]; pa.Value == 1 {
				t.Errorf("%s, %s: percent agreement 100%%, want the disagreements counted", unit, stage)
			}
			if r.DocumentsBasis != basis || r.DocumentsNote == "" {
				t.Errorf("%s, %s: documents_basis %q (%q), want %q with a sentence", unit, stage, r.DocumentsBasis, r.DocumentsNote, basis)
			}
			for _, c := range r.Coders {
				if c.Documents != f.documents {
					t.Errorf("%s, %s: coder %s compared on %d documents, want %d", unit, stage, c.ID, c.Documents, f.documents)
				}
			}
		}
		check("no assignments", f.agreement(t, "unit="+unit), "all_documents")
	}

	f.lead.mustDo(http.StatusOK, "PUT", f.pp+"/assignments", map[string]any{"coders": []string{"sana", "sben"}, "all": true}, nil)
	want := f.agreement(t, "all_documents=true").Overall.Coefficients[agreement.MetricKrippendorffAlpha]
	r := f.agreement(t, "")
	if got := r.Overall.Coefficients[agreement.MetricKrippendorffAlpha]; r.DocumentsBasis != "assignments" || fmt.Sprintf("%.9f", got.Value) != fmt.Sprintf("%.9f", want.Value) {
		t.Errorf("all assigned: basis %q, α %+v; want assignments and the all-documents α %+v", r.DocumentsBasis, got, want)
	}
	if len(r.Warnings) != 2 || r.Warnings[0].Kind != agreement.WarnNotDone || len(r.Warnings[0].Documents) != 60 || !strings.Contains(r.Warnings[0].Message, "60 documents assigned but not marked done") {
		t.Errorf("all assigned, none done: warnings %+v, want one per coder naming 60 documents", r.Warnings)
	}
	for _, d := range f.docs {
		f.ana.mustDo(http.StatusOK, "PUT", f.pp+"/documents/"+d+"/done", map[string]any{}, nil)
		f.ben.mustDo(http.StatusOK, "PUT", f.pp+"/documents/"+d+"/done", map[string]any{}, nil)
	}
	r = f.agreement(t, "")
	if got := r.Overall.Coefficients[agreement.MetricKrippendorffAlpha]; fmt.Sprintf("%.9f", got.Value) != fmt.Sprintf("%.9f", want.Value) || len(r.Warnings) != 0 {
		t.Errorf("all done: α %+v, warnings %+v; want α %+v and no warnings", got, r.Warnings, want)
	}
}

// assignmentEvent waits on a live stream for an event of typ.
func assignmentEvent(t *testing.T, lc *liveConn, who, typ string, match func(json.RawMessage) bool) liveMsg {
	t.Helper()
	m, ok := lc.next(func(m liveMsg) bool { return m.Type == typ && match(m.Payload) }, 10*time.Second)
	if !ok {
		t.Fatalf("%s did not receive %s live", who, typ)
	}
	return m
}

func doneOf(doc, coder string) func(json.RawMessage) bool {
	return func(p json.RawMessage) bool {
		var d coding.DoneMark
		json.Unmarshal(p, &d)
		return d.Document == doc && d.Coder == coder
	}
}

// TestAssignmentsLive: a lead's assignment and a coder's done mark reach
// the others live and on replay; coders assign nothing, viewers mark
// nothing; bad bodies are refused with a message and change nothing.
func TestAssignmentsLive(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	lead := ts.login(t, "lead", DemoPassword)
	ana := ts.login(t, "ana", DemoPassword)
	ben := ts.login(t, "ben", DemoPassword)
	ids := lead.demo()
	viewer := ts.sessionFor(t, "vera", ids.Project, coding.RoleViewer)
	anaID, benID := ana.userID(t), ben.userID(t)
	pp := "/api/projects/" + ids.Project

	ll := lead.live(ids.Project, 1<<62)
	defer ll.close()
	ll.ready()
	la := ana.live(ids.Project, 1<<62)
	defer la.close()
	la.ready()
	lb := ben.live(ids.Project, 1<<62)
	defer lb.close()
	lb.ready()

	var set struct{ Assigned coding.AssignmentChange }
	lead.mustDo(http.StatusOK, "PUT", pp+"/assignments", map[string]any{"coders": []string{"ana", benID}, "sample": map[string]any{"percent": 50}}, &set)
	if set.Assigned.Sample == nil || set.Assigned.Sample.Seed == 0 || len(set.Assigned.Documents) == 0 || len(set.Assigned.Coders) != 2 {
		t.Fatalf("PUT assignments answered %+v, want a sample with the seed drawn, for both coders", set.Assigned)
	}
	sampled := set.Assigned.Documents
	m := assignmentEvent(t, la, "ana", coding.EventAssignmentSet, func(json.RawMessage) bool { return true })
	if m.Owner != "" {
		t.Errorf("assignment.set has owner %q, want none", m.Owner)
	}
	// Drawn again with the answered seed, the sample is the same.
	var docs struct{ Documents []struct{ ID string } }
	lead.mustDo(http.StatusOK, "GET", pp+"/documents", nil, &docs)
	var all []string
	for _, d := range docs.Documents {
		all = append(all, d.ID)
	}
	if again := set.Assigned.Sample.Draw(all); len(again) != len(sampled) {
		t.Errorf("drawn again from seed %d: %v, stored %v", set.Assigned.Sample.Seed, again, sampled)
	}

	doc := sampled[0]
	var done struct{ Assignment coding.Assignment }
	ana.mustDo(http.StatusOK, "PUT", pp+"/documents/"+doc+"/done", map[string]any{}, &done)
	if a := done.Assignment; !a.Done || !a.Assigned || a.Coder != anaID || a.DoneAt.IsZero() {
		t.Errorf("PUT done answered %+v, want ana's assignment, done", a)
	}
	if m := assignmentEvent(t, ll, "the lead", coding.EventDocumentDone, doneOf(doc, anaID)); m.Owner != anaID {
		t.Errorf("document.done has owner %q, want ana", m.Owner)
	}
	assignmentEvent(t, lb, "ben (open project)", coding.EventDocumentDone, doneOf(doc, anaID))

	// Replay: a client that reconnects from the start gets them again.
	replay := lead.live(ids.Project, 0)
	defer replay.close()
	assignmentEvent(t, replay, "the lead's replay", coding.EventDocumentDone, doneOf(doc, anaID))

	var list struct{ Assignments []coding.Assignment }
	ben.mustDo(http.StatusOK, "GET", pp+"/assignments", nil, &list)
	found := false
	for _, a := range list.Assignments {
		found = found || (a.Document == doc && a.Coder == anaID && a.Done)
	}
	if !found || len(list.Assignments) != 2*len(sampled) {
		t.Errorf("ben lists %d assignments (ana's done mark: %v), want %d with it", len(list.Assignments), found, 2*len(sampled))
	}

	ana.mustDo(http.StatusOK, "DELETE", pp+"/documents/"+doc+"/done", nil, &done)
	if done.Assignment.Done {
		t.Errorf("DELETE done answered %+v, want not done", done.Assignment)
	}
	assignmentEvent(t, ll, "the lead", coding.EventDocumentUndone, doneOf(doc, anaID))

	// Who may do what.
	for _, r := range []struct {
		who    string
		c      *apiClient
		method string
		path   string
		body   any
		status int
	}{
		{"coder assigns", ana, "PUT", pp + "/assignments", map[string]any{"coders": []string{"ana"}, "all": true}, 403},
		{"coder clears", ana, "POST", pp + "/assignments/clear", map[string]any{"coders": []string{"ana"}}, 403},
		{"viewer marks done", viewer, "PUT", pp + "/documents/" + doc + "/done", map[string]any{}, 403},
		{"viewer unmarks", viewer, "DELETE", pp + "/documents/" + doc + "/done", nil, 403},
	} {
		if status := r.c.do(r.method, r.path, r.body, nil); status != r.status {
			t.Errorf("%s: %d, want %d", r.who, status, r.status)
		}
	}
	viewer.mustDo(http.StatusOK, "GET", pp+"/assignments", nil, &list)

	// Someone with an account on the server who is not in the project is
	// as unknown as a login nobody has: assigning tells no one who exists.
	if err := ts.Store.CreateUser(&coding.User{Login: "outsider", Name: "Outsider"}); err != nil {
		t.Fatal(err)
	}
	head, _ := ts.Store.LastSeq(ids.Project)
	for _, tt := range []struct {
		name, method, path, body string
		status                   int
		want                     string
	}{
		{"not JSON", "PUT", "/assignments", `{"coders":`, 400, "not valid"},
		{"unknown field", "PUT", "/assignments", `{"coders":["ana"],"all":true,"by":"x"}`, 400, `unknown field "by"`},
		{"no coders", "PUT", "/assignments", `{"all":true}`, 400, "choose the coders"},
		{"no documents", "PUT", "/assignments", `{"coders":["ana"]}`, 400, "choose the documents one way"},
		{"two ways", "PUT", "/assignments", `{"coders":["ana"],"all":true,"documents":["` + doc + `"]}`, 400, "choose the documents one way"},
		{"sample of 0%", "PUT", "/assignments", `{"coders":["ana"],"sample":{"percent":0}}`, 400, "greater than 0 and at most 100"},
		{"sample of 150%", "PUT", "/assignments", `{"coders":["ana"],"sample":{"percent":150,"seed":1}}`, 400, "greater than 0 and at most 100"},
		{"negative seed", "PUT", "/assignments", `{"coders":["ana"],"sample":{"percent":10,"seed":-1}}`, 400, "seed"},
		{"unknown coder", "PUT", "/assignments", `{"coders":["nobody"],"all":true}`, 400, `there is no coder "nobody" in this project`},
		{"a user outside the project", "PUT", "/assignments", `{"coders":["outsider"],"all":true}`, 400, `there is no coder "outsider" in this project`},
		{"a viewer", "PUT", "/assignments", `{"coders":["vera"],"all":true}`, 400, "a viewer does not code"},
		{"unknown document", "PUT", "/assignments", `{"coders":["ana"],"documents":["` + coding.NewID() + `"]}`, 404, "does not exist"},
		{"a title, not an id", "PUT", "/assignments", `{"coders":["ana"],"documents":["Interview 1"]}`, 404, "does not exist"},
		{"clear without coders", "POST", "/assignments/clear", `{}`, 400, "choose the coders"},
		{"done in no document", "PUT", "/documents/" + coding.NewID() + "/done", `{}`, 404, "does not exist"},
	} {
		status, answer := lead.sendRaw(tt.method, pp+tt.path, tt.body)
		var e struct{ Error string }
		json.Unmarshal([]byte(answer), &e)
		if status != tt.status || !strings.Contains(e.Error, tt.want) {
			t.Errorf("%s: status %d %s, want %d mentioning %q", tt.name, status, answer, tt.status, tt.want)
		}
	}
	if now, _ := ts.Store.LastSeq(ids.Project); now != head {
		t.Errorf("refused requests moved the log from %d to %d", head, now)
	}

	// Clearing ben's: ana's stay, and the others hear of it live.
	var cleared struct{ Cleared coding.AssignmentChange }
	lead.mustDo(http.StatusOK, "POST", pp+"/assignments/clear", map[string]any{"coders": []string{"ben"}}, &cleared)
	if len(cleared.Cleared.Documents) != len(sampled) || len(cleared.Cleared.Coders) != 1 || cleared.Cleared.Coders[0] != benID {
		t.Errorf("clear answered %+v, want ben's %d documents", cleared.Cleared, len(sampled))
	}
	assignmentEvent(t, la, "ana", coding.EventAssignmentCleared, func(json.RawMessage) bool { return true })
	lead.mustDo(http.StatusOK, "GET", pp+"/assignments", nil, &list)
	if len(list.Assignments) != len(sampled) {
		t.Errorf("after clearing ben's, %d assignments, want ana's %d", len(list.Assignments), len(sampled))
	}
}

// TestBlindCodersSeeAssignmentsNotOthersDone: in a blind project a coder
// sees every assignment (the lead's plan) but only their own done marks,
// live, in the event log, on replay and in the list; leads see all.
func TestBlindCodersSeeAssignmentsNotOthersDone(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	lead := ts.login(t, "lead", DemoPassword)
	ana := ts.login(t, "ana", DemoPassword)
	ben := ts.login(t, "ben", DemoPassword)
	ids := lead.demo()
	anaID, benID := ana.userID(t), ben.userID(t)
	pp := "/api/projects/" + ids.Project
	lead.mustDo(http.StatusOK, "PATCH", pp, map[string]any{"blind": true}, nil)

	lb := ben.live(ids.Project, 1<<62)
	defer lb.close()
	lb.ready()
	ll := lead.live(ids.Project, 1<<62)
	defer ll.close()
	ll.ready()

	lead.mustDo(http.StatusOK, "PUT", pp+"/assignments", map[string]any{"coders": []string{"ana", "ben"}, "documents": []string{ids.Doc}}, nil)
	assignmentEvent(t, lb, "ben", coding.EventAssignmentSet, func(json.RawMessage) bool { return true })
	ana.mustDo(http.StatusOK, "PUT", pp+"/documents/"+ids.Doc+"/done", map[string]any{}, nil)
	assignmentEvent(t, ll, "the lead", coding.EventDocumentDone, doneOf(ids.Doc, anaID))
	// Ben marks his own after ana: once his arrived, hers would have.
	ben.mustDo(http.StatusOK, "PUT", pp+"/documents/"+ids.Doc+"/done", map[string]any{}, nil)
	if _, ok := lb.next(func(m liveMsg) bool {
		if m.Type == coding.EventDocumentDone && strings.Contains(m.Raw, anaID) {
			t.Errorf("ben, a blind coder, received ana's done mark live: %s", m.Raw)
		}
		return m.Type == coding.EventDocumentDone && strings.Contains(m.Raw, benID)
	}, 10*time.Second); !ok {
		t.Fatal("ben's own done mark did not reach him live")
	}

	// A blinded coder's events carry sealed cursors, not numbers: read
	// only what this check needs.
	var log struct {
		Events []struct {
			Type  string `json:"type"`
			Owner string `json:"owner"`
		}
	}
	ben.mustDo(http.StatusOK, "GET", pp+"/events?since=0&limit=10000", nil, &log)
	for _, ev := range log.Events {
		if ev.Type == coding.EventDocumentDone && ev.Owner != benID {
			t.Errorf("ben's event log holds %s of %s", ev.Type, ev.Owner)
		}
	}
	replay := ben.live(ids.Project, 0)
	defer replay.close()
	if _, ok := replay.next(func(m liveMsg) bool {
		if m.Type == coding.EventDocumentDone && m.Owner != benID {
			t.Errorf("ben's replay carried ana's done mark: %s", m.Raw)
		}
		return m.Type == "ready"
	}, 10*time.Second); !ok {
		t.Fatal("ben's replay did not end")
	}

	var list struct{ Assignments []coding.Assignment }
	ben.mustDo(http.StatusOK, "GET", pp+"/assignments", nil, &list)
	got := map[string]coding.Assignment{}
	for _, a := range list.Assignments {
		got[a.Coder] = a
	}
	if a := got[anaID]; !a.Assigned || a.Done || !a.DoneAt.IsZero() {
		t.Errorf("ben sees ana's assignment as %+v, want assigned without her done mark", a)
	}
	if a := got[benID]; !a.Done {
		t.Errorf("ben sees his own as %+v, want done", a)
	}
	lead.mustDo(http.StatusOK, "GET", pp+"/assignments", nil, &list)
	for _, a := range list.Assignments {
		if !a.Done {
			t.Errorf("the lead sees %+v, want every done mark", a)
		}
	}

	// Exports follow the same rule.
	var export struct {
		Assignments []struct {
			Coder          string
			Assigned, Done bool
		}
	}
	for _, tc := range []struct {
		who     string
		c       *apiClient
		anaDone bool
	}{{"ben", ben, false}, {"the lead", lead, true}} {
		tc.c.mustDo(http.StatusOK, "GET", pp+"/export?format=json", nil, &export)
		seen := false
		for _, a := range export.Assignments {
			if a.Coder == "ana" {
				seen = true
				if a.Done != tc.anaDone || !a.Assigned {
					t.Errorf("%s's export has ana's assignment as %+v, want assigned, done %v", tc.who, a, tc.anaDone)
				}
			}
		}
		if !seen {
			t.Errorf("%s's export lacks ana's assignment: %+v", tc.who, export.Assignments)
		}
	}
}

// TestAssignCommand: concord assign draws a sample for two coders, the
// agreement then says what it compares and warns about documents not
// done; --clear takes them back; mistakes name what is wrong.
func TestAssignCommand(t *testing.T) {
	db := demoDB(t)
	before := mustRun(t, "agreement", "--project", "peer-support", "--db", db, "--bootstrap", "0")
	if !strings.Contains(before, "No document is assigned to or marked done by these coders, so every document counts as read") {
		t.Errorf("agreement without assignments does not say what it compares:\n%s", before)
	}
	out := mustRun(t, "assign", "--project", "peer-support", "--db", db, "--coders", "ana,ben", "--sample", "40", "--seed", "3")
	if !strings.Contains(out, "Assigned 2 documents (a 40% sample, seed 3) for ana,ben.") {
		t.Errorf("assign --sample 40 printed %q", out)
	}
	table := mustRun(t, "agreement", "--project", "peer-support", "--db", db, "--bootstrap", "0")
	for _, want := range []string{"ana (2 documents), ben (2 documents)", "Each coder is compared on the documents assigned to them or marked done by them.",
		"Warning: ana has 2 documents assigned but not marked done", "Warning: ana coded in 3 documents neither assigned to nor marked done by them"} {
		if !strings.Contains(table, want) {
			t.Errorf("agreement after the sample lacks %q:\n%s", want, table)
		}
	}
	r := agreementJSON(t, "--project", "peer-support", "--db", db, "--bootstrap", "0", "--all-documents")
	if r.DocumentsBasis != agreement.BasisAllDocuments || r.Coders[0].Documents != 5 {
		t.Errorf("--all-documents: basis %q, coders %+v; want every document", r.DocumentsBasis, r.Coders)
	}
	out = mustRun(t, "assign", "--project", "peer-support", "--db", db, "--coders", "ana,ben", "--clear")
	if !strings.Contains(out, "Took back 2 documents") {
		t.Errorf("assign --clear printed %q", out)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--coders", "ana", "--documents", "No such interview"}, `has no document titled "No such interview"`},
		{[]string{"--coders", "nobody", "--all"}, `there is no user "nobody"`},
		{[]string{"--coders", "ana", "--sample", "120"}, "at most 100 percent"},
		{[]string{"--coders", "ana", "--all", "--sample", "20"}, "choose the documents one way"},
		{[]string{"--coders", "ana", "--clear", "--all"}, "--clear takes --documents"},
	} {
		_, _, err := run(t, "", append([]string{"assign", "--project", "peer-support", "--db", db}, tc.args...)...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("assign %v: %v, want an error mentioning %q", tc.args, err, tc.want)
		}
	}
}

func TestAssignDocumentTitles(t *testing.T) {
	byTitle := map[string]string{"Focus group, site A": "1", "Interview 1": "2", "Interview 2": "3"}
	for _, tc := range []struct {
		values []string
		want   []string
	}{
		{[]string{"Interview 1,Interview 2"}, []string{"Interview 1", "Interview 2"}},
		{[]string{"Interview 1, Interview 2"}, []string{"Interview 1", "Interview 2"}},
		{[]string{"Focus group, site A"}, []string{"Focus group, site A"}},
		{[]string{"Focus group, site A", "Interview 2"}, []string{"Focus group, site A", "Interview 2"}},
		// Not a title whole, so a list; the unknown parts are reported by the caller.
		{[]string{"Focus group, site B"}, []string{"Focus group", "site B"}},
	} {
		if got := documentTitles(tc.values, byTitle); !slices.Equal(got, tc.want) {
			t.Errorf("documentTitles(%q) = %q, want %q", tc.values, got, tc.want)
		}
	}
}
