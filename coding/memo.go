package coding

import "time"

// Memo is a note written by a member, attached to the project, a document
// or a code (a coding's own memo lives on the coding).
type Memo struct {
	ID         string    `json:"id"`
	ProjectID  string    `json:"project"`
	DocumentID string    `json:"document,omitempty"`
	CodeID     string    `json:"code,omitempty"`
	AuthorID   string    `json:"author"`
	Title      string    `json:"title"`
	Text       string    `json:"text"`
	Created    time.Time `json:"created"`
	Updated    time.Time `json:"updated"`
}

// Validate reports whether the memo can be stored.
func (m *Memo) Validate() error {
	if err := checkText("memo title", m.Title, 0, 300); err != nil {
		return err
	}
	return checkText("memo", m.Text, 0, MaxMemoChars)
}
