package store

import (
	"encoding/binary"

	"github.com/concordqda/concord/coding"
	"github.com/google/uuid"
	bolt "go.etcd.io/bbolt"
)

// Bucket names. Top level:
var (
	bucketMeta     = []byte("meta")
	bucketUsers    = []byte("users")
	bucketLogins   = []byte("logins")
	bucketProjects = []byte("projects")
	bucketSlugs    = []byte("slugs")
	bucketSessions = []byte("sessions")
)

// Inside a project's bucket:
var (
	keyProject       = []byte("project")
	bucketMembers    = []byte("members")
	bucketDocs       = []byte("docs")
	bucketTexts      = []byte("texts")
	bucketCodes      = []byte("codes")
	bucketCodings    = []byte("codings")    // doc(16) coding(16) → coding record
	bucketCodingDocs = []byte("coding-doc") // coding(16) → doc(16)
	bucketMemos      = []byte("memos")
	bucketEvents     = []byte("events")    // seq (8, big-endian) → event JSON
	bucketDecisions  = []byte("decisions") // case key → decision JSON
	// document(16) coder(16) → assignment JSON
	bucketAssignments = []byte("assignments")
	// document(16) → trash record JSON: the documents a lead deleted.
	// Their records, texts and codings stay where they were, so that a
	// restore brings them back exactly.
	bucketTrash = []byte("trash")
	// The project's document order: a JSON array of document ids.
	keyDocOrder = []byte("document-order")
)

// projectBuckets are created with every project. Projects made before a
// bucket was added to this list lack it: code that reads such a bucket
// must take its absence for emptiness and create it at its first write
// (see decisionsBucket), so that older files need no migration and still
// open read-only (a backup's check, a restore).
var projectBuckets = [][]byte{
	bucketMembers, bucketDocs, bucketTexts, bucketCodes, bucketCodings,
	bucketCodingDocs, bucketMemos, bucketEvents, bucketDecisions, bucketAssignments,
}

// idKey turns a textual UUID into its 16-byte key. An id that is not a UUID
// cannot name anything stored, so it is reported as not found.
func idKey(kind, id string) ([]byte, error) {
	u, err := uuid.Parse(id)
	if err != nil {
		return nil, coding.Errorf(coding.ENOTFOUND, "%s %q does not exist", kind, id)
	}
	return u[:], nil
}

// mustID renders a 16-byte key back into its textual UUID.
func keyID(k []byte) string {
	var u uuid.UUID
	copy(u[:], k)
	return u.String()
}

func u64(n uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, n)
	return b
}

func cat(parts ...[]byte) []byte {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	out := make([]byte, 0, n)
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// newID returns a fresh time-ordered UUID (v7): keys that grow in order keep
// bbolt pages full.
func newID() string {
	u, err := uuid.NewV7()
	if err != nil {
		return uuid.NewString()
	}
	return u.String()
}

// appendOnly tunes a bucket whose keys mostly grow (sequence numbers,
// time-ordered ids): full pages on split instead of half-full ones, which
// halves the file's growth.
func appendOnly(b *bolt.Bucket) *bolt.Bucket {
	b.FillPercent = 0.9
	return b
}
