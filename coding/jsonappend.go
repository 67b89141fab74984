package coding

import (
	"encoding/json"
	"strconv"
	"time"
)

// The hot JSON answers (a document's codings, the event log) are written
// without reflection: encoding/json spends most of their time finding
// fields. What these functions write is byte for byte what json.Marshal
// writes, so the two can be mixed and compared.

// AppendJSONString appends s as a JSON string. Plain ASCII (every id and
// type name) is copied as is; anything else takes encoding/json's path.
func AppendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// AppendJSON appends the coding as json.Marshal would encode it.
func (c *Coding) AppendJSON(b []byte) []byte {
	b = append(b, `{"id":`...)
	b = AppendJSONString(b, c.ID)
	b = append(b, `,"project":`...)
	b = AppendJSONString(b, c.ProjectID)
	b = append(b, `,"document":`...)
	b = AppendJSONString(b, c.DocumentID)
	b = append(b, `,"code":`...)
	b = AppendJSONString(b, c.CodeID)
	b = append(b, `,"coder":`...)
	b = AppendJSONString(b, c.CoderID)
	b = append(b, `,"start":`...)
	b = strconv.AppendInt(b, int64(c.Start), 10)
	b = append(b, `,"end":`...)
	b = strconv.AppendInt(b, int64(c.End), 10)
	b = append(b, `,"memo":`...)
	b = AppendJSONString(b, c.Memo)
	b = append(b, `,"created":`...)
	b = appendJSONTime(b, c.Created)
	return append(b, '}')
}

// appendJSONTime appends t as time.Time's MarshalJSON does. A year outside
// 0–9999 has no RFC 3339 form and json.Marshal refuses it; the store never
// holds one, and it is written as null.
func appendJSONTime(b []byte, t time.Time) []byte {
	if y := t.Year(); y < 0 || y > 9999 {
		return append(b, "null"...)
	}
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}
