// Package store persists Concord's domain in one bbolt file.
//
// Every mutation runs in the single commit loop (see commit.go): it writes
// the entity and its event-log entry in one read-write transaction, many
// concurrent mutations share one transaction and one fsync, and a caller is
// answered only after the commit is durable. Reads are short View
// transactions that copy what they return.
//
// Layout: top-level buckets hold users, logins, projects, slugs and
// sessions; each project is a nested bucket (keyed by its 16-byte id) with
// its members, documents, texts, codes, codings, indexes, memos and its
// append-only event log keyed by big-endian sequence numbers.
package store
