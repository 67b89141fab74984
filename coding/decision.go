package coding

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Decision kinds. An accept or an edit writes consensus codings, which
// settle its case; its decision records which way the lead ruled, and
// why, beside them. A rejection, or accepting a coder who coded nothing
// there, writes nothing to the consensus layer: without its decision the
// ruling would be lost.
const (
	// DecisionRejected says neither coder was right about a case: the
	// consensus leaves it uncoded.
	DecisionRejected = "rejected"
	// DecisionAcceptedA and DecisionAcceptedB side with one coder: the
	// consensus codes what they coded there, or nothing if they coded
	// nothing.
	DecisionAcceptedA = "accepted_a"
	DecisionAcceptedB = "accepted_b"
	// DecisionAcceptedBoth codes, in the consensus, all that either coded.
	DecisionAcceptedBoth = "accepted_both"
	// DecisionEdited codes a span the lead chose.
	DecisionEdited = "edited"
)

// decisionKinds lists the kinds in the order an error message names them.
var decisionKinds = []string{DecisionAcceptedA, DecisionAcceptedB, DecisionAcceptedBoth, DecisionEdited, DecisionRejected}

// MaxDecisionReason bounds a decision's reason, in code points.
const MaxDecisionReason = 2000

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
	// Reason is the lead's own words on why, if they gave any.
	Reason string `json:"reason,omitempty"`
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
	if !slices.Contains(decisionKinds, d.Decided) {
		return Errorf(EINVALID, "decided must be one of %s, not %.40q", quotedList(decisionKinds), d.Decided)
	}
	return checkText("a decision's reason", d.Reason, 0, MaxDecisionReason)
}

// SameCase reports whether d and o rule the same way on the same case:
// everything but who decided and when is equal.
func (d *Decision) SameCase(o *Decision) bool {
	a, b := *d, *o
	a.By, a.At, b.By, b.At = "", time.Time{}, "", time.Time{}
	return a == b
}

// quotedList writes words as `"a", "b" or "c"` for a message.
func quotedList(words []string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = strconv.Quote(w)
	}
	if len(q) < 2 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}
