package coding

import "time"

// Memo is a note written by a member, attached to the project, a document
// or a code (a coding's own memo lives on the coding). A document memo may
// be anchored to a span [Start, End) of the document's text, in code points
// like codings; End == 0 means the memo is about the whole document.
type Memo struct {
	ID         string    `json:"id"`
	ProjectID  string    `json:"project"`
	DocumentID string    `json:"document,omitempty"`
	CodeID     string    `json:"code,omitempty"`
	Start      int       `json:"start,omitempty"`
	End        int       `json:"end,omitempty"`
	AuthorID   string    `json:"author"`
	Title      string    `json:"title"`
	Text       string    `json:"text"`
	Created    time.Time `json:"created"`
	Updated    time.Time `json:"updated"`
}

// Anchored reports whether the memo is about a span rather than a whole
// document, code or project.
func (m *Memo) Anchored() bool { return m.End > 0 }

// Validate reports whether the memo can be stored; the span's upper bound is
// checked against the document by the store.
func (m *Memo) Validate() error {
	if err := checkText("memo title", m.Title, 0, 300); err != nil {
		return err
	}
	if m.Start != 0 || m.End != 0 {
		switch {
		case m.DocumentID == "":
			return Errorf(EINVALID, "a memo anchored to a span needs a document")
		case m.Start < 0 || m.End <= m.Start:
			return Errorf(EINVALID, "memo span [%d, %d) is empty or reversed", m.Start, m.End)
		}
	}
	return checkText("memo", m.Text, 0, MaxMemoChars)
}
