package server

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf16"
)

// warningsHeader is the name of the response header that carries an
// export's warnings (coding.ExportFormat.Warnings) with the download.
const warningsHeader = "X-Concord-Warnings"

// maxWarningsHeader keeps the header well inside what browsers and
// proxies accept; ?dry_run=1 has the whole list.
const maxWarningsHeader = 8 << 10

// warningsHeaderValue encodes warnings as a JSON array in plain ASCII:
// every character outside printable ASCII is written \uXXXX, so the value
// is a valid header whatever the code names and titles hold, and any JSON
// parser reads the sentences back exactly. A list too long for the header
// ends with a sentence saying how many were left out.
func warningsHeaderValue(warnings []string) string {
	var kept []string
	size := 2
	for i, w := range warnings {
		enc := asciiJSON(w)
		if size+len(enc)+1 > maxWarningsHeader-200 {
			kept = append(kept, asciiJSON(fmt.Sprintf("… and %d more warnings (ask the export with ?dry_run=1 for all of them).", len(warnings)-i)))
			break
		}
		kept = append(kept, enc)
		size += len(enc) + 1
	}
	return "[" + strings.Join(kept, ",") + "]"
}

// asciiJSON is s as a JSON string with nothing but printable ASCII in it.
func asciiJSON(s string) string {
	data, _ := json.Marshal(s) // a string always marshals
	var b strings.Builder
	b.Grow(len(data))
	for _, r := range string(data) {
		switch {
		case r < 0x80:
			b.WriteRune(r) // json.Marshal has escaped the controls already
		case r < 0x10000:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			hi, lo := utf16.EncodeRune(r)
			fmt.Fprintf(&b, `\u%04x\u%04x`, hi, lo)
		}
	}
	return b.String()
}
