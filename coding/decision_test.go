package coding

import (
	"strings"
	"testing"
	"time"
)

func TestDecisionValidate(t *testing.T) {
	good := func() Decision {
		return Decision{Key: "k", Document: NewID(), Code: NewID(), CoderA: NewID(), CoderB: ConsensusCoder, Start: 3, End: 9, Decided: DecisionRejected}
	}
	tests := []struct {
		name string
		edit func(d *Decision)
		want string // a part of the message; "" when valid
	}{
		{"good", func(d *Decision) {}, ""},
		{"key at the limit", func(d *Decision) { d.Key = strings.Repeat("é", MaxDecisionKey/2) }, ""},
		{"no key", func(d *Decision) { d.Key = "" }, "needs a key"},
		{"key too long", func(d *Decision) { d.Key = strings.Repeat("k", MaxDecisionKey+1) }, "too long (513 bytes"},
		{"key not UTF-8", func(d *Decision) { d.Key = "k\xff" }, "not valid UTF-8"},
		{"key with a newline", func(d *Decision) { d.Key = "a\nb" }, "control characters"},
		{"document not an id", func(d *Decision) { d.Document = "interview-1" }, `document must be an id`},
		{"upper-case code id", func(d *Decision) { d.Code = strings.ToUpper(NewID()) }, "code must be an id"},
		{"no coder a", func(d *Decision) { d.CoderA = "" }, "coder_a must be an id"},
		{"same coders", func(d *Decision) { d.CoderB = d.CoderA }, "are the same"},
		{"negative start", func(d *Decision) { d.Start = -1 }, "must not be negative"},
		{"empty span", func(d *Decision) { d.End = d.Start }, "must be after its start"},
		{"accepted A", func(d *Decision) { d.Decided = DecisionAcceptedA }, ""},
		{"accepted B", func(d *Decision) { d.Decided = DecisionAcceptedB }, ""},
		{"accepted both", func(d *Decision) { d.Decided = DecisionAcceptedBoth }, ""},
		{"edited", func(d *Decision) { d.Decided = DecisionEdited }, ""},
		{"other kind", func(d *Decision) { d.Decided = "accepted" }, `decided must be one of "accepted_a", "accepted_b", "accepted_both", "edited" or "rejected", not "accepted"`},
		{"no kind", func(d *Decision) { d.Decided = "" }, `decided must be one of`},
		{"a reason", func(d *Decision) { d.Reason = "Ana's reading fits the definition 🙂" }, ""},
		{"a reason at the limit", func(d *Decision) { d.Reason = strings.Repeat("é", MaxDecisionReason) }, ""},
		{"a reason too long", func(d *Decision) { d.Reason = strings.Repeat("a", MaxDecisionReason+1) }, "reason is too long (2001 characters, at most 2000)"},
		{"a reason not UTF-8", func(d *Decision) { d.Reason = "why\xff" }, "reason is not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := good()
			tt.edit(&d)
			err := d.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Validate() = %v, want nil", err)
			case tt.want != "" && (ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), tt.want)):
				t.Fatalf("Validate() = %v, want an invalid error mentioning %q", err, tt.want)
			}
		})
	}
}

func TestDecisionSameCase(t *testing.T) {
	a := Decision{Key: "k", Document: NewID(), Code: NewID(), CoderA: NewID(), CoderB: NewID(), Start: 1, End: 2, Decided: DecisionRejected}
	b := a
	b.By, b.At = NewID(), time.Now()
	if !a.SameCase(&b) {
		t.Errorf("SameCase = false for decisions that differ only in who and when")
	}
	b.End = 3
	if a.SameCase(&b) {
		t.Errorf("SameCase = true for decisions with different spans")
	}
	b = a
	b.Reason = "a reason"
	if a.SameCase(&b) {
		t.Errorf("SameCase = true for decisions with different reasons")
	}
}
