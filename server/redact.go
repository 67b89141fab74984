package server

import (
	"encoding/json"

	"github.com/concordqda/concord/coding"
)

// layerCounts names the payload fields of owner-less events that count
// codings over every coder's layer. A coder blinded to the others' work
// gets these events (the codebook changed for them too) without the
// counts, which would tell them how much the others have coded.
var layerCounts = map[string][]string{
	coding.EventCodeDeleted: {"codings_moved", "codings_deleted"},
	coding.EventCodesMerged: {"codings_moved", "codings_dropped"},
	// The floor is a sequence number, which counts the log as well.
	coding.EventLogCompacted: {"removed", "floor"},
}

// hasLayerCounts reports whether a blinded client must get ev redacted.
func hasLayerCounts(ev *coding.Event) bool {
	_, ok := layerCounts[ev.Type]
	return ok && ev.Owner == ""
}

// withoutLayerCounts returns a copy of ev whose payload lacks the counts
// over every layer, with Raw set to its JSON form. An event whose payload
// cannot be read loses its payload rather than leak it.
func withoutLayerCounts(ev coding.Event) coding.Event {
	var fields map[string]json.RawMessage
	if json.Unmarshal(ev.Payload, &fields) != nil {
		fields = map[string]json.RawMessage{}
	}
	for _, k := range layerCounts[ev.Type] {
		delete(fields, k)
	}
	ev.Payload, _ = json.Marshal(fields)
	ev.Raw = nil
	ev.Raw, _ = json.Marshal(ev)
	return ev
}
