package formats

import (
	"bufio"
	"io"
	"strconv"
	"time"

	"github.com/concordqda/concord/coding"
)

// DecisionNames turns the ids in decisions into what a reader of the CSV
// recognises: document titles, code paths and people's logins. An id
// without a name is written as it is.
type DecisionNames struct {
	Documents, Codes, People map[string]string
}

func (n DecisionNames) name(m map[string]string, id string) string {
	if s, ok := m[id]; ok {
		return s
	}
	return id
}

// WriteDecisionsCSV writes one row per review decision: the case (its
// document, code, the two layers compared and its span in code points),
// how the lead ruled, their reason, who decided and when (UTC, RFC 3339).
// Like the segments CSV it is UTF-8 with a byte order mark, and a cell a
// spreadsheet would read as a formula gets a leading apostrophe: reasons
// are free text.
func WriteDecisionsCSV(w io.Writer, ds []coding.Decision, names DecisionNames) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("\ufeff")
	cw := newSafeCSV(bw)
	if err := cw.Write([]string{"document", "code", "coder_a", "coder_b", "start", "end", "decided", "reason", "decided_by", "decided_at"}); err != nil {
		return err
	}
	for _, d := range ds {
		err := cw.Write([]string{
			names.name(names.Documents, d.Document), names.name(names.Codes, d.Code),
			names.name(names.People, d.CoderA), names.name(names.People, d.CoderB),
			strconv.Itoa(d.Start), strconv.Itoa(d.End), d.Decided, d.Reason,
			names.name(names.People, d.By), d.At.UTC().Format(time.RFC3339),
		})
		if err != nil {
			return err
		}
	}
	return cw.flushTo(bw)
}
