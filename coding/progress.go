package coding

// Progress is how far one coder has got in one document: aggregate
// numbers that a blind project may show everyone, never the codings
// themselves.
type Progress struct {
	Codings int `json:"codings"`
	// Reached is the furthest character any of the coder's codings ends at.
	Reached int `json:"reached"`
}
