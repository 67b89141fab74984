package server

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/concordqda/concord/coding"
)

func TestDecodeJSONRejectsBadBodies(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"empty", "", "empty"},
		{"not JSON", "hello", "malformed JSON"},
		{"unknown field", `{"document":"d","colour":"red"}`, `unknown field "colour"`},
		{"wrong type", `{"start":"five"}`, `field "start" must be a whole number`},
		{"invalid UTF-8", "{\"memo\":\"\xff\"}", "not valid UTF-8"},
		{"deep nesting", strings.Repeat("[", 100) + strings.Repeat("]", 100), "nested too deeply"},
		{"trailing data", `{"start":1} {"start":2}`, "after the JSON object"},
		{"truncated", `{"start":1`, "ends too early"},
		{"huge number", `{"start":1e400}`, "must be a whole number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var req codingsRequest
			err := decodeJSON([]byte(tt.body), &req)
			if coding.ErrorCode(err) != coding.EINVALID || !strings.Contains(coding.ErrorMessage(err), tt.want) {
				t.Fatalf("decodeJSON(%.40q) = %v, want an invalid error mentioning %q", tt.body, err, tt.want)
			}
		})
	}
	var req codingsRequest
	if err := decodeJSON([]byte(`{"document":"d","code":"c","start":1,"end":4,"memo":"é 🙂"}`), &req); err != nil || req.End != 4 {
		t.Fatalf("a good body: %v %+v", err, req)
	}
}

// FuzzDecodeBodies feeds arbitrary bytes to the decoder of every JSON body
// and websocket message type: it must never panic, and whatever it accepts
// must be valid UTF-8 JSON.
func FuzzDecodeBodies(f *testing.F) {
	for _, seed := range []string{
		`{"document":"d","code":"c","start":1,"end":4}`,
		`{"codings":[{"document":"d","code":"c","start":0,"end":1}]}`,
		`{"login":"ana","password":"x"}`,
		`{"type":"presence","document":"d","start":1,"end":2}`,
		`{"name":"Stress","parent":"p","codable":false}`,
		`{"blind":true}`, `{"into":"c"}`, `{"role":"coder"}`,
		`{"name":"Pilot","slug":"pilot","blind":false}`, `{"login":"noor","name":"Noor","role":"coder"}`,
		`{"q":"boundaries","code":"c"}`, `{"q":"\"peer support\"","code":"c","match":"words","scope":"sentence","hits":[{"document":"d","start":1,"end":9}]}`,
		`{"ids":["a","b"]}`, `{"current":"x","new":"yyyyyyyy"}`,
		`{"key":"d|c|a|b|1|4","document":"d","code":"c","coder_a":"a","coder_b":"b","start":1,"end":4,"decided":"rejected"}`,
		`{"key":"d|c|a|b|1|4","document":"d","code":"c","coder_a":"a","coder_b":"b","start":1,"end":4,"decided":"accepted_a","reason":"A fits the definition"}`,
		`{"coders":["ana","ben"],"sample":{"percent":20,"seed":7}}`, `{"coders":["ana"],"documents":["d"],"all":false}`,
		`{"documents":[{"id":"d","title":"T","attributes":{"site":"A"},"folder":"F","sets":["s"]}]}`,
		`{"order":["a","b"]}`,
		`[[[[[[`, "\xff", `{"start":-1}`, `{"start":99999999999999999999}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, v := range bodyTypes() {
			err := decodeJSON(data, v)
			if err != nil && coding.ErrorCode(err) != coding.EINVALID {
				t.Fatalf("decodeJSON error without the invalid code: %v", err)
			}
		}
	})
}

// bodyTypes returns a fresh value of every JSON request body and websocket
// message type the server decodes.
func bodyTypes() []any {
	return []any{
		new(codingsRequest), new(codingPatch), new(loginRequest), new(passwordRequest),
		new(inbound), new(codeRequest), new(projectPatch), new(mergeRequest),
		new(memberRequest), new(documentRequest), new(documentPatch), new(memoRequest),
		new(projectRequest), new(inviteRequest), new(autocodeRequest), new(deleteCodingsRequest),
		new(decisionRequest), new(assignRequest), new(clearAssignRequest),
		new(documentsPatch), new(documentOrderRequest),
	}
}

// TestEveryBodyIsFuzzed fails when a handler decodes a request type that
// FuzzDecodeBodies does not feed.
func TestEveryBodyIsFuzzed(t *testing.T) {
	fuzzed := map[string]bool{}
	for _, v := range bodyTypes() {
		fuzzed[reflect.TypeOf(v).Elem().Name()] = true
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	decoded := regexp.MustCompile(`var (?:req|in) (\w+)\n[^\n]*decode(?:Body|JSON)\(`)
	found := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range decoded.FindAllSubmatch(src, -1) {
			found++
			if !fuzzed[string(m[1])] {
				t.Errorf("%s decodes a %s, which FuzzDecodeBodies does not fuzz: add it to bodyTypes", name, m[1])
			}
		}
	}
	if found < len(bodyTypes())-1 {
		t.Errorf("found only %d decoded request types in the source; has the pattern changed?", found)
	}
}

func TestDepth(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int
	}{
		{`{}`, 1}, {`{"a":[1,{"b":2}]}`, 3}, {`"[[[["`, 0}, {`{"a":"\"[["}`, 1},
	} {
		if got := depth([]byte(tt.in)); got != tt.want {
			t.Errorf("depth(%s) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

// TestWriteErrorHidesInternalErrors: an error without a code reaches the
// client as the generic message and the operator's log with its detail;
// a coded error keeps its message and is not logged.
func TestWriteErrorHidesInternalErrors(t *testing.T) {
	var logs bytes.Buffer
	s := New(nil, Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	const detail = "open /srv/concord/concord.db: input/output error"
	tests := []struct {
		name     string
		err      error
		status   int
		body     string
		inTheLog bool
	}{
		{"plain", errors.New(detail), 500, `{"error":"Internal error.","code":"internal"}`, true},
		{"wrapped", fmt.Errorf("store: put coding 7: %w", errors.New(detail)), 500, `{"error":"Internal error.","code":"internal"}`, true},
		{"coded, wrapped", fmt.Errorf("store: %w", coding.Errorf(coding.ENOTFOUND, "code 7 does not exist")), 404, `{"error":"code 7 does not exist","code":"not_found"}`, false},
		{"throttled", coding.Errorf("rate_limited", "wait a minute"), 429, `{"error":"wait a minute","code":"rate_limited"}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs.Reset()
			w := httptest.NewRecorder()
			s.writeError(w, httptest.NewRequest("GET", "/api/projects/p/codes", nil), tt.err)
			if w.Code != tt.status || strings.TrimSpace(w.Body.String()) != tt.body {
				t.Errorf("writeError(%v) = %d %s, want %d %s", tt.err, w.Code, w.Body, tt.status, tt.body)
			}
			if strings.Contains(w.Body.String(), "/srv/") || strings.Contains(w.Body.String(), "store:") {
				t.Errorf("the client sees the internal detail: %s", w.Body)
			}
			logged := strings.Contains(logs.String(), detail) && strings.Contains(logs.String(), "/api/projects/p/codes")
			if logged != tt.inTheLog {
				t.Errorf("logged the error with the request: %v, want %v:\n%s", logged, tt.inTheLog, logs.String())
			}
			if !tt.inTheLog && logs.Len() > 0 {
				t.Errorf("an application error was logged: %s", logs.String())
			}
		})
	}
}
