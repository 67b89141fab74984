package coding

import (
	"encoding/json"
	"time"
)

// Event types written to a project's event log. Each names the entity and
// what happened to it; the payload is the entity after the change (or the
// identifiers of what was removed).
const (
	EventProjectCreated  = "project.created"
	EventProjectUpdated  = "project.updated"
	EventMemberSet       = "member.set"
	EventMemberRemoved   = "member.removed"
	EventDocumentAdded   = "document.added"
	EventDocumentUpdated = "document.updated"
	EventDocumentDeleted = "document.deleted"
	// EventDocumentRestored brings a deleted document back from the trash.
	EventDocumentRestored = "document.restored"
	// EventDocumentsReordered carries a project's new document order.
	EventDocumentsReordered = "documents.reordered"
	EventCodeCreated        = "code.created"
	EventCodeUpdated        = "code.updated"
	EventCodeDeleted        = "code.deleted"
	EventCodesMerged        = "code.merged"
	EventCodingAdded        = "coding.added"
	EventCodingUpdated      = "coding.updated"
	EventCodingDeleted      = "coding.deleted"
	EventMemoSaved          = "memo.saved"
	EventMemoDeleted        = "memo.deleted"
	// A lead's decision on a review case was recorded (payload: the
	// decision) or taken back (payload: the decision as it was). Their
	// owner is the consensus layer, whose visibility they share.
	EventDecisionSet     = "decision.set"
	EventDecisionCleared = "decision.cleared"
	EventLogCompacted    = "log.compacted"
)

// Event is one entry of a project's append-only log. Seq numbers a
// project's events 1, 2, 3 … without gaps, in commit order. Owner is the
// coder whose layer the event changes ("" for project-wide changes): blind
// projects hide other coders' events by it.
type Event struct {
	Seq       uint64          `json:"seq"`
	ProjectID string          `json:"project"`
	Type      string          `json:"type"`
	Actor     string          `json:"actor"`
	Owner     string          `json:"owner,omitempty"`
	Time      time.Time       `json:"time"`
	Payload   json.RawMessage `json:"payload"`
	// Raw, when set, is the event's JSON form exactly as stored, so that
	// fan-out and replay send it without encoding it again.
	Raw []byte `json:"-"`
}

// CodingDeleted is the payload of EventCodingDeleted. It carries the whole
// coding so that undo can restore it and clients can drop it without a
// lookup.
type CodingDeleted struct {
	Coding Coding `json:"coding"`
}

// CodeDeleted is the payload of EventCodeDeleted.
type CodeDeleted struct {
	Code Code `json:"code"`
	// Removed lists every code that was deleted (the code and its
	// descendants); MovedTo is where their codings went, or "" when the
	// codings were deleted with them.
	Removed        []string `json:"removed"`
	MovedTo        string   `json:"moved_to,omitempty"`
	CodingsMoved   int      `json:"codings_moved"`
	CodingsDeleted int      `json:"codings_deleted"`
}

// CodesMerged is the payload of EventCodesMerged.
type CodesMerged struct {
	From         string `json:"from"`
	Into         string `json:"into"`
	CodingsMoved int    `json:"codings_moved"`
	// Dropped counts codings that became exact duplicates of a coding of
	// the target code and were removed.
	Dropped int `json:"codings_dropped"`
}

// LogCompacted is the payload of EventLogCompacted: events up to and
// including Floor were removed from the log.
type LogCompacted struct {
	Floor   uint64 `json:"floor"`
	Removed int    `json:"removed"`
}
