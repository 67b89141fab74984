package coding

// CodingFilter selects codings; empty fields match everything.
type CodingFilter struct {
	DocumentID string
	CoderID    string
	// CodeIDs, when not nil, keeps codings of these codes only.
	CodeIDs map[string]bool
}

// Match reports whether c passes the filter.
func (f *CodingFilter) Match(c *Coding) bool {
	return (f.DocumentID == "" || c.DocumentID == f.DocumentID) &&
		(f.CoderID == "" || c.CoderID == f.CoderID) &&
		(f.CodeIDs == nil || f.CodeIDs[c.CodeID])
}
