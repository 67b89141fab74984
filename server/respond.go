package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/concordqda/concord/coding"
)

// writeJSON writes v as a JSON response with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		http.Error(w, `{"error":"Internal error.","code":"internal"}`, http.StatusInternalServerError)
		return
	}
	writeJSONBytes(w, status, append(data, '\n'))
}

// writeJSONBytes answers with a JSON body already encoded.
func writeJSONBytes(w http.ResponseWriter, status int, data []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(status)
	w.Write(data)
}

// errorBody is what every failed request answers.
type errorBody struct {
	Error string `json:"error"`
	Code  string `json:"code"`
}

// statusOf maps an error code to its HTTP status.
func statusOf(code string) int {
	switch code {
	case coding.EINVALID:
		return http.StatusBadRequest
	case coding.ENOTFOUND:
		return http.StatusNotFound
	case coding.ECONFLICT:
		return http.StatusConflict
	case coding.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case coding.EFORBIDDEN, codePasswordChange:
		return http.StatusForbidden
	case coding.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case coding.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	case "rate_limited":
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// writeError is the one place an error becomes a response: application
// errors keep their message, anything else becomes "Internal error." for
// the client and a log line for the operator.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := coding.ErrorCode(err)
	if code == coding.EINTERNAL {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	writeJSON(w, statusOf(code), errorBody{Error: coding.ErrorMessage(err), Code: code})
}

// decodeBody reads a JSON request body into v: at most limit bytes, valid
// UTF-8, one object, no unknown fields. Errors say what is wrong in words a
// person can act on.
func decodeBody(r *http.Request, limit int64, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return coding.Errorf(coding.EINVALID, "the request body must be JSON (Content-Type application/json), not %q", ct)
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return coding.Errorf(coding.EINVALID, "could not read the request body")
	}
	if int64(len(data)) > limit {
		return coding.Errorf(coding.ETOOLARGE, "the request body is too large (at most %d bytes)", limit)
	}
	return decodeJSON(data, v)
}

// decodeJSON is decodeBody without the transport: it is what the fuzz
// tests drive.
func decodeJSON(data []byte, v any) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return coding.Errorf(coding.EINVALID, "the request body is empty; expected a JSON object")
	}
	if !utf8.Valid(data) {
		return coding.Errorf(coding.EINVALID, "the request body is not valid UTF-8")
	}
	if depth(data) > 32 {
		return coding.Errorf(coding.EINVALID, "the request body is nested too deeply")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return coding.Errorf(coding.EINVALID, "the request body is not valid: %s", jsonProblem(err))
	}
	if dec.More() {
		return coding.Errorf(coding.EINVALID, "the request body has data after the JSON object")
	}
	return nil
}

func jsonProblem(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("malformed JSON at byte %d", syn.Offset)
	case errors.As(err, &typ):
		want := kindName(typ.Type.Kind())
		if typ.Field != "" {
			field := typ.Field[strings.LastIndexByte(typ.Field, '.')+1:]
			return fmt.Sprintf("field %q must be %s", field, want)
		}
		return "expected " + want
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "the JSON ends too early"
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return "unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field ")
	}
	return "malformed JSON"
}

// depth returns the deepest nesting of objects and arrays in data, without
// parsing it, so that hostile input cannot make the decoder recurse deeply.
func depth(data []byte) int {
	d, max := 0, 0
	inString, escaped := false, false
	for _, c := range data {
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case inString:
		case c == '{' || c == '[':
			d++
			if d > max {
				max = d
			}
		case c == '}' || c == ']':
			d--
		}
	}
	return max
}

// kindName names a Go kind the way a person writing JSON thinks of it.
func kindName(k reflect.Kind) string {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "text"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "a list"
	}
	return "an object"
}
