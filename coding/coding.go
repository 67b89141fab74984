package coding

import "time"

// ConsensusCoder is the coder id of the consensus layer the lead
// adjudicates into; it is a layer like any coder's, with a fixed id so that
// exports to REFI-QDA can name it as a user.
const ConsensusCoder = "00000000-0000-4000-8000-00000000c0de"

// MaxMemoChars bounds a coding memo.
const MaxMemoChars = 20000

// Coding is one code applied by one coder to the span [Start, End) of a
// document, in code points.
type Coding struct {
	ID         string    `json:"id"`
	ProjectID  string    `json:"project"`
	DocumentID string    `json:"document"`
	CodeID     string    `json:"code"`
	CoderID    string    `json:"coder"`
	Start      int       `json:"start"`
	End        int       `json:"end"`
	Memo       string    `json:"memo"`
	Created    time.Time `json:"created"`
}

// SpanKey identifies the code, coder and span of a coding: two codings with
// the same key are duplicates.
type SpanKey struct {
	DocumentID, CodeID, CoderID string
	Start, End                  int
}

// Key returns the coding's SpanKey.
func (c *Coding) Key() SpanKey {
	return SpanKey{c.DocumentID, c.CodeID, c.CoderID, c.Start, c.End}
}

// Overlaps reports whether the spans of a and b share at least one character.
func (c *Coding) Overlaps(o *Coding) bool {
	return c.DocumentID == o.DocumentID && c.Start < o.End && o.Start < c.End
}

// ValidateCoding checks a coding against the document it points into and
// the codebook: the span lies inside the text and is not empty, the code
// exists and can be applied, the memo is valid text. The duplicate check
// needs the stored codings and is the store's.
func ValidateCoding(c *Coding, doc *Document, cb *Codebook) error {
	if doc == nil || c.DocumentID != doc.ID {
		return Errorf(ENOTFOUND, "document %s does not exist", c.DocumentID)
	}
	if c.Start < 0 {
		return Errorf(EINVALID, "coding start %d must not be negative", c.Start)
	}
	if c.End <= c.Start {
		return Errorf(EINVALID, "coding end %d must be after its start %d", c.End, c.Start)
	}
	if c.End > doc.Length {
		return Errorf(EINVALID, "coding [%d, %d) reaches past the end of %q (%d characters)", c.Start, c.End, doc.Title, doc.Length)
	}
	code, ok := cb.Code(c.CodeID)
	if !ok {
		return Errorf(ENOTFOUND, "code %s does not exist in this project", c.CodeID)
	}
	if !code.Codable {
		return Errorf(EINVALID, "code %q is a category and cannot be applied to text", code.Name)
	}
	if c.CoderID == "" {
		return Errorf(EINVALID, "coding has no coder")
	}
	return checkText("memo", c.Memo, 0, MaxMemoChars)
}

// ErrDuplicateCoding is the error for a coding that repeats another's code,
// coder and span exactly.
func ErrDuplicateCoding(existing string) error {
	return Errorf(ECONFLICT, "the same code is already applied to exactly this text by this coder (coding %s)", existing)
}
