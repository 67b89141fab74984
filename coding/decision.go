package coding

import (
	"time"
	"unicode/utf8"
)

// Decision kinds. A lead's accept or edit needs no record of its own: it
// is the consensus coding it writes. A rejection writes nothing to the
// consensus layer, so without a record of its own it would be lost.
const (
	// DecisionRejected says neither coder was right about a case: the
	// consensus leaves it uncoded.
	DecisionRejected = "rejected"
)

// MaxDecisionKey bounds a decision's key, in bytes: it is a bbolt key and
// travels in every decision event.
const MaxDecisionKey = 512

// Decision is a lead's ruling on one case of the review: a stretch where
// two coders' layers (CoderA, CoderB) differ about a code in a document.
// Key names the case as the review names it (the web UI joins document,
// code, the two coders and the case's span); the store keeps one decision
// per key and does not read the key's parts, so the fields beside it say
// what the case was for clients that match differently.
type Decision struct {
	Key      string `json:"key"`
	Document string `json:"document"`
	Code     string `json:"code"`
	CoderA   string `json:"coder_a"`
	CoderB   string `json:"coder_b"`
	// Start and End are the case's span in code points, half-open.
	Start   int    `json:"start"`
	End     int    `json:"end"`
	Decided string `json:"decided"`
	// By is the lead who decided and At when; the store sets both.
	By string    `json:"by"`
	At time.Time `json:"at"`
}

// Validate checks what a client supplies of a decision (everything but By
// and At): whether it exists is the store's to check.
func (d *Decision) Validate() error {
	switch {
	case d.Key == "":
		return Errorf(EINVALID, "a decision needs a key naming its case")
	case len(d.Key) > MaxDecisionKey:
		return Errorf(EINVALID, "a decision's key is too long (%d bytes, at most %d)", len(d.Key), MaxDecisionKey)
	case !utf8.ValidString(d.Key):
		return Errorf(EINVALID, "a decision's key is not valid UTF-8 text")
	}
	for _, r := range d.Key {
		if r < 0x20 || r == 0x7f {
			return Errorf(EINVALID, "a decision's key must not contain control characters")
		}
	}
	for _, f := range []struct{ name, id string }{{"document", d.Document}, {"code", d.Code}, {"coder_a", d.CoderA}, {"coder_b", d.CoderB}} {
		if !isCanonicalGUID(f.id) {
			return Errorf(EINVALID, "a decision's %s must be an id (a lower-case UUID), not %.40q", f.name, f.id)
		}
	}
	if d.CoderA == d.CoderB {
		return Errorf(EINVALID, "a decision compares two different layers: coder_a and coder_b are the same")
	}
	if d.Start < 0 {
		return Errorf(EINVALID, "a decision's start %d must not be negative", d.Start)
	}
	if d.End <= d.Start {
		return Errorf(EINVALID, "a decision's end %d must be after its start %d", d.End, d.Start)
	}
	if d.Decided != DecisionRejected {
		return Errorf(EINVALID, "decided must be %q (the only kind of decision recorded so far), not %.40q", DecisionRejected, d.Decided)
	}
	return nil
}

// SameCase reports whether d and o rule the same way on the same case:
// everything but who decided and when is equal.
func (d *Decision) SameCase(o *Decision) bool {
	a, b := *d, *o
	a.By, a.At, b.By, b.At = "", time.Time{}, "", time.Time{}
	return a == b
}
