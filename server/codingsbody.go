package server

import (
	"encoding/json"
	"net/http"

	"github.com/concordqda/concord/coding"
)

// writeCodings answers {"codings":[…]} (with "seq" when seq is not nil)
// as writeJSON would, byte for byte, but written in pieces and without
// reflection: a long transcript's answer holds 20,000 codings (6 MB),
// which json.Marshal spent most of its time on and held whole in memory.
func writeCodings(w http.ResponseWriter, cs []coding.Coding, seq any) {
	var seqJSON []byte
	if seq != nil {
		var err error
		if seqJSON, err = json.Marshal(seq); err != nil {
			writeJSON(w, http.StatusInternalServerError, errorBody{Error: "Internal error.", Code: coding.EINTERNAL})
			return
		}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	const flushAt = 64 << 10
	buf := make([]byte, 0, flushAt+1024)
	buf = append(buf, `{"codings":[`...)
	for i := range cs {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = cs[i].AppendJSON(buf)
		if len(buf) >= flushAt {
			if _, err := w.Write(buf); err != nil {
				return // the client went away
			}
			buf = buf[:0]
		}
	}
	buf = append(buf, ']')
	if seqJSON != nil {
		buf = append(buf, `,"seq":`...)
		buf = append(buf, seqJSON...)
	}
	buf = append(buf, "}\n"...)
	w.Write(buf)
}
