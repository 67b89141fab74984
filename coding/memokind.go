package coding

// Memo kinds, as the API, the JSON export and the web UI name them: what a
// memo is about follows from which of its fields are set.
const (
	MemoProject  = "project"
	MemoDocument = "document"
	MemoSpan     = "span"
	MemoCode     = "code"
)

// Kind names what the memo is about: a span of a document, a whole
// document, a code, or the project (the journal).
func (m *Memo) Kind() string {
	switch {
	case m.DocumentID != "" && m.Anchored():
		return MemoSpan
	case m.DocumentID != "":
		return MemoDocument
	case m.CodeID != "":
		return MemoCode
	}
	return MemoProject
}
