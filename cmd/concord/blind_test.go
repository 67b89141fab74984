package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/concordqda/concord/coding"
	"github.com/concordqda/concord/coding/formats"
)

// blindMarkers is what must never reach coder B while the project is
// blind: the ids of A's codings and memos and the text only they wrote.
type blindMarkers struct {
	ids   []string // A's codings and memos
	texts []string // A's coding note and memo text
	quote string   // the passage only A coded
}

// find returns the first of A's markers in s (the quote only if
// withQuote: documents themselves are visible to everyone, and with them
// the passage), or "".
func (m *blindMarkers) find(s string, withQuote bool) string {
	lower := strings.ToLower(s)
	for _, id := range m.ids {
		if strings.Contains(lower, strings.ToLower(id)) {
			return "A's id " + id
		}
	}
	for _, text := range m.texts {
		if strings.Contains(s, text) {
			return "A's text " + text
		}
	}
	if withQuote && strings.Contains(s, m.quote) {
		return "the passage only A coded"
	}
	return ""
}

// ownedBy returns a description of the first object in a JSON value that
// names user as its coder, owner or author, or "".
func ownedBy(v any, user string) string {
	switch v := v.(type) {
	case map[string]any:
		for _, k := range []string{"coder", "owner", "author", "Coder", "Owner", "Author"} {
			if v[k] == user {
				b, _ := json.Marshal(v)
				return string(b)
			}
		}
		for _, e := range v {
			if s := ownedBy(e, user); s != "" {
				return s
			}
		}
	case []any:
		for _, e := range v {
			if s := ownedBy(e, user); s != "" {
				return s
			}
		}
	}
	return ""
}

// unpacked returns a download's bytes as text: for a ZIP (QDPX, XLSX),
// every entry's content one after another.
func unpacked(t testing.TB, body []byte) string {
	t.Helper()
	if !bytes.HasPrefix(body, []byte("PK\x03\x04")) {
		return string(body)
	}
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		all.WriteString(f.Name + "\n")
		all.Write(data)
	}
	return all.String()
}

// In a blind project coder B sees none of coder A's codings or memos by any
// path — REST, search, retrieval, analysis, every export format, the event
// log and the websocket — but does see that A is online and how far A has
// got; once the lead reveals, all of it arrives, the reveal itself live.
func TestBlindProjectHidesOtherCodersEverywhere(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	lead, ana, ben := ts.login(t, "lead", DemoPassword), ts.login(t, "ana", DemoPassword), ts.login(t, "ben", DemoPassword)
	ids := ana.demo()
	anaID, benID := ana.userID(t), ben.userID(t)
	pp := "/api/projects/" + ids.Project
	const quote = "the quokka passage that only ana codes"
	var doc struct{ Document struct{ ID string } }
	lead.mustDo(http.StatusCreated, "POST", pp+"/documents", map[string]string{"title": "Quokka interview", "text": "Ordinary opening words. " + quote + ". Ordinary closing words."}, &doc)
	quokka := doc.Document.ID
	// A code only ana uses, so that the report's few examples of it are hers.
	var code struct{ Code struct{ ID string } }
	lead.mustDo(http.StatusCreated, "POST", pp+"/codes", map[string]string{"name": "Quokkas"}, &code)
	quokkas := code.Code.ID
	qStart := len([]rune("Ordinary opening words. "))
	qEnd := qStart + len([]rune(quote))
	lead.mustDo(http.StatusOK, "PATCH", pp, map[string]any{"blind": true}, nil)

	lb := ben.live(ids.Project, 0)
	defer lb.close()
	lb.ready()
	la := ana.live(ids.Project, 0)
	defer la.close()
	la.ready()
	ll := lead.live(ids.Project, 0)
	defer ll.close()
	ll.ready()

	// While blind, ana codes the passage with a note and writes a memo on
	// a code; then ben codes and writes a memo of his own.
	const anaNote, anaMemo = "ana-coding-note-7731", "ana-memo-text-5512"
	var anaCoding struct{ Coding struct{ ID string } }
	ana.mustDo(http.StatusCreated, "POST", pp+"/codings", map[string]any{"document": quokka, "code": quokkas, "start": qStart, "end": qEnd, "memo": anaNote}, &anaCoding)
	var memo struct{ Memo struct{ ID string } }
	ana.mustDo(http.StatusOK, "POST", pp+"/memos", map[string]string{"code": quokkas, "title": "Ana's thoughts", "text": anaMemo}, &memo)
	var benCoding struct{ Coding struct{ ID string } }
	ben.mustDo(http.StatusCreated, "POST", pp+"/codings", map[string]any{"document": ids.Doc, "code": ids.Codes[1], "start": 0, "end": 12, "memo": "ben-coding-note"}, &benCoding)
	ben.mustDo(http.StatusOK, "POST", pp+"/memos", map[string]string{"title": "Ben's thoughts", "text": "ben-memo-text"}, nil)

	anas, err := ts.Store.Codings(ids.Project, coding.CodingFilter{CoderID: anaID})
	if err != nil || len(anas) < 2 {
		t.Fatalf("ana's codings: %d, %v", len(anas), err)
	}
	m := &blindMarkers{texts: []string{anaNote, anaMemo}, quote: quote, ids: []string{memo.Memo.ID}}
	for _, c := range anas {
		m.ids = append(m.ids, c.ID)
	}
	bens, _ := ts.Store.Codings(ids.Project, coding.CodingFilter{CoderID: benID})

	// Ben's stream carried his own coding, and nothing of ana's before it.
	mine, ok := lb.next(func(msg liveMsg) bool {
		if found := m.find(msg.Raw, false); found != "" || (msg.Owner != "" && msg.Owner != benID) {
			t.Errorf("ben's live stream carried %s: %s", found, msg.Raw)
		}
		return msg.Type == "coding.added" && strings.Contains(msg.Raw, benCoding.Coding.ID)
	}, 10*time.Second)
	if !ok {
		t.Fatalf("ben's own coding did not reach him live: %+v", mine)
	}

	t.Run("presence", func(t *testing.T) {
		// Ana selects the passage: ben sees where she is but not what
		// she selected; the lead sees both.
		if err := la.conn.WriteJSON(map[string]any{"type": "presence", "document": quokka, "start": qStart, "end": qEnd}); err != nil {
			t.Fatal(err)
		}
		anaIn := func(lc *liveConn) map[string]any {
			var entry map[string]any
			_, ok := lc.next(func(msg liveMsg) bool {
				if msg.Type != "presence" {
					return false
				}
				var p struct{ Online, Changed []map[string]any }
				json.Unmarshal([]byte(msg.Raw), &p)
				for _, e := range append(p.Online, p.Changed...) {
					if e["user"] == anaID && e["document"] == quokka {
						entry = e
						return true
					}
				}
				return false
			}, 10*time.Second)
			if !ok {
				t.Fatal("no presence of ana on the quokka document")
			}
			return entry
		}
		if e := anaIn(lb); e["start"] != nil || e["end"] != nil {
			t.Errorf("ben sees ana's selection: %v", e)
		}
		if e := anaIn(ll); e["start"] != float64(qStart) || e["end"] != float64(qEnd) {
			t.Errorf("the lead's view of ana's presence: %v, want her selection %d–%d", e, qStart, qEnd)
		}
	})

	t.Run("progress", func(t *testing.T) {
		// Ben learns how many coders started each document, and his own
		// progress; nothing of how many codings ana made or where.
		var docs struct {
			Documents []struct {
				ID       string
				Started  int
				Progress map[string]struct{ Codings, Reached int }
			}
		}
		ben.mustDo(http.StatusOK, "GET", pp+"/documents", nil, &docs)
		type view struct {
			started int
			layers  []string
		}
		// From the store: the coders of each document, and ben's layer if
		// he coded it.
		want := map[string]view{}
		for _, doc := range []string{quokka, ids.Doc} {
			cs, err := ts.Store.Codings(ids.Project, coding.CodingFilter{DocumentID: doc})
			if err != nil {
				t.Fatal(err)
			}
			coders := map[string]bool{}
			for _, c := range cs {
				if c.CoderID != coding.ConsensusCoder {
					coders[c.CoderID] = true
				}
			}
			v := view{started: len(coders)}
			if coders[benID] {
				v.layers = []string{benID}
			}
			want[doc] = v
		}
		if want[quokka].started != 1 || want[ids.Doc].layers == nil {
			t.Fatalf("fixture: quokka coded by %d coders, ben's layer on the demo document %v; want ana alone and ben's", want[quokka].started, want[ids.Doc].layers)
		}
		seen := 0
		for _, d := range docs.Documents {
			w, ok := want[d.ID]
			if !ok {
				continue
			}
			seen++
			var layers []string
			for id := range d.Progress {
				layers = append(layers, id)
			}
			if d.Started != w.started || fmt.Sprint(layers) != fmt.Sprint(w.layers) {
				t.Errorf("ben's view of document %s: started %d, progress of %v; want started %d, progress of %v only", d.ID, d.Started, layers, w.started, w.layers)
			}
		}
		if seen != len(want) {
			t.Fatalf("ben's list holds %d of the %d documents", seen, len(want))
		}
		// The lead still sees everyone's progress.
		var leads struct {
			Documents []struct {
				ID       string
				Progress map[string]struct{ Codings, Reached int }
			}
		}
		lead.mustDo(http.StatusOK, "GET", pp+"/documents", nil, &leads)
		for _, d := range leads.Documents {
			if d.ID == quokka {
				if p := d.Progress[anaID]; p.Codings != 1 || p.Reached != qEnd {
					t.Errorf("the lead's view of ana's progress on the quokka document: %+v, want 1 coding reaching %d", p, qEnd)
				}
			}
		}
	})

	t.Run("rest", func(t *testing.T) {
		for _, v := range []struct {
			path      string
			withQuote bool // the answer holds coded text, not documents
			want      string
		}{
			{"/documents/" + quokka + "/codings", true, `"codings":[]`},
			{"/documents/" + ids.Doc + "/codings", true, benCoding.Coding.ID},
			{"/codings", true, benCoding.Coding.ID},
			{"/codings?coder=" + anaID, true, `"codings":[]`},
			{"/codings?document=" + quokka, true, `"codings":[]`},
			{"/memos", true, "ben-memo-text"},
			{"/search?q=quokka", false, `"match":"quokka"`},
			{"/search?q=peer", false, `"hits":[{`},
			{"/search?q=memo-text", false, "ben-memo-text"},
			{"/segments?memos=true", true, "ben-memo-text"},
			{"/segments", true, "ben-coding-note"},
			{"/segments?coder=" + anaID, true, `"segments":[]`},
			{"/segments?document=" + quokka, true, `"segments":[]`},
			{"/analysis/frequencies", true, `"rows"`},
			{"/analysis/frequencies?by=coder", true, benID},
			{"/analysis/frequencies?by=document", true, quokka},
			{"/analysis/frequencies?by=attr:setting", true, `"rows"`},
			{"/analysis/cooccurrence?gap=1000", true, `"cells"`},
			{"/events?since=0&limit=10000", true, benCoding.Coding.ID},
		} {
			var raw json.RawMessage
			ben.mustDo(http.StatusOK, "GET", pp+v.path, nil, &raw)
			if found := m.find(string(raw), v.withQuote); found != "" {
				t.Errorf("GET %s shows ben %s: %.300s", v.path, found, raw)
			}
			var tree any
			json.Unmarshal(raw, &tree)
			if o := ownedBy(tree, anaID); o != "" {
				t.Errorf("GET %s shows ben something of ana's: %.300s", v.path, o)
			}
			if strings.Contains(v.path, "by=coder") && strings.Contains(string(raw), anaID) {
				t.Errorf("GET %s has a column for ana: %.300s", v.path, raw)
			}
			if !strings.Contains(string(raw), v.want) {
				t.Errorf("GET %s lacks %q: %.300s", v.path, v.want, raw)
			}
		}
		// The counts are ben's alone.
		var freq struct {
			Rows []struct{ Total coding.Count }
		}
		ben.mustDo(http.StatusOK, "GET", pp+"/analysis/frequencies?descendants=false", nil, &freq)
		n := 0
		for _, r := range freq.Rows {
			n += r.Total.Segments
		}
		if n != len(bens) {
			t.Errorf("ben's frequencies count %d segments; he has %d codings", n, len(bens))
		}
		var co struct {
			Cells []struct {
				A, B  string
				Count int
			}
		}
		ben.mustDo(http.StatusOK, "GET", pp+"/analysis/cooccurrence", nil, &co)
		want := coding.Cooccurrence(bens, 0)
		if len(co.Cells) != len(want) {
			t.Errorf("ben's co-occurrence has %d cells, his own codings make %d", len(co.Cells), len(want))
		}
		for _, c := range co.Cells {
			if want[coding.CodePair{A: c.A, B: c.B}] != c.Count {
				t.Errorf("ben's co-occurrence of %s and %s: %d, his own codings make %d", c.A, c.B, c.Count, want[coding.CodePair{A: c.A, B: c.B}])
			}
		}
		// Agreement compares layers: for leads only.
		q := url.Values{"code": {"Benefits/Shared lived experience"}, "a": {"ana"}, "b": {"ben"}}
		for _, path := range []string{"/agreement?bootstrap=0", "/agreement?unit=all&bootstrap=0", "/agreement/disagreements?" + q.Encode()} {
			if status := ben.do("GET", pp+path, nil, nil); status != http.StatusForbidden {
				t.Errorf("ben GET %s: status %d, want 403", path, status)
			}
		}
		// Ana's coding does not exist for ben.
		if status := ben.do("DELETE", pp+"/codings/"+anaCoding.Coding.ID, nil, nil); status != http.StatusNotFound {
			t.Errorf("ben deleting ana's coding: status %d, want 404", status)
		}
		if status := ben.do("PUT", pp+"/memos/"+memo.Memo.ID, map[string]string{"text": "mine now"}, nil); status != http.StatusNotFound {
			t.Errorf("ben replacing ana's memo: status %d, want 404", status)
		}
	})

	t.Run("export", func(t *testing.T) {
		for _, f := range formats.ExportFormats() {
			segments := f.Name == "csv" || f.Name == "xlsx" || f.Name == "html"
			codebook := f.Name == "qdc" || strings.HasPrefix(f.Name, "codebook-")
			_, _, leadBody := lead.get(pp + "/export?format=" + f.Name)
			// What the lead's file carries of ana's shows the format can
			// leak it: ben's must carry none of it.
			carries := m.find(unpacked(t, leadBody), segments)
			if carries == "" && !codebook {
				t.Errorf("%s: the lead's export carries nothing of ana's, so this check proves nothing", f.Name)
			}
			status, _, body := ben.get(pp + "/export?format=" + f.Name)
			if status != http.StatusOK {
				t.Errorf("%s: ben's export: status %d %s", f.Name, status, body)
				continue
			}
			if found := m.find(unpacked(t, body), segments); found != "" {
				t.Errorf("%s: ben's export carries %s", f.Name, found)
			}
		}
	})

	t.Run("replay", func(t *testing.T) {
		lc := ben.live(ids.Project, 0)
		defer lc.close()
		n := 0
		for {
			msg, ok := lc.next(func(liveMsg) bool { return true }, 10*time.Second)
			if !ok {
				t.Fatal("no ready message")
			}
			if msg.Type == "ready" {
				break
			}
			n++
			if found := m.find(msg.Raw, true); found != "" || (msg.Owner != "" && msg.Owner != benID) {
				t.Fatalf("ben's replay carries %s: %s", found, msg.Raw)
			}
		}
		if n < 10 {
			t.Fatalf("ben's replay held only %d messages", n)
		}
	})

	// The reveal reaches ben's open connection, and then everything ana
	// did while the project was blind is his to see.
	lead.mustDo(http.StatusOK, "PATCH", pp, map[string]any{"blind": false}, nil)
	msg, ok := lb.next(func(msg liveMsg) bool { return msg.Seq > 0 }, 5*time.Second)
	if !ok || msg.Type != "project.updated" || !strings.Contains(string(msg.Payload), `"blind":false`) {
		t.Fatalf("ben did not hear of the reveal: %s", msg.Raw)
	}
	for _, v := range []struct{ path, want string }{
		{"/codings", anaCoding.Coding.ID},
		{"/codings?coder=" + anaID, anaCoding.Coding.ID},
		{"/documents/" + quokka + "/codings", anaNote},
		{"/memos", anaMemo},
		{"/segments?document=" + quokka, quote},
		{"/events?since=0&limit=10000", anaCoding.Coding.ID},
		{"/export?format=json", anaNote},
	} {
		status, _, body := ben.get(pp + v.path)
		if status != http.StatusOK || !strings.Contains(string(body), v.want) {
			t.Errorf("after the reveal, GET %s: status %d, lacks %q", v.path, status, v.want)
		}
	}
	ana.addCoding(ids, ids.Codes[0], 21, 29)
	if msg, ok := lb.next(func(m liveMsg) bool { return m.Seq > 0 }, 5*time.Second); !ok || msg.Owner != anaID || msg.Type != "coding.added" {
		t.Fatalf("after the reveal ben should see ana's new coding live, got %s", msg.Raw)
	}
}
